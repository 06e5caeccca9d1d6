package transforms

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/dockopt/dockopt/rewrite"
)

// ExecForm rewrites a shell-form CMD or ENTRYPOINT that is a plain list of
// words into JSON exec form.
var ExecForm = &rewrite.Transform{
	ID:      "exec-form",
	Hints:   []string{"cmd", "entrypoint"}, // fast path: files without these cannot change
	Summary: "Write a plain-word shell-form CMD/ENTRYPOINT in exec (JSON) form",
	Rationale: "A shell-form CMD runs as `/bin/sh -c \"...\"`, so the shell is PID 1: it does not " +
		"forward SIGTERM, `docker stop` waits 10 s and then kills the container, and a scratch or " +
		"distroless image, which has no /bin/sh, cannot start it at all. Exec form runs the program " +
		"directly. Only commands that are a plain list of words are converted (quotes resolved " +
		"exactly); anything the shell would expand, redirect, chain or interpret (variables, globs, " +
		"pipes, &&, builtins such as cd or exec, a login SHELL) stays as written, and so does a command " +
		"whose stage sets an ENV name that is not a shell identifier (`spring.profiles.active`): dash, " +
		"Debian's /bin/sh, drops such variables, so the program never saw them. A CMD is converted " +
		"only when the ENTRYPOINT that receives it is known: one set in the Dockerfile, or that of an " +
		"official base image dockopt has checked (debian, ubuntu, alpine, python, golang, eclipse-temurin, " +
		"node for node/npm/npx commands, ...), because entrypoint scripts such as postgres's and nginx's " +
		"act on their first argument, which is `/bin/sh` in shell form; `--set exec-form.unknown-base=convert` " +
		"(or `settings: {exec-form: {unknown-base: convert}}`) converts CMDs on other base images too. " +
		"A shell-form ENTRYPOINT is converted only when no CMD would start being appended to it.",
	Before:  "FROM debian:12\nCMD nginx -g \"daemon off;\"\n",
	After:   "FROM debian:12\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n",
	Default: true,
	Run:     runExecForm,

	Hadolint:     []string{"DL3025"},
	BuildKitRule: "JSONArgsRecommended",
}

func runExecForm(p *rewrite.Pass) {
	d := p.Doc
	unknownBase := p.Settings.Get("exec-form.unknown-base", "skip")
	if unknownBase != "skip" && unknownBase != "convert" {
		if len(d.Instructions) > 0 {
			p.Report(d.Instructions[0], rewrite.SeverityError, fmt.Sprintf("exec-form.unknown-base must be \"skip\" or \"convert\", not %q; CMDs on unknown base images are left alone", unknownBase))
		}
		unknownBase = "skip"
	}
	for _, in := range d.Instructions {
		if (in.Cmd != "cmd" && in.Cmd != "entrypoint") || in.IsJSON() || in.Stage == nil {
			continue
		}
		kw := strings.ToUpper(in.Cmd)
		noShell := stageHasNoShell(d, in.Stage)
		sh, err := d.Shell(in)
		if err != nil {
			switch {
			case noShell && err != rewrite.ErrNotShellForm:
				p.Report(in, rewrite.SeverityError, fmt.Sprintf("shell-form %s needs a shell, but the stage has none (%s): it cannot start; write it in exec form by hand (%v)", kw, stageRoot(d, in.Stage).Base, err))
			case strings.HasPrefix(err.Error(), "shell parse"):
				p.Skip(in, fmt.Sprintf("%s left in shell form: %v", kw, err))
			}
			continue
		}
		vals, words, why := plainWords(sh)
		if why != "" {
			if noShell && !passedToExecEntrypoint(d, in) {
				p.Report(in, rewrite.SeverityError, fmt.Sprintf("shell-form %s needs a shell, but the stage has none (%s): it cannot start; %s, so it cannot be converted to exec form automatically", kw, stageRoot(d, in.Stage).Base, why))
			}
			continue
		}
		if why := shellRefusal(d, in); why != "" {
			p.Skip(in, kw+" left in shell form: "+why)
			continue
		}
		if name, line := envNotIdentifier(d, in.Stage); name != "" && !noShell {
			p.Skip(in, fmt.Sprintf("%s left in shell form: line %d sets the environment variable %q, which is not a shell name: /bin/sh (dash) leaves it out of the program's environment, exec form would pass it", kw, line, name))
			continue
		}
		msg, why := execFormDecision(d, in, vals[0], noShell, unknownBase)
		if why != "" {
			p.Skip(in, kw+" left in shell form: "+why)
			continue
		}
		edits, err := execFormEdits(sh, words, vals)
		if err == nil {
			err = checkExecForm(d, in, edits, vals)
		}
		if err != nil {
			p.Skip(in, kw+" left in shell form: "+err.Error())
			continue
		}
		p.Fix(in, msg, edits...)
	}
}

