package verify

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

// ignoreFile is the ignore file BuildKit applies to a build of dockerfile
// in contextDir: <Dockerfile>.dockerignore next to the Dockerfile, else the
// context's .dockerignore; "" when there is none.
func ignoreFile(dockerfile, contextDir string) string {
	for _, f := range []string{dockerfile + ".dockerignore", filepath.Join(contextDir, ".dockerignore")} {
		if st, err := os.Stat(f); err == nil && st.Mode().IsRegular() {
			return f
		}
	}
	return ""
}

// ignoreMatcher reads an ignore file's patterns (nil: nothing excluded).
func ignoreMatcher(content []byte) (*patternmatcher.PatternMatcher, error) {
	patterns, err := ignorefile.ReadAll(bytes.NewReader(content))
	if err != nil || len(patterns) == 0 {
		return nil, err
	}
	return patternmatcher.New(patterns)
}

// copyContext copies the build context src into dst (which must not
// exist), leaving out what pm excludes: a copy the build may change (a
// source edit, a new ignore file) without touching the user's tree. Modes
// and symlinks are kept; other special files are left out.
func copyContext(src, dst string, pm *patternmatcher.PatternMatcher) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if rel != "." && pm != nil {
			slash := filepath.ToSlash(rel)
			if m, _ := pm.MatchesOrParentMatches(slash); m && slash != ".dockerignore" {
				// An excluded directory may still hold a file a `!pattern`
				// brings back; without such patterns, skip it whole.
				if d.IsDir() && !pm.Exclusions() {
					return filepath.SkipDir
				}
				if !d.IsDir() {
					return nil
				}
			}
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.MkdirAll(target, info.Mode().Perm()|0o700)
		case info.Mode()&fs.ModeSymlink != 0:
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		case info.Mode().IsRegular():
			return copyFile(p, target, info.Mode().Perm())
		}
		return nil
	})
}

func copyFile(src, dst string, mode fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Chmod(dst, mode) // not reduced by the umask
}

