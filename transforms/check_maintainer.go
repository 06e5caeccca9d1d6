package transforms

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/dockopt/dockopt/rewrite"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// authorsLabel is the OCI annotation for the image's authors, the label
// BuildKit's MaintainerDeprecated rule points to.
const authorsLabel = "org.opencontainers.image.authors"

// MaintainerToLabel turns the deprecated MAINTAINER into the OCI authors
// label (BuildKit's MaintainerDeprecated).
//
//	MAINTAINER Jane <jane@example.com>
//	->  LABEL org.opencontainers.image.authors="Jane <jane@example.com>"
var MaintainerToLabel = &rewrite.Transform{
	ID:      "maintainer-to-label",
	Summary: "Replace the deprecated MAINTAINER with LABEL org.opencontainers.image.authors (BuildKit: MaintainerDeprecated)",
	Rationale: "MAINTAINER is deprecated; BuildKit warns about it and recommends the " + authorsLabel + " label, " +
		"which OCI tools read. The text is kept exactly: MAINTAINER takes the rest of the line literally, so " +
		"the label value is double-quoted with `\"`, `$` and the escape token escaped, and the transform " +
		"checks with BuildKit's parser and word expansion that the label's value is the old text before it " +
		"changes anything. The keyword keeps the file's case (`maintainer` becomes `label`). This changes " +
		"image metadata only: the image's author field is no longer set, the authors label is. Left alone: a " +
		"MAINTAINER continued over several lines, and files that already set the authors label (the " +
		"conversion could override it), or whose `# check=skip=` turns the rule off.",
	Before:  "FROM alpine\nMAINTAINER Jane Doe <jane@example.com>\n",
	After:   "FROM alpine\nLABEL " + authorsLabel + "=\"Jane Doe <jane@example.com>\"\n",
	Default: true,
	Run:     runMaintainerToLabel,

	Hadolint:     []string{"DL4000"},
	BuildKitRule: "MaintainerDeprecated",
}

func runMaintainerToLabel(p *rewrite.Pass) {
	d := p.Doc
	if lintSkipped(d, "MaintainerDeprecated") {
		return
	}
	for _, in := range d.Instructions {
		if in.Cmd != "maintainer" {
			continue
		}
		args := in.Args()
		if len(args) != 1 {
			continue
		}
		value := args[0]
		if in.StartLine != in.EndLine {
			p.Skip(in, "MAINTAINER over several lines left alone")
			continue
		}
		if setsAuthorsLabel(d) {
			p.Skip(in, "MAINTAINER left alone: the file already sets the "+authorsLabel+" label, which a LABEL here could override")
			continue
		}
		l := joinedText(d, in)
		if l == nil {
			continue
		}
		kw, _, argStart := splitFlags(l.Text, byte(d.Escape))
		end := trimRightSpace(l.Text)
		if l.Text[argStart:end] != value {
			continue
		}
		edits := []rewrite.Edit{
			{Start: l.Src(kw.Start), End: l.SrcAfter(kw.End), New: writeInCase("label", fileCase(d, in.Node.Value))},
			{Start: l.Src(argStart), End: l.SrcAfter(end), New: authorsLabel + "=" + quoteLiteral(value, d.Escape)},
		}
		if err := sameLabel(d, in, edits, value); err != nil {
			p.Skip(in, "MAINTAINER left alone: "+err.Error())
			continue
		}
		p.Fix(in, "MAINTAINER is deprecated: replaced with LABEL "+authorsLabel, edits...)
	}
}

// quoteLiteral double-quotes s for a Dockerfile word that BuildKit expands
// (ENV, LABEL): inside double quotes the escape token escapes `"`, `$` and
// itself, and leaves every other byte as it is.
func quoteLiteral(s string, esc rune) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		if r == '"' || r == '$' || r == esc {
			b.WriteRune(esc)
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}

func setsAuthorsLabel(d *rewrite.Document) bool {
	for _, in := range d.Instructions {
		if (in.Cmd == "label" || in.Cmd == "onbuild") && strings.Contains(in.Node.Original, authorsLabel) {
			return true
		}
	}
	return false
}

// sameLabel parses the rewritten instruction with BuildKit and checks that
// it is one LABEL whose key and value expand, in any environment (the value
// holds no unescaped variable), to the authors key and want.
func sameLabel(d *rewrite.Document, in *rewrite.Instruction, edits []rewrite.Edit, want string) error {
	cmd, err := parseRewritten(d, in, edits)
	if err != nil {
		return err
	}
	lc, ok := cmd.(*instructions.LabelCommand)
	if !ok || len(lc.Labels) != 1 {
		return fmt.Errorf("the rewritten instruction is not one label")
	}
	lex := shell.NewLex(d.Escape)
	k, _, err1 := lex.ProcessWord(lc.Labels[0].Key, shell.EnvsFromSlice(nil))
	v, _, err2 := lex.ProcessWord(lc.Labels[0].Value, shell.EnvsFromSlice([]string{"X=1"}))
	if err1 != nil || err2 != nil || k != authorsLabel || v != want {
		return fmt.Errorf("the label would not hold the same text (%q)", v)
	}
	return nil
}

// parseRewritten applies edits (which must all fall inside in) to in's text
// and parses the result with BuildKit's parser and instructions package, in
// a file with the document's escape token.
func parseRewritten(d *rewrite.Document, in *rewrite.Instruction, edits []rewrite.Edit) (instructions.Command, error) {
	local := make([]rewrite.Edit, len(edits))
	for i, e := range edits {
		if e.Start < in.Start || e.End > in.End {
			return nil, fmt.Errorf("edit outside the instruction")
		}
		local[i] = rewrite.Edit{Start: e.Start - in.Start, End: e.End - in.Start, New: e.New}
	}
	text, err := rewrite.ApplyEdits(d.Src[in.Start:in.End], local)
	if err != nil {
		return nil, err
	}
	text = bytes.TrimPrefix(text, []byte("\xef\xbb\xbf"))
	var src bytes.Buffer
	fmt.Fprintf(&src, "# escape=%c\nFROM scratch\n", d.Escape)
	src.Write(text)
	src.WriteString("\n")
	res, err := parser.Parse(&src)
	if err != nil {
		return nil, err
	}
	stages, _, err := instructions.Parse(res.AST, nil)
	if err != nil {
		return nil, err
	}
	if len(stages) != 1 || len(stages[0].Commands) != 1 {
		return nil, fmt.Errorf("the rewritten text is not one instruction")
	}
	return stages[0].Commands[0], nil
}