// execFormDecision says whether converting in keeps what the container runs,
// with the finding's message, or why not. first is the program word.
func execFormDecision(d *rewrite.Document, in *rewrite.Instruction, first string, noShell bool, unknownBase string) (msg, why string) {
	st := in.Stage
	if in.Cmd == "cmd" {
		return cmdDecision(d, st, first, noShell, unknownBase)
	}
	cmd := firstCmd(st)
	if noShell {
		msg = "shell-form ENTRYPOINT cannot start: the stage (" + stageRoot(d, st).Base + ") has no /bin/sh; converted to exec form, which runs the program directly"
		if cmd != nil {
			return msg + fmt.Sprintf("; note that the CMD on line %d is now passed to it as arguments, and `docker run IMAGE ARGS` passes ARGS instead", cmd.StartLine), ""
		}
		return msg + "; note that `docker run IMAGE ARGS` now passes ARGS to the program", ""
	}
	if cmd != nil {
		return "", fmt.Sprintf("the stage sets CMD (line %d), which shell form ignores but exec form would append as arguments", cmd.StartLine)
	}
	if child := childStage(d, st); child != nil {
		return "", fmt.Sprintf("the stage on line %d is built FROM this one; a CMD there would be appended to an exec-form ENTRYPOINT", child.From.StartLine)
	}
	for _, x := range st.Instructions {
		if x.Cmd == "onbuild" {
			return "", fmt.Sprintf("the stage is a base image (ONBUILD on line %d); a CMD set downstream would be appended to an exec-form ENTRYPOINT", x.StartLine)
		}
	}
	return "ENTRYPOINT converted to exec form: the program runs as PID 1 and receives docker stop's SIGTERM; note that `docker run IMAGE ARGS` now passes ARGS to the program (shell form ignored them)", ""
}

// cmdDecision decides for a CMD, whose words reach the ENTRYPOINT the image
// ends up with: `/bin/sh -c "x y"` in shell form, `x y` in exec form.
func cmdDecision(d *rewrite.Document, st *rewrite.Stage, first string, noShell bool, unknownBase string) (msg, why string) {
	const pid1 = "CMD converted to exec form: the program runs as PID 1 and receives docker stop's SIGTERM instead of a shell swallowing it"
	ep := effectiveEntrypoint(d, st)
	switch {
	case ep != nil && !ep.IsJSON():
		// BuildKit stores it as ["/bin/sh", "-c", BODY]; the CMD words
		// become that shell's $0, $1, ... which only a body that reads
		// positional parameters sees.
		if positionalParam.MatchString(strings.Join(ep.Args(), " ")) {
			return "", fmt.Sprintf("the shell-form ENTRYPOINT on line %d reads positional parameters ($0, $1, $@ ...), which hold this CMD's words (`/bin/sh`, `-c`, ... today)", ep.StartLine)
		}
		return fmt.Sprintf("CMD converted to exec form; the shell-form ENTRYPOINT on line %d does not read it, so the image runs as before", ep.StartLine), ""
	case ep != nil && len(ep.Args()) > 0 && !passThrough(ep.Args()):
		return "", fmt.Sprintf("the exec-form ENTRYPOINT on line %d receives this CMD as its arguments (`/bin/sh -c ...` today); exec form would hand it the words instead, which an entrypoint script may treat differently", ep.StartLine)
	case ep != nil:
		// ENTRYPOINT [] (none) or an init wrapper that runs its arguments.
		return pid1, ""
	case noShell:
		return "shell-form CMD cannot start: the stage (" + stageRoot(d, st).Base + ") has no /bin/sh; converted to exec form, which runs the program directly", ""
	}
	base := stageRoot(d, st).Base
	kind, known := baseEntrypoint(base)
	switch {
	case known:
		if why := entrypointRefusal(base, kind, first); why != "" {
			return "", why
		}
		return pid1, ""
	case unknownBase == "convert":
		return pid1 + "; " + base + " is not a base image dockopt knows: if it has an ENTRYPOINT, that now receives these words instead of `/bin/sh -c ...` (exec-form.unknown-base=convert)", ""
	case strings.Contains(base, "$"):
		return "", fmt.Sprintf("the base image %s is chosen by a build argument, so whether it has an ENTRYPOINT is unknown; one would receive %q instead of `/bin/sh -c ...` in exec form and may start differently (set exec-form.unknown-base=convert to convert anyway)", base, first)
	}
	return "", fmt.Sprintf("the base image %s is not one dockopt knows to have no ENTRYPOINT (or one that runs its arguments unchanged); if it has one, as postgres and nginx do, it would receive %q instead of `/bin/sh -c ...` in exec form and may start differently (set exec-form.unknown-base=convert to convert anyway)", base, first)
}

// positionalParam matches a reference to a positional parameter in shell
// text: $0-$9, $@, $*, $#, ${1}, ${#}, ${@:2} ...
var positionalParam = regexp.MustCompile(`\$(\{#?)?[0-9@*#]`)
