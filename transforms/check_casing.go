package transforms

import (
	"fmt"
	"strings"

	"github.com/dockopt/dockopt/rewrite"
)

// InstructionCasing writes every instruction keyword in the case most of the
// file's keywords use (BuildKit's ConsistentInstructionCasing).
//
//	FROM alpine      ->  FROM alpine
//	run echo hi      ->  RUN echo hi
//	CMD ["sh"]       ->  CMD ["sh"]
var InstructionCasing = &rewrite.Transform{
	ID:      "instruction-casing",
	Summary: "Write every instruction keyword in the case most of the file uses (BuildKit: ConsistentInstructionCasing)",
	Rationale: "BuildKit warns when instruction keywords mix cases (`RUN` next to `run`, or `Run`). Keywords are " +
		"case-insensitive, so changing their case never changes the build. The case is the majority of the " +
		"file's keywords, decided as BuildKit decides it: FROMs and stage instructions count, all-lower and " +
		"all-upper keywords count for their side, mixed-case ones for neither, and a tie means upper case. " +
		"The AS of a FROM whose keyword changes follows it, so no FromAsCasing warning appears. Only the " +
		"keyword bytes change. Left alone: the instruction inside ONBUILD (its text is stored in the image " +
		"as written, and BuildKit does not check it), and files whose `# check=skip=` turns the rule off.",
	Before:  "FROM alpine\nrun echo hi\nCMD [\"sh\"]\n",
	After:   "FROM alpine\nRUN echo hi\nCMD [\"sh\"]\n",
	Default: true,
	Run:     runInstructionCasing,

	BuildKitRule: "ConsistentInstructionCasing",
}

// FromAsCasing writes the AS of `FROM image AS name` in the case of its FROM
// (BuildKit's FromAsCasing).
//
//	FROM golang AS build  ->  FROM golang AS build
//	FROM golang as build  ->  FROM golang AS build
var FromAsCasing = &rewrite.Transform{
	ID:      "from-as-casing",
	Summary: "Write the AS of a FROM in the same case as its FROM keyword (BuildKit: FromAsCasing)",
	Rationale: "BuildKit warns when `FROM image as name` mixes the case of FROM and AS. Both are keywords; their " +
		"case never changes the build. Only the two bytes of AS change, to the case of the FROM on the same " +
		"instruction; a FROM written in mixed case (`From`) is left to instruction-casing, as BuildKit " +
		"leaves it to ConsistentInstructionCasing.",
	Before:  "FROM golang:1.22 as build\nRUN go version\n",
	After:   "FROM golang:1.22 AS build\nRUN go version\n",
	Default: true,
	Run:     runFromAsCasing,

	BuildKitRule: "FromAsCasing",
}

func runInstructionCasing(p *rewrite.Pass) {
	d := p.Doc
	if lintSkipped(d, "ConsistentInstructionCasing") {
		return
	}
	want := caseUpper
	if majorityLower(d) {
		want = caseLower
	}
	for _, in := range d.Instructions {
		kw := in.Node.Value
		to := writeInCase(kw, want)
		if kw == to {
			continue
		}
		l := joinedText(d, in)
		if l == nil || !strings.HasPrefix(l.Text, kw) || !asciiLetters(kw) {
			p.Skip(in, "keyword case not changed: the instruction's text could not be mapped back to the file")
			continue
		}
		edits := replaceSameLength(l, 0, len(kw), to)
		if in.Cmd == "from" {
			if as, ok := fromAsWord(in, l); ok {
				edits = append(edits, replaceSameLength(l, as.Start, as.End, writeInCase("as", want))...)
			}
		}
		p.Fix(in, fmt.Sprintf("%s: most of the file's instructions are %s case", kw, caseName(want)), edits...)
	}
}

func runFromAsCasing(p *rewrite.Pass) {
	d := p.Doc
	if lintSkipped(d, "FromAsCasing") {
		return
	}
	for _, st := range d.Stages {
		in := st.From
		c := keywordCaseOf(in.Node.Value)
		if c == caseMixed || st.Name == "" {
			continue
		}
		l := joinedText(d, in)
		if l == nil {
			continue
		}
		as, ok := fromAsWord(in, l)
		if !ok {
			continue
		}
		to := writeInCase("as", c)
		if l.Text[as.Start:as.End] == to {
			continue
		}
		p.Fix(in, fmt.Sprintf("%s ... %s: AS written in the case of its FROM", in.Node.Value, l.Text[as.Start:as.End]),
			replaceSameLength(l, as.Start, as.End, to)...)
	}
}

// fromAsWord finds the AS keyword of `FROM [--flags] image AS name`: the
// next-to-last word of the joined text (BuildKit splits FROM's arguments at
// whitespace, so the last three words are image, AS and name).
func fromAsWord(in *rewrite.Instruction, l *rewrite.Logical) (textSpan, bool) {
	args := in.Args()
	if len(args) != 3 || !strings.EqualFold(args[1], "as") {
		return textSpan{}, false
	}
	ws := blankSplit(l.Text[:trimRightSpace(l.Text)], 0)
	if len(ws) < 4 {
		return textSpan{}, false
	}
	as, name := ws[len(ws)-2], ws[len(ws)-1]
	if l.Text[as.Start:as.End] != args[1] || l.Text[name.Start:name.End] != args[2] {
		return textSpan{}, false
	}
	return as, true
}

func caseName(c keywordCase) string {
	if c == caseLower {
		return "lower"
	}
	return "upper"
}
