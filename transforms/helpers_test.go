package transforms

// Helpers shared by the transforms' table tests: run a transform alone,
// check a "must change" / "must not change" case, make a build context.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockopt/dockopt/rewrite"
)

// fixFile runs ts over src (read as path) with settings; an error fails the
// test and every internal error (rejected output, lost comment, no
// fixpoint) is a test error.
func fixFile(t *testing.T, path string, src []byte, ts []*rewrite.Transform, settings *rewrite.Settings) *rewrite.Result {
	t.Helper()
	res, err := rewrite.Fix(path, src, ts, settings)
	if err != nil {
		t.Fatalf("input rejected: %v", err)
	}
	for _, e := range res.Internal {
		t.Errorf("internal: %v", e)
	}
	return res
}

// runOne runs tr alone over the Dockerfile in with s (nil: no settings).
func runOne(t *testing.T, tr *rewrite.Transform, in string, s *rewrite.Settings) *rewrite.Result {
	t.Helper()
	if s == nil {
		s = &rewrite.Settings{}
	}
	return fixFile(t, "Dockerfile", []byte(in), []*rewrite.Transform{tr}, s)
}

// runTwice runs tr alone over in with s, and again over the output: the
// second run must change nothing.
func runTwice(t *testing.T, tr *rewrite.Transform, in string, s *rewrite.Settings) *rewrite.Result {
	t.Helper()
	res := runOne(t, tr, in, s)
	if again := runOne(t, tr, string(res.Output), s); again.Changed() {
		t.Errorf("second run changed the output:\n%s", again.Output)
	}
	return res
}

// checkFix runs tr alone over in with s, as runTwice does, and checks that
// the output is want (want "": in, unchanged) and that some finding says
// finding (when non-empty).
func checkFix(t *testing.T, tr *rewrite.Transform, s *rewrite.Settings, in, want, finding string) *rewrite.Result {
	t.Helper()
	res := runTwice(t, tr, in, s)
	if want == "" {
		want = in
	}
	if string(res.Output) != want {
		t.Errorf("got:\n%s\nwant:\n%s\n(got %q)", res.Output, want, res.Output)
	}
	if finding != "" {
		wantFinding(t, res.Findings, finding)
	}
	return res
}

// wantFinding checks that the message of one of findings holds sub.
func wantFinding(t *testing.T, findings []rewrite.Finding, sub string) {
	t.Helper()
	var msgs []string
	for _, f := range findings {
		if strings.Contains(f.Message, sub) {
			return
		}
		msgs = append(msgs, f.Message)
	}
	t.Errorf("no finding says %q; findings: %q", sub, msgs)
}

// fixCase is one "must change" (want set) or "must not change" (want "")
// snippet; finding, when set, must be part of some finding's message.
type fixCase struct {
	name, in, want string
	finding        string
}

// runFixCases runs tr alone with settings (nil: none) over each case, as
// checkFix does.
func runFixCases(t *testing.T, tr *rewrite.Transform, settings *rewrite.Settings, cases []fixCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkFix(t, tr, settings, c.in, c.want, c.finding)
		})
	}
}

// writeContext makes a build context in a new temporary directory and
// returns it. files maps slash-separated names to contents: a name ending
// in "/" is an empty directory, a content "->x" a symlink to x; parent
// directories are made as needed.
func writeContext(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if strings.HasSuffix(name, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if target, ok := strings.CutPrefix(body, "->"); ok {
			if err := os.Symlink(target, p); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
