package transforms

// reorder-copy: dependency installs that read only their manifests.

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/dockopt/dockopt/rewrite"
)

// rcRole is what a command of an install RUN is.
type rcRole int

const (
	rcOther   rcRole = iota
	rcInstall        // installs a project's dependencies from its manifests
	rcAux            // installs named packages from a registry or configures a tool; reads no project file
)

// rcInstallCmd is a dependency install found in a RUN.
type rcInstallCmd struct {
	eco  string   // pip, npm, yarn, pnpm, go, bundler, composer, poetry, cargo
	what string   // for messages: "pip install", "npm ci"
	reqs []string // pip: requirement and constraint files, as written
	opts map[string]bool
	why  string // a reason the install cannot run on the manifests alone
	// frozen: the install never rewrites its lock file. One that may would
	// have its rewrite overwritten by the full COPY that now follows it.
	frozen bool
}

var (
	rcPipName    = regexp.MustCompile(`^pip[0-9.]*$`)
	rcPythonName = regexp.MustCompile(`^python[0-9.]*$`)
	rcArchive    = regexp.MustCompile(`(?i)\.(whl|zip|tar\.gz|tgz|tar\.bz2|tar\.xz|gem)$`)
)

// rcClassifyInstall tells installs (and the harmless helpers that often
// share their RUN) from everything else.
func rcClassifyInstall(cmd *rewrite.Command) (rcRole, *rcInstallCmd) {
	args, _ := cmd.ArgLits()
	name := cmd.Name
	switch {
	case rcPythonName.MatchString(name):
		if len(args) < 2 || args[0] != "-m" || !rcPipName.MatchString(args[1]) {
			return rcOther, nil
		}
		return rcPip(args[2:])
	case rcPipName.MatchString(name):
		return rcPip(args)
	}
	switch name {
	case "npm":
		return rcNpm(args)
	case "yarn":
		return rcYarn(args)
	case "pnpm":
		return rcPnpm(args)
	case "corepack":
		if sub := rcSub(args); sub == "enable" || sub == "prepare" {
			return rcAux, nil
		}
	case "go":
		return rcGo(args)
	case "bundle", "bundler":
		return rcBundle(args)
	case "gem":
		return rcGem(args)
	case "composer":
		return rcComposer(args)
	case "poetry":
		return rcPoetry(args)
	case "cargo":
		if rcSub(args) == "fetch" {
			return rcInstall, &rcInstallCmd{eco: "cargo", what: "cargo fetch",
				why: "cargo cannot read Cargo.toml without the crate's source files (src/main.rs, src/lib.rs), so copying the manifests alone would break `cargo fetch`"}
		}
	}
	return rcOther, nil
}

// rcSub is the first argument that is not an option.
func rcSub(args []string) string {
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			return a
		}
	}
	return ""
}

// rcOpts walks an install's arguments. values lists the options that take
// the next word; deny lists options that read or write files of the
// project elsewhere (refused with their name). It returns the operands and
// the options seen (with their values), or why it refuses.
func rcOpts(what string, args []string, values, deny string) (operands []string, opts map[string]string, why string) {
	opts = map[string]string{}
	values, deny = " "+values+" ", " "+deny+" "
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") || a == "-" {
			operands = append(operands, a)
			continue
		}
		name, v, glued := strings.Cut(a, "=")
		if !strings.HasPrefix(a, "--") && len(a) > 2 && strings.Contains(values, " "+a[:2]+" ") {
			name, v, glued = a[:2], a[2:], true // -rrequirements.txt, -j4
		}
		if strings.Contains(deny, " "+name+" ") {
			return nil, nil, fmt.Sprintf("`%s %s` works on other files of the project", what, name)
		}
		if !glued && strings.Contains(values, " "+name+" ") && i+1 < len(args) {
			i++
			v = args[i]
		}
		if prev, ok := opts[name]; ok && prev != "" {
			v = prev + "\x00" + v
		}
		opts[name] = v
		if rcKind(v) == rcRel && name != "-r" && name != "--requirement" && name != "-c" && name != "--constraint" {
			return nil, nil, fmt.Sprintf("`%s %s %s` uses a relative path", what, name, v)
		}
	}
	return operands, opts, ""
}

