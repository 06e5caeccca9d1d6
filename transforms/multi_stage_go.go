package transforms

// multi-stage: Go builds: where go build and go install write the program,
// and whether it can be static (CGO_ENABLED=0).

import (
	"path"
	"strings"
)

type msGoBuild struct {
	c        *msCmd
	install  bool
	out      string   // -o as written
	pkgs     []string // packages or files
	noStatic string   // a flag that needs cgo (-race ...)
}

func (b *msBuild) goCmd(c *msCmd) string {
	if len(c.argv) == 0 || !c.lit[0] {
		b.fail(c.in, "go without a literal subcommand")
		return "unknown"
	}
	switch c.argv[0] {
	case "build", "install":
	case "run", "mod", "get", "vet", "test", "generate", "version", "env", "fmt", "list", "clean", "tool", "work", "doc":
		return b.setLang(c, "go")
	default:
		b.fail(c.in, "go %s is not a build step multi-stage knows", c.argv[0])
		return "unknown"
	}
	g := &msGoBuild{c: c, install: c.argv[0] == "install"}
	valueFlags := wordSet("-o -ldflags -gcflags -asmflags -tags -mod -modfile -p -buildmode -C -installsuffix -pkgdir -overlay -pgo -compiler -gccgoflags -toolexec -coverpkg -covermode")
	args, lits := c.argv[1:], c.lit[1:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") {
			if !lits[i] {
				b.fail(c.in, "go %s builds a package named by an expansion", c.argv[0])
				return "unknown"
			}
			g.pkgs = append(g.pkgs, a)
			continue
		}
		name, val, hasVal := strings.Cut(a, "=")
		name = "-" + strings.TrimLeft(name, "-")
		valLit := lits[i]
		if !hasVal && valueFlags[name] && i+1 < len(args) {
			val, valLit = args[i+1], lits[i+1]
			i++
		}
		switch name {
		case "-o":
			if !valLit {
				b.fail(c.in, "go build -o names its output with an expansion")
				return "unknown"
			}
			g.out = val
		case "-C", "-modfile":
			b.fail(c.in, "go %s %s is not followed", c.argv[0], name)
			return "unknown"
		case "-buildmode":
			if val != "exe" && val != "pie" && val != "default" {
				b.fail(c.in, "go build -buildmode=%s does not build a program", val)
				return "unknown"
			}
		case "-race", "-msan", "-asan":
			g.noStatic = name
		case "-ldflags":
			if strings.Contains(val, "linkmode") || strings.Contains(val, "extldflags") {
				g.noStatic = "-ldflags " + val
			}
		}
	}
	for _, k := range []string{"GOOS", "GOARCH"} {
		v, inCmd := c.env[k]
		ev, inEnv := b.env[k]
		if inCmd && v != "linux" && k == "GOOS" || inCmd && k == "GOARCH" || inEnv && (k == "GOARCH" || !ev.known || ev.v != "linux") {
			b.fail(c.in, "%s is set: the binary may be for another platform than the runtime image", k)
			return "unknown"
		}
	}
	b.goBuilds = append(b.goBuilds, g)
	b.events = append(b.events, msEvent{in: c.in, build: func() []string { return b.goOutputs(g) }})
	return b.setLang(c, "go")
}

// msKnownDirs are directories every image has: `-o /usr/local/bin` writes
// into them.
var msKnownDirs = wordSet("/usr/local/bin /usr/bin /bin /usr/sbin /sbin /usr/local/sbin /go/bin /tmp")

