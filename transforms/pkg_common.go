package transforms

// Helpers shared by the package-manager cache transforms (apk-no-cache,
// pip-no-cache-dir, rpm-clean, gem-no-document, node-cache-clean).

import (
	"path"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"mvdan.cc/sh/v3/syntax"

	"github.com/dockopt/dockopt/rewrite"
)

// eachRunShell calls fn with the parsed shell of every shell-form RUN. A RUN
// the shell layer cannot edit (exec form, heredoc, non-POSIX SHELL, a body
// the shell parser rejects) is reported as left alone, but only when its
// text mentions one of tools, so that users hear about the RUNs that matter.
// The mention is a hint for that message only; edits always come from the
// parsed shell.
func eachRunShell(p *rewrite.Pass, tools []string, fn func(in *rewrite.Instruction, sh *rewrite.Shell)) {
	for _, in := range p.Doc.Instructions {
		if in.Cmd != "run" {
			continue
		}
		sh, err := p.Doc.Shell(in)
		if err != nil {
			if mentionsTool(in.Text(p.Doc), tools) {
				p.Skip(in, "not checked: "+err.Error())
			}
			continue
		}
		fn(in, sh)
	}
}

// mentionsTool reports whether a word of text names one of tools, by base
// name and with an optional version suffix (pip3.12, /usr/bin/dnf).
func mentionsTool(text string, tools []string) bool {
	words := strings.FieldsFunc(text, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("./_-", r))
	})
	for _, w := range words {
		for _, t := range tools {
			if versionedName(path.Base(w), t) {
				return true
			}
		}
	}
	return false
}

// cacheMountTargets returns the targets of the RUN's --mount=type=cache
// flags, read with BuildKit's own parser. Variables are not expanded: a
// target holding one is returned as written. ok is false when the flags
// cannot be read; callers then assume a cache mount might cover anything.
func cacheMountTargets(in *rewrite.Instruction) (targets []string, ok bool) {
	if len(in.Flags()) == 0 {
		return nil, true
	}
	cmd, err := rewrite.ParseCommand(in.Node)
	if err != nil {
		return nil, false
	}
	run, isRun := cmd.(*instructions.RunCommand)
	if !isRun {
		return nil, false
	}
	// Without an expander BuildKit defers reading key=value fields; an
	// identity expander makes it read them and leaves $VARs in place.
	if err := run.Expand(func(w string) (string, error) { return w, nil }); err != nil {
		return nil, false
	}
	for _, m := range instructions.GetMounts(run) {
		if m.Type == instructions.MountTypeCache {
			targets = append(targets, m.Target)
		}
	}
	return targets, true
}

// hasCacheMount reports whether the RUN has any cache mount (or flags that
// cannot be read).
func hasCacheMount(in *rewrite.Instruction) bool {
	t, ok := cacheMountTargets(in)
	return !ok || len(t) > 0
}

// cacheMountOn reports whether one of the RUN's cache mounts may share
// files with one of dirs: the mount target is a dir, a parent or a child of
// it. A dir written "~/x" stands for x under any home directory. Targets
// that are relative or hold a variable could be anywhere and count as a hit.
func cacheMountOn(in *rewrite.Instruction, dirs ...string) bool {
	targets, ok := cacheMountTargets(in)
	if !ok {
		return true
	}
	for _, t := range targets {
		for _, d := range dirs {
			if pathOverlaps(t, d) {
				return true
			}
		}
	}
	return false
}

// pathOverlaps reports whether target (a mount target or a path removed by
// rm) and dir are the same directory or one contains the other. Unknown
// targets (relative, or holding a $VAR) overlap everything.
func pathOverlaps(target, dir string) bool {
	if strings.Contains(target, "$") || !strings.HasPrefix(target, "/") {
		return true
	}
	t := path.Clean(target)
	rest, home := strings.CutPrefix(dir, "~/")
	if !home {
		return pathsNest(t, dir)
	}
	homes := []string{"/root"}
	if u, ok := strings.CutPrefix(t, "/home/"); ok {
		u, _, _ = strings.Cut(u, "/")
		homes = append(homes, "/home/"+u)
	} else if t == "/home" {
		return true
	}
	for _, h := range homes {
		if pathsNest(t, h+"/"+rest) {
			return true
		}
	}
	// Any other home directory: the target ends in the dir or in one of
	// its parents below the home (".cache" for ".cache/pip").
	if strings.Contains(t, "/"+rest+"/") {
		return true
	}
	for r := rest; r != "." && r != ""; r = path.Dir(r) {
		if strings.HasSuffix(t, "/"+r) {
			return true
		}
	}
	return false
}

