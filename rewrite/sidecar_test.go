package rewrite

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// ignoreLine is a side-file transform for these tests: on the first COPY it
// makes the ignore file in the context hold the line "secret" (appending
// it, after a newline when the file lacks a final one), unless it already
// does.
var ignoreLine = &Transform{ID: "ignore-line", Run: func(p *Pass) {
	for _, in := range p.Doc.Instructions {
		if in.Cmd != "copy" {
			continue
		}
		path := filepath.Join(p.Settings.ContextDir, ".ignore")
		old, exists, err := p.ReadFile(path)
		if err != nil {
			p.Skip(in, err.Error())
			return
		}
		for _, l := range strings.Split(string(old), "\n") {
			if strings.TrimSpace(l) == "secret" {
				return
			}
		}
		next := append([]byte(nil), old...)
		if len(next) > 0 && next[len(next)-1] != '\n' {
			next = append(next, '\n')
		}
		next = append(next, "secret\n"...)
		if !exists {
			old = nil
		}
		p.FixFile(in, "ignore the secret", path, old, next)
		return
	}
}}

// renameFrom edits the Dockerfile once (FROM a -> FROM b), so that the
// pipeline runs a second round.
var renameFrom = &Transform{ID: "rename-from", Run: func(p *Pass) {
	for _, in := range p.Doc.Instructions {
		if in.Cmd == "from" && strings.HasPrefix(in.Text(p.Doc), "FROM a\n") {
			p.Fix(in, "rename", Edit{Start: in.Start + 5, End: in.Start + 6, New: "b"})
		}
	}
}}

func sideTree(t *testing.T, ignore *string) (dir, dockerfile string) {
	t.Helper()
	dir = t.TempDir()
	dockerfile = filepath.Join(dir, "Dockerfile")
	writeFile(t, dockerfile, "FROM a\nCOPY . /app\n")
	if ignore != nil {
		writeFile(t, filepath.Join(dir, ".ignore"), *ignore)
	}
	return dir, dockerfile
}

func fixSide(t *testing.T, dockerfile string, ts ...*Transform) *Result {
	t.Helper()
	src, err := os.ReadFile(dockerfile)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Fix(dockerfile, src, ts, &Settings{ContextDir: filepath.Dir(dockerfile)})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Internal {
		t.Errorf("internal: %v", e)
	}
	return res
}

func TestSideFileCreated(t *testing.T) {
	dir, df := sideTree(t, nil)
	// renameFrom changes the Dockerfile, so every transform runs a second
	// round: ignoreLine must then see its own pending line, not the disk.
	res := fixSide(t, df, ignoreLine, renameFrom)
	path := filepath.Join(dir, ".ignore")
	c := res.Files[path]
	if len(res.Files) != 1 || c == nil {
		t.Fatalf("Files = %v, want one change to %s", res.Files, path)
	}
	if !c.Created() || string(c.Output) != "secret\n" {
		t.Errorf("change = created %v, %q; want created, %q", c.Created(), c.Output, "secret\n")
	}
	if string(res.Output) != "FROM b\nCOPY . /app\n" {
		t.Errorf("Dockerfile = %q", res.Output)
	}
	var fixed []string
	for _, f := range res.Findings {
		if f.Fixed {
			fixed = append(fixed, f.Transform)
		}
	}
	if strings.Join(fixed, ",") != "ignore-line,rename-from" {
		t.Errorf("fixed findings: %v (want one per transform: the second round repeats nothing)", fixed)
	}
	if !res.FilesChanged() {
		t.Error("FilesChanged() = false")
	}
	if d := res.FilesDiff(); !strings.HasPrefix(d, "diff --git ") ||
		!strings.Contains(d, "\nnew file mode 100644\n--- /dev/null\n+++ b/"+path+"\n@@ -0,0 +1 @@\n+secret\n") {
		t.Errorf("diff of a created file:\n%s", d)
	}
}

func TestSideFileAppendKeepsBytes(t *testing.T) {
	for _, tc := range []struct{ before, after string }{
		{"a\r\n!b\r\n", "a\r\n!b\r\nsecret\n"},
		{"# no final newline", "# no final newline\nsecret\n"},
		{"", "secret\n"},
	} {
		before := tc.before
		dir, df := sideTree(t, &before)
		res := fixSide(t, df, ignoreLine)
		c := res.Files[filepath.Join(dir, ".ignore")]
		if c == nil || c.Created() || string(c.Original) != tc.before || string(c.Output) != tc.after {
			t.Errorf("%q: change = %+v, want %q -> %q", tc.before, c, tc.before, tc.after)
		}
	}
	done := "x\nsecret\n"
	_, df := sideTree(t, &done)
	if res := fixSide(t, df, ignoreLine); res.Files != nil || res.FilesChanged() {
		t.Errorf("a file that already holds the line changed: %+v", res.Files)
	}
}

