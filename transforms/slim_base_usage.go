package transforms

// slim-base: what the stages on top of an image call, in build order, and
// whether the slim (or JRE) image provides it. Every command of every RUN,
// CMD, ENTRYPOINT, HEALTHCHECK and ONBUILD is read through the shell parser
// (inside `sh -c` strings, heredocs, package.json scripts that npm runs);
// whatever cannot be read is a reason to keep the full image.

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"mvdan.cc/sh/v3/syntax"

	"github.com/dockopt/dockopt/rewrite"
)

// slimUsage checks the stages of one image.
type slimUsage struct {
	p              *rewrite.Pass
	img            *slimImage
	target         string          // the slim reference, for messages
	missing        map[string]bool // commands the full image has and the slim one lacks
	assumePrebuilt bool

	installed map[string]bool // commands the stage being read installed so far
	notes     []string        // what the verdict relied on, for the finding
	why       string          // the first reason to keep the full image
	in        *rewrite.Instruction
	scripts   map[string]string // package.json scripts (nil: not read yet)
	scriptsOK bool
	depth     int
}

func newSlimUsage(p *rewrite.Pass, img *slimImage, target string) *slimUsage {
	u := &slimUsage{p: p, img: img, target: target, missing: map[string]bool{}}
	switch img.kind {
	case slimLang:
		for _, c := range append(append([]string(nil), slimFullOnly...), img.extraFullOnly...) {
			u.missing[c] = true
		}
	case slimJRE:
		for _, c := range slimJDKOnly {
			u.missing[c] = true
		}
	}
	u.assumePrebuilt = p.Settings.Get("slim-base.assume-prebuilt", "false") == "true"
	return u
}

// refuse records the first reason to keep the full image.
func (u *slimUsage) refuse(format string, args ...any) {
	if u.why == "" {
		u.why = fmt.Sprintf("line %d: ", u.in.StartLine) + fmt.Sprintf(format, args...)
	}
}

func (u *slimUsage) note(s string) {
	for _, n := range u.notes {
		if n == s {
			return
		}
	}
	u.notes = append(u.notes, s)
}

// stages reads stages (an image's stage and those built FROM it, in file
// order); ok is false once a reason to keep the full image was found.
func (u *slimUsage) stages(d *rewrite.Document, stages []*rewrite.Stage) bool {
	end := map[*rewrite.Stage]map[string]bool{}
	for _, st := range stages {
		u.installed = map[string]bool{}
		if parent := d.Parent(st); parent != nil {
			for c := range end[parent] {
				u.installed[c] = true
			}
		}
		for _, in := range st.Instructions {
			u.in = in
			u.instruction(d, in)
			if u.why != "" {
				return false
			}
		}
		end[st] = u.installed
	}
	return true
}

func (u *slimUsage) instruction(d *rewrite.Document, in *rewrite.Instruction) {
	switch in.Cmd {
	case "run", "cmd", "entrypoint":
		u.node(d, in, in.Cmd, in.Node.Next, in.IsJSON(), in.Node.Heredocs)
	case "healthcheck":
		n := in.Node.Next
		if n != nil && strings.EqualFold(n.Value, "cmd") {
			u.node(d, in, "healthcheck", n.Next, in.IsJSON(), nil)
		}
	case "onbuild":
		// Runs in every image built FROM this one: on the slim image too.
		if n := in.Node.Next; n != nil && len(n.Children) == 1 {
			c := n.Children[0]
			switch cmd := strings.ToLower(c.Value); cmd {
			case "run", "cmd", "entrypoint", "healthcheck":
				args := c.Next
				if cmd == "healthcheck" && args != nil && strings.EqualFold(args.Value, "cmd") {
					args = args.Next
				}
				u.node(d, in, cmd, args, c.Attributes["json"], c.Heredocs)
			}
		}
	}
}

// node reads the arguments of a RUN, CMD, ENTRYPOINT or HEALTHCHECK CMD
// (kind): an argv in exec form, else a shell body with its heredocs.
func (u *slimUsage) node(d *rewrite.Document, in *rewrite.Instruction, kind string, args *parser.Node, isJSON bool, heredocs []parser.Heredoc) {
	if args == nil {
		return
	}
	if isJSON {
		var argv []string
		for n := args; n != nil; n = n.Next {
			argv = append(argv, n.Value)
		}
		u.argv(kind, argv)
		return
	}
	if !d.POSIXShell(in) {
		u.refuse("the stage's SHELL is not a POSIX shell, so its commands cannot be read")
		return
	}
	body := args.Value
	if len(heredocs) == 0 {
		u.shell(kind, body)
		return
	}
	u.heredocRun(kind, body, heredocs)
}

