package rewrite

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func inode(t *testing.T, p string) uint64 {
	t.Helper()
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return st.Sys().(*syscall.Stat_t).Ino
}

// tempFiles lists the dockopt temp files under dir.
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), ".dockopt-") {
			out = append(out, p)
		}
		return nil
	})
	return out
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "Dockerfile")
	write(t, p, goodIn)
	if err := os.Chmod(p, 0o640); err != nil {
		t.Fatal(err)
	}
	before := inode(t, p)
	if err := WriteFile(p, []byte(goodIn), []byte(goodOut)); err != nil {
		t.Fatal(err)
	}
	if got := read(t, p); got != goodOut {
		t.Errorf("content %q", got)
	}
	st, _ := os.Stat(p)
	if st.Mode() != 0o640 {
		t.Errorf("mode %v, want -rw-r-----", st.Mode())
	}
	if inode(t, p) == before {
		t.Errorf("same inode: not replaced by rename")
	}
	if tmp := tempFiles(t, dir); tmp != nil {
		t.Errorf("temp files left: %v", tmp)
	}
}

func TestWriteFileLongName(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, strings.Repeat("x", 240)+".Dockerfile") // 251 bytes: the name limit is 255
	write(t, p, goodIn)
	if err := WriteFile(p, []byte(goodIn), []byte(goodOut)); err != nil {
		t.Fatal(err)
	}
	if got := read(t, p); got != goodOut {
		t.Errorf("content %q", got)
	}
}

func TestWriteFileSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "real", "Dockerfile")
	os.Mkdir(filepath.Dir(target), 0o755)
	write(t, target, goodIn)
	link := filepath.Join(dir, "Dockerfile")
	if err := os.Symlink("real/Dockerfile", link); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(link, []byte(goodIn), []byte(goodOut)); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("link is no longer a symlink: %v %v", st.Mode(), err)
	}
	if dest, _ := os.Readlink(link); dest != "real/Dockerfile" {
		t.Errorf("link points to %q", dest)
	}
	if got := read(t, target); got != goodOut {
		t.Errorf("target content %q", got)
	}
}

func TestWriteFileHardLinks(t *testing.T) {
	for _, c := range []struct{ name, in, out string }{
		{"grows", goodIn, goodOut},
		{"shrinks", goodOut, goodIn},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			a, b := filepath.Join(dir, "a.Dockerfile"), filepath.Join(dir, "b.Dockerfile")
			write(t, a, c.in)
			if err := os.Link(a, b); err != nil {
				t.Fatal(err)
			}
			ino := inode(t, a)
			if err := WriteFile(a, []byte(c.in), []byte(c.out)); err != nil {
				t.Fatal(err)
			}
			if inode(t, a) != ino || inode(t, b) != ino {
				t.Errorf("links no longer shared")
			}
			if got := read(t, b); got != c.out {
				t.Errorf("other link reads %q", got)
			}
			if tmp := tempFiles(t, dir); tmp != nil {
				t.Errorf("temp files left: %v", tmp)
			}
		})
	}
}

func TestWriteFileRefuses(t *testing.T) {
	dir := t.TempDir()
	ro := filepath.Join(dir, "ro.Dockerfile")
	write(t, ro, goodIn)
	os.Chmod(ro, 0o444)
	err := WriteFile(ro, []byte(goodIn), []byte(goodOut))
	if err == nil || err.Error() != ro+": file is read-only; not overwritten" {
		t.Errorf("read-only: %v", err)
	}
	if got := read(t, ro); got != goodIn {
		t.Errorf("read-only file written")
	}

	// The file changed on disk after it was read: not overwritten.
	stale := filepath.Join(dir, "stale.Dockerfile")
	write(t, stale, "FROM b\n")
	err = WriteFile(stale, []byte(goodIn), []byte(goodOut))
	if err == nil || err.Error() != stale+": changed on disk while dockopt was working on it; not overwritten" {
		t.Errorf("stale: %v", err)
	}
	if got := read(t, stale); got != "FROM b\n" {
		t.Errorf("changed file overwritten")
	}
	if err := WriteFile(filepath.Join(dir, "gone"), []byte(goodIn), []byte(goodOut)); err == nil {
		t.Errorf("missing file: no error")
	}
	if tmp := tempFiles(t, dir); tmp != nil {
		t.Errorf("temp files left: %v", tmp)
	}
}

