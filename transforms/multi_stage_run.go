package transforms

// multi-stage: checking that what the container runs (CMD, ENTRYPOINT,
// HEALTHCHECK, as USER) works in the runtime image, and adding the
// artifacts the run command names (a jar, a Node build directory).

import (
	"path"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"mvdan.cc/sh/v3/syntax"

	"github.com/dockopt/dockopt/rewrite"
)

// checkRun checks what the container runs in the runtime image, and adds
// the artifacts that the run command names (Java, Node, Python).
func (b *msBuild) checkRun() {
	if b.cmd == nil && b.ep == nil {
		b.fail(b.st.From, "the image has no CMD or ENTRYPOINT of its own: what it runs comes from the base image")
		return
	}
	if b.lang == "python" {
		arts, why := b.pythonArtifacts()
		if why != "" {
			b.fail(b.langAt, "%s", why)
			return
		}
		b.artifacts = arts
		if b.checkPythonDeps(); b.stop != nil {
			return
		}
	}
	for _, in := range []*rewrite.Instruction{b.ep, b.cmd} {
		if in == nil || in.IsJSON() || b.shell {
			continue
		}
		if b.ep != nil && b.ep.IsJSON() && len(b.ep.Args()) > 0 && in == b.cmd {
			continue // only arguments of the ENTRYPOINT
		}
		sh, err := b.d.Shell(in)
		if err != nil {
			b.fail(in, "shell-form %s cannot be read (%v)", strings.ToUpper(in.Cmd), err)
			return
		}
		if _, _, why := plainWords(sh); why != "" {
			b.fail(in, "shell-form %s needs a shell (%s), which the runtime image %s does not have", strings.ToUpper(in.Cmd), why, b.runtime)
			return
		}
	}
	b.checkSources()
	native := b.lang == "go" || b.lang == "c" || b.lang == "rust"
	if native && b.stop == nil {
		b.checkWrites() // before the run command: a write is the likelier cause
	}
	for _, pr := range b.runPrograms() {
		if b.stop != nil {
			return
		}
		b.checkProgram(pr.in, pr.prog, pr.args, 0)
		if b.stop != nil {
			return
		}
	}
	for _, in := range b.moved {
		if in.Cmd == "healthcheck" {
			b.checkHealthcheck(in)
		}
	}
	if b.stop == nil && b.lang == "node" {
		b.nodeSetup()
	}
	if b.stop == nil && !native {
		b.checkWrites()
	}
	if b.stop == nil {
		b.checkUser()
	}
	if b.stop == nil && !b.shell {
		b.shelllessFiles()
	}
	b.dropCopies()
}

type msProgram struct {
	in   *rewrite.Instruction
	prog string
	args []string
}

// runPrograms are the programs the container starts.
func (b *msBuild) runPrograms() []msProgram {
	ep, cmd := b.ep, b.cmd
	if ep != nil && ep.IsJSON() && len(ep.Args()) == 0 {
		ep = nil // ENTRYPOINT [] is none
	}
	switch {
	case ep != nil && ep.IsJSON():
		a := ep.Args()
		rest := a[1:]
		if cmd != nil && cmd.IsJSON() {
			rest = append(append([]string(nil), rest...), cmd.Args()...)
		}
		return []msProgram{{ep, a[0], rest}}
	case ep != nil:
		return b.shellPrograms(ep)
	case cmd != nil && cmd.IsJSON():
		a := cmd.Args()
		if len(a) == 0 {
			b.fail(cmd, "CMD [] runs nothing")
			return nil
		}
		return []msProgram{{cmd, a[0], a[1:]}}
	case cmd != nil:
		return b.shellPrograms(cmd)
	}
	return nil
}

func (b *msBuild) shellPrograms(in *rewrite.Instruction) []msProgram {
	sh, err := b.d.Shell(in)
	if err != nil {
		b.fail(in, "%s cannot be read (%v)", strings.ToUpper(in.Cmd), err)
		return nil
	}
	var out []msProgram
	for _, c := range sh.Commands() {
		w := c.Call.Args[len(c.Call.Args)-len(c.Args)-1]
		prog, ok := rewrite.WordLit(w)
		if !ok {
			b.fail(in, "%s runs a program named by an expansion", strings.ToUpper(in.Cmd))
			return nil
		}
		args, _ := c.ArgLits()
		out = append(out, msProgram{in, prog, args})
	}
	return out
}