func rcInst(eco, what string, opts map[string]string, why string, frozenBy ...string) (rcRole, *rcInstallCmd) {
	set := map[string]bool{}
	for k := range opts {
		set[k] = true
	}
	inst := &rcInstallCmd{eco: eco, what: what, opts: set, why: why}
	for _, f := range frozenBy {
		inst.frozen = inst.frozen || set[f] || f == "always"
	}
	return rcInstall, inst
}

func rcPip(args []string) (rcRole, *rcInstallCmd) {
	i := 0
	for i < len(args) && strings.HasPrefix(args[i], "-") {
		i++
	}
	if i >= len(args) || args[i] != "install" {
		return rcOther, nil
	}
	operands, opts, why := rcOpts("pip install", args[i+1:],
		"-r --requirement -c --constraint -e --editable -t --target --prefix --root --src -i --index-url "+
			"--extra-index-url -f --find-links --trusted-host --platform --python-version --implementation --abi "+
			"--progress-bar --cache-dir --log --proxy --retries --timeout --exists-action --global-option "+
			"--config-settings -C --upgrade-strategy --only-binary --no-binary --report --python",
		"-e --editable --src")
	inst := &rcInstallCmd{eco: "pip", what: "pip install", why: why}
	if why != "" {
		return rcInstall, inst
	}
	for _, o := range []string{"-i", "--index-url", "--extra-index-url", "-f", "--find-links"} {
		for _, v := range strings.Split(opts[o], "\x00") {
			if v != "" && (rcKind(v) != rcURL || strings.HasPrefix(v, "file:")) {
				inst.why = fmt.Sprintf("`pip install %s %s` reads a local directory", o, v)
				return rcInstall, inst
			}
		}
	}
	for _, o := range []string{"-r", "--requirement", "-c", "--constraint"} {
		for _, v := range strings.Split(opts[o], "\x00") {
			if v != "" && rcKind(v) != rcURL {
				inst.reqs = append(inst.reqs, v)
			}
		}
	}
	for _, op := range operands {
		if rcKind(op) != rcWord && rcKind(op) != rcURL || rcArchive.MatchString(op) || strings.HasPrefix(op, "file:") {
			inst.why = fmt.Sprintf("`pip install %s` installs a local path", op)
			return rcInstall, inst
		}
	}
	if len(inst.reqs) == 0 {
		return rcAux, nil // pip install --upgrade pip, pip install poetry==1.8
	}
	return rcInstall, inst
}

var (
	rcNpmCI      = " ci clean-install ic install-clean isntall-clean "
	rcNpmInstall = " install i in add isntall "
)

func rcNpm(args []string) (rcRole, *rcInstallCmd) {
	sub := rcSub(args)
	switch {
	case sub == "cache":
		return rcAux, nil
	case strings.Contains(rcNpmCI, " "+sub+" "), strings.Contains(rcNpmInstall, " "+sub+" "):
	default:
		return rcOther, nil
	}
	what := "npm " + sub
	rest := rcWithout(args, sub)
	operands, opts, why := rcOpts(what, rest,
		"--loglevel --registry --omit --include --cache --userconfig --fetch-retries --fetch-timeout --install-strategy",
		"--prefix -C --workspace -w --workspaces --ws --install-links")
	_, global := opts["-g"]
	_, global2 := opts["--global"]
	if why == "" && (global || global2) {
		if len(operands) > 0 && rcAllWords(operands) {
			return rcAux, nil
		}
		why = fmt.Sprintf("`%s -g` installs the project itself", what)
	}
	if why == "" && len(operands) > 0 {
		why = fmt.Sprintf("`%s %s` installs named packages into the project and rewrites package.json", what, strings.Join(operands, " "))
	}
	if strings.Contains(rcNpmCI, " "+sub+" ") {
		return rcInst("npm", what, opts, why, "always")
	}
	return rcInst("npm", what, opts, why, "--no-package-lock")
}

func rcYarn(args []string) (rcRole, *rcInstallCmd) {
	sub := rcSub(args)
	switch sub {
	case "", "install":
	case "cache":
		return rcAux, nil
	default:
		return rcOther, nil
	}
	what := strings.TrimSpace("yarn " + sub)
	operands, opts, why := rcOpts(what, rcWithout(args, sub),
		"--network-timeout --cache-folder --mutex --registry --network-concurrency",
		"--cwd --modules-folder --use-yarnrc --focus")
	if why == "" && len(operands) > 0 {
		why = fmt.Sprintf("`%s %s` is not a plain install", what, strings.Join(operands, " "))
	}
	return rcInst("yarn", what, opts, why, "--frozen-lockfile", "--immutable", "--pure-lockfile")
}

