package verify

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestCopySources(t *testing.T) {
	cases := []struct {
		src   string
		whole bool
		named []string
	}{
		{"FROM a\nCOPY . .\n", true, nil},
		{"FROM a\nCOPY ./ /app/\n", true, nil},
		{"FROM a\nADD . /src\n", true, nil},
		{"FROM a\nCOPY package.json package-lock.json ./\nCOPY src/ ./src/\n", false, []string{"package.json", "package-lock.json", "src"}},
		{"FROM a AS b\nFROM a\nCOPY --from=b . .\nCOPY ./req*.txt .\n", false, []string{"req*.txt"}},
		{"FROM a\nADD https://example.com/x.tgz /x\nCOPY <<EOF /f\nhi\nEOF\n", false, nil},
	}
	for _, c := range cases {
		whole, named, err := copySources([]byte(c.src))
		if err != nil || whole != c.whole || !reflect.DeepEqual(named, c.named) {
			t.Errorf("%q: whole %v named %q err %v; want %v %q", c.src, whole, named, err, c.whole, c.named)
		}
	}
}

func TestCopyContextKeepsModesLinksAndBringsBackExceptions(t *testing.T) {
	src := t.TempDir()
	write := func(rel, content string, mode os.FileMode) {
		p := filepath.Join(src, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
	}
	write("run.sh", "#!/bin/sh\n", 0o755)
	write("node_modules/a/index.js", "x", 0o644)
	write("logs/keep.log", "k", 0o644)
	write("logs/drop.log", "d", 0o644)
	if err := os.Symlink("run.sh", filepath.Join(src, "link")); err != nil {
		t.Fatal(err)
	}
	pm, err := ignoreMatcher([]byte("node_modules\nlogs\n!logs/keep.log\n"))
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "ctx")
	if err := copyContext(src, dst, pm); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(filepath.Join(dst, "run.sh")); err != nil || st.Mode().Perm() != 0o755 {
		t.Errorf("run.sh: %v %v; want mode 0755", st, err)
	}
	if l, err := os.Readlink(filepath.Join(dst, "link")); err != nil || l != "run.sh" {
		t.Errorf("link: %q %v", l, err)
	}
	if _, err := os.Stat(filepath.Join(dst, "logs/keep.log")); err != nil {
		t.Errorf("logs/keep.log, brought back by !logs/keep.log, is missing: %v", err)
	}
	for _, gone := range []string{"logs/drop.log", "node_modules/a/index.js"} {
		if _, err := os.Stat(filepath.Join(dst, gone)); err == nil {
			t.Errorf("%s was copied although excluded", gone)
		}
	}
}

func TestEditTargetWithoutWholeCopy(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a"), []byte("a"), 0o644)
	if _, err := editTarget([]byte("FROM x\nCOPY a /a\n"), dir, "", nil); err != errNoWholeCopy {
		t.Errorf("err = %v, want errNoWholeCopy", err)
	}
	// Every file is a manifest: one of them is still edited.
	got, err := editTarget([]byte("FROM x\nCOPY a /a\nCOPY . /src\n"), dir, "", nil)
	if err != nil || got != "a" {
		t.Errorf("got %q %v, want a", got, err)
	}
}

func TestEditLine(t *testing.T) {
	want := "\n \t \t" + strings.Repeat(" ", 29) + "\n"
	if got := string(editLine(0b101)); got != want {
		t.Errorf("editLine(5) = %q, want %q", got, want)
	}
	if string(editLine(1)) == string(editLine(2)) {
		t.Errorf("two nonces, one edit")
	}
}

func TestEditTargetPrefersText(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.png"), []byte("\x89PNG\x00\x00"), 0o644)
	os.WriteFile(filepath.Join(dir, "b.py"), []byte("print(1)\n"), 0o644)
	if got, err := editTarget([]byte("FROM x\nCOPY . .\n"), dir, "", nil); err != nil || got != "b.py" {
		t.Errorf("got %q %v, want the text file b.py", got, err)
	}
}

// The result may come with a new .dockerignore: the edited file must be in
// both versions' contexts, and version-control metadata is never edited.
func TestEditTargetInBothContexts(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, ".git"), 0o755)
	os.MkdirAll(filepath.Join(dir, "build"), 0o755)
	os.WriteFile(filepath.Join(dir, ".git", "HEAD"), []byte("ref: refs/heads/main\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "build", "a.log"), []byte("log\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "main.py"), []byte("print(1)\n"), 0o644)
	df := []byte("FROM x\nCOPY . .\n")
	resultIgnore, err := ignoreMatcher([]byte("build\n.git\n"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := editTarget(df, dir, "", nil, resultIgnore)
	if err != nil || got != "main.py" {
		t.Errorf("got %q %v, want main.py (build/ is left out of the result's context, .git is metadata)", got, err)
	}
	// Without the result's ignore file, build/a.log is the first text file.
	if got, err := editTarget(df, dir, ""); err != nil || got != "build/a.log" {
		t.Errorf("got %q %v, want build/a.log", got, err)
	}
}
