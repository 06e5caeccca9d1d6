package transforms

// multi-stage: the build context (what COPY put where in the image) and the
// manifests that name artifacts: go.mod, Makefile, CMakeLists.txt,
// Cargo.toml/Cargo.lock, package.json, pom.xml, settings.gradle.

import (
	"encoding/xml"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"

	"github.com/dockopt/dockopt/rewrite"
)

// msContext is a readable build context and its .dockerignore.
type msContext struct {
	dir string
	pm  *patternmatcher.PatternMatcher
}

const msMaxFile = 4 << 20

func openMSContext(p *rewrite.Pass) *msContext {
	if p.Settings == nil || p.Settings.ContextDir == "" {
		return nil
	}
	dir := p.Settings.ContextDir
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil
	}
	x := &msContext{dir: dir}
	ignore := ""
	if f := p.Doc.Path + ".dockerignore"; p.Doc.Path != "" && p.Doc.Path != "-" && msIsFile(f) {
		ignore = f
	} else if f := filepath.Join(dir, ".dockerignore"); msIsFile(f) {
		ignore = f
	}
	if ignore != "" {
		f, err := os.Open(ignore)
		if err != nil {
			return nil
		}
		defer f.Close()
		patterns, err := ignorefile.ReadAll(f)
		if err != nil {
			return nil
		}
		if len(patterns) > 0 {
			if x.pm, err = patternmatcher.New(patterns); err != nil {
				return nil
			}
		}
	}
	return x
}

func msIsFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

func (x *msContext) excluded(rel string) bool {
	if x == nil {
		return true
	}
	if x.pm == nil || rel == "." {
		return false
	}
	m, err := x.pm.MatchesOrParentMatches(rel)
	return err != nil || m
}

// stat is the entry rel of the context, unless .dockerignore excludes it.
func (x *msContext) stat(rel string) (fs.FileInfo, bool) {
	if x == nil || x.excluded(rel) {
		return nil, false
	}
	st, err := os.Lstat(filepath.Join(x.dir, filepath.FromSlash(rel)))
	return st, err == nil
}

func (x *msContext) read(rel string) ([]byte, bool) {
	st, ok := x.stat(rel)
	if !ok || !st.Mode().IsRegular() || st.Size() > msMaxFile {
		return nil, false
	}
	b, err := os.ReadFile(filepath.Join(x.dir, filepath.FromSlash(rel)))
	return b, err == nil
}

func (x *msContext) isDir(rel string) bool {
	st, ok := x.stat(rel)
	return ok && st.IsDir()
}

// list is the names in directory rel that the context sends.
func (x *msContext) list(rel string) []string {
	if !x.isDir(rel) {
		return nil
	}
	ents, err := os.ReadDir(filepath.Join(x.dir, filepath.FromSlash(rel)))
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		if !x.excluded(path.Join(rel, e.Name())) {
			out = append(out, e.Name())
		}
	}
	return out
}

// walk calls fn for every regular file the context sends (at most max).
func (x *msContext) walk(max int, fn func(rel string)) bool {
	n := 0
	err := filepath.WalkDir(x.dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(x.dir, p)
		rel = filepath.ToSlash(rel)
		if rel != "." && x.excluded(rel) {
			if e.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if e.Type().IsRegular() {
			if n++; n > max {
				return fs.SkipAll
			}
			fn(rel)
		}
		return nil
	})
	return err == nil && n <= max
}

// ctxPath is the context path of the file or directory the stage's COPYs
// put at abs, the last COPY that wrote there winning.
func (b *msBuild) ctxPath(abs string) (string, bool) {
	for i := len(b.srcDirs) - 1; i >= 0; i-- {
		c := b.srcDirs[i]
		for _, s := range c.sources {
			whole := s == "." || s == ""
			dir := whole || b.ctx.isDir(s)
			switch {
			case dir && pathUnder(abs, c.dest):
				rel := strings.TrimPrefix(strings.TrimPrefix(abs, c.dest), "/")
				if whole {
					if rel == "" {
						return ".", true
					}
					return rel, true
				}
				return path.Join(s, rel), true
			case !dir && c.destDir && abs == path.Join(c.dest, path.Base(s)):
				return s, true
			case !dir && !c.destDir && abs == c.dest:
				return s, true
			}
		}
	}
	return "", false
}

