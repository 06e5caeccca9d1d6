package transforms

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/dockopt/dockopt/rewrite"
)

// ReorderCopy moves COPY/ADD of build-context files below the RUNs that
// provably do not read them, and splits `COPY . DEST` before a dependency
// install into a COPY of the manifests only, before the install, and the
// full COPY after it.
//
// Helpers live in reorder_copy_*.go and carry an rc prefix: the package is
// shared by many transforms and these names are only meaningful here.
//
// Decisions:
//   - ENV and ARG are crossed only by a COPY that expands no variable
//     (`$` anywhere in it): they cannot change what such a COPY does, and a
//     RUN that uses them is not moved.
//   - LABEL, EXPOSE, MAINTAINER and STOPSIGNAL are crossed; every other
//     instruction is a barrier (WORKDIR, USER, SHELL, VOLUME, ONBUILD, CMD,
//     ENTRYPOINT, HEALTHCHECK, any COPY/ADD, any RUN not in the list), so
//     copies keep their relative order and never leave their stage.
//   - The split is the exception: the manifest COPY takes the full COPY's
//     place and the full COPY alone moves below the install, across USER
//     (COPY ignores it) and WORKDIR when its destination is absolute.
//   - The split assumes the context's lock files are current: installs
//     that may rewrite one (npm install, yarn without --frozen-lockfile,
//     bundle install unfrozen) are refused, since the full COPY would then
//     overwrite the rewrite; `go mod download` is trusted not to need new
//     go.sum lines (a go.sum that lacks them fails `go build` locally too).
//   - Comment lines directly above a moved instruction (no blank line in
//     between) describe it and move with it. Instructions trade places and
//     the blank lines and detached comments between them stay where they
//     were.
var ReorderCopy = &rewrite.Transform{
	ID:      "reorder-copy",
	Summary: "Move COPY of the build context below RUNs that do not read it; copy dependency manifests before installs",
	Rationale: "Docker rebuilds every instruction after a COPY whose files changed, so a `COPY . /app` above " +
		"`apt-get install` reinstalls the system packages on every source edit. dockopt moves a COPY/ADD of the " +
		"build context below the RUNs that provably cannot read what it copies (system package installs with literal " +
		"names, user creation, mkdir, curl/wget to absolute paths, cache cleanup) when none of them touches its " +
		"destination, and, when `COPY . DEST` feeds `pip install -r`, `npm ci`, `yarn`/`pnpm install`, `go mod download`, " +
		"`bundle install`, `composer install` or `poetry install --no-root`, copies just the manifests (read from the " +
		"build context, honouring .dockerignore) before the install and the rest after it. A COPY never moves across " +
		"SHELL, another COPY/ADD or a stage boundary, nor across WORKDIR or USER except the full COPY of a split (the " +
		"manifest COPY takes its place); COPY --from is left alone; the split is refused when the context is unreadable, " +
		"a manifest refers to other files (local paths, workspaces, install scripts) or the install may rewrite its lock file.",
	Before: "FROM python:3.12\nWORKDIR /app\nCOPY . .\n" +
		"RUN apt-get update && apt-get install -y libpq5\nRUN pip install -r requirements.txt\n",
	After: "FROM python:3.12\nWORKDIR /app\nRUN apt-get update && apt-get install -y libpq5\n" +
		"COPY . .\nRUN pip install -r requirements.txt\n",
	Default: true,
	Run:     runReorderCopy,
}

func runReorderCopy(p *rewrite.Pass) {
	ctx := &rcContextCache{p: p}
	for _, st := range p.Doc.Stages {
		plan := newRCPlan(p, st, ctx)
		plan.moveCopiesDown()
		plan.splitManifests()
		plan.emit()
	}
}

// rcPlan is a stage's instructions in their new order, plus COPY
// instructions to insert, glued before an existing instruction.
//
// Each instruction owns a chunk (its lines and the comment lines directly
// above it) and the gap after it (blank lines and detached comments up to
// the next chunk). A moved instruction trades gaps with the one it lands
// after: in `X <blank> A B` moving X below B gives `A B <blank> X`, so the
// instructions that stay keep their spacing and X keeps its separation.
type rcPlan struct {
	p       *rewrite.Pass
	d       *rewrite.Document
	st      *rewrite.Stage
	ctx     *rcContextCache
	seq     []*rewrite.Instruction
	gap     map[*rewrite.Instruction]string
	inserts map[*rewrite.Instruction]string
	notes   map[*rewrite.Instruction][]string // what happened, per instruction, for the finding
}

