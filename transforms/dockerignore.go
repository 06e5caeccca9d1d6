package transforms

import (
	"bytes"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"

	"github.com/dockopt/dockopt/rewrite"
)

// Dockerignore creates or extends the build context's ignore file when the
// Dockerfile copies the whole context, with what the build provably never
// reads.
var Dockerignore = &rewrite.Transform{
	ID:      "dockerignore",
	Summary: "When the Dockerfile copies the whole build context, create or extend its .dockerignore with what the build provably never reads.",
	Rationale: "`COPY . .` sends and copies everything in the build context: the .git history, a host node_modules " +
		"or virtualenv, caches, editor settings, logs and .env files with their secrets. They make the context " +
		"upload and the image larger, and each commit or file save invalidates the layer cache of the COPY. " +
		"dockopt walks the context with BuildKit's own matcher and appends to the ignore file (.dockerignore, " +
		"or <Dockerfile>.dockerignore when several Dockerfiles share the context) only candidates that exist " +
		"and that no COPY/ADD names, no RUN, CMD or script reads (git describe, go build and version-stamping " +
		"build files keep .git; node_modules and virtualenvs only go when the build installs its own; .env " +
		"stays when the app loads it with dotenv), and none that a `!` rule of the file re-includes. It " +
		"never reorders or rewrites existing lines, and reports the context size before and after.",
	Before: `FROM node:20-slim
WORKDIR /app
COPY . .
RUN npm ci --omit=dev
CMD ["node", "server.js"]
`,
	After: `# .dockerignore (created; the Dockerfile is unchanged)
# Added by dockopt (dockerignore): not read by the build
.git
**/node_modules
.env
.dockerignore
Dockerfile
`,
	Default: false,
	Hints:   []string{"copy", "add"},
	Run:     runDockerignore,
}

// diCandidate is a line dockopt may add, and when.
type diCandidate struct {
	pattern string
	why     string // why it is not needed, for the finding
	secret  bool
}

func runDockerignore(p *rewrite.Pass) {
	if p.Settings == nil || p.Settings.ContextDir == "" || p.Doc.Path == "" || p.Doc.Path == "-" {
		return
	}
	b := &diBuild{d: p.Doc}
	for _, in := range p.Doc.Instructions {
		if in.Cmd == "copy" || in.Cmd == "add" {
			b.copySources(in)
		}
	}
	if len(b.whole) == 0 {
		return
	}
	at := b.whole[0]
	ctxDir := p.Settings.ContextDir
	if st, err := os.Stat(ctxDir); err != nil || !st.IsDir() {
		return
	}
	target, seed, err := diTarget(p, ctxDir)
	if err != nil {
		p.Skip(at, "the ignore file cannot be read: "+err.Error())
		return
	}
	old, exists, err := p.ReadFile(target)
	if err != nil {
		p.Skip(at, "the ignore file cannot be read: "+err.Error())
		return
	}
	base := old // the rules in effect: the file, or the .dockerignore a new one starts from
	if !exists {
		base = seed
	}
	patterns, err := ignorefile.ReadAll(bytes.NewReader(base))
	if err != nil {
		p.Skip(at, "the ignore file cannot be read: "+err.Error())
		return
	}
	var existing *patternmatcher.PatternMatcher
	if len(patterns) > 0 {
		if existing, err = patternmatcher.New(patterns); err != nil {
			p.Skip(at, "the ignore file has a pattern BuildKit rejects: "+err.Error())
			return
		}
	}
	ctx, err := diWalk(ctxDir, existing)
	if err != nil {
		if diIsTooLarge(err) {
			p.Skip(at, err.Error()+": not measured, nothing added")
		} else {
			p.Skip(at, "the build context cannot be read: "+err.Error())
		}
		return
	}
	b = newDiBuild(p.Doc, ctx)
	add, notes := diChoose(b, ctx, existing, p, target, ctxDir)
	for _, n := range notes {
		p.Skip(at, n)
	}
	if len(add) == 0 {
		return
	}
	var lines []string
	for _, c := range add {
		lines = append(lines, c.pattern)
	}
	after, err := patternmatcher.New(append(append([]string(nil), patterns...), lines...))
	if err != nil {
		return
	}
	fb, bb := ctx.size(nil)
	fa, ba := ctx.size(after)

	content := diAppend(base, lines)
	var whats []string
	for _, c := range add {
		whats = append(whats, c.pattern+" ("+c.why+")")
	}
	rel := diRel(filepath.Dir(p.Doc.Path), target)
	verb := "appended to " + rel
	switch {
	case !exists && seed != nil:
		verb = "created " + rel + " (starting with a copy of the context's .dockerignore, which BuildKit no longer reads for this Dockerfile)"
	case !exists:
		verb = "created " + rel
	}
	msg := fmt.Sprintf("%s %s sends the whole build context; %s: %s; context %s, %s -> %s, %s",
		strings.ToUpper(at.Cmd), strings.Join(at.Args()[:len(at.Args())-1], " "), verb, strings.Join(whats, ", "),
		diFiles(fb), diHuman(bb), diFiles(fa), diHuman(ba))
	var orig []byte
	if exists {
		orig = old
	}
	p.FixFile(at, msg, target, orig, content)
}

