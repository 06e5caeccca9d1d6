package rewrite

import (
	"errors"
	"fmt"
	"path"
	"strings"
	"sync"
	"unicode"

	"mvdan.cc/sh/v3/syntax"
)

// Shell is the shell body of a shell-form RUN, CMD or ENTRYPOINT, parsed with
// mvdan.cc/sh, with every node position mappable to a source offset.
type Shell struct {
	Doc     *Document
	Instr   *Instruction
	Logical *Logical
	Body    string // exactly what Docker hands to `sh -c`
	File    *syntax.File

	bodyStart int         // offset of Body within Logical.Text
	parsed    *parsedBody // File's cache entry (Commands)
}

// Reasons a shell body cannot be edited. Transforms turn them into
// "left alone" findings.
var (
	ErrNotShellForm = errors.New("not a shell-form instruction")
	ErrHeredoc      = errors.New("heredoc bodies are left alone")
	ErrNotPOSIX     = errors.New("the stage's SHELL is not a POSIX shell")
	ErrUnmapped     = errors.New("the instruction's source could not be mapped back to BuildKit's reading of it")
)

// Shell parses the shell body of in. It fails (and callers leave the
// instruction alone) for exec-form and heredoc instructions, non-POSIX
// shells, and bodies the shell parser rejects.
//
// The result is cached per document: every transform that looks at the same
// text shares one parse. Callers must not modify the syntax tree.
func (d *Document) Shell(in *Instruction) (*Shell, error) {
	if c, ok := d.shells[in]; ok {
		return c.sh, c.err
	}
	sh, err := d.parseShell(in)
	if d.shells == nil {
		d.shells = map[*Instruction]shellResult{}
	}
	d.shells[in] = shellResult{sh, err}
	return sh, err
}

type shellResult struct {
	sh  *Shell
	err error
}

// parsedBody is mvdan.cc/sh's reading of one shell body. Its positions are
// offsets in the body, so it does not depend on where the body sits in the
// file: the pipeline hands the parses of one text's bodies on to the next
// text (Document.bodies), and a RUN that a transform did not touch is not
// parsed again.
type parsedBody struct {
	f    *syntax.File
	err  error
	cmds []*Command // Commands, once listed
	memo map[string]any
}

// Memo returns what compute returns for this shell body, computing it once
// per body and file (the pipeline shares a body's parse between the texts it
// makes). compute must depend only on the body (s.Body, s.File) and on what
// key names, never on where the body sits, its instruction or its stage;
// callers must not modify the value.
func (s *Shell) Memo(key string, compute func() any) any {
	if s.parsed == nil {
		return compute()
	}
	if v, ok := s.parsed.memo[key]; ok {
		return v
	}
	v := compute()
	if s.parsed.memo == nil {
		s.parsed.memo = map[string]any{}
	}
	s.parsed.memo[key] = v
	return v
}

func (d *Document) parseShell(in *Instruction) (*Shell, error) {
	switch in.Cmd {
	case "run", "cmd", "entrypoint":
	default:
		return nil, ErrNotShellForm
	}
	if in.IsJSON() || in.Node.Next == nil {
		return nil, ErrNotShellForm
	}
	if in.HasHeredoc() {
		return nil, ErrHeredoc
	}
	if !d.POSIXShell(in) {
		return nil, ErrNotPOSIX
	}
	l, ok := d.Logical(in)
	if !ok {
		return nil, ErrUnmapped
	}
	body := in.Node.Next.Value
	trimmed := strings.TrimRightFunc(l.Text, unicode.IsSpace)
	start := len(trimmed) - len(body)
	if start < 0 || trimmed[start:] != body {
		return nil, ErrUnmapped
	}
	if err := checkShellLimits(body); err != nil {
		return nil, err
	}
	if strings.IndexByte(body, 0) >= 0 {
		// mvdan.cc/sh and real shells disagree on NUL bytes (the parser
		// lets `\<NUL>` swallow what follows); never edit around one.
		return nil, errors.New("NUL byte in the shell body")
	}
	pb, ok := d.bodies[body]
	if !ok {
		pb = &parsedBody{}
		parser := shellParsers.Get().(*syntax.Parser)
		pb.f, pb.err = parser.Parse(strings.NewReader(body), "")
		shellParsers.Put(parser)
		if d.bodies == nil {
			d.bodies = map[string]*parsedBody{}
		}
		d.bodies[body] = pb
	}
	f, err := pb.f, pb.err
	if err != nil {
		return nil, fmt.Errorf("shell parse: %v", err)
	}
	return &Shell{Doc: d, Instr: in, Logical: l, Body: body, File: f, bodyStart: start, parsed: pb}, nil
}

