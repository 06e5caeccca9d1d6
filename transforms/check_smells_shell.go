package transforms

// Report-only checks on shell habits that Dockerfile instructions do
// better: no-sudo (USER) and workdir-not-cd (WORKDIR).

import (
	"fmt"
	"path"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/dockopt/dockopt/rewrite"
)

// NoSudo reports sudo in a RUN.
var NoSudo = &rewrite.Transform{
	ID:      "no-sudo",
	Summary: "Report sudo in a RUN",
	Rationale: "RUN already runs as the stage's USER, root unless a USER says otherwise. sudo adds a package " +
		"and a setuid binary to the image, reads a sudoers policy that may ask for a password and hang " +
		"the build, and behaves differently with and without a TTY. Switch users with USER around the " +
		"instructions that need root, and use gosu or su-exec in entrypoints that must drop privileges at " +
		"run time. Report only.",
	Before:   "FROM debian:12\nUSER app\nRUN sudo apt-get update\n",
	After:    "FROM debian:12\nUSER root\nRUN apt-get update\nUSER app\n",
	Default:  true,
	Hadolint: []string{"DL3004"},
	Run:      runNoSudo,
	Hints:    []string{"sudo"}, // fast path: files without these have nothing to report
}

func runNoSudo(p *rewrite.Pass) {
	smReportCommand(p, func(c *rewrite.Command) string {
		for _, w := range smWrappers(c) {
			if v, _ := rewrite.WordLit(w); path.Base(v) == "sudo" {
				return fmt.Sprintf("sudo %s: RUN already runs as the stage's USER; switch with USER root (and back) instead", c.Name)
			}
		}
		return ""
	})
}

// WorkdirNotCd reports a RUN that starts with cd to set its directory.
var WorkdirNotCd = &rewrite.Transform{
	ID:      "workdir-not-cd",
	Summary: "Report a RUN that starts with `cd DIR &&` where WORKDIR would say it once",
	Rationale: "`RUN cd /app && make` sets the directory for that one RUN; the next RUN starts over in the " +
		"WORKDIR, so the cd gets repeated, and a `RUN cd /app` on its own changes nothing at all. " +
		"`WORKDIR /app` sets the directory for every instruction that follows (RUN, COPY, CMD), creates it " +
		"if missing, and is where readers look. Reported only when the cd to a literal path comes first in " +
		"the RUN (alone, or first in an && chain or a list) and is the only cd of the script: a cd inside " +
		"a subshell, a later cd back, or `cd ... || exit` is deliberate. Info; report only.",
	Before:   "FROM node:22-slim\nCOPY . /app\nRUN cd /app && npm ci\n",
	After:    "FROM node:22-slim\nCOPY . /app\nWORKDIR /app\nRUN npm ci\n",
	Default:  true,
	Hadolint: []string{"DL3003"},
	Run:      runWorkdirNotCd,
	Hints:    []string{"cd"}, // fast path: files without these have nothing to report
}

func runWorkdirNotCd(p *rewrite.Pass) {
	smReportOnce(p, rewrite.SeverityInfo, func(sh *rewrite.Shell) string {
		if len(sh.File.Stmts) == 0 {
			return ""
		}
		first := sh.File.Stmts[0]
		st := first
		for {
			b, ok := st.Cmd.(*syntax.BinaryCmd)
			if !ok || b.Op != syntax.AndStmt {
				break
			}
			st = b.X
		}
		dir := smCdTarget(st)
		if dir == "" || smCdCount(sh.File) != 1 {
			return ""
		}
		if st == first && len(sh.File.Stmts) == 1 {
			return fmt.Sprintf("`cd %s` in a RUN of its own changes nothing for later instructions: use WORKDIR %s", dir, dir)
		}
		return fmt.Sprintf("`cd %s` only sets the directory of this RUN: WORKDIR %s sets it once for the instructions that follow", dir, dir)
	})
}

// smCdTarget is the directory of a plain `cd DIR` statement, or "".
func smCdTarget(st *syntax.Stmt) string {
	call, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || st.Negated || st.Background || len(st.Redirs) > 0 || len(call.Assigns) > 0 || len(call.Args) != 2 {
		return ""
	}
	if name, _ := rewrite.WordLit(call.Args[0]); name != "cd" {
		return ""
	}
	dir, ok := rewrite.WordLit(call.Args[1])
	if !ok || dir == "" || strings.HasPrefix(dir, "-") || strings.HasPrefix(dir, "~") {
		return ""
	}
	return dir
}

// smCdCount counts the cd commands anywhere in the script.
func smCdCount(f *syntax.File) int {
	n := 0
	syntax.Walk(f, func(node syntax.Node) bool {
		if call, ok := node.(*syntax.CallExpr); ok && len(call.Args) > 0 {
			if v, _ := rewrite.WordLit(call.Args[0]); v == "cd" {
				n++
			}
		}
		return true
	})
	return n
}
