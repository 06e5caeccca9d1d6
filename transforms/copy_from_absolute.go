package transforms

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/dockopt/dockopt/rewrite"
)

// CopyFromAbsolute makes a relative COPY --from source absolute when the
// build cannot work as written.
//
//	FROM golang:1.22                   FROM golang:1.22
//	COPY hello.go .                    COPY hello.go .
//	RUN go build hello.go        ->    RUN go build hello.go
//	FROM debian:12-slim                FROM debian:12-slim
//	COPY --from=0 hello /usr/bin/      COPY --from=0 /go/hello /usr/bin/
var CopyFromAbsolute = &rewrite.Transform{
	ID:      "copy-from-absolute",
	Summary: "Write a COPY --from source as the absolute path it was meant to be, when the build fails as written",
	Rationale: "BuildKit reads the sources of `COPY --from=stage` from the root of that stage, not from its " +
		"WORKDIR: `COPY --from=0 hello .` copies /hello. When the stage built `hello` in its working " +
		"directory (/go in the golang image), the build stops with \"not found\". The source is rewritten " +
		"to <WORKDIR>/hello only when that failure is certain, so that no build that works today changes " +
		"what it copies: the stage's working directory is known and is not / (its last WORKDIR, or the " +
		"documented default of an official image such as golang's /go); its base is an official image whose " +
		"root holds only the standard directories, none named like the source; and no instruction of the " +
		"stage can create /<name>: no WORKDIR, COPY or ADD destination under it or at /, no RUN in the " +
		"root directory, and no RUN word that is computed by the shell, names /<name>, the root itself or a " +
		"parent directory (commands are assumed to write only where their arguments point). Otherwise an " +
		"info finding explains how the source is read. Globs, `.`, JSON-form COPY and sources of images " +
		"outside the Dockerfile are never rewritten.",
	Before: `FROM golang:1.22
COPY hello.go .
RUN go build hello.go

FROM debian:12-slim
COPY --from=0 hello /usr/local/bin/
`,
	After: `FROM golang:1.22
COPY hello.go .
RUN go build hello.go

FROM debian:12-slim
COPY --from=0 /go/hello /usr/local/bin/
`,
	Default: true,
	Run:     runCopyFromAbsolute,
	Hints:   []string{"--from="},
}

func runCopyFromAbsolute(p *rewrite.Pass) {
	d := p.Doc
	for _, in := range d.Instructions {
		if in.Cmd != "copy" || in.Stage == nil {
			continue
		}
		src := copyFromStage(d, in)
		if src == nil {
			continue
		}
		args := in.Args()
		if len(args) < 2 {
			continue
		}
		wd, wdKnown := stageFinalWorkdir(d, src)
		if !wdKnown || wd == "/" {
			continue // relative sources mean what they say
		}
		label := stageLabel(src)
		for _, a := range args[:len(args)-1] {
			if strings.HasPrefix(a, "/") || a == "" {
				continue
			}
			abs := path.Join(wd, a)
			if strings.HasSuffix(a, "/") {
				abs += "/"
			}
			note := fmt.Sprintf("COPY --from=%s reads %q from the root of stage %s (/%s), not from its WORKDIR %s", fromValue(in), a, label, path.Clean(a), wd)
			why := ""
			switch {
			case in.IsJSON():
				why = "JSON-form COPY is not rewritten"
			case strings.ContainsAny(a, "*?[\\$\"'") || path.Clean(a) == "." || strings.HasPrefix(path.Clean(a), ".."):
				why = "the source is a pattern, the whole root or outside it"
			case strings.ContainsAny(abs, " \t"):
				// Written into a shell-form COPY, white space would split the
				// path into two sources.
				why = "the absolute path would contain white space"
			default:
				why = certainlyMissing(d, src, strings.Split(path.Clean(a), "/")[0])
			}
			if why != "" {
				p.Report(in, rewrite.SeverityInfo, note+"; if you meant "+abs+", write it (left alone: "+why+")")
				continue
			}
			e, err := argEdit(d, in, a, abs)
			if err != nil {
				p.Report(in, rewrite.SeverityInfo, note+"; if you meant "+abs+", write it (left alone: "+err.Error()+")")
				continue
			}
			p.Fix(in, note+", and that stage never creates /"+strings.Split(path.Clean(a), "/")[0]+", so the build fails: copying "+abs, e)
		}
	}
}

func fromValue(in *rewrite.Instruction) string {
	for _, f := range in.Flags() {
		if v, ok := strings.CutPrefix(f, "--from="); ok {
			return v
		}
	}
	return ""
}

