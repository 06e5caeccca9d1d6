package rewrite

import (
	"fmt"
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

// lineDiff is a line-mode diff (go-diff's documented lines-to-chars recipe).
func lineDiff(a, b string) []diffLine {
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	ca, cb, arr := dmp.DiffLinesToChars(a, b)
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(ca, cb, false), arr)
	var out []diffLine
	for _, d := range diffs {
		for _, l := range strings.SplitAfter(d.Text, "\n") {
			if l != "" {
				out = append(out, diffLine{op: d.Type, text: l})
			}
		}
	}
	return out
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
