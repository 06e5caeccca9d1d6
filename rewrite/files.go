package rewrite

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
)

// IsDockerfileName reports whether a directory walk picks up a file of this
// name: Dockerfile, Dockerfile.*, *.Dockerfile, *.dockerfile, Containerfile,
// Containerfile.* (the word matched case-insensitively). Ignore files
// (Dockerfile.dockerignore) are not Dockerfiles, nor are Dockerfile.* and
// Containerfile.* files whose extension names another format (notOurs):
// real repositories hold dockerfile.go, Dockerfile.5.md, Dockerfile.json and
// Dockerfile.tmpl files, which BuildKit rejects. A file named on the command
// line is read whatever its name.
func IsDockerfileName(name string) bool {
	n := strings.ToLower(name)
	if strings.HasSuffix(n, ".dockerignore") {
		return false
	}
	for _, w := range []string{"dockerfile", "containerfile"} {
		if n == w {
			return true
		}
		if rest, ok := strings.CutPrefix(n, w+"."); ok {
			return !notOurs[rest[strings.LastIndexByte(rest, '.')+1:]]
		}
	}
	return strings.HasSuffix(n, ".dockerfile")
}

// notOurs are extensions of source code, data, documentation, templates,
// editor and backup files: Dockerfile.<one of these> is not a Dockerfile.
// Names that may well be a variant (Dockerfile.tf for TensorFlow,
// Dockerfile.el for Enterprise Linux, .nix, .snap, .ml) are not in it.
var notOurs = map[string]bool{}

func init() {
	for _, ext := range strings.Fields(`
		go py js mjs cjs ts tsx jsx rb rs java kt kts scala groovy gradle c h cc cpp hpp cs php pl
		lua swift exs erl hs clj rego cue hcl ps1 psm1 bat
		json jsonc yaml yml toml xml md markdown rst adoc html htm css svg png jpg jpeg gif pdf csv
		nanorc vim tmlanguage tmpreferences sublime-syntax code-snippets
		tmpl tpl template j2 jinja jinja2 gotmpl erb mustache hbs ejs liquid njk
		golden orig rej bak swp patch diff`) {
		notOurs[ext] = true
	}
}

// skipDirs are never walked into.
var skipDirs = map[string]bool{".git": true, "node_modules": true, "vendor": true, ".hg": true, ".svn": true}

// Walk lists the Dockerfiles under root in lexical order. Symlinked
// directories are not followed, so a walk never leaves root. Paths ignored by
// the repository's .gitignore files (those in root, below it, and above it up
// to the repository's top) are skipped.
func Walk(root string, visit func(path string)) error {
	return WalkExcluding(root, nil, visit)
}

// WalkExcluding is Walk with an extra exclusion test (config globs). An
// error under root does not stop the walk: the errors, each "path: message",
// come back joined (errors.Join) after every readable file was visited.
func WalkExcluding(root string, excluded func(path string) bool, visit func(path string)) error {
	ign := newIgnorer(root)
	var errs []error
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			// An unreadable directory below root: report it, walk on, so
			// that one root-owned volume directory does not hide the rest.
			errs = append(errs, fmt.Errorf("%s: %v", p, plainErr(err)))
			return nil
		}
		if d.IsDir() {
			if p == root {
				return nil
			}
			if skipDirs[d.Name()] || ign.ignored(p, true) || (excluded != nil && excluded(p)) {
				return filepath.SkipDir
			}
			ign.load(p)
			return nil
		}
		if !IsDockerfileName(d.Name()) || ign.ignored(p, false) || (excluded != nil && excluded(p)) {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			// A symlink to a file is processed (its target is written);
			// one to a directory is not followed.
			st, err := os.Stat(p)
			if err != nil || !st.Mode().IsRegular() {
				return nil
			}
		} else if !d.Type().IsRegular() {
			return nil
		}
		visit(p)
		return nil
	})
	if err != nil {
		return err
	}
	return errors.Join(errs...)
}

// ignorer applies .gitignore files with go-git's matcher. Patterns carry the
// directory they were read in (their domain), so one growing list serves the
// whole walk.
type ignorer struct {
	top      string // the repository's top directory (or the walk root outside git)
	root     string // the walk's root, as given, and made absolute
	rootAbs  string
	patterns []gitignore.Pattern
	matcher  gitignore.Matcher
}

