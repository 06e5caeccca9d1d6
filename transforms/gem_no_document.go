package transforms

import (
	"path"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/dockopt/dockopt/rewrite"
)

// GemNoDocument adds --no-document to `gem install`.
//
//	RUN gem install bundler  ->  RUN gem install --no-document bundler
var GemNoDocument = &rewrite.Transform{
	ID:      "gem-no-document",
	Hints:   []string{"gem"}, // fast path: files without these cannot change
	Summary: "Add --no-document to `gem install` so ri/rdoc documentation is not generated into the image",
	Rationale: "`gem install` generates ri and rdoc documentation for every gem it installs: slow to build " +
		"and useless in an image. --no-document turns it off (RubyGems 2.0 and later). Left alone: " +
		"installs that already choose (--no-document, -N, --document, --no-rdoc, --no-ri), stages where " +
		"an earlier RUN writes `--no-document` into a gemrc (~/.gemrc, /etc/gemrc, ...) or a COPY " +
		"heredoc does, and exec-form, heredoc and non-POSIX RUNs.",
	Before:  "FROM ruby:3.3\nRUN gem install bundler\n",
	After:   "FROM ruby:3.3\nRUN gem install --no-document bundler\n",
	Default: true,
	Run:     runGemNoDocument,
}

// docFlags are gem install options that already decide about documentation
// (RubyGems' OptionParser also accepts unique prefixes: --no-doc).
var docFlags = []string{"--no-doc", "--doc", "--no-rdoc", "--no-ri", "--rdoc", "--ri"}

func runGemNoDocument(p *rewrite.Pass) {
	eachRunShell(p, []string{"gem"}, func(in *rewrite.Instruction, sh *rewrite.Shell) {
		var edits []rewrite.Edit
		for _, c := range sh.Commands() {
			if c.Name != "gem" {
				continue
			}
			i := subcommandAt(c.Args, map[string]bool{"--config-file": true})
			if i < 0 {
				continue
			}
			if v, _ := rewrite.WordLit(c.Args[i]); v != "install" {
				continue
			}
			args := wordLits(c.Args)
			decided := shortOptSet(args, 'N')
			for _, f := range docFlags {
				decided = decided || anyArgPrefix(args, f)
			}
			if decided {
				continue
			}
			edits = append(edits, sh.InsertAfter(c.Args[i], " --no-document"))
		}
		if len(edits) == 0 {
			return
		}
		if gemrcNoDocument(sh) || seenBefore(p.Doc, in, func(x *rewrite.Instruction) bool { return writesGemrc(p.Doc, x) }) {
			return // a gemrc already turns documentation off
		}
		p.Fix(in, "gem install generates documentation into the image: added --no-document", edits...)
	})
}

// writesGemrc reports whether x (a RUN, or a COPY/ADD heredoc) writes a
// gemrc that turns documentation off.
func writesGemrc(d *rewrite.Document, x *rewrite.Instruction) bool {
	switch x.Cmd {
	case "run":
		sh, err := d.Shell(x)
		return err == nil && gemrcNoDocument(sh)
	case "copy", "add":
		args := x.Args()
		if len(args) == 0 || !isGemrc(args[len(args)-1]) {
			return false
		}
		for _, h := range x.Node.Heredocs {
			if mentionsNoDocument(h.Content) {
				return true
			}
		}
	}
	return false
}

// gemrcNoDocument reports whether the shell writes a gemrc with
// --no-document in it: `echo 'gem: --no-document' > ~/.gemrc`, `>>`,
// `{ ...; } > /etc/gemrc`, or `echo ... | tee /usr/local/etc/gemrc`.
func gemrcNoDocument(sh *rewrite.Shell) bool {
	found := false
	syntax.Walk(sh.File, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Stmt:
			for _, r := range n.Redirs {
				switch r.Op {
				case syntax.RdrOut, syntax.AppOut, syntax.RdrAll, syntax.AppAll, syntax.ClbOut:
					if v, ok := rewrite.WordLit(r.Word); ok && isGemrc(v) && wordsMention(n.Cmd) {
						found = true
					}
				}
			}
		case *syntax.BinaryCmd:
			if n.Op == syntax.Pipe && teesGemrc(n.Y) && wordsMention(n.X) {
				found = true
			}
		}
		return !found
	})
	return found
}

func teesGemrc(st *syntax.Stmt) bool {
	call, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || len(call.Args) == 0 {
		return false
	}
	if v, _ := rewrite.WordLit(call.Args[0]); path.Base(v) != "tee" {
		return false
	}
	for _, w := range call.Args[1:] {
		if v, ok := rewrite.WordLit(w); ok && isGemrc(v) {
			return true
		}
	}
	return false
}

// wordsMention reports whether a literal word under n mentions --no-document.
func wordsMention(n syntax.Node) bool {
	found := false
	if n == nil {
		return false
	}
	syntax.Walk(n, func(n syntax.Node) bool {
		if w, ok := n.(*syntax.Word); ok {
			if v, ok := rewrite.WordLit(w); ok && mentionsNoDocument(v) {
				found = true
			}
		}
		return !found
	})
	return found
}

func mentionsNoDocument(s string) bool {
	return strings.Contains(s, "--no-document") || strings.Contains(s, "--no-rdoc")
}

func isGemrc(p string) bool {
	b := path.Base(p)
	return b == ".gemrc" || b == "gemrc"
}