// pathsNest: a and b (clean absolute paths) are equal or one contains the other.
func pathsNest(a, b string) bool {
	return a == b || a == "/" || b == "/" || strings.HasPrefix(b, a+"/") || strings.HasPrefix(a, b+"/")
}

// removesDir reports whether the shell runs `rm` on one of dirs, a parent or
// a child of it (`rm -rf /var/cache/yum/*`, `rm -rf /var/cache/*`). Arguments
// the shell computes count when their source text ends in one of suffixes
// (`rm -rf "$HOME/.npm"`).
func removesDir(sh *rewrite.Shell, dirs []string, suffixes ...string) bool {
	for _, c := range sh.Commands() {
		if c.Name != "rm" {
			continue
		}
		for _, w := range c.Args {
			v, ok := rewrite.WordLit(w)
			if !ok {
				src := strings.Trim(sh.Text(w), `"'/*`)
				for _, s := range suffixes {
					if strings.HasSuffix(src, s) || strings.Contains(src, s+"/") {
						return true
					}
				}
				continue
			}
			if strings.HasPrefix(v, "-") {
				continue
			}
			v = strings.TrimSuffix(v, "/*")
			if v == "" || !strings.HasPrefix(v, "/") && !strings.HasPrefix(v, "~/") {
				continue
			}
			if strings.HasPrefix(v, "~/") {
				v = "/root/" + v[2:]
			}
			for _, d := range dirs {
				if pathOverlaps(v, d) {
					return true
				}
			}
		}
	}
	return false
}

// programNameWord is the word that names the program of c (after sudo, env, ...).
func programNameWord(c *rewrite.Command) *syntax.Word {
	return c.Call.Args[len(c.Call.Args)-len(c.Args)-1]
}

// sudoPrefix is what a command appended after c needs in front of it to run
// with the same privileges: "sudo " when c ran behind a bare sudo, "" when c
// ran without one. ok is false when sudo had options (another user, ...)
// that a plain prefix would not reproduce.
func sudoPrefix(c *rewrite.Command) (prefix string, ok bool) {
	words := c.Call.Args[:len(c.Call.Args)-len(c.Args)-1]
	for i, w := range words {
		if v, _ := rewrite.WordLit(w); path.Base(v) == "sudo" {
			if i+1 < len(words) {
				if next, _ := rewrite.WordLit(words[i+1]); strings.HasPrefix(next, "-") {
					return "", false
				}
			}
			return "sudo ", true
		}
	}
	return "", true
}

// subcommandAt finds the first argument that is not an option, skipping the
// values of the options in withValue (given as "--opt" or "-o"; "--opt=v"
// needs no entry). It returns the index in args, or -1.
func subcommandAt(args []*syntax.Word, withValue map[string]bool) int {
	for i := 0; i < len(args); i++ {
		v, ok := rewrite.WordLit(args[i])
		if !ok {
			return -1
		}
		if v == "--" {
			if i+1 < len(args) {
				return i + 1
			}
			return -1
		}
		if !strings.HasPrefix(v, "-") || v == "-" {
			return i
		}
		if withValue[v] {
			i++
		}
	}
	return -1
}

// wordLits is the literal value of each word ("" for computed words).
func wordLits(args []*syntax.Word) []string {
	out := make([]string, len(args))
	for i, w := range args {
		out[i], _ = rewrite.WordLit(w)
	}
	return out
}

// anyArg reports whether one of args equals one of names, or starts with a
// name that ends in "=" ("--cache-dir=" matches "--cache-dir=/x").
func anyArg(args []string, names ...string) bool {
	for _, a := range args {
		for _, n := range names {
			if a == n || strings.HasSuffix(n, "=") && strings.HasPrefix(a, n) {
				return true
			}
		}
	}
	return false
}

