package transforms

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dockopt/dockopt/rewrite"
	"mvdan.cc/sh/v3/syntax"
)

// ExecForm rewrites a shell-form CMD or ENTRYPOINT that is a plain list of
// words into JSON exec form.
var ExecForm = &rewrite.Transform{
	ID:      "exec-form",
	Summary: "Write a plain-word shell-form CMD/ENTRYPOINT in exec (JSON) form",
	Rationale: "A shell-form CMD runs as `/bin/sh -c \"...\"`, so the shell is PID 1: it does not " +
		"forward SIGTERM, `docker stop` waits 10 s and then kills the container, and a scratch or " +
		"distroless image, which has no /bin/sh, cannot start it at all. Exec form runs the program " +
		"directly. Only commands that are a plain list of words are converted (quotes resolved " +
		"exactly); anything the shell would expand, redirect, chain or interpret (variables, globs, " +
		"pipes, &&, builtins such as cd or exec, a login SHELL) stays as written. A shell-form " +
		"ENTRYPOINT is converted only when no CMD would start being appended to it.",
	Before:  "FROM debian:12\nCMD nginx -g \"daemon off;\"\n",
	After:   "FROM debian:12\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n",
	Default: true,
	Run:     runExecForm,
}

func runExecForm(p *rewrite.Pass) {
	d := p.Doc
	for _, in := range d.Instructions {
		if (in.Cmd != "cmd" && in.Cmd != "entrypoint") || in.IsJSON() || in.Stage == nil {
			continue
		}
		kw := strings.ToUpper(in.Cmd)
		noShell := stageHasNoShell(d, in.Stage)
		sh, err := d.Shell(in)
		if err != nil {
			switch {
			case noShell && err != rewrite.ErrNotShellForm:
				p.Report(in, rewrite.SeverityError, fmt.Sprintf("shell-form %s needs a shell, but the stage has none (%s): it cannot start; write it in exec form by hand (%v)", kw, stageRoot(d, in.Stage).Base, err))
			case strings.HasPrefix(err.Error(), "shell parse"):
				p.Skip(in, fmt.Sprintf("%s left in shell form: %v", kw, err))
			}
			continue
		}
		vals, words, why := plainWords(sh)
		if why != "" {
			if noShell && !passedToExecEntrypoint(d, in) {
				p.Report(in, rewrite.SeverityError, fmt.Sprintf("shell-form %s needs a shell, but the stage has none (%s): it cannot start; %s, so it cannot be converted to exec form automatically", kw, stageRoot(d, in.Stage).Base, why))
			}
			continue
		}
		if why := shellRefusal(d, in); why != "" {
			p.Skip(in, kw+" left in shell form: "+why)
			continue
		}
		msg, why := execFormDecision(d, in, noShell)
		if why != "" {
			p.Skip(in, kw+" left in shell form: "+why)
			continue
		}
		edits, err := execFormEdits(sh, words, vals)
		if err == nil {
			err = checkExecForm(d, in, edits, vals)
		}
		if err != nil {
			p.Skip(in, kw+" left in shell form: "+err.Error())
			continue
		}
		p.Fix(in, msg, edits...)
	}
}

// execFormDecision says whether converting in keeps what the container runs,
// with the finding's message, or why not.
func execFormDecision(d *rewrite.Document, in *rewrite.Instruction, noShell bool) (msg, why string) {
	st := in.Stage
	if in.Cmd == "cmd" {
		if ep := effectiveEntrypoint(d, st); ep != nil && ep.IsJSON() && !passThrough(ep.Args()) {
			return "", fmt.Sprintf("the exec-form ENTRYPOINT on line %d receives this CMD as its arguments (`/bin/sh -c ...` today); exec form would hand it the words instead, which an entrypoint script may treat differently", ep.StartLine)
		}
		if noShell {
			return "shell-form CMD cannot start: the stage (" + stageRoot(d, st).Base + ") has no /bin/sh; converted to exec form, which runs the program directly", ""
		}
		msg = "CMD converted to exec form: the program runs as PID 1 and receives docker stop's SIGTERM instead of a shell swallowing it"
		if effectiveEntrypoint(d, st) == nil {
			// An ENTRYPOINT of the base image, if any, gets these words now.
			msg += "; if " + stageRoot(d, st).Base + " has an ENTRYPOINT, it now receives these words instead of `/bin/sh -c ...`"
		}
		return msg, ""
	}
	cmd := firstCmd(st)
	if noShell {
		msg = "shell-form ENTRYPOINT cannot start: the stage (" + stageRoot(d, st).Base + ") has no /bin/sh; converted to exec form, which runs the program directly"
		if cmd != nil {
			return msg + fmt.Sprintf("; note that the CMD on line %d is now passed to it as arguments, and `docker run IMAGE ARGS` passes ARGS instead", cmd.StartLine), ""
		}
		return msg + "; note that `docker run IMAGE ARGS` now passes ARGS to the program", ""
	}
	if cmd != nil {
		return "", fmt.Sprintf("the stage sets CMD (line %d), which shell form ignores but exec form would append as arguments", cmd.StartLine)
	}
	if child := childStage(d, st); child != nil {
		return "", fmt.Sprintf("the stage on line %d is built FROM this one; a CMD there would be appended to an exec-form ENTRYPOINT", child.From.StartLine)
	}
	for _, x := range st.Instructions {
		if x.Cmd == "onbuild" {
			return "", fmt.Sprintf("the stage is a base image (ONBUILD on line %d); a CMD set downstream would be appended to an exec-form ENTRYPOINT", x.StartLine)
		}
	}
	return "ENTRYPOINT converted to exec form: the program runs as PID 1 and receives docker stop's SIGTERM; note that `docker run IMAGE ARGS` now passes ARGS to the program (shell form ignored them)", ""
}