func newRCPlan(p *rewrite.Pass, st *rewrite.Stage, ctx *rcContextCache) *rcPlan {
	pl := &rcPlan{p: p, d: p.Doc, st: st, ctx: ctx, seq: slices.Clone(st.Instructions),
		gap:     map[*rewrite.Instruction]string{},
		inserts: map[*rewrite.Instruction]string{}, notes: map[*rewrite.Instruction][]string{}}
	for _, in := range st.Instructions {
		pl.gap[in] = rcGapAfter(p.Doc, in)
	}
	return pl
}

// rcGapAfter is the text between in and the next instruction's chunk.
func rcGapAfter(d *rewrite.Document, in *rewrite.Instruction) string {
	end := len(d.Src)
	if in.Index+1 < len(d.Instructions) {
		end = rcChunkStart(d, d.Instructions[in.Index+1])
	}
	return string(d.Src[in.End:end])
}

// moveAfter moves x just below target (which is below x).
func (pl *rcPlan) moveAfter(x, target *rewrite.Instruction) {
	pl.seq = slices.Delete(pl.seq, pl.pos(x), pl.pos(x)+1)
	t := pl.pos(target)
	pl.seq = slices.Insert(pl.seq, t+1, x)
	pl.gap[x], pl.gap[target] = pl.gap[target], pl.gap[x]
}

func (pl *rcPlan) pos(in *rewrite.Instruction) int { return slices.Index(pl.seq, in) }

// moveCopiesDown handles the copies bottom-up, so that a copy meeting a
// later one that already moved stops right above it, in one pass.
func (pl *rcPlan) moveCopiesDown() {
	for i := len(pl.st.Instructions) - 1; i >= 0; i-- {
		in := pl.st.Instructions[i]
		c := rcReadCopy(pl.d, in)
		if c == nil {
			continue
		}
		if why := pl.moveDown(c); why != "" {
			pl.p.Skip(in, why)
		}
	}
}

// moveDown moves c below the RUNs after it that do not read or touch what
// it copies. why explains, when c stays, a refusal worth reporting.
func (pl *rcPlan) moveDown(c *rcCopy) (why string) {
	at := pl.pos(c.in)
	last := -1
	var passed []*rewrite.Instruction
scan:
	for j := at + 1; j < len(pl.seq); j++ {
		x := pl.seq[j]
		switch x.Cmd {
		case "label", "expose", "maintainer", "stopsignal":
		case "env", "arg":
			if c.vars {
				break scan
			}
		case "run":
			ok, w := c.passableRun(pl.d, x)
			if !ok {
				if last < 0 {
					why = w
				}
				break scan
			}
			last = j
			passed = append(passed, x)
		default:
			break scan
		}
	}
	if last < 0 {
		return why
	}
	pl.moveAfter(c.in, pl.seq[last])
	var lines []string
	for _, r := range passed {
		lines = append(lines, fmt.Sprint(pl.d.OriginalLine(r.StartLine)))
	}
	where := "the RUN at line " + lines[0]
	if len(lines) > 1 {
		where = "the RUNs at lines " + strings.Join(lines[:len(lines)-1], ", ") + " and " + lines[len(lines)-1]
	}
	pl.note(c.in, fmt.Sprintf("moved %s below %s, which cannot read what it copies: changes to its files no longer rebuild %s",
		c.describe(), where, map[bool]string{true: "them", false: "it"}[len(passed) > 1]))
	return ""
}

func (pl *rcPlan) note(in *rewrite.Instruction, msg string) {
	pl.notes[in] = append(pl.notes[in], msg)
}

// emit turns the plan into edits: each run of positions whose
// instructions were permuted (or got an insertion, or another gap) is
// rewritten from the instructions' own bytes.
func (pl *rcPlan) emit() {
	orig := pl.st.Instructions
	lo := -1
	var missing int // instructions of orig[lo..k] not yet in seq[lo..k], and vice versa
	var seen map[*rewrite.Instruction]int
	for k := range orig {
		x := pl.seq[k]
		changed := x != orig[k] || pl.inserts[x] != "" || pl.gap[x] != rcGapAfter(pl.d, orig[k])
		if lo < 0 && !changed {
			continue
		}
		if lo < 0 {
			lo, missing, seen = k, 0, map[*rewrite.Instruction]int{}
		}
		for _, y := range []*rewrite.Instruction{orig[k], x} {
			seen[y]++
			if seen[y] == 1 {
				missing++
			} else {
				missing--
			}
		}
		if missing == 0 {
			pl.emitSpan(lo, k)
			lo = -1
		}
	}
}

