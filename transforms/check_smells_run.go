package transforms

// Report-only checks on what a RUN's shell does: no-apt-upgrade,
// no-curl-pipe-sh and no-upx. They read scripts through smRunScripts, so
// heredoc, exec-form `sh -c` and ONBUILD RUNs count.

import (
	"fmt"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/dockopt/dockopt/rewrite"
)

// NoAptUpgrade reports apt-get upgrade / dist-upgrade / full-upgrade.
var NoAptUpgrade = &rewrite.Transform{
	ID:      "no-apt-upgrade",
	Summary: "Report apt-get/apt upgrade, dist-upgrade and full-upgrade in a RUN",
	Rationale: "Upgrading packages inside the image stores every upgraded file a second time: the base image's " +
		"layer keeps the old version, the RUN's layer adds the new one, often tens of megabytes. The result " +
		"also depends on the day the build runs, and dist-upgrade may pull in or remove packages the base " +
		"image was built around. To get security fixes, rebuild on a newer tag of the base image (its " +
		"maintainers publish them) or install the specific package you need. hadolint's DL3005 reported " +
		"this and was retired in hadolint 2.x, since some prefer upgrading in place; its code is kept here " +
		"so that existing `# hadolint ignore=DL3005` comments still apply. Report only.",
	Before:   "FROM debian:12\nRUN apt-get update && apt-get -y upgrade && apt-get install -y curl\n",
	After:    "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n",
	Default:  true,
	Hadolint: []string{"DL3005"},
	Run:      runNoAptUpgrade,
	Hints:    []string{"upgrade"}, // fast path: files without these have nothing to report
}

func runNoAptUpgrade(p *rewrite.Pass) {
	smReportCommand(p, func(c *rewrite.Command) string {
		a := readApt(c)
		if a == nil || a.Name == "apt-cache" {
			return ""
		}
		switch a.Sub {
		case "upgrade", "dist-upgrade", "full-upgrade":
			return fmt.Sprintf("%s %s stores upgraded files a second time on top of the base image and makes the build depend on the day it runs: use a newer base image tag instead", a.Name, a.Sub)
		}
		return ""
	})
}

// NoCurlPipeSh reports scripts downloaded and run in one go.
var NoCurlPipeSh = &rewrite.Transform{
	ID:      "no-curl-pipe-sh",
	Summary: "Report scripts downloaded and run unseen (curl ... | sh, sh -c \"$(curl ...)\")",
	Rationale: "`curl URL | sh` runs whatever the server sends at build time: a compromised or changed script, " +
		"or a download cut off halfway (the shell runs the partial script; without pipefail the RUN even " +
		"succeeds when curl fails). Download the script to a file, check it against a known sha256 " +
		"(`echo \"<sum>  install.sh\" | sha256sum -c`), then run it; or use a package. Reported: curl or wget " +
		"piped into sh, bash, dash, zsh, ash, ksh, python, perl, ruby or node reading the program from " +
		"stdin (not with -c or a script file), and `sh -c \"$(curl ...)\"`, `eval \"$(curl ...)\"`, " +
		"`bash <(curl ...)` and `source <(curl ...)`. Report only.",
	Before: "FROM debian:12\nRUN curl -fsSL https://example.com/install.sh | sh\n",
	After: "FROM debian:12\nRUN curl -fsSLo /tmp/install.sh https://example.com/install.sh \\\n" +
		" && echo \"<sha256>  /tmp/install.sh\" | sha256sum -c \\\n && sh /tmp/install.sh && rm /tmp/install.sh\n",
	Default: true,
	Run:     runNoCurlPipeSh,
	Hints:   []string{"curl", "wget"}, // fast path: files without these have nothing to report
}

// smInterpreters run a program they read from stdin when given none.
var smInterpreters = map[string]bool{"sh": true, "bash": true, "dash": true, "zsh": true, "ash": true, "ksh": true, "mksh": true,
	"python": true, "python2": true, "python3": true, "perl": true, "ruby": true, "node": true}

func runNoCurlPipeSh(p *rewrite.Pass) {
	smReportOnce(p, rewrite.SeverityWarning, func(sh *rewrite.Shell) string {
		if what := smPipedDownload(sh); what != "" {
			return what + " runs a downloaded script unseen: download it to a file, check its sha256, then run it"
		}
		return ""
	})
}

// smPipedDownload describes the first download-and-run of the script, or "".
func smPipedDownload(sh *rewrite.Shell) string {
	cmds := sh.Commands()
	byStmt := map[*syntax.Stmt]*rewrite.Command{}
	byCall := map[*syntax.CallExpr]*rewrite.Command{}
	var fetches []*rewrite.Command // curl and wget, the only commands searched by position
	for _, c := range cmds {
		byStmt[c.Stmt], byCall[c.Call] = c, c
		if c.Name == "curl" || c.Name == "wget" {
			fetches = append(fetches, c)
		}
	}
	if len(fetches) == 0 {
		return ""
	}
	downloads := func(n syntax.Node) string {
		for _, c := range fetches {
			if c.Call.Pos().Offset() >= n.Pos().Offset() && c.Call.End().Offset() <= n.End().Offset() {
				return c.Name
			}
		}
		return ""
	}
	var found string
	syntax.Walk(sh.File, func(n syntax.Node) bool {
		if found != "" {
			return false
		}
		switch n := n.(type) {
		case *syntax.BinaryCmd:
			if n.Op != syntax.Pipe && n.Op != syntax.PipeAll {
				return true
			}
			parts := smPipeParts(n)
			for i, part := range parts[1:] {
				c := byStmt[part]
				if c == nil || !smInterpreters[smVersionless(c.Name)] || !smReadsStdin(c) {
					continue
				}
				for _, left := range parts[:i+1] {
					if dl := downloads(left); dl != "" {
						found = fmt.Sprintf("%s ... | %s", dl, c.Name)
						return false
					}
				}
			}
			// Search inside the parts for substitutions; their pipelines were
			// flattened here and are not searched again.
			for _, part := range parts {
				syntax.Walk(part, func(n syntax.Node) bool {
					if call, ok := n.(*syntax.CallExpr); ok && found == "" {
						found = smSubstRun(sh, byCall[call], downloads)
					}
					return found == ""
				})
			}
			return false
		case *syntax.CallExpr:
			found = smSubstRun(sh, byCall[n], downloads)
		}
		return true
	})
	return found
}

