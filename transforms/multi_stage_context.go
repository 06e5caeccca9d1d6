package transforms

// multi-stage: the build context (what COPY put where in the image) and the
// manifests that name artifacts: go.mod, Makefile, CMakeLists.txt,
// Cargo.toml/Cargo.lock, package.json, pom.xml, settings.gradle.

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
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
