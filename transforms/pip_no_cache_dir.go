package transforms

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/dockopt/dockopt/rewrite"
)

// PipNoCacheDir adds --no-cache-dir to `pip install`.
//
//	RUN pip install flask             ->  RUN pip install --no-cache-dir flask
//	RUN python3 -m pip install -r r   ->  RUN python3 -m pip install --no-cache-dir -r r
var PipNoCacheDir = &rewrite.Transform{
	ID:      "pip-no-cache-dir",
	Hints:   []string{"pip"}, // fast path: files without these cannot change
	Summary: "Add --no-cache-dir to `pip install` so downloaded wheels do not stay in the layer",
	Rationale: "pip keeps every downloaded and built wheel under ~/.cache/pip; in an image layer that " +
		"cache is dead weight, often as large as the installed packages. --no-cache-dir makes pip " +
		"write none of it. Left alone: installs that already disable the cache (--no-cache-dir, " +
		"PIP_NO_CACHE_DIR set by ENV or ARG in the stage or a stage it builds on, or inline), that " +
		"choose a cache (--cache-dir, or PIP_CACHE_DIR together with a cache mount), RUNs whose " +
		"--mount=type=cache targets the pip cache (~/.cache/pip or ~/.cache), and exec-form, heredoc " +
		"and non-POSIX RUNs.",
	Before:  "FROM python:3.12-slim\nRUN pip install -r requirements.txt\n",
	After:   "FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt\n",
	Default: true,
	Run:     runPipNoCacheDir,

	Hadolint: []string{"DL3042"},
}

// pipValueOpts are pip's general options that take a separate value.
var pipValueOpts = map[string]bool{
	"--python": true, "--log": true, "--log-file": true, "--proxy": true, "--retries": true,
	"--timeout": true, "--exists-action": true, "--trusted-host": true, "--cert": true,
	"--client-cert": true, "--cache-dir": true, "--use-feature": true, "--use-deprecated": true,
	"--keyring-provider": true,
}

func runPipNoCacheDir(p *rewrite.Pass) {
	var env *stageEnv // built on first use
	stageSets := func(in *rewrite.Instruction, name string) bool {
		if env == nil {
			env = newStageEnv(p.Doc)
		}
		return env.stageSets(in, name)
	}
	eachRunShell(p, []string{"pip"}, func(in *rewrite.Instruction, sh *rewrite.Shell) {
		var edits []rewrite.Edit
		for _, c := range sh.Commands() {
			args := pipArgs(c)
			if args == nil {
				continue
			}
			i := subcommandAt(args, pipValueOpts)
			if i < 0 {
				continue
			}
			if v, _ := rewrite.WordLit(args[i]); v != "install" {
				continue
			}
			vals := wordLits(args)
			if anyArgPrefix(vals, "--no-cache") { // optparse accepts any unique prefix of --no-cache-dir
				continue
			}
			if anyArg(vals, "--cache-dir", "--cache-dir=") {
				p.Skip(in, "pip install with --cache-dir: --no-cache-dir not added")
				continue
			}
			edits = append(edits, sh.InsertAfter(args[i], " --no-cache-dir"))
		}
		if len(edits) == 0 {
			return
		}
		switch {
		case stageSets(in, "PIP_NO_CACHE_DIR"), shellAssigns(sh, "PIP_NO_CACHE_DIR"):
			return // the cache is already off
		case cacheMountOn(in, "~/.cache/pip"):
			return // the user keeps pip's cache in a cache mount
		case (stageSets(in, "PIP_CACHE_DIR") || shellAssigns(sh, "PIP_CACHE_DIR")) && hasCacheMount(in):
			return // PIP_CACHE_DIR most likely points into the cache mount
		}
		p.Fix(in, "pip install keeps its download cache in the layer: added --no-cache-dir", edits...)
	})
}

// pipArgs are pip's arguments when c runs pip (pip, pip3, pip3.12, or
// python -m pip), else nil.
func pipArgs(c *rewrite.Command) []*syntax.Word {
	if versionedName(c.Name, "pip") {
		return c.Args
	}
	if !versionedName(c.Name, "python") {
		return nil
	}
	for i := 0; i < len(c.Args); i++ {
		v, ok := rewrite.WordLit(c.Args[i])
		switch {
		case !ok:
			return nil
		case v == "-m":
			if i+1 < len(c.Args) {
				if m, _ := rewrite.WordLit(c.Args[i+1]); m == "pip" {
					return c.Args[i+2:]
				}
			}
			return nil
		case v == "-W" || v == "-X":
			i++ // interpreter options with a value
		case !strings.HasPrefix(v, "-") || v == "-" || strings.HasPrefix(v, "-c"):
			return nil // a script, stdin or -c: not pip
		}
	}
	return nil
}

// versionedName reports whether name is base optionally followed by a version:
// pip, pip3, pip3.12; python, python3.12.
func versionedName(name, base string) bool {
	rest, ok := strings.CutPrefix(name, base)
	if !ok {
		return false
	}
	dots := 0
	for i := 0; i < len(rest); i++ {
		switch {
		case rest[i] >= '0' && rest[i] <= '9':
		case rest[i] == '.' && i > 0 && i+1 < len(rest) && dots == 0:
			dots++
		default:
			return false
		}
	}
	return true
}

// anyArgPrefix reports whether an argument starts with prefix.
func anyArgPrefix(args []string, prefix string) bool {
	for _, a := range args {
		if strings.HasPrefix(a, prefix) {
			return true
		}
	}
	return false
}
