package transforms

// dockerignore: what the build reads from its context. Every command of
// every RUN, CMD, ENTRYPOINT, HEALTHCHECK and ONBUILD is read through the
// shell parser (inside `sh -c` strings and heredocs); text it cannot read is
// scanned word by word. A candidate that any of it may read stays in the
// context.

import (
	"encoding/json"
	"path"
	"regexp"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/dockopt/dockopt/rewrite"
)

// diOpaque is text of an instruction that the shell parser could not read.
type diOpaque struct {
	in   *rewrite.Instruction
	text string
}

func (b *diBuild) opaqueAdd(in *rewrite.Instruction, text string) {
	b.opaque = append(b.opaque, diOpaque{in, text})
}

// diCmd is one command the build runs, in file order.
type diCmd struct {
	in   *rewrite.Instruction
	name string   // base name of the program
	prog string   // the program as written
	args []string // literal arguments ("\x00" for a computed one)
}

// diBuild is what a Dockerfile does with its build context.
type diBuild struct {
	d      *rewrite.Document
	ctx    *diContext
	whole  []*rewrite.Instruction // COPY/ADD of the whole context
	dests  []string               // their destinations, for paths a RUN names
	named  []string               // other context sources of COPY, ADD and RUN --mount (cleaned)
	cmds   []diCmd
	opaque []diOpaque // text that could not be parsed (scanned for words)
	// computed is a command whose name the shell computes: it could be
	// anything, git included.
	computed string
}

func newDiBuild(d *rewrite.Document, ctx *diContext) *diBuild {
	b := &diBuild{d: d, ctx: ctx}
	for _, in := range d.Instructions {
		switch in.Cmd {
		case "copy", "add":
			b.copySources(in)
		case "run", "cmd", "entrypoint":
			b.mountSources(in)
			b.node(in, in.Node.Next, in.IsJSON(), in.Node.Heredocs)
		case "healthcheck":
			if n := in.Node.Next; n != nil && strings.EqualFold(n.Value, "cmd") {
				b.node(in, n.Next, in.IsJSON(), nil)
			}
		case "onbuild":
			// Runs in the builds of images made FROM this one: their
			// commands may read what this image holds.
			if n := in.Node.Next; n != nil && len(n.Children) == 1 {
				c := n.Children[0]
				switch strings.ToLower(c.Value) {
				case "run", "cmd", "entrypoint":
					b.node(in, c.Next, c.Attributes["json"], c.Heredocs)
				default:
					b.opaqueAdd(in, c.Original)
				}
			}
		}
	}
	return b
}

// copySources records what a COPY or ADD takes from the context.
func (b *diBuild) copySources(in *rewrite.Instruction) {
	for _, f := range in.Flags() {
		if strings.HasPrefix(f, "--from") {
			return
		}
	}
	args := in.Args()
	if in.HasHeredoc() || len(args) < 2 {
		return
	}
	for _, src := range args[:len(args)-1] {
		if strings.Contains(src, "://") || strings.HasPrefix(src, "git@") {
			continue
		}
		clean := diClean(src)
		if clean == "." {
			if len(b.whole) == 0 || b.whole[len(b.whole)-1] != in {
				b.whole = append(b.whole, in)
				b.dests = append(b.dests, args[len(args)-1])
			}
			continue
		}
		b.named = append(b.named, clean)
	}
}

// mountSources records RUN --mount=type=bind sources from the context (a
// bind mount without a source is the whole context).
func (b *diBuild) mountSources(in *rewrite.Instruction) {
	for _, f := range in.Flags() {
		name, v, _ := strings.Cut(f, "=")
		if name != "--mount" {
			continue
		}
		typ, src, from := "bind", ".", ""
		for _, kv := range strings.Split(v, ",") {
			k, val, _ := strings.Cut(kv, "=")
			switch k {
			case "type":
				typ = val
			case "source", "src":
				src = val
			case "from":
				from = val
			}
		}
		if typ == "bind" && from == "" {
			b.named = append(b.named, diClean(src))
		}
	}
}

// diClean is a COPY source relative to the context root.
func diClean(src string) string {
	if c := strings.TrimPrefix(path.Clean("/"+src), "/"); c != "" {
		return c
	}
	return "."
}

