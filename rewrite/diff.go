package rewrite

import (
	"fmt"
	"sort"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Context is the number of unchanged lines around each hunk.
const Context = 3

type diffLine struct {
	op   diffmatchpatch.Operation
	text string // with its "\n" when it has one
}

// UnifiedDiff renders the change from a to b as a unified diff that
// `git apply` and `patch -p1` accept, with "a/PATH" and "b/PATH" headers.
// It is empty when a == b.
func UnifiedDiff(path string, a, b []byte) string {
	if string(a) == string(b) {
		return ""
	}
	lines := lineDiff(string(a), string(b))
	var sb strings.Builder
	name := strings.TrimPrefix(path, "./")
	fmt.Fprintf(&sb, "--- a/%s\n+++ b/%s\n", name, name)
	// Walk the ops, cutting hunks where unchanged runs exceed 2*Context.
	oldLine, newLine := 1, 1
	i := 0
	for i < len(lines) {
		// find next change
		j := i
		for j < len(lines) && lines[j].op == diffmatchpatch.DiffEqual {
			j++
		}
		if j == len(lines) {
			break
		}
		// hunk starts Context lines before j (not before i)
		start := j - Context
		if start < i {
			start = i
		}
		oldLine += start - i
		newLine += start - i
		// extend the hunk while gaps of equal lines are <= 2*Context
		end := j
		for {
			for end < len(lines) && lines[end].op != diffmatchpatch.DiffEqual {
				end++
			}
			k := end
			for k < len(lines) && lines[k].op == diffmatchpatch.DiffEqual {
				k++
			}
			if k < len(lines) && k-end <= 2*Context {
				end = k
				continue
			}
			if k-end > Context {
				end += Context
			} else {
				end = k
			}
			break
		}
		oldCount, newCount := 0, 0
		for _, l := range lines[start:end] {
			if l.op != diffmatchpatch.DiffInsert {
				oldCount++
			}
			if l.op != diffmatchpatch.DiffDelete {
				newCount++
			}
		}
		fmt.Fprintf(&sb, "@@ -%s +%s @@\n", hunkRange(oldLine, oldCount), hunkRange(newLine, newCount))
		for _, l := range lines[start:end] {
			switch l.op {
			case diffmatchpatch.DiffEqual:
				sb.WriteByte(' ')
			case diffmatchpatch.DiffDelete:
				sb.WriteByte('-')
			case diffmatchpatch.DiffInsert:
				sb.WriteByte('+')
			}
			sb.WriteString(l.text)
			if !strings.HasSuffix(l.text, "\n") {
				sb.WriteString("\n\\ No newline at end of file\n")
			}
		}
		oldLine += oldCount
		newLine += newCount
		i = end
	}
	return sb.String()
}

func hunkRange(start, count int) string {
	if count == 0 {
		start--
	}
	if count == 1 {
		return fmt.Sprint(start)
	}
	return fmt.Sprintf("%d,%d", start, count)
}

// maxMyers bounds the lines (old plus new) one Myers diff may see: its cost
// is O((N+M)·D), quadratic when every line changed (a transform touching each
// RUN of a 200,000-line file took minutes). A larger changed region is split
// at lines that occur once on each side (patience diff's anchors); a region
// with none is shown as removed, then added: a valid diff, if not minimal.
const maxMyers = 4000

// lineDiff is a line-mode diff (go-diff's documented lines-to-chars recipe
// for regions up to maxMyers lines).
func lineDiff(a, b string) []diffLine {
	var out []diffLine
	diffLines(splitLines(a), splitLines(b), 0, &out)
	return out
}

func splitLines(s string) []string {
	l := strings.SplitAfter(s, "\n")
	if l[len(l)-1] == "" {
		l = l[:len(l)-1]
	}
	return l
}

func emitLines(out *[]diffLine, op diffmatchpatch.Operation, lines []string) {
	for _, l := range lines {
		*out = append(*out, diffLine{op: op, text: l})
	}
}

func diffLines(a, b []string, depth int, out *[]diffLine) {
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		p++
	}
	s := 0
	for s < len(a)-p && s < len(b)-p && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	emitLines(out, diffmatchpatch.DiffEqual, a[:p])
	am, bm := a[p:len(a)-s], b[p:len(b)-s]
	switch {
	case len(am) == 0 || len(bm) == 0 || len(am)+len(bm) > maxMyers && depth >= 8:
		emitLines(out, diffmatchpatch.DiffDelete, am)
		emitLines(out, diffmatchpatch.DiffInsert, bm)
	case len(am)+len(bm) <= maxMyers:
		myersLines(am, bm, out)
	default:
		anchoredLines(am, bm, depth, out)
	}
	emitLines(out, diffmatchpatch.DiffEqual, a[len(a)-s:])
}

