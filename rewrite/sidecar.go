package rewrite

// Side files: a transform may change a file other than the Dockerfile (the
// dockerignore transform creates or extends the build context's ignore
// file). The change is the file's whole new content against the content the
// transform read, recorded in the Finding like a Dockerfile edit. The
// pipeline keeps one view of every side file per Fix call, so a later round
// (or a later transform) reads the pending content rather than the disk and a
// second pass adds nothing: the fixpoint covers side files too. Nothing is
// written before Run has fixed the Dockerfile itself; dry runs and reports
// show the side file's diff after the Dockerfile's.

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"
)

// FileEdit is a finding's change to a side file: its whole new content,
// against the content the transform read (Original nil: the file did not
// exist and is created).
type FileEdit struct {
	Path     string
	Original []byte
	New      []byte
}

// FileChange is what one Fix call did to a side file.
type FileChange struct {
	Path     string
	Original []byte // nil: the file did not exist; it is created
	Output   []byte
}

// Created reports whether the change creates the file.
func (c *FileChange) Created() bool { return c.Original == nil }

// Changed reports whether the file's content changes.
func (c *FileChange) Changed() bool { return c.Original == nil || !bytes.Equal(c.Original, c.Output) }

// sideFiles is one Fix call's view of the side files its transforms read or
// changed, by cleaned path.
type sideFiles struct {
	m map[string]*FileChange
}

func newSideFiles() *sideFiles { return &sideFiles{m: map[string]*FileChange{}} }

// ReadFile returns a side file's content as this run sees it: with the
// changes of earlier transforms and rounds, else as on disk. exists is false
// (and content nil) when the file does not exist. A file that is not a
// regular file (a directory, a symlink, a device) is an error: side files
// are never written through a link.
func (p *Pass) ReadFile(path string) (content []byte, exists bool, err error) {
	path = filepath.Clean(path)
	if p.side != nil {
		if c, ok := p.side.m[path]; ok {
			return c.Output, c.Output != nil, nil
		}
	}
	st, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if !st.Mode().IsRegular() {
		return nil, false, fmt.Errorf("%s: not a regular file", path)
	}
	if st.Size() > MaxFileSize {
		return nil, false, fmt.Errorf("%s: over the %d-byte limit", path, MaxFileSize)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, false, err
	}
	if b == nil {
		b = []byte{}
	}
	return b, true, nil
}

// FixFile reports a finding on in whose fix changes the file at path (not
// the Dockerfile) from original, as the transform read it with ReadFile (nil:
// the file does not exist), to content. The finding counts as fixed once the
// pipeline accepts it; a suppressed finding changes nothing.
func (p *Pass) FixFile(in *Instruction, msg, path string, original, content []byte) {
	if content == nil {
		content = []byte{}
	}
	p.findings = append(p.findings, Finding{
		Transform: p.Transform.ID, Line: in.StartLine, EndLine: in.EndLine,
		Severity: SeverityWarning, Message: msg,
		Files: []FileEdit{{Path: filepath.Clean(path), Original: original, New: content}},
	})
}

// commit applies the side-file edits of findings that were not suppressed,
// in order, and marks their findings fixed. Every edit is checked before any
// is applied: one made against content other than the pending one (stale) is
// an error and nothing is applied. changed is true when a file's pending
// content changed.
func (s *sideFiles) commit(docPath string, t *Transform, findings []Finding) (changed bool, err error) {
	next := map[string][]byte{} // pending content as the edits so far leave it
	for _, f := range findings {
		if f.Suppressed {
			continue
		}
		for _, e := range f.Files {
			cur, seen := next[e.Path]
			if !seen {
				if c, ok := s.m[e.Path]; ok {
					cur, seen = c.Output, true
				}
			}
			// Unseen, the file is as the transform read it from disk (WriteFile
			// checks that again before writing).
			if seen && (!bytes.Equal(cur, e.Original) || (cur == nil) != (e.Original == nil)) {
				return false, fmt.Errorf("%s: internal error: transform %s changed %s from content other than the current one; its changes were discarded", docPath, t.ID, e.Path)
			}
			next[e.Path] = e.New
		}
	}
	for i := range findings {
		f := &findings[i]
		if f.Suppressed {
			continue
		}
		for _, e := range f.Files {
			c, ok := s.m[e.Path]
			if !ok {
				c = &FileChange{Path: e.Path, Original: e.Original, Output: e.Original}
				s.m[e.Path] = c
			}
			if !bytes.Equal(c.Output, e.New) || c.Output == nil {
				c.Output = e.New
				changed = true
				f.Fixed = true
			}
		}
	}
	return changed, nil
}

// changes lists the side files whose content changed, or nil.
func (s *sideFiles) changes() map[string]*FileChange {
	var out map[string]*FileChange
	for p, c := range s.m {
		if c.Changed() {
			if out == nil {
				out = map[string]*FileChange{}
			}
			out[p] = c
		}
	}
	return out
}

