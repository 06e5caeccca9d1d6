package main

// CLI tests. Most go through run(args, stdin, stdout, stderr) in-process;
// the exit-code and signal cases run a binary built once per test run.
//
// Every test works in its own temp directory (t.Chdir), so a .dockopt.yaml
// in the repository never applies and the diffs carry short relative paths.
//
// Expected texts are written here by hand. Where a test needs a change to
// happen it relies on exec-form (`CMD curl --version` becomes
// `CMD ["curl", "--version"]`) and skips, naming it, when that transform is
// not in the Suite.

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dockopt/dockopt/rewrite"
	"github.com/dockopt/dockopt/transforms"
)

var pkgDir string // this package's directory, for go build

func TestMain(m *testing.M) {
	pkgDir, _ = os.Getwd()
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// runCLI runs dockopt in-process with args and stdin.
func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(append([]string{"dockopt"}, args...), strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// inTempDir makes a fresh temp dir the working directory.
func inTempDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Chdir(dir)
	return dir
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// needTransform skips the test when the transform it relies on is not in
// the Suite (transforms are developed concurrently).
func needTransform(t *testing.T, id string) {
	t.Helper()
	if rewrite.Lookup(transforms.Suite, id) == nil {
		t.Skipf("transform %s is not in transforms.Suite yet", id)
	}
}

// Fixtures. changeable is rewritten by exec-form (and maybe more default
// transforms); clean is already in the form every transform wants.
const (
	changeable = "FROM alpine:3.20\nCMD curl --version\n"
	changed    = "FROM alpine:3.20\nCMD [\"curl\", \"--version\"]\n" // changeable with --only exec-form
	clean      = "FROM scratch\nCOPY app /app\nCMD [\"/app\"]\n"
	// Rejected by BuildKit: an unknown instruction on line 3, and a heredoc
	// opened on line 2 that never ends.
	badInstruction = "FROM alpine\nRUN echo hi\nFOO bar\nCMD curl --version\n"
	badHeredoc     = "FROM alpine\nRUN <<EOF\necho hi\nCMD curl --version\n"
)

// crlfFixture has CRLF endings, a parser directive, comment lines (one inside
// a continuation) and an instruction exec-form rewrites.
const crlfFixture = "# syntax=docker/dockerfile:1\r\n" +
	"# the base image\r\n" +
	"FROM alpine:3.20\r\n" +
	"RUN apk add --no-cache curl \\\r\n" +
	"    # a comment inside a continuation\r\n" +
	"    jq\r\n" +
	"# start it\r\n" +
	"CMD curl --version\r\n"

const crlfFixtureExecForm = "# syntax=docker/dockerfile:1\r\n" +
	"# the base image\r\n" +
	"FROM alpine:3.20\r\n" +
	"RUN apk add --no-cache curl \\\r\n" +
	"    # a comment inside a continuation\r\n" +
	"    jq\r\n" +
	"# start it\r\n" +
	"CMD [\"curl\", \"--version\"]\r\n"

// richFixture is what a default-pipeline run is expected to change in
// several places: apt-get and a shell-form CMD.
const richFixture = "FROM debian:bookworm-slim\n" +
	"# tools\n" +
	"RUN apt-get update && \\\n" +
	"    # curl for the health check\n" +
	"    apt-get install -y curl\n" +
	"CMD curl --version"

func TestVersion(t *testing.T) {
	code, out, errs := runCLI(t, "", "version")
	if code != 0 || out != "dockopt dev\n" || errs != "" {
		t.Errorf("dockopt version = %d, %q, %q; want 0, %q, \"\"", code, out, errs, "dockopt dev\n")
	}
}

func TestList(t *testing.T) {
	code, out, errs := runCLI(t, "", "list")
	if code != 0 || errs != "" {
		t.Fatalf("dockopt list = %d, stderr %q", code, errs)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if out == "" {
		lines = nil
	}
	all := append(append([]*rewrite.Transform(nil), transforms.Suite...), transforms.Checks...)
	if len(lines) != len(all) {
		t.Fatalf("dockopt list printed %d lines for %d transforms and checks:\n%s", len(lines), len(all), out)
	}
	for i, tr := range all {
		f := strings.Fields(lines[i])
		mode := "opt-in"
		switch {
		case i >= len(transforms.Suite):
			mode = "check"
		case tr.Default:
			mode = "default"
		}
		if len(f) < 3 || f[0] != tr.ID || f[1] != mode {
			t.Errorf("line %d = %q, want %q then %q then the summary", i+1, lines[i], tr.ID, mode)
			continue
		}
		if !strings.Contains(lines[i], tr.Summary) {
			t.Errorf("line %d = %q lacks the summary %q", i+1, lines[i], tr.Summary)
		}
	}
}

func TestExplain(t *testing.T) {
	for _, tr := range transforms.Suite {
		code, out, errs := runCLI(t, "", "explain", tr.ID)
		if code != 0 || errs != "" {
			t.Errorf("explain %s = %d, stderr %q", tr.ID, code, errs)
			continue
		}
		if !strings.HasPrefix(out, tr.ID) {
			t.Errorf("explain %s does not start with the ID:\n%s", tr.ID, out)
		}
		want := []string{tr.Summary, strings.TrimSpace(tr.Rationale), "Before", "After"}
		for _, part := range []string{tr.Before, tr.After} {
			for _, l := range strings.Split(part, "\n") {
				if strings.TrimSpace(l) != "" {
					want = append(want, l)
				}
			}
		}
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("explain %s lacks %q:\n%s", tr.ID, w, out)
			}
		}
	}
	code, out, errs := runCLI(t, "", "explain", "no-such-transform")
	if code != 2 || out != "" || !strings.Contains(errs, `unknown transform "no-such-transform"`) {
		t.Errorf("explain of an unknown ID = %d, %q, %q; want 2 and an error", code, out, errs)
	}
	for _, tr := range transforms.Suite {
		if !strings.Contains(errs, tr.ID) {
			t.Errorf("the unknown-ID error does not list %s: %q", tr.ID, errs)
		}
	}
	if code, _, _ := runCLI(t, "", "explain"); code != 2 {
		t.Errorf("explain without an ID: exit %d, want 2", code)
	}
}

func TestUsageErrors(t *testing.T) {
	inTempDir(t)
	writeFile(t, "Dockerfile", changeable)
	cases := []struct {
		name string
		args []string
		want []string // in stderr
	}{
		{"no path", []string{"fix"}, []string{"fix needs at least one PATH"}},
		{"no path, check", []string{"fix", "--check"}, []string{"PATH"}},
		{"unknown flag", []string{"fix", "--no-such-flag", "Dockerfile"}, []string{"no-such-flag"}},
		{"unknown --only", []string{"fix", "--only", "no-such-transform", "Dockerfile"}, []string{`unknown transform "no-such-transform"`, "valid:"}},
		{"unknown --skip", []string{"fix", "--skip", "nope-1", "Dockerfile"}, []string{`unknown transform "nope-1"`, "valid:"}},
		{"unknown --enable", []string{"fix", "--enable", "nope-2", "Dockerfile"}, []string{`unknown transform "nope-2"`, "valid:"}},
		{"missing file", []string{"fix", "no-such-file"}, []string{"no-such-file"}},
	}
	for _, c := range cases {
		code, _, errs := runCLI(t, "", c.args...)
		if code != 2 {
			t.Errorf("%s: exit %d, want 2 (stderr %q)", c.name, code, errs)
		}
		for _, w := range c.want {
			if !strings.Contains(errs, w) {
				t.Errorf("%s: stderr %q lacks %q", c.name, errs, w)
			}
		}
		if strings.HasPrefix(c.name, "unknown --") {
			for _, tr := range transforms.Suite {
				if !strings.Contains(errs, tr.ID) {
					t.Errorf("%s: the error does not list the valid ID %s: %q", c.name, tr.ID, errs)
				}
			}
		}
	}
	if got := readFile(t, "Dockerfile"); got != changeable {
		t.Errorf("a usage error wrote the file:\n%s", got)
	}
}

func TestExitCodes(t *testing.T) {
	needTransform(t, "exec-form")
	inTempDir(t)
	writeFile(t, "clean/Dockerfile", clean)
	writeFile(t, "dirty/Dockerfile", changeable)

	if code, out, errs := runCLI(t, "", "fix", "clean/Dockerfile"); code != 0 || out != "" {
		t.Errorf("fix on a file with nothing to change = %d, %q, %q; want 0", code, out, errs)
	}
	if code, _, errs := runCLI(t, "", "fix", "--check", "clean"); code != 0 {
		t.Errorf("fix --check with nothing to change = %d (%q), want 0", code, errs)
	}
	code, out, errs := runCLI(t, "", "fix", "--check", "clean", "dirty")
	if code != 1 || out != "" {
		t.Errorf("fix --check with a change = %d, %q, %q; want 1 and no stdout", code, out, errs)
	}
	if !strings.Contains(errs, "1 of 2 files would change") {
		t.Errorf("fix --check summary = %q, want it to say 1 of 2 files would change", errs)
	}
	if got := readFile(t, "dirty/Dockerfile"); got != changeable {
		t.Errorf("--check wrote the file:\n%s", got)
	}
	if code, _, _ := runCLI(t, "", "fix", "--dry-run", "dirty"); code != 0 {
		t.Errorf("fix --dry-run with a change: exit %d, want 0", code)
	}
	// An error outranks "would change", whatever the order of the files.
	writeFile(t, "bad/Dockerfile", badInstruction)
	for _, args := range [][]string{{"fix", "--check", "dirty", "bad"}, {"fix", "--check", "bad", "dirty"}} {
		if code, _, errs := runCLI(t, "", args...); code != 2 {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", args, code, errs)
		}
	}
}

func TestRejectedFile(t *testing.T) {
	needTransform(t, "exec-form")
	inTempDir(t)
	writeFile(t, "a/Dockerfile", changeable)
	writeFile(t, "b/Dockerfile", badInstruction)
	writeFile(t, "c/Dockerfile", badHeredoc)
	writeFile(t, "d/Dockerfile", changeable)

	code, out, errs := runCLI(t, "", "fix", "--only", "exec-form", "a", "b", "c", "d")
	if code != 2 || out != "" {
		t.Errorf("fix with rejected files = %d, %q; want 2 and no stdout", code, out)
	}
	for _, want := range []string{
		filepath.Join("b", "Dockerfile") + ":3: unknown instruction: FOO",
		filepath.Join("c", "Dockerfile") + ":2: ",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr %q lacks %q", errs, want)
		}
	}
	if !strings.Contains(errs, "heredoc") {
		t.Errorf("stderr %q does not mention the heredoc", errs)
	}
	if got := readFile(t, "b/Dockerfile"); got != badInstruction {
		t.Errorf("the rejected file b/Dockerfile was changed:\n%q", got)
	}
	if got := readFile(t, "c/Dockerfile"); got != badHeredoc {
		t.Errorf("the rejected file c/Dockerfile was changed:\n%q", got)
	}
	for _, f := range []string{"a/Dockerfile", "d/Dockerfile"} {
		if got := readFile(t, f); got != changed {
			t.Errorf("%s, beside rejected files, was not fixed:\n%q\nwant\n%q", f, got, changed)
		}
	}

	// A single rejected file, and a rejected stdin.
	code, out, errs = runCLI(t, "", "fix", "b/Dockerfile")
	if code != 2 || !strings.HasPrefix(errs, filepath.Join("b", "Dockerfile")+":3: ") {
		t.Errorf("fix of a rejected file = %d, %q, %q; want 2 and path:line: message", code, out, errs)
	}
	code, out, errs = runCLI(t, badHeredoc, "fix", "-")
	if code != 2 || out != "" || !strings.HasPrefix(errs, "-:2: ") {
		t.Errorf("fix - of a rejected text = %d, %q, %q; want 2, no stdout, -:2: message", code, out, errs)
	}
}

