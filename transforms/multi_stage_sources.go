package transforms

// multi-stage: what the build context holds: only sources (the program
// reads nothing else at run time), and, for Go, no cgo.

import (
	"path"
	"regexp"
	"strings"

	"github.com/dockopt/dockopt/rewrite"
)

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
