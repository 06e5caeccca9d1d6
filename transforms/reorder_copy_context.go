package transforms

// reorder-copy: reading the build context and the dependency manifests.

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
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
