package transforms

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/dockopt/dockopt/rewrite"
	"mvdan.cc/sh/v3/syntax"
)

// mergeRun is one RUN considered by merge-runs.
type mergeRun struct {
	in      *rewrite.Instruction
	sh      *rewrite.Shell
	why     string // non-empty: the RUN takes part in no merge, and why ("is in exec (JSON) form")
	start   int    // source offset of the body's first statement
	end     int    // source offset just past its last statement, before any `;`
	tailOK  bool   // only blanks and a `;` follow the last statement (no comment)
	ignored bool   // a dockopt:ignore comment for merge-runs is right above it
	shape   mrSegShape
	lazy    *mrRunFacts
}

// mrSegShape is what a merge needs to know about one RUN's shell body.
type mrSegShape struct {
	state     bool // changes the state of the shell that runs it (cd, export, X=1, set, trap, exit, ...)
	list      bool // several top-level statements: `a; b`
	or        bool // a top-level `||`: `c && a || b` would run b when c fails
	errexit   bool // may run with errexit on (set -e, SHELL ["sh", "-e", ...], source, eval)
	flat      bool // one and-or list of simple commands: errexit cannot change its outcome
	readsLast bool // reads $_, which a merge would hand the previous command's last argument

	hashed map[string]bool // commands it runs in its own shell by a PATH search
	runs   map[string]bool // commands it runs anywhere
	words  []string        // its arguments' text
}

func mrAnalyzeRun(d *rewrite.Document, in *rewrite.Instruction, errexitEnv, bashEnv bool) *mergeRun {
	r := &mergeRun{in: in}
	sh, err := d.Shell(in)
	if err != nil {
		r.why = mrRefusalText(err)
		return r
	}
	if why := mrShellRefusal(d.ShellAt(in)); why != "" {
		r.why = "runs in " + why
		return r
	}
	if bashEnv && path.Base(d.ShellAt(in)[0]) == "bash" {
		r.why = "runs in bash with BASH_ENV set, which each RUN's shell sources when it starts"
		return r
	}
	r.sh = sh
	stmts := sh.File.Stmts
	if len(stmts) == 0 {
		r.why = "runs no command"
		return r
	}
	shape, why := mrShapeOf(sh.File)
	shell := d.ShellAt(in)
	// The body is parsed as bash; a RUN run by dash, ash, mksh or zsh must read
	// the same way in that shell's grammar, or the analysis would be about a
	// different script (`a &> f` is a redirect in bash, `a &` then `> f` in dash).
	if v, name, ok := mrOtherVariant(shell); ok && why == "" {
		f2, err := syntax.NewParser(syntax.Variant(v)).Parse(strings.NewReader(sh.Body), "")
		switch {
		case err != nil:
			why = fmt.Sprintf("uses syntax %s may read differently from bash (%v)", name, err)
		case !mrSameTopLevel(sh.File, f2):
			why = fmt.Sprintf("is split into commands differently by %s and bash", name)
		default:
			s2, why2 := mrShapeOf(f2)
			why = why2
			shape.state = shape.state || s2.state
			shape.list = shape.list || s2.list
			shape.or = shape.or || s2.or
			shape.errexit = shape.errexit || s2.errexit
			shape.flat = shape.flat && s2.flat
			shape.readsLast = shape.readsLast || s2.readsLast
			for k := range s2.hashed {
				shape.hashed[k] = true
			}
			for k := range s2.runs {
				shape.runs[k] = true
			}
		}
	}
	if why != "" {
		r.why = why
		return r
	}
	shape.errexit = shape.errexit || errexitEnv || mrShellErrexit(shell)
	r.shape = shape
	r.start = sh.Src(stmts[0].Pos())
	endPos := mrStmtEnd(stmts[len(stmts)-1])
	r.end = sh.SrcEnd(endPos)
	tail := strings.TrimSpace(sh.Body[endPos.Offset():])
	r.tailOK = tail == "" || tail == ";"
	return r
}

