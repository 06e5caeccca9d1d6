package transforms

// dockerignore: walking the build context the way BuildKit sends it, with
// the same matcher (github.com/moby/patternmatcher).

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/moby/patternmatcher"
)

// diMaxEntries bounds the walk of one build context.
const diMaxEntries = 1_000_000

// diEntry is one path of the context that the build currently receives.
type diEntry struct {
	rel  string // slash-separated, relative to the context root
	dir  bool
	size int64 // regular files only
}

// diContext is a build context: its root and the entries the existing
// ignore patterns let through.
type diContext struct {
	root    string
	entries []diEntry
}

// diWalk lists the entries of root that existing (the ignore file's
// patterns, may be nil) does not exclude. It never follows a symlink:
// WalkDir reports links as links and Lstat is used throughout. A directory
// that existing excludes is not entered unless an exception (!) could
// re-include something below it, as BuildKit does.
func diWalk(root string, existing *patternmatcher.PatternMatcher) (*diContext, error) {
	real, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil, err
	}
	c := &diContext{root: real}
	err = filepath.WalkDir(real, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == real {
				return err
			}
			return nil // unreadable: BuildKit would fail too; nothing to measure
		}
		if p == real {
			return nil
		}
		rel, err := filepath.Rel(real, p)
		if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
			return filepath.SkipDir
		}
		rel = filepath.ToSlash(rel)
		if existing != nil {
			if ex, _ := existing.MatchesOrParentMatches(rel); ex {
				if d.IsDir() && !existing.Exclusions() {
					return filepath.SkipDir
				}
				return nil
			}
		}
		if len(c.entries) >= diMaxEntries {
			return errDiTooLarge
		}
		e := diEntry{rel: rel, dir: d.IsDir()}
		if d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				e.size = info.Size()
			}
		}
		c.entries = append(c.entries, e)
		return nil
	})
	return c, err
}

var errDiTooLarge = fmt.Errorf("the build context holds over %d entries", diMaxEntries)

// size counts the files (everything but directories) and their bytes that
// are not excluded by extra.
func (c *diContext) size(extra *patternmatcher.PatternMatcher) (files int, bytes int64) {
	for _, e := range c.entries {
		if e.dir {
			continue
		}
		if extra != nil {
			if ex, _ := extra.MatchesOrParentMatches(e.rel); ex {
				continue
			}
		}
		files++
		bytes += e.size
	}
	return files, bytes
}

// matching lists the entries pattern matches (itself, not through a parent:
// a directory stands for what is below it).
func (c *diContext) matching(pattern string) []diEntry {
	pm, err := patternmatcher.New([]string{pattern})
	if err != nil {
		return nil
	}
	var out []diEntry
	for _, e := range c.entries {
		if parent := path.Dir(e.rel); parent != "." {
			if m, _ := pm.MatchesOrParentMatches(parent); m {
				continue
			}
		}
		if m, _ := pm.MatchesOrParentMatches(e.rel); m {
			out = append(out, e)
		}
	}
	return out
}

// has reports whether the context holds rel (a regular file or directory,
// not excluded).
func (c *diContext) has(rel string) (diEntry, bool) {
	for _, e := range c.entries {
		if e.rel == rel {
			return e, true
		}
	}
	return diEntry{}, false
}

// readFile reads a regular file of the context (no symlink, no path out of
// it); ok is false when there is none.
func (c *diContext) readFile(rel string) ([]byte, bool) {
	rel = path.Clean(strings.TrimPrefix(rel, "./"))
	if rel == "." || rel == ".." || strings.HasPrefix(rel, "../") || strings.HasPrefix(rel, "/") {
		return nil, false
	}
	p := filepath.Join(c.root, filepath.FromSlash(rel))
	for dir := filepath.Dir(p); dir != c.root && strings.HasPrefix(dir, c.root); dir = filepath.Dir(dir) {
		if st, err := os.Lstat(dir); err != nil || st.Mode()&fs.ModeSymlink != 0 {
			return nil, false
		}
	}
	st, err := os.Lstat(p)
	if err != nil || !st.Mode().IsRegular() || st.Size() > 4<<20 {
		return nil, false
	}
	b, err := os.ReadFile(p)
	return b, err == nil
}

// diHuman prints a byte count (1000-based, as docker prints sizes).
func diHuman(n int64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.1f GB", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d B", n)
}

func diIsTooLarge(err error) bool { return errors.Is(err, errDiTooLarge) }
