// Package rewrite is dockopt's engine: it parses a Dockerfile with BuildKit's
// own parser, keeps the original bytes, runs transforms that report findings
// carrying byte-range edits, splices those edits into the original text, and
// re-validates every result with BuildKit before anything is written.
//
// Why byte-range edits: BuildKit's parser keeps only line numbers, joins
// continued lines into Original, drops comment lines inside continuations and
// has no printer. Splicing edits into the original bytes is the only way to
// keep everything the author wrote (comments, blank lines, CRLF, indentation,
// a missing final newline, heredocs, parser directives) byte for byte.
package rewrite

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// Document is one Dockerfile: its original bytes and BuildKit's parse of them.
type Document struct {
	Path   string
	Src    []byte
	AST    *parser.Node
	Escape rune // the escape (and line-continuation) token: '\\' or '`'

	Instructions []*Instruction
	Stages       []*Stage
	MetaArgs     []*Instruction // ARG instructions before the first FROM

	lineStart []int                        // byte offset where each line (0-based) starts
	origLine  []int                        // line (0-based) -> line of the pipeline's input (nil: the input itself)
	shells    map[*Instruction]shellResult // Shell's cache
	lowered   []byte                       // Src in lower case, for Transform.Hints
	bodies    map[string]*parsedBody       // shell parses by body, shared along the pipeline
	memo      []memoEntry                  // recent parses of texts derived from this one (memo.go)
	check     *directive                   // the check directive, once read (directives.go)

	// stageNames maps lower-cased AS names to the first stage of that
	// name, so that StageByName is not a scan per lookup.
	stageNames map[string]*Stage
}

// OriginalLine maps 1-based line n of this text to the line of the
// pipeline's input it came from, so findings of later transforms point at
// the file the user has.
func (d *Document) OriginalLine(n int) int {
	if d.origLine == nil || n < 1 || n > len(d.origLine) {
		return n
	}
	return d.origLine[n-1]
}

// Instruction is one top-level instruction and the byte range of its whole
// source lines (StartLine..EndLine, heredoc bodies included).
type Instruction struct {
	Node      *parser.Node
	Index     int    // position among the document's instructions
	Cmd       string // lower-case keyword: "run", "copy", ...
	StartLine int    // 1-based, as BuildKit reports it
	EndLine   int
	Start     int // byte offset of the first line's first byte
	End       int // byte offset just past the last line's line ending
	Stage     *Stage

	logical   *Logical // Document.Logical's result, once made
	logicalOK bool
}

// Stage is a FROM instruction and the instructions that follow it.
type Stage struct {
	Index        int
	Name         string // the AS name, as written ("" when unnamed)
	Base         string // the FROM image or stage reference, as written
	From         *Instruction
	Instructions []*Instruction // the FROM itself excluded

	shells []*Instruction // its SHELL instructions, in order (for ShellAt)
}

// ParseError is an input BuildKit rejects. It prints as path:line: message.
type ParseError struct {
	Path string
	Line int
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Msg)
}

// Parse parses src with BuildKit's parser and validates it with BuildKit's
// instructions package: a Document exists only for text BuildKit accepts.
func Parse(path string, src []byte) (d *Document, err error) {
	return parseText(path, src, nil)
}

// parseText is Parse. from, when not nil, is a document src was made from
// by edits: an instruction whose joined text (and escape token) is the same
// as one of from's was validated with it, and BuildKit's instructions
// package reads a node from that text alone, so only the others are
// validated again. Any failure is left to the whole validation, for its
// exact error.
func parseText(path string, src []byte, from *Document) (d *Document, err error) {
	defer func() {
		// BuildKit's parser is not ours: should it panic on some input, that
		// file gets an error and the others are still processed.
		if r := recover(); r != nil {
			d, err = nil, &ParseError{Path: path, Msg: fmt.Sprintf("internal error: BuildKit's parser panicked: %v", r)}
		}
	}()
	res, err := parser.Parse(bytes.NewReader(src))
	if err != nil {
		return nil, fixTooLongLine(locatedError(path, err), src)
	}
	// A nil linter makes BuildKit dereference nil on a `# check=` comment
	// before an instruction; a linter that reports nothing does not.
	if from == nil || from.Escape != res.EscapeToken || !validNew(res.AST, from) {
		if _, _, err := instructions.Parse(res.AST, silentLinter()); err != nil {
			return nil, locatedError(path, err)
		}
	}
	return newDocument(path, src, res.AST, res.EscapeToken), nil
}

// validNew reports whether instructions.Parse would accept ast, checking
// only the nodes from does not have: each node with BuildKit's own
// ParseInstructionWithLinter, and the stage structure as instructions.Parse
// checks it (only ARGs before the first FROM).
func validNew(ast *parser.Node, from *Document) bool {
	known := make(map[string]bool, len(from.Instructions))
	for _, in := range from.Instructions {
		if len(in.Node.Heredocs) == 0 {
			known[in.Node.Original] = true
		}
	}
	stages := 0
	for _, n := range ast.Children {
		if len(n.Heredocs) > 0 || !known[n.Original] {
			if _, err := instructions.ParseInstructionWithLinter(n, silentLinter()); err != nil {
				return false
			}
		}
		switch strings.ToLower(n.Value) {
		case "from":
			stages++
		case "arg":
		default:
			if stages == 0 {
				return false
			}
		}
	}
	return true
}

