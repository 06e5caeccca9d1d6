package transforms

// reorder-copy: reading the build context and the dependency manifests.

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"

	"github.com/dockopt/dockopt/rewrite"
)

// rcContextCache opens the build context once per pass.
type rcContextCache struct {
	p      *rewrite.Pass
	loaded bool
	ctx    *rcContext
	why    string
}

// rcContext is a readable build context and its .dockerignore.
type rcContext struct {
	dir string
	pm  *patternmatcher.PatternMatcher // nil: nothing excluded
}

// rcMaxManifest bounds what dockopt reads of one manifest.
const rcMaxManifest = 4 << 20

func (cc *rcContextCache) get() (*rcContext, string) {
	if cc.loaded {
		return cc.ctx, cc.why
	}
	cc.loaded = true
	dir := ""
	if cc.p.Settings != nil {
		dir = cc.p.Settings.ContextDir
	}
	if dir == "" {
		cc.why = "no readable build context, so the manifests cannot be checked"
		return nil, cc.why
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		cc.why = "the build context " + dir + " is not a readable directory"
		return nil, cc.why
	}
	ctx := &rcContext{dir: dir}
	// BuildKit reads <Dockerfile>.dockerignore next to the Dockerfile
	// before the context's .dockerignore.
	ignore := ""
	if p := cc.p.Doc.Path; p != "" && p != "-" {
		if f := p + ".dockerignore"; rcIsFile(f) {
			ignore = f
		}
	}
	if ignore == "" {
		if f := filepath.Join(dir, ".dockerignore"); rcIsFile(f) {
			ignore = f
		}
	}
	if ignore != "" {
		f, err := os.Open(ignore)
		if err != nil {
			cc.why = "cannot read " + ignore
			return nil, cc.why
		}
		defer f.Close()
		patterns, err := ignorefile.ReadAll(f)
		if err == nil && len(patterns) > 0 {
			ctx.pm, err = patternmatcher.New(patterns)
		}
		if err != nil {
			cc.why = fmt.Sprintf("cannot read %s: %v", ignore, err)
			return nil, cc.why
		}
	}
	cc.ctx = ctx
	return ctx, ""
}

func rcIsFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

// excluded reports whether .dockerignore keeps rel out of the context.
func (x *rcContext) excluded(rel string) bool {
	if x.pm == nil {
		return false
	}
	m, err := x.pm.MatchesOrParentMatches(rel)
	return err != nil || m
}

// present reports whether rel is in the context that BuildKit sends.
func (x *rcContext) present(rel string) bool {
	_, err := os.Lstat(filepath.Join(x.dir, filepath.FromSlash(rel)))
	return err == nil && !x.excluded(rel)
}

// read returns a manifest that must be a regular file of the context.
func (x *rcContext) read(rel string) ([]byte, string) {
	st, err := os.Lstat(filepath.Join(x.dir, filepath.FromSlash(rel)))
	switch {
	case err != nil:
		return nil, rel + " is not in the build context"
	case x.excluded(rel):
		return nil, rel + " is excluded by .dockerignore"
	case !st.Mode().IsRegular():
		return nil, rel + " is not a regular file"
	case st.Size() > rcMaxManifest:
		return nil, rel + " is too large to check"
	}
	b, err := os.ReadFile(filepath.Join(x.dir, filepath.FromSlash(rel)))
	if err != nil {
		return nil, "cannot read " + rel
	}
	return b, ""
}

// optional adds rel when the context holds it; it must then be a regular file.
func (x *rcContext) optional(m *rcManifests, rel string) string {
	if !x.present(rel) {
		return ""
	}
	if _, why := x.read(rel); why != "" {
		return why
	}
	m.add(rel)
	return ""
}

// rcManifests is the set of files the new COPY copies, in order.
type rcManifests struct {
	files []string
	seen  map[string]bool
}

