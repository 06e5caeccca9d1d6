package transforms

// reorder-copy: the manifests of npm, yarn, pnpm, Go, Bundler, Composer and Poetry.

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// rcNodeFiles are what npm, yarn and pnpm may read next to package.json.
var rcNodeFiles = []string{"package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", ".npmrc", ".yarnrc"}

// rcNodeRefuse are context entries that make an install read or write more.
var rcNodeRefuse = map[string]string{
	"node_modules":        "the context has node_modules/, which the full COPY would copy over the installed one",
	"binding.gyp":         "binding.gyp makes the install build the project's native code",
	".yarnrc.yml":         "Yarn Berry (.yarnrc.yml) installs read files under .yarn/",
	".yarn":               "Yarn Berry (.yarn/) installs read files under .yarn/",
	".pnp.cjs":            "Yarn Plug'n'Play (.pnp.cjs) installs read other files",
	"pnpm-workspace.yaml": "pnpm-workspace.yaml declares workspaces in other directories",
	".pnpmfile.cjs":       ".pnpmfile.cjs hooks run during the install",
}

// rcLockOf are the lock files each installer writes.
var rcLockOf = map[string]map[string]bool{
	"npm":  {"package-lock.json": true, "npm-shrinkwrap.json": true},
	"yarn": {"yarn.lock": true},
	"pnpm": {"pnpm-lock.yaml": true},
}

var rcFrozenHint = map[string]string{
	"npm":     "use npm ci",
	"yarn":    "use --frozen-lockfile",
	"pnpm":    "use --frozen-lockfile",
	"bundler": "use --frozen or BUNDLE_FROZEN=true",
}

var rcNodeHooks = []string{"preinstall", "install", "postinstall", "prepare", "preprepare", "postprepare", "prepublish", "dependencies"}

func rcNodeManifests(x *rcContext, inst *rcInstallCmd, m *rcManifests) string {
	b, why := x.read("package.json")
	if why != "" {
		return why
	}
	m.add("package.json")
	var pkg map[string]any
	if err := json.Unmarshal(b, &pkg); err != nil {
		return "package.json is not valid JSON"
	}
	if _, ok := pkg["workspaces"]; ok {
		return `package.json declares "workspaces" in other directories`
	}
	if gyp, _ := pkg["gypfile"].(bool); gyp {
		return "package.json builds native code (gypfile)"
	}
	if !inst.opts["--ignore-scripts"] {
		scripts, _ := pkg["scripts"].(map[string]any)
		for _, h := range rcNodeHooks {
			if _, ok := scripts[h]; ok {
				return fmt.Sprintf("package.json has a %q script, which runs during `%s` and may read any file", h, inst.what)
			}
		}
	}
	for _, k := range []string{"dependencies", "devDependencies", "optionalDependencies", "peerDependencies", "overrides", "resolutions", "pnpm"} {
		if spec := rcLocalSpec(pkg[k]); spec != "" {
			return fmt.Sprintf("package.json depends on a local path (%s)", spec)
		}
	}
	if pn, ok := pkg["pnpm"].(map[string]any); ok {
		if _, ok := pn["patchedDependencies"]; ok {
			return "package.json applies patches from other files (pnpm.patchedDependencies)"
		}
	}
	names := make([]string, 0, len(rcNodeRefuse))
	for n := range rcNodeRefuse {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if x.present(n) {
			return rcNodeRefuse[n]
		}
	}
	for _, f := range rcNodeFiles {
		if why := x.optional(m, f); why != "" {
			return why
		}
	}
	for _, lock := range []string{"package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml"} {
		if m.seen[lock] && !inst.frozen && rcLockOf[inst.eco][lock] {
			return fmt.Sprintf("`%s` may rewrite %s, which the full COPY would then overwrite (%s)", inst.what, lock, rcFrozenHint[inst.eco])
		}
	}
	if m.seen[".npmrc"] {
		b, _ := x.read(".npmrc")
		if rcNpmrcLocal.Match(b) {
			return ".npmrc refers to a local path"
		}
	}
	return ""
}

var rcNpmrcLocal = regexp.MustCompile(`(?m)=\s*(\.\.?/|file:)`)

// rcLocalSpec finds a dependency specifier that points into the context.
func rcLocalSpec(v any) string {
	switch v := v.(type) {
	case string:
		for _, p := range []string{"file:", "link:", "workspace:", "portal:", "patch:", "./", "../", "/", "~/"} {
			if strings.HasPrefix(v, p) {
				return v
			}
		}
		if v == "." || v == ".." {
			return v
		}
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if s := rcLocalSpec(v[k]); s != "" {
				return s
			}
		}
	case []any:
		for _, e := range v {
			if s := rcLocalSpec(e); s != "" {
				return s
			}
		}
	}
	return ""
}

var (
	rcGoReplaceLine  = regexp.MustCompile(`^\s*replace\s+(.*)$`)
	rcGoReplaceBlock = regexp.MustCompile(`^\s*replace\s*\(\s*$`)
)

