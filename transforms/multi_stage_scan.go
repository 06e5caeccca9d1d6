package transforms

// multi-stage: reading the single stage, instruction by instruction, with
// the working directory, environment and user each RUN sees, and every
// simple command of every RUN with the directory it runs in.

import (
	"path"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
	"mvdan.cc/sh/v3/syntax"

	"github.com/dockopt/dockopt/rewrite"
)

// msBuild is everything multi-stage learns about the stage and decides.
type msBuild struct {
	p    *rewrite.Pass
	d    *rewrite.Document
	st   *rewrite.Stage
	stop *msStop
	ctx  *msContext

	repo, tag string // the base image (Docker Hub repository) and tag

	// State at the instruction being read.
	wd      string
	wdKnown bool
	env     map[string]msVal
	user    string

	srcDirs  []msCopy // where the build context was copied (the source tree)
	pkgs     []string // packages installed with apt-get/apk
	building bool     // a toolchain command was seen
	lang     string
	langAt   *rewrite.Instruction

	// What the classifier found.
	events     []msEvent
	goBuilds   []*msGoBuild
	makes      []*msMake
	cmakes     []*msCMake
	cargos     []*msCargo
	javaDirs   []msJavaOut // javac -d, jar cf
	mavens     []string    // directories mvn ran in
	gradles    []string
	npmDir     string // where npm ci/install ran
	npmCI      bool
	npmBuilds  []string // npm run scripts
	venv       string
	pipReqs    []msReq
	pipPkgs    []string
	usesTZ     bool // a Go program loads time zones
	userRuns   []*rewrite.Instruction
	created    map[string]bool // users and groups the build created
	homes      []string        // home directories useradd/adduser created
	writes     []msWrite
	artifacts  []string          // absolute paths in the builder
	dupOf      map[string]string // artifact -> the artifact it is a copy of
	used       map[string]bool   // artifacts the container runs
	caInBuild  bool              // the builder has /etc/ssl/certs/ca-certificates.crt
	tzInBuild  bool              // the builder has /usr/share/zoneinfo
	lastBuild  *rewrite.Instruction
	afterBuild []*rewrite.Instruction // RUNs after the last build RUN

	copied   []*rewrite.Instruction // ARG and ENV, repeated in the runtime stage
	moved    []*rewrite.Instruction // metadata, moved to the runtime stage
	userIn   *rewrite.Instruction   // the last USER
	workdirs []*rewrite.Instruction
	cmd, ep  *rewrite.Instruction

	// Decisions.
	builderName string
	runtime     string
	shell       bool // the runtime image has /bin/sh
	static      bool
	cgoEdits    []rewrite.Edit
	extraCopies []msCopyOut // CA bundle, zoneinfo, passwd ...
	nodeFiles   []string
	notes       []string
}

// msVal is an environment value; known is false when it depends on
// something dockopt cannot read (a build argument, the base image).
type msVal struct {
	v     string
	known bool
}

// msCopy is a COPY of build-context sources (relative to the context) to
// dest, an absolute path in the image.
type msCopy struct {
	in      *rewrite.Instruction
	sources []string
	dest    string
	destDir bool // dest is a directory (ends with / or several sources)
}

// msWrite is a path a command writes outside the toolchain's own places.
type msWrite struct {
	in   *rewrite.Instruction
	path string
	what string
}

type msCopyOut struct{ from, to string }

func newMSBuild(p *rewrite.Pass, st *rewrite.Stage) *msBuild {
	b := &msBuild{p: p, d: p.Doc, st: st, env: map[string]msVal{}, created: map[string]bool{}, dupOf: map[string]string{}, used: map[string]bool{}}
	b.ctx = openMSContext(p)
	return b
}

// scan reads the stage in order.
func (b *msBuild) scan() {
	from := b.st.From
	base := b.st.Base
	b.builderName = b.st.Name
	if b.builderName == "" {
		b.builderName = "builder"
		if takenNames(b.d)["builder"] {
			b.builderName = "build"
		}
	}
	switch {
	case strings.Contains(base, "$"):
		b.fail(from, "the base image %s is chosen by a build argument, so its toolchain and distribution are unknown", base)
		return
	case looksWindowsImage(base):
		b.fail(from, "Windows images are not supported")
		return
	}
	for _, f := range from.Flags() {
		if strings.Contains(f, "$") {
			b.fail(from, "FROM %s: the runtime stage's platform would differ from the builder's", f)
		}
	}
	b.repo, b.tag = hubRepository(base), imageTag(base)
	b.wd, b.wdKnown = imageWorkdir(base)
	b.env["PATH"] = msVal{v: imagePath(b.repo), known: imagePath(b.repo) != ""}
	for k, v := range imageEnv[b.repo] {
		b.env[k] = msVal{v: v, known: true}
	}
	b.caInBuild = imageHasCA[b.repo]
	if l := imageLang[b.repo]; l != "" {
		b.lang = l
	}
	// After a refusal the scan goes on, only to learn whether the stage
	// builds anything (a stage that does not is left alone silently).
	for _, in := range b.st.Instructions {
		b.instruction(in)
	}
}

