package golden

// The corpus test runs every transform over golden/corpus/, a collection of
// real-world-style Dockerfiles (official images, app samples, Windows images,
// parser oddities), and checks the engine's promises on each one, with
// checks written independently of the engine's own:
//
//   - no panic and no Result.Internal error;
//   - every output parses with BuildKit;
//   - a second run changes nothing;
//   - every comment line survives (as a multiset of trimmed lines);
//   - line endings, a missing final newline, a BOM and the parser directives
//     (# escape, # syntax, # check) are kept;
//   - the printed unified diff, applied to the input with git apply and
//     patch -p1, gives the output.
//
// It runs the default pipeline, every transform together (--only <all IDs>),
// and each transform alone, and logs how many corpus files each transform
// changed. Unlike the golden cases there are no expected outputs here: the
// corpus is about the invariants holding on inputs nobody wrote for a
// particular transform.

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/dockopt/dockopt/rewrite"
	"github.com/dockopt/dockopt/transforms"
)

const (
	minCorpus        = 120
	minCorpusCRLF    = 10
	minCorpusWindows = 5
	// minChangedShare is the least share of corpus files the default
	// pipeline must change: fewer means the corpus is too tame or the
	// transforms stopped matching real-world files.
	minChangedShare = 0.30
)

var bom = []byte("\xef\xbb\xbf")

func corpusFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("corpus", "*.Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}

// TestCorpusShape keeps the corpus as varied as it was meant to be.
func TestCorpusShape(t *testing.T) {
	files := corpusFiles(t)
	if len(files) < minCorpus {
		t.Errorf("corpus has %d files, want at least %d", len(files), minCorpus)
	}
	var crlf, windows, bomFiles, noFinal, heredoc int
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if crlfOnly(src) {
			crlf++
		}
		if bytes.Contains(src, []byte("mcr.microsoft.com/windows")) || bytes.Contains(src, []byte("# escape=`")) {
			windows++
		}
		if bytes.HasPrefix(src, bom) {
			bomFiles++
		}
		if len(src) > 0 && src[len(src)-1] != '\n' {
			noFinal++
		}
		if bytes.Contains(src, []byte("<<EOF")) {
			heredoc++
		}
		if _, err := rewrite.Parse(f, src); err != nil {
			t.Errorf("BuildKit rejects a corpus file: %v", err)
		}
	}
	if crlf < minCorpusCRLF {
		t.Errorf("corpus has %d CRLF-only files, want at least %d", crlf, minCorpusCRLF)
	}
	if windows < minCorpusWindows {
		t.Errorf("corpus has %d Windows files, want at least %d", windows, minCorpusWindows)
	}
	if bomFiles == 0 || noFinal == 0 || heredoc == 0 {
		t.Errorf("corpus lacks a BOM file (%d), a file without final newline (%d) or a heredoc (%d)", bomFiles, noFinal, heredoc)
	}
}

// pipeline is a named list of transforms the corpus runs through.
type pipeline struct {
	name  string
	suite []*rewrite.Transform
}