// pathUnder: p is dir or inside it (clean absolute paths).
func pathUnder(p, dir string) bool {
	return p == dir || dir == "/" || strings.HasPrefix(p, dir+"/")
}

// readAt reads the file the image has at abs from the context.
func (b *msBuild) readAt(abs string) ([]byte, bool) {
	rel, ok := b.ctxPath(abs)
	if !ok {
		return nil, false
	}
	return b.ctx.read(rel)
}

var reGoModule = regexp.MustCompile(`(?m)^\s*module\s+"?([^\s"]+)"?`)

// goModuleName is the last element of a module path (a /vN suffix skipped).
func goModuleName(mod []byte) string {
	m := reGoModule.FindSubmatch(mod)
	if m == nil {
		return ""
	}
	return goPathName(string(m[1]))
}

// goPathName is the command name go gives a package path.
func goPathName(p string) string {
	p = strings.TrimSuffix(path.Clean(p), "/")
	elems := strings.Split(p, "/")
	last := elems[len(elems)-1]
	if len(elems) > 1 && regexp.MustCompile(`^v[0-9]+$`).MatchString(last) {
		last = elems[len(elems)-2]
	}
	return last
}

var (
	reCgoImport = regexp.MustCompile(`(?m)^\s*import\s+"C"|^\s*"C"\s*$`)
	reGoRequire = regexp.MustCompile(`(?m)^\s*(?:require\s+)?([a-zA-Z0-9.\-_~]+\.[a-z]+/[^\s]+)\s+v[0-9]`)
)

// pureGo says why the Go sources may need cgo ("" when the context shows
// they do not): a cgo import anywhere, or a module required from outside
// golang.org/x that the context does not vendor. usesTZ reports a
// time.LoadLocation call.
func (b *msBuild) pureGo() (why string, usesTZ bool) {
	if b.ctx == nil {
		return "the build context cannot be read", false
	}
	vendored := false
	var mods [][]byte
	ok := b.ctx.walk(20000, func(rel string) {
		if why != "" {
			return
		}
		switch {
		case strings.HasSuffix(rel, ".go"):
			src, ok := b.ctx.read(rel)
			if !ok {
				why = "cannot read " + rel
				return
			}
			if reCgoImport.Match(src) {
				why = rel + " uses cgo"
			}
			if strings.Contains(string(src), "time.LoadLocation") {
				usesTZ = true
			}
		case path.Base(rel) == "go.mod":
			m, _ := b.ctx.read(rel)
			mods = append(mods, m)
		case strings.HasSuffix(rel, "vendor/modules.txt"):
			vendored = true
		case strings.HasSuffix(rel, ".c") || strings.HasSuffix(rel, ".s") || strings.HasSuffix(rel, ".S") || strings.HasSuffix(rel, ".cc") || strings.HasSuffix(rel, ".syso"):
			why = rel + " is compiled with cgo or the assembler"
		}
	})
	if !ok && why == "" {
		return "the build context is too large to check for cgo", usesTZ
	}
	if why != "" || vendored {
		return why, usesTZ
	}
	for _, m := range mods {
		for _, r := range reGoRequire.FindAllSubmatch(stripGoModComments(m), -1) {
			if mod := string(r[1]); !strings.HasPrefix(mod, "golang.org/x/") {
				return "go.mod requires " + mod + ", which may use cgo", usesTZ
			}
		}
	}
	return "", usesTZ
}

func stripGoModComments(b []byte) []byte {
	lines := strings.Split(string(b), "\n")
	for i, l := range lines {
		if j := strings.Index(l, "//"); j >= 0 {
			lines[i] = l[:j]
		}
		if strings.HasPrefix(strings.TrimSpace(lines[i]), "module") || strings.HasPrefix(strings.TrimSpace(lines[i]), "go ") {
			lines[i] = ""
		}
	}
	return []byte(strings.Join(lines, "\n"))
}