// msShellUtilities are shell builtins and programs every image with a shell
// has (coreutils or busybox).
var msShellUtilities = wordSet("sh echo printf exec cd test [ true false : set export sleep env cat ls pwd trap wait kill read exit")

func (b *msBuild) checkProgram(in *rewrite.Instruction, prog string, args []string, depth int) {
	name := path.Base(prog)
	kw := strings.ToUpper(in.Cmd)
	wd := b.wd
	switch {
	case (name == "sh" || name == "bash") && len(args) >= 2 && args[0] == "-c" && depth == 0 && b.shell:
		f, err := syntax.NewParser().Parse(strings.NewReader(args[1]), "")
		if err != nil {
			b.fail(in, "%s runs a shell script dockopt cannot read", kw)
			return
		}
		syntax.Walk(f, func(n syntax.Node) bool {
			if call, ok := n.(*syntax.CallExpr); ok && len(call.Args) > 0 && b.stop == nil {
				vals := wordLits(call.Args)
				b.checkProgram(in, vals[0], vals[1:], depth+1)
			}
			return true
		})
		return
	case b.lang == "java" && name == "java":
		art, why := b.javaArtifact(args, wd)
		if why != "" {
			b.fail(in, "%s: %s", kw, why)
			return
		}
		b.artifacts = append(b.artifacts, art)
		return
	case b.lang == "node" && name == "node":
		script := ""
		for i := 0; i < len(args); i++ {
			if args[i] == "-r" || args[i] == "--require" {
				i++
				continue
			}
			if !strings.HasPrefix(args[i], "-") {
				script = args[i]
				break
			}
		}
		b.addNode(in, kw, script, wd)
		return
	case b.lang == "node" && name == "npm":
		s := ""
		if len(args) >= 1 && args[0] == "start" {
			s = "start"
		} else if len(args) >= 2 && (args[0] == "run" || args[0] == "run-script") {
			s = args[1]
		}
		file, why := b.npmScript(s)
		if s == "" || why != "" {
			b.fail(in, "%s runs npm %s: %s", kw, strings.Join(args, " "), why)
			return
		}
		b.addNode(in, kw, file, b.npmDir)
		return
	case b.lang == "python" && b.pythonProgram(name) && !strings.Contains(prog, "/"):
		return
	case msToolchain[name] || b.lang != "node" && (name == "node" || name == "npm") || b.lang != "java" && name == "java":
		b.fail(in, "%s runs %s, which needs the toolchain at run time (the runtime image does not have it)", kw, name)
		return
	case b.shell && msShellUtilities[name] && !strings.Contains(prog, "/"):
		return
	}
	if b.isArtifact(prog, wd) {
		return
	}
	if !strings.Contains(prog, "/") {
		for _, a := range b.artifacts {
			if path.Base(a) == prog {
				b.fail(in, "%s runs %s by name, but %s is not on the PATH of the runtime image %s; write the absolute path", kw, prog, path.Dir(a), b.runtime)
				return
			}
		}
	}
	b.fail(in, "%s runs %s, which is not an artifact the runtime stage copies (%s)", kw, prog, strings.Join(b.artifacts, ", "))
}

func (b *msBuild) addNode(in *rewrite.Instruction, kw, script, at string) {
	art, why := b.nodeArtifact(script, at)
	if why != "" {
		b.fail(in, "%s: %s", kw, why)
		return
	}
	b.artifacts = append(b.artifacts, art)
}