func TestStdin(t *testing.T) {
	needTransform(t, "exec-form")
	inTempDir(t)
	code, out, errs := runCLI(t, changeable, "fix", "--only", "exec-form", "-")
	if code != 0 || out != changed || errs != "" {
		t.Errorf("fix - = %d, %q, %q; want 0, %q, no stderr", code, out, errs, changed)
	}
	// Nothing to change: the text comes back as it was.
	if code, out, errs := runCLI(t, clean, "fix", "-"); code != 0 || out != clean || errs != "" {
		t.Errorf("fix - of a clean text = %d, %q, %q; want 0 and the text unchanged", code, out, errs)
	}
	if code, out, _ := runCLI(t, changeable, "fix", "--check", "-"); code != 1 || out != "" {
		t.Errorf("fix --check - with a change = %d, %q; want 1 and no stdout", code, out)
	}
	if code, out, _ := runCLI(t, clean, "fix", "--check", "-"); code != 0 || out != "" {
		t.Errorf("fix --check - with nothing to change = %d, %q; want 0 and no stdout", code, out)
	}
	code, out, _ = runCLI(t, changeable, "fix", "--only", "exec-form", "--dry-run", "-")
	wantDiff := "--- a/-\n+++ b/-\n@@ -1,2 +1,2 @@\n FROM alpine:3.20\n-CMD curl --version\n+CMD [\"curl\", \"--version\"]\n"
	if code != 0 || out != wantDiff {
		t.Errorf("fix --dry-run - = %d,\n%s\nwant\n%s", code, out, wantDiff)
	}
}

