package transforms

// reorder-copy: copying dependency manifests before the install.

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/dockopt/dockopt/rewrite"
)

// splitManifests handles `COPY . DEST` followed by a dependency install:
// the manifests alone are copied before the install, and the full COPY
// moves below it.
func (pl *rcPlan) splitManifests() {
	for i := 0; i < len(pl.seq); i++ {
		x := pl.seq[i]
		c := rcReadCopy(pl.d, x, pl.workdir)
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
	if pl.workdir(run) != c.dest {
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
		for k, r := range inst.reqs {
			// -r /app/requirements.txt names the same file as -r requirements.txt
			// when the install runs in /app (checked above).
			if strings.HasPrefix(r, "/") && r != c.dest && rcUnder(path.Clean(r), c.dest) {
				inst.reqs[k] = strings.TrimPrefix(path.Clean(r), c.dest+"/")
			}
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
		prev := rcReadCopy(pl.d, pl.seq[k], pl.workdir)
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