// smSubstRun describes c when it runs the output of a download given as a
// substitution argument (sh -c "$(curl ...)", bash <(curl ...)), or is "".
func smSubstRun(sh *rewrite.Shell, c *rewrite.Command, downloads func(syntax.Node) string) string {
	if c == nil || !smRunsSubst(c) {
		return ""
	}
	for _, w := range c.Args {
		if inner := smSubstOnly(w); inner != nil && downloads(inner) != "" {
			return fmt.Sprintf("%s %s", c.Name, sh.Text(w))
		}
	}
	return ""
}

// smPipeParts flattens a pipeline into its commands, left to right.
func smPipeParts(b *syntax.BinaryCmd) []*syntax.Stmt {
	var out []*syntax.Stmt
	for _, st := range []*syntax.Stmt{b.X, b.Y} {
		if inner, ok := st.Cmd.(*syntax.BinaryCmd); ok && (inner.Op == syntax.Pipe || inner.Op == syntax.PipeAll) {
			out = append(out, smPipeParts(inner)...)
		} else {
			out = append(out, st)
		}
	}
	return out
}

// smVersionless is a program name without a version suffix (python3.12 -> python3).
func smVersionless(name string) string {
	if i := strings.IndexByte(name, '.'); i > 0 {
		return name[:i]
	}
	return name
}

// smReadsStdin reports whether an interpreter reads its program from stdin:
// no -c/-e/-m program option and no script file operand (or "-", or -s).
func smReadsStdin(c *rewrite.Command) bool {
	for i, a := range wordLits(c.Args) {
		if _, ok := rewrite.WordLit(c.Args[i]); !ok {
			return false
		}
		switch {
		case a == "-" || a == "-s" || a == "--":
			return true
		case strings.HasPrefix(a, "--"):
		case strings.HasPrefix(a, "-") || strings.HasPrefix(a, "+"):
			if strings.ContainsAny(a[1:], "cemE") {
				return false
			}
		default:
			return false // a script file
		}
	}
	return true
}

// smSubstOnly is the command or process substitution that makes up all of w
// ("$(curl ...)", <(curl ...)), or nil.
func smSubstOnly(w *syntax.Word) syntax.Node {
	parts := w.Parts
	if len(parts) == 1 {
		if dq, ok := parts[0].(*syntax.DblQuoted); ok {
			parts = dq.Parts
		}
	}
	if len(parts) != 1 {
		return nil
	}
	switch x := parts[0].(type) {
	case *syntax.CmdSubst:
		return x
	case *syntax.ProcSubst:
		return x
	}
	return nil
}

// smRunsSubst reports whether c runs the program a substitution argument
// produces: a shell or interpreter given it as -c program or script file,
// eval, or source.
func smRunsSubst(c *rewrite.Command) bool {
	switch smVersionless(c.Name) {
	case "eval", "source", ".":
		return true
	}
	return smInterpreters[smVersionless(c.Name)]
}

// NoUpx reports UPX compression of binaries.
var NoUpx = &rewrite.Transform{
	ID:      "no-upx",
	Summary: "Report binaries packed with UPX in a RUN",
	Rationale: "Image layers are already compressed for transfer and storage, so packing a binary with UPX " +
		"saves little of the pull size, while every start of the program must unpack all of it into " +
		"memory: slower starts, more memory per process, no sharing of the binary's pages between " +
		"containers, and a packed binary is often flagged by malware scanners. Ship the binary unpacked " +
		"(strip symbols with -ldflags=\"-s -w\" or `strip` instead). `upx -d`, `-t`, `-l` and `--version` " +
		"are not reported. Report only.",
	Before:  "FROM golang:1.22\nRUN go build -o /app . && upx --best /app\n",
	After:   "FROM golang:1.22\nRUN go build -ldflags=\"-s -w\" -o /app .\n",
	Default: true,
	Run:     runNoUpx,
	Hints:   []string{"upx"}, // fast path: files without these have nothing to report
}

func runNoUpx(p *rewrite.Pass) {
	smReportCommand(p, func(c *rewrite.Command) string {
		if c.Name != "upx" && c.Name != "upx-ucl" {
			return ""
		}
		args := wordLits(c.Args)
		if len(args) == 0 || anyArg(args, "-d", "--decompress", "-t", "--test", "-l", "--list", "-V", "--version", "-h", "--help", "-L", "--license") {
			return ""
		}
		return "upx packs a binary that image layers already compress: every start unpacks it whole into memory; ship it unpacked (strip symbols instead)"
	})
}