// plainWords is the value of each word of a body that is one simple command
// made only of literal words; why says what else it holds.
func plainWords(sh *rewrite.Shell) (vals []string, words []*syntax.Word, why string) {
	f := sh.File
	if len(f.Last) > 0 || len(f.Stmts) != 1 || len(f.Stmts[0].Comments) > 0 {
		return nil, nil, "it is not a single command (or holds a comment)"
	}
	st := f.Stmts[0]
	call, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || st.Negated || st.Background || st.Coprocess || st.Disown || st.Semicolon.IsValid() || len(st.Redirs) > 0 {
		return nil, nil, "it uses shell syntax (operators, redirections, keywords or groups)"
	}
	if len(call.Assigns) > 0 || len(call.Args) == 0 {
		return nil, nil, "it sets shell variables"
	}
	for i, w := range call.Args {
		v, ok := wordValue(w)
		if !ok {
			return nil, nil, fmt.Sprintf("the word %s needs the shell (expansion, glob, tilde or quoting)", sh.Text(w))
		}
		if i == 0 && !execable(v) {
			return nil, nil, fmt.Sprintf("%q is a shell keyword or builtin", v)
		}
		if i == 0 && v == "echo" && echoDiffers(call.Args[1:]) {
			return nil, nil, "the shell's echo and /bin/echo treat options and backslashes differently"
		}
		vals = append(vals, v)
	}
	return vals, call.Args, ""
}

// wordValue is the value a word has after quote removal when the shell would
// do nothing else to it in any POSIX shell or bash: no expansion of any kind,
// no glob or brace characters, no tilde, no `=` at its start (zsh's =cmd), and
// valid UTF-8 (JSON could not carry anything else unchanged).
func wordValue(w *syntax.Word) (string, bool) {
	for i, part := range w.Parts {
		switch part := part.(type) {
		case *syntax.Lit:
			if !plainUnquoted(part.Value, i == 0) {
				return "", false
			}
		case *syntax.SglQuoted:
			// Literal, bar $'...', which rewrite.WordLit refuses.
		case *syntax.DblQuoted:
			for _, q := range part.Parts {
				if lit, ok := q.(*syntax.Lit); ok && !plainDouble(lit.Value) {
					return "", false
				}
			}
		default:
			return "", false
		}
	}
	v, ok := rewrite.WordLit(w)
	return v, ok && utf8.ValidString(v)
}

// plainUnquoted accepts unquoted literal text made of characters no POSIX
// shell or bash treats specially; any character escaped with a backslash is
// literal.
func plainUnquoted(s string, wordStart bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			if i+1 >= len(s) || s[i+1] == '\n' {
				return false
			}
			i++
		case c >= 0x80, 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("-_./:,@%+", c) >= 0:
		case c == '=' && !(wordStart && i == 0):
		default:
			return false
		}
	}
	return true
}

// plainDouble accepts double-quoted literal text without `$` or backquotes
// (escaped ones are literal).
func plainDouble(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '$', '`':
			return false
		}
	}
	return true
}

// notExecable are words that cannot become argv[0] of an exec-form command:
// shell reserved words, and builtins with no binary on PATH (or whose binary
// behaves differently).
var notExecable = wordSet(
	"! { } [[ ]] case coproc do done elif else esac fi for function if in select then time until while",
	". : [ alias bg break builtin caller cd command compgen complete continue declare dirs disown enable",
	"eval exec exit export fc fg getopts hash help history jobs let local logout mapfile popd pushd pwd",
	"read readarray readonly return set shift shopt source suspend test times trap type typeset ulimit",
	"umask unalias unset wait",
)

