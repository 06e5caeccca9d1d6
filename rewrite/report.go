package rewrite

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"
)

// Formats accepted by --format.
var Formats = []string{"text", "json", "sarif", "markdown"}

// FileReport is one file in a JSON report. The field names are a stable,
// documented interface (README: "JSON report").
type FileReport struct {
	Path     string    `json:"path"`
	Changed  bool      `json:"changed"`
	Written  bool      `json:"written"`
	Findings []Finding `json:"findings"`
	Diff     string    `json:"diff,omitempty"`
	Errors   []string  `json:"errors,omitempty"`
	// Verification is what dockopt fix --verify found (verification.go).
	Verification *Verification `json:"verification,omitempty"`
}

// Summary counts a run.
type Summary struct {
	Files         int `json:"files"`
	Changed       int `json:"changed"`
	FindingsFixed int `json:"findings_fixed"`
	Errors        int `json:"errors"`
}

// JSONReport is the whole JSON document.
type JSONReport struct {
	Tool    string       `json:"tool"`
	Version string       `json:"version"`
	Mode    string       `json:"mode"` // "fix", "dry-run" or "check"
	Files   []FileReport `json:"files"`
	Summary Summary      `json:"summary"`
}

// reporter receives each file's report in input order, then the summary.
type reporter interface {
	file(fr *FileReport, out *fileOutcome)
	finish(s Summary) error
}

func newReporter(o *RunOptions) (reporter, error) {
	switch o.Format {
	case "", "text":
		return &textReporter{o: o}, nil
	case "json":
		return &jsonReporter{o: o}, nil
	case "sarif":
		return &sarifReporter{o: o}, nil
	case "markdown":
		return &markdownReporter{o: o}, nil
	}
	return nil, fmt.Errorf("unknown format %q (valid: %s)", o.Format, strings.Join(Formats, ", "))
}

// showsDiff reports whether the report prints the files' diffs: JSON and
// Markdown always do, text only for --dry-run. Other runs skip making them.
func (o *RunOptions) showsDiff() bool {
	switch o.Format {
	case "json", "markdown":
		return true
	case "", "text":
		return o.DryRun
	}
	return false
}

func (o *RunOptions) mode() string {
	switch {
	case o.Lint:
		return "lint"
	case o.Check:
		return "check"
	case o.DryRun:
		return "dry-run"
	}
	return "fix"
}

// textReporter streams: the diff (dry-run), the fixed text (stdin), and a
// summary line on stderr.
type textReporter struct {
	o               *RunOptions
	files, findings int // lint mode: files with findings, findings
}

func (r *textReporter) file(fr *FileReport, out *fileOutcome) {
	if r.o.Lint {
		if len(fr.Findings) > 0 {
			r.files++
			r.findings += len(fr.Findings)
		}
		for _, f := range fr.Findings {
			fixable := ""
			if f.Fixed {
				fixable = " (dockopt fix)"
			}
			fmt.Fprintf(r.o.Stdout, "%s:%d: %s: %s%s [%s]\n", fr.Path, f.Line, f.Severity, f.Message, fixable, r.codes(f.Transform))
		}
		if r.o.DryRun {
			io.WriteString(r.o.Stdout, fr.Diff)
		}
		return
	}
	if fr.Verification != nil {
		io.WriteString(r.o.Stderr, VerificationLine(fr.Path, fr.Verification))
	}
	switch {
	case r.o.DryRun:
		io.WriteString(r.o.Stdout, fr.Diff)
	case out.path == "-" && !r.o.Check && out.res != nil:
		r.o.Stdout.Write(out.res.Output)
	}
}

// codes is "id" plus the equivalent hadolint codes and BuildKit rule.
func (r *textReporter) codes(id string) string {
	parts := []string{id}
	if t := Lookup(r.o.catalog(), id); t != nil {
		parts = append(parts, t.Hadolint...)
		if t.BuildKitRule != "" {
			parts = append(parts, t.BuildKitRule)
		}
	}
	return strings.Join(parts, ", ")
}