// heredocRun reads `RUN <<EOF` (the heredoc is the script) and `RUN cmd
// <<EOF` (BuildKit hands the shell the command line and the heredoc bodies).
func (u *slimUsage) heredocRun(kind, line string, heredocs []parser.Heredoc) {
	if strings.TrimSpace(reHeredocMarker.ReplaceAllString(line, "")) == "" {
		script := heredocs[0].Content
		if first, _, _ := strings.Cut(script, "\n"); strings.HasPrefix(first, "#!") {
			f := strings.Fields(strings.TrimPrefix(first, "#!"))
			if len(f) > 0 && path.Base(f[0]) == "env" {
				f = f[1:]
			}
			if len(f) == 0 {
				u.refuse("a heredoc script with an empty #! line")
				return
			}
			if !slimShells[path.Base(f[0])] {
				u.argv(kind, append(f, "<heredoc>"))
				return
			}
		}
		u.shell(kind, script)
		return
	}
	full := line
	for _, h := range heredocs {
		full += "\n" + h.Content + h.Name + "\n"
	}
	u.shell(kind, full)
	// A shell that reads its script from a heredoc runs the heredoc.
	if cmds, err := slimCommands(full); err == nil {
		for _, c := range cmds {
			if slimShells[c.Name] && !slimHasArg(c, "-c") {
				for _, h := range heredocs {
					u.shell(kind, h.Content)
				}
				return
			}
		}
	}
}

var reHeredocMarker = regexp.MustCompile(`<<-?\s*["']?[A-Za-z0-9_]+["']?`)

var slimShells = map[string]bool{"sh": true, "bash": true, "dash": true, "ash": true, "zsh": true, "ksh": true, "mksh": true}

// slimCommands parses a shell body and lists its simple commands.
func slimCommands(body string) ([]*rewrite.Command, error) {
	f, err := syntax.NewParser(syntax.KeepComments(true), syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(body), "")
	if err != nil {
		return nil, err
	}
	sh := &rewrite.Shell{Body: body, File: f}
	cmds := sh.Commands()
	// A command whose name the shell computes ($CC, $(which gcc)) could be
	// anything: Commands leaves it out, so find it here.
	var computed string
	syntax.Walk(f, func(n syntax.Node) bool {
		if call, ok := n.(*syntax.CallExpr); ok && len(call.Args) > 0 && computed == "" {
			if _, lit := rewrite.WordLit(call.Args[0]); !lit {
				computed = wordSource(call.Args[0])
			}
		}
		return true
	})
	if computed != "" {
		return cmds, fmt.Errorf("runs a command whose name the shell computes (%s)", computed)
	}
	return cmds, nil
}

func slimHasArg(c *rewrite.Command, arg string) bool {
	for _, w := range c.Args {
		if v, ok := rewrite.WordLit(w); ok && v == arg {
			return true
		}
	}
	return false
}

// shell reads a shell body.
func (u *slimUsage) shell(kind, body string) {
	if u.depth > 8 {
		u.refuse("shell commands nest too deeply to read")
		return
	}
	u.depth++
	defer func() { u.depth-- }()
	cmds, err := slimCommands(body)
	if err != nil {
		if strings.HasPrefix(err.Error(), "runs ") {
			u.refuse("%s", err)
		} else {
			u.refuse("the shell parser cannot read the command (%v)", err)
		}
		return
	}
	for _, c := range cmds {
		vals, ok := c.ArgLits()
		args := make([]string, len(vals))
		for i, v := range vals {
			if ok[i] {
				args[i] = v
			} else {
				args[i] = "\x00" // computed
			}
		}
		u.command(kind, c.Name, args, c)
		if u.why != "" {
			return
		}
	}
}

// argv reads an exec-form command line.
func (u *slimUsage) argv(kind string, argv []string) {
	if len(argv) == 0 {
		return
	}
	u.command(kind, path.Base(argv[0]), argv[1:], nil)
}

