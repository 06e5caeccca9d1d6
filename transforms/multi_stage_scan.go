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
	pipLocal   []string // local projects pip installs (absolute)
	usesTZ     bool     // a Go program loads time zones
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
		b.builderName = freeName("builder", takenNames(b.d))
	}
	switch {
	case strings.Contains(base, "$"):
		b.fail(from, "the base image %s is chosen by a build argument, so its toolchain and distribution are unknown", base)
	case looksWindowsImage(base):
		b.fail(from, "Windows images are not supported")
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

// msLine is an instruction's position for messages.
func msLine(in *rewrite.Instruction) string { return "line " + strconv.Itoa(in.StartLine) }