// isArtifact reports whether prog, as the runtime would find it, is one of
// the artifacts (or inside the copied virtualenv).
func (b *msBuild) isArtifact(prog, wd string) bool {
	var cands []string
	switch {
	case strings.HasPrefix(prog, "/"):
		cands = []string{path.Clean(prog)}
	case strings.Contains(prog, "/"):
		if !b.wdKnown {
			return false
		}
		cands = []string{path.Join(wd, prog)}
	default:
		for _, dir := range b.runtimePath() {
			if dir == "" {
				dir = wd
			}
			cands = append(cands, path.Join(dir, prog))
		}
	}
	for _, c := range cands {
		for _, a := range b.artifacts {
			if c == a || b.lang == "python" && a == b.venv && pathUnder(c, a) && b.pythonProgram(path.Base(c)) {
				b.used[a] = true
				return true
			}
		}
	}
	return false
}

// dropCopies leaves out an artifact that the build only copied elsewhere
// (cp target/release/x /usr/local/bin/) when the container runs the copy.
func (b *msBuild) dropCopies() {
	var keep []string
	for _, a := range b.artifacts {
		dup := false
		for u := range b.used {
			if b.dupOf[u] == a && !b.used[a] {
				dup = true
			}
		}
		if !dup {
			keep = append(keep, a)
		}
	}
	b.artifacts = keep
}

func (b *msBuild) checkHealthcheck(in *rewrite.Instruction) {
	v, err := rewrite.ParseInstruction(in.Node)
	hc, ok := v.(*instructions.HealthCheckCommand)
	if err != nil || !ok || hc.Health == nil || len(hc.Health.Test) == 0 {
		return
	}
	t := hc.Health.Test
	switch t[0] {
	case "NONE":
	case "CMD":
		if len(t) > 1 {
			b.checkProgram(in, t[1], t[2:], 0)
		}
	case "CMD-SHELL":
		if !b.shell {
			b.fail(in, "HEALTHCHECK CMD in shell form needs a shell, which the runtime image %s does not have", b.runtime)
			return
		}
		if len(t) > 1 {
			b.checkProgram(in, "sh", []string{"-c", t[1]}, 0)
		}
	}
}

var msNonrootUsers = wordSet("root nobody nonroot 0 65532 65534")

func (b *msBuild) checkUser() {
	if b.user == "" {
		return
	}
	name, group, _ := strings.Cut(b.user, ":")
	numeric := func(s string) bool { return s == "" || strings.Trim(s, "0123456789") == "" }
	switch {
	case strings.Contains(b.user, "$"):
		b.fail(b.userIn, "USER %s is chosen by a variable", b.user)
	case numeric(name) && numeric(group):
	case b.created[name] && (group == "" || b.created[group] || numeric(group)):
		if !b.shell {
			b.extraCopies = append(b.extraCopies, msCopyOut{"/etc/passwd", "/etc/passwd"}, msCopyOut{"/etc/group", "/etc/group"})
			if len(b.homes) > 0 {
				b.notes = append(b.notes, "the user's home directory is not re-created in "+b.runtime)
			}
		}
	case name == "root" && (group == "" || group == "root"):
	case !b.shell && hubRepository(b.runtime) != "scratch" && msNonrootUsers[name] && group == "":
	case b.shell && (name == "nobody" || name == "daemon" || name == "www-data" || name == "node" && b.lang == "node") && group == "":
	default:
		b.fail(b.userIn, "USER %s is not created by this Dockerfile, and the runtime image %s may not have it", b.user, b.runtime)
	}
}

// shelllessFiles gives a scratch or distroless runtime the builder's CA
// bundle and, for a program that loads time zones, zoneinfo.
func (b *msBuild) shelllessFiles() {
	scratch := hubRepository(b.runtime) == "scratch"
	if b.caInBuild {
		b.extraCopies = append([]msCopyOut{{"/etc/ssl/certs/ca-certificates.crt", "/etc/ssl/certs/ca-certificates.crt"}}, b.extraCopies...)
	} else if scratch {
		b.notes = append(b.notes, "scratch has no CA certificates and the builder has none to copy: TLS connections will fail")
	}
	if b.usesTZ {
		switch {
		case b.tzInBuild:
			b.extraCopies = append(b.extraCopies, msCopyOut{"/usr/share/zoneinfo", "/usr/share/zoneinfo"})
		case scratch:
			b.fail(b.langAt, "the program loads time zones, and neither scratch nor the builder (install tzdata) has zoneinfo")
		}
	}
}