func TestCRLFAndComments(t *testing.T) {
	needTransform(t, "exec-form")
	inTempDir(t)
	writeFile(t, "Dockerfile", crlfFixture)
	if code, _, errs := runCLI(t, "", "fix", "-q", "--only", "exec-form", "Dockerfile"); code != 0 || errs != "" {
		t.Fatalf("fix = %d, %q", code, errs)
	}
	if got := readFile(t, "Dockerfile"); got != crlfFixtureExecForm {
		t.Errorf("CRLF file after fix:\n%q\nwant\n%q", got, crlfFixtureExecForm)
	}
	// The default pipeline keeps CRLF and every comment line too.
	writeFile(t, "Dockerfile", crlfFixture)
	if code, _, errs := runCLI(t, "", "fix", "-q", "Dockerfile"); code != 0 {
		t.Fatalf("fix = %d, %q", code, errs)
	}
	got := readFile(t, "Dockerfile")
	if strings.Contains(strings.ReplaceAll(got, "\r\n", ""), "\n") {
		t.Errorf("the default pipeline put a bare LF into a CRLF file:\n%q", got)
	}
	for _, c := range []string{"# syntax=docker/dockerfile:1\r\n# the base image\r\n", "    # a comment inside a continuation\r\n", "# start it\r\n"} {
		if !strings.Contains(got, c) {
			t.Errorf("the default pipeline lost %q:\n%q", c, got)
		}
	}
}

