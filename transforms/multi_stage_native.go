package transforms

// multi-stage: the artifacts of Go, C/C++ and Rust builds.

import (
	"path"
	"slices"
	"strings"
)

func (b *msBuild) cCompile(c *msCmd) string {
	link, out := true, ""
	valueOpts := wordSet("-I -D -U -include -imacros -isystem -idirafter -iquote -x -MF -MT -MQ -Xlinker -Xassembler -Xpreprocessor -T -u -z -e --param -aux-info")
	for i := 0; i < len(c.argv); i++ {
		a := c.argv[i]
		if !c.lit[i] {
			b.fail(c.in, "%s has an argument the shell computes", c.name)
			return "unknown"
		}
		switch {
		case a == "-c" || a == "-S" || a == "-E" || a == "-M" || a == "-MM" || a == "-fsyntax-only":
			link = false
		case a == "-shared":
			b.fail(c.in, "%s -shared builds a library the program loads at run time", c.name)
			return "unknown"
		case a == "-o" && i+1 < len(c.argv):
			out = c.argv[i+1]
			i++
		case strings.HasPrefix(a, "-o") && len(a) > 2:
			out = a[2:]
		case a == "-l" && i+1 < len(c.argv) || strings.HasPrefix(a, "-l") && len(a) > 2:
			lib := strings.TrimPrefix(a, "-l")
			if lib == "" {
				lib = c.argv[i+1]
				i++
			}
			if !cAllowedLibs[lib] {
				b.fail(c.in, "%s links lib%s, whose run-time package dockopt does not know", c.name, lib)
				return "unknown"
			}
		case strings.HasPrefix(a, "-L") || strings.HasPrefix(a, "-Wl,") && (strings.Contains(a, "rpath") || strings.Contains(a, "-l")):
			b.fail(c.in, "%s %s links libraries from other places, which the runtime image may lack", c.name, a)
			return "unknown"
		case valueOpts[a]:
			i++
		case strings.HasSuffix(a, ".so") || strings.Contains(a, ".so."):
			b.fail(c.in, "%s links the shared library %s", c.name, a)
			return "unknown"
		}
	}
	if link {
		if out == "" {
			out = "a.out"
		}
		b.events = append(b.events, msEvent{in: c.in, build: func() []string {
			p, ok := c.abs(out)
			if !ok {
				b.fail(c.in, "%s writes %s in a directory dockopt cannot resolve", c.name, out)
				return nil
			}
			return []string{p}
		}})
	}
	return b.setLang(c, "c")
}

type msMake struct {
	c       *msCmd
	dir     string
	targets []string
}

type msCMake struct {
	c          *msCmd
	src, build string
}

func (b *msBuild) makeCmd(c *msCmd) string {
	if b.lang != "" && b.lang != "c" {
		b.building = true
		b.fail(c.in, "make runs recipes that dockopt does not follow for a %s build, so the artifact is unknown", msLangNames[b.lang])
		return "unknown"
	}
	m := &msMake{c: c, dir: c.cwd}
	known := c.cwdKnown
	for i := 0; i < len(c.argv); i++ {
		a := c.argv[i]
		switch {
		case !c.lit[i]:
			b.fail(c.in, "make has an argument the shell computes")
			return "unknown"
		case a == "-C" && i+1 < len(c.argv):
			m.dir, known = c.abs(c.argv[i+1])
			i++
		case a == "-f" || a == "--file" || strings.HasPrefix(a, "--file=") || a == "-I":
			b.fail(c.in, "make %s is not followed", a)
			return "unknown"
		case a == "-j" && i+1 < len(c.argv) && strings.Trim(c.argv[i+1], "0123456789") == "":
			i++
		case strings.HasPrefix(a, "-") || strings.Contains(a, "="):
		case strings.HasPrefix(a, "install") || a == "dist" || a == "deb" || a == "rpm":
			b.fail(c.in, "make %s puts files where dockopt cannot list them", a)
			return "unknown"
		default:
			m.targets = append(m.targets, a)
		}
	}
	if !known {
		b.fail(c.in, "make runs in a directory dockopt cannot resolve")
		return "unknown"
	}
	for _, cm := range b.cmakes {
		if cm.build == m.dir {
			b.events = append(b.events, msEvent{in: c.in, build: func() []string { return b.cmakeOutputs(cm, c) }})
			return b.setLang(c, "c")
		}
	}
	b.makes = append(b.makes, m)
	b.events = append(b.events, msEvent{in: c.in, build: func() []string { return b.makeOutputs(m) }})
	return b.setLang(c, "c")
}