func (r *textReporter) finish(s Summary) error {
	if r.o.Lint {
		if !r.o.Quiet {
			fmt.Fprintf(r.o.Stderr, "dockopt check: %d files, %d findings in %d of them\n", s.Files, r.findings, r.files)
		}
		return nil
	}
	if r.o.Quiet || r.o.DryRun || r.o.stdinOnly {
		return nil
	}
	verb := "changed"
	if r.o.Check {
		verb = "would change"
	}
	fmt.Fprintf(r.o.Stderr, "dockopt: %d of %d files %s, %d findings fixed\n", s.Changed, s.Files, verb, s.FindingsFixed)
	return nil
}

type jsonReporter struct {
	o     *RunOptions
	files []FileReport
}

func (r *jsonReporter) file(fr *FileReport, _ *fileOutcome) { r.files = append(r.files, *fr) }

func (r *jsonReporter) finish(s Summary) error {
	if r.files == nil {
		r.files = []FileReport{}
	}
	enc := json.NewEncoder(r.o.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(JSONReport{Tool: "dockopt", Version: r.o.Version, Mode: r.o.mode(), Files: r.files, Summary: s})
}

// HelpURI is where a transform's documentation lives.
func HelpURI(id string) string {
	return "https://github.com/dockopt/dockopt#" + id
}

type sarifReporter struct {
	o       *RunOptions
	results []*sarif.Result
	files   []string

	verifications map[string]*Verification // by artifact URI: dockopt fix --verify
}

func sarifLevel(s Severity) string {
	switch s {
	case SeverityError:
		return "error"
	case SeverityInfo:
		return "note"
	}
	return "warning"
}

// repoURI is the path as a URI reference relative to the working directory
// (the repository root when run there), with forward slashes.
func repoURI(path string) string {
	if filepath.IsAbs(path) {
		if rel, err := filepath.Rel(".", path); err == nil && !strings.HasPrefix(rel, "..") {
			path = rel
		}
	}
	return filepath.ToSlash(strings.TrimPrefix(filepath.Clean(path), "./"))
}

func (r *sarifReporter) file(fr *FileReport, out *fileOutcome) {
	uri := repoURI(fr.Path)
	r.files = append(r.files, uri)
	if fr.Verification != nil {
		if r.verifications == nil {
			r.verifications = map[string]*Verification{}
		}
		r.verifications[uri] = fr.Verification
	}
	var fix *sarif.Fix
	if out.res != nil && out.res.Changed() {
		change := sarif.NewArtifactChange().WithArtifactLocation(sarif.NewSimpleArtifactLocation(uri).WithURIBaseID("%SRCROOT%"))
		for _, h := range LineHunks(out.res.Input, out.res.Output) {
			// Whole lines [OldStart, OldEnd) are replaced: the region runs from
			// column 1 of OldStart to column 1 of OldEnd (empty for an insertion).
			region := sarif.NewRegion().WithStartLine(h.OldStart).WithStartColumn(1).
				WithEndLine(h.OldEnd).WithEndColumn(1)
			change.AddReplacement(sarif.NewReplacement().WithDeletedRegion(region).
				WithInsertedContent(sarif.NewArtifactContent().WithText(h.New)))
		}
		fix = sarif.NewFix().WithDescription(sarif.NewTextMessage("dockopt fix")).AddArtifactChange(change)
	}
	if out.res != nil {
		fix = addSideChanges(fix, out.res) // sidecar.go
	}
	for _, f := range fr.Findings {
		end := f.EndLine
		if end < f.Line {
			end = f.Line
		}
		res := sarif.NewRuleResult(f.Transform).
			WithLevel(sarifLevel(f.Severity)).
			WithMessage(sarif.NewTextMessage(f.Message)).
			WithLocations([]*sarif.Location{sarif.NewLocationWithPhysicalLocation(
				sarif.NewPhysicalLocation().
					WithArtifactLocation(sarif.NewSimpleArtifactLocation(uri).WithURIBaseID("%SRCROOT%")).
					WithRegion(sarif.NewSimpleRegion(max(f.Line, 1), max(end, 1))))})
		if f.Fixed && fix != nil {
			res.WithFixes([]*sarif.Fix{fix})
			fix = nil // the file's whole change is attached once, to its first fixed finding
		}
		r.results = append(r.results, res)
	}
}

func (r *sarifReporter) finish(Summary) error {
	rep := sarif.NewReport()
	run := sarif.NewRunWithInformationURI("dockopt", "https://github.com/dockopt/dockopt")
	run.Tool.Driver.WithVersion(r.o.Version)
	for _, t := range r.o.catalog() {
		run.AddRule(t.ID).WithName(t.ID).
			WithShortDescription(sarif.NewMultiformatMessageString().WithText(t.Summary)).
			WithFullDescription(sarif.NewMultiformatMessageString().WithText(t.Rationale)).
			WithHelpURI(HelpURI(t.ID))
	}
	for _, f := range r.files {
		run.AddDistinctArtifact(f)
	}
	for _, res := range r.results {
		run.AddResult(res)
	}
	if r.verifications != nil {
		run.WithProperties(sarif.NewPropertyBag().Add("dockopt/verification", r.verifications))
	}
	rep.AddRun(run)
	return rep.PrettyWrite(r.o.Stdout)
}

type markdownReporter struct {
	o     *RunOptions
	files []FileReport
}

func (r *markdownReporter) file(fr *FileReport, _ *fileOutcome) {
	if fr.Changed || len(fr.Errors) > 0 || fr.Verification != nil {
		r.files = append(r.files, *fr)
	}
}

// finish writes a pull-request body: summary table, why per transform, one
// diff block per file.
func (r *markdownReporter) finish(s Summary) error {
	w := r.o.Stdout
	fmt.Fprintf(w, "## dockopt: %d of %d Dockerfiles improved\n\n", s.Changed, s.Files)
	if t := verificationTable(r.files); t != "" {
		fmt.Fprintln(w, t)
	}
	if s.Changed == 0 && s.Errors == 0 {
		fmt.Fprint(w, "Nothing to change.\n", verificationNotes(r.files))
		return nil
	}
	used := map[string]bool{}
	if s.Changed > 0 {
		fmt.Fprintln(w, "| File | Lines | Transforms applied |\n|---|---|---|")
		for _, f := range r.files {
			if !f.Changed {
				continue
			}
			add, del := diffStat(f.Diff)
			var ids []string
			seen := map[string]bool{}
			for _, x := range f.Findings {
				if x.Fixed && !seen[x.Transform] {
					seen[x.Transform], used[x.Transform] = true, true
					ids = append(ids, "`"+x.Transform+"`")
				}
			}
			fmt.Fprintf(w, "| `%s` | +%d −%d | %s |\n", f.Path, add, del, strings.Join(ids, ", "))
		}
		fmt.Fprintln(w, "\n### Why")
		var ids []string
		for id := range used {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			if t := Lookup(r.o.catalog(), id); t != nil {
				fmt.Fprintf(w, "- **`%s`**: %s. %s\n", id, strings.TrimSuffix(t.Summary, "."), firstSentence(t.Rationale))
			}
		}
	}
	for _, f := range r.files {
		if len(f.Errors) > 0 {
			fmt.Fprintf(w, "\n> **`%s` was not changed:** %s\n", f.Path, strings.Join(f.Errors, "; "))
		}
	}
	fmt.Fprint(w, verificationNotes(r.files))
	fmt.Fprintln(w, "\n### Changes")
	for _, f := range r.files {
		if f.Diff == "" {
			continue
		}
		fence := "```"
		for strings.Contains(f.Diff, fence) {
			fence += "`"
		}
		fmt.Fprintf(w, "\n#### `%s`\n\n%sdiff\n%s%s\n", f.Path, fence, f.Diff, fence)
	}
	fmt.Fprintln(w, "\n<sub>Generated by dockopt; every change was re-validated with BuildKit's parser.</sub>")
	return nil
}

func diffStat(d string) (add, del int) {
	for _, l := range strings.Split(d, "\n") {
		switch {
		case strings.HasPrefix(l, "+++"), strings.HasPrefix(l, "---"):
		case strings.HasPrefix(l, "+"):
			add++
		case strings.HasPrefix(l, "-"):
			del++
		}
	}
	return
}

func firstSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}
