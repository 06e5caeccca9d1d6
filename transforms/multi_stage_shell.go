package transforms

// multi-stage: the simple commands of a RUN, seen through the wrappers
// that only change how they run, with the directory each runs in (cd
// followed through && chains, undone after subshells).

import (
	"path"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/dockopt/dockopt/rewrite"
)

// msCmd is one simple command of a RUN, seen through the wrappers that only
// change how it runs, with the directory it runs in.
type msCmd struct {
	in       *rewrite.Instruction
	sh       *rewrite.Shell   // nil for exec form
	call     *syntax.CallExpr // nil for exec form
	name     string           // base name of the program
	prog     string           // the program word as written
	argv     []string         // the arguments (program excluded)
	lit      []bool
	cwd      string
	cwdKnown bool
	env      map[string]string // VAR=value prefixes and exports before it in the RUN
	wrapped  bool              // behind sudo, env, exec ...
	venv     string            // a virtualenv activated earlier in the RUN
}

// allLit reports whether every argument is literal.
func (c *msCmd) allLit() bool {
	for _, ok := range c.lit {
		if !ok {
			return false
		}
	}
	return true
}

// abs resolves a path argument against the command's directory.
func (c *msCmd) abs(p string) (string, bool) {
	if strings.HasPrefix(p, "/") {
		return path.Clean(p), true
	}
	if strings.HasPrefix(p, "~") || !c.cwdKnown {
		return "", false
	}
	return path.Join(c.cwd, p), true
}

// commands lists the simple commands of a RUN in order; ok is false (and
// the build stops) for a RUN whose commands cannot be followed.
func (b *msBuild) commands(in *rewrite.Instruction) ([]*msCmd, bool) {
	if in.IsJSON() {
		a := in.Args()
		if len(a) == 0 {
			return nil, true
		}
		c := &msCmd{in: in, name: path.Base(a[0]), prog: a[0], argv: a[1:], cwd: b.wd, cwdKnown: b.wdKnown, env: map[string]string{}}
		for range c.argv {
			c.lit = append(c.lit, true)
		}
		return []*msCmd{c}, true
	}
	sh, err := b.d.Shell(in)
	if err != nil {
		b.fail(in, "the RUN cannot be read (%v), so what it leaves in the image is unknown", err)
		return nil, false
	}
	before := b.stop
	w := &msWalker{b: b, sh: sh, env: map[string]string{}}
	w.stmts(sh.File.Stmts, b.wd, b.wdKnown)
	return w.out, b.stop == before
}

type msWalker struct {
	b    *msBuild
	sh   *rewrite.Shell
	out  []*msCmd
	env  map[string]string
	venv string
}

func (w *msWalker) stmts(list []*syntax.Stmt, cwd string, known bool) (string, bool) {
	for _, s := range list {
		cwd, known = w.stmt(s, cwd, known)
	}
	return cwd, known
}