func (b *msBuild) makeOutputs(m *msMake) []string {
	var src []byte
	ok := false
	for _, n := range []string{"GNUmakefile", "makefile", "Makefile"} {
		if src, ok = b.readAt(path.Join(m.dir, n)); ok {
			break
		}
	}
	if !ok {
		b.fail(m.c.in, "make's Makefile in %s is not in the build context, so what it builds is unknown", m.dir)
		return nil
	}
	mf := parseMakefile(src)
	if mf.reason != "" {
		b.fail(m.c.in, "%s", mf.reason)
		return nil
	}
	var out []string
	for _, t := range mf.outputs(m.targets) {
		out = append(out, path.Join(m.dir, t))
	}
	if len(out) == 0 {
		b.fail(m.c.in, "make's goals in %s build no program file dockopt can name", m.dir)
	}
	return out
}

func (b *msBuild) cmakeCmd(c *msCmd) string {
	if !c.allLit() || !c.cwdKnown {
		b.fail(c.in, "cmake has an argument or directory dockopt cannot resolve")
		return "unknown"
	}
	args := c.argv
	if i := slices.Index(args, "--build"); i >= 0 && i+1 < len(args) {
		dir, _ := c.abs(args[i+1])
		for _, cm := range b.cmakes {
			if cm.build == dir {
				b.events = append(b.events, msEvent{in: c.in, build: func() []string { return b.cmakeOutputs(cm, c) }})
				return b.setLang(c, "c")
			}
		}
		b.fail(c.in, "cmake --build %s: the configure step for it was not seen", args[i+1])
		return "unknown"
	}
	if slices.Contains(args, "--install") || slices.Contains(args, "-E") || slices.Contains(args, "-P") {
		b.fail(c.in, "cmake %s is not a configure or build step", strings.Join(args, " "))
		return "unknown"
	}
	cm := &msCMake{c: c, build: c.cwd}
	pos := ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case (a == "-S" || a == "-B" || a == "-G" || a == "-D" || a == "-C" || a == "-T" || a == "-A") && i+1 < len(args):
			if a == "-S" {
				cm.src, _ = c.abs(args[i+1])
			} else if a == "-B" {
				cm.build, _ = c.abs(args[i+1])
			}
			i++
		case strings.HasPrefix(a, "-S") && len(a) > 2:
			cm.src, _ = c.abs(a[2:])
		case strings.HasPrefix(a, "-B") && len(a) > 2:
			cm.build, _ = c.abs(a[2:])
		case strings.Contains(strings.ToUpper(a), "OUTPUT_DIRECTORY"):
			b.fail(c.in, "cmake %s moves the outputs", a)
			return "unknown"
		case !strings.HasPrefix(a, "-"):
			pos = a
		}
	}
	if cm.src == "" {
		cm.src = c.cwd
		if pos != "" {
			cm.src, _ = c.abs(pos)
		}
	}
	b.cmakes = append(b.cmakes, cm)
	return b.setLang(c, "c")
}

func (b *msBuild) cmakeOutputs(cm *msCMake, at *msCmd) []string {
	src, ok := b.readAt(path.Join(cm.src, "CMakeLists.txt"))
	if !ok {
		b.fail(at.in, "%s/CMakeLists.txt is not in the build context, so what cmake builds is unknown", cm.src)
		return nil
	}
	exes, why := cmakeExecutables(src)
	if why != "" {
		b.fail(at.in, "%s", why)
		return nil
	}
	var out []string
	for _, e := range exes {
		out = append(out, path.Join(cm.build, e))
	}
	return out
}

type msCargo struct {
	c       *msCmd
	dir     string
	profile string
	bins    []string
	triple  string
	install bool
	root    string
}