// FilesChanged reports whether the run changes a side file.
func (r *Result) FilesChanged() bool {
	for _, c := range r.Files {
		if c.Changed() {
			return true
		}
	}
	return false
}

// sortedFiles are the changed side files, by path.
func (r *Result) sortedFiles() []*FileChange {
	var out []*FileChange
	for _, c := range r.Files {
		if c.Changed() {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// FilesDiff is the unified diff of the changed side files, by path: a
// created file as `git apply` and `patch -p1` create it (`--- /dev/null`).
func (r *Result) FilesDiff() string {
	var sb strings.Builder
	for _, c := range r.sortedFiles() {
		sb.WriteString(fileDiff(c))
	}
	return sb.String()
}

func fileDiff(c *FileChange) string {
	if !c.Created() {
		return UnifiedDiff(c.Path, c.Original, c.Output)
	}
	name := strings.TrimPrefix(c.Path, "./")
	if len(c.Output) == 0 {
		// An empty new file has no hunk; git's own header says it all.
		return fmt.Sprintf("diff --git a/%s b/%s\nnew file mode 100644\n", name, name)
	}
	d := UnifiedDiff(c.Path, nil, c.Output)
	_, hunks, _ := strings.Cut(d, "\n+++ ")
	_, hunks, _ = strings.Cut(hunks, "\n")
	return fmt.Sprintf("diff --git a/%s b/%s\nnew file mode 100644\n--- /dev/null\n+++ b/%s\n%s", name, name, name, hunks)
}

// WriteFiles writes the changed side files of res: an existing file with
// WriteFile (atomic, mode kept, refused when it changed on disk since it was
// read), a new one with mode 0644 through a temp file that is linked into
// place, so that a file created meanwhile is never overwritten. It stops at
// the first error, and takes the files it did not write out of res.Files.
func WriteFiles(res *Result) error {
	files := res.sortedFiles()
	for i, c := range files {
		var err error
		if c.Created() {
			err = createFile(c.Path, c.Output)
		} else {
			err = WriteFile(c.Path, c.Original, c.Output)
		}
		if err != nil {
			for _, u := range files[i:] {
				delete(res.Files, u.Path)
			}
			return err
		}
	}
	return nil
}

// createFile writes a new file at path, mode 0644; it fails, writing
// nothing, when the name exists.
func createFile(path string, data []byte) error {
	name, err := writeTemp(path, path, data, 0o644, nil)
	if err != nil {
		return err
	}
	// link, unlike rename, fails when the name exists; the temporary name
	// goes either way.
	err = os.Link(name, path)
	dropTemp(name, true)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s: created by someone else while dockopt was working; not overwritten", path)
		}
		return fmt.Errorf("%s: %v", path, plainErr(err))
	}
	return nil
}

// sideArtifactChanges are the SARIF artifact changes of res's side files.
func sideArtifactChanges(res *Result) []*sarif.ArtifactChange {
	var out []*sarif.ArtifactChange
	for _, c := range res.sortedFiles() {
		change := sarif.NewArtifactChange().WithArtifactLocation(sarif.NewSimpleArtifactLocation(repoURI(c.Path)).WithURIBaseID("%SRCROOT%"))
		for _, h := range LineHunks(c.Original, c.Output) {
			region := sarif.NewRegion().WithStartLine(h.OldStart).WithStartColumn(1).
				WithEndLine(h.OldEnd).WithEndColumn(1)
			change.AddReplacement(sarif.NewReplacement().WithDeletedRegion(region).
				WithInsertedContent(sarif.NewArtifactContent().WithText(h.New)))
		}
		out = append(out, change)
	}
	return out
}

// addSideChanges adds res's side-file changes to fix (created when nil).
func addSideChanges(fix *sarif.Fix, res *Result) *sarif.Fix {
	changes := sideArtifactChanges(res)
	if len(changes) == 0 {
		return fix
	}
	if fix == nil {
		fix = sarif.NewFix().WithDescription(sarif.NewTextMessage("dockopt fix"))
	}
	for _, c := range changes {
		fix.AddArtifactChange(c)
	}
	return fix
}

// writeResult writes res: the Dockerfile when it changed, then the side
// files. What could not be written is taken out of res (its Output set back
// to Input, its Files dropped), so reports show what is on disk. wrote is
// true when anything was written.
func writeResult(path string, src []byte, res *Result) (wrote bool, err error) {
	if res.Changed() {
		if err := WriteFile(path, src, res.Output); err != nil {
			res.Output, res.Files = res.Input, nil
			return false, err
		}
	}
	err = WriteFiles(res)
	return res.Changed() || res.FilesChanged(), err
}