// TestMustShow is the behaviour the project was started for: a shell-form
// CMD that needs a shell keeps it, one that does not becomes exec form.
func TestMustShow(t *testing.T) {
	needTransform(t, "exec-form")
	inTempDir(t)
	in := "FROM alpine:3.20 AS a\nCMD echo \"$HOME\"\n\nFROM alpine:3.20\nCMD curl --version\n"
	want := "FROM alpine:3.20 AS a\nCMD echo \"$HOME\"\n\nFROM alpine:3.20\nCMD [\"curl\", \"--version\"]\n"
	code, out, errs := runCLI(t, in, "fix", "-")
	if code != 0 || out != want {
		t.Errorf("fix - = %d, stderr %q, output:\n%s\nwant:\n%s", code, errs, out, want)
	}
	shellOnly := "FROM alpine:3.20\nCMD echo \"$HOME\"\n"
	if code, out, _ := runCLI(t, shellOnly, "fix", "--check", "-"); code != 0 || out != "" {
		t.Errorf(`CMD echo "$HOME" would be changed (fix --check - = %d)`, code)
	}
}

// TestDryRunDiffApplies checks that --dry-run writes nothing and prints a
// diff git apply and patch -p1 both accept, and that the in-place result,
// the diff applied and the stdin output are the same text.
func TestDryRunDiffApplies(t *testing.T) {
	needTransform(t, "exec-form")
	fixtures := map[string]string{
		"Dockerfile":          richFixture,
		"crlf/Dockerfile":     crlfFixture,
		"app/api.Dockerfile":  changeable,
		"app/Containerfile":   "FROM alpine:3.20\nCMD curl --version", // no final newline
		"clean/Containerfile": clean,
	}
	inTempDir(t)
	for name, content := range fixtures {
		writeFile(t, name, content)
	}
	code, diff, errs := runCLI(t, "", "fix", "--dry-run", ".")
	if code != 0 || errs != "" {
		t.Fatalf("fix --dry-run = %d, stderr %q", code, errs)
	}
	if diff == "" {
		t.Fatal("fix --dry-run printed no diff")
	}
	for name, content := range fixtures {
		if got := readFile(t, name); got != content {
			t.Errorf("--dry-run wrote %s", name)
		}
	}
	for _, f := range []string{"Dockerfile", "crlf/Dockerfile", "app/api.Dockerfile", "app/Containerfile"} {
		if !strings.Contains(diff, "--- a/"+f+"\n+++ b/"+f+"\n") {
			t.Errorf("the diff has no section for %s:\n%s", f, diff)
		}
	}
	if strings.Contains(diff, "clean/Containerfile") {
		t.Errorf("the diff has a section for an unchanged file:\n%s", diff)
	}

	// Fix a copy in place; that is the reference the other ways must match.
	stdinOut := map[string]string{}
	for name, content := range fixtures {
		code, out, errs := runCLI(t, content, "fix", "-")
		if code != 0 {
			t.Fatalf("fix - of %s = %d, %q", name, code, errs)
		}
		stdinOut[name] = out
	}
	if code, _, errs := runCLI(t, "", "fix", "-q", "."); code != 0 || errs != "" {
		t.Fatalf("fix in place = %d, %q", code, errs)
	}
	inPlace := map[string]string{}
	for name := range fixtures {
		inPlace[name] = readFile(t, name)
		if inPlace[name] != stdinOut[name] {
			t.Errorf("%s: in-place result differs from fix -:\n%q\n%q", name, inPlace[name], stdinOut[name])
		}
	}
	if inPlace["app/api.Dockerfile"] == changeable || !strings.Contains(inPlace["app/Containerfile"], `CMD ["curl", "--version"]`) {
		t.Errorf("in-place fix did not change what exec-form changes: %q", inPlace["app/Containerfile"])
	}
	if strings.HasSuffix(inPlace["app/Containerfile"], "\n") {
		t.Errorf("a file without a final newline got one: %q", inPlace["app/Containerfile"])
	}

	applied := 0
	for _, tool := range [][]string{{"git", "apply", "--whitespace=nowarn"}, {"patch", "-p1", "--quiet", "--no-backup-if-mismatch"}} {
		if _, err := exec.LookPath(tool[0]); err != nil {
			t.Logf("%s not found: not checked", tool[0])
			continue
		}
		applied++
		work := filepath.Join(t.TempDir(), "tree")
		for name, content := range fixtures {
			writeFile(t, filepath.Join(work, name), content)
		}
		cmd := exec.Command(tool[0], tool[1:]...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "GIT_CEILING_DIRECTORIES="+filepath.Dir(work))
		cmd.Stdin = strings.NewReader(diff)
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s rejects the dry-run diff: %v\n%s\n%s", tool[0], err, msg, diff)
			continue
		}
		for name := range fixtures {
			if got := readFile(t, filepath.Join(work, name)); got != inPlace[name] {
				t.Errorf("%s: the diff applied with %s gives\n%q\nthe in-place fix gives\n%q", name, tool[0], got, inPlace[name])
			}
		}
	}
	if applied == 0 {
		t.Log("neither git nor patch is installed: the apply check was skipped")
	}

	// Idempotent: a second run has nothing to do.
	if code, out, errs := runCLI(t, "", "fix", "--check", "."); code != 0 || out != "" {
		t.Errorf("fix --check after fixing = %d, %q, %q; want 0", code, out, errs)
	}
	if code, _, _ := runCLI(t, "", "fix", "-q", "."); code != 0 {
		t.Errorf("second fix: exit %d", code)
	}
	for name := range fixtures {
		if got := readFile(t, name); got != inPlace[name] {
			t.Errorf("the second run changed %s:\n%q\n%q", name, inPlace[name], got)
		}
	}
}

