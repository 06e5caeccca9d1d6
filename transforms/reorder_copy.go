package transforms

import (
	"fmt"
	"path"
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
	wd      map[*rewrite.Instruction]string   // workdir's cache
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
		c := rcReadCopy(pl.d, in, pl.workdir)
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

// workdir is rcWorkdir(pl.d, in), computed for the whole stage in one walk:
// a walk of the stage per COPY made a stage of many COPYs quadratic.
func (pl *rcPlan) workdir(in *rewrite.Instruction) string {
	if pl.wd == nil {
		pl.wd = map[*rewrite.Instruction]string{}
		// The same fold as rcWorkdirIn, recording the value before each
		// instruction (what rcWorkdirIn(d, st, x.Index, 0) returns).
		wd := rcWorkdirIn(pl.d, pl.st, 0, 0) // no instruction has Index < 0: the stage's starting directory
		for _, x := range pl.st.Instructions {
			pl.wd[x] = wd
			if x.Cmd != "workdir" {
				continue
			}
			args := x.Args()
			if len(args) != 1 || strings.Contains(args[0], "$") {
				wd = fmt.Sprintf("/\x00workdir%d", x.Index)
				continue
			}
			wd = rcResolve(wd, args[0])
		}
	}
	if wd, ok := pl.wd[in]; ok {
		return wd
	}
	return rcWorkdir(pl.d, in) // not of this stage
}

func rcWorkdirIn(d *rewrite.Document, st *rewrite.Stage, before, depth int) string {
	wd := "/\x00base"
	if parent := d.Parent(st); parent != nil && parent.Index < st.Index && depth < len(d.Stages) {
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