// shellParsers are reused: a new syntax.Parser allocates a few KB, which
// was a quarter of all allocation on a file of many RUNs. Parse resets it
// and never shares nodes between runs.
var shellParsers = sync.Pool{New: func() any {
	return syntax.NewParser(syntax.KeepComments(true), syntax.Variant(syntax.LangBash))
}}

// Src is the source offset where a node starting at p begins.
func (s *Shell) Src(p syntax.Pos) int { return s.Logical.Src(s.bodyStart + int(p.Offset())) }

// SrcEnd is the source offset just past a node ending at p (an End() position).
func (s *Shell) SrcEnd(p syntax.Pos) int { return s.Logical.SrcAfter(s.bodyStart + int(p.Offset())) }

// Text is the body text of a node.
func (s *Shell) Text(n syntax.Node) string {
	return s.Body[n.Pos().Offset():n.End().Offset()]
}

// InsertAfter inserts text right after node n, glued to it.
func (s *Shell) InsertAfter(n syntax.Node, text string) Edit {
	o := s.SrcEnd(n.End())
	return Edit{Start: o, End: o, New: text}
}

// InsertBefore inserts text right before node n.
func (s *Shell) InsertBefore(n syntax.Node, text string) Edit {
	o := s.Src(n.Pos())
	return Edit{Start: o, End: o, New: text}
}

// Replace replaces the source of node n. It refuses nodes that span a
// continuation (their source holds more than their text).
func (s *Shell) Replace(n syntax.Node, text string) (Edit, error) {
	start, end := s.Src(n.Pos()), s.SrcEnd(n.End())
	if string(s.Doc.Src[start:end]) != s.Text(n) {
		return Edit{}, errors.New("node spans a line continuation")
	}
	return Edit{Start: start, End: end, New: text}, nil
}

// Command is one simple command found in a shell body, seen through the
// wrappers that only change how it runs (sudo, env VAR=x, command, exec,
// nice, nohup, time, xargs is not one of them).
type Command struct {
	Stmt *syntax.Stmt
	Call *syntax.CallExpr
	Name string         // the program's base name: "apt-get", "pip3", ...
	Args []*syntax.Word // the words after the program name
}

// Commands lists every simple command in the body, in source order, inside
// && / || / ; chains, pipelines, if/for/while bodies, subshells and groups.
// The list is made once per body and shared: callers must not modify it.
func (s *Shell) Commands() []*Command {
	if s.parsed != nil && s.parsed.cmds != nil {
		return s.parsed.cmds
	}
	cmds := s.listCommands()
	if s.parsed != nil {
		s.parsed.cmds = cmds
	}
	return cmds
}

func (s *Shell) listCommands() []*Command {
	out := []*Command{}
	var stmt *syntax.Stmt
	syntax.Walk(s.File, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Stmt:
			stmt = n
		case *syntax.CallExpr:
			if c := unwrapCall(n); c != nil {
				c.Stmt = stmt
				out = append(out, c)
			}
		}
		return true
	})
	return out
}

func unwrapCall(call *syntax.CallExpr) *Command {
	args := call.Args
	for len(args) > 0 {
		name, ok := WordLit(args[0])
		if !ok {
			return nil
		}
		switch path.Base(name) {
		case "sudo":
			args = SkipOptions(args[1:], map[string]bool{"-u": true, "-g": true, "-C": true, "-D": true, "-h": true, "-p": true, "-r": true, "-t": true, "-U": true})
			args = skipAssigns(args) // sudo VAR=value cmd
			continue
		case "env":
			args = skipAssigns(SkipOptions(args[1:], map[string]bool{"-u": true, "-C": true, "-S": true}))
			continue
		case "command":
			if len(args) > 1 {
				if v, _ := WordLit(args[1]); v == "-v" || v == "-V" {
					return nil // a lookup, not a run
				}
			}
			args = SkipOptions(args[1:], nil)
			continue
		case "exec", "nohup", "time":
			args = SkipOptions(args[1:], nil)
			continue
		case "nice":
			args = SkipOptions(args[1:], map[string]bool{"-n": true})
			continue
		}
		return &Command{Call: call, Name: path.Base(name), Args: args[1:]}
	}
	return nil
}