// tomlSections reads the simple TOML of Cargo.toml and Cargo.lock: for each
// [section] or [[array]] header, the key = value lines under it (string
// values unquoted). Enough for names; anything fancier is not needed.
func tomlSections(src []byte) []tomlSection {
	var out []tomlSection
	cur := tomlSection{}
	for _, line := range strings.Split(string(src), "\n") {
		l := strings.TrimSpace(line)
		if i := strings.Index(l, " #"); i >= 0 {
			l = strings.TrimSpace(l[:i])
		}
		switch {
		case l == "" || strings.HasPrefix(l, "#"):
		case strings.HasPrefix(l, "["):
			out = append(out, cur)
			cur = tomlSection{name: strings.Trim(l, "[] "), keys: map[string]string{}}
		default:
			k, v, ok := strings.Cut(l, "=")
			if ok && cur.keys != nil {
				cur.keys[strings.Trim(strings.TrimSpace(k), `"`)] = strings.Trim(strings.TrimSpace(v), `"'`)
			} else if ok {
				cur.keys = map[string]string{strings.Trim(strings.TrimSpace(k), `"`): strings.Trim(strings.TrimSpace(v), `"'`)}
			}
		}
	}
	return append(out, cur)
}

type tomlSection struct {
	name string
	keys map[string]string
}

// pomInfo is what a pom.xml says about its jar.
type pomInfo struct {
	ArtifactID string `xml:"artifactId"`
	Version    string `xml:"version"`
	Packaging  string `xml:"packaging"`
	Build      struct {
		FinalName string `xml:"finalName"`
	} `xml:"build"`
}

func parsePom(src []byte) (pomInfo, bool) {
	var p pomInfo
	if err := xml.Unmarshal(src, &p); err != nil || p.ArtifactID == "" {
		return p, false
	}
	return p, true
}

var reGradleRoot = regexp.MustCompile(`rootProject\.name\s*=\s*["']([^"']+)["']`)

// makefile is the explicit rules of a simple Makefile.
type makefile struct {
	rules  map[string][]string // target -> prerequisites
	order  []string            // targets in order
	phony  map[string]bool
	vars   map[string]string
	text   string
	reason string // why it cannot be followed
}

var (
	reMakeVar  = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)\s*(:=|::=|\?=|\+=|=)\s*(.*)$`)
	reMakeRule = regexp.MustCompile(`^([^\t#=:][^=:]*?)\s*::?\s*([^=].*)?$`)
	reMakeRef  = regexp.MustCompile(`\$[({]([A-Za-z_][A-Za-z0-9_]*)[)}]`)
	reLinkLib  = regexp.MustCompile(`(?:^|\s)-l\s*([A-Za-z0-9_+.-]+)`)
)

func parseMakefile(src []byte) *makefile {
	m := &makefile{rules: map[string][]string{}, phony: map[string]bool{}, vars: map[string]string{}, text: string(src)}
	if strings.Contains(m.text, "$(shell") || strings.Contains(m.text, "pkg-config") || strings.Contains(m.text, "include ") {
		m.reason = "the Makefile runs shell commands, pkg-config or includes other makefiles"
		return m
	}
	for _, l := range reLinkLib.FindAllStringSubmatch(m.text, -1) {
		if !cAllowedLibs[l[1]] {
			m.reason = "the Makefile links lib" + l[1] + ", whose run-time package dockopt does not know"
			return m
		}
	}
	text := strings.ReplaceAll(m.text, "\\\n", " ")
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "\t") || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		if v := reMakeVar.FindStringSubmatch(strings.TrimSpace(line)); v != nil {
			if v[2] == "+=" {
				m.vars[v[1]] += " " + v[3]
			} else if v[2] != "?=" || m.vars[v[1]] == "" {
				m.vars[v[1]] = v[3]
			}
			continue
		}
		r := reMakeRule.FindStringSubmatch(line)
		if r == nil {
			continue
		}
		prereqs := strings.Fields(m.expand(strings.SplitN(r[2], ";", 2)[0]))
		for _, t := range strings.Fields(m.expand(r[1])) {
			if t == ".PHONY" {
				for _, p := range prereqs {
					m.phony[p] = true
				}
				continue
			}
			if _, seen := m.rules[t]; !seen {
				m.order = append(m.order, t)
			}
			m.rules[t] = append(m.rules[t], prereqs...)
		}
	}
	return m
}

