package transforms

// Helpers shared by the report-only checks (check_smells_*.go): the shell
// scripts a RUN runs, read more widely than the editing transforms may
// (heredocs, exec-form `sh -c`, ONBUILD RUN), since a check only reads them;
// and the stage facts the FROM-level checks need.

import (
	"path"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
	"mvdan.cc/sh/v3/syntax"

	"github.com/dockopt/dockopt/rewrite"
)

// smPosixShells are the shells whose scripts mvdan.cc/sh reads.
var smPosixShells = map[string]bool{"sh": true, "bash": true, "ash": true, "dash": true, "ksh": true, "mksh": true, "zsh": true}

// smRunScripts is every shell script the instruction runs at build time, for
// reading only: a shell-form RUN (as the engine parses it), the script of a
// heredoc RUN, the `-c` script of an exec-form RUN that calls a shell (any
// other exec-form RUN reads as one simple command), and the same inside
// ONBUILD. A script the shell parser rejects, or that runs under a
// non-POSIX shell, is not returned.
//
// Scripts not from Document.Shell are built with Doc, Instr, Body and File
// only: Commands and Text work on them; the offset methods (Src, Replace,
// InsertAfter, ...) must not be called, and checks never edit.
func smRunScripts(d *rewrite.Document, in *rewrite.Instruction) []*rewrite.Shell {
	node := in.Node
	if in.Cmd == "onbuild" {
		if in.Node.Next == nil || len(in.Node.Next.Children) == 0 {
			return nil
		}
		node = in.Node.Next.Children[0]
	}
	if !strings.EqualFold(node.Value, "run") || node.Next == nil {
		return nil
	}
	if in.Cmd == "run" {
		if sh, err := d.Shell(in); err == nil {
			return []*rewrite.Shell{sh}
		}
	}
	var bodies []string
	switch {
	case node.Attributes["json"]:
		var args []string
		for n := node.Next; n != nil; n = n.Next {
			args = append(args, n.Value)
		}
		if len(args) >= 3 && smPosixShells[path.Base(args[0])] && smIsCOption(args[1]) {
			bodies = append(bodies, args[2])
		} else if len(args) > 0 {
			// The program runs directly: read its words as one simple command.
			quoted := make([]string, len(args))
			for i, a := range args {
				quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
			}
			bodies = append(bodies, strings.Join(quoted, " "))
		}
	case !d.POSIXShell(in):
	case len(node.Heredocs) > 0:
		bodies = smHeredocScripts(node.Next.Value, node.Heredocs)
	default:
		bodies = append(bodies, node.Next.Value)
	}
	var out []*rewrite.Shell
	for _, b := range bodies {
		f, err := syntax.NewParser(syntax.KeepComments(true), syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(b), "")
		if err == nil {
			out = append(out, &rewrite.Shell{Doc: d, Instr: in, Body: b, File: f})
		}
	}
	return out
}

// smIsCOption reports whether a shell option word is -c or a cluster holding
// c (`-ec`, `-lc`).
func smIsCOption(a string) bool {
	return len(a) >= 2 && a[0] == '-' && a[1] != '-' && strings.IndexByte(a[1:], 'c') >= 0
}

// smHeredocScripts reads a heredoc RUN: `RUN <<EOF` (and `RUN bash -e <<EOF`)
// runs the first heredoc as the script; otherwise the command line runs
// with the heredocs as its input files, and is read with them attached so
// that the shell parser sees a complete script. A heredoc whose #! names a
// non-POSIX interpreter is not a shell script.
func smHeredocScripts(cmdline string, docs []parser.Heredoc) []string {
	var rest []string
	for _, f := range strings.Fields(cmdline) {
		if !strings.HasPrefix(f, "<<") {
			rest = append(rest, f)
		}
	}
	stdinShell := len(rest) > 0 && smPosixShells[path.Base(rest[0])]
	for _, o := range rest[min(1, len(rest)):] {
		if !strings.HasPrefix(o, "-") || smIsCOption(o) {
			stdinShell = false
		}
	}
	if len(rest) == 0 || stdinShell {
		body := docs[0].Content
		if first, _, _ := strings.Cut(body, "\n"); strings.HasPrefix(first, "#!") {
			if fs := strings.Fields(strings.TrimPrefix(first, "#!")); len(fs) == 0 ||
				!smPosixShells[path.Base(fs[len(fs)-1])] && !smPosixShells[path.Base(fs[0])] {
				return nil
			}
		}
		return []string{body}
	}
	var sb strings.Builder
	sb.WriteString(cmdline + "\n")
	for _, h := range docs {
		sb.WriteString(h.Content)
		if !strings.HasSuffix(h.Content, "\n") {
			sb.WriteString("\n")
		}
		sb.WriteString(h.Name + "\n")
	}
	return []string{sb.String()}
}

