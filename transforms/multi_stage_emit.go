package transforms

// multi-stage: writing the split. The builder keeps its bytes (only ` AS
// builder` and CGO_ENABLED=0 are added); the instructions that describe the
// container move, with the comment lines right above them, to a new last
// stage that is appended to the file.

import (
	"encoding/json"
	"path"
	"strconv"
	"strings"

	"github.com/dockopt/dockopt/rewrite"
)

func (b *msBuild) emit() []rewrite.Edit {
	d := b.d
	from := b.st.From
	nl := d.Newline(from.StartLine)
	lower := strings.HasPrefix(strings.TrimSpace(from.Text(d)), "from")
	kw := func(s string) string {
		if lower {
			return strings.ToLower(s)
		}
		return s
	}
	var edits []rewrite.Edit
	if b.st.Name == "" {
		e, err := fromAsEdit(d, from, b.builderName)
		if err != nil {
			b.fail(from, "the FROM line cannot be edited: %v", err)
			return nil
		}
		edits = append(edits, e)
	}
	edits = append(edits, b.cgoEdits...)

	var moved strings.Builder
	end := len(d.Src)
	var dels []rewrite.Edit
	for _, in := range b.moved {
		start := attachedComments(d, in)
		dels = append(dels, rewrite.Edit{Start: start, End: in.End})
		inner, text := b.runtimeText(in, nl)
		moved.WriteString(inner + string(d.Src[start:in.Start]) + msEnsureNL(text, nl))
	}
	if b.stop != nil {
		return nil
	}
	edits = append(edits, dels...)
	for changed := true; changed; {
		changed = false
		for _, e := range dels {
			if e.End == end && e.Start < end {
				end, changed = e.Start, true
			}
		}
	}
	kept := string(d.Src[:end])
	prefix := ""
	if kept != "" && !strings.HasSuffix(kept, "\n") {
		prefix = nl
	}
	if t := strings.TrimRight(kept+prefix, "\r"); !strings.HasSuffix(t, "\n\n") && !strings.HasSuffix(t, "\n\r\n") {
		prefix += nl
	}

	var sb strings.Builder
	line := func(s string) { sb.WriteString(s + nl) }
	platform := ""
	for _, f := range from.Flags() {
		if strings.HasPrefix(f, "--platform=") {
			platform = " " + f
		}
	}
	line(kw("FROM") + platform + " " + b.runtime)
	for _, in := range b.copied {
		sb.WriteString(msEnsureNL(in.Text(d), nl))
	}
	name, _, _ := strings.Cut(b.user, ":")
	if b.shell && b.created[name] {
		for _, in := range b.userRuns {
			sb.WriteString(msEnsureNL(in.Text(d), nl))
		}
	}
	copyFrom := func(src []string, dst string) {
		args := append(append([]string(nil), src...), dst)
		for _, a := range args {
			if strings.ContainsAny(a, " \t\"'\\$") {
				q := make([]string, len(args))
				for i, x := range args {
					q[i] = jsonString(x)
				}
				line(kw("COPY") + " --from=" + b.builderName + " [" + strings.Join(q, ", ") + "]")
				return
			}
		}
		line(kw("COPY") + " --from=" + b.builderName + " " + strings.Join(args, " "))
	}
	for _, c := range b.extraCopies {
		copyFrom([]string{c.from}, c.to)
	}
	switch {
	case b.wdKnown && b.wd != "/":
		line(kw("WORKDIR") + " " + b.wd)
	case !b.wdKnown:
		for _, in := range b.workdirs {
			sb.WriteString(msEnsureNL(in.Text(d), nl))
		}
	}
	if b.lang == "node" && len(b.nodeFiles) > 0 {
		copyFrom(b.nodeFiles, b.npmDir+"/")
		line(kw("RUN") + " " + b.npmProdInstall())
	}
	for _, a := range b.artifacts {
		copyFrom([]string{a}, a)
	}
	if b.userIn != nil {
		sb.WriteString(msEnsureNL(b.userIn.Text(d), nl))
	}
	sb.WriteString(moved.String())
	edits = append(edits, rewrite.Edit{Start: len(d.Src), End: len(d.Src), New: prefix + sb.String()})
	return edits
}

func msEnsureNL(s, nl string) string {
	if strings.HasSuffix(s, "\n") {
		return s
	}
	return s + nl
}

// attachedComments is where the comment lines right above in start (no
// blank line between), or in.Start.
func attachedComments(d *rewrite.Document, in *rewrite.Instruction) int {
	prev := in.Prev()
	if prev == nil {
		prev = in.Stage.From
	}
	first := in.StartLine
	for n := in.StartLine - 1; n > prev.EndLine; n-- {
		if t := strings.TrimSpace(d.Line(n)); !strings.HasPrefix(t, "#") {
			break
		}
		first = n
	}
	return d.LineStart(first)
}