func TestDirectoryWalk(t *testing.T) {
	needTransform(t, "exec-form")
	inTempDir(t)
	found := []string{
		"Containerfile",
		"Containerfile.dev",
		"Dockerfile",
		"Dockerfile.prod",
		"api.Dockerfile",
		"deep/a/b/Dockerfile",
		"sub/DOCKERFILE",
		"sub/containerfile.ci",
		"sub/dockerfile",
		"sub/x.DOCKERFILE",
		"web.dockerfile",
	}
	skipped := []string{
		".git/Dockerfile",
		"node_modules/pkg/Dockerfile",
		"sub/vendor/Dockerfile",
		"vendor/x.Dockerfile",
		"Dockerfile-old",
		"mydockerfile",
		"notes.txt",
	}
	for _, f := range append(append([]string{}, found...), skipped...) {
		writeFile(t, f, changeable)
	}
	// A dockerignore file is no Dockerfile: parsing it would be an error.
	const ignore = "node_modules\n*.log\n"
	writeFile(t, "Dockerfile.dockerignore", ignore)
	writeFile(t, "sub/api.Dockerfile.dockerignore", ignore)

	code, diff, errs := runCLI(t, "", "fix", "--only", "exec-form", "--dry-run", ".")
	if code != 0 {
		t.Fatalf("fix --dry-run . = %d, %q", code, errs)
	}
	var got []string
	for _, l := range strings.Split(diff, "\n") {
		if p, ok := strings.CutPrefix(l, "--- a/"); ok {
			got = append(got, p)
		}
	}
	sort.Strings(got)
	if strings.Join(got, "\n") != strings.Join(found, "\n") {
		t.Errorf("the walk found\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(found, "\n  "))
	}

	code, _, errs = runCLI(t, "", "fix", "--only", "exec-form", ".")
	if code != 0 {
		t.Fatalf("fix . = %d, %q", code, errs)
	}
	if !strings.Contains(errs, fmt.Sprintf("%d of %d files changed", len(found), len(found))) {
		t.Errorf("summary %q, want %d of %d files changed", errs, len(found), len(found))
	}
	for _, f := range found {
		if got := readFile(t, f); got != changed {
			t.Errorf("%s was not fixed: %q", f, got)
		}
	}
	for _, f := range skipped {
		if got := readFile(t, f); got != changeable {
			t.Errorf("%s should have been skipped but was changed", f)
		}
	}
	for _, f := range []string{"Dockerfile.dockerignore", "sub/api.Dockerfile.dockerignore"} {
		if got := readFile(t, f); got != ignore {
			t.Errorf("%s was changed", f)
		}
	}

	// An explicitly named file is processed whatever its name.
	if code, _, _ := runCLI(t, "", "fix", "-q", "--only", "exec-form", "mydockerfile"); code != 0 || readFile(t, "mydockerfile") != changed {
		t.Errorf("a file named on the command line was not fixed (exit %d)", code)
	}
	// A directory without Dockerfiles is an error.
	writeFile(t, "empty/README", "nothing\n")
	if code, _, errs := runCLI(t, "", "fix", "empty"); code != 2 || !strings.Contains(errs, "no Dockerfiles found") {
		t.Errorf("fix on a directory without Dockerfiles = %d, %q; want 2", code, errs)
	}
}

func TestFileModeKept(t *testing.T) {
	needTransform(t, "exec-form")
	inTempDir(t)
	for _, mode := range []os.FileMode{0o600, 0o640, 0o755} {
		name := fmt.Sprintf("m%o.Dockerfile", mode)
		writeFile(t, name, changeable)
		if err := os.Chmod(name, mode); err != nil {
			t.Fatal(err)
		}
		if code, _, errs := runCLI(t, "", "fix", "-q", "--only", "exec-form", name); code != 0 {
			t.Fatalf("fix %s = %d, %q", name, code, errs)
		}
		if got := readFile(t, name); got != changed {
			t.Errorf("%s not fixed: %q", name, got)
		}
		st, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != mode {
			t.Errorf("%s: mode %o after the write, want %o", name, st.Mode().Perm(), mode)
		}
	}
	// No temp file is left behind.
	entries, _ := os.ReadDir(".")
	for _, e := range entries {
		if strings.Contains(e.Name(), ".dockopt-") {
			t.Errorf("temp file left behind: %s", e.Name())
		}
	}
}

func TestQuiet(t *testing.T) {
	needTransform(t, "exec-form")
	inTempDir(t)
	writeFile(t, "a/Dockerfile", changeable)
	writeFile(t, "b/Dockerfile", clean)
	code, out, errs := runCLI(t, "", "fix", "--only", "exec-form", "a", "b")
	if code != 0 || out != "" || errs != "dockopt: 1 of 2 files changed, 1 findings fixed\n" {
		t.Errorf("fix = %d, %q, %q; want the summary line on stderr", code, out, errs)
	}
	writeFile(t, "a/Dockerfile", changeable)
	for _, q := range []string{"-q", "--quiet"} {
		if code, out, errs := runCLI(t, "", "fix", q, "--check", "a", "b"); code != 1 || out != "" || errs != "" {
			t.Errorf("fix %s --check = %d, %q, %q; want 1 and nothing printed", q, code, out, errs)
		}
	}
	if code, out, errs := runCLI(t, "", "fix", "-q", "a", "b"); code != 0 || out != "" || errs != "" {
		t.Errorf("fix -q = %d, %q, %q; want 0 and nothing printed", code, out, errs)
	}
}

// The built binary: real exit statuses and signals.

var (
	buildOnce sync.Once
	binDir    string
	binPath   string
	buildErr  error
)

func dockoptBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary; skipped in -short mode")
	}
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "dockopt-cli-test-")
		if buildErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "dockopt")
		if runtime.GOOS == "windows" {
			binPath += ".exe"
		}
		cmd := exec.Command("go", "build", "-o", binPath, ".")
		cmd.Dir = pkgDir
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