// command checks one command: name is its base name (the program as
// written when it is a path: see programPath), args its literal arguments
// ("\x00" for a computed one).
func (u *slimUsage) command(kind, name string, args []string, c *rewrite.Command) {
	prog := name
	if c != nil {
		if w := programNameWord(c); w != nil {
			prog, _ = rewrite.WordLit(w)
		}
	}
	if strings.Contains(prog, "/") && !slimSystemDirs[path.Dir(prog)] {
		switch ext := path.Ext(prog); {
		case ext == ".py" || ext == ".js" || ext == ".mjs" || ext == ".cjs" || ext == ".rb":
			// the application's own code, run by the image's interpreter
		case ext == ".sh" || kind == "run" || kind == "onbuild":
			u.refuse("runs %s, whose commands dockopt cannot see", prog)
			return
		}
	}
	if u.missing[name] && !u.installed[name] {
		u.refuse("calls %s, which %s does not have (it is not installed earlier in the stage)", name, u.target)
		return
	}
	if u.img.kind != slimJRE && (name == "man" || name == "info") {
		u.refuse("calls %s: %s has no manual pages", name, u.target)
		return
	}
	if u.img.kind != slimJRE {
		for _, a := range args {
			for _, dp := range slimDocPaths {
				if a == dp || strings.HasPrefix(a, dp+"/") {
					u.refuse("reads %s, which %s leaves out", dp, u.target)
					return
				}
			}
		}
	}
	if u.img.kind == slimLang {
		u.installStep(kind, name, args)
		if u.why != "" {
			return
		}
	}
	switch name {
	case "apt-get", "apt", "aptitude":
		if c != nil {
			u.apt(c)
		}
	case "sh", "bash", "dash", "ash", "zsh", "ksh", "mksh":
		u.shellArgs(kind, name, args)
	case ".", "source":
		u.refuse("sources %s, whose commands dockopt cannot see", strings.Join(args, " "))
	case "eval":
		u.inner(kind, name, strings.Join(args, " "))
	case "npm", "yarn", "pnpm":
		u.nodeScripts(kind, name, args)
	case "java":
		for _, a := range args {
			if strings.HasSuffix(a, ".java") {
				u.refuse("runs the Java source file %s, which needs the JDK's compiler", a)
				return
			}
		}
	}
	if u.why != "" {
		return
	}
	// Programs that run their arguments as commands.
	switch name {
	case "xargs", "find", "timeout", "watch", "su", "runuser", "gosu", "su-exec", "setpriv", "chroot",
		"flock", "parallel", "stdbuf", "ionice", "taskset", "strace", "nsenter", "unshare", "script",
		"tini", "dumb-init", "entr", "chpst", "setsid", "unbuffer", "xvfb-run":
		for _, a := range args {
			for _, f := range strings.Fields(a) {
				if b := path.Base(f); u.missing[b] && !u.installed[b] {
					u.refuse("%s runs %s, which %s does not have", name, b, u.target)
					return
				}
			}
		}
	}
}

// slimSystemDirs hold the programs of the image itself (checked by name).
var slimSystemDirs = map[string]bool{"/bin": true, "/usr/bin": true, "/usr/local/bin": true, "/sbin": true, "/usr/sbin": true, "/usr/local/sbin": true}

// shellArgs reads `sh -c 'cmds'` and refuses `sh script.sh`.
func (u *slimUsage) shellArgs(kind, name string, args []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-c" || strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && strings.HasSuffix(a, "c"):
			if i+1 < len(args) {
				u.inner(kind, name, args[i+1])
			}
			return
		case a == "-o" || a == "+o":
			i++
		case strings.HasPrefix(a, "-") || strings.HasPrefix(a, "+"):
		default:
			u.refuse("runs the script %s with %s, whose commands dockopt cannot see", a, name)
			return
		}
	}
}

// inner reads a command string a program runs as shell code.
func (u *slimUsage) inner(kind, name, body string) {
	if strings.Contains(body, "\x00") {
		u.refuse("%s runs a command string the shell computes", name)
		return
	}
	u.shell(kind, body)
}

