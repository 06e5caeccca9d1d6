package transforms

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/dockopt/dockopt/rewrite"
)

// NameStages names the stages that other stages reference by index.
//
//	FROM golang:1.22              ->  FROM golang:1.22 AS builder
//	COPY --from=0 /go/hello /     ->  COPY --from=builder /go/hello /
var NameStages = &rewrite.Transform{
	ID:      "name-stages",
	Summary: "Name stages that COPY --from references by index, and reference them by name",
	Rationale: "`COPY --from=0` breaks silently when a stage is inserted above the one it means, and says " +
		"nothing about what it copies from. A named stage (`AS builder`) survives reordering and can be " +
		"built alone with `--target`. The name comes from what the stage does (`builder` when it runs a " +
		"compiler or build tool, `stage-N` otherwise) and never equals another stage's name, an image " +
		"named in FROM or a --from value used anywhere in the file (BuildKit would then read that " +
		"reference as the stage). A stage that already has a name is referenced by it. Only COPY --from " +
		"accepts an index in BuildKit: `RUN --mount=from=0` and `FROM 0` name an image called \"0\" and are " +
		"left alone, as is ONBUILD COPY --from=N, whose index counts the stages of a later Dockerfile.",
	Before: `FROM golang:1.22
COPY hello.go .
RUN go build hello.go

FROM debian:12-slim
COPY --from=0 /go/hello /usr/local/bin/hello
`,
	After: `FROM golang:1.22 AS builder
COPY hello.go .
RUN go build hello.go

FROM debian:12-slim
COPY --from=builder /go/hello /usr/local/bin/hello
`,
	Default: true,
	Run:     runNameStages,
	Hints:   []string{"--from="},
}

// indexRef is a COPY --from=N of an earlier stage.
type indexRef struct {
	in    *rewrite.Instruction
	flag  string // the flag as BuildKit read it: "--from=0"
	stage *rewrite.Stage
}

func runNameStages(p *rewrite.Pass) {
	d := p.Doc
	var refs []indexRef
	for _, in := range d.Instructions {
		if in.Cmd != "copy" || in.Stage == nil {
			continue
		}
		for _, f := range in.Flags() {
			v, ok := strings.CutPrefix(f, "--from=")
			if !ok {
				continue
			}
			n, err := strconv.Atoi(v)
			if err != nil {
				continue // a name or an image
			}
			if n < 0 || n >= in.Stage.Index {
				p.Skip(in, fmt.Sprintf("COPY --from=%s does not reference an earlier stage: left alone", v))
				continue
			}
			refs = append(refs, indexRef{in: in, flag: f, stage: d.Stages[n]})
		}
	}
	if len(refs) == 0 {
		return
	}
	taken := takenNames(d)
	names := map[*rewrite.Stage]string{}
	var edits []rewrite.Edit
	var named []string
	for _, r := range refs {
		name, ok := names[r.stage]
		if !ok {
			name = r.stage.Name
			if name == "" {
				name = freeName(stageRole(d, r.stage), taken)
				taken[name] = true
				e, err := fromAsEdit(d, r.stage.From, name)
				if err != nil {
					p.Skip(r.stage.From, "stage "+strconv.Itoa(r.stage.Index)+" is referenced by index but could not be named: "+err.Error())
					name = ""
				} else {
					edits = append(edits, e)
					named = append(named, fmt.Sprintf("stage %d (line %d) as %s", r.stage.Index, r.stage.From.StartLine, name))
				}
			}
			names[r.stage] = name
		}
		if name == "" {
			continue
		}
		e, err := flagValueEdit(d, r.in, r.flag, len("--from="), name)
		if err != nil {
			p.Skip(r.in, "COPY "+r.flag+" left alone: "+err.Error())
			continue
		}
		edits = append(edits, e)
	}
	if len(edits) == 0 {
		return
	}
	msg := "stages referenced by index are fragile when stages are added or reordered: COPY --from now uses stage names"
	if len(named) > 0 {
		msg += "; named " + strings.Join(named, ", ")
	}
	p.FixSpan(refs[0].stage.From, refs[len(refs)-1].in, msg, edits...)
}

