package transforms

import (
	"os"
	"path"
	"path/filepath"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/dockopt/dockopt/rewrite"
)

// NodeCacheClean ends npm and Yarn 1 installs with the tool's cache clean.
//
//	RUN npm ci        ->  RUN npm ci && npm cache clean --force
//	RUN yarn install  ->  RUN yarn install && yarn cache clean   (Yarn 1 only)
var NodeCacheClean = &rewrite.Transform{
	ID:      "node-cache-clean",
	Hints:   []string{"npm", "yarn"}, // fast path: files without these cannot change
	Summary: "End `npm install`/`npm ci` with `npm cache clean --force`, and Yarn 1 installs with `yarn cache clean`",
	Rationale: "npm and Yarn keep a copy of every downloaded package in their cache (~/.npm, " +
		"/usr/local/share/.cache/yarn), which stays in the layer of the RUN that installed. Cleaning it in " +
		"the same RUN removes it from the image. Left alone: RUNs that already clean (the tool's cache " +
		"clean, or rm of its cache), RUNs with any --mount=type=cache (npm's and Yarn's cache locations are " +
		"configurable in files dockopt cannot see, and a cache mount on an install RUN is almost always " +
		"that cache, so the user's choice wins), installs with --cache/--cache-folder, installs that run " +
		"only conditionally (inside if, ||, a loop), and Dockerfiles that install --offline later. " +
		"`yarn cache clean` is added only when the build context holds a Yarn 1 yarn.lock and no " +
		".yarnrc.yml: under Yarn 2+ with Plug'n'Play the cache is where the installed packages live.",
	Before:  "FROM node:22\nRUN npm ci\n",
	After:   "FROM node:22\nRUN npm ci && npm cache clean --force\n",
	Default: true,
	Run:     runNodeCacheClean,

	Hadolint: []string{"DL3060"}, // yarn cache clean; npm has no hadolint rule
}

var (
	npmInstallSubs = map[string]bool{"install": true, "i": true, "in": true, "add": true, "isntall": true,
		"ci": true, "clean-install": true, "ic": true, "install-clean": true}
	npmValueOpts = map[string]bool{"--prefix": true, "-C": true, "--registry": true, "--cache": true,
		"--loglevel": true, "--userconfig": true, "--globalconfig": true, "-w": true, "--workspace": true,
		"--tag": true, "--omit": true, "--include": true, "--install-strategy": true, "--only": true,
		"--scope": true, "--otp": true, "--before": true, "--location": true, "--script-shell": true,
		"--fetch-retries": true, "--fetch-timeout": true, "--proxy": true, "--https-proxy": true,
		"--ca": true, "--cafile": true, "--auth-type": true}
	yarnValueOpts = map[string]bool{"--cwd": true, "--cache-folder": true, "--modules-folder": true,
		"--network-timeout": true, "--mutex": true, "--registry": true, "--global-folder": true,
		"--link-folder": true, "--preferred-cache-folder": true, "--network-concurrency": true,
		"--proxy": true, "--https-proxy": true, "--use-yarnrc": true, "--otp": true}
)

// nodeTool is one cache to clean.
type nodeTool struct {
	name, clean string
	cacheFlags  []string // install options that point at another cache
	cacheDirs   []string
	rmSuffixes  []string // computed rm arguments that name the cache
}

var (
	npmTool = &nodeTool{name: "npm", clean: "cache clean --force",
		cacheFlags: []string{"--cache", "--cache="},
		cacheDirs:  []string{"~/.npm"}, rmSuffixes: []string{".npm", "_cacache", "get cache)"}}
	yarnTool = &nodeTool{name: "yarn", clean: "cache clean",
		cacheFlags: []string{"--cache-folder", "--cache-folder=", "--preferred-cache-folder", "--preferred-cache-folder="},
		cacheDirs:  []string{"/usr/local/share/.cache/yarn", "~/.cache/yarn"}, rmSuffixes: []string{".cache/yarn", "cache dir)"}}
)

func runNodeCacheClean(p *rewrite.Pass) {
	offline := usesOffline(p.Doc)
	eachRunShell(p, []string{"npm", "yarn"}, func(in *rewrite.Instruction, sh *rewrite.Shell) {
		decisive := decisiveStmts(sh)
		installs := map[*nodeTool]string{} // tool -> clean command
		skip := map[*nodeTool]string{}
		cleaned := map[*nodeTool]bool{}
		for _, c := range sh.Commands() {
			t, install, clean := nodeCommand(c)
			if t == nil {
				continue
			}
			if clean {
				cleaned[t] = true
				continue
			}
			if !install {
				continue
			}
			prefix, ok := sudoPrefix(c)
			switch {
			case anyArg(wordLits(c.Args), t.cacheFlags...):
				skip[t] = "the install chooses its own cache directory"
			case !ok || !decisive[c.Stmt]:
				skip[t] = "the install runs only conditionally (or behind sudo with options)"
			default:
				if _, seen := installs[t]; !seen {
					installs[t] = prefix + programWord(c) + " " + t.clean
				}
			}
		}
		if len(installs) == 0 && len(skip) == 0 {
			return
		}
		if hasCacheMount(in) {
			return // the user keeps a cache in a cache mount: their choice wins
		}
		var cmds []string
		for _, t := range []*nodeTool{npmTool, yarnTool} {
			if cleaned[t] || removesDir(sh, t.cacheDirs, t.rmSuffixes...) {
				continue
			}
			cmd, ok := installs[t]
			switch {
			case ok && offline:
				p.Skip(in, t.name+" cache clean not appended: the Dockerfile installs with --offline, which needs the cache")
			case ok && t == yarnTool:
				if why := yarnClassic(p); why != "" {
					p.Skip(in, "yarn cache clean not appended: "+why)
					continue
				}
				cmds = append(cmds, cmd)
			case ok:
				cmds = append(cmds, cmd)
			case skip[t] != "":
				p.Skip(in, t.name+" cache clean not appended: "+skip[t])
			}
		}
		if len(cmds) == 0 {
			return
		}
		e, err := sh.AppendCommand(strings.Join(cmds, " && "))
		if err != nil {
			p.Skip(in, "cache clean not appended: "+err.Error())
			return
		}
		p.Fix(in, "the package cache stays in the layer: appended "+strings.Join(cmds, " && "), e)
	})
}