// shortOptSet reports whether a cluster of single-dash short options in args
// ("-y", "-qy") holds the letter f.
func shortOptSet(args []string, f byte) bool {
	for _, a := range args {
		if len(a) >= 2 && a[0] == '-' && a[1] != '-' && strings.IndexByte(a[1:], f) >= 0 {
			return true
		}
	}
	return false
}

// stageEnv answers stageSets(in, name): whether an ENV or ARG instruction
// makes name part of the environment at in: earlier in its stage, or
// anywhere in a stage it is built FROM. An ARG without a default counts,
// since --build-arg may set it.
//
// It is built once per pass: each ENV/ARG is parsed once and each stage
// keeps the first instruction that sets a name, so a query walks the FROM
// chain instead of re-parsing the stage's instructions for every RUN (which
// made a file of many RUNs quadratic). The answers are seenBefore's.
type stageEnv struct {
	d     *rewrite.Document
	first map[string]map[*rewrite.Stage]int // name -> stage -> Index of its first ENV/ARG setting name
}

func newStageEnv(d *rewrite.Document) *stageEnv {
	e := &stageEnv{d: d, first: map[string]map[*rewrite.Stage]int{}}
	for _, x := range d.Instructions {
		if x.Stage == nil || x.Cmd != "env" && x.Cmd != "arg" {
			continue
		}
		v, err := rewrite.ParseInstruction(x.Node)
		if err != nil {
			continue
		}
		var keys []string
		switch c := v.(type) {
		case *instructions.EnvCommand:
			for _, kv := range c.Env {
				keys = append(keys, kv.Key)
			}
		case *instructions.ArgCommand:
			for _, kv := range c.Args {
				keys = append(keys, kv.Key)
			}
		}
		for _, k := range keys {
			if e.first[k] == nil {
				e.first[k] = map[*rewrite.Stage]int{}
			}
			if _, ok := e.first[k][x.Stage]; !ok {
				e.first[k][x.Stage] = x.Index
			}
		}
	}
	return e
}

// stageSets: see stageEnv. The walk is seenBefore's.
func (e *stageEnv) stageSets(in *rewrite.Instruction, name string) bool {
	first := e.first[name]
	st, limit := in.Stage, in
	seen := map[*rewrite.Stage]bool{}
	for st != nil && !seen[st] {
		seen[st] = true
		if i, ok := first[st]; ok && (limit == nil || i < limit.Index) {
			return true
		}
		parent := e.d.Parent(st)
		if parent == nil || parent.Index >= st.Index {
			break
		}
		st, limit = parent, nil
	}
	return false
}

// seenBefore reports whether fn holds for an instruction that comes before in
// within its stage, or for any instruction of a stage in is built FROM
// (FROM <stage>, transitively).
func seenBefore(d *rewrite.Document, in *rewrite.Instruction, fn func(*rewrite.Instruction) bool) bool {
	st, limit := in.Stage, in
	seen := map[*rewrite.Stage]bool{}
	for st != nil && !seen[st] {
		seen[st] = true
		for _, x := range st.Instructions {
			if limit != nil && x.Index >= limit.Index {
				break
			}
			if fn(x) {
				return true
			}
		}
		parent := d.Parent(st)
		if parent == nil || parent.Index >= st.Index {
			break
		}
		st, limit = parent, nil
	}
	return false
}

// shellAssigns reports whether the shell body sets the variable name:
// `NAME=x cmd`, `export NAME=x`, or `env NAME=x cmd`.
func shellAssigns(sh *rewrite.Shell, name string) bool {
	found := false
	syntax.Walk(sh.File, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Assign:
			if n.Name != nil && n.Name.Value == name {
				found = true
			}
		case *syntax.Word:
			if v, ok := rewrite.WordLit(n); ok && strings.HasPrefix(v, name+"=") {
				found = true
			}
		}
		return !found
	})
	return found
}

