package transforms

// slim-base: what the stages on top of an image call, in build order, and
// whether the slim (or JRE) image provides it. Every command of every RUN,
// CMD, ENTRYPOINT, HEALTHCHECK and ONBUILD is read through the shell parser
// (inside `sh -c` strings, heredocs, package.json scripts that npm runs);
// whatever cannot be read is a reason to keep the full image.

import (
	"fmt"
	"path"
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
	if strings.Contains(prog, "/") && !slimSystemDirs[path.Dir(prog)] && !slimRuntimeTool(name) {
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

// slimRuntimeTool: the language runtime's own programs, also when run from
// a virtualenv or another prefix (/opt/venv/bin/pip): checked by name.
func slimRuntimeTool(name string) bool {
	for _, t := range []string{"python", "python3", "pip", "pip3"} {
		if versionedName(name, t) {
			return true
		}
	}
	switch name {
	case "node", "npm", "npx", "yarn", "corepack", "ruby", "gem", "bundle", "java":
		return true
	}
	return false
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