// goOutputs is where go build / go install writes the program.
func (b *msBuild) goOutputs(g *msGoBuild) []string {
	c := g.c
	if !c.cwdKnown {
		b.fail(c.in, "go %s runs in a directory dockopt cannot resolve", c.argv[0])
		return nil
	}
	name := ""
	pkgs := g.pkgs
	switch {
	case len(pkgs) == 0 || len(pkgs) == 1 && (pkgs[0] == "." || pkgs[0] == "./"):
		// The package's import path ends in the module path (in the
		// module's root) or in the directory's name (below it).
		for dir := c.cwd; ; dir = path.Dir(dir) {
			if mod, ok := b.readAt(path.Join(dir, "go.mod")); ok {
				if name = goModuleName(mod); dir != c.cwd {
					name = path.Base(c.cwd)
				}
				break
			}
			if dir == "/" {
				break
			}
		}
		if name == "" {
			b.fail(c.in, "go %s names the program after the module in go.mod, which dockopt cannot find in the build context above %s", c.argv[0], c.cwd)
			return nil
		}
	case strings.HasSuffix(pkgs[0], ".go"):
		name = strings.TrimSuffix(path.Base(pkgs[0]), ".go")
	case len(pkgs) == 1 && !strings.Contains(pkgs[0], "..."):
		name = goPathName(strings.SplitN(pkgs[0], "@", 2)[0])
	default:
		b.fail(c.in, "go %s of several packages (%s): which program is the artifact is unclear", c.argv[0], strings.Join(pkgs, " "))
		return nil
	}
	if g.install {
		dir := ""
		if v, ok := c.env["GOBIN"]; ok {
			dir = v
		} else if v, ok := b.env["GOBIN"]; ok {
			dir = v.v
			if !v.known {
				dir = "\x00"
			}
		} else if v, ok := b.env["GOPATH"]; ok && v.known {
			dir = strings.SplitN(v.v, ":", 2)[0] + "/bin"
		} else if !ok && (b.user == "" || b.user == "root" || b.user == "0") {
			dir = "/root/go/bin"
		}
		if !strings.HasPrefix(dir, "/") {
			b.fail(c.in, "go install writes to a GOBIN or GOPATH dockopt cannot resolve")
			return nil
		}
		return []string{path.Join(dir, name)}
	}
	out := g.out
	switch {
	case out == "":
		return []string{path.Join(c.cwd, name)}
	case out == "/dev/null":
		return nil
	}
	abs, _ := c.abs(out)
	if strings.HasSuffix(out, "/") || b.isDirAt(abs) {
		return []string{path.Join(abs, name)}
	}
	return []string{abs}
}

// isDirAt reports a path that is a directory when the build writes to it:
// one every image has, one a mkdir or WORKDIR made, or one the build context
// copied in. Writing "to" it writes inside it.
func (b *msBuild) isDirAt(p string) bool {
	if msKnownDirs[p] || b.madeDir(p) {
		return true
	}
	for _, s := range b.srcDirs {
		if s.destDir && s.dest == p {
			return true
		}
	}
	rel, ok := b.ctxPath(p)
	return ok && b.ctx.isDir(rel)
}

// madeDir reports a directory an earlier mkdir or WORKDIR made.
func (b *msBuild) madeDir(p string) bool {
	for _, w := range b.writes {
		if w.what == "mkdir" && w.path == p {
			return true
		}
	}
	for _, w := range b.workdirs {
		if a := w.Args(); len(a) == 1 && path.Clean(a[0]) == p {
			return true
		}
	}
	return false
}

// decideGoStatic settles whether the Go binary is static, adding
// CGO_ENABLED=0 to the go commands when the sources are pure Go.
func (b *msBuild) decideGoStatic() {
	usesTZ := false
	defer func() {
		if usesTZ {
			b.usesTZ = true
		}
	}()
	need := []*msGoBuild{}
	for _, g := range b.goBuilds {
		if g.noStatic != "" {
			b.notes = append(b.notes, "the binary is dynamically linked ("+g.noStatic+")")
			return
		}
		v, inCmd := g.c.env["CGO_ENABLED"]
		ev, inEnv := b.env["CGO_ENABLED"]
		switch {
		case inCmd && v == "0" || !inCmd && inEnv && ev.known && ev.v == "0":
		case inCmd || inEnv:
			return // CGO_ENABLED=1 or unknown: the author chose cgo
		default:
			need = append(need, g)
		}
	}
	var why string
	why, usesTZ = b.pureGo()
	if len(need) == 0 {
		b.static = true
		return
	}
	if why != "" {
		b.notes = append(b.notes, "the binary may use cgo ("+why+"), so it keeps the builder's C library")
		return
	}
	for _, g := range need {
		if g.c.call == nil || g.c.wrapped || len(g.c.call.Args) == 0 {
			b.notes = append(b.notes, "CGO_ENABLED=0 could not be added to the go command on "+msLine(g.c.in)+", so the binary keeps the builder's C library")
			return
		}
	}
	for _, g := range need {
		b.cgoEdits = append(b.cgoEdits, g.c.sh.InsertBefore(g.c.call.Args[0], "CGO_ENABLED=0 "))
	}
	b.static = true
	b.notes = append(b.notes, "set CGO_ENABLED=0 on go "+need[0].c.argv[0]+" (the build context has no cgo and no third-party module), so the binary is static")
}