// runtimeText is a moved instruction as the runtime stage gets it: as
// written, except a shell-form CMD or ENTRYPOINT, which is written in exec
// form (see execWords) on one line; the comment lines it held are returned
// apart, to go above the comments attached to it (which may be a pragma
// that must stay right before the instruction).
func (b *msBuild) runtimeText(in *rewrite.Instruction, nl string) (inner, text string) {
	d := b.d
	if (in.Cmd != "cmd" && in.Cmd != "entrypoint") || in.IsJSON() || in.Node.Next == nil {
		return "", in.Text(d)
	}
	var words []string
	if sh, err := d.Shell(in); err == nil {
		if vals, _, why := plainWords(sh); why == "" && b.execWords(in, vals[0]) {
			words = vals
		}
	}
	if words == nil {
		if !b.shell {
			b.fail(in, "shell-form %s needs a shell, which %s does not have", strings.ToUpper(in.Cmd), b.runtime)
			return "", ""
		}
		words = []string{"/bin/sh", "-c", in.Node.Next.Value}
	}
	var comments strings.Builder
	for n := in.StartLine + 1; n <= in.EndLine; n++ {
		if t := strings.TrimSpace(d.Line(n)); strings.HasPrefix(t, "#") {
			comments.WriteString(msEnsureNL(d.Line(n), nl))
		}
	}
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = jsonString(w)
	}
	keyword := strings.Fields(in.Node.Original)[0]
	return comments.String(), keyword + " [" + strings.Join(q, ", ") + "]" + nl
}

// execWords reports whether a plain-word shell-form command can become
// exec-form words in the runtime stage and still start the same program:
// a CMD that no ENTRYPOINT receives (none in the file, and the runtime
// image's is known to run its arguments), or an ENTRYPOINT with no CMD. On
// a shell-less runtime words are the only choice. Otherwise the runtime
// gets ["/bin/sh", "-c", "..."], which is what the shell form means.
func (b *msBuild) execWords(in *rewrite.Instruction, first string) bool {
	if !b.shell {
		return true
	}
	if in.Cmd == "entrypoint" {
		return b.cmd == nil
	}
	if b.ep != nil {
		return false
	}
	kind, known := baseEntrypoint(b.runtime)
	return known && entrypointRefusal(b.runtime, kind, first) == ""
}

// npmProdInstall installs the production dependencies in the runtime stage.
func (b *msBuild) npmProdInstall() string {
	omit := "--omit=dev"
	if m := reLeadingNum.FindStringSubmatch(b.tag); m != nil {
		if n, err := strconv.Atoi(m[1]); err == nil && n < 16 {
			omit = "--production" // npm 6 and older
		}
	}
	if b.npmCI {
		return "npm ci " + omit
	}
	return "npm install " + omit
}

// nodeSetup lists the package files the runtime stage installs from.
func (b *msBuild) nodeSetup() {
	pj, ok := b.packageJSON()
	if !ok || len(pj.Dependencies) == 0 {
		return
	}
	if b.npmDir != b.wd {
		b.fail(b.langAt, "npm ran in %s but the image works in %s; the runtime stage's npm install would need both", b.npmDir, b.wd)
		return
	}
	rel, _ := b.ctxPath(b.npmDir)
	for _, f := range []string{"package.json", "package-lock.json", "npm-shrinkwrap.json", ".npmrc"} {
		if _, ok := b.ctx.stat(path.Join(rel, f)); ok {
			b.nodeFiles = append(b.nodeFiles, path.Join(b.npmDir, f))
		}
	}
	if b.npmCI && len(b.nodeFiles) == 1 {
		b.fail(b.langAt, "npm ci needs a lock file, which the build context does not hold")
		return
	}
	b.checkNativeAddons(rel)
}

// checkNativeAddons refuses production dependencies that run an install
// script (node-gyp builds of native addons, downloads): the -slim runtime
// image has no compiler, and the addon may need system libraries. The lock
// file (v2 or v3) marks them with hasInstallScript.
func (b *msBuild) checkNativeAddons(rel string) {
	src, ok := b.ctx.read(path.Join(rel, "package-lock.json"))
	if !ok {
		src, ok = b.ctx.read(path.Join(rel, "npm-shrinkwrap.json"))
	}
	var lock struct {
		Packages map[string]struct {
			Dev              bool `json:"dev"`
			HasInstallScript bool `json:"hasInstallScript"`
		} `json:"packages"`
	}
	if !ok || json.Unmarshal(src, &lock) != nil || lock.Packages == nil {
		b.fail(b.langAt, "no package-lock.json (v2 or later) in the build context tells which production dependencies build native code")
		return
	}
	for name, p := range lock.Packages {
		if p.HasInstallScript && !p.Dev && name != "" {
			b.fail(b.langAt, "the production dependency %s runs an install script (a native addon?), which the -slim runtime image may not be able to build or run", strings.TrimPrefix(name, "node_modules/"))
			return
		}
	}
}

// copiedPaths are what the runtime stage takes from the builder.
func (b *msBuild) copiedPaths() []string {
	out := append([]string(nil), b.artifacts...)
	return append(out, b.nodeFiles...)
}