func (m *makefile) expand(s string) string {
	for i := 0; i < 8 && strings.Contains(s, "$"); i++ {
		s = reMakeRef.ReplaceAllStringFunc(s, func(ref string) string {
			return m.vars[reMakeRef.FindStringSubmatch(ref)[1]]
		})
	}
	return s
}

// outputs are the program files the goals build: explicit, non-phony rule
// targets reached from the goals that are not objects, libraries or sources.
func (m *makefile) outputs(goals []string) []string {
	if len(goals) == 0 {
		for _, t := range m.order {
			if !strings.HasPrefix(t, ".") && !strings.Contains(t, "%") {
				goals = []string{t}
				break
			}
		}
	}
	var out []string
	seen := map[string]bool{}
	var visit func(t string)
	visit = func(t string) {
		if seen[t] {
			return
		}
		seen[t] = true
		prereqs, ok := m.rules[t]
		if !ok {
			return
		}
		switch path.Ext(t) {
		case ".o", ".a", ".so", ".d", ".lo", ".obj", ".h", ".c", ".cc", ".cpp", ".gch":
		default:
			if !m.phony[t] && !strings.ContainsAny(t, "%$") {
				out = append(out, t)
			}
		}
		for _, p := range prereqs {
			visit(p)
		}
	}
	for _, g := range goals {
		visit(g)
	}
	return out
}

// cAllowedLibs are the libraries every glibc or musl image has.
var cAllowedLibs = wordSet("m pthread dl rt c stdc++ gcc gcc_s crypt util resolv atomic")

var (
	reCMakeExe     = regexp.MustCompile(`(?i)add_executable\s*\(\s*([^\s)]+)`)
	reCMakeProject = regexp.MustCompile(`(?i)project\s*\(\s*([A-Za-z0-9_.+-]+)`)
	reCMakeBad     = regexp.MustCompile(`(?i)add_subdirectory|output_directory|pkg_check_modules|find_library|add_library\s*\([^)]*\bSHARED\b|set_target_properties`)
	reCMakeFind    = regexp.MustCompile(`(?i)find_package\s*\(\s*([A-Za-z0-9_]+)`)
	reCMakeLink    = regexp.MustCompile(`(?is)target_link_libraries\s*\(([^)]*)\)`)
)

// cmakeExecutables names the programs a CMakeLists.txt builds, or says why
// it cannot be followed.
func cmakeExecutables(src []byte) ([]string, string) {
	s := string(src)
	if m := reCMakeBad.FindString(s); m != "" {
		return nil, "CMakeLists.txt uses " + m + ", which multi-stage does not follow"
	}
	for _, f := range reCMakeFind.FindAllStringSubmatch(s, -1) {
		if f[1] != "Threads" {
			return nil, "CMakeLists.txt finds the package " + f[1] + ", a library the runtime image may lack"
		}
	}
	project := ""
	if p := reCMakeProject.FindStringSubmatch(s); p != nil {
		project = p[1]
	}
	var exes []string
	for _, e := range reCMakeExe.FindAllStringSubmatch(s, -1) {
		name := strings.ReplaceAll(e[1], "${PROJECT_NAME}", project)
		if strings.ContainsAny(name, "${}\"") || name == "" {
			return nil, "CMakeLists.txt names an executable with " + e[1]
		}
		exes = append(exes, name)
	}
	for _, l := range reCMakeLink.FindAllStringSubmatch(s, -1) {
		for i, w := range strings.Fields(l[1]) {
			w = strings.TrimPrefix(w, "-l")
			if i == 0 || w == "PRIVATE" || w == "PUBLIC" || w == "INTERFACE" || w == "Threads::Threads" || cAllowedLibs[w] {
				continue
			}
			return nil, "CMakeLists.txt links " + w + ", a library the runtime image may lack"
		}
	}
	return exes, ""
}