// skipAssigns drops leading NAME=value words (as env and sudo take them).
func skipAssigns(args []*syntax.Word) []*syntax.Word {
	for len(args) > 0 {
		v, ok := WordLit(args[0])
		name, _, found := strings.Cut(v, "=")
		if !ok || !found || name == "" || strings.ContainsAny(name, "/-. ") {
			break
		}
		args = args[1:]
	}
	return args
}

// SkipOptions drops the leading -x options of args (and the word after each
// option in withValue). It stops at the first word the shell computes, at
// "-" (an operand), and after "--". Transforms use it to step over the
// options of wrappers such as sudo, env or nice.
func SkipOptions(args []*syntax.Word, withValue map[string]bool) []*syntax.Word {
	for len(args) > 0 {
		v, ok := WordLit(args[0])
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

// ArgLits is the literal value of each argument; ok is false for arguments
// whose value the shell computes (expansions, substitutions).
func (c *Command) ArgLits() (vals []string, ok []bool) {
	for _, w := range c.Args {
		v, k := WordLit(w)
		vals, ok = append(vals, v), append(ok, k)
	}
	return vals, ok
}

// WordLit is the value a word has after quote removal, when the shell does
// not compute it (no parameter expansion, command substitution, arithmetic,
// globbing is not considered).
func WordLit(w *syntax.Word) (string, bool) {
	var sb strings.Builder
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			sb.WriteString(unescapeUnquoted(p.Value))
		case *syntax.SglQuoted:
			if p.Dollar {
				return "", false
			}
			sb.WriteString(p.Value)
		case *syntax.DblQuoted:
			if p.Dollar {
				return "", false
			}
			for _, q := range p.Parts {
				lit, ok := q.(*syntax.Lit)
				if !ok {
					return "", false
				}
				sb.WriteString(unescapeDouble(lit.Value))
			}
		default:
			return "", false
		}
	}
	return sb.String(), true
}

func unescapeUnquoted(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			if s[i] == '\n' {
				continue
			}
		}
		sb.WriteByte(s[i])
	}
	return sb.String()
}

func unescapeDouble(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("$`\"\\\n", s[i+1]) >= 0 {
			i++
			if s[i] == '\n' {
				continue
			}
		}
		sb.WriteByte(s[i])
	}
	return sb.String()
}

// AppendCommand returns an edit that runs cmd after everything the body
// runs, joined with &&, so the RUN still fails exactly when it failed before.
// It follows the author's layout: on a RUN written over several lines it adds
// a new continuation line with the same indentation and operator placement
// (leading "&& " or trailing "&& \"), on a one-line RUN it appends inline.
func (s *Shell) AppendCommand(cmd string) (Edit, error) {
	stmts := s.File.Stmts
	if len(stmts) == 0 {
		return Edit{}, errors.New("empty shell body")
	}
	last := stmts[len(stmts)-1]
	if last.Background || last.Coprocess || last.Disown {
		return Edit{}, errors.New("the last command runs in the background")
	}
	if _, ok := last.Cmd.(*syntax.FuncDecl); ok {
		// `f() cmd && x` would read as part of the function's body.
		return Edit{}, errors.New("the body ends with a function definition")
	}
	end := StmtEnd(last)
	odd := false
	for i := int(end.Offset()) - 1; i >= 0 && s.Body[i] == '\\'; i-- {
		odd = !odd
	}
	if odd {
		// `cmd\`: whatever follows would be escaped by it.
		return Edit{}, errors.New("the body ends with a lone backslash")
	}
	at := s.SrcEnd(end)
	d := s.Doc
	line := d.LineOf(at)
	startLine := s.Instr.StartLine
	rest := strings.TrimRight(string(d.Src[at:d.LineStart(line+1)]), "\r\n")
	if line == startLine || strings.TrimSpace(rest) != "" {
		if strings.HasPrefix(rest, "#") {
			// `(a)#c`: glued to cmd, the comment would become its argument.
			return Edit{Start: at, End: at, New: " && " + cmd + " "}, nil
		}
		return Edit{Start: at, End: at, New: " && " + cmd}, nil
	}
	style := s.Style()
	if style.BeforeEscape == "" && at > 0 && rune(d.Src[at-1]) == d.Escape {
		// `a\\` + `\`: BuildKit reads an escape after an escape as no continuation.
		style.BeforeEscape = " "
	}
	nl := d.Newline(line)
	var text string
	if style.Leading {
		text = style.BeforeEscape + string(d.Escape) + nl + style.Indent + "&& " + cmd
	} else {
		text = " &&" + style.BeforeEscape + string(d.Escape) + nl + style.Indent + cmd
	}
	return Edit{Start: at, End: at, New: text}, nil
}