// nodeCommand classifies c: which tool, and whether it installs or cleans
// that tool's cache.
func nodeCommand(c *rewrite.Command) (t *nodeTool, install, clean bool) {
	switch c.Name {
	case "npm":
		i := subcommandAt(c.Args, npmValueOpts)
		if i < 0 {
			return npmTool, false, false
		}
		sub, _ := rewrite.WordLit(c.Args[i])
		if sub == "cache" && i+1 < len(c.Args) {
			next, _ := rewrite.WordLit(c.Args[i+1])
			return npmTool, false, next == "clean" || next == "clear" || next == "rm"
		}
		return npmTool, npmInstallSubs[sub], false
	case "yarn":
		i := subcommandAt(c.Args, yarnValueOpts)
		if i < 0 {
			return yarnTool, yarnBare(c.Args), false
		}
		sub, _ := rewrite.WordLit(c.Args[i])
		if sub == "cache" && i+1 < len(c.Args) {
			next, _ := rewrite.WordLit(c.Args[i+1])
			return yarnTool, false, next == "clean"
		}
		return yarnTool, sub == "install", false
	}
	return nil, false, false
}

// yarnBare reports whether a yarn command without a subcommand is an
// install: `yarn`, `yarn --frozen-lockfile`, but not `yarn --version`.
func yarnBare(args []*syntax.Word) bool {
	for _, w := range args {
		v, ok := rewrite.WordLit(w)
		if !ok {
			return false
		}
		switch v {
		case "-v", "--version", "-h", "--help":
			return false
		}
	}
	return true
}

// usesOffline reports whether any RUN of the Dockerfile runs npm or yarn
// with --offline, which needs the cache a clean would remove.
func usesOffline(d *rewrite.Document) bool {
	for _, in := range d.Instructions {
		if in.Cmd != "run" {
			continue
		}
		sh, err := d.Shell(in)
		if err != nil {
			continue
		}
		for _, c := range sh.Commands() {
			if (c.Name == "npm" || c.Name == "yarn") && anyArg(wordLits(c.Args), "--offline") {
				return true
			}
		}
	}
	return false
}

// yarnClassic returns "" when Yarn 1 is provably the Yarn that runs: the
// build context holds a yarn.lock in Yarn 1's format and no .yarnrc.yml, and
// the Dockerfile neither enables corepack nor switches Yarn's version.
// Otherwise it says why not. Yarn 2+ under Plug'n'Play loads packages from
// its cache, so cleaning it there would remove the installed dependencies.
func yarnClassic(p *rewrite.Pass) string {
	if berrySignals(p.Doc) {
		return "the Dockerfile uses corepack, `yarn set version` or Yarn 2+ files"
	}
	if p.Settings == nil || p.Settings.ContextDir == "" {
		return "no build context to tell Yarn 1 from Yarn 2+ (whose cache holds the installed packages under Plug'n'Play)"
	}
	lock, err := os.ReadFile(filepath.Join(p.Settings.ContextDir, "yarn.lock"))
	if err != nil || !strings.Contains(string(lock), "# yarn lockfile v1") {
		return "the build context has no Yarn 1 yarn.lock, so this may be Yarn 2+ (whose cache holds the installed packages under Plug'n'Play)"
	}
	if _, err := os.Stat(filepath.Join(p.Settings.ContextDir, ".yarnrc.yml")); err == nil {
		return "the build context has a .yarnrc.yml (Yarn 2+)"
	}
	return ""
}

// berrySignals reports Dockerfile hints of Yarn 2+: corepack, `yarn set
// version`, `yarn policies set-version`, or copying .yarnrc.yml / .yarn/.
func berrySignals(d *rewrite.Document) bool {
	for _, in := range d.Instructions {
		switch in.Cmd {
		case "copy", "add":
			for _, a := range in.Args() {
				if b := path.Base(strings.TrimSuffix(a, "/")); b == ".yarnrc.yml" || b == ".yarn" {
					return true
				}
			}
		case "run":
			sh, err := d.Shell(in)
			if err != nil {
				continue
			}
			for _, c := range sh.Commands() {
				if c.Name == "corepack" {
					return true
				}
				if c.Name == "yarn" {
					if i := subcommandAt(c.Args, yarnValueOpts); i >= 0 {
						if sub, _ := rewrite.WordLit(c.Args[i]); sub == "set" || sub == "policies" {
							return true
						}
					}
				}
			}
		}
	}
	return false
}