func wordSet(lists ...string) map[string]bool {
	set := map[string]bool{}
	for _, l := range lists {
		for _, w := range strings.Fields(l) {
			set[w] = true
		}
	}
	return set
}

func execable(name string) bool {
	return strings.TrimSpace(name) != "" && !notExecable[name]
}

// echoDiffers: dash's builtin echo interprets backslashes and has no -e/-n
// handling like coreutils' /bin/echo, so only option-less, backslash-free
// echo commands mean the same in both.
func echoDiffers(args []*syntax.Word) bool {
	for _, w := range args {
		v, _ := rewrite.WordLit(w)
		if strings.HasPrefix(v, "-") || strings.Contains(v, `\`) {
			return true
		}
	}
	return false
}

// shellRefusal says why the stage's SHELL could make exec form differ:
// only sh, dash, ash and bash run with `-c` (and harmless -e/-u/-x/-o
// options) start a plain command exactly as exec form does. A login or
// interactive shell, zsh (which reads /etc/zshenv) or bash with BASH_ENV
// set up the environment first.
func shellRefusal(d *rewrite.Document, in *rewrite.Instruction) string {
	sh := d.ShellAt(in)
	desc := "the SHELL " + strconv.Quote(strings.Join(sh, " "))
	prog := path.Base(sh[0])
	switch prog {
	case "sh", "dash", "ash", "bash":
	default:
		return desc + " may prepare the environment before running the command"
	}
	flags := sh[1:]
	if len(flags) == 0 || !isCFlag(flags[len(flags)-1]) {
		return desc + " does not end in -c"
	}
	flags = flags[:len(flags)-1]
	for i := 0; i < len(flags); i++ {
		f := flags[i]
		if len(f) < 2 || (f[0] != '-' && f[0] != '+') || strings.Trim(f[1:], "euxvo") != "" {
			return desc + " has the option " + f + ", which may change the command's environment"
		}
		for range strings.Count(f, "o") {
			i++
			if i >= len(flags) || !slices.Contains([]string{"pipefail", "errexit", "nounset", "xtrace", "verbose"}, flags[i]) {
				return desc + " sets a shell option that may change the command's environment"
			}
		}
	}
	if prog == "bash" {
		for _, x := range d.Instructions {
			if (x.Cmd == "env" || x.Cmd == "arg") && strings.Contains(strings.Join(x.Args(), " "), "BASH_ENV") {
				return fmt.Sprintf("line %d sets BASH_ENV, which bash reads before running the command", x.StartLine)
			}
		}
	}
	return ""
}

func isCFlag(f string) bool {
	return len(f) >= 2 && f[0] == '-' && f[len(f)-1] == 'c' && strings.Trim(f[1:len(f)-1], "euxv") == ""
}

// execFormEdits replaces the words with JSON strings, line by line: words on
// one physical line become `"a", "b"`, and whatever stands between lines
// (continuation tokens, comment lines, indentation) is kept.
func execFormEdits(sh *rewrite.Shell, words []*syntax.Word, vals []string) ([]rewrite.Edit, error) {
	d := sh.Doc
	type group struct {
		start, end int
		vals       []string
	}
	var groups []group
	for i, w := range words {
		s, e := sh.Src(w.Pos()), sh.SrcEnd(w.End())
		if string(d.Src[s:e]) != sh.Text(w) {
			return nil, fmt.Errorf("the word %s is split across a line continuation", sh.Text(w))
		}
		if n := len(groups); n > 0 && d.LineOf(groups[n-1].end) == d.LineOf(s) {
			groups[n-1].end = e
			groups[n-1].vals = append(groups[n-1].vals, vals[i])
			continue
		}
		groups = append(groups, group{start: s, end: e, vals: []string{vals[i]}})
	}
	var edits []rewrite.Edit
	for i, g := range groups {
		quoted := make([]string, len(g.vals))
		for j, v := range g.vals {
			quoted[j] = jsonString(v)
		}
		text := strings.Join(quoted, ", ")
		if i == 0 {
			text = "[" + text
		}
		if i == len(groups)-1 {
			text += "]"
		} else {
			text += ","
		}
		edits = append(edits, rewrite.Edit{Start: g.start, End: g.end, New: text})
	}
	return edits, nil
}

func jsonString(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(buf.String(), "\n")
}

// checkExecForm re-parses the edited text and requires BuildKit to read the
// instruction as exactly vals in exec form: BuildKit silently falls back to
// shell form for an array it cannot decode.
func checkExecForm(d *rewrite.Document, in *rewrite.Instruction, edits []rewrite.Edit, vals []string) error {
	out, err := rewrite.ApplyEdits(d.Src, edits)
	if err != nil {
		return err
	}
	nd, err := rewrite.Parse(d.Path, out)
	if err != nil || in.Index >= len(nd.Instructions) {
		return fmt.Errorf("the exec form did not parse back")
	}
	got := nd.Instructions[in.Index]
	if got.Cmd != in.Cmd || !got.IsJSON() || !slices.Equal(got.Args(), vals) {
		return fmt.Errorf("the exec form did not read back as the same words")
	}
	return nil
}

// stageChain is st and the stages of this Dockerfile it is built FROM.
func stageChain(d *rewrite.Document, st *rewrite.Stage) []*rewrite.Stage {
	chain := []*rewrite.Stage{st}
	for {
		parent := d.StageByName(st.Base)
		if parent == nil || parent.Index >= st.Index {
			return chain
		}
		chain, st = append(chain, parent), parent
	}
}

func stageRoot(d *rewrite.Document, st *rewrite.Stage) *rewrite.Stage {
	c := stageChain(d, st)
	return c[len(c)-1]
}

// effectiveEntrypoint is the ENTRYPOINT the stage's image ends up with, when
// this Dockerfile sets it (the last one wins, wherever a CMD stands).
func effectiveEntrypoint(d *rewrite.Document, st *rewrite.Stage) *rewrite.Instruction {
	for _, s := range stageChain(d, st) {
		for i := len(s.Instructions) - 1; i >= 0; i-- {
			if s.Instructions[i].Cmd == "entrypoint" {
				return s.Instructions[i]
			}
		}
	}
	return nil
}

func passedToExecEntrypoint(d *rewrite.Document, in *rewrite.Instruction) bool {
	if in.Cmd != "cmd" {
		return false
	}
	ep := effectiveEntrypoint(d, in.Stage)
	return ep != nil && ep.IsJSON()
}

// passThrough reports an init wrapper (tini, dumb-init) that only runs its
// arguments: it runs `sh -c "a b"` and `a b` alike.
func passThrough(args []string) bool {
	if len(args) == 0 {
		return false
	}
	switch path.Base(args[0]) {
	case "tini", "tini-static", "dumb-init", "catatonit":
	default:
		return false
	}
	for _, a := range args[1:] {
		if !strings.HasPrefix(a, "-") && strings.Trim(a, "0123456789") != "" {
			return false
		}
	}
	return true
}

func firstCmd(st *rewrite.Stage) *rewrite.Instruction {
	for _, x := range st.Instructions {
		if x.Cmd == "cmd" {
			return x
		}
	}
	return nil
}

func childStage(d *rewrite.Document, st *rewrite.Stage) *rewrite.Stage {
	for _, s := range d.Stages[st.Index+1:] {
		if d.StageByName(s.Base) == st || s.Base == strconv.Itoa(st.Index) {
			return s
		}
	}
	return nil
}

// stageHasNoShell reports a stage built on scratch or a distroless image
// (directly or through other stages) that nothing suggests has gained a
// shell: no SHELL, no shell-form RUN (the build would need /bin/sh), and no
// COPY/ADD of a root filesystem, a bin directory or a shell binary.
func stageHasNoShell(d *rewrite.Document, st *rewrite.Stage) bool {
	chain := stageChain(d, st)
	if !shellless(chain[len(chain)-1].Base) {
		return false
	}
	for _, s := range chain {
		for _, x := range s.Instructions {
			switch x.Cmd {
			case "shell":
				return false
			case "run":
				if !x.IsJSON() {
					return false
				}
			case "copy", "add":
				for _, a := range x.Args() {
					a = strings.TrimRight(a, "/")
					switch path.Base(a) {
					case "", ".", "bin", "sh", "bash", "ash", "dash", "busybox":
						return false
					}
				}
			}
		}
	}
	return true
}

// shellless reports images known to ship without /bin/sh. Debug and -dev
// variants carry a shell.
func shellless(image string) bool {
	img := strings.ToLower(image)
	name, _, _ := strings.Cut(img, "@")
	tag := ""
	if i := strings.LastIndex(name, ":"); i > strings.LastIndex(name, "/") {
		name, tag = name[:i], name[i+1:]
	}
	if strings.Contains(tag, "debug") || strings.Contains(tag, "dev") {
		return false
	}
	return name == "scratch" || strings.Contains(name, "/distroless/") ||
		strings.HasPrefix(name, "gcr.io/distroless") || name == "cgr.dev/chainguard/static"
}