func rcPnpm(args []string) (rcRole, *rcInstallCmd) {
	sub := rcSub(args)
	switch sub {
	case "install", "i", "fetch":
	default:
		return rcOther, nil
	}
	what := "pnpm " + sub
	operands, opts, why := rcOpts(what, rcWithout(args, sub),
		"--reporter --store-dir --network-concurrency --child-concurrency",
		"-r --recursive -C --dir --filter -F -w --workspace-root")
	if why == "" && len(operands) > 0 {
		why = fmt.Sprintf("`%s %s` installs named packages", what, strings.Join(operands, " "))
	}
	if sub == "fetch" {
		return rcInst("pnpm", what, opts, why, "always")
	}
	return rcInst("pnpm", what, opts, why, "--frozen-lockfile")
}

func rcGo(args []string) (rcRole, *rcInstallCmd) {
	if len(args) < 2 || args[0] != "mod" || (args[1] != "download" && args[1] != "verify") {
		return rcOther, nil
	}
	what := "go mod " + args[1]
	operands, opts, why := rcOpts(what, args[2:], "", "-reuse -modfile")
	for _, op := range operands {
		if why == "" && (strings.HasPrefix(op, ".") || strings.HasPrefix(op, "/")) {
			why = fmt.Sprintf("`%s %s` names a local path", what, op)
		}
	}
	return rcInst("go", what, opts, why, "always")
}

func rcBundle(args []string) (rcRole, *rcInstallCmd) {
	switch rcSub(args) {
	case "install":
	case "config":
		return rcAux, nil
	default:
		return rcOther, nil
	}
	operands, opts, why := rcOpts("bundle install", rcWithout(args, "install"),
		"--jobs -j --retry --without --with --path --trust-policy",
		"--gemfile --binstubs --standalone --local --prefer-local --shebang")
	if why == "" && len(operands) > 0 {
		why = fmt.Sprintf("`bundle install %s` is not a plain install", strings.Join(operands, " "))
	}
	return rcInst("bundler", "bundle install", opts, why, "--frozen", "--deployment")
}

func rcGem(args []string) (rcRole, *rcInstallCmd) {
	if rcSub(args) != "install" {
		return rcOther, nil
	}
	operands, _, why := rcOpts("gem install", rcWithout(args, "install"), "-v --version -i --install-dir --source", "-g --file")
	if why != "" || len(operands) == 0 || !rcAllWords(operands) {
		return rcOther, nil
	}
	for _, op := range operands {
		if rcArchive.MatchString(op) {
			return rcOther, nil
		}
	}
	return rcAux, nil
}

func rcComposer(args []string) (rcRole, *rcInstallCmd) {
	if rcSub(args) != "install" {
		return rcOther, nil
	}
	operands, opts, why := rcOpts("composer install", rcWithout(args, "install"), "", "-d --working-dir")
	if why == "" && len(operands) > 0 {
		why = fmt.Sprintf("`composer install %s` is not a plain install", strings.Join(operands, " "))
	}
	return rcInst("composer", "composer install", opts, why, "always")
}

func rcPoetry(args []string) (rcRole, *rcInstallCmd) {
	switch rcSub(args) {
	case "install":
	case "config":
		for _, a := range args {
			if a == "--local" {
				return rcOther, nil
			}
		}
		return rcAux, nil
	default:
		return rcOther, nil
	}
	operands, opts, why := rcOpts("poetry install", rcWithout(args, "install"),
		"--only --with --without --extras -E", "--only-root -C --directory -P --project")
	if why == "" && len(operands) > 0 {
		why = fmt.Sprintf("`poetry install %s` is not a plain install", strings.Join(operands, " "))
	}
	if _, ok := opts["--no-root"]; why == "" && !ok {
		why = "`poetry install` without --no-root installs the project itself, which reads its sources"
	}
	return rcInst("poetry", "poetry install", opts, why, "always")
}

// rcWithout drops the first occurrence of sub from args.
func rcWithout(args []string, sub string) []string {
	for i, a := range args {
		if a == sub {
			return append(append([]string{}, args[:i]...), args[i+1:]...)
		}
	}
	return args
}

func rcAllWords(xs []string) bool {
	for _, x := range xs {
		if rcKind(x) != rcWord {
			return false
		}
	}
	return true
}