// smEachScript calls fn with every script of every RUN and ONBUILD RUN.
func smEachScript(p *rewrite.Pass, fn func(in *rewrite.Instruction, sh *rewrite.Shell)) {
	for _, in := range p.Doc.Instructions {
		if in.Cmd != "run" && in.Cmd != "onbuild" {
			continue
		}
		for _, sh := range smRunScripts(p.Doc, in) {
			fn(in, sh)
		}
	}
}

// smReportOnce reports at most one finding per RUN (or ONBUILD RUN): msg
// gets each of its scripts in turn, and the first non-empty message it
// returns is reported with severity sev.
func smReportOnce(p *rewrite.Pass, sev rewrite.Severity, msg func(sh *rewrite.Shell) string) {
	done := map[*rewrite.Instruction]bool{}
	smEachScript(p, func(in *rewrite.Instruction, sh *rewrite.Shell) {
		if done[in] {
			return
		}
		if m := msg(sh); m != "" {
			done[in] = true
			p.Report(in, sev, m)
		}
	})
}

// smReportCommand is smReportOnce for a check on single commands: msg gets
// the simple commands of each script in order, and the first non-empty
// message it returns is the RUN's one warning.
func smReportCommand(p *rewrite.Pass, msg func(c *rewrite.Command) string) {
	smReportOnce(p, rewrite.SeverityWarning, func(sh *rewrite.Shell) string {
		for _, c := range sh.Commands() {
			if m := msg(c); m != "" {
				return m
			}
		}
		return ""
	})
}

// smWrappers are the words before c's program name (sudo, env VAR=x, ...).
func smWrappers(c *rewrite.Command) []*syntax.Word {
	return c.Call.Args[:len(c.Call.Args)-len(c.Args)-1]
}

// smResolveBase is the image a stage's FROM names once the ARGs declared
// before the first FROM are applied with their defaults. ok is false when
// the name depends on a value only the build knows: an ARG without a
// default, or one of BuildKit's automatic platform ARGs.
func smResolveBase(d *rewrite.Document, base string) (image string, ok bool) {
	if !strings.Contains(base, "$") {
		return base, true
	}
	lex := shell.NewLex(d.Escape)
	known := map[string]string{}
	unknown := map[string]bool{}
	for _, a := range []string{"BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT",
		"TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT", "TARGETSTAGE"} {
		unknown[a] = true
	}
	env := func() shell.EnvGetter {
		var kv []string
		for k, v := range known {
			kv = append(kv, k+"="+v)
		}
		return shell.EnvsFromSlice(kv)
	}
	for _, in := range d.MetaArgs {
		for _, arg := range in.Args() {
			name, value, hasDefault := strings.Cut(arg, "=")
			if !hasDefault {
				if _, set := known[name]; !set {
					unknown[name] = true
				}
				continue
			}
			res, err := lex.ProcessWordWithMatches(value, env())
			if err != nil || smAnyIn(res.Unmatched, unknown) {
				unknown[name] = true
				delete(known, name)
				continue
			}
			known[name], unknown[name] = res.Result, false
		}
	}
	res, err := lex.ProcessWordWithMatches(base, env())
	if err != nil || smAnyIn(res.Unmatched, unknown) {
		return "", false
	}
	return res.Result, true
}

func smAnyIn(names map[string]struct{}, set map[string]bool) bool {
	for n := range names {
		if set[n] {
			return true
		}
	}
	return false
}

// smStageChain is st and the stages it is built FROM (FROM <stage>),
// nearest first.
func smStageChain(d *rewrite.Document, st *rewrite.Stage) []*rewrite.Stage {
	var out []*rewrite.Stage
	seen := map[*rewrite.Stage]bool{}
	for st != nil && !seen[st] {
		seen[st] = true
		out = append(out, st)
		parent := d.Parent(st)
		if parent == nil || parent.Index >= st.Index {
			break
		}
		st = parent
	}
	return out
}

// smWindowsBase reports whether an image name looks like a Windows base,
// where users, shells and certificate stores work differently.
func smWindowsBase(image string) bool {
	img := strings.ToLower(image)
	for _, w := range []string{"windows", "nanoserver", "servercore", "mcr.microsoft.com/powershell"} {
		if strings.Contains(img, w) {
			return true
		}
	}
	return false
}

// smellWords is the set of the space-separated words of list.
func smellWords(list string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(list) {
		set[w] = true
	}
	return set
}
