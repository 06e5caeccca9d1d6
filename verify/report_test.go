package verify

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dockopt/dockopt/rewrite"
)

// runFix is `dockopt fix --verify` over paths with the fake engine.
func runFix(t *testing.T, e *fakeEngine, format string, mod func(*rewrite.RunOptions), paths ...string) (stdout, stderr string, status int) {
	t.Helper()
	var o, errb bytes.Buffer
	opts := rewrite.RunOptions{
		Transforms: []*rewrite.Transform{tA, tB, tC},
		Format:     format,
		Verify:     New(Options{Engine: e}).Verify,
		Stdout:     &o, Stderr: &errb,
	}
	if mod != nil {
		mod(&opts)
	}
	status = rewrite.Run(opts, paths)
	return o.String(), errb.String(), status
}

func TestRunWritesOnlyVerifiedChanges(t *testing.T) {
	path := fixture(t, threeRuns, nil)
	_, stderr, status := runFix(t, newFake(), "text", nil, path)
	if status != rewrite.ExitOK {
		t.Fatalf("exit %d\n%s", status, stderr)
	}
	b, _ := os.ReadFile(path)
	if want := "FROM scratch\nRUN a-two\nRUN b-one\nRUN c-two\nCMD [\"run\"]\n"; string(b) != want {
		t.Errorf("written:\n%s\nwant:\n%s", b, want)
	}
	for _, want := range []string{
		path + ": verified with fake 1.0: size 55.0 MB -> 55.0 MB, layers 4 -> 4, cold build ",
		path + ": dropped t-b: the result does not build (the original does)\n    #5 RUN b-BREAK\n    #5 ERROR: BREAK: not found\n",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

func TestRunCheckCountsOnlyVerifiedChanges(t *testing.T) {
	path := fixture(t, threeRuns, nil)
	only := func(ts ...*rewrite.Transform) func(*rewrite.RunOptions) {
		return func(o *rewrite.RunOptions) { o.Transforms, o.Check = ts, true }
	}
	if _, stderr, status := runFix(t, newFake(), "text", only(tB), path); status != rewrite.ExitOK {
		t.Errorf("--check with only a breaking change: exit %d, want 0\n%s", status, stderr)
	}
	if _, stderr, status := runFix(t, newFake(), "text", only(tA, tB), path); status != rewrite.ExitChanges {
		t.Errorf("--check with a verified change: exit %d, want 1\n%s", status, stderr)
	}
	if b, _ := os.ReadFile(path); string(b) != threeRuns {
		t.Errorf("--check wrote the file")
	}
}

func TestRunVerificationErrorWritesNothing(t *testing.T) {
	path := fixture(t, threeRuns, nil)
	e := newFake()
	e.block = true
	var opts = func(o *rewrite.RunOptions) {
		o.Verify = New(Options{Engine: e, Timeout: 20 * time.Millisecond}).Verify
	}
	_, stderr, status := runFix(t, e, "text", opts, path)
	if status != rewrite.ExitError || !strings.Contains(stderr, "--verify-timeout") {
		t.Errorf("exit %d, stderr:\n%s\nwant 2 and the timeout", status, stderr)
	}
	if b, _ := os.ReadFile(path); string(b) != threeRuns {
		t.Errorf("an unverified file was written:\n%s", b)
	}
	if !strings.Contains(stderr, "0 of 1 files changed, 0 findings fixed") {
		t.Errorf("the summary counts unverified fixes:\n%s", stderr)
	}
}

func TestRunJSONReport(t *testing.T) {
	path := fixture(t, threeRuns, nil)
	stdout, stderr, status := runFix(t, newFake(), "json", func(o *rewrite.RunOptions) { o.DryRun = true }, path)
	if status != rewrite.ExitOK {
		t.Fatalf("exit %d\n%s", status, stderr)
	}
	var rep struct {
		Files []struct {
			Changed      bool
			Findings     []rewrite.Finding
			Verification *struct {
				Status string
				Engine string
				Before struct {
					SizeBytes        int64    `json:"size_bytes"`
					Layers           int      `json:"layers"`
					ColdBuildSeconds *float64 `json:"cold_build_seconds"`
					RebuildSeconds   *float64 `json:"rebuild_seconds"`
				}
				Dropped []struct{ Transform, Reason, Log string }
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	v := rep.Files[0].Verification
	if v == nil {
		t.Fatalf("no verification object:\n%s", stdout)
	}
	if v.Status != "partial" || v.Engine != "fake 1.0" || v.Before.SizeBytes != 55e6 || v.Before.Layers != 4 ||
		v.Before.ColdBuildSeconds == nil || v.Before.RebuildSeconds != nil {
		t.Errorf("verification: %+v", v)
	}
	if len(v.Dropped) != 1 || v.Dropped[0].Transform != "t-b" || v.Dropped[0].Log == "" {
		t.Errorf("dropped: %+v", v.Dropped)
	}
	for _, f := range rep.Files[0].Findings {
		if f.Transform == "t-b" {
			t.Errorf("a finding of the dropped transform is still reported: %+v", f)
		}
	}
}

func TestRunMarkdownReport(t *testing.T) {
	path := fixture(t, threeRuns, nil)
	stdout, _, _ := runFix(t, newFake(), "markdown", func(o *rewrite.RunOptions) { o.DryRun = true }, path)
	lines := strings.Split(stdout, "\n")
	if len(lines) < 6 || !strings.HasPrefix(lines[0], "## dockopt: 1 of 1") {
		t.Fatalf("report:\n%s", stdout)
	}
	// The before -> after table comes first, right under the heading.
	if lines[2] != "Built before and after with fake 1.0:" ||
		lines[4] != "| File | Image size | Layers | Cold build | Rebuild after a source edit |" {
		t.Errorf("the table is not at the top:\n%s", stdout)
	}
	if !strings.HasPrefix(lines[6], "| `"+path+"` | 55.0 MB → 55.0 MB (±0%) | 4 → 4 | ") ||
		!strings.HasSuffix(lines[6], " | n/a (no `COPY . …`) |") {
		t.Errorf("row: %q", lines[6])
	}
	if !strings.Contains(stdout, "> **`t-b` was not applied to `"+path+"`:** the result does not build (the original does)\n\n```\n#5 RUN b-BREAK\n") {
		t.Errorf("no note on the dropped transform:\n%s", stdout)
	}
	if !strings.Contains(stdout, "```\n\nTo stop proposing it here, put `# dockopt:ignore=t-b` on the line above") {
		t.Errorf("no hint on how to keep the transform away:\n%s", stdout)
	}
}

func TestRunSARIFProperties(t *testing.T) {
	path := fixture(t, threeRuns, nil)
	stdout, _, _ := runFix(t, newFake(), "sarif", func(o *rewrite.RunOptions) { o.DryRun = true }, path)
	var rep struct {
		Runs []struct {
			Properties map[string]map[string]struct {
				Status string
				After  struct {
					SizeBytes int64 `json:"size_bytes"`
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, v := range rep.Runs[0].Properties["dockopt/verification"] {
		found = true
		if v.Status != "partial" || v.After.SizeBytes != int64(len("FROM scratch\nRUN a-two\nRUN b-one\nRUN c-two\nCMD [\"run\"]\n"))*1e6 {
			t.Errorf("properties: %+v", v)
		}
	}
	if !found {
		t.Errorf("no dockopt/verification run property:\n%s", stdout)
	}
}
