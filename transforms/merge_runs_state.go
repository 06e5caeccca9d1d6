package transforms

import (
	"strings"

	"github.com/dockopt/dockopt/rewrite"
	"mvdan.cc/sh/v3/syntax"
)

// This file holds what merge-runs knows of shell semantics: which commands
// change the shell that runs them, which ones the shell remembers the path
// of, and when errexit could change how a segment ends.

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
					v = wordSource(w)
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