// decisiveStmts is the set of statements whose failure fails the RUN: the
// last statement of the body and what its exit status depends on (both sides
// of &&, the last command of a pipeline, the last statement of a subshell or
// group), plus, under errexit (`set -e` earlier in the body, or a SHELL with
// -e), statements whose failure exits the shell. When a RUN succeeds, each
// of them ran and succeeded; a command appended to the RUN can therefore rely
// on the program they ran being installed. Statements inside if, case, loops,
// on either side of || or in a command substitution are never decisive.
func decisiveStmts(sh *rewrite.Shell) map[*syntax.Stmt]bool {
	out := map[*syntax.Stmt]bool{}
	type ctx int
	const (
		status  ctx = iota // the statement's status becomes the RUN's status
		errexit            // the statement's failure only matters through set -e
	)
	var list func(stmts []*syntax.Stmt, c ctx, e bool)
	var stmt func(st *syntax.Stmt, c ctx, e bool)
	list = func(stmts []*syntax.Stmt, c ctx, e bool) {
		for i, st := range stmts {
			switch {
			case i == len(stmts)-1:
				stmt(st, c, e)
			case e:
				stmt(st, errexit, e)
			}
			if on, set := setsErrexit(st); set {
				e = on
			}
		}
	}
	stmt = func(st *syntax.Stmt, c ctx, e bool) {
		if st.Negated || st.Background || st.Coprocess || st.Disown {
			return
		}
		out[st] = true
		switch x := st.Cmd.(type) {
		case *syntax.BinaryCmd:
			switch x.Op {
			case syntax.AndStmt:
				if c == status {
					stmt(x.X, c, e)
				}
				stmt(x.Y, c, e)
			case syntax.Pipe, syntax.PipeAll:
				stmt(x.Y, c, e)
			}
		case *syntax.Subshell:
			list(x.Stmts, c, e)
		case *syntax.Block:
			list(x.Stmts, c, e)
		case *syntax.TimeClause:
			if x.Stmt != nil {
				stmt(x.Stmt, c, e)
			}
		}
	}
	list(sh.File.Stmts, status, shellErrexit(sh))
	return out
}

// setsErrexit recognizes `set -e` / `set +e` / `set -o errexit` (and
// clusters such as `set -eux`).
func setsErrexit(st *syntax.Stmt) (on, set bool) {
	call, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || len(call.Args) < 2 {
		return false, false
	}
	if v, _ := rewrite.WordLit(call.Args[0]); v != "set" {
		return false, false
	}
	args := wordLits(call.Args[1:])
	for i, a := range args {
		if (a == "-o" || a == "+o") && i+1 < len(args) && args[i+1] == "errexit" {
			on, set = a == "-o", true
		} else if len(a) >= 2 && (a[0] == '-' || a[0] == '+') && a[1] != '-' && strings.IndexByte(a[1:], 'e') >= 0 {
			on, set = a[0] == '-', true
		}
	}
	return on, set
}

// shellErrexit reports whether the stage's SHELL runs with -e.
func shellErrexit(sh *rewrite.Shell) bool {
	args := sh.Doc.ShellAt(sh.Instr)
	if len(args) < 2 {
		return false
	}
	for i, a := range args[1:] {
		if a == "-o" && i+2 < len(args) && args[i+2] == "errexit" {
			return true
		}
		if len(a) >= 2 && a[0] == '-' && a[1] != '-' && strings.IndexByte(a[1:], 'e') >= 0 {
			return true
		}
	}
	return false
}

// appendCleanup appends cmds (joined with &&) to the RUN, merging the edit
// with an insertion the same transform makes at the same offset (a flag
// inserted after the body's last word), which would otherwise overlap.
func appendCleanup(sh *rewrite.Shell, edits []rewrite.Edit, cmds []string) ([]rewrite.Edit, error) {
	e, err := sh.AppendCommand(strings.Join(cmds, " && "))
	if err != nil {
		return edits, err
	}
	for i, x := range edits {
		if x.Start == e.Start && x.End == e.End && x.Start == x.End {
			edits[i].New += e.New
			return edits, nil
		}
	}
	return append(edits, e), nil
}