func (pl *rcPlan) emitSpan(lo, hi int) {
	d, orig := pl.d, pl.st.Instructions
	src := string(d.Src)
	start := rcChunkStart(d, orig[lo])
	end := orig[hi].End + len(rcGapAfter(d, orig[hi]))
	noFinalNL := end == len(src) && !strings.HasSuffix(src, "\n")
	nl := d.Newline(orig[hi].EndLine)
	var sb strings.Builder
	var msgs []string
	for k := lo; k <= hi; k++ {
		x := pl.seq[k]
		sb.WriteString(pl.inserts[x])
		sb.WriteString(src[rcChunkStart(d, x):x.End])
		if x.End == len(src) && noFinalNL {
			sb.WriteString(nl)
		}
		sb.WriteString(pl.gap[x])
		msgs = append(msgs, pl.notes[x]...)
	}
	out := sb.String()
	if noFinalNL {
		out = strings.TrimSuffix(out, nl)
	}
	if len(msgs) == 0 || out == src[start:end] {
		return
	}
	pl.p.FixSpan(orig[lo], orig[hi], strings.Join(msgs, "; "),
		rewrite.Edit{Start: start, End: end, New: out})
}

// rcChunkStart is where in's chunk starts: the comment lines directly
// above it (no blank line in between) belong to it.
func rcChunkStart(d *rewrite.Document, in *rewrite.Instruction) int {
	floor := 0
	if in.Index > 0 {
		floor = d.Instructions[in.Index-1].EndLine
	}
	n := in.StartLine
	for n-1 > floor {
		t := strings.TrimSpace(d.Line(n - 1))
		if !strings.HasPrefix(t, "#") {
			break
		}
		n--
	}
	return d.LineStart(n)
}

// rcWorkdir is the working directory in force at in (in its stage's
// original order; no instruction is ever moved across a WORKDIR). A base
// image's WORKDIR is unknown: such paths start with "/\x00", which never
// names a real directory and compares equal only to itself.
func rcWorkdir(d *rewrite.Document, in *rewrite.Instruction) string {
	return rcWorkdirIn(d, in.Stage, in.Index, 0)
}

func rcWorkdirIn(d *rewrite.Document, st *rewrite.Stage, before, depth int) string {
	wd := "/\x00base"
	if parent := d.StageByName(st.Base); parent != nil && parent.Index < st.Index && depth < len(d.Stages) {
		wd = rcWorkdirIn(d, parent, len(d.Instructions), depth+1)
	} else if st.Base != "" {
		wd = "/\x00" + st.Base
	}
	for _, x := range st.Instructions {
		if x.Index >= before || x.Cmd != "workdir" {
			continue
		}
		args := x.Args()
		if len(args) != 1 || strings.Contains(args[0], "$") {
			wd = fmt.Sprintf("/\x00workdir%d", x.Index)
			continue
		}
		wd = rcResolve(wd, args[0])
	}
	return wd
}

// rcResolve is p relative to dir, cleaned; absolute p stands alone.
func rcResolve(dir, p string) string {
	if strings.HasPrefix(p, "/") {
		return path.Clean(p)
	}
	if rcUnknown(dir) && slices.Contains(strings.Split(p, "/"), "..") {
		// Climbing out of an unknown directory lands somewhere unknown.
		return "/\x00up/" + path.Clean(dir+"/"+p)
	}
	return path.Join(dir, p)
}

// rcUnknown reports whether a resolved path starts at a directory dockopt
// does not know (a base image's WORKDIR, a variable).
func rcUnknown(p string) bool { return strings.HasPrefix(p, "/\x00") }