// TestRunWriteErrors: a file that cannot be written gets an error and exit
// 2; the other files are still written.
func TestRunWriteErrors(t *testing.T) {
	dir := t.TempDir()
	ro, good := filepath.Join(dir, "a.Dockerfile"), filepath.Join(dir, "b.Dockerfile")
	write(t, ro, goodIn)
	write(t, good, goodIn)
	os.Chmod(ro, 0o444)
	code, _, stderr := runFix(t, RunOptions{Transforms: []*Transform{appendAll}}, dir)
	if code != ExitError || stderr != ro+": file is read-only; not overwritten\n" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if read(t, ro) != goodIn || read(t, good) != goodOut {
		t.Errorf("contents: %q, %q", read(t, ro), read(t, good))
	}
}

// TestWalkStaysInRoot: a symlinked directory inside the root is not
// followed; a symlink to a file is (its target is written, by design).
func TestWalkStaysInRoot(t *testing.T) {
	dir := t.TempDir()
	root, outside := filepath.Join(dir, "root"), filepath.Join(dir, "outside")
	for _, d := range []string{filepath.Join(root, "sub"), outside} {
		os.MkdirAll(d, 0o755)
	}
	write(t, filepath.Join(root, "sub", "Dockerfile"), goodIn)
	write(t, filepath.Join(outside, "Dockerfile"), goodIn)
	write(t, filepath.Join(outside, "linked.Dockerfile"), goodIn)
	if err := os.Symlink(outside, filepath.Join(root, "out")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../outside", filepath.Join(root, "sub", "rel")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "linked.Dockerfile"), filepath.Join(root, "file.Dockerfile")); err != nil {
		t.Fatal(err)
	}
	var got []string
	if err := Walk(root, func(p string) { got = append(got, strings.TrimPrefix(p, root+"/")) }); err != nil {
		t.Fatal(err)
	}
	sort.Strings(got)
	if want := []string{"file.Dockerfile", "sub/Dockerfile"}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("walk found %q, want %q", got, want)
	}
	code, _, stderr := runFix(t, RunOptions{Transforms: []*Transform{appendAll}}, root)
	if code != ExitOK || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if read(t, filepath.Join(outside, "Dockerfile")) != goodIn {
		t.Errorf("a file outside the root, reached through a directory symlink, was written")
	}
	if read(t, filepath.Join(root, "sub", "Dockerfile")) != goodOut {
		t.Errorf("the file inside the root was not written")
	}
}

// Helper processes: the test binary re-run with DOCKOPT_TEST_HELPER set
// runs Run in a process of its own, which a test may limit or signal.

// growAll makes every RUN about 4 KB longer.
var growAll = &Transform{ID: "grow-all", Run: func(p *Pass) {
	for _, in := range p.Doc.Instructions {
		sh, err := p.Doc.Shell(in)
		if err != nil || strings.Contains(sh.Body, "echo grown") {
			continue
		}
		if e, err := sh.AppendCommand("echo grown " + strings.Repeat("x", 4000)); err == nil {
			p.Fix(in, "grow", e)
		}
	}
}}

// relabel turns `LABEL v=old` into `LABEL v=new`: cheap on large files.
var relabel = &Transform{ID: "relabel", Run: func(p *Pass) {
	for _, in := range p.Doc.Instructions {
		if t := in.Text(p.Doc); t == "LABEL v=old\n" {
			p.Fix(in, "relabel", Edit{Start: in.Start, End: in.End, New: "LABEL v=new\n"})
		}
	}
}}

func TestHelperProcess(t *testing.T) {
	mode := os.Getenv("DOCKOPT_TEST_HELPER")
	if mode == "" {
		t.Skip("a helper process for other tests")
	}
	paths := strings.Split(os.Getenv("DOCKOPT_TEST_PATHS"), "\n")
	o := RunOptions{Quiet: true, Jobs: 2, Stdout: os.Stdout, Stderr: os.Stderr}
	switch mode {
	case "fsize":
		n, _ := strconv.ParseUint(os.Getenv("DOCKOPT_TEST_FSIZE"), 10, 64)
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: n, Max: n}); err != nil {
			fmt.Fprintln(os.Stderr, "setrlimit:", err)
			os.Exit(99)
		}
		o.Transforms = []*Transform{growAll}
	case "signal":
		o.Transforms = []*Transform{relabel}
	}
	os.Exit(Run(o, paths))
}