func rcGoManifests(x *rcContext, m *rcManifests) string {
	b, why := x.read("go.mod")
	if why != "" {
		return why
	}
	m.add("go.mod")
	if x.present("go.work") {
		return "go.work makes the module read other directories"
	}
	inBlock := false
	for _, line := range strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n") {
		if i := strings.Index(line, "//"); i >= 0 {
			line = line[:i]
		}
		var rhs string
		switch {
		case inBlock && strings.TrimSpace(line) == ")":
			inBlock = false
			continue
		case inBlock:
			_, rhs, _ = strings.Cut(line, "=>")
		case rcGoReplaceBlock.MatchString(line):
			inBlock = true
			continue
		case rcGoReplaceLine.MatchString(line):
			_, rhs, _ = strings.Cut(line, "=>")
		default:
			continue
		}
		f := strings.Fields(rhs)
		if len(f) > 0 {
			t := strings.Trim(f[0], `"`)
			if strings.HasPrefix(t, "./") || strings.HasPrefix(t, "../") || strings.HasPrefix(t, "/") || t == "." || t == ".." {
				return fmt.Sprintf("go.mod replaces a module with the local directory %s", t)
			}
		}
	}
	return x.optional(m, "go.sum")
}

var (
	rcGemKeyword  = regexp.MustCompile(`\b(path|file)\s*:|:(path|file)\s*=>`)
	rcGemRequire  = regexp.MustCompile(`\brequire\s*:|:require\s*=>`)
	rcGemReadsAny = regexp.MustCompile(`\b(gemspec|path|eval_gemfile|require_relative|require|load|File|Dir|IO|__dir__|__FILE__|instance_eval|eval)\b`)
)

func rcGemManifests(x *rcContext, inst *rcInstallCmd, m *rcManifests) string {
	b, why := x.read("Gemfile")
	if why != "" {
		return why
	}
	m.add("Gemfile")
	for _, line := range strings.Split(string(b), "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		if rcGemKeyword.MatchString(line) {
			return fmt.Sprintf("the Gemfile reads a local path (%s)", strings.TrimSpace(line))
		}
		if w := rcGemReadsAny.FindString(rcGemRequire.ReplaceAllString(line, "")); w != "" {
			return fmt.Sprintf("the Gemfile uses %s, which may read other files", w)
		}
	}
	for _, d := range []string{".bundle", "vendor/cache", "vendor/bundle"} {
		if x.present(d) {
			return fmt.Sprintf("the context has %s/, which bundle install would read or the full COPY would overwrite", d)
		}
	}
	if why := x.optional(m, "Gemfile.lock"); why != "" || !m.seen["Gemfile.lock"] || inst.frozen {
		return why
	}
	return fmt.Sprintf("`bundle install` may rewrite Gemfile.lock (adding this platform), which the full COPY would then overwrite (%s)", rcFrozenHint["bundler"])
}

func rcComposerManifests(x *rcContext, inst *rcInstallCmd, m *rcManifests) string {
	b, why := x.read("composer.json")
	if why != "" {
		return why
	}
	m.add("composer.json")
	var cj map[string]any
	if err := json.Unmarshal(b, &cj); err != nil {
		return "composer.json is not valid JSON"
	}
	if rcLocalRepo(cj["repositories"]) {
		return "composer.json has a path or artifact repository in the project"
	}
	if s, _ := cj["scripts"].(map[string]any); len(s) > 0 && !inst.opts["--no-scripts"] {
		return "composer.json has scripts that may run during the install (use --no-scripts)"
	}
	cfg, _ := cj["config"].(map[string]any)
	if !inst.opts["--no-plugins"] && rcAnyTrue(cfg["allow-plugins"]) {
		return "composer.json allows plugins, which run during the install"
	}
	if !inst.opts["--no-autoloader"] {
		for _, k := range []string{"autoload", "autoload-dev"} {
			if a, _ := cj[k].(map[string]any); a["classmap"] != nil {
				return "the autoloader's classmap scans the project's sources (use --no-autoloader)"
			}
		}
		if rcAnyTrue(cfg["optimize-autoloader"]) || rcAnyTrue(cfg["classmap-authoritative"]) ||
			inst.opts["-o"] || inst.opts["--optimize-autoloader"] || inst.opts["-a"] || inst.opts["--classmap-authoritative"] {
			return "an optimized autoloader scans the project's sources (use --no-autoloader)"
		}
	}
	if x.present("vendor") {
		return "the context has vendor/, which the full COPY would copy over the installed one"
	}
	if why := x.optional(m, "composer.lock"); why != "" {
		return why
	}
	return x.optional(m, "auth.json")
}

func rcLocalRepo(v any) bool {
	var repos []any
	switch v := v.(type) {
	case []any:
		repos = v
	case map[string]any:
		for _, r := range v {
			repos = append(repos, r)
		}
	}
	for _, r := range repos {
		if r, ok := r.(map[string]any); ok && (r["type"] == "path" || r["type"] == "artifact") {
			return true
		}
	}
	return false
}

func rcAnyTrue(v any) bool {
	switch v := v.(type) {
	case bool:
		return v
	case map[string]any:
		for _, e := range v {
			if b, _ := e.(bool); b {
				return true
			}
		}
	}
	return false
}

var rcPoetryLocal = regexp.MustCompile(`(?m)^[^#\n]*(\bpath\s*=|\bdevelop\s*=\s*true|file:)`)

func rcPoetryManifests(x *rcContext, m *rcManifests) string {
	b, why := x.read("pyproject.toml")
	if why != "" {
		return why
	}
	m.add("pyproject.toml")
	if l := rcPoetryLocal.Find(b); l != nil {
		return fmt.Sprintf("pyproject.toml refers to a local path (%s)", strings.TrimSpace(string(l)))
	}
	if x.present(".venv") {
		return "the context has .venv/, which the full COPY would copy over the installed one"
	}
	if why := x.optional(m, "poetry.lock"); why != "" {
		return why
	}
	return x.optional(m, "poetry.toml")
}