func (b *msBuild) instruction(in *rewrite.Instruction) {
	v, err := rewrite.ParseInstruction(in.Node)
	if err != nil {
		b.fail(in, "BuildKit cannot read the instruction: %v", err)
		return
	}
	switch c := v.(type) {
	case *instructions.EnvCommand:
		b.copied = append(b.copied, in)
		for _, kv := range c.Env {
			b.env[kv.Key] = b.expand(kv.Value)
		}
	case *instructions.ArgCommand:
		b.copied = append(b.copied, in)
		for _, kv := range c.Args {
			b.env[kv.Key] = msVal{} // --build-arg may set it
		}
	case *instructions.WorkdirCommand:
		b.workdirs = append(b.workdirs, in)
		w := b.expand(c.Path)
		switch {
		case !w.known:
			b.wd, b.wdKnown = "", false
		case strings.HasPrefix(w.v, "/"):
			b.wd, b.wdKnown = path.Clean(w.v), true
		case b.wdKnown:
			b.wd = path.Join(b.wd, w.v)
		}
	case *instructions.UserCommand:
		b.userIn = in
		b.user = c.User
	case *instructions.CopyCommand:
		b.copyCmd(in, c.From, c.SourcePaths, c.DestPath, c.Parents)
	case *instructions.AddCommand:
		for _, s := range c.SourcePaths {
			if strings.Contains(s, "://") || strings.HasPrefix(s, "git@") || msArchive(s) {
				b.fail(in, "ADD %s fetches or unpacks files dockopt cannot list", s)
				return
			}
		}
		b.copyCmd(in, "", c.SourcePaths, c.DestPath, false)
	case *instructions.RunCommand:
		b.run(in)
	case *instructions.CmdCommand:
		b.cmd = in
		b.moved = append(b.moved, in)
	case *instructions.EntrypointCommand:
		b.ep = in
		b.moved = append(b.moved, in)
	case *instructions.ExposeCommand, *instructions.VolumeCommand, *instructions.LabelCommand,
		*instructions.HealthCheckCommand, *instructions.StopSignalCommand, *instructions.MaintainerCommand:
		b.moved = append(b.moved, in)
	case *instructions.ShellCommand:
		b.fail(in, "SHELL changes how every later RUN and CMD runs; the runtime stage's shell is not the builder's")
	case *instructions.OnbuildCommand:
		b.fail(in, "ONBUILD makes this image a base for other builds, whose needs dockopt cannot know")
	default:
		b.fail(in, "multi-stage does not handle %s", strings.ToUpper(in.Cmd))
	}
}

func (b *msBuild) copyCmd(in *rewrite.Instruction, from string, sources []string, dest string, parents bool) {
	if from != "" {
		b.fail(in, "COPY --from=%s copies files from another image that the program may need at run time", from)
		return
	}
	if parents {
		b.fail(in, "COPY --parents is not followed")
		return
	}
	d := b.expand(dest)
	if !d.known {
		b.fail(in, "the COPY destination %s is not known", dest)
		return
	}
	abs := d.v
	if !strings.HasPrefix(abs, "/") {
		if !b.wdKnown {
			b.fail(in, "the COPY destination %s is relative to a WORKDIR dockopt cannot resolve", dest)
			return
		}
		abs = path.Join(b.wd, abs)
	}
	c := msCopy{in: in, dest: path.Clean(abs), destDir: strings.HasSuffix(dest, "/") || len(sources) > 1 || dest == "." || dest == ".."}
	for _, s := range sources {
		if strings.Contains(s, "$") {
			b.fail(in, "the COPY source %s is not known", s)
			return
		}
		c.sources = append(c.sources, strings.TrimPrefix(path.Clean(s), "/"))
		if path.Clean(s) == "." || path.Clean(s) == "/" || strings.ContainsAny(s, "*?[") {
			c.destDir = true
		}
	}
	if msSystemDir(c.dest) {
		b.fail(in, "COPY into %s puts files where the runtime image keeps its own", c.dest)
		return
	}
	b.srcDirs = append(b.srcDirs, c)
}