func mrRefusalText(err error) string {
	switch {
	case errors.Is(err, rewrite.ErrNotShellForm):
		return "is in exec (JSON) form"
	case errors.Is(err, rewrite.ErrHeredoc):
		return "has a heredoc"
	case errors.Is(err, rewrite.ErrNotPOSIX):
		return "runs in a shell that is not POSIX (a SHELL instruction or a Windows base)"
	}
	return "cannot be analyzed: " + err.Error()
}

// mrStmtEnd is where a statement's command and redirections end, before the
// `;` or `&` that terminates it. A statement may have no Cmd (`>f`).
func mrStmtEnd(st *syntax.Stmt) syntax.Pos {
	end := st.Position
	if st.Cmd != nil {
		end = st.Cmd.End()
	}
	for _, r := range st.Redirs {
		if r.End().After(end) {
			end = r.End()
		}
	}
	return end
}

// mrOtherVariant is the grammar of a non-bash POSIX-family shell.
func mrOtherVariant(shell []string) (syntax.LangVariant, string, bool) {
	if len(shell) == 0 {
		return 0, "", false
	}
	switch name := path.Base(shell[0]); name {
	case "sh", "dash", "ash":
		return syntax.LangPOSIX, name, true
	case "ksh", "mksh":
		return syntax.LangMirBSDKorn, name, true
	case "zsh":
		return syntax.LangZsh, name, true
	}
	return 0, "", false
}

func mrSameTopLevel(a, b *syntax.File) bool {
	if len(a.Stmts) != len(b.Stmts) {
		return false
	}
	for i, x := range a.Stmts {
		y := b.Stmts[i]
		if x.Pos().Offset() != y.Pos().Offset() || mrStmtEnd(x).Offset() != mrStmtEnd(y).Offset() || x.Background != y.Background {
			return false
		}
	}
	return true
}

// mrShellErrexit reports whether a SHELL such as ["/bin/bash", "-eo",
// "pipefail", "-c"] starts with errexit on.
func mrShellErrexit(shell []string) bool {
	for i := 1; i < len(shell); i++ {
		a := shell[i]
		if (a == "-o" || a == "+o") && i+1 < len(shell) && shell[i+1] == "errexit" {
			return a == "-o"
		}
		if strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && strings.ContainsRune(a, 'e') {
			return true
		}
	}
	return false
}

// mrStartupEnv is what the Dockerfile's ENV and ARG instructions tell about
// how each RUN's shell starts: SHELLOPTS may turn errexit on (bash imports
// it), and BASH_ENV names a script bash sources at every start, which a
// merged RUN would source once, before the earlier RUNs could change it.
func mrStartupEnv(d *rewrite.Document) (errexit, bashEnv bool) {
	for _, in := range d.Instructions {
		if in.Cmd == "env" || in.Cmd == "arg" {
			t := in.Text(d)
			errexit = errexit || strings.Contains(t, "SHELLOPTS")
			bashEnv = bashEnv || strings.Contains(t, "BASH_ENV")
		}
	}
	return errexit, bashEnv
}

// mrShellRefusal is why a RUN's SHELL does not start the same way for each
// RUN and for a merged one, or "". Options that read startup files (bash
// -l/--login/-i, --rcfile) would be read once instead of before each RUN,
// after RUNs that may have written them (`conda init` then `conda activate`).
// Only -c (last) and plain option letters are known not to.
func mrShellRefusal(shell []string) string {
	desc := "the SHELL " + strconv.Quote(strings.Join(shell, " "))
	args := shell[1:]
	if len(args) == 0 || !mrCFlag.MatchString(args[len(args)-1]) {
		return desc + " does not end in -c"
	}
	args = args[:len(args)-1]
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--noprofile" || a == "--norc" || a == "--posix":
		case mrOptionFlags.MatchString(a):
			i += strings.Count(a, "o") // -o and -eo take an option name
		default:
			return desc + " has the option " + a + ", which may change how each RUN's shell starts"
		}
	}
	return ""
}