// node reads the command of a RUN, CMD, ENTRYPOINT or HEALTHCHECK CMD.
func (b *diBuild) node(in *rewrite.Instruction, args *parser.Node, isJSON bool, heredocs []parser.Heredoc) {
	if args == nil {
		return
	}
	if isJSON {
		var argv []string
		for n := args; n != nil; n = n.Next {
			argv = append(argv, n.Value)
		}
		b.argv(in, argv, 0)
		return
	}
	if !b.d.POSIXShell(in) {
		b.opaqueAdd(in, in.Node.Original)
		return
	}
	body := args.Value
	if len(heredocs) > 0 {
		if strings.TrimSpace(reHeredocMarker.ReplaceAllString(body, "")) == "" {
			// RUN <<EOF: the heredoc is the script (a shell, unless a #!
			// names another interpreter: then only scanned).
			script := heredocs[0].Content
			if first, _, _ := strings.Cut(script, "\n"); strings.HasPrefix(first, "#!") && !slimShells[path.Base(strings.Fields(first + " x")[0])] {
				b.opaqueAdd(in, script)
				return
			}
			b.shell(in, script, 0)
			return
		}
		for _, h := range heredocs {
			body += "\n" + h.Content + h.Name + "\n"
			b.opaqueAdd(in, h.Content) // data a program may read as code
		}
	}
	b.shell(in, body, 0)
}

// shell reads a shell body.
func (b *diBuild) shell(in *rewrite.Instruction, body string, depth int) {
	cmds, err := slimCommands(body)
	if err != nil || depth > 8 {
		if err != nil && strings.HasPrefix(err.Error(), "runs ") && b.computed == "" {
			b.computed = err.Error()
		}
		b.opaqueAdd(in, body)
		if err != nil && strings.HasPrefix(err.Error(), "runs ") {
			// The rest was parsed: read it too.
			for _, c := range cmds {
				b.command(in, c, depth)
			}
		}
		return
	}
	for _, c := range cmds {
		b.command(in, c, depth)
	}
}

func (b *diBuild) command(in *rewrite.Instruction, c *rewrite.Command, depth int) {
	vals, ok := c.ArgLits()
	args := make([]string, len(vals))
	for i, v := range vals {
		if ok[i] {
			args[i] = v
		} else {
			args[i] = "\x00"
			b.opaqueAdd(in, wordSource(c.Args[i]))
		}
	}
	prog := c.Name
	if w := programNameWord(c); w != nil {
		prog, _ = rewrite.WordLit(w)
	}
	b.add(in, prog, args, depth)
}

func (b *diBuild) argv(in *rewrite.Instruction, argv []string, depth int) {
	if len(argv) > 0 {
		b.add(in, argv[0], argv[1:], depth)
	}
}

// add records a command, and reads the shell code it runs (sh -c, eval).
func (b *diBuild) add(in *rewrite.Instruction, prog string, args []string, depth int) {
	name := path.Base(prog)
	b.cmds = append(b.cmds, diCmd{in: in, name: name, prog: prog, args: args})
	switch {
	case slimShells[name]:
		for i, a := range args {
			if (a == "-c" || strings.HasPrefix(a, "-") && strings.HasSuffix(a, "c") && !strings.HasPrefix(a, "--")) && i+1 < len(args) {
				b.shell(in, args[i+1], depth+1)
				return
			}
		}
	case name == "eval":
		b.shell(in, strings.Join(args, " "), depth+1)
	}
}

// mentions reports whether a command argument or unparsed text names a path
// with a component for which match is true; skip leaves out commands (by
// index into b.cmds) whose mention does not count.
func (b *diBuild) mentions(match func(component string) bool, skip func(i int, c diCmd) bool) string {
	for i, c := range b.cmds {
		if skip != nil && skip(i, c) {
			continue
		}
		for _, w := range append([]string{c.prog}, c.args...) {
			if diWordMentions(w, match) {
				return strings.ToUpper(c.in.Cmd) + " at line " + itoa(c.in.StartLine)
			}
		}
	}
	for _, o := range b.opaque {
		for _, w := range reDiWords.FindAllString(o.text, -1) {
			if diWordMentions(w, match) {
				return strings.ToUpper(o.in.Cmd) + " at line " + itoa(o.in.StartLine) + " (read word by word: dockopt cannot parse it)"
			}
		}
	}
	return ""
}

var reDiWords = regexp.MustCompile(`[^\s"'` + "`" + `;&|()<>{}$]+`)

// diWordMentions splits a word into path components (at / and at the
// separators of assignments, lists and options) and tests each.
func diWordMentions(w string, match func(string) bool) bool {
	for _, part := range strings.FieldsFunc(w, func(r rune) bool { return strings.ContainsRune("/:=,", r) }) {
		if match(part) {
			return true
		}
	}
	return false
}

func itoa(n int) string {
	const digits = "0123456789"
	if n < 10 {
		return digits[n : n+1]
	}
	return itoa(n/10) + digits[n%10:n%10+1]
}

