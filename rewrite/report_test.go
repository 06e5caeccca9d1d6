package rewrite

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"
)

// reportTree makes a directory with one Dockerfile appendAll changes, one it
// leaves alone, and one BuildKit rejects.
func reportTree(t *testing.T) string {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a", "Dockerfile"), "FROM a\n# keep\nRUN foo \\\n  && bar\nCMD x\n")
	writeFile(t, filepath.Join(dir, "b", "Dockerfile"), "FROM b\nCMD y\n")
	writeFile(t, filepath.Join(dir, "c", "Dockerfile"), "FROM c\nNOPE z\n")
	return dir
}

func runFormat(t *testing.T, dir, format string, dry bool) (string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	appendAll.Summary, appendAll.Rationale = "Append a command.", "Because tests need one. It is a test."
	code := Run(RunOptions{Transforms: []*Transform{appendAll}, Format: format, DryRun: dry, Check: true,
		Version: "test", Stdout: &out, Stderr: &errb}, []string{dir})
	return out.String(), code
}

func TestReportsShareExitStatus(t *testing.T) {
	dir := reportTree(t)
	for _, f := range Formats {
		if _, code := runFormat(t, dir, f, false); code != ExitError {
			t.Errorf("format %s: exit %d, want %d (a rejected file is an error whatever the format)", f, code, ExitError)
		}
	}
	os.RemoveAll(filepath.Join(dir, "c"))
	for _, f := range Formats {
		if _, code := runFormat(t, dir, f, false); code != ExitChanges {
			t.Errorf("format %s: exit %d, want %d", f, code, ExitChanges)
		}
	}
	var errb bytes.Buffer
	if code := Run(RunOptions{Transforms: []*Transform{appendAll}, Format: "xml", Stdout: &errb, Stderr: &errb}, []string{dir}); code != ExitError || !strings.Contains(errb.String(), "unknown format") {
		t.Errorf("unknown format: exit %d, %q", code, errb.String())
	}
}

func TestJSONReport(t *testing.T) {
	dir := reportTree(t)
	out, _ := runFormat(t, dir, "json", true)
	var rep JSONReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if rep.Tool != "dockopt" || rep.Mode != "check" || len(rep.Files) != 3 {
		t.Fatalf("report header/files wrong: %+v", rep)
	}
	a, b, c := rep.Files[0], rep.Files[1], rep.Files[2]
	if !a.Changed || a.Written || !strings.Contains(a.Diff, "+  && rm -rf /x") || len(a.Findings) != 1 {
		t.Errorf("changed file: %+v", a)
	}
	if f := a.Findings[0]; f.Transform != "append-all" || f.Line != 3 || f.EndLine != 4 || !f.Fixed || f.Severity != SeverityWarning {
		t.Errorf("finding: %+v", f)
	}
	if b.Changed || b.Diff != "" {
		t.Errorf("unchanged file: %+v", b)
	}
	if len(c.Errors) != 1 || !strings.Contains(c.Errors[0], filepath.Join(dir, "c", "Dockerfile")+":2:") {
		t.Errorf("rejected file: %+v", c)
	}
	if rep.Summary != (Summary{Files: 3, Changed: 1, FindingsFixed: 1, Errors: 1}) {
		t.Errorf("summary: %+v", rep.Summary)
	}
	// The raw keys are the documented interface.
	for _, key := range []string{`"path"`, `"changed"`, `"findings"`, `"transform"`, `"line"`, `"end_line"`, `"severity"`, `"message"`, `"fixed"`, `"diff"`} {
		if !strings.Contains(out, key) {
			t.Errorf("JSON lacks key %s", key)
		}
	}
}

func TestSARIFReportValidatesAndItsFixApplies(t *testing.T) {
	dir := reportTree(t)
	os.RemoveAll(filepath.Join(dir, "c"))
	out, _ := runFormat(t, dir, "sarif", false)
	rep, err := sarif.FromBytes([]byte(out), sarif.WithStrictValidation())
	if err != nil {
		t.Fatal(err)
	}
	if err := rep.Validate(); err != nil {
		t.Fatalf("SARIF does not validate against the 2.1.0 schema: %v", err)
	}
	run := rep.Runs[0]
	if *run.Tool.Driver.Name != "dockopt" || len(run.Tool.Driver.Rules) != 1 || *run.Tool.Driver.Rules[0].ID != "append-all" {
		t.Errorf("rules: %+v", run.Tool.Driver.Rules)
	}
	if len(run.Results) != 1 {
		t.Fatalf("results: %d", len(run.Results))
	}
	res := run.Results[0]
	loc := res.Locations[0].PhysicalLocation
	if *res.RuleID != "append-all" || res.Level != "warning" || *loc.Region.StartLine != 3 || *loc.Region.EndLine != 4 ||
		!strings.HasSuffix(*loc.ArtifactLocation.URI, "a/Dockerfile") {
		t.Errorf("result: rule %v level %v region %v-%v uri %v", *res.RuleID, res.Level, *loc.Region.StartLine, *loc.Region.EndLine, *loc.ArtifactLocation.URI)
	}
	// Applying the fix's replacements to the input must give dockopt's output.
	src, _ := os.ReadFile(filepath.Join(dir, "a", "Dockerfile"))
	lines := strings.SplitAfter(string(src), "\n")
	var got strings.Builder
	next := 1
	for _, r := range res.Fixes[0].ArtifactChanges[0].Replacements {
		start, end := *r.DeletedRegion.StartLine, *r.DeletedRegion.EndLine
		for ; next < start; next++ {
			got.WriteString(lines[next-1])
		}
		got.WriteString(*r.InsertedContent.Text)
		next = end
	}
	for ; next <= len(lines); next++ {
		got.WriteString(lines[next-1])
	}
	want := "FROM a\n# keep\nRUN foo \\\n  && bar \\\n  && rm -rf /x\nCMD x\n"
	if got.String() != want {
		t.Errorf("SARIF fix applied gives\n%q\nwant\n%q", got.String(), want)
	}
}

func TestMarkdownReport(t *testing.T) {
	dir := reportTree(t)
	out, _ := runFormat(t, dir, "markdown", true)
	for _, want := range []string{
		"## dockopt: 1 of 3 Dockerfiles improved",
		"| File | Lines | Transforms applied |",
		"/a/Dockerfile` | +2 −1 | `append-all` |",
		"### Why\n- **`append-all`**: Append a command. Because tests need one.",
		"/c/Dockerfile` was not changed:** ",
		"```diff\n--- a/",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
}