var (
	mrCFlag       = regexp.MustCompile(`^-[euxvfnC]*c$`)
	mrOptionFlags = regexp.MustCompile(`^[-+][euxvfnCo]+$`)
)

// mrShapeOf analyzes one parsed body. why is non-empty when the body must not
// be merged at all.
func mrShapeOf(f *syntax.File) (s mrSegShape, why string) {
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Stmt:
			if n.Background || n.Coprocess || n.Disown {
				// A background job outlives its RUN's shell in a merge and runs
				// alongside the commands of the next RUNs.
				why = "runs a command in the background (&)"
			}
		case *syntax.CoprocClause:
			why = "runs a coprocess"
		case *syntax.Redirect:
			if n.Hdoc != nil {
				why = "has a shell here-document"
			}
		case *syntax.ParamExp:
			if n.Param != nil && n.Param.Value == "_" {
				s.readsLast = true
			}
		}
		return why == ""
	})
	if why != "" {
		return s, why
	}
	s.list = len(f.Stmts) > 1
	s.or = len(f.Stmts) == 1 && mrHasTopOr(f.Stmts[0])
	s.state = mrChangesState(f.Stmts)
	s.errexit = mrMayEnableErrexit(f)
	s.flat = mrIsFlat(f)
	s.hashed, s.runs = map[string]bool{}, map[string]bool{}
	mrCommandNames(f, &s)
	return s, ""
}

func mrHasTopOr(st *syntax.Stmt) bool {
	b, ok := st.Cmd.(*syntax.BinaryCmd)
	if !ok {
		return false
	}
	switch b.Op {
	case syntax.OrStmt:
		return true
	case syntax.AndStmt:
		return mrHasTopOr(b.X) || mrHasTopOr(b.Y)
	}
	return false
}

// mrStateBuiltins change the shell they run in, so that a later command of
// the same shell would see the change: the working directory, variables,
// options, traps, limits, functions, aliases, the positional parameters, or
// the shell itself (exit, exec).
var mrStateBuiltins = map[string]bool{
	"cd": true, "chdir": true, "pushd": true, "popd": true,
	"export": true, "readonly": true, "unset": true, "local": true, "declare": true, "typeset": true,
	"integer": true, "float": true, "nameref": true, "let": true, "read": true, "mapfile": true,
	"readarray": true, "getopts": true, "shift": true,
	"set": true, "shopt": true, "setopt": true, "unsetopt": true, "emulate": true,
	"umask": true, "ulimit": true, "limit": true, "unlimit": true, "trap": true,
	"alias": true, "unalias": true, "hash": true, "rehash": true, "enable": true, "autoload": true,
	"source": true, ".": true, "eval": true, "exec": true, "exit": true, "logout": true, "return": true,
	"fc": true, "history": true, "bind": true, "complete": true, "disown": true, "fg": true, "bg": true,
	"suspend": true, "zmodload": true, "functions": true,
}

// mrSpecialBuiltins keep the variable assignments written before them
// (`X=1 export Y` sets X for good), unlike other commands.
var mrSpecialBuiltins = map[string]bool{
	":": true, ".": true, "break": true, "continue": true, "eval": true, "exec": true, "exit": true,
	"export": true, "readonly": true, "return": true, "set": true, "shift": true, "times": true,
	"trap": true, "unset": true,
}

var mrArithAssignOps = map[syntax.BinAritOperator]bool{
	syntax.Assgn: true, syntax.AddAssgn: true, syntax.SubAssgn: true, syntax.MulAssgn: true,
	syntax.QuoAssgn: true, syntax.RemAssgn: true, syntax.AndAssgn: true, syntax.OrAssgn: true,
	syntax.XorAssgn: true, syntax.ShlAssgn: true, syntax.ShrAssgn: true, syntax.AndBoolAssgn: true,
	syntax.OrBoolAssgn: true, syntax.XorBoolAssgn: true, syntax.PowAssgn: true,
}