// newDocument indexes a parse BuildKit accepted.
func newDocument(path string, src []byte, ast *parser.Node, escape rune) *Document {
	d := &Document{Path: path, Src: src, AST: ast, Escape: escape}
	d.indexLines()
	var stage *Stage
	for i, n := range ast.Children {
		in := &Instruction{
			Node:      n,
			Index:     i,
			Cmd:       strings.ToLower(n.Value),
			StartLine: n.StartLine,
			EndLine:   n.EndLine,
			Start:     d.LineStart(n.StartLine),
			End:       d.LineStart(n.EndLine + 1),
		}
		if in.Cmd == "from" {
			stage = &Stage{Index: len(d.Stages), From: in}
			if n.Next != nil {
				stage.Base = n.Next.Value
				if n.Next.Next != nil && n.Next.Next.Next != nil {
					stage.Name = n.Next.Next.Next.Value
				}
			}
			d.Stages = append(d.Stages, stage)
			if key := strings.ToLower(stage.Name); stage.Name != "" && d.stageNames[key] == nil {
				if d.stageNames == nil {
					d.stageNames = map[string]*Stage{}
				}
				d.stageNames[key] = stage
			}
		} else if stage != nil {
			stage.Instructions = append(stage.Instructions, in)
			if in.Cmd == "shell" {
				stage.shells = append(stage.shells, in)
			}
		} else if in.Cmd == "arg" {
			d.MetaArgs = append(d.MetaArgs, in)
		}
		in.Stage = stage
		d.Instructions = append(d.Instructions, in)
	}
	return d
}

// locatedError turns a BuildKit error into a ParseError with its first line.
func locatedError(path string, err error) *ParseError {
	pe := &ParseError{Path: path, Msg: err.Error()}
	var le *parser.LocationError
	if errors.As(err, &le) {
		for _, rs := range le.Locations {
			if len(rs) > 0 && rs[0].Start.Line > 0 {
				pe.Line = rs[0].Start.Line
				break
			}
		}
	}
	// BuildKit prefixes some errors with their own location text; keep the message plain.
	pe.Msg = strings.TrimPrefix(pe.Msg, fmt.Sprintf("dockerfile parse error on line %d: ", pe.Line))
	return pe
}

func (d *Document) indexLines() {
	d.lineStart = []int{0}
	for i, b := range d.Src {
		if b == '\n' && i+1 < len(d.Src) {
			d.lineStart = append(d.lineStart, i+1)
		}
	}
}

// Lines is the number of lines in the document (a final line without a
// newline counts).
func (d *Document) Lines() int { return len(d.lineStart) }

// LineStart is the byte offset where 1-based line n starts; past the last
// line it is len(Src).
func (d *Document) LineStart(n int) int {
	if n < 1 {
		return 0
	}
	if n > len(d.lineStart) {
		return len(d.Src)
	}
	return d.lineStart[n-1]
}

// Line returns 1-based line n including its line ending.
func (d *Document) Line(n int) string {
	return string(d.Src[d.LineStart(n):d.LineStart(n+1)])
}

// LineOf is the 1-based line holding byte offset off.
func (d *Document) LineOf(off int) int {
	lo, hi := 0, len(d.lineStart)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if d.lineStart[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo + 1
}

// Newline is the line ending of line n ("\r\n" or "\n"); for a last line
// without one, the ending the rest of the file uses.
func (d *Document) Newline(n int) string {
	l := d.Line(n)
	switch {
	case strings.HasSuffix(l, "\r\n"):
		return "\r\n"
	case strings.HasSuffix(l, "\n"):
		return "\n"
	}
	if bytes.Contains(d.Src, []byte("\r\n")) {
		return "\r\n"
	}
	return "\n"
}

// Text is the original source of the instruction.
func (in *Instruction) Text(d *Document) string { return string(d.Src[in.Start:in.End]) }

// IsJSON reports whether the instruction is in exec (JSON array) form.
func (in *Instruction) IsJSON() bool { return in.Node.Attributes["json"] }

// HasHeredoc reports whether the instruction carries heredoc bodies.
func (in *Instruction) HasHeredoc() bool { return len(in.Node.Heredocs) > 0 }

// Flags are the instruction's --flags as BuildKit read them.
func (in *Instruction) Flags() []string { return in.Node.Flags }

// Args are the instruction's arguments as BuildKit split them.
func (in *Instruction) Args() []string {
	var out []string
	for n := in.Node.Next; n != nil; n = n.Next {
		out = append(out, n.Value)
	}
	return out
}

// Prev is the instruction before in within its stage, or nil.
func (in *Instruction) Prev() *Instruction {
	if in.Stage == nil {
		return nil
	}
	// A stage's instructions directly follow its FROM: in's position among
	// them is known without a scan (which made callers quadratic).
	if i := in.Index - in.Stage.From.Index - 1; i >= 0 && i < len(in.Stage.Instructions) && in.Stage.Instructions[i] == in {
		if i == 0 {
			return nil
		}
		return in.Stage.Instructions[i-1]
	}
	for i, x := range in.Stage.Instructions {
		if x == in && i > 0 {
			return in.Stage.Instructions[i-1]
		}
	}
	return nil
}

// lower is Src in ASCII lower case (computed once).
func (d *Document) lower() []byte {
	if d.lowered == nil {
		d.lowered = bytes.ToLower(d.Src)
	}
	return d.lowered
}