func diFiles(n int) string {
	if n == 1 {
		return "1 file"
	}
	return fmt.Sprintf("%d files", n)
}

// diTarget is the ignore file to extend: <Dockerfile>.dockerignore when it
// exists (BuildKit reads it first) or when the context may serve other
// Dockerfiles (another one beside it, or the Dockerfile is not at the
// context's root); a new one starts with a copy of the context's
// .dockerignore, whose rules BuildKit would otherwise no longer apply.
// Else the context's .dockerignore.
func diTarget(p *rewrite.Pass, ctxDir string) (target string, seed []byte, err error) {
	df := p.Doc.Path
	own := df + ".dockerignore"
	if _, exists, err := p.ReadFile(own); err != nil || exists {
		return own, nil, err
	}
	shared := diOtherDockerfiles(filepath.Dir(df), filepath.Base(df)) || !diSameDir(filepath.Dir(df), ctxDir)
	root := filepath.Join(ctxDir, ".dockerignore")
	if !shared {
		return root, nil, nil
	}
	seed, exists, err := p.ReadFile(root)
	if err != nil {
		return "", nil, err
	}
	if !exists {
		seed = nil
	}
	return own, seed, nil
}

// diOtherDockerfiles reports whether dir holds a Dockerfile other than self.
func diOtherDockerfiles(dir, self string) bool {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range ents {
		if e.Name() != self && !e.IsDir() && rewrite.IsDockerfileName(e.Name()) {
			return true
		}
	}
	return false
}

func diSameDir(a, b string) bool {
	x, err1 := filepath.Abs(a)
	y, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && filepath.Clean(x) == filepath.Clean(y)
}

// diRel names target for messages, relative to the Dockerfile's directory.
func diRel(dir, target string) string {
	if r, err := filepath.Rel(dir, target); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return target
}

// diAppend adds lines after the existing content, keeping its bytes and its
// line endings (CRLF when it uses them), after a final newline it may lack.
func diAppend(old []byte, lines []string) []byte {
	nl := "\n"
	if bytes.Contains(old, []byte("\r\n")) {
		nl = "\r\n"
	}
	out := append([]byte(nil), old...)
	if len(out) > 0 && out[len(out)-1] != '\n' {
		out = append(out, nl...)
	}
	out = append(out, "# Added by dockopt (dockerignore): not read by the build"+nl...)
	for _, l := range lines {
		out = append(out, l+nl...)
	}
	return out
}