func (b *msBuild) cargoCmd(c *msCmd) string {
	args := c.argv
	if len(args) > 0 && strings.HasPrefix(args[0], "+") {
		args = args[1:]
	}
	if len(args) == 0 || !c.allLit() {
		b.fail(c.in, "cargo without a literal subcommand")
		return "unknown"
	}
	switch args[0] {
	case "build", "b", "install":
	case "test", "t", "fetch", "check", "c", "clippy", "fmt", "doc", "update", "generate-lockfile", "metadata", "tree", "version", "--version", "vendor":
		return b.setLang(c, "rust")
	default:
		b.fail(c.in, "cargo %s is not a build step multi-stage knows", args[0])
		return "unknown"
	}
	cg := &msCargo{c: c, dir: c.cwd, profile: "debug", install: args[0] == "install"}
	if cg.install {
		cg.profile = "release"
	}
	for i := 1; i < len(args); i++ {
		a := args[i]
		val := ""
		if i+1 < len(args) {
			val = args[i+1]
		}
		switch a {
		case "--release", "-r":
			cg.profile = "release"
		case "--profile":
			cg.profile = map[string]string{"dev": "debug", "test": "debug"}[val]
			if cg.profile == "" {
				cg.profile = val
			}
			i++
		case "--bin":
			cg.bins = append(cg.bins, val)
			i++
		case "--target":
			cg.triple = val
			i++
		case "--path":
			cg.dir, _ = c.abs(val)
			i++
		case "--features", "-F", "--jobs", "-j", "--color":
			i++
		case "--target-dir", "--manifest-path", "-p", "--package", "--workspace", "--example", "--examples", "--lib", "--root", "--config", "-Z", "--git", "--registry":
			b.fail(c.in, "cargo %s %s is not followed", args[0], a)
			return "unknown"
		default:
			if cg.install && !strings.HasPrefix(a, "-") {
				b.fail(c.in, "cargo install %s installs a crate from a registry, whose programs dockopt cannot name", a)
				return "unknown"
			}
		}
	}
	if cg.install && !slices.Contains(args, "--path") {
		b.fail(c.in, "cargo install without --path installs a crate from a registry")
		return "unknown"
	}
	for _, k := range []string{"CARGO_TARGET_DIR", "CARGO_BUILD_TARGET_DIR", "CARGO_BUILD_TARGET", "CARGO_INSTALL_ROOT"} {
		if _, ok := c.env[k]; ok {
			b.fail(c.in, "%s is set, which moves cargo's outputs", k)
			return "unknown"
		}
		if _, ok := b.env[k]; ok {
			b.fail(c.in, "%s is set, which moves cargo's outputs", k)
			return "unknown"
		}
	}
	if cg.install {
		home := b.env["CARGO_HOME"]
		switch {
		case home.known && home.v != "":
			cg.root = home.v
		case b.user == "" || b.user == "root":
			cg.root = "/root/.cargo"
		default:
			b.fail(c.in, "cargo install writes to a CARGO_HOME dockopt cannot resolve")
			return "unknown"
		}
	}
	b.cargos = append(b.cargos, cg)
	b.events = append(b.events, msEvent{in: c.in, build: func() []string { return b.cargoOutputs(cg) }})
	return b.setLang(c, "rust")
}

// msPureSys are -sys crates that link no C library of their own.
var msPureSys = wordSet("linux-raw-sys windows-sys js-sys web-sys wasi")

func (b *msBuild) cargoOutputs(cg *msCargo) []string {
	c := cg.c
	manifest, ok := b.readAt(path.Join(cg.dir, "Cargo.toml"))
	if !ok {
		b.fail(c.in, "%s/Cargo.toml is not in the build context, so the program's name is unknown", cg.dir)
		return nil
	}
	pkg := ""
	var bins []string
	deps := false
	for _, s := range tomlSections(manifest) {
		switch {
		case s.name == "package":
			pkg = s.keys["name"]
		case s.name == "bin":
			bins = append(bins, s.keys["name"])
		case s.name == "workspace":
			b.fail(c.in, "Cargo.toml is a workspace, whose members dockopt does not follow")
			return nil
		case s.name == "dependencies" || strings.HasSuffix(s.name, ".dependencies") && !strings.Contains(s.name, "build-") && !strings.Contains(s.name, "dev-"):
			deps = deps || len(s.keys) > 0
		case strings.HasPrefix(s.name, "dependencies."):
			deps = true
		}
	}
	if deps {
		lock, ok := b.readAt(path.Join(cg.dir, "Cargo.lock"))
		if !ok {
			b.fail(c.in, "the crate has dependencies but no Cargo.lock in the build context: whether one links a C library is unknown")
			return nil
		}
		for _, s := range tomlSections(lock) {
			if n := s.keys["name"]; s.name == "package" && strings.HasSuffix(n, "-sys") && !msPureSys[n] {
				b.fail(c.in, "the dependency %s links a C library that the runtime image may lack", n)
				return nil
			}
		}
	}
	if rel, ok := b.ctxPath(path.Join(cg.dir, "src/bin")); ok {
		for _, f := range b.ctx.list(rel) {
			if strings.HasSuffix(f, ".rs") {
				bins = append(bins, strings.TrimSuffix(f, ".rs"))
			}
		}
	}
	if len(bins) == 0 || b.readable(path.Join(cg.dir, "src/main.rs")) {
		bins = append(bins, pkg)
	}
	if len(cg.bins) > 0 {
		bins = cg.bins
	}
	dir := path.Join(cg.dir, "target", cg.triple, cg.profile)
	if cg.install {
		dir = path.Join(cg.root, "bin")
	}
	var out []string
	for _, n := range bins {
		if n == "" {
			b.fail(c.in, "Cargo.toml does not name the program")
			return nil
		}
		out = append(out, path.Join(dir, n))
	}
	return out
}

func (b *msBuild) readable(abs string) bool {
	_, ok := b.readAt(abs)
	return ok
}
