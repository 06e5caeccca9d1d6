package transforms

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/dockopt/dockopt/rewrite"
)

// SlimBase switches the image of the stage that ships to the slim variant of
// the same official image and version (python:3.12 -> python:3.12-slim), or a
// JDK to its JRE, when nothing the stages on top of it call needs what the
// full image adds.
var SlimBase = &rewrite.Transform{
	ID:      "slim-base",
	Summary: "Switch the shipped stage's official image to its slim (or JRE) variant when the stage provably needs nothing the full image adds.",
	Rationale: `The full python, node and ruby images are built on buildpack-deps: compilers, make, git, curl, ` +
		`wget, ssh, procps and hundreds of MB of -dev headers that an application rarely needs at run time; ` +
		`the slim tag of the same version has only the language runtime (python:3.12 is about 1 GB, ` +
		`python:3.12-slim about 130 MB). A JDK image carries a compiler and tools a service that only ` +
		`runs java never uses. dockopt reads every command the stage and the stages built FROM it run ` +
		`(RUN, CMD, ENTRYPOINT, HEALTHCHECK, ONBUILD, sh -c strings, heredocs, package.json scripts) and ` +
		`switches only when each is in the slim image or installed by the stage before use, and no ` +
		`pip/npm/gem install is left without the compiler it may need (unless ` +
		`slim-base.assume-prebuilt=true). It keeps the version and distribution exactly, never touches ` +
		`builder stages, digest-pinned or ARG-templated images, or tags that already are slim, alpine or ` +
		`distroless, and says why.`,
	Before: `FROM python:3.12
COPY app.py /app/
CMD ["python", "/app/app.py"]
`,
	After: `FROM python:3.12-slim
COPY app.py /app/
CMD ["python", "/app/app.py"]
`,
	Default: false,
	Hints:   []string{"python", "node", "ruby", "debian", "openjdk", "temurin", "php", "$"}, // "$": ARG-templated FROMs get a note
	Run:     runSlimBase,
}

func runSlimBase(p *rewrite.Pass) {
	d := p.Doc
	if len(d.Stages) == 0 {
		return
	}
	final := d.Stages[len(d.Stages)-1]
	chain := append([]*rewrite.Stage{final}, ancestors(d, final)...)
	root := chain[len(chain)-1]
	for _, st := range d.Stages {
		if parent := d.StageByName(st.Base); parent != nil && parent.Index < st.Index {
			continue // FROM <stage>: its image is its parent's
		}
		t := slimTargetOf(st.Base)
		if t.img == nil && t.why == "" {
			continue // not an image slim-base knows
		}
		if st != root {
			if t.to != "" {
				p.Skip(st.From, fmt.Sprintf("%s stays: the stage is a builder (only the final stage's image ships)", st.Base))
			}
			continue
		}
		if strings.Contains(st.Base, "$") {
			if why := slimArgWhy(d, st.Base); why != "" {
				p.Skip(st.From, why)
			}
			continue
		}
		if t.why != "" {
			p.Skip(st.From, fmt.Sprintf("%s stays: %s", st.Base, t.why))
			continue
		}
		slimStage(p, st, t)
	}
}

// slimStage switches st's image when the stages on it allow it.
func slimStage(p *rewrite.Pass, st *rewrite.Stage, t slimTarget) {
	d := p.Doc
	stages := append([]*rewrite.Stage{st}, descendants(d, st)...)
	if why := slimCopiedFrom(d, stages); why != "" {
		p.Skip(st.From, fmt.Sprintf("%s stays: %s", st.Base, why))
		return
	}
	if t.img.kind == slimJRE && !slimSetsCommand(stages) {
		p.Skip(st.From, fmt.Sprintf("%s stays: the image's own CMD (jshell) would run, and the JRE has no jshell", st.Base))
		return
	}
	u := newSlimUsage(p, t.img, t.to)
	if u.stages(d, stages) && t.img.kind != slimJRE {
		u.builtOnFull(d, stages)
	}
	if u.why != "" {
		p.Skip(st.From, fmt.Sprintf("%s stays: %s", st.Base, u.why))
		return
	}
	edit, ok := slimFromEdit(d, st, t.to)
	if !ok {
		p.Skip(st.From, fmt.Sprintf("%s could be %s, but its FROM line cannot be edited safely", st.Base, t.to))
		return
	}
	msg := fmt.Sprintf("%s -> %s: ", st.Base, t.to)
	switch t.img.kind {
	case slimJRE:
		msg += "the stages only run java, no JDK tool"
	case slimDebian:
		msg += "nothing reads the documentation, man pages or translations the slim image leaves out"
	default:
		msg += "nothing the stages run needs what the full image adds (compilers, git, curl, -dev headers, ...)"
	}
	if len(u.notes) > 0 {
		msg += "; " + strings.Join(u.notes, "; ")
	}
	p.Fix(st.From, msg, edit)
}