// StmtEnd is where a statement's command and redirections end, before any
// `;` or `&` that terminates it.
func StmtEnd(st *syntax.Stmt) syntax.Pos {
	// A statement may be only redirections (`>f`) or a bare `!`: no Cmd.
	end := st.Position
	if st.Negated {
		end = posAdd(end, 1)
	}
	// The furthest end of any node inside, not just st.Cmd.End():
	// mvdan.cc/sh's Assign.End is one byte short for a `+=` with no value
	// (`A+=`, `a[0]+=`), and a parent's End is its last child's.
	syntax.Walk(st, func(n syntax.Node) bool {
		var e syntax.Pos
		switch n := n.(type) {
		case nil, *syntax.Comment:
			return false
		case *syntax.Stmt:
			if n == st {
				return true // its End counts a trailing ; or &
			}
			e = n.End()
		case *syntax.Assign:
			e = n.End()
			if n.Append && n.Value == nil && n.Array == nil && !n.Naked {
				e = posAdd(e, 1)
			}
		default:
			e = n.End()
		}
		if e.IsValid() && e.After(end) {
			end = e
		}
		return true
	})
	return end
}

func posAdd(p syntax.Pos, n uint) syntax.Pos {
	return syntax.NewPos(p.Offset()+n, p.Line(), p.Col()+n)
}

// Style is how an author writes a multi-line RUN.
type Style struct {
	Indent       string // leading whitespace of continuation lines
	Leading      bool   // operators start lines ("    && cmd") rather than end them ("cmd && \")
	BeforeEscape string // what stands between the last word and the continuation token: " " or ""
}

// Style reads the continuation layout of the instruction: the indentation
// of its last command line, where it puts && operators, and the spacing
// before its continuation tokens. Single-line instructions get the common
// Docker style (four spaces, leading &&, " \").
func (s *Shell) Style() Style {
	return styleOf(s.Doc, s.Instr)
}

func styleOf(d *Document, in *Instruction) Style {
	st := Style{Indent: "    ", Leading: true, BeforeEscape: " "}
	esc := string(d.Escape)
	leading, trailing := 0, 0
	opIndent := ""
	gotSpacing := false
	for n := in.StartLine; n <= in.EndLine; n++ {
		body := string(trimNewline([]byte(d.Line(n))))
		t := strings.TrimSpace(body)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if n > in.StartLine {
			indent := body[:len(body)-len(strings.TrimLeft(body, " \t"))]
			if strings.HasPrefix(t, "&&") || strings.HasPrefix(t, "||") {
				leading++
				opIndent = indent
			}
			st.Indent = indent
		}
		if strings.HasSuffix(t, esc) {
			content := strings.TrimRight(strings.TrimSuffix(t, esc), " \t")
			if strings.HasSuffix(content, "&&") || strings.HasSuffix(content, ";") {
				trailing++
			}
			if !gotSpacing {
				gotSpacing = true
				if strings.HasSuffix(strings.TrimRight(body, " \t"), " "+esc) || strings.HasSuffix(strings.TrimRight(body, " \t"), "\t"+esc) {
					st.BeforeEscape = " "
				} else {
					st.BeforeEscape = ""
				}
			}
		}
	}
	if trailing > leading {
		st.Leading = false
	} else if opIndent != "" {
		// Lines that start with an operator set the indent; deeper-indented
		// argument lines (package lists) do not.
		st.Indent = opIndent
	}
	return st
}