// msSystemDir reports destinations that are, or contain, the image's system
// directories: what is copied there may be needed at run time.
func msSystemDir(p string) bool {
	switch {
	case p == "/" || p == "/usr" || p == "/usr/local" || p == "/etc" || p == "/opt":
		return true
	}
	for _, d := range []string{"/bin", "/sbin", "/lib", "/usr/bin", "/usr/sbin", "/usr/lib", "/usr/local/bin", "/usr/local/lib", "/usr/local/sbin", "/usr/share", "/etc/"} {
		if p == strings.TrimSuffix(d, "/") || strings.HasPrefix(p, strings.TrimSuffix(d, "/")+"/") {
			return true
		}
	}
	return false
}

func msArchive(s string) bool {
	for _, x := range []string{".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst", ".gz", ".bz2", ".xz"} {
		if strings.HasSuffix(strings.ToLower(s), x) {
			return true
		}
	}
	return false
}

// expand processes a word as BuildKit does (quotes removed, $VAR and
// ${VAR} expanded) with the environment seen so far; the value is unknown
// when it uses a variable whose value is unknown.
func (b *msBuild) expand(s string) msVal {
	var kv []string
	for k, v := range b.env {
		if v.known {
			kv = append(kv, k+"="+v.v)
		}
	}
	res, err := shell.NewLex(b.d.Escape).ProcessWordWithMatches(s, shell.EnvsFromSlice(kv))
	if err != nil || len(res.Unmatched) > 0 {
		return msVal{}
	}
	return msVal{v: res.Result, known: true}
}

// msCmd is one simple command of a RUN, seen through the wrappers that only
// change how it runs, with the directory it runs in.
type msCmd struct {
	in       *rewrite.Instruction
	sh       *rewrite.Shell   // nil for exec form
	call     *syntax.CallExpr // nil for exec form
	name     string           // base name of the program
	prog     string           // the program word as written
	argv     []string         // the arguments (program excluded)
	lit      []bool
	cwd      string
	cwdKnown bool
	env      map[string]string // VAR=value prefixes and exports before it in the RUN
	wrapped  bool              // behind sudo, env, exec ...
	venv     string            // a virtualenv activated earlier in the RUN
}

// allLit reports whether every argument is literal.
func (c *msCmd) allLit() bool {
	for _, ok := range c.lit {
		if !ok {
			return false
		}
	}
	return true
}

// abs resolves a path argument against the command's directory.
func (c *msCmd) abs(p string) (string, bool) {
	if strings.HasPrefix(p, "/") {
		return path.Clean(p), true
	}
	if strings.HasPrefix(p, "~") || !c.cwdKnown {
		return "", false
	}
	return path.Join(c.cwd, p), true
}

// commands lists the simple commands of a RUN in order; ok is false (and
// the build stops) for a RUN whose commands cannot be followed.
func (b *msBuild) commands(in *rewrite.Instruction) ([]*msCmd, bool) {
	if in.IsJSON() {
		a := in.Args()
		if len(a) == 0 {
			return nil, true
		}
		c := &msCmd{in: in, name: path.Base(a[0]), prog: a[0], argv: a[1:], cwd: b.wd, cwdKnown: b.wdKnown, env: map[string]string{}}
		for range c.argv {
			c.lit = append(c.lit, true)
		}
		return []*msCmd{c}, true
	}
	sh, err := b.d.Shell(in)
	if err != nil {
		b.fail(in, "the RUN cannot be read (%v), so what it leaves in the image is unknown", err)
		return nil, false
	}
	before := b.stop
	w := &msWalker{b: b, sh: sh, env: map[string]string{}}
	w.stmts(sh.File.Stmts, b.wd, b.wdKnown)
	return w.out, b.stop == before
}

type msWalker struct {
	b    *msBuild
	sh   *rewrite.Shell
	out  []*msCmd
	env  map[string]string
	venv string
}

func (w *msWalker) stmts(list []*syntax.Stmt, cwd string, known bool) (string, bool) {
	for _, s := range list {
		cwd, known = w.stmt(s, cwd, known)
	}
	return cwd, known
}