// apt follows what apt-get install and purge leave installed.
func (u *slimUsage) apt(c *rewrite.Command) {
	a := readApt(c)
	if a == nil {
		return
	}
	switch a.Sub {
	case "install":
		for _, n := range a.Names {
			u.installed[n] = true
			for _, cmd := range aptProvides[n] {
				u.installed[cmd] = true
			}
		}
		if a.Local != "" || a.Unknown != "" {
			// Whatever it installs, it installs on both images.
			return
		}
	case "remove", "purge":
		if a.hasOpt("--auto-remove", "--autoremove") {
			u.installed = map[string]bool{}
			return
		}
		for _, n := range a.Names {
			delete(u.installed, n)
			for _, cmd := range aptProvides[n] {
				delete(u.installed, cmd)
			}
		}
	case "autoremove":
		// Takes what installed packages pulled in: trust none of them.
		u.installed = map[string]bool{}
	}
}

// slimInstall is a package manager command that may build native code.
type slimInstall struct {
	what  string   // for the message
	needs []string // tools a native build needs: "cc", "c++", "make", "python3"
}

// installStep checks that a command that may compile native extensions
// (pip install, npm ci, gem install, ...) still has a compiler.
func (u *slimUsage) installStep(kind, name string, args []string) {
	inst := slimInstallOf(name, args)
	if inst == nil {
		return
	}
	var lack []string
	for _, need := range inst.needs {
		if !u.has(need) {
			lack = append(lack, need)
		}
	}
	if len(lack) == 0 {
		u.note(fmt.Sprintf("the stage installs what %s may compile with", inst.what))
		return
	}
	if u.assumePrebuilt {
		u.note(fmt.Sprintf("assumed that what %s installs comes prebuilt (slim-base.assume-prebuilt=true)", inst.what))
		return
	}
	for i, l := range lack {
		if n := slimToolNames[l]; n != "" {
			lack[i] = n
		}
	}
	u.refuse("%s may compile native extensions, and %s has no %s (install it first, or set slim-base.assume-prebuilt=true if every package comes prebuilt)", inst.what, u.target, strings.Join(lack, ", "))
}

var slimToolNames = map[string]string{"cc": "C compiler", "c++": "C++ compiler"}

// slimCompilers are commands that build native code.
var slimCompilers = map[string]bool{"gcc": true, "cc": true, "g++": true, "c++": true, "clang": true, "clang++": true, "make": true, "cmake": true, "ninja": true, "meson": true}

// builtOnFull checks the stages the shipped ones copy files from (COPY
// --from, RUN --mount from=): a builder that compiles native code links it
// against the libraries of its (full) image, which the slim image may lack.
func (u *slimUsage) builtOnFull(d *rewrite.Document, shipped []*rewrite.Stage) {
	in := map[*rewrite.Stage]bool{}
	for _, s := range shipped {
		in[s] = true
	}
	for _, s := range shipped {
		for _, x := range s.Instructions {
			for _, src := range slimFromStages(d, x) {
				if in[src] {
					continue
				}
				for _, b := range append([]*rewrite.Stage{src}, ancestors(d, src)...) {
					if what := slimCompiles(d, b); what != "" {
						u.in = x
						if u.assumePrebuilt {
							u.note(fmt.Sprintf("assumed that what stage %q builds (%s) links no library the full image alone has (slim-base.assume-prebuilt=true)", src.Name, what))
							continue
						}
						u.refuse("copies files from stage %q, which runs %s on its image: native code it builds may link libraries %s lacks (set slim-base.assume-prebuilt=true if it does not)", src.Name, what, u.target)
						return
					}
				}
			}
		}
	}
}

// slimFromStages are the stages an instruction reads files from.
func slimFromStages(d *rewrite.Document, x *rewrite.Instruction) []*rewrite.Stage {
	var out []*rewrite.Stage
	for _, f := range x.Flags() {
		name, v, _ := strings.Cut(f, "=")
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
		if src := d.StageByName(ref); ref != "" && src != nil {
			out = append(out, src)
		}
	}
	return out
}