func TestSideFileSuppressed(t *testing.T) {
	dir := t.TempDir()
	df := filepath.Join(dir, "Dockerfile")
	writeFile(t, df, "FROM a\n# dockopt:ignore=ignore-line\nCOPY . /app\n")
	res := fixSide(t, df, ignoreLine)
	if res.Files != nil {
		t.Errorf("a suppressed finding changed %v", res.Files)
	}
	if len(res.Findings) != 1 || !res.Findings[0].Suppressed || res.Findings[0].Fixed {
		t.Errorf("findings: %+v", res.Findings)
	}
}

// staleTwice changes the Dockerfile and twice the same side file, both
// times against the disk content: the second edit is stale.
var staleTwice = &Transform{ID: "stale-twice", Run: func(p *Pass) {
	in := p.Doc.Instructions[1]
	path := filepath.Join(p.Settings.ContextDir, ".ignore")
	p.Fix(in, "edit", Edit{Start: in.Start, End: in.Start, New: "# x\n"})
	p.FixFile(in, "one", path, nil, []byte("one\n"))
	p.FixFile(in, "two", path, nil, []byte("two\n"))
}}

var panics = &Transform{ID: "panics", Run: func(p *Pass) { panic("boom") }}

func TestSideFileDiscarded(t *testing.T) {
	_, df := sideTree(t, nil)
	src, _ := os.ReadFile(df)
	res, err := Fix(df, src, []*Transform{staleTwice}, &Settings{ContextDir: filepath.Dir(df)})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Internal) != 1 || !strings.Contains(res.Internal[0].Error(), "content other than the current one") {
		t.Errorf("Internal = %v, want the stale side edit reported", res.Internal)
	}
	if res.Files != nil || res.Changed() {
		t.Errorf("a transform with a stale side edit kept changes: files %v, Dockerfile %q", res.Files, res.Output)
	}

	res, err = Fix(df, src, []*Transform{ignoreLine, panics}, &Settings{ContextDir: filepath.Dir(df)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Files != nil || len(res.Internal) != 1 {
		t.Errorf("after a panic: files %v, internal %v; want no side change", res.Files, res.Internal)
	}
}

func TestSideFileRun(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	existing := "old\r\n"
	for _, start := range []*string{nil, &existing} {
		dir, _ := sideTree(t, start)
		run := func(o RunOptions) (string, int) {
			var out, errb bytes.Buffer
			o.Transforms, o.Stdout, o.Stderr, o.Jobs = []*Transform{ignoreLine, renameFrom}, &out, &errb, 1
			code := Run(o, []string{"Dockerfile"})
			return out.String(), code
		}
		chdir(t, dir)

		// --check counts a side-file change; --dry-run shows its diff after
		// the Dockerfile's, and `git apply` accepts the whole patch.
		diff, code := run(RunOptions{Check: true, DryRun: true})
		if code != ExitChanges {
			t.Errorf("check: exit %d, want %d", code, ExitChanges)
		}
		if i, j := strings.Index(diff, "+++ b/Dockerfile"), strings.Index(diff, "+++ b/.ignore"); i < 0 || j < i {
			t.Errorf("dry-run diff lacks the Dockerfile's or the side file's part:\n%s", diff)
		}
		if start == nil && !strings.Contains(diff, "--- /dev/null\n+++ b/.ignore\n") {
			t.Errorf("created file's diff:\n%s", diff)
		}
		applied := t.TempDir()
		copyTree(t, dir, applied)
		writeFile(t, filepath.Join(applied, "p.diff"), diff)
		for _, args := range [][]string{{"init", "-q"}, {"apply", "p.diff"}} {
			cmd := exec.Command("git", args...)
			cmd.Dir = applied
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("git %s: %v\n%s\npatch:\n%s", args, err, out, diff)
			}
		}

		// JSON and SARIF reports carry the side file too.
		js, _ := run(RunOptions{Check: true, Format: "json"})
		var rep JSONReport
		if err := json.Unmarshal([]byte(js), &rep); err != nil || len(rep.Files) != 1 || !rep.Files[0].Changed ||
			!strings.Contains(rep.Files[0].Diff, "+secret") {
			t.Errorf("json report: %v\n%s", err, js)
		}
		sr, _ := run(RunOptions{Check: true, Format: "sarif"})
		if !strings.Contains(sr, `"uri": ".ignore"`) || !strings.Contains(sr, `"text": "secret\n"`) {
			t.Errorf("sarif report lacks the side file's change:\n%s", sr)
		}

		// fix writes both; a second run changes nothing.
		if _, code := run(RunOptions{}); code != ExitOK {
			t.Fatalf("fix: exit %d", code)
		}
		for name, want := range map[string]string{"Dockerfile": "FROM b\nCOPY . /app\n", ".ignore": "secret\n"} {
			if start != nil && name == ".ignore" {
				want = existing + want
			}
			if got, _ := os.ReadFile(filepath.Join(dir, name)); string(got) != want {
				t.Errorf("%s = %q, want %q", name, got, want)
			}
		}
		for _, f := range []string{".ignore", "p.diff"} {
			a, _ := os.ReadFile(filepath.Join(dir, f))
			b, _ := os.ReadFile(filepath.Join(applied, f))
			if f == ".ignore" && !bytes.Equal(a, b) {
				t.Errorf("git apply made %q, dockopt wrote %q", b, a)
			}
		}
		if st, _ := os.Stat(filepath.Join(dir, ".ignore")); start == nil && st.Mode().Perm() != 0o644 {
			t.Errorf("created with mode %v, want 0644", st.Mode().Perm())
		}
		if _, code := run(RunOptions{Check: true}); code != ExitOK {
			t.Errorf("second run: exit %d, want %d (not idempotent)", code, ExitOK)
		}
		leftovers, _ := filepath.Glob(filepath.Join(dir, ".*dockopt-*"))
		if len(leftovers) > 0 {
			t.Errorf("temp files left: %v", leftovers)
		}
	}
}