func exitCode(t *testing.T, err error) int {
	t.Helper()
	if err == nil {
		return 0
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("running dockopt: %v", err)
	}
	return ee.ExitCode()
}

func TestBinaryExitCodes(t *testing.T) {
	needTransform(t, "exec-form")
	bin := dockoptBinary(t)
	dir := inTempDir(t)
	writeFile(t, "clean/Dockerfile", clean)
	writeFile(t, "dirty/Dockerfile", changeable)
	writeFile(t, "bad/Dockerfile", badInstruction)
	cases := []struct {
		args  []string
		stdin string
		want  int
	}{
		{[]string{"version"}, "", 0},
		{[]string{"list"}, "", 0},
		{[]string{"fix", "--check", "clean"}, "", 0},
		{[]string{"fix", "--check", "dirty"}, "", 1},
		{[]string{"fix", "--check", "-"}, changeable, 1},
		{[]string{"fix", "--no-such-flag", "dirty"}, "", 2},
		{[]string{"fix", "--only", "no-such-transform", "dirty"}, "", 2},
		{[]string{"fix"}, "", 2},
		{[]string{"fix", "--check", "bad"}, "", 2},
		{[]string{"explain", "no-such-transform"}, "", 2},
	}
	for _, c := range cases {
		cmd := exec.Command(bin, c.args...)
		cmd.Dir = dir
		cmd.Stdin = strings.NewReader(c.stdin)
		out, err := cmd.CombinedOutput()
		if got := exitCode(t, err); got != c.want {
			t.Errorf("dockopt %s: exit %d, want %d\n%s", strings.Join(c.args, " "), got, c.want, out)
		}
	}
	if got := readFile(t, "dirty/Dockerfile"); got != changeable {
		t.Errorf("--check wrote the file")
	}
}