func (w *msWalker) stmt(s *syntax.Stmt, cwd string, known bool) (string, bool) {
	in := w.sh.Instr
	if s.Background || s.Coprocess {
		w.b.fail(in, "the RUN starts a background command")
		return cwd, known
	}
	for _, r := range s.Redirs {
		switch r.Op {
		case syntax.RdrOut, syntax.AppOut, syntax.RdrAll, syntax.AppAll, syntax.RdrClob, syntax.AppClob:
			v, ok := rewrite.WordLit(r.Word)
			if !ok {
				w.b.fail(in, "the RUN writes to %s, a file dockopt cannot tell", w.sh.Text(r.Word))
				continue
			}
			if v == "/dev/null" || v == "/dev/stdout" || v == "/dev/stderr" {
				continue
			}
			c := &msCmd{cwd: cwd, cwdKnown: known}
			if p, ok := c.abs(v); ok {
				w.b.writes = append(w.b.writes, msWrite{in: in, path: p, what: "a redirection"})
			} else {
				w.b.fail(in, "the RUN writes to %s under a directory dockopt cannot tell", v)
			}
		}
	}
	switch x := s.Cmd.(type) {
	case nil:
	case *syntax.CallExpr:
		return w.call(x, cwd, known)
	case *syntax.BinaryCmd:
		if x.Op == syntax.Pipe || x.Op == syntax.PipeAll {
			w.stmt(x.X, cwd, known)
			w.stmt(x.Y, cwd, known)
			return cwd, known
		}
		cwd, known = w.stmt(x.X, cwd, known)
		return w.stmt(x.Y, cwd, known)
	case *syntax.Subshell:
		w.stmts(x.Stmts, cwd, known)
	case *syntax.Block:
		return w.stmts(x.Stmts, cwd, known)
	case *syntax.DeclClause: // export X=1, declare -x X=1
		for _, a := range x.Args {
			if a.Name == nil || a.Naked {
				continue
			}
			v, ok := "", true
			if a.Value != nil {
				v, ok = rewrite.WordLit(a.Value)
			}
			if !ok {
				v = "\x00"
			}
			w.env[a.Name.Value] = v
		}
	default:
		w.b.fail(in, "the RUN uses shell control flow (%s) that dockopt does not follow", w.sh.Text(s))
	}
	return cwd, known
}

func (w *msWalker) call(x *syntax.CallExpr, cwd string, known bool) (string, bool) {
	in := w.sh.Instr
	env := map[string]string{}
	for k, v := range w.env {
		env[k] = v
	}
	for _, a := range x.Assigns {
		if a.Value == nil {
			continue
		}
		v, ok := rewrite.WordLit(a.Value)
		if !ok {
			v = "\x00"
		}
		env[a.Name.Value] = v
		if len(x.Args) == 0 {
			w.env[a.Name.Value] = v // a plain assignment lasts for the RUN
		}
	}
	args := x.Args
	wrapped := false
	for len(args) > 0 {
		v, _ := rewrite.WordLit(args[0])
		switch path.Base(v) {
		case "sudo", "exec", "nohup", "time", "nice", "command":
			args, wrapped = rewrite.SkipOptions(args[1:], map[string]bool{"-u": true, "-g": true, "-n": true}), true
			continue
		case "env":
			args, wrapped = rewrite.SkipOptions(args[1:], nil), true
			for len(args) > 0 {
				a, ok := rewrite.WordLit(args[0])
				k, val, found := strings.Cut(a, "=")
				if !ok || !found || k == "" || strings.ContainsAny(k, "/-.") {
					break
				}
				env[k] = val
				args = args[1:]
			}
			continue
		}
		break
	}
	if len(args) == 0 {
		return cwd, known
	}
	prog, ok := rewrite.WordLit(args[0])
	if !ok {
		w.b.fail(in, "the RUN runs a program named by an expansion (%s)", w.sh.Text(args[0]))
		return cwd, known
	}
	c := &msCmd{in: in, sh: w.sh, call: x, name: path.Base(prog), prog: prog, cwd: cwd, cwdKnown: known, env: env, wrapped: wrapped, venv: w.venv}
	for _, a := range args[1:] {
		v, ok := rewrite.WordLit(a)
		c.argv, c.lit = append(c.argv, v), append(c.lit, ok)
	}
	switch c.name {
	case "cd":
		if len(c.argv) == 1 && c.lit[0] && c.argv[0] != "-" {
			if p, ok := c.abs(c.argv[0]); ok {
				return p, true
			}
		}
		return "", false
	case "export":
		for i, a := range c.argv {
			if k, v, ok := strings.Cut(a, "="); ok && c.lit[i] {
				w.env[k] = v
			} else if ok {
				w.env[k] = "\x00"
			}
		}
		return cwd, known
	case ".", "source":
		if len(c.argv) == 1 && c.lit[0] && path.Base(c.argv[0]) == "activate" {
			if p, ok := c.abs(c.argv[0]); ok {
				w.venv = path.Dir(path.Dir(p))
				return cwd, known
			}
		}
	}
	w.out = append(w.out, c)
	return cwd, known
}
