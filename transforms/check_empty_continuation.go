package transforms

import (
	"strings"
	"unicode"

	"github.com/dockopt/dockopt/rewrite"
)

// NoEmptyContinuation removes blank lines inside a line continuation
// (BuildKit's NoEmptyContinuation).
//
//	RUN apk add \        RUN apk add \
//	                 ->      curl
//	    curl
var NoEmptyContinuation = &rewrite.Transform{
	ID:      "no-empty-continuation",
	Summary: "Remove blank lines inside a line continuation (BuildKit: NoEmptyContinuation)",
	Rationale: "BuildKit skips a blank line that follows a line ending in the escape token, and warns that " +
		"this will become an error in a future release. Removing such lines gives exactly the instruction " +
		"BuildKit already reads. Only lines that are empty or whitespace are removed, and only inside the " +
		"continued part of an instruction (never in a heredoc body); comment lines inside a continuation are " +
		"kept. A last line without a final newline keeps having none. Files whose `# check=skip=` turns the " +
		"rule off are left alone.",
	Before:  "FROM alpine\nRUN apk add \\\n\n    curl\n",
	After:   "FROM alpine\nRUN apk add \\\n    curl\n",
	Default: true,
	Run:     runNoEmptyContinuation,

	BuildKitRule: "NoEmptyContinuation",
}

func runNoEmptyContinuation(p *rewrite.Pass) {
	d := p.Doc
	if lintSkipped(d, "NoEmptyContinuation") {
		return
	}
	for _, in := range d.Instructions {
		blank := emptyContinuationLines(d, in)
		if len(blank) == 0 {
			continue
		}
		var edits []rewrite.Edit
		for _, n := range blank {
			edits = append(edits, rewrite.Edit{Start: d.LineStart(n), End: d.LineStart(n + 1)})
		}
		edits = mergeDeletions(edits)
		if last := &edits[len(edits)-1]; last.End == len(d.Src) && d.Src[len(d.Src)-1] != '\n' {
			// The blank lines end the file, which has no final newline:
			// remove the ending of the line before them instead, so the
			// file still ends without one.
			prev := d.Line(d.LineOf(last.Start) - 1)
			last.Start -= len(prev) - len(strings.TrimRight(prev, "\r\n"))
		}
		p.Fix(in, "blank line(s) inside a line continuation removed (BuildKit skips them)", edits...)
	}
}

// emptyContinuationLines mirrors BuildKit's parser loop: after a line that
// ends in the escape token, comment lines are skipped, blank lines are
// skipped with a warning, and the continuation goes on until a line does not
// end in the escape token. Heredoc bodies come after that and are never
// looked at.
func emptyContinuationLines(d *rewrite.Document, in *rewrite.Instruction) []int {
	var out []int
	esc := byte(d.Escape)
	first := d.Line(in.StartLine)
	if in.StartLine == 1 {
		first = strings.TrimPrefix(first, "\xef\xbb\xbf")
	}
	if !endsInContinuation(first, esc) {
		return nil
	}
	for n := in.StartLine + 1; n <= in.EndLine; n++ {
		line := strings.TrimRight(d.Line(n), "\r\n")
		body := strings.TrimLeftFunc(line, unicode.IsSpace)
		switch {
		case strings.HasPrefix(body, "#"):
			continue
		case body == "":
			out = append(out, n)
			continue
		}
		if !endsInContinuation(line, esc) {
			break
		}
	}
	return out
}

// endsInContinuation reports whether a line ends in the escape token (BuildKit's
// lineContinuationRegex: an escape token, then only blanks, not itself
// escaped).
func endsInContinuation(line string, esc byte) bool {
	_, ok := cutContinuation(strings.TrimRight(line, "\r\n"), esc)
	return ok
}

func cutContinuation(s string, esc byte) (string, bool) {
	t := strings.TrimRight(s, " \t")
	if t == "" || t[len(t)-1] != esc {
		return s, false
	}
	if len(t) >= 2 && t[len(t)-2] == esc {
		return s, false
	}
	return t[:len(t)-1], true
}

// mergeDeletions joins edits that delete neighbouring ranges into one, so
// that a run of blank lines is one edit.
func mergeDeletions(edits []rewrite.Edit) []rewrite.Edit {
	var out []rewrite.Edit
	for _, e := range edits {
		if n := len(out); n > 0 && out[n-1].End == e.Start && out[n-1].New == "" && e.New == "" {
			out[n-1].End = e.End
			continue
		}
		out = append(out, e)
	}
	return out
}