func newIgnorer(root string) *ignorer {
	abs, err := filepath.Abs(root)
	if err != nil {
		return &ignorer{}
	}
	top := abs
	for dir := abs; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			top = dir
			break
		}
		if filepath.Dir(dir) == dir {
			break
		}
	}
	ig := &ignorer{top: top, root: root, rootAbs: abs}
	// .gitignore files from the top down to root apply to everything below.
	rel, _ := filepath.Rel(top, abs)
	dir := top
	ig.loadAbs(dir)
	if rel != "." {
		for _, part := range strings.Split(rel, string(filepath.Separator)) {
			dir = filepath.Join(dir, part)
			ig.loadAbs(dir)
		}
	}
	return ig
}

// abs makes a path of the walk absolute. The walk's paths are the root
// joined with a relative path, so this is string work, where filepath.Abs
// would ask the system for the working directory once per path.
func (ig *ignorer) abs(p string) (string, error) {
	if ig.rootAbs != "" {
		if rel, err := filepath.Rel(ig.root, p); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.Join(ig.rootAbs, rel), nil
		}
	}
	return filepath.Abs(p)
}

func (ig *ignorer) parts(p string) []string {
	abs, err := ig.abs(p)
	if err != nil || ig.top == "" {
		return nil
	}
	rel, err := filepath.Rel(ig.top, abs)
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
		return nil
	}
	return strings.Split(filepath.ToSlash(rel), "/")
}

func (ig *ignorer) load(dir string) {
	if abs, err := ig.abs(dir); err == nil {
		ig.loadAbs(abs)
	}
}

func (ig *ignorer) loadAbs(dir string) {
	b, err := os.ReadFile(filepath.Join(dir, ".gitignore"))
	if err != nil {
		return
	}
	var domain []string
	if rel, err := filepath.Rel(ig.top, dir); err == nil && rel != "." {
		domain = strings.Split(filepath.ToSlash(rel), "/")
	}
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		ig.patterns = append(ig.patterns, gitignore.ParsePattern(line, domain))
	}
	ig.matcher = gitignore.NewMatcher(ig.patterns)
}

func (ig *ignorer) ignored(p string, isDir bool) bool {
	if ig.matcher == nil {
		return false
	}
	parts := ig.parts(p)
	return parts != nil && ig.matcher.Match(parts, isDir)
}

// MaxFileSize is the default limit on an input file's size.
const MaxFileSize = 8 << 20

// ReadInput reads a Dockerfile, refusing what is not a regular file, too
// large, or binary.
func ReadInput(path string, maxSize int64) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, plainErr(err))
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	if maxSize > 0 && st.Size() > maxSize {
		return nil, fmt.Errorf("%s: file is %d bytes, over the %d-byte limit (--max-size)", path, st.Size(), maxSize)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, plainErr(err))
	}
	if err := checkText(path, src); err != nil {
		return nil, err
	}
	return src, nil
}

// ReadStdin reads a Dockerfile from r with the same checks as ReadInput.
func ReadStdin(r io.Reader, maxSize int64) ([]byte, error) {
	lr := io.Reader(r)
	if maxSize > 0 {
		lr = io.LimitReader(r, maxSize+1)
	}
	src, err := io.ReadAll(lr)
	if err != nil {
		return nil, fmt.Errorf("-: %v", err)
	}
	if maxSize > 0 && int64(len(src)) > maxSize {
		return nil, fmt.Errorf("-: input is over the %d-byte limit (--max-size)", maxSize)
	}
	return src, checkText("-", src)
}

func checkText(path string, src []byte) error {
	if i := bytes.IndexByte(src, 0); i >= 0 {
		line := bytes.Count(src[:i], []byte("\n")) + 1
		return fmt.Errorf("%s:%d: binary data (NUL byte): not a Dockerfile", path, line)
	}
	return nil
}

func plainErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// temps are temp files being written, removed if a signal arrives.
var temps = struct {
	sync.Mutex
	m map[string]bool
}{m: map[string]bool{}}

// CleanupOnSignal removes in-flight temp files when SIGINT or SIGTERM
// arrives, then exits with 130 (SIGINT) or 143 (SIGTERM).
func CleanupOnSignal() (stop func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			temps.Lock()
			for p := range temps.m {
				os.Remove(p)
			}
			code := 130
			if sig == syscall.SIGTERM {
				code = 143
			}
			os.Exit(code) // the lock is kept: no new temp file gets created
		case <-done:
		}
	}()
	return func() { signal.Stop(ch); close(done) }
}