// slimCompiles names the first command of stage s that builds native code
// ("" when none does, as far as its shell-form RUNs show; an unreadable RUN
// counts as one that may).
func slimCompiles(d *rewrite.Document, s *rewrite.Stage) string {
	for _, x := range s.Instructions {
		if x.Cmd != "run" {
			continue
		}
		if x.IsJSON() || x.HasHeredoc() || x.Node.Next == nil {
			return "a RUN dockopt cannot read"
		}
		cmds, err := slimCommands(x.Node.Next.Value)
		if err != nil {
			return "a RUN dockopt cannot read"
		}
		for _, c := range cmds {
			vals, _ := c.ArgLits()
			if slimCompilers[c.Name] {
				return c.Name
			}
			if inst := slimInstallOf(c.Name, vals); inst != nil {
				return inst.what
			}
		}
	}
	return ""
}

// has reports whether tool (cc, c++, make, python3) is there on the slim
// image at this point.
func (u *slimUsage) has(tool string) bool {
	switch tool {
	case "cc":
		return u.installed["gcc"] || u.installed["cc"] || u.installed["clang"]
	case "c++":
		return u.installed["g++"] || u.installed["c++"] || u.installed["clang++"]
	}
	return !u.missing[tool] || u.installed[tool]
}

// slimPurePackages need no compiler: pure-Python or pure-JS or pure-Ruby
// tools that are commonly upgraded first.
var slimPurePackages = map[string]bool{"pip": true, "setuptools": true, "wheel": true, "npm": true, "yarn": true, "pnpm": true, "corepack": true, "bundler": true}

// slimInstallOf reads name+args as an install that may build native code.
func slimInstallOf(name string, args []string) *slimInstall {
	sub, rest := "", args
	for i, a := range args {
		if !strings.HasPrefix(a, "-") {
			sub, rest = a, args[i+1:]
			break
		}
	}
	py := []string{"cc"}
	node := []string{"c++", "make", "python3"}
	ruby := []string{"cc", "make"}
	switch {
	case versionedName(name, "pip") || versionedName(name, "pip3"):
		if sub == "install" || sub == "wheel" {
			if slimHasOpt(rest, "--only-binary", ":all:") || slimAllPure(rest) {
				return nil
			}
			return &slimInstall{what: name + " " + sub, needs: py}
		}
	case versionedName(name, "python") || versionedName(name, "python3"):
		if len(args) >= 3 && args[0] == "-m" && (args[1] == "pip" || args[1] == "pip3") {
			return slimInstallOf("pip", args[2:])
		}
		if len(args) >= 2 && args[0] == "-m" && args[1] == "build" {
			return &slimInstall{what: name + " -m build", needs: py}
		}
		if len(args) >= 1 && path.Base(args[0]) == "setup.py" {
			return &slimInstall{what: "setup.py", needs: py}
		}
	case name == "poetry" || name == "pipenv" || name == "pdm" || name == "pipx":
		if sub == "install" || sub == "sync" || sub == "add" {
			return &slimInstall{what: name + " " + sub, needs: py}
		}
	case name == "uv":
		if sub == "sync" || sub == "pip" && len(rest) > 0 && rest[0] == "install" || sub == "tool" {
			return &slimInstall{what: "uv " + sub, needs: py}
		}
	case name == "npm" || name == "yarn" || name == "pnpm":
		if slimHasOpt(args, "--ignore-scripts", "") {
			return nil
		}
		switch sub {
		case "ci", "install", "i", "add", "rebuild", "update", "up", "":
			if sub == "" && name == "npm" {
				return nil
			}
			if (sub == "install" || sub == "i" || sub == "add") && slimAllPure(rest) && slimHasTarget(rest) {
				return nil
			}
			return &slimInstall{what: strings.TrimSpace(name + " " + sub), needs: node}
		}
	case name == "npx":
		if slimHasOpt(args, "--no-install", "") || slimHasOpt(args, "--no", "") {
			return nil // runs an installed package only
		}
		return &slimInstall{what: "npx", needs: node}
	case name == "gem":
		if sub == "install" && !slimAllPure(rest) {
			return &slimInstall{what: "gem install", needs: ruby}
		}
	case name == "bundle" || name == "bundler":
		if sub == "" || sub == "install" || sub == "update" {
			return &slimInstall{what: "bundle install", needs: ruby}
		}
	}
	return nil
}

// slimHasOpt reports whether args hold --opt (with value when value is set:
// --opt=value or --opt value).
func slimHasOpt(args []string, opt, value string) bool {
	for i, a := range args {
		if value == "" && a == opt || a == opt+"="+value || a == opt && i+1 < len(args) && args[i+1] == value {
			return true
		}
	}
	return false
}