// runs reports the index of the first command for which fn is true, or -1.
func (b *diBuild) runs(fn func(c diCmd) bool) int {
	for i, c := range b.cmds {
		if fn(c) {
			return i
		}
	}
	return -1
}

// diSub is a command's first non-option argument and what follows it.
func diSub(args []string) (string, []string) {
	for i, a := range args {
		if !strings.HasPrefix(a, "-") {
			return a, args[i+1:]
		}
	}
	return "", nil
}

// installsNode: npm ci/install, yarn (install/add), pnpm install/add, bun install.
func diInstallsNode(c diCmd) bool {
	sub, _ := diSub(c.args)
	switch c.name {
	case "npm":
		return sub == "ci" || sub == "install" || sub == "i" || sub == "clean-install"
	case "yarn":
		return sub == "" || sub == "install" || sub == "add"
	case "pnpm", "bun":
		return sub == "install" || sub == "i" || sub == "add"
	}
	return false
}

// diMakesVenv: python -m venv, virtualenv, and the tools that create their
// own environment (uv, poetry, pipenv, pdm).
func diMakesVenv(c diCmd) bool {
	sub, _ := diSub(c.args)
	switch {
	case versionedName(c.name, "python") || versionedName(c.name, "python3"):
		return len(c.args) >= 2 && c.args[0] == "-m" && (c.args[1] == "venv" || c.args[1] == "virtualenv")
	case c.name == "virtualenv":
		return true
	case c.name == "uv":
		return sub == "venv" || sub == "sync"
	case c.name == "poetry", c.name == "pipenv", c.name == "pdm":
		return sub == "install" || sub == "sync"
	}
	return false
}

// diBuildsTarget: cargo and maven write target/.
func diBuildsTarget(c diCmd) bool {
	sub, _ := diSub(c.args)
	switch c.name {
	case "cargo":
		switch sub {
		case "build", "b", "install", "test", "t", "run", "r", "check", "c", "doc", "bench":
			return true
		}
	case "mvn", "mvnw":
		return sub != ""
	}
	return false
}

// vcsReaders are programs that may read version-control metadata of the
// directory they build, with the context files whose text shows whether
// they do (none: they always may).
var vcsReaders = map[string][]string{
	"go":     nil, // -buildvcs stamps binaries from .git
	"dotnet": nil, // SourceLink
	"make":   {"Makefile", "makefile", "GNUmakefile"},
	"gmake":  {"Makefile", "makefile", "GNUmakefile"},
	"cmake":  {"CMakeLists.txt"},
	"cargo":  {"build.rs", "Cargo.toml"},
	"mvn":    {"pom.xml"}, "mvnw": {"pom.xml"},
	"gradle":  {"build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts"},
	"gradlew": {"build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts"},
	"sbt":     {"build.sbt"},
	"ant":     {"build.xml"},
	"bundle":  {"Gemfile"}, "gem": {"Gemfile"}, "rake": {"Rakefile", "Gemfile"},
	"npm": {"package.json"}, "yarn": {"package.json"}, "pnpm": {"package.json"}, "npx": {"package.json"}, "bun": {"package.json"},
	"pip": {"pyproject.toml", "setup.py", "setup.cfg"}, "pip3": {"pyproject.toml", "setup.py", "setup.cfg"},
	"poetry": {"pyproject.toml"}, "pdm": {"pyproject.toml"}, "hatch": {"pyproject.toml"}, "flit": {"pyproject.toml"},
	"uv": {"pyproject.toml", "setup.py", "setup.cfg"}, "pipenv": {"Pipfile", "pyproject.toml", "setup.py"},
	"composer": nil,
}

// reVCSText finds a use of version control in a build file or script.
var reVCSText = regexp.MustCompile(`(?i)\b(git|hg|svn|bzr)\b|\.git\b|scm|versioneer|\bpbr\b|dunamai|vcs|husky|versioning|vergen|commit`)