func myersLines(a, b []string, out *[]diffLine) {
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	ca, cb, arr := dmp.DiffLinesToChars(strings.Join(a, ""), strings.Join(b, ""))
	for _, d := range dmp.DiffCharsToLines(dmp.DiffMain(ca, cb, false), arr) {
		for _, l := range strings.SplitAfter(d.Text, "\n") {
			if l != "" {
				*out = append(*out, diffLine{op: d.Type, text: l})
			}
		}
	}
}

// anchoredLines matches the longest increasing run of lines unique on both
// sides (patience sorting) and diffs the regions between them.
func anchoredLines(a, b []string, depth int, out *[]diffLine) {
	type count struct{ a, b, ai, bi int }
	seen := map[string]*count{}
	for i, l := range a {
		c := seen[l]
		if c == nil {
			c = &count{}
			seen[l] = c
		}
		c.a++
		c.ai = i
	}
	for i, l := range b {
		if c := seen[l]; c != nil {
			c.b++
			c.bi = i
		}
	}
	var pairs [][2]int // (index in a, index in b), by index in a
	for i, l := range a {
		if c := seen[l]; c.a == 1 && c.b == 1 {
			pairs = append(pairs, [2]int{i, c.bi})
		}
	}
	// Longest increasing subsequence of the b indexes.
	var tails []int // tails[k]: pair index ending the best run of length k+1
	prev := make([]int, len(pairs))
	for i, p := range pairs {
		k := sort.Search(len(tails), func(k int) bool { return pairs[tails[k]][1] >= p[1] })
		prev[i] = -1
		if k > 0 {
			prev[i] = tails[k-1]
		}
		if k == len(tails) {
			tails = append(tails, i)
		} else {
			tails[k] = i
		}
	}
	if len(tails) == 0 {
		emitLines(out, diffmatchpatch.DiffDelete, a)
		emitLines(out, diffmatchpatch.DiffInsert, b)
		return
	}
	anchors := make([][2]int, len(tails))
	for i, k := len(tails)-1, tails[len(tails)-1]; i >= 0; i, k = i-1, prev[k] {
		anchors[i] = pairs[k]
	}
	ai, bi := 0, 0
	for _, an := range anchors {
		diffLines(a[ai:an[0]], b[bi:an[1]], depth+1, out)
		*out = append(*out, diffLine{op: diffmatchpatch.DiffEqual, text: a[an[0]]})
		ai, bi = an[0]+1, an[1]+1
	}
	diffLines(a[ai:], b[bi:], depth+1, out)
}

// Hunk is a replacement of whole lines: old lines [OldStart, OldEnd) (1-based)
// become New.
type Hunk struct {
	OldStart, OldEnd int
	New              string
}

// LineHunks lists the changed line ranges from a to b, without context.
func LineHunks(a, b []byte) []Hunk {
	var out []Hunk
	line := 1
	var cur *Hunk
	for _, l := range lineDiff(string(a), string(b)) {
		switch l.op {
		case diffmatchpatch.DiffEqual:
			if cur != nil {
				out = append(out, *cur)
				cur = nil
			}
			line++
		case diffmatchpatch.DiffDelete:
			if cur == nil {
				cur = &Hunk{OldStart: line, OldEnd: line}
			}
			cur.OldEnd++
			line++
		case diffmatchpatch.DiffInsert:
			if cur == nil {
				cur = &Hunk{OldStart: line, OldEnd: line}
			}
			cur.New += l.text
		}
	}
	if cur != nil {
		out = append(out, *cur)
	}
	return out
}