// diChoose picks the candidates to add, and notes what a user would want
// to know about the ones kept.
func diChoose(b *diBuild, ctx *diContext, existing *patternmatcher.PatternMatcher, p *rewrite.Pass, target, ctxDir string) (add []diCandidate, notes []string) {
	var exceptions []string
	if existing != nil {
		for _, pt := range existing.Patterns() {
			if pt.Exclusion() {
				exceptions = append(exceptions, strings.TrimPrefix(pt.String(), "!"))
			}
		}
	}
	consider := func(c diCandidate, keep string) {
		entries := ctx.matching(c.pattern)
		if len(entries) == 0 {
			return // not in the context (or already excluded)
		}
		if keep == "" {
			keep = diNamed(b, ctx, c.pattern)
		}
		if keep == "" {
			keep = diReincluded(ctx, c.pattern, exceptions)
		}
		if keep != "" {
			if c.secret || c.pattern == ".git" {
				notes = append(notes, fmt.Sprintf("%s stays in the context: %s", c.pattern, keep))
			}
			return
		}
		add = append(add, c)
	}

	vcs := b.readsVCS()
	for _, v := range []string{".git", ".hg", ".svn"} {
		consider(diCandidate{pattern: v, why: "version control history"}, vcs)
	}
	consider(diCandidate{pattern: "**/node_modules", why: "the build installs its own"}, b.nodeKeep())
	consider(diCandidate{pattern: "**/__pycache__", why: "Python bytecode cache"}, b.mentionKeep("__pycache__", nil))
	consider(diCandidate{pattern: "**/*.py[co]", why: "Python bytecode"}, b.pycKeep(ctx))
	for _, v := range []string{".venv", "venv"} {
		if _, ok := ctx.readFile(v + "/pyvenv.cfg"); ok {
			consider(diCandidate{pattern: v, why: "the build makes its own environment"}, b.producedKeep(v, diMakesVenv, "makes no virtual environment of its own"))
		}
	}
	if _, cargo := ctx.has("Cargo.toml"); cargo {
		consider(diCandidate{pattern: "target", why: "cargo builds it in the image"}, b.producedKeep("target", func(c diCmd) bool { return c.name == "cargo" && diBuildsTarget(c) }, "does not run cargo"))
	} else if _, mvn := ctx.has("pom.xml"); mvn {
		consider(diCandidate{pattern: "target", why: "maven builds it in the image"}, b.producedKeep("target", func(c diCmd) bool { return c.name != "cargo" && diBuildsTarget(c) }, "does not run maven"))
	}
	for _, v := range []string{".idea", ".vscode"} {
		consider(diCandidate{pattern: v, why: "editor settings"}, b.mentionKeep(v, nil))
	}
	consider(diCandidate{pattern: "**/.DS_Store", why: "Finder metadata"}, b.mentionKeep(".DS_Store", nil))
	for _, e := range ctx.entries {
		if !e.dir && !strings.Contains(e.rel, "/") && strings.HasSuffix(e.rel, ".log") {
			consider(diCandidate{pattern: "*.log", why: "logs"}, b.mentionKeep("", func(s string) bool { return strings.HasSuffix(s, ".log") }))
			break
		}
	}
	for _, e := range ctx.entries {
		if e.dir || strings.Contains(e.rel, "/") || !diIsEnvFile(e.rel) {
			continue
		}
		keep := b.mentionKeep("", func(s string) bool { return s == e.rel })
		if keep == "" {
			keep = diDotenv(ctx)
		}
		consider(diCandidate{pattern: e.rel, why: "it may hold secrets, which do not belong in an image", secret: true}, keep)
	}
	if len(add) == 0 {
		return nil, notes // the ignore file and the Dockerfile alone are not worth a file
	}
	// The ignore file and the Dockerfile: BuildKit reads them anyway.
	for _, f := range []string{target, p.Doc.Path} {
		abs, err1 := filepath.Abs(f)
		root, err2 := filepath.Abs(ctxDir)
		if err1 != nil || err2 != nil {
			continue
		}
		rel, err := filepath.Rel(root, abs)
		if err != nil || strings.HasPrefix(rel, "..") || strings.ContainsAny(rel, "*?[\\!#") {
			continue
		}
		rel = filepath.ToSlash(rel)
		keep := b.mentionKeep(path.Base(rel), nil)
		if f == target {
			// It exists once dockopt writes it (it may be only pending).
			if _, ok := ctx.has(rel); !ok {
				excluded := false
				if existing != nil {
					excluded, _ = existing.MatchesOrParentMatches(rel)
				}
				if !excluded && keep == "" && diNamed(b, ctx, rel) == "" {
					add = append(add, diCandidate{pattern: rel, why: "BuildKit reads it without copying it"})
				}
				continue
			}
		}
		consider(diCandidate{pattern: rel, why: "BuildKit reads it without copying it"}, keep)
	}
	return add, notes
}

// diIsEnvFile: .env and .env.<name>, but not the templates meant to be
// shipped (.env.example, .env.sample, .env.template, .env.dist).
func diIsEnvFile(name string) bool {
	if name == ".env" {
		return true
	}
	if !strings.HasPrefix(name, ".env.") {
		return false
	}
	switch strings.TrimPrefix(name, ".env.") {
	case "example", "sample", "template", "dist", "defaults", "default", "schema":
		return false
	}
	return true
}

// diDotenv says why .env files may be read at run time, or "".
func diDotenv(ctx *diContext) string {
	for _, f := range []string{"package.json", "requirements.txt", "pyproject.toml", "Pipfile", "Gemfile", "composer.json", "go.mod"} {
		if text, ok := ctx.readFile(f); ok && bytes.Contains(bytes.ToLower(text), []byte("dotenv")) {
			return f + " uses dotenv, so the application may load it at run time (it then ships its secrets in the image)"
		}
	}
	return ""
}