// takenNames are the lower-cased words a new stage name must not be: every
// stage name, every image named in FROM (as written, and its repository), and
// every --from / --mount from= value, since BuildKit looks a name up among
// the stages before it treats it as an image.
func takenNames(d *rewrite.Document) map[string]bool {
	taken := map[string]bool{}
	add := func(s string) {
		s = strings.ToLower(s)
		taken[s] = true
		if repo := hubRepository(s); repo != "" {
			taken[repo] = true
			taken[path.Base(repo)] = true
		}
	}
	for _, st := range d.Stages {
		add(st.Name)
		add(st.Base)
	}
	for _, in := range d.Instructions {
		for _, f := range in.Flags() {
			if v, ok := strings.CutPrefix(f, "--from="); ok {
				add(v)
			}
			if v, ok := strings.CutPrefix(f, "--mount="); ok {
				for _, kv := range strings.Split(v, ",") {
					if k, val, ok := strings.Cut(kv, "="); ok && strings.EqualFold(strings.TrimSpace(k), "from") {
						add(strings.Trim(val, `"'`))
					}
				}
			}
		}
	}
	return taken
}

// freeName is base, or base-2, base-3 ... whichever is not taken.
func freeName(base string, taken map[string]bool) string {
	if !taken[base] {
		return base
	}
	for i := 2; ; i++ {
		if n := fmt.Sprintf("%s-%d", base, i); !taken[n] {
			return n
		}
	}
}

// buildTools are programs whose presence in a stage's RUNs makes it a
// builder.
var buildTools = wordSet("go cargo rustc gcc g++ cc c++ clang clang++ make cmake ninja mvn mvnw gradle gradlew " +
	"javac dotnet msbuild tsc webpack vite esbuild")

// stageRole is the name a stage gets from what it does.
func stageRole(d *rewrite.Document, st *rewrite.Stage) string {
	for _, in := range st.Instructions {
		if in.Cmd != "run" {
			continue
		}
		if sh, err := d.Shell(in); err == nil {
			for _, c := range sh.Commands() {
				if buildTools[c.Name] || (c.Name == "npm" || c.Name == "yarn" || c.Name == "pnpm") && runsBuildScript(c) {
					return "builder"
				}
			}
		} else {
			// Exec form, heredocs, other shells: look at the words.
			text := in.Node.Original
			for _, h := range in.Node.Heredocs {
				text += "\n" + h.Content
			}
			for _, w := range strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune(" \t\n\r\"',[];&|()", r) }) {
				if buildTools[path.Base(strings.ReplaceAll(w, "\\", "/"))] {
					return "builder"
				}
			}
		}
	}
	return "stage-" + strconv.Itoa(st.Index)
}

func runsBuildScript(c *rewrite.Command) bool {
	args := wordLits(c.Args)
	return len(args) >= 2 && args[0] == "run" && strings.Contains(args[1], "build") || len(args) >= 1 && args[0] == "build"
}

// fromAsEdit adds ` AS name` to a FROM that has none, in the case of its
// keyword.
func fromAsEdit(d *rewrite.Document, from *rewrite.Instruction, name string) (rewrite.Edit, error) {
	l, ok := d.Logical(from)
	if !ok {
		return rewrite.Edit{}, fmt.Errorf("its source could not be mapped")
	}
	text := strings.TrimRight(l.Text, " \t")
	as := " AS "
	if kw := strings.TrimLeft(text, " \t"); len(kw) >= 4 && kw[:4] == "from" {
		as = " as "
	}
	at := l.SrcAfter(len(text))
	return rewrite.Edit{Start: at, End: at, New: as + name}, nil
}

// flagValueEdit replaces the value of the flag token flag (as BuildKit read
// it, e.g. "--from=0", whose value starts at valueAt) with value. The token
// must be written as one unquoted run of bytes among the instruction's flags.
func flagValueEdit(d *rewrite.Document, in *rewrite.Instruction, flag string, valueAt int, value string) (rewrite.Edit, error) {
	l, ok := d.Logical(in)
	if !ok {
		return rewrite.Edit{}, fmt.Errorf("its source could not be mapped")
	}
	t := l.Text
	i := 0
	skipSpace := func() {
		for i < len(t) && (t[i] == ' ' || t[i] == '\t') {
			i++
		}
	}
	skipSpace()
	for i < len(t) && t[i] != ' ' && t[i] != '\t' { // the keyword
		i++
	}
	for {
		skipSpace()
		if !strings.HasPrefix(t[i:], "--") {
			return rewrite.Edit{}, fmt.Errorf("%s is not written as a plain flag", flag)
		}
		j := i
		for j < len(t) && t[j] != ' ' && t[j] != '\t' {
			j++
		}
		if t[i:j] == flag {
			start, end := l.Src(i+valueAt), l.SrcAfter(j)
			if string(d.Src[start:end]) != flag[valueAt:] {
				return rewrite.Edit{}, fmt.Errorf("%s spans a line continuation", flag)
			}
			return rewrite.Edit{Start: start, End: end, New: value}, nil
		}
		i = j
	}
}
