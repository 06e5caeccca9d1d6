package transforms

// The stage layer of exec-form: the FROM chain of a stage, the ENTRYPOINT
// and CMD it ends up with, and whether it has a shell at all.

import (
	"path"
	"strconv"
	"strings"

	"github.com/dockopt/dockopt/rewrite"
)

// stageChain is st and the stages of this Dockerfile it is built FROM.
func stageChain(d *rewrite.Document, st *rewrite.Stage) []*rewrite.Stage {
	chain := []*rewrite.Stage{st}
	for {
		parent := d.Parent(st)
		if parent == nil || parent.Index >= st.Index {
			return chain
		}
		chain, st = append(chain, parent), parent
	}
}

func stageRoot(d *rewrite.Document, st *rewrite.Stage) *rewrite.Stage {
	c := stageChain(d, st)
	return c[len(c)-1]
}

// effectiveEntrypoint is the ENTRYPOINT the stage's image ends up with, when
// this Dockerfile sets it (the last one wins, wherever a CMD stands).
func effectiveEntrypoint(d *rewrite.Document, st *rewrite.Stage) *rewrite.Instruction {
	for _, s := range stageChain(d, st) {
		for i := len(s.Instructions) - 1; i >= 0; i-- {
			if s.Instructions[i].Cmd == "entrypoint" {
				return s.Instructions[i]
			}
		}
	}
	return nil
}

func passedToExecEntrypoint(d *rewrite.Document, in *rewrite.Instruction) bool {
	if in.Cmd != "cmd" {
		return false
	}
	ep := effectiveEntrypoint(d, in.Stage)
	return ep != nil && ep.IsJSON() && len(ep.Args()) > 0 // ENTRYPOINT [] is none
}

// passThrough reports an init wrapper (tini, dumb-init) that only runs its
// arguments: it runs `sh -c "a b"` and `a b` alike.
func passThrough(args []string) bool {
	if len(args) == 0 {
		return false
	}
	switch path.Base(args[0]) {
	case "tini", "tini-static", "dumb-init", "catatonit":
	default:
		return false
	}
	for _, a := range args[1:] {
		if !strings.HasPrefix(a, "-") && strings.Trim(a, "0123456789") != "" {
			return false
		}
	}
	return true
}

func firstCmd(st *rewrite.Stage) *rewrite.Instruction {
	for _, x := range st.Instructions {
		if x.Cmd == "cmd" {
			return x
		}
	}
	return nil
}

func childStage(d *rewrite.Document, st *rewrite.Stage) *rewrite.Stage {
	for _, s := range d.Stages[st.Index+1:] {
		if d.Parent(s) == st || s.Base == strconv.Itoa(st.Index) {
			return s
		}
	}
	return nil
}

// stageHasNoShell reports a stage built on scratch or a distroless image
// (directly or through other stages) that nothing suggests has gained a
// shell: no SHELL, no shell-form RUN (the build would need /bin/sh), and no
// COPY/ADD of a root filesystem, a bin directory or a shell binary.
func stageHasNoShell(d *rewrite.Document, st *rewrite.Stage) bool {
	chain := stageChain(d, st)
	if !shellless(chain[len(chain)-1].Base) {
		return false
	}
	for _, s := range chain {
		for _, x := range s.Instructions {
			switch x.Cmd {
			case "shell":
				return false
			case "run":
				if !x.IsJSON() {
					return false
				}
			case "copy", "add":
				for _, a := range x.Args() {
					a = strings.TrimRight(a, "/")
					switch path.Base(a) {
					case "", ".", "bin", "sh", "bash", "ash", "dash", "busybox":
						return false
					}
				}
			}
		}
	}
	return true
}

// shellless reports images known to ship without /bin/sh. Debug and -dev
// variants carry a shell.
func shellless(image string) bool {
	img := strings.ToLower(image)
	name, _, _ := strings.Cut(img, "@")
	tag := ""
	if i := strings.LastIndex(name, ":"); i > strings.LastIndex(name, "/") {
		name, tag = name[:i], name[i+1:]
	}
	if strings.Contains(tag, "debug") || strings.Contains(tag, "dev") {
		return false
	}
	return name == "scratch" || strings.Contains(name, "/distroless/") ||
		strings.HasPrefix(name, "gcr.io/distroless") || name == "cgr.dev/chainguard/static"
}
