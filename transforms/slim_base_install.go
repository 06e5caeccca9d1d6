package transforms

// slim-base: the commands that may build native code (pip, npm, gem and
// bundle installs, builder stages), and the package.json scripts npm runs.

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/dockopt/dockopt/rewrite"
)

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