// copyFromStage is the earlier stage of this file a COPY --from names (by
// name or index), or nil.
func copyFromStage(d *rewrite.Document, in *rewrite.Instruction) *rewrite.Stage {
	v := fromValue(in)
	if v == "" || strings.Contains(v, "$") {
		return nil
	}
	var st *rewrite.Stage
	if n, err := strconv.Atoi(v); err == nil {
		if n >= 0 && n < len(d.Stages) {
			st = d.Stages[n]
		}
	} else {
		st = d.StageByName(v)
	}
	if st == nil || st.Index >= in.Stage.Index {
		return nil
	}
	return st
}

func stageLabel(st *rewrite.Stage) string {
	if st.Name != "" {
		return st.Name
	}
	return strconv.Itoa(st.Index)
}

// stageFinalWorkdir is the working directory the stage ends in: its last
// WORKDIR (relative ones resolved), else its parent stage's, else its base
// image's documented default.
func stageFinalWorkdir(d *rewrite.Document, st *rewrite.Stage) (string, bool) {
	chain := stageChain(d, st)
	wd, ok := imageWorkdir(chain[len(chain)-1].Base)
	for i := len(chain) - 1; i >= 0; i-- {
		for _, in := range chain[i].Instructions {
			if in.Cmd == "workdir" {
				wd, ok = nextWorkdir(wd, ok, in)
			}
		}
	}
	return wd, ok
}

// nextWorkdir applies a WORKDIR instruction to the working directory wd.
func nextWorkdir(wd string, known bool, in *rewrite.Instruction) (string, bool) {
	a := in.Args()
	if len(a) != 1 || strings.ContainsAny(a[0], "$\\") {
		return "", false
	}
	if strings.HasPrefix(a[0], "/") {
		return path.Clean(a[0]), true
	}
	if !known {
		return "", false
	}
	return path.Join(wd, a[0]), true
}

// certainlyMissing says why /name might exist at the end of stage st, or
// "" when it certainly does not (see CopyFromAbsolute's rationale).
func certainlyMissing(d *rewrite.Document, st *rewrite.Stage, name string) string {
	chain := stageChain(d, st)
	root := chain[len(chain)-1].Base
	has, known := imageRootHas(root, name)
	switch {
	case !known:
		return "the base image " + root + " is not one whose root dockopt knows"
	case has:
		return fmt.Sprintf("/%s is a standard directory of %s", name, root)
	}
	wd, wdKnown := imageWorkdir(root)
	for i := len(chain) - 1; i >= 0; i-- {
		for _, in := range chain[i].Instructions {
			at := fmt.Sprintf("line %d ", in.StartLine)
			switch in.Cmd {
			case "workdir":
				wd, wdKnown = nextWorkdir(wd, wdKnown, in)
				if !wdKnown {
					return at + "sets a WORKDIR dockopt cannot resolve"
				}
				if topLevel(wd) == name {
					return at + "creates /" + name
				}
			case "copy", "add":
				a := in.Args()
				if len(a) == 0 {
					continue
				}
				dest := a[len(a)-1]
				if !strings.HasPrefix(dest, "/") {
					if !wdKnown {
						return at + "copies to a relative path under an unknown WORKDIR"
					}
					dest = path.Join(wd, dest)
				}
				if strings.Contains(dest, "$") || path.Clean(dest) == "/" || topLevel(dest) == name {
					return at + "may copy into /" + name
				}
			case "run":
				if !wdKnown {
					return at + "runs in a working directory dockopt cannot resolve"
				}
				if why := runMayCreate(d, in, name, wd == "/"); why != "" {
					return at + why
				}
			case "env", "arg":
				for _, v := range in.Args() {
					if mentionsRootEntry(v, name) {
						return at + "sets a value that names /" + name + " or /"
					}
				}
			case "onbuild", "shell":
				return at + "has " + strings.ToUpper(in.Cmd) + ", whose effect dockopt does not follow"
			}
		}
	}
	return ""
}

func topLevel(p string) string {
	return strings.Split(strings.TrimPrefix(path.Clean(p), "/"), "/")[0]
}

// mentionsRootEntry reports a value that is the root directory, names
// /name, or climbs to a parent directory.
func mentionsRootEntry(v, name string) bool {
	if strings.Contains(v, "..") {
		return true
	}
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == '=' || r == ':' || r == ' ' || r == ',' }) {
		if path.Clean(f) == "/" {
			return true
		}
	}
	for i := 0; ; {
		j := strings.Index(v[i:], "/"+name)
		if j < 0 {
			return false
		}
		at, end := i+j, i+j+1+len(name)
		// A path that starts here (not /go/name, which only ends in it).
		starts := at == 0 || !pathChar(v[at-1]) || at == 2 && v[0] == '-' // -o/name
		if starts && (end == len(v) || !pathChar(v[end]) || v[end] == '/') {
			return true
		}
		i = at + 1
	}
}

