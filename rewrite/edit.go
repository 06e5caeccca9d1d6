package rewrite

import (
	"fmt"
	"sort"
)

// Edit replaces Src[Start:End] with New. Start == End inserts.
// Offsets always refer to the text the transform was given.
type Edit struct {
	Start, End int
	New        string
}

// OverlapError reports two edits of one transform that touch the same bytes:
// a bug in that transform, never resolved by guessing an order.
type OverlapError struct{ A, B Edit }

func (e *OverlapError) Error() string {
	return fmt.Sprintf("overlapping edits [%d,%d) %q and [%d,%d) %q", e.A.Start, e.A.End, e.A.New, e.B.Start, e.B.End, e.B.New)
}

// ApplyEdits splices edits into src. Identical duplicate edits count once;
// edits that overlap (including two different insertions at one offset) are
// an error and nothing is applied.
func ApplyEdits(src []byte, edits []Edit) ([]byte, error) {
	if len(edits) == 0 {
		return src, nil
	}
	sorted := make([]Edit, len(edits))
	copy(sorted, edits)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].Start != sorted[j].Start {
			return sorted[i].Start < sorted[j].Start
		}
		return sorted[i].End < sorted[j].End
	})
	uniq := sorted[:0]
	for i, e := range sorted {
		if e.Start < 0 || e.End < e.Start || e.End > len(src) {
			return nil, fmt.Errorf("edit [%d,%d) out of range (text is %d bytes)", e.Start, e.End, len(src))
		}
		if i > 0 && e == uniq[len(uniq)-1] {
			continue
		}
		if len(uniq) > 0 {
			p := uniq[len(uniq)-1]
			if e.Start < p.End || (e.Start == p.Start && (p.Start == p.End || e.Start == e.End)) {
				return nil, &OverlapError{A: p, B: e}
			}
		}
		uniq = append(uniq, e)
	}
	size := len(src)
	for _, e := range uniq {
		size += len(e.New) - (e.End - e.Start)
	}
	out := make([]byte, 0, size)
	last := 0
	for _, e := range uniq {
		out = append(out, src[last:e.Start]...)
		out = append(out, e.New...)
		last = e.End
	}
	return append(out, src[last:]...), nil
}