// WriteFile replaces the file at path, whose content was read as original,
// with data:
//   - a symlink stays a symlink (its target is written);
//   - the mode (and, when permitted, owner) is kept;
//   - normally atomically: a temp file in the same directory, fsync, rename;
//   - a file with several hard links is rewritten in place, so the links stay shared;
//   - a file that changed on disk since it was read is not overwritten.
func WriteFile(path string, original, data []byte) error {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return fmt.Errorf("%s: %v", path, plainErr(err))
	}
	st, err := os.Stat(target)
	if err != nil {
		return fmt.Errorf("%s: %v", path, plainErr(err))
	}
	now, err := os.ReadFile(target)
	if err != nil {
		return fmt.Errorf("%s: %v", path, plainErr(err))
	}
	if !bytes.Equal(now, original) {
		return fmt.Errorf("%s: changed on disk while dockopt was working on it; not overwritten", path)
	}
	if st.Mode().Perm()&0o222 == 0 {
		return fmt.Errorf("%s: file is read-only; not overwritten", path)
	}
	if nlink(st) > 1 {
		return writeInPlace(path, target, original, data)
	}
	return writeAtomic(path, target, st, data)
}

func writeAtomic(path, target string, st os.FileInfo, data []byte) error {
	name, err := writeTemp(path, target, data, st.Mode().Perm(), st)
	if err != nil {
		return err
	}
	err = os.Rename(name, target)
	dropTemp(name, err != nil)
	if err != nil {
		return fmt.Errorf("%s: %v", path, plainErr(err))
	}
	return nil
}

// writeTemp writes data to a new temporary file beside target, with mode
// perm (and the owner of owner, when not nil), synced and closed, and
// returns its name. The file stays registered in temps, for the signal
// handler to remove, until the caller, having moved it into place, calls
// dropTemp. On an error nothing is left behind. path names target in
// errors.
func writeTemp(path, target string, data []byte, perm fs.FileMode, owner os.FileInfo) (name string, err error) {
	dir, base := filepath.Dir(target), filepath.Base(target)
	if len(base) > 100 {
		base = base[:100] // the temp name must stay under NAME_MAX (255)
	}
	// Create and register under the lock: a signal between the two would
	// leave a temp file the handler does not know about.
	temps.Lock()
	tmp, err := os.CreateTemp(dir, "."+base+".dockopt-*")
	if err == nil {
		temps.m[tmp.Name()] = true
	}
	temps.Unlock()
	if err != nil {
		return "", fmt.Errorf("%s: %v", path, plainErr(err))
	}
	defer func() {
		if err != nil {
			tmp.Close()
			dropTemp(tmp.Name(), true)
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return "", fmt.Errorf("%s: %v", path, plainErr(err))
	}
	if err = tmp.Chmod(perm); err != nil {
		return "", fmt.Errorf("%s: %v", path, plainErr(err))
	}
	if owner != nil {
		keepOwner(tmp, owner)
	}
	if err = tmp.Sync(); err != nil {
		return "", fmt.Errorf("%s: %v", path, plainErr(err))
	}
	if err = tmp.Close(); err != nil {
		return "", fmt.Errorf("%s: %v", path, plainErr(err))
	}
	return tmp.Name(), nil
}

// dropTemp forgets a temporary file of writeTemp, removing it first when
// remove is set (it was not renamed into place, or was linked there).
func dropTemp(name string, remove bool) {
	if remove {
		os.Remove(name)
	}
	temps.Lock()
	delete(temps.m, name)
	temps.Unlock()
}

// writeInPlace overwrites target (a file with several hard links) without
// truncating it first: should the write fail (disk full, file size limit),
// the original, which fits in the blocks the file already has, is written
// back. The signal handler waits for it (temps' lock), so an interrupt
// never leaves the file half written.
func writeInPlace(path, target string, original, data []byte) error {
	temps.Lock()
	defer temps.Unlock()
	f, err := os.OpenFile(target, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("%s: %v", path, plainErr(err))
	}
	_, err = f.WriteAt(data, 0)
	if err == nil {
		err = f.Truncate(int64(len(data)))
	}
	if err == nil {
		err = f.Sync()
	}
	if err != nil {
		_, rerr := f.WriteAt(original, 0)
		if rerr == nil {
			rerr = f.Truncate(int64(len(original)))
		}
		f.Close()
		if rerr != nil {
			return fmt.Errorf("%s: %v; restoring the original content failed too: %v", path, plainErr(err), plainErr(rerr))
		}
		return fmt.Errorf("%s: %v (original content restored)", path, plainErr(err))
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("%s: %v", path, plainErr(err))
	}
	return nil
}

func nlink(st os.FileInfo) uint64 {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return uint64(s.Nlink)
	}
	return 1
}

func keepOwner(f *os.File, st os.FileInfo) {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		_ = f.Chown(int(s.Uid), int(s.Gid)) // best effort: only root may give files away
	}
}