// splitManifests handles `COPY . DEST` followed by a dependency install:
// the manifests alone are copied before the install, and the full COPY
// moves below it.
func (pl *rcPlan) splitManifests() {
	for i := 0; i < len(pl.seq); i++ {
		x := pl.seq[i]
		c := rcReadCopy(pl.d, x)
		if c == nil || !c.copiesAll() {
			continue
		}
		j := i + 1
		for j < len(pl.seq) && rcSplitTransparent(pl.seq[j], c) {
			j++
		}
		if j == len(pl.seq) || pl.seq[j].Cmd != "run" {
			continue
		}
		r := pl.seq[j]
		files, what, why := pl.manifestsFor(c, r)
		if what == "" {
			continue
		}
		if why != "" {
			pl.p.Skip(x, fmt.Sprintf("%s not split before `%s` (line %d): %s", strings.ToUpper(c.keyword), what, pl.d.OriginalLine(r.StartLine), why))
			continue
		}
		text, err := "", ""
		if !pl.alreadyCopied(i, c, files) {
			text, err = pl.manifestCopy(c, files)
		}
		if err != "" {
			pl.p.Skip(x, fmt.Sprintf("%s not split before `%s` (line %d): %s", strings.ToUpper(c.keyword), what, pl.d.OriginalLine(r.StartLine), err))
			continue
		}
		// The manifests are copied where the full COPY was, so that they
		// meet every instruction between it and the install as it did.
		pl.inserts[pl.seq[i+1]] += text
		pl.moveAfter(x, r)
		copied := "the manifests copied just before it"
		if text != "" {
			copied = "a new COPY of " + strings.Join(files, ", ")
		}
		pl.note(x, fmt.Sprintf("moved %s below `%s` (line %d), which now reads %s: source changes no longer rerun the install",
			c.describe(), what, pl.d.OriginalLine(r.StartLine), copied))
		pl.moveDown(c)
		i-- // the instruction now at i has not been looked at
	}
}

// describe names the copy in messages: `COPY . /app`.
func (c *rcCopy) describe() string {
	return "`" + strings.Join(append(append([]string{strings.ToUpper(c.keyword)}, c.sources...), c.destRaw), " ") + "`"
}

// copiesAll reports whether c is `COPY . DEST` with only flags that a COPY
// of the manifests can repeat.
func (c *rcCopy) copiesAll() bool {
	if c.in.Cmd != "copy" || len(c.sources) != 1 || (c.sources[0] != "." && c.sources[0] != "./") {
		return false
	}
	for _, f := range c.flags {
		name, _, _ := strings.Cut(f, "=")
		if name != "--chown" && name != "--chmod" && name != "--link" {
			return false
		}
	}
	return true
}

// rcTransparent: instructions a COPY may cross without effect on either.
func rcTransparent(x *rewrite.Instruction, c *rcCopy) bool {
	switch x.Cmd {
	case "label", "expose", "maintainer", "stopsignal":
		return true
	case "env", "arg":
		return !c.vars
	}
	return false
}

// rcSplitTransparent: instructions the full COPY may cross on its way
// below the install. The manifest COPY stays in its place, so only the
// full COPY must not depend on them: USER never changes what COPY does
// (files are root-owned unless --chown), and WORKDIR does not change an
// absolute destination.
func rcSplitTransparent(x *rewrite.Instruction, c *rcCopy) bool {
	switch x.Cmd {
	case "user":
		return true
	case "workdir":
		return strings.HasPrefix(c.destRaw, "/")
	}
	return rcTransparent(x, c)
}

// manifestsFor checks that run is a dependency install that reads only its
// manifests, in c's destination. what names the install ("" when run is
// not one: nothing to report); why is set when it cannot be split.
func (pl *rcPlan) manifestsFor(c *rcCopy, run *rewrite.Instruction) (files []string, what, why string) {
	sh, err := pl.d.Shell(run)
	if err != nil {
		return nil, "", ""
	}
	var installs []*rcInstallCmd
	for _, cmd := range sh.Commands() {
		if role, inst := rcClassifyInstall(cmd); role == rcInstall {
			installs = append(installs, inst)
		}
	}
	if len(installs) == 0 {
		return nil, "", ""
	}
	what = installs[0].what
	cmds, ok := rcPlainCommands(sh)
	if !ok {
		return nil, what, "the RUN is more than a list of simple commands"
	}
	for _, cmd := range cmds {
		if cmd.chdir || cmd.Name == "cd" || cmd.Name == "pushd" {
			return nil, what, "the RUN changes directory"
		}
		role, inst := rcClassifyInstall(cmd.Command)
		switch role {
		case rcInstall:
			if inst.why != "" {
				return nil, what, inst.why
			}
			continue
		case rcAux:
			continue
		}
		known, w := c.passable(cmd.Command)
		if !known {
			name := cmd.Name
			if a, _ := cmd.ArgLits(); len(a) > 0 && !strings.HasPrefix(a[0], "-") {
				name += " " + a[0]
			}
			return nil, what, fmt.Sprintf("the RUN also runs `%s`, which may read other files", name)
		}
		if w != "" {
			return nil, what, w
		}
	}
	// A mount over the destination hides the same files in both orders;
	// only what a bind mount brings in matters.
	if _, ok := rcMountsOK(run, nil); !ok {
		return nil, what, "the RUN mounts files from the context or another stage"
	}
	if rcWorkdir(pl.d, run) != c.dest {
		return nil, what, fmt.Sprintf("the install does not run in the COPY destination %s", c.destRaw)
	}
	ctx, why := pl.ctx.get()
	if ctx == nil {
		return nil, what, why
	}
	var m rcManifests
	for _, inst := range installs {
		if inst.eco == "bundler" && rcBundleFrozen(pl.d, run) {
			inst.frozen = true
		}
		if why := rcGather(ctx, inst, &m); why != "" {
			return nil, what, why
		}
	}
	return m.files, what, ""
}