// diNamed says which COPY, ADD or bind mount names a path the pattern
// excludes, or "".
func diNamed(b *diBuild, ctx *diContext, pattern string) string {
	pm, err := patternmatcher.New([]string{pattern})
	if err != nil {
		return "the pattern cannot be checked"
	}
	for _, src := range b.named {
		if m, _ := pm.MatchesOrParentMatches(src); m {
			return "a COPY, ADD or bind mount names " + src
		}
		if strings.ContainsAny(src, "*?[") {
			for _, e := range ctx.entries {
				if ok, _ := path.Match(src, e.rel); ok {
					if m, _ := pm.MatchesOrParentMatches(e.rel); m {
						return "a COPY, ADD or bind mount names " + src
					}
				}
			}
		}
	}
	return ""
}

// diReincluded says which `!` rule of the ignore file re-includes a path
// the pattern would exclude again (appended last, it would win), or "".
func diReincluded(ctx *diContext, pattern string, exceptions []string) string {
	if len(exceptions) == 0 {
		return ""
	}
	pm, err := patternmatcher.New([]string{pattern})
	if err != nil {
		return "the pattern cannot be checked"
	}
	for _, ex := range exceptions {
		xm, err := patternmatcher.New([]string{ex})
		if err != nil {
			return "the ignore file's !" + ex + " cannot be checked"
		}
		for _, e := range ctx.entries {
			if m, _ := pm.MatchesOrParentMatches(e.rel); !m {
				continue
			}
			if m, _ := xm.MatchesOrParentMatches(e.rel); m {
				return "the ignore file re-includes " + e.rel + " with !" + ex
			}
		}
	}
	return ""
}

// mentionKeep says which command names a path component equal to name (or
// for which match is true), or "".
func (b *diBuild) mentionKeep(name string, match func(string) bool) string {
	if match == nil {
		match = func(s string) bool { return s == name }
	}
	if w := b.mentions(match, nil); w != "" {
		return w + " names it"
	}
	return ""
}

// nodeKeep: node_modules goes only when every stage that copies the whole
// context installs its own (in the stage, a stage it is built FROM, or one
// built FROM it), and no command names node_modules before the first
// install.
func (b *diBuild) nodeKeep() string {
	first := b.runs(diInstallsNode)
	if first < 0 {
		return "the build installs no Node dependencies of its own"
	}
	installs := map[*rewrite.Stage]bool{}
	for _, c := range b.cmds {
		if diInstallsNode(c) && c.in.Stage != nil {
			installs[c.in.Stage] = true
		}
	}
	for _, in := range b.whole {
		st := in.Stage
		ok := installs[st]
		for _, s := range append(ancestors(b.d, st), descendants(b.d, st)...) {
			ok = ok || installs[s]
		}
		if !ok {
			return fmt.Sprintf("the stage of line %d copies it and installs no Node dependencies", in.StartLine)
		}
	}
	if w := b.mentions(func(s string) bool { return s == "node_modules" }, func(i int, _ diCmd) bool { return i >= first }); w != "" {
		return w + " names it before the build installs its own"
	}
	return ""
}

// producedKeep: a directory the build makes itself (a virtualenv, target/)
// goes when a command makes it, and nothing names it before that command
// (its own arguments aside).
func (b *diBuild) producedKeep(name string, makes func(diCmd) bool, none string) string {
	first := b.runs(makes)
	if first < 0 {
		return "the build " + none
	}
	if w := b.mentions(func(s string) bool { return s == name }, func(i int, _ diCmd) bool { return i >= first }); w != "" {
		return w + " names it before the build makes its own"
	}
	return ""
}

// pycKeep: bytecode goes unless a command names it or a .pyc has no source
// beside it (a sourceless distribution).
func (b *diBuild) pycKeep(ctx *diContext) string {
	if w := b.mentionKeep("", func(s string) bool { return strings.HasSuffix(s, ".pyc") || strings.HasSuffix(s, ".pyo") }); w != "" {
		return w
	}
	for _, e := range ctx.matching("**/*.py[co]") {
		dir, file := path.Split(e.rel)
		src := strings.TrimSuffix(strings.TrimSuffix(file, ".pyc"), ".pyo")
		if path.Base(dir) == "__pycache__" {
			dir = path.Dir(strings.TrimSuffix(dir, "/")) + "/"
			src, _, _ = strings.Cut(src, ".") // mod.cpython-311
		}
		if _, ok := ctx.has(strings.TrimPrefix(path.Join(dir, src+".py"), "./")); !ok {
			return e.rel + " has no source file beside it"
		}
	}
	return ""
}