// slimAllPure reports whether every package argument is one of
// slimPurePackages (versions stripped) and none is a file, a directory or a
// requirements list.
func slimAllPure(args []string) bool {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-r" || a == "--requirement" || a == "-e" || a == "--editable" || a == "-c" || a == "--constraint":
			return false
		case strings.HasPrefix(a, "-"):
			continue
		}
		name := strings.ToLower(strings.TrimLeft(a, " "))
		if i := strings.IndexAny(name, "=<>~!@[ "); i > 0 {
			name = name[:i]
		}
		if !slimPurePackages[name] {
			return false
		}
	}
	return true
}

func slimHasTarget(args []string) bool {
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			return true
		}
	}
	return false
}

// npmScripts reads the package.json scripts of the build context, for
// `npm run X` and the lifecycle scripts of `npm ci`.
func (u *slimUsage) npmScripts() (map[string]string, bool) {
	if u.scripts != nil || u.scriptsOK {
		return u.scripts, u.scriptsOK
	}
	u.scripts = map[string]string{}
	dir := ""
	if u.p.Settings != nil {
		dir = u.p.Settings.ContextDir
	}
	if dir == "" {
		return u.scripts, false
	}
	b, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil || len(b) > 4<<20 {
		return u.scripts, false
	}
	var pkg struct {
		Scripts map[string]string `json:"scripts"`
	}
	if json.Unmarshal(b, &pkg) != nil {
		return u.scripts, false
	}
	for k, v := range pkg.Scripts {
		u.scripts[k] = v
	}
	u.scriptsOK = true
	return u.scripts, true
}

// nodeScripts reads the package.json scripts that npm, yarn or pnpm runs:
// `npm run X` (with preX and postX), `npm start`/`test`, and the lifecycle
// scripts of an install of the package itself.
func (u *slimUsage) nodeScripts(kind, name string, args []string) {
	sub, rest := "", []string(nil)
	for i, a := range args {
		if !strings.HasPrefix(a, "-") {
			sub, rest = a, args[i+1:]
			break
		}
	}
	var run []string
	switch sub {
	case "run", "run-script", "rum", "urn":
		for _, a := range rest {
			if !strings.HasPrefix(a, "-") {
				run = []string{"pre" + a, a, "post" + a}
				break
			}
		}
	case "start", "test", "t", "tst", "stop", "restart":
		s := map[string]string{"t": "test", "tst": "test"}[sub]
		if s == "" {
			s = sub
		}
		run = []string{"pre" + s, s, "post" + s}
	case "ci", "install", "i", "":
		if sub == "" && name == "npm" || slimHasOpt(args, "--ignore-scripts", "") || slimHasTarget(rest) {
			return
		}
		run = []string{"preinstall", "install", "postinstall", "prepublish", "preprepare", "prepare", "postprepare"}
	default:
		if name == "npm" || slimYarnBuiltins[sub] {
			return
		}
		run = []string{"pre" + sub, sub, "post" + sub} // yarn build
	}
	scripts, ok := u.npmScripts()
	if !ok {
		u.refuse("%s %s runs package.json scripts, and the build context's package.json cannot be read", name, sub)
		return
	}
	for _, s := range run {
		if body, ok := scripts[s]; ok {
			u.shell(kind, body)
			if u.why != "" {
				return
			}
		}
	}
}

// slimYarnBuiltins are yarn and pnpm subcommands that run no package.json
// script of that name.
var slimYarnBuiltins = map[string]bool{
	"add": true, "remove": true, "upgrade": true, "up": true, "cache": true, "config": true, "global": true,
	"info": true, "init": true, "link": true, "list": true, "login": true, "logout": true, "pack": true,
	"publish": true, "why": true, "workspaces": true, "workspace": true, "audit": true, "bin": true,
	"check": true, "dedupe": true, "exec": true, "dlx": true, "set": true, "version": true, "versions": true,
	"licenses": true, "outdated": true, "owner": true, "policies": true, "tag": true, "team": true,
	"unlink": true, "import": true, "generate-lock-entry": true, "fetch": true, "store": true, "prune": true,
	"rebuild": true, "update": true, "env": true, "setup": true, "root": true, "help": true, "node": true,
}