// mrChangesState reports whether running stmts changes the state of the shell
// that runs them. It looks at what runs in that shell: the top level and the
// bodies of if/for/while/case and { } groups, not subshells, command or
// process substitutions, or pipeline elements before the last.
func mrChangesState(stmts []*syntax.Stmt) bool {
	found := false
	mrWalkCurrentShell(stmts, func(n syntax.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *syntax.FuncDecl, *syntax.DeclClause, *syntax.LetClause, *syntax.ForClause, *syntax.CoprocClause:
			found = true // for: the loop variable stays set
		case *syntax.BinaryArithm:
			found = mrArithAssignOps[n.Op]
		case *syntax.UnaryArithm:
			found = n.Op == syntax.Inc || n.Op == syntax.Dec
		case *syntax.ParamExp:
			found = n.Exp != nil && (n.Exp.Op == syntax.AssignUnset || n.Exp.Op == syntax.AssignUnsetOrNull)
		case *syntax.BinaryTest:
			found = n.Op == syntax.TsReMatch // sets BASH_REMATCH
		case *syntax.CallExpr:
			found = mrCallChangesState(n)
		}
		return !found
	})
	return found
}

// mrWalkCurrentShell walks what stmts run in the shell that runs them: not
// into subshells, command or process substitutions, or pipeline elements
// before the last (bash's lastpipe, ksh and zsh run the last one in the
// current shell; every shell runs the others in subshells).
func mrWalkCurrentShell(stmts []*syntax.Stmt, fn func(syntax.Node) bool) {
	var visit func(syntax.Node) bool
	visit = func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Subshell, *syntax.CmdSubst, *syntax.ProcSubst:
			return false
		case *syntax.BinaryCmd:
			if n.Op == syntax.Pipe || n.Op == syntax.PipeAll {
				if fn(n) {
					syntax.Walk(n.Y, visit)
				}
				return false
			}
		}
		return fn(n)
	}
	for _, st := range stmts {
		syntax.Walk(st, visit)
	}
}

// mrNotHashed are builtins and keywords: the shell finds them without a PATH
// search, so it never remembers a path for them.
var mrNotHashed = map[string]bool{
	"echo": true, "printf": true, "test": true, "[": true, "true": true, "false": true, "pwd": true,
	"kill": true, "type": true, "command": true, "builtin": true, "wait": true, "times": true, "jobs": true,
	"break": true, "continue": true, "if": true, "then": true, "else": true, "fi": true,
}

// mrCommandNames collects, for the shell's command hash table: the commands
// f runs in its own shell by a PATH search (the shell remembers their path
// and reuses it, even after a newer one is installed earlier in PATH), every
// command name it runs anywhere, and the literal text of every argument.
func mrCommandNames(f *syntax.File, s *mrSegShape) {
	name := func(call *syntax.CallExpr) (string, bool) {
		if len(call.Args) == 0 {
			return "", false
		}
		v, ok := rewrite.WordLit(call.Args[0])
		if !ok || v == "" || strings.Contains(v, "/") || mrNotHashed[v] || mrStateBuiltins[v] {
			return "", false
		}
		return v, true
	}
	mrWalkCurrentShell(f.Stmts, func(n syntax.Node) bool {
		if call, ok := n.(*syntax.CallExpr); ok {
			if v, ok := name(call); ok {
				s.hashed[v] = true
			}
		}
		return true
	})
	syntax.Walk(f, func(n syntax.Node) bool {
		if call, ok := n.(*syntax.CallExpr); ok {
			if v, ok := name(call); ok {
				s.runs[v] = true
			}
			for _, w := range call.Args[min(1, len(call.Args)):] {
				v, ok := rewrite.WordLit(w)
				if !ok {
					var sb strings.Builder
					syntax.NewPrinter().Print(&sb, w)
					v = sb.String()
				}
				s.words = append(s.words, v)
			}
		}
		return true
	})
}