// editSource changes the context file rel in dir the way a source edit
// would: one more line at its end, whitespace that spells nonce, so that no
// earlier run left this very content in the build cache. The file is
// replaced rather than written through, so that no link shares the change.
func editSource(dir, rel string, nonce uint32) error {
	p := filepath.Join(dir, filepath.FromSlash(rel))
	st, err := os.Lstat(p)
	if err != nil {
		return err
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil {
		return err
	}
	if err := os.WriteFile(p, append(b, editLine(nonce)...), st.Mode().Perm()); err != nil {
		return err
	}
	return os.Chmod(p, st.Mode().Perm())
}

// editLine is "\n", then a line of a space and 32 spaces or tabs (the bits
// of nonce): blank to every text format we know of.
func editLine(nonce uint32) []byte {
	line := []byte("\n ")
	for i := 0; i < 32; i++ {
		c := byte(' ')
		if nonce&(1<<i) != 0 {
			c = '\t'
		}
		line = append(line, c)
	}
	return append(line, '\n')
}

// errNoWholeCopy: the Dockerfile has no COPY or ADD of the whole context, so
// a rebuild after a source edit measures nothing dockopt changes.
var errNoWholeCopy = errors.New("no COPY or ADD of the whole build context")

// editTarget picks the context file a source edit changes for the rebuild
// measurement: a regular file in dir (a context copy) that the last COPY or
// ADD of the whole context copies, preferring one no other COPY or ADD names
// (a dependency manifest would re-run the install in both versions and hide
// what reorder-copy buys). skip is the Dockerfile's own path in dir ("" when
// outside); .dockerignore files are never picked, nor files that an ignore
// file of either version excludes (ignores: the original's and the result's,
// nil entries allowed; a new .dockerignore leaves files out of the result's
// context), nor version-control metadata (.git, .hg, .svn), which no source
// edit touches.
func editTarget(dockerfile []byte, dir, skip string, ignores ...*patternmatcher.PatternMatcher) (string, error) {
	whole, named, err := copySources(dockerfile)
	if err != nil {
		return "", err
	}
	if !whole {
		return "", errNoWholeCopy
	}
	// Preference: a text file no other COPY names, then any file no other
	// COPY names, then any file.
	var first, free, freeText string
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || freeText != "" {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		slash := filepath.ToSlash(rel)
		if d.IsDir() && (d.Name() == ".git" || d.Name() == ".hg" || d.Name() == ".svn") {
			return filepath.SkipDir
		}
		if d.IsDir() || !d.Type().IsRegular() || slash == skip || path.Base(slash) == ".dockerignore" ||
			strings.HasSuffix(slash, ".dockerignore") {
			return nil
		}
		for _, pm := range ignores {
			if pm == nil {
				continue
			}
			if m, _ := pm.MatchesOrParentMatches(slash); m {
				return nil
			}
		}
		if first == "" {
			first = slash
		}
		if !namedBy(named, slash) {
			if free == "" {
				free = slash
			}
			if isText(p) {
				freeText = slash
			}
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	switch {
	case freeText != "":
		return freeText, nil
	case free != "":
		return free, nil
	case first != "":
		return first, nil
	}
	return "", fmt.Errorf("the build context has no file for `COPY .` to copy")
}

// copySources reads the Dockerfile's COPY and ADD instructions that copy
// from the build context: whether one copies the whole context, and the
// source patterns of the others (cleaned, relative to the context).
func copySources(dockerfile []byte) (whole bool, named []string, err error) {
	res, err := parser.Parse(bytes.NewReader(dockerfile))
	if err != nil {
		return false, nil, err
	}
	stages, _, err := instructions.Parse(res.AST, linter.New(&linter.Config{SkipAll: true}))
	if err != nil {
		return false, nil, err
	}
	for _, st := range stages {
		for _, c := range st.Commands {
			var srcs []string
			switch c := c.(type) {
			case *instructions.CopyCommand:
				if c.From != "" {
					continue
				}
				srcs = c.SourcePaths
			case *instructions.AddCommand:
				srcs = c.SourcePaths
			default:
				continue
			}
			for _, s := range srcs {
				if strings.Contains(s, "://") || strings.HasPrefix(s, "git@") {
					continue
				}
				clean := strings.TrimPrefix(path.Clean("/"+s), "/")
				if clean == "" {
					whole = true
				} else {
					named = append(named, clean)
				}
			}
		}
	}
	return whole, named, nil
}

// namedBy reports whether a COPY source pattern names rel or a directory
// that holds it.
func namedBy(patterns []string, rel string) bool {
	for _, p := range patterns {
		for r := rel; r != "."; r = path.Dir(r) {
			if m, _ := path.Match(p, r); m {
				return true
			}
		}
	}
	return false
}

// isText reports whether the file's first 8 KiB hold no NUL byte.
func isText(p string) bool {
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	buf := make([]byte, 8<<10)
	n, _ := io.ReadFull(f, buf)
	return bytes.IndexByte(buf[:n], 0) < 0
}

// finalBase is the base image of the stage a build of dockerfile ends with
// (target, or the last stage), following stage references; "" when the
// Dockerfile cannot be read.
func finalBase(dockerfile []byte, target string) string {
	res, err := parser.Parse(bytes.NewReader(dockerfile))
	if err != nil {
		return ""
	}
	stages, _, err := instructions.Parse(res.AST, linter.New(&linter.Config{SkipAll: true}))
	if err != nil || len(stages) == 0 {
		return ""
	}
	i := len(stages) - 1
	if target != "" {
		i = -1
		for j, st := range stages {
			if strings.EqualFold(st.Name, target) {
				i = j
			}
		}
		if i < 0 {
			return ""
		}
	}
	for depth := 0; depth < len(stages); depth++ {
		base := stages[i].BaseName
		next := -1
		for j := 0; j < i; j++ {
			if strings.EqualFold(stages[j].Name, base) {
				next = j
			}
		}
		if next < 0 {
			return base
		}
		i = next
	}
	return ""
}