func corpusPipelines(t *testing.T) (def pipeline, all pipeline, singles []pipeline) {
	t.Helper()
	d, err := rewrite.Select(transforms.Suite, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, tr := range transforms.Suite {
		ids = append(ids, tr.ID)
	}
	a := []*rewrite.Transform{}
	if len(ids) > 0 {
		if a, err = rewrite.Select(transforms.Suite, ids, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	if len(a) != len(transforms.Suite) {
		t.Fatalf("--only with every ID selected %d of %d transforms", len(a), len(transforms.Suite))
	}
	for _, tr := range transforms.Suite {
		singles = append(singles, pipeline{name: "only-" + tr.ID, suite: []*rewrite.Transform{tr}})
	}
	return pipeline{"default", d}, pipeline{"all", a}, singles
}

func TestCorpus(t *testing.T) {
	files := corpusFiles(t)
	if len(files) == 0 {
		t.Fatal("no corpus files")
	}
	def, all, singles := corpusPipelines(t)
	tools := diffTools()
	if len(tools) == 0 {
		t.Log("neither git nor patch found: the diff-apply check is skipped")
	}

	// changed[pipeline][file], filled by the parallel subtests.
	var mu sync.Mutex
	changed := map[string]map[string]bool{}
	fixedBy := map[string]map[string]bool{} // transform ID -> files (in "all")
	record := func(p string, f string, res *rewrite.Result) {
		mu.Lock()
		defer mu.Unlock()
		if changed[p] == nil {
			changed[p] = map[string]bool{}
		}
		if res.Changed() {
			changed[p][f] = true
		}
		if p == "all" {
			for _, fd := range res.Findings {
				if fd.Fixed {
					if fixedBy[fd.Transform] == nil {
						fixedBy[fd.Transform] = map[string]bool{}
					}
					fixedBy[fd.Transform][f] = true
				}
			}
		}
	}

	t.Run("files", func(t *testing.T) {
		for _, f := range files {
			f := f
			t.Run(strings.TrimSuffix(filepath.Base(f), ".Dockerfile"), func(t *testing.T) {
				t.Parallel()
				src, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range append([]pipeline{def, all}, singles...) {
					res := checkCorpusFile(t, p, f, src, tools)
					if res != nil {
						record(p.name, f, res)
					}
				}
			})
		}
	})

	n := len(files)
	for _, p := range append([]pipeline{def, all}, singles...) {
		t.Logf("%-40s changed %3d of %d corpus files", p.name, len(changed[p.name]), n)
	}
	for _, tr := range transforms.Suite {
		t.Logf("%-40s fixed something in %3d files (all transforms together)", tr.ID, len(fixedBy[tr.ID]))
	}
	if len(def.suite) == 0 {
		t.Logf("the default pipeline is empty: the %.0f%% changed-files floor is not checked", 100*minChangedShare)
		return
	}
	if got := float64(len(changed["default"])) / float64(n); got < minChangedShare {
		t.Errorf("the default pipeline changed %d of %d corpus files (%.1f%%), want at least %.0f%%: the corpus is too tame or the transforms stopped matching",
			len(changed["default"]), n, 100*got, 100*minChangedShare)
	}
}

// checkCorpusFile runs p over one file and checks every invariant. It
// returns nil when the run itself failed.
func checkCorpusFile(t *testing.T, p pipeline, path string, src []byte, tools []string) (res *rewrite.Result) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf("[%s] %s: %s", p.name, path, fmt.Sprintf(format, args...))
	}
	res, err := fixNoPanic(path, src, p.suite)
	if err != nil {
		fail("%v", err)
		return nil
	}
	for _, e := range res.Internal {
		fail("internal error: %v", e)
	}
	out := res.Output
	if !bytes.Equal(res.Input, src) {
		fail("Result.Input is not the input")
	}
	if _, err := rewrite.Parse(path, out); err != nil {
		fail("output does not parse: %v\n%s", err, rewrite.UnifiedDiff(path, src, out))
		return res
	}
	again, err := fixNoPanic(path, out, p.suite)
	if err != nil {
		fail("second run: %v", err)
	} else if again.Changed() {
		fail("second run changed the output (not idempotent):\n%s", rewrite.UnifiedDiff(path, out, again.Output))
	}
	if !res.Changed() {
		return res
	}
	for _, msg := range layoutProblems(src, out) {
		fail("%s\n%s", msg, rewrite.UnifiedDiff(path, src, out))
	}
	for _, tool := range tools {
		got, err := applyDiff(t, tool, "corpus/"+filepath.Base(path), src, rewrite.UnifiedDiff("corpus/"+filepath.Base(path), src, out))
		if err != nil {
			fail("%s rejects the printed diff: %v", tool, err)
		} else if !bytes.Equal(got, out) {
			fail("the diff applied with %s does not give the output: got\n%q\nwant\n%q", tool, got, out)
		}
	}
	return res
}

// fixNoPanic runs rewrite.Fix and turns an engine panic (transform panics
// are the engine's to catch) into an error.
func fixNoPanic(path string, src []byte, suite []*rewrite.Transform) (res *rewrite.Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	return rewrite.Fix(path, src, suite, &rewrite.Settings{})
}

// layoutProblems lists what the output lost of the input's bytes that
// transforms must never touch.
func layoutProblems(in, out []byte) []string {
	var msgs []string
	if lost := lostComment(in, out); lost != "" {
		msgs = append(msgs, fmt.Sprintf("comment line lost: %q", lost))
	}
	if crlfOnly(in) && bytes.Contains(bytes.ReplaceAll(out, []byte("\r\n"), nil), []byte("\n")) {
		msgs = append(msgs, "CRLF file got a bare \\n line ending")
	}
	if !bytes.Contains(in, []byte("\r")) && bytes.Contains(out, []byte("\r")) {
		msgs = append(msgs, "LF file got a \\r")
	}
	if endsNL := len(in) > 0 && in[len(in)-1] == '\n'; endsNL != (len(out) > 0 && out[len(out)-1] == '\n') {
		msgs = append(msgs, fmt.Sprintf("final newline changed (input ends with one: %v)", endsNL))
	}
	if bytes.HasPrefix(in, bom) != bytes.HasPrefix(out, bom) {
		msgs = append(msgs, "BOM added or dropped")
	}
	if a, b := directives(in), directives(out); a != b {
		msgs = append(msgs, fmt.Sprintf("parser directives changed: %q -> %q", a, b))
	}
	return msgs
}

func crlfOnly(src []byte) bool {
	return bytes.Contains(src, []byte("\r\n")) &&
		!bytes.Contains(bytes.ReplaceAll(src, []byte("\r\n"), nil), []byte("\n"))
}

// reDirective is a parser directive line (# escape=`, # syntax=..., # check=...),
// as BuildKit recognises them at the top of a file.
var reDirective = regexp.MustCompile(`^#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.+?)[ \t]*\r?\n?$`)

// directives is the file's leading run of parser-directive lines, bytes as
// written (line endings included).
func directives(src []byte) string {
	src = bytes.TrimPrefix(src, bom)
	var sb strings.Builder
	for _, l := range strings.SplitAfter(string(src), "\n") {
		m := reDirective.FindStringSubmatch(l)
		if m == nil {
			break
		}
		switch strings.ToLower(m[1]) {
		case "escape", "syntax", "check":
			sb.WriteString(l)
		default:
			return sb.String()
		}
	}
	return sb.String()
}

// diffTools are the diff appliers available here: git apply and patch -p1.
func diffTools() []string {
	var tools []string
	for _, tool := range []string{"git", "patch"} {
		if _, err := exec.LookPath(tool); err == nil {
			tools = append(tools, tool)
		}
	}
	return tools
}

// applyDiff writes src to name under a temp dir, applies diff there with
// tool (git apply, or patch -p1) and returns the patched file.
func applyDiff(t *testing.T, tool, name string, src []byte, diff string) ([]byte, error) {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(file, src, 0o644); err != nil {
		return nil, err
	}
	var cmd *exec.Cmd
	if tool == "git" {
		cmd = exec.Command("git", "apply", "--whitespace=nowarn", "-")
		// Never let git find a repository above the temp dir.
		cmd.Env = append(os.Environ(), "GIT_CEILING_DIRECTORIES="+filepath.Dir(dir))
	} else {
		cmd = exec.Command("patch", "-p1", "--quiet", "--no-backup-if-mismatch")
	}
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(diff)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("%v: %s\ndiff:\n%s", err, msg, diff)
	}
	return os.ReadFile(file)
}