// slimCopiedFrom says which stage copies files out of stages: they could be
// files only the full image has.
func slimCopiedFrom(d *rewrite.Document, stages []*rewrite.Stage) string {
	in := map[*rewrite.Stage]bool{}
	for _, s := range stages {
		in[s] = true
	}
	for _, x := range d.Instructions {
		for _, f := range x.Flags() {
			name, v, ok := strings.Cut(f, "=")
			if !ok {
				continue
			}
			var ref string
			switch {
			case (x.Cmd == "copy" || x.Cmd == "add") && name == "--from":
				ref = v
			case x.Cmd == "run" && name == "--mount":
				for _, kv := range strings.Split(v, ",") {
					if k, val, _ := strings.Cut(kv, "="); k == "from" {
						ref = val
					}
				}
			}
			if ref == "" {
				continue
			}
			if src := d.StageByName(ref); src != nil && in[src] {
				return fmt.Sprintf("line %d copies files out of stage %q, which may be files only the full image has", x.StartLine, ref)
			}
		}
	}
	return ""
}

// slimSetsCommand reports whether a stage sets CMD or ENTRYPOINT.
func slimSetsCommand(stages []*rewrite.Stage) bool {
	for _, s := range stages {
		for _, in := range s.Instructions {
			if in.Cmd == "cmd" || in.Cmd == "entrypoint" {
				return true
			}
		}
	}
	return false
}

var reArgRef = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?`)

// slimArgWhy says why an image named with build arguments stays, when its
// default value is an image slim-base knows ("" otherwise).
func slimArgWhy(d *rewrite.Document, ref string) string {
	var parts []string
	unknown := false
	expanded := reArgRef.ReplaceAllStringFunc(ref, func(m string) string {
		name := reArgRef.FindStringSubmatch(m)[1]
		for _, a := range d.MetaArgs {
			for _, kv := range a.Args() {
				if k, v, eq := strings.Cut(kv, "="); k == name && eq {
					parts = append(parts, fmt.Sprintf("ARG %s defaults to %q, but --build-arg may set anything", name, v))
					return v
				}
			}
		}
		parts = append(parts, fmt.Sprintf("ARG %s has no default", name))
		unknown = true
		return ""
	})
	repo := hubRepository(expanded)
	if _, known := slimImages[repo]; !known && !unknown {
		return "" // some other image
	}
	return fmt.Sprintf("%s stays: its value is only known at build time (%s)", ref, strings.Join(parts, "; "))
}

// slimFromEdit replaces the image reference of st's FROM by to, touching
// nothing else of the line.
func slimFromEdit(d *rewrite.Document, st *rewrite.Stage, to string) (rewrite.Edit, bool) {
	l, ok := d.Logical(st.From)
	if !ok {
		return rewrite.Edit{}, false
	}
	text := l.Text
	i := 0
	word := func() (int, int) {
		for i < len(text) && unicode.IsSpace(rune(text[i])) {
			i++
		}
		start := i
		for i < len(text) && !unicode.IsSpace(rune(text[i])) {
			i++
		}
		return start, i
	}
	word() // FROM
	for {
		s, e := word()
		if s == e {
			return rewrite.Edit{}, false
		}
		if strings.HasPrefix(text[s:e], "--") {
			continue
		}
		if text[s:e] != st.Base {
			return rewrite.Edit{}, false
		}
		start, end := l.Src(s), l.SrcAfter(e)
		if string(d.Src[start:end]) != st.Base {
			return rewrite.Edit{}, false // split by a line continuation
		}
		return rewrite.Edit{Start: start, End: end, New: to}, true
	}
}