// msSourceFiles are, per language, the files of a build context that only
// the build reads: sources, manifests, build scripts, docs and VCS files.
// Anything else copied into the builder may be read by the program at run
// time, from a directory the runtime stage would not have.
var msSourceFiles = map[string]*regexp.Regexp{
	"go":   regexp.MustCompile(`^(.*\.(go|s|mod|sum)|go\.work(\.sum)?|vendor/.*|.*/testdata/.*|testdata/.*)$`),
	"c":    regexp.MustCompile(`^(.*\.(c|h|cc|cpp|cxx|c\+\+|hpp|hh|hxx|inl|s|S|cmake|mk|am|ac|in|m4)|([^/]*/)*(GNUmakefile|[Mm]akefile|CMakeLists\.txt|configure|CMakePresets\.json))$`),
	"rust": regexp.MustCompile(`^(.*\.rs|([^/]*/)*Cargo\.(toml|lock)|rust-toolchain(\.toml)?|\.cargo/.*|benches/.*|tests/.*|examples/.*)$`),
	"java": regexp.MustCompile(`^(src/.*|.*\.java|([^/]*/)*pom\.xml|.*\.gradle(\.kts)?|gradle\.properties|gradlew(\.bat)?|gradle/.*|mvnw(\.cmd)?|\.mvn/.*)$`),
}

// msAnyProject are files any project may hold that no program reads.
var msAnyProject = regexp.MustCompile(`(?i)^(\.git/.*|\.github/.*|\.gitignore|\.gitattributes|\.dockerignore|\.editorconfig|([^/]*/)*(readme|license|licence|changelog|contributing|authors|notice|copying)(\.[a-z]+)?|.*\.md|Dockerfile.*|.*\.dockerfile|\.golangci\.ya?ml|\.clang-format|\.pre-commit-config\.yaml)$`)

// checkSources refuses a build context that holds files other than sources
// (see msSourceFiles) when the program is a native binary or a jar: the
// runtime stage copies only the artifact. A Go program that embeds files
// (//go:embed) has them in the binary.
func (b *msBuild) checkSources() {
	pat := msSourceFiles[b.lang]
	if pat == nil {
		return
	}
	embeds := false
	check := func(in *rewrite.Instruction, rel string) bool {
		if pat.MatchString(rel) || msAnyProject.MatchString(rel) {
			return true
		}
		if b.lang == "go" && strings.HasSuffix(rel, ".go") {
			return true
		}
		if b.lang == "go" && !embeds && b.ctx != nil {
			b.ctx.walk(20000, func(f string) {
				if src, ok := b.ctx.read(f); ok && strings.HasSuffix(f, ".go") && strings.Contains(string(src), "//go:embed") {
					embeds = true
				}
			})
			if embeds {
				return true
			}
		}
		b.fail(in, "the build context copied here holds %s, which the program may read at run time and the runtime stage would not copy", rel)
		return false
	}
	for _, c := range b.srcDirs {
		for _, s := range c.sources {
			switch {
			case s == "." || s == "" || b.ctx.isDir(s):
				if b.ctx == nil {
					b.fail(c.in, "the build context cannot be read, so which files the program needs is unknown")
					return
				}
				ok := true
				b.ctx.walk(20000, func(rel string) {
					if ok && (s == "." || s == "" || pathUnder(rel, s)) {
						ok = check(c.in, rel)
					}
				})
				if !ok {
					return
				}
			case !check(c.in, s):
				return
			}
		}
	}
}