// TestCorpusCheckers makes sure the corpus checks can fail: each broken
// output below must be caught.
func TestCorpusCheckers(t *testing.T) {
	crlf := []byte("# syntax=docker/dockerfile:1\r\nFROM alpine\r\n# keep me\r\nCMD echo hi\r\n")
	cases := []struct {
		name    string
		in, out []byte
		want    string
	}{
		{"lost comment", crlf, []byte("# syntax=docker/dockerfile:1\r\nFROM alpine\r\nCMD echo hi\r\n"), "comment line lost"},
		{"bare LF", crlf, []byte("# syntax=docker/dockerfile:1\r\nFROM alpine\r\n# keep me\r\nCMD [\"echo\", \"hi\"]\n"), "bare \\n"},
		{"CR in LF file", []byte("FROM a\nCMD x\n"), []byte("FROM a\r\nCMD x\n"), "got a \\r"},
		{"final newline added", []byte("FROM a\nCMD x"), []byte("FROM a\nCMD [\"x\"]\n"), "final newline"},
		{"BOM dropped", []byte("\xef\xbb\xbfFROM a\nCMD x\n"), []byte("FROM a\nCMD [\"x\"]\n"), "BOM"},
		{"directive reformatted", []byte("# escape=`\nFROM a\n"), []byte("#escape=`\nFROM a\n"), "parser directives"},
		{"check directive dropped", []byte("# check=error=true\n# syntax=x\nFROM a\n"), []byte("# syntax=x\nFROM a\n# check=error=true\n"), "parser directives"},
	}
	for _, c := range cases {
		msgs := strings.Join(layoutProblems(c.in, c.out), "; ")
		if !strings.Contains(msgs, c.want) {
			t.Errorf("%s: layoutProblems = %q, want a message with %q", c.name, msgs, c.want)
		}
	}
	if msgs := layoutProblems(crlf, []byte("# syntax=docker/dockerfile:1\r\nFROM alpine\r\n# keep me\r\nCMD [\"echo\", \"hi\"]\r\n")); len(msgs) > 0 {
		t.Errorf("a faithful edit was flagged: %q", msgs)
	}

	// The diff check: a correct diff applies, a wrong one is caught.
	for _, tool := range diffTools() {
		for _, pair := range [][2]string{
			{"FROM a\r\nRUN x\r\nCMD y\r\n", "FROM a\r\nRUN x\r\nCMD [\"y\"]\r\n"},
			{"FROM a\nCMD y", "FROM a\nCMD [\"y\"]"},
			{"FROM a\nCMD y", "FROM a\nCMD y\n"},
		} {
			in, out := []byte(pair[0]), []byte(pair[1])
			got, err := applyDiff(t, tool, "corpus/x.Dockerfile", in, rewrite.UnifiedDiff("corpus/x.Dockerfile", in, out))
			if err != nil || !bytes.Equal(got, out) {
				t.Errorf("%s: applying the diff of %q -> %q gave %q, %v", tool, in, out, got, err)
			}
		}
		bad := "--- a/corpus/x.Dockerfile\n+++ b/corpus/x.Dockerfile\n@@ -1 +1 @@\n-FROM b\n+FROM c\n"
		if _, err := applyDiff(t, tool, "corpus/x.Dockerfile", []byte("FROM a\n"), bad); err == nil {
			t.Errorf("%s accepted a diff that does not match its input", tool)
		}
	}
}