var (
	rcBundleFrozenEnv = regexp.MustCompile(`(?i)\bBUNDLE_(FROZEN|DEPLOYMENT)\s*[= ]\s*["']?(true|1)\b`)
	rcBundleFrozenCfg = regexp.MustCompile(`\bbundle\s+config\s+(set\s+)?(--local\s+|--global\s+)?(frozen|deployment)\s+["']?(true|1)\b`)
)

// rcBundleFrozen reports whether Bundler runs frozen at run: an ENV of the
// stage or a `bundle config` in the RUN says so.
func rcBundleFrozen(d *rewrite.Document, run *rewrite.Instruction) bool {
	if rcBundleFrozenCfg.MatchString(run.Node.Original) {
		return true
	}
	for _, x := range run.Stage.Instructions {
		if x.Index < run.Index && x.Cmd == "env" && rcBundleFrozenEnv.MatchString(x.Node.Original) {
			return true
		}
	}
	return false
}

// alreadyCopied reports whether the COPY instructions right above seq[i]
// already copy every manifest, with c's flags, to where c puts it.
func (pl *rcPlan) alreadyCopied(i int, c *rcCopy, files []string) bool {
	want := map[string]bool{}
	for _, f := range files {
		want[path.Join(c.dest, f)] = true
	}
	for k := i - 1; k >= 0 && len(want) > 0; k-- {
		prev := rcReadCopy(pl.d, pl.seq[k])
		if prev == nil || !slices.Equal(prev.flags, c.flags) || prev.vars {
			break
		}
		for _, s := range prev.sources {
			cs := path.Clean(s)
			for _, f := range files {
				ok, _ := path.Match(cs, f)
				if !ok {
					continue
				}
				target := prev.dest
				if prev.destDir {
					target = path.Join(prev.dest, path.Base(f))
				}
				if target == path.Join(c.dest, f) {
					delete(want, target)
				}
			}
		}
	}
	return len(want) == 0
}

// rcSafePath is a context path the new COPY can name as is.
var rcSafePath = regexp.MustCompile(`^[A-Za-z0-9._@+-]+(/[A-Za-z0-9._@+-]+)*$`)

// manifestCopy writes the COPY instructions of the manifests: one per
// directory, each keeping the original's keyword, flags and indentation,
// with a destination ending in "/".
func (pl *rcPlan) manifestCopy(c *rcCopy, files []string) (string, string) {
	d := pl.d
	for _, f := range append(slices.Clone(c.flags), c.destRaw) {
		if strings.ContainsAny(f, " \t\"'`\\$") {
			return "", "the COPY's destination or flags hold quotes, spaces or variables"
		}
	}
	var dirs []string
	byDir := map[string][]string{}
	for _, f := range files {
		if !rcSafePath.MatchString(f) || strings.HasPrefix(f, "-") {
			return "", fmt.Sprintf("the manifest path %q needs quoting", f)
		}
		dir := path.Dir(f)
		if _, ok := byDir[dir]; !ok {
			dirs = append(dirs, dir)
		}
		byDir[dir] = append(byDir[dir], f)
	}
	first := d.Line(c.in.StartLine)
	indent := first[:len(first)-len(strings.TrimLeft(first, " \t"))]
	if c.in.StartLine == 1 {
		indent = strings.TrimPrefix(indent, "\ufeff")
	}
	nl := d.Newline(c.in.StartLine)
	base := c.destRaw
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	var sb strings.Builder
	for _, dir := range dirs {
		dest := base
		if dir != "." {
			dest += dir + "/"
		}
		parts := append([]string{indent + c.keyword}, c.flags...)
		parts = append(parts, byDir[dir]...)
		parts = append(parts, dest)
		sb.WriteString(strings.Join(parts, " ") + nl)
	}
	return sb.String(), ""
}