func TestSideFileWriteConflicts(t *testing.T) {
	// A file created by someone else after dockopt read the context is not
	// overwritten.
	dir, df := sideTree(t, nil)
	res := fixSide(t, df, ignoreLine)
	writeFile(t, filepath.Join(dir, ".ignore"), "theirs\n")
	if _, err := writeResult(df, []byte("FROM a\nCOPY . /app\n"), res); err == nil || !strings.Contains(err.Error(), "not overwritten") {
		t.Errorf("created meanwhile: err = %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, ".ignore")); string(got) != "theirs\n" {
		t.Errorf("file = %q, want it untouched", got)
	}
	if res.FilesChanged() {
		t.Error("an unwritten side file is still reported")
	}

	// An existing file that changed on disk is not overwritten either.
	old := "a\n"
	dir, df = sideTree(t, &old)
	res = fixSide(t, df, ignoreLine)
	writeFile(t, filepath.Join(dir, ".ignore"), "a\nb\n")
	if _, err := writeResult(df, []byte("FROM a\nCOPY . /app\n"), res); err == nil || !strings.Contains(err.Error(), "changed on disk") {
		t.Errorf("changed meanwhile: err = %v", err)
	}

	// A side file that is a symlink is never read (nor written through).
	dir, df = sideTree(t, nil)
	if err := os.Symlink("/etc/hostname", filepath.Join(dir, ".ignore")); err != nil {
		t.Fatal(err)
	}
	src, _ := os.ReadFile(df)
	res, err := Fix(df, src, []*Transform{ignoreLine}, &Settings{ContextDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if res.Files != nil || len(res.Findings) != 1 || !res.Findings[0].LeftAlone || !strings.Contains(res.Findings[0].Message, "not a regular file") {
		t.Errorf("symlinked side file: files %v, findings %+v", res.Files, res.Findings)
	}
}

func TestSideFileEmptyCreatedDiff(t *testing.T) {
	c := &FileChange{Path: "ctx/.ignore", Output: []byte{}}
	if got, want := fileDiff(c), "diff --git a/ctx/.ignore b/ctx/.ignore\nnew file mode 100644\n"; got != want {
		t.Errorf("fileDiff = %q, want %q", got, want)
	}
}

func chdir(t *testing.T, dir string) {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chdir(wd) })
}

func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		writeFile(t, filepath.Join(dst, rel), string(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