func helper(t *testing.T, mode string, env []string, paths ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), append(env, "DOCKOPT_TEST_HELPER="+mode, "DOCKOPT_TEST_PATHS="+strings.Join(paths, "\n"))...)
	return cmd
}

// TestWriteFailureCleansUp: a write that fails part way (here: the file size
// limit, as a full disk would) leaves the file as it was and no temp file,
// on the atomic path and on the in-place path for hard-linked files.
func TestWriteFailureCleansUp(t *testing.T) {
	dir := t.TempDir()
	in := "FROM a\nRUN a\nRUN b\n"
	atomic, linked, link := filepath.Join(dir, "a.Dockerfile"), filepath.Join(dir, "b.Dockerfile"), filepath.Join(dir, "c.Dockerfile")
	small := filepath.Join(dir, "d.Dockerfile")
	write(t, atomic, in)
	write(t, linked, in)
	write(t, small, "FROM a\nRUN a\n") // grows under the limit: still written
	if err := os.Link(linked, link); err != nil {
		t.Fatal(err)
	}
	// 6 KB: each output is about 8 KB.
	out, err := helper(t, "fsize", []string{"DOCKOPT_TEST_FSIZE=6144"}, atomic, linked, small).CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != ExitError {
		t.Fatalf("exit: %v\n%s", err, out)
	}
	want := atomic + ": file too large\n" + linked + ": file too large (original content restored)\n"
	if string(out) != want {
		t.Errorf("output %q\nwant   %q", out, want)
	}
	for _, p := range []string{atomic, linked, link} {
		if got := read(t, p); got != in {
			t.Errorf("%s: %.80q", filepath.Base(p), got)
		}
	}
	if inode(t, linked) != inode(t, link) {
		t.Errorf("hard links split")
	}
	if got := read(t, small); !strings.Contains(got, "echo grown") {
		t.Errorf("the file within the limit was not written: %q", got)
	}
	if tmp := tempFiles(t, dir); tmp != nil {
		t.Errorf("temp files left: %v", tmp)
	}
}

// TestSignalCleansUp interrupts a run over many large files while it writes
// them: no temp file is left, every file is either untouched or completely
// rewritten, and the exit status is 128+signal.
func TestSignalCleansUp(t *testing.T) {
	if testing.Short() {
		t.Skip("writes ~60 MB")
	}
	pad := strings.Repeat("# "+strings.Repeat("p", 60)+"\n", 1<<20/63)
	in, out := "FROM a\nLABEL v=old\n"+pad, "FROM a\nLABEL v=new\n"+pad
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			const n = 30
			for i := 0; i < n; i++ {
				write(t, filepath.Join(dir, fmt.Sprintf("%02d.Dockerfile", i)), in)
			}
			cmd := helper(t, "signal", nil, dir)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Signal as soon as a temp file shows up (or after 20 s).
			caught := false
			deadline := time.Now().Add(20 * time.Second)
			for !caught && time.Now().Before(deadline) {
				ents, _ := os.ReadDir(dir)
				for _, e := range ents {
					if strings.Contains(e.Name(), ".dockopt-") {
						caught = true
					}
				}
			}
			cmd.Process.Signal(sig)
			err := cmd.Wait()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 128+int(sig) {
				t.Fatalf("exit: %v, want status %d", err, 128+int(sig))
			}
			if tmp := tempFiles(t, dir); tmp != nil {
				t.Errorf("temp files left: %v", tmp)
			}
			rewritten := 0
			for i := 0; i < n; i++ {
				switch read(t, filepath.Join(dir, fmt.Sprintf("%02d.Dockerfile", i))) {
				case out:
					rewritten++
				case in:
				default:
					t.Errorf("file %d is neither the original nor the rewrite", i)
				}
			}
			t.Logf("temp file seen before the signal: %v; %d of %d files rewritten", caught, rewritten, n)
			if !caught || rewritten == n {
				t.Errorf("the signal did not arrive while files were being written")
			}
		})
	}
}