// TestBinarySignal interrupts an in-place run that is waiting on stdin after
// it has written every other file: it exits 130 on SIGINT and 143 on
// SIGTERM, and leaves no temp file behind.
func TestBinarySignal(t *testing.T) {
	needTransform(t, "exec-form")
	if runtime.GOOS == "windows" {
		t.Skip("no POSIX signals")
	}
	bin := dockoptBinary(t)
	for _, c := range []struct {
		sig  syscall.Signal
		want int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		t.Run(c.sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			var files []string
			for i := 0; i < 40; i++ {
				f := filepath.Join(dir, fmt.Sprintf("s%02d", i), "Dockerfile")
				writeFile(t, f, changeable)
				files = append(files, f)
			}
			// -j 2: one worker blocks on stdin (listed first), the other
			// fixes the directory.
			cmd := exec.Command(bin, "fix", "--only", "exec-form", "-j", "2", "-", dir)
			stdin, err := cmd.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			defer stdin.Close()
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(30 * time.Second)
			for {
				done := 0
				for _, f := range files {
					if b, _ := os.ReadFile(f); string(b) == changed {
						done++
					}
				}
				if done == len(files) {
					break
				}
				if time.Now().After(deadline) {
					cmd.Process.Kill()
					cmd.Wait()
					t.Fatalf("only %d of %d files were fixed after 30s; stderr: %s", done, len(files), stderr.String())
				}
				time.Sleep(20 * time.Millisecond)
			}
			if err := cmd.Process.Signal(c.sig); err != nil {
				t.Fatal(err)
			}
			waited := make(chan error, 1)
			go func() { waited <- cmd.Wait() }()
			select {
			case err := <-waited:
				if got := exitCode(t, err); got != c.want {
					t.Errorf("exit %d after %v, want %d; stderr: %s", got, c.sig, c.want, stderr.String())
				}
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				<-waited
				t.Fatalf("dockopt did not exit within 10s of %v", c.sig)
			}
			filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
				if err == nil && strings.Contains(d.Name(), ".dockopt-") {
					t.Errorf("temp file left behind: %s", p)
				}
				return nil
			})
		})
	}
}

// TestUsageErrorsGoToStderr: stdout carries diffs, reports and stdin-mode
// output, so a usage mistake must print nothing there.
func TestUsageErrorsGoToStderr(t *testing.T) {
	for _, args := range [][]string{{"fix", "--bogus", "x"}, {"--nope"}, {"fix", "--only", "no-such-id", "x"}} {
		var stdout, stderr bytes.Buffer
		code := run(append([]string{"dockopt"}, args...), strings.NewReader(""), &stdout, &stderr)
		if code != 2 || stdout.Len() != 0 || !strings.Contains(stderr.String(), "--help") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout.String(), stderr.String())
		}
	}
}