func pathChar(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || strings.IndexByte("._-~+@", b) >= 0
}

// runMayCreate says why a RUN may create /name ("" when it cannot, under
// the assumption that commands write only where their words point, and
// build tools also where their default outputs go). inRoot: the RUN works in
// /, where a relative word such as `name` or `name.c` may mean /name.
func runMayCreate(d *rewrite.Document, in *rewrite.Instruction, name string, inRoot bool) string {
	word := func(v string) string {
		switch {
		case mentionsRootEntry(v, name):
			return "runs a command with an argument naming /" + name + ", / or a parent directory"
		case inRoot && namesRelative(v, name):
			return "runs in / a command whose argument " + v + " may write /" + name
		}
		return ""
	}
	program := func(v string) string {
		if inRoot && (buildTools[path.Base(v)] || path.Base(v) == "make") {
			return "runs " + path.Base(v) + " in /, where its default output may be /" + name
		}
		return ""
	}
	if in.IsJSON() {
		for i, a := range in.Args() {
			if why := word(a); why != "" {
				return why
			}
			if i == 0 {
				if why := program(a); why != "" {
					return why
				}
			}
		}
		return ""
	}
	sh, err := d.Shell(in)
	if err != nil {
		return "has a RUN dockopt cannot read (" + err.Error() + ")"
	}
	why := ""
	syntax.Walk(sh.File, func(n syntax.Node) bool {
		if why != "" {
			return false
		}
		switch n := n.(type) {
		case *syntax.Word:
			v, ok := rewrite.WordLit(n)
			if !ok {
				why = "runs a word the shell computes (" + sh.Text(n) + ")"
			} else {
				why = word(v)
			}
			return false
		case *syntax.CallExpr:
			if len(n.Args) > 0 {
				v, _ := rewrite.WordLit(n.Args[0])
				why = program(v)
				if v == "cd" || v == "pushd" || v == "popd" {
					if len(n.Args) != 2 {
						why = "changes directory to one dockopt cannot tell"
					} else if a, _ := rewrite.WordLit(n.Args[1]); a == "-" || strings.HasPrefix(a, "~") {
						why = "changes directory to one dockopt cannot tell"
					}
				}
			}
		}
		return true
	})
	return why
}

// namesRelative reports a word that may name the relative path name: name
// itself, name/..., name.ext (compilers name outputs after inputs), also
// after an option prefix (-oname, --out=name).
func namesRelative(v, name string) bool {
	if _, after, ok := strings.Cut(v, "="); ok && strings.HasPrefix(v, "-") {
		v = after
	} else if strings.HasPrefix(v, "-") && len(v) > 2 {
		v = v[2:]
	}
	v = strings.TrimPrefix(path.Clean(v), "./")
	first := strings.Split(v, "/")[0]
	return first == name || strings.TrimSuffix(first, path.Ext(first)) == name
}

// argEdit replaces the argument token old of a shell-form COPY with new. The
// token must be written plainly (no quotes or escapes) and on one line.
func argEdit(d *rewrite.Document, in *rewrite.Instruction, old, new string) (rewrite.Edit, error) {
	if strings.ContainsAny(old, " \t\"'`\\$") {
		return rewrite.Edit{}, fmt.Errorf("the source is quoted or escaped")
	}
	l, ok := d.Logical(in)
	if !ok {
		return rewrite.Edit{}, fmt.Errorf("its source could not be mapped")
	}
	t := l.Text
	var found []int
	for i := 0; i < len(t); {
		for i < len(t) && (t[i] == ' ' || t[i] == '\t') {
			i++
		}
		j := i
		for j < len(t) && t[j] != ' ' && t[j] != '\t' {
			j++
		}
		if t[i:j] == old {
			found = append(found, i)
		}
		i = j
	}
	if len(found) != 1 {
		return rewrite.Edit{}, fmt.Errorf("%q is written more than once", old)
	}
	start, end := l.Src(found[0]), l.SrcAfter(found[0]+len(old))
	if string(d.Src[start:end]) != old {
		return rewrite.Edit{}, fmt.Errorf("the source spans a line continuation")
	}
	return rewrite.Edit{Start: start, End: end, New: new}, nil
}