// readsVCS says why the build may read .git (.hg, .svn), or "".
func (b *diBuild) readsVCS() string {
	if b.computed != "" {
		return "a RUN " + b.computed
	}
	isVCS := func(s string) bool {
		return s == ".git" || s == ".hg" || s == ".svn" || s == ".bzr" || s == ".gitmodules"
	}
	if w := b.mentions(isVCS, nil); w != "" {
		return w + " names it"
	}
	for _, c := range b.cmds {
		at := strings.ToUpper(c.in.Cmd) + " at line " + itoa(c.in.StartLine)
		switch c.name {
		case "git", "hg", "svn", "bzr", "gh":
			return at + " runs " + c.name
		}
		if c.name == "go" && diHasArgPrefix(c.args, "-buildvcs=false") {
			continue
		}
		files, known := vcsReaders[strings.TrimPrefix(c.name, "./")]
		if strings.HasPrefix(c.name, "pip") || c.name == "python" || c.name == "python3" {
			if !diLocalPythonInstall(c) {
				continue
			}
			files, known = vcsReaders["pip"], true
		}
		if known {
			if len(files) == 0 {
				return at + " runs " + c.name + ", which may read it"
			}
			if f := b.vcsIn(files); f != "" {
				return at + " runs " + c.name + ", and " + f + " mentions version control"
			}
			continue
		}
		// A script of the context, run as a program or by an interpreter:
		// at build time one that cannot be read may do anything; at run
		// time only a script that comes from the context is checked.
		if script := b.scriptOf(c); script != "" {
			text, ok := b.ctx.readFile(b.contextPath(script))
			switch {
			case !ok && (c.in.Cmd == "run" || c.in.Cmd == "onbuild"):
				return at + " runs " + script + ", which dockopt cannot read"
			case ok && reVCSText.Match(text):
				return at + " runs " + script + ", which mentions version control"
			}
		}
	}
	return ""
}

// vcsIn names the first of files (context paths; *.gemspec for any gemspec
// at the root) whose text mentions version control. Of package.json only
// the scripts count: its repository field names git for most packages.
func (b *diBuild) vcsIn(files []string) string {
	for _, f := range files {
		names := []string{f}
		if f == "Gemfile" {
			for _, e := range b.ctx.entries {
				if !strings.Contains(e.rel, "/") && strings.HasSuffix(e.rel, ".gemspec") {
					names = append(names, e.rel)
				}
			}
		}
		for _, n := range names {
			text, ok := b.ctx.readFile(n)
			if !ok {
				continue
			}
			if n == "package.json" {
				var pkg struct {
					Scripts map[string]string `json:"scripts"`
				}
				if json.Unmarshal(text, &pkg) != nil {
					return n // unreadable: it may
				}
				text = nil
				for _, s := range pkg.Scripts {
					text = append(append(text, s...), '\n')
				}
			}
			if reVCSText.Match(text) {
				return n
			}
		}
	}
	return ""
}

func diHasArgPrefix(args []string, p string) bool {
	for _, a := range args {
		if strings.HasPrefix(a, p) {
			return true
		}
	}
	return false
}

// diLocalPythonInstall: pip install of a local project (., a path, -e) or
// of a requirements file, setup.py, python -m build: setuptools-scm and the
// like read .git to find the version.
func diLocalPythonInstall(c diCmd) bool {
	args := c.args
	if c.name == "python" || c.name == "python3" {
		switch {
		case len(args) >= 1 && path.Base(args[0]) == "setup.py":
			return true
		case len(args) >= 2 && args[0] == "-m" && args[1] == "build":
			return true
		case len(args) >= 2 && args[0] == "-m" && strings.HasPrefix(args[1], "pip"):
			args = args[2:]
		default:
			return false
		}
	}
	sub, rest := diSub(args)
	if sub != "install" && sub != "wheel" {
		return false
	}
	for _, a := range rest {
		if a == "-e" || a == "--editable" || a == "-r" || a == "--requirement" || a == "." || strings.HasPrefix(a, "./") || strings.HasPrefix(a, "/") || strings.HasPrefix(a, "-e") {
			return true
		}
	}
	return false
}

// scriptOf is the context script a command runs: ./build.sh, scripts/x,
// sh x.sh, python tools/gen.py, . ./env.sh; "" when none.
func (b *diBuild) scriptOf(c diCmd) string {
	switch {
	case c.name == "." || c.name == "source":
		sub, _ := diSub(c.args)
		return sub
	case slimShells[c.name] || versionedName(c.name, "python") || versionedName(c.name, "python3") || c.name == "node" ||
		c.name == "ruby" || c.name == "perl" || c.name == "php":
		for _, a := range c.args {
			if a == "-c" || a == "-e" || a == "-m" {
				return "" // inline code (read through the shell) or a module
			}
			if !strings.HasPrefix(a, "-") {
				return a
			}
		}
	case strings.Contains(c.prog, "/") && !slimSystemDirs[path.Dir(c.prog)]:
		return c.prog
	}
	return ""
}

// contextPath maps a path the build names to the context: relative paths
// and paths under a whole-context COPY's destination.
func (b *diBuild) contextPath(p string) string {
	if strings.HasPrefix(p, "/") {
		for _, d := range b.dests {
			d = strings.TrimSuffix(d, "/")
			if d != "" && strings.HasPrefix(p, d+"/") {
				return strings.TrimPrefix(p, d+"/")
			}
		}
		return "" // not from the context as far as dockopt can tell
	}
	return p
}
