package transforms

// The word layer of exec-form: which shell-form bodies are a plain list of
// words, what each word's value is, whether the SHELL runs them as exec form
// would, and the edits that write them as a JSON array.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/dockopt/dockopt/rewrite"
	"mvdan.cc/sh/v3/syntax"
)

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
	// Builtins whose binary a minimal image may lack (kill is procps' on
	// Debian, not in the base), or whose binary behaves differently (printf):
	// e2e case exec-cmd-shell-builtin.
	"chdir kill printf",
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

// envNotIdentifier finds an ENV of st or of a stage it is built FROM whose
// name is not a shell identifier (`spring.profiles.active`, `my-var`). dash,
// Debian's /bin/sh, drops such variables from the environment it hands on,
// so a shell-form command never sees them and an exec-form one would. (A
// base image's own ENV cannot be seen from here.)
func envNotIdentifier(d *rewrite.Document, st *rewrite.Stage) (name string, line int) {
	for _, s := range append([]*rewrite.Stage{st}, ancestors(d, st)...) {
		for _, x := range s.Instructions {
			if x.Cmd != "env" {
				continue
			}
			c, err := rewrite.ParseCommand(x.Node)
			env, ok := c.(*instructions.EnvCommand)
			if err != nil || !ok {
				continue
			}
			for _, kv := range env.Env {
				if !syntax.ValidName(kv.Key) {
					return kv.Key, x.StartLine
				}
			}
		}
	}
	return "", 0
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
	nd, err := d.ParseEdited(edits)
	if err != nil || in.Index >= len(nd.Instructions) {
		return fmt.Errorf("the exec form did not parse back")
	}
	got := nd.Instructions[in.Index]
	if got.Cmd != in.Cmd || !got.IsJSON() || !slices.Equal(got.Args(), vals) {
		return fmt.Errorf("the exec form did not read back as the same words")
	}
	return nil
}
