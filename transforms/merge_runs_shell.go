package transforms

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

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
	pragma  string // a linter comment between it and the RUN before it
	apart   string // a comment there that asks for a layer of its own
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

	daemon string // a service it starts ("service postgresql start")

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
	shell := d.ShellAt(in)
	shape, why := mrBodyShape(sh, shell)
	if why != "" {
		r.why = why
		return r
	}
	shape.errexit = shape.errexit || errexitEnv || mrShellErrexit(shell)
	shape.daemon = mrStartsDaemon(sh)
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

// parseVariant parses body in the grammar v, with a parser from a pool (a
// new syntax.Parser allocates a few KB).
func parseVariant(body string, v syntax.LangVariant) (*syntax.File, error) {
	p := variantParsers.Get().(*syntax.Parser)
	syntax.Variant(v)(p)
	f, err := p.Parse(strings.NewReader(body), "")
	variantParsers.Put(p)
	return f, err
}

var variantParsers = sync.Pool{New: func() any { return syntax.NewParser() }}

// mrBodyShape is mrShapeOf of the body, read as bash and, when the RUN's
// shell is another one, in that shell's grammar too: the body is parsed as
// bash, and a RUN run by dash, ash, mksh or zsh must read the same way in
// that shell's grammar, or the analysis would be about a different script
// (`a &> f` is a redirect in bash, `a &` then `> f` in dash). It depends only
// on the body and the shell's grammar, so it is computed once per body.
func mrBodyShape(sh *rewrite.Shell, shell []string) (mrSegShape, string) {
	v, name, other := mrOtherVariant(shell)
	type result struct {
		shape mrSegShape
		why   string
	}
	res := sh.Memo("merge-runs.shape:"+name, func() any {
		shape, why := mrShapeOf(sh.File)
		if !other || why != "" {
			return result{shape, why}
		}
		f2, err := parseVariant(sh.Body, v)
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
		return result{shape, why}
	}).(result)
	return res.shape, res.why
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

// mrStartsDaemon is the first command of sh that starts a background
// service, or "". Docker stops a RUN's leftover processes when the RUN ends;
// in a merged RUN the service would keep running while the next RUNs'
// commands run (holding ports, files and locks they expect free).
func mrStartsDaemon(sh *rewrite.Shell) string {
	for _, c := range sh.Commands() {
		prog, _ := rewrite.WordLit(mrProgramWord(c))
		vals, _ := c.ArgLits()
		starts := slices.ContainsFunc(vals, func(v string) bool {
			return v == "start" || v == "restart" || v == "force-reload" || v == "try-restart"
		})
		switch {
		case (c.Name == "service" || c.Name == "rc-service" || c.Name == "invoke-rc.d") && starts,
			strings.HasPrefix(prog, "/etc/init.d/") && starts,
			c.Name == "start-stop-daemon" && (slices.Contains(vals, "--start") || slices.Contains(vals, "-S")):
			return sh.Text(c.Stmt)
		}
	}
	return ""
}

// mrProgramWord is the word naming c's program, behind any sudo/env wrapper.
func mrProgramWord(c *rewrite.Command) *syntax.Word {
	args := c.Call.Args
	if len(c.Args) > 0 {
		if i := slices.Index(args, c.Args[0]); i > 0 {
			return args[i-1]
		}
	}
	return args[len(args)-1]
}