func (m *rcManifests) add(rel string) {
	if m.seen == nil {
		m.seen = map[string]bool{}
	}
	if !m.seen[rel] {
		m.seen[rel] = true
		m.files = append(m.files, rel)
	}
}

// rcGather adds what inst reads to m, or says why the install may read more.
func rcGather(x *rcContext, inst *rcInstallCmd, m *rcManifests) string {
	switch inst.eco {
	case "pip":
		for _, r := range inst.reqs {
			if why := rcRequirements(x, path.Clean(r), m, 0); why != "" {
				return why
			}
		}
		return ""
	case "npm", "yarn", "pnpm":
		return rcNodeManifests(x, inst, m)
	case "go":
		return rcGoManifests(x, m)
	case "bundler":
		return rcGemManifests(x, inst, m)
	case "composer":
		return rcComposerManifests(x, inst, m)
	case "poetry":
		return rcPoetryManifests(x, m)
	}
	return fmt.Sprintf("%s is not supported", inst.what)
}

// rcRequirements reads a pip requirements file and the files it includes
// (-r, -c: relative to the including file).
func rcRequirements(x *rcContext, rel string, m *rcManifests, depth int) string {
	if strings.HasPrefix(rel, "../") || rel == ".." || strings.HasPrefix(rel, "/") {
		return fmt.Sprintf("the requirements file %s is outside the copied directory", rel)
	}
	if m.seen[rel] {
		return ""
	}
	if depth > 16 {
		return "requirements files include each other too deeply"
	}
	b, why := x.read(rel)
	if why != "" {
		return why
	}
	m.add(rel)
	text := strings.ReplaceAll(string(b), "\r\n", "\n")
	text = strings.ReplaceAll(text, "\\\n", "")
	for _, line := range strings.Split(text, "\n") {
		if i := rcCommentStart(line); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if strings.Contains(line, "$") {
			return fmt.Sprintf("%s uses a variable (%s)", rel, strings.TrimSpace(line))
		}
		if !strings.HasPrefix(f[0], "-") {
			if why := rcRequirementLine(rel, line, f[0]); why != "" {
				return why
			}
			continue
		}
		name, v, glued := strings.Cut(f[0], "=")
		if !glued {
			if len(f[0]) > 2 && !strings.HasPrefix(f[0], "--") {
				name, v = f[0][:2], f[0][2:]
			} else if len(f) > 1 {
				v = f[1]
			}
		}
		switch name {
		case "-r", "--requirement", "-c", "--constraint":
			if rcKind(v) == rcURL {
				continue
			}
			if rcKind(v) == rcAbs {
				return fmt.Sprintf("%s includes %s by an absolute path", rel, v)
			}
			if why := rcRequirements(x, path.Join(path.Dir(rel), v), m, depth+1); why != "" {
				return why
			}
		case "-e", "--editable":
			return fmt.Sprintf("%s installs %s in editable mode", rel, v)
		case "-f", "--find-links", "-i", "--index-url", "--extra-index-url":
			if rcKind(v) != rcURL || strings.HasPrefix(v, "file:") {
				return fmt.Sprintf("%s reads packages from the local path %s", rel, v)
			}
		}
	}
	return ""
}

// rcCommentStart is where a `#` comment starts (at the line start or
// after whitespace), or -1.
func rcCommentStart(line string) int {
	for i := 0; i < len(line); i++ {
		if line[i] == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t') {
			return i
		}
	}
	return -1
}

func rcRequirementLine(rel, line, first string) string {
	if strings.Contains(line, "file:") {
		return fmt.Sprintf("%s refers to a local file (%s)", rel, strings.TrimSpace(line))
	}
	if _, url, ok := strings.Cut(line, "@"); ok && strings.Contains(url, "://") {
		return ""
	}
	spec := strings.TrimSpace(strings.SplitN(first, ";", 2)[0])
	if k := rcKind(spec); k == rcRel || k == rcAbs || rcArchive.MatchString(spec) {
		return fmt.Sprintf("%s refers to the local path %s", rel, spec)
	}
	return ""
}

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