// mrHashHazard reports whether segment k of group must run in a subshell so
// that the shell does not remember a command's path for the later segments:
// it runs a command that a later segment runs again, and it or a segment
// before that one names that command in an argument (`pip install -U pip`,
// `ln -s /opt/node/bin/node /usr/local/bin/node`): a sign that a new one may
// be installed, which the later segment must find as its own RUN would.
func mrHashHazard(group []*mergeRun, k int) bool {
	for name := range group[k].shape.hashed {
		for j := k + 1; j < len(group); j++ {
			if !group[j].shape.runs[name] {
				continue
			}
			for m := k; m < j; m++ {
				for _, w := range group[m].shape.words {
					if strings.Contains(w, name) {
						return true
					}
				}
			}
		}
	}
	return false
}

// mrCallChangesState reports whether a simple command changes its shell: a
// bare assignment, a state builtin (also behind `command`/`builtin`), an
// assignment before a special builtin, `printf -v`, or a command whose name
// the shell computes (it could be any of those).
func mrCallChangesState(call *syntax.CallExpr) bool {
	args := call.Args
	if len(args) == 0 {
		return len(call.Assigns) > 0
	}
	for {
		name, ok := rewrite.WordLit(args[0])
		if !ok {
			return true
		}
		if name == "command" || name == "builtin" {
			args = args[1:]
			for len(args) > 0 {
				if v, ok := rewrite.WordLit(args[0]); ok && strings.HasPrefix(v, "-") {
					args = args[1:]
					continue
				}
				break
			}
			if len(args) == 0 {
				return false
			}
			continue
		}
		if mrStateBuiltins[name] || (len(call.Assigns) > 0 && mrSpecialBuiltins[name]) {
			return true
		}
		if name == "printf" && len(args) > 1 {
			v, ok := rewrite.WordLit(args[1])
			return !ok || strings.HasPrefix(v, "-v")
		}
		return false
	}
}

// mrMayEnableErrexit reports whether anything in f, at any depth, may turn on
// errexit: `set` or `shopt` with an e option, errexit or a computed
// argument; `source`, `.` and `eval`, which run code we cannot see; a
// command whose name the shell computes.
func mrMayEnableErrexit(f *syntax.File) bool {
	found := false
	syntax.Walk(f, func(n syntax.Node) bool {
		call, ok := n.(*syntax.CallExpr)
		if !ok || len(call.Args) == 0 || found {
			return !found
		}
		args := call.Args
		name, ok := rewrite.WordLit(args[0])
		for ok && (name == "command" || name == "builtin") && len(args) > 1 {
			args = args[1:]
			name, ok = rewrite.WordLit(args[0])
		}
		switch {
		case !ok:
			found = true
		case name == "source" || name == "." || name == "eval":
			found = true
		case name == "set" || name == "shopt":
			for _, a := range args[1:] {
				v, ok := rewrite.WordLit(a)
				if !ok || v == "errexit" ||
					((strings.HasPrefix(v, "-") || strings.HasPrefix(v, "+")) && !strings.HasPrefix(v, "--") && strings.ContainsRune(v, 'e')) {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// mrIsFlat reports whether f is a single and-or list of pipelines of simple
// commands, at any depth (command substitutions included). errexit cannot
// change how such a list ends: the shell may only exit on its last pipeline,
// whose status is the list's status anyway.
func mrIsFlat(f *syntax.File) bool {
	if len(f.Stmts) != 1 {
		return false
	}
	flat := true
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Block, *syntax.Subshell, *syntax.IfClause, *syntax.WhileClause, *syntax.ForClause,
			*syntax.CaseClause, *syntax.FuncDecl, *syntax.CoprocClause:
			flat = false
		case *syntax.CmdSubst:
			flat = flat && len(n.Stmts) <= 1
		case *syntax.ProcSubst:
			flat = flat && len(n.Stmts) <= 1
		}
		return flat
	})
	return flat
}