func (w *msWalker) stmt(s *syntax.Stmt, cwd string, known bool) (string, bool) {
	in := w.sh.Instr
	if s.Background || s.Coprocess {
		w.b.fail(in, "the RUN starts a background command")
		return cwd, known
	}
	for _, r := range s.Redirs {
		switch r.Op {
		case syntax.RdrOut, syntax.AppOut, syntax.RdrAll, syntax.AppAll, syntax.RdrClob, syntax.AppClob:
			v, ok := rewrite.WordLit(r.Word)
			if !ok {
				w.b.fail(in, "the RUN writes to %s, a file dockopt cannot tell", w.sh.Text(r.Word))
				continue
			}
			if v == "/dev/null" || v == "/dev/stdout" || v == "/dev/stderr" {
				continue
			}
			c := &msCmd{cwd: cwd, cwdKnown: known}
			if p, ok := c.abs(v); ok {
				w.b.writes = append(w.b.writes, msWrite{in: in, path: p, what: "a redirection"})
			} else {
				w.b.fail(in, "the RUN writes to %s under a directory dockopt cannot tell", v)
			}
		}
	}
	switch x := s.Cmd.(type) {
	case nil:
	case *syntax.CallExpr:
		return w.call(x, cwd, known)
	case *syntax.BinaryCmd:
		if x.Op == syntax.Pipe || x.Op == syntax.PipeAll {
			w.stmt(x.X, cwd, known)
			w.stmt(x.Y, cwd, known)
			return cwd, known
		}
		cwd, known = w.stmt(x.X, cwd, known)
		return w.stmt(x.Y, cwd, known)
	case *syntax.Subshell:
		w.stmts(x.Stmts, cwd, known)
	case *syntax.Block:
		return w.stmts(x.Stmts, cwd, known)
	default:
		w.b.fail(in, "the RUN uses shell control flow (%s) that dockopt does not follow", w.sh.Text(s))
	}
	return cwd, known
}

func (w *msWalker) call(x *syntax.CallExpr, cwd string, known bool) (string, bool) {
	in := w.sh.Instr
	env := map[string]string{}
	for k, v := range w.env {
		env[k] = v
	}
	for _, a := range x.Assigns {
		if a.Value == nil {
			continue
		}
		v, ok := rewrite.WordLit(a.Value)
		if !ok {
			v = "\x00"
		}
		env[a.Name.Value] = v
		if len(x.Args) == 0 {
			w.env[a.Name.Value] = v // a plain assignment lasts for the RUN
		}
	}
	args := x.Args
	wrapped := false
	for len(args) > 0 {
		v, _ := rewrite.WordLit(args[0])
		switch path.Base(v) {
		case "sudo", "exec", "nohup", "time", "nice", "command":
			args, wrapped = msSkipOptions(args[1:], map[string]bool{"-u": true, "-g": true, "-n": true}), true
			continue
		case "env":
			args, wrapped = msSkipOptions(args[1:], nil), true
			for len(args) > 0 {
				a, ok := rewrite.WordLit(args[0])
				k, val, found := strings.Cut(a, "=")
				if !ok || !found || k == "" || strings.ContainsAny(k, "/-.") {
					break
				}
				env[k] = val
				args = args[1:]
			}
			continue
		}
		break
	}
	if len(args) == 0 {
		return cwd, known
	}
	prog, ok := rewrite.WordLit(args[0])
	if !ok {
		w.b.fail(in, "the RUN runs a program named by an expansion (%s)", w.sh.Text(args[0]))
		return cwd, known
	}
	c := &msCmd{in: in, sh: w.sh, call: x, name: path.Base(prog), prog: prog, cwd: cwd, cwdKnown: known, env: env, wrapped: wrapped, venv: w.venv}
	for _, a := range args[1:] {
		v, ok := rewrite.WordLit(a)
		c.argv, c.lit = append(c.argv, v), append(c.lit, ok)
	}
	switch c.name {
	case "cd":
		if len(c.argv) == 1 && c.lit[0] && c.argv[0] != "-" {
			if p, ok := c.abs(c.argv[0]); ok {
				return p, true
			}
		}
		return "", false
	case "export":
		for i, a := range c.argv {
			if k, v, ok := strings.Cut(a, "="); ok && c.lit[i] {
				w.env[k] = v
			} else if ok {
				w.env[k] = "\x00"
			}
		}
		return cwd, known
	case ".", "source":
		if len(c.argv) == 1 && c.lit[0] && path.Base(c.argv[0]) == "activate" {
			if p, ok := c.abs(c.argv[0]); ok {
				w.venv = path.Dir(path.Dir(p))
				return cwd, known
			}
		}
	}
	w.out = append(w.out, c)
	return cwd, known
}

// msLine is an instruction's position for messages.
func msLine(in *rewrite.Instruction) string { return "line " + strconv.Itoa(in.StartLine) }

// msSkipOptions drops leading -x options (and the value of those in
// withValue).
func msSkipOptions(args []*syntax.Word, withValue map[string]bool) []*syntax.Word {
	for len(args) > 0 {
		v, ok := rewrite.WordLit(args[0])
		if !ok || !strings.HasPrefix(v, "-") || v == "-" {
			return args
		}
		args = args[1:]
		if v == "--" {
			return args
		}
		if withValue[v] && len(args) > 0 {
			args = args[1:]
		}
	}
	return args
}
