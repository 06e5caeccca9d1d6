package transforms

// Helpers shared by the check-* transforms: the ones that fix what BuildKit's
// own linter (`docker build --check`) reports. They edit keywords, flags and
// words of an instruction through rewrite.Logical, BuildKit's joined view of
// the instruction, so that a word split by a line continuation is still
// edited byte by byte in place.

import (
	"strings"
	"unicode"

	"github.com/dockopt/dockopt/rewrite"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
)

// lintSkipped reports whether the file's `# check=skip=...` parser directive
// turns BuildKit's rule off: the author silenced that warning on purpose, so
// the transform that fixes it leaves the file alone.
func lintSkipped(d *rewrite.Document, rule string) bool {
	v, ok := d.CheckDirective()
	if !ok {
		return false
	}
	cfg, err := linter.ParseLintOptions(v)
	if err != nil {
		return false
	}
	if cfg.SkipAll {
		return true
	}
	for _, r := range cfg.SkipRules {
		if r == rule {
			return true
		}
	}
	return false
}

// joinedText is d.Logical(in) when it matches what BuildKit recorded; nil when
// no offset-based edit inside in can be trusted.
func joinedText(d *rewrite.Document, in *rewrite.Instruction) *rewrite.Logical {
	l, ok := d.Logical(in)
	if !ok {
		return nil
	}
	return l
}

// replaceSameLength returns edits that turn l.Text[start:end] into to (same
// length), one edit per run of changed bytes that sit next to each other in
// the source. A word a continuation splits is edited on both lines; nothing
// else between them is touched.
func replaceSameLength(l *rewrite.Logical, start, end int, to string) []rewrite.Edit {
	var edits []rewrite.Edit
	for i := start; i < end; i++ {
		if l.Text[i] == to[i-start] {
			continue
		}
		s := l.Src(i)
		if n := len(edits); n > 0 && edits[n-1].End == s && s == l.Src(i-1)+1 && l.Text[i-1] != to[i-1-start] {
			edits[n-1].End++
			edits[n-1].New += string(to[i-start])
			continue
		}
		edits = append(edits, rewrite.Edit{Start: s, End: s + 1, New: string(to[i-start])})
	}
	return edits
}

// asciiLetters reports whether s is a non-empty run of ASCII letters: the
// only words whose case these transforms change (a case change keeps their
// length, so edits stay byte-for-byte).
func asciiLetters(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// keywordCase is how a keyword is written: all lower, all upper, or mixed
// ("Run"), which BuildKit counts as neither.
type keywordCase int

const (
	caseMixed keywordCase = iota
	caseLower
	caseUpper
)

func keywordCaseOf(s string) keywordCase {
	switch s {
	case strings.ToLower(s):
		return caseLower
	case strings.ToUpper(s):
		return caseUpper
	}
	return caseMixed
}

// writeInCase writes word in case c; caseMixed gives Title case ("Copy").
func writeInCase(word string, c keywordCase) string {
	switch c {
	case caseLower:
		return strings.ToLower(word)
	case caseUpper:
		return strings.ToUpper(word)
	}
	return strings.ToUpper(word[:1]) + strings.ToLower(word[1:])
}

// majorityLower decides the file's keyword case as BuildKit's
// ConsistentInstructionCasing does (dockerfile2llb validateCommandCasing):
// every FROM and every instruction of a stage counts (ARGs before the first
// FROM do not), mixed-case keywords count for neither side, and a tie is
// upper case.
func majorityLower(d *rewrite.Document) bool {
	var lower, upper int
	for _, st := range d.Stages {
		for _, in := range append([]*rewrite.Instruction{st.From}, st.Instructions...) {
			switch keywordCaseOf(in.Node.Value) {
			case caseLower:
				lower++
			case caseUpper:
				upper++
			}
		}
	}
	return lower > upper
}

// fileCase is the case a keyword this transform writes should take: the
// case of the keyword it replaces when that is consistent, else the file's.
func fileCase(d *rewrite.Document, replaced string) keywordCase {
	if c := keywordCaseOf(replaced); c != caseMixed {
		return c
	}
	if majorityLower(d) {
		return caseLower
	}
	return caseUpper
}

// textSpan is a word of an instruction's joined text: Text[Start:End].
type textSpan struct{ Start, End int }

// splitFlags splits the joined text of an instruction the way BuildKit's
// parser does (splitCommand + extractBuilderFlags): the keyword, the
// --flags (each as written, quotes included) and where the arguments start.
// ok is false for text this mirror does not follow exactly (a flag with an
// escape token or quote inside is still returned, with its raw bytes).
func splitFlags(text string, esc byte) (kw textSpan, flags []textSpan, args int) {
	i := 0
	for i < len(text) && isSpaceByte(text[i]) {
		i++
	}
	kw.Start = i
	for i < len(text) && !isSpaceByte(text[i]) {
		i++
	}
	kw.End = i
	for {
		for i < len(text) && isSpaceByte(text[i]) {
			i++
		}
		if i+1 >= len(text) || text[i] != '-' || text[i+1] != '-' {
			return kw, flags, i
		}
		start := i
		var quote byte
		for i < len(text) {
			c := text[i]
			if quote != 0 {
				if c == quote {
					quote = 0
				} else if c == esc && i+1 < len(text) {
					i++
				}
				i++
				continue
			}
			if isSpaceByte(c) {
				break
			}
			if c == '\'' || c == '"' {
				quote = c
			} else if c == esc && i+1 < len(text) {
				i++
			}
			i++
		}
		if text[start:i] == "--" {
			for i < len(text) && isSpaceByte(text[i]) {
				i++
			}
			return kw, flags, i
		}
		flags = append(flags, textSpan{start, i})
	}
}

// blankSplit splits text[from:] at runs of whitespace (BuildKit's reWhitespace
// split, used for FROM and EXPOSE arguments).
func blankSplit(text string, from int) []textSpan {
	var out []textSpan
	i := from
	for i < len(text) {
		for i < len(text) && isSpaceByte(text[i]) {
			i++
		}
		if i == len(text) {
			break
		}
		s := i
		for i < len(text) && !isSpaceByte(text[i]) {
			i++
		}
		out = append(out, textSpan{s, i})
	}
	return out
}

// isSpaceByte is BuildKit's reWhitespace class ([\t\v\f\r ]) plus '\n'.
func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' || c == '\n'
}

// trimRightSpace is len(strings.TrimRightFunc(s, unicode.IsSpace)), the end of
// what BuildKit keeps of a line after its TrimSpace.
func trimRightSpace(s string) int {
	return len(strings.TrimRightFunc(s, unicode.IsSpace))
}

// hasCommentLine reports whether any line in in's span is a comment line
// (one BuildKit drops from the joined text).
func hasCommentLine(d *rewrite.Document, in *rewrite.Instruction) bool {
	for n := in.StartLine + 1; n <= in.EndLine; n++ {
		if t := strings.TrimSpace(d.Line(n)); strings.HasPrefix(t, "#") {
			return true
		}
	}
	return false
}
