package rewrite

// dockopt fix --verify: the hook that package verify fills in, and how its
// findings show in every report format. The rewrite package itself never
// talks to a container engine.

import (
	"context"
	"fmt"
	"strings"
)

// Verifier builds a changed file's original and result with a container
// engine (dockopt fix --verify). It returns the result to keep: res itself,
// the result of running fewer transforms, or res with Output set back to
// Input when no change could be verified. An error leaves the file
// unchanged and makes the run exit 2.
type Verifier func(ctx context.Context, path string, res *Result, transforms []*Transform, settings *Settings) (*Result, *Verification, error)

// Verification statuses.
const (
	VerifyVerified      = "verified"       // every change was built and compared, and kept
	VerifyPartial       = "partial"        // some transforms were dropped; the rest was verified and kept
	VerifyRejected      = "rejected"       // no change could be verified; the file is left unchanged
	VerifyOriginalFails = "original-fails" // the original does not build; the file is left unchanged
)

// Verification is what `dockopt fix --verify` found for one file: the
// JSON report's "verification" object (sizes in bytes, times in seconds).
type Verification struct {
	Status string `json:"status"`
	Engine string `json:"engine"` // e.g. "docker 20.10.24 (BuildKit)"
	// Before is the original's image; After the kept result's (absent when
	// nothing was kept).
	Before *ImageStats `json:"before,omitempty"`
	After  *ImageStats `json:"after,omitempty"`
	// EditedFile is the context file (relative to the context) that the
	// rebuild measurement changed: one the last whole-context COPY copies.
	EditedFile string `json:"edited_file,omitempty"`
	// Smoke lists the smoke commands both images ran with the same stdout
	// and exit status ("" runs the image's own command).
	Smoke   []string           `json:"smoke,omitempty"`
	Dropped []DroppedTransform `json:"dropped,omitempty"`
	// Message says why, for original-fails: the original's build log tail.
	Message string `json:"message,omitempty"`
}

// ImageStats measures one image and its builds.
type ImageStats struct {
	SizeBytes        int64   `json:"size_bytes"`         // docker image inspect .Size
	Layers           int     `json:"layers"`             // RootFS layers, base image's included
	ColdBuildSeconds float64 `json:"cold_build_seconds"` // build with --no-cache
	// RebuildSeconds is the build after EditedFile changed, with the cache
	// the cold build left; absent when no whole-context COPY exists.
	RebuildSeconds *float64 `json:"rebuild_seconds,omitempty"`
}

// DroppedTransform is a transform whose changes did not survive
// verification for one file.
type DroppedTransform struct {
	Transform string `json:"transform"`
	Reason    string `json:"reason"`        // one line
	Log       string `json:"log,omitempty"` // the build log's last lines, or the differing output
}

// verifyResult runs o.Verify over a changed result; see Verifier.
func (o *RunOptions) verifyResult(path string, res *Result, ts []*Transform, settings *Settings) (*Result, *Verification, error) {
	if o.Verify == nil || o.Lint || !res.Changed() && !res.FilesChanged() {
		return res, nil, nil
	}
	kept, v, err := o.Verify(context.Background(), path, res, ts, settings)
	if err != nil {
		res.Output, res.Files = res.Input, nil // never write an unverified file
		for i := range res.Findings {
			res.Findings[i].Fixed = false
		}
		return res, v, err
	}
	return kept, v, nil
}

// VerificationLine is the text report's line for one file.
func VerificationLine(path string, v *Verification) string {
	var sb strings.Builder
	switch v.Status {
	case VerifyOriginalFails:
		fmt.Fprintf(&sb, "%s: not changed: the original does not build with %s\n%s", path, v.Engine, indent(v.Message))
		return sb.String()
	case VerifyRejected:
		fmt.Fprintf(&sb, "%s: not changed: no change could be verified with %s", path, v.Engine)
	default:
		fmt.Fprintf(&sb, "%s: verified with %s", path, v.Engine)
		if v.Before != nil && v.After != nil {
			b, a := v.Before, v.After
			fmt.Fprintf(&sb, ": size %s -> %s, layers %d -> %d, cold build %s -> %s",
				FormatMB(b.SizeBytes), FormatMB(a.SizeBytes), b.Layers, a.Layers,
				FormatSeconds(b.ColdBuildSeconds), FormatSeconds(a.ColdBuildSeconds))
			if b.RebuildSeconds != nil && a.RebuildSeconds != nil {
				fmt.Fprintf(&sb, ", rebuild after editing %s %s -> %s", v.EditedFile,
					FormatSeconds(*b.RebuildSeconds), FormatSeconds(*a.RebuildSeconds))
			}
		}
	}
	sb.WriteString("\n")
	for _, d := range v.Dropped {
		fmt.Fprintf(&sb, "%s: dropped %s: %s\n%s", path, d.Transform, d.Reason, indent(d.Log))
	}
	return sb.String()
}

// verificationTable is the Markdown before -> after table of the files
// that were verified, or "".
func verificationTable(files []FileReport) string {
	var sb strings.Builder
	engine := ""
	for _, f := range files {
		v := f.Verification
		if v == nil || v.Before == nil || v.After == nil {
			continue
		}
		if engine == "" {
			engine = v.Engine
			sb.WriteString("| File | Image size | Layers | Cold build | Rebuild after a source edit |\n|---|---:|---:|---:|---:|\n")
		}
		b, a := v.Before, v.After
		rebuild := "n/a (no `COPY . …`)"
		if b.RebuildSeconds != nil && a.RebuildSeconds != nil {
			rebuild = fmt.Sprintf("%s → %s", FormatSeconds(*b.RebuildSeconds), FormatSeconds(*a.RebuildSeconds))
		}
		fmt.Fprintf(&sb, "| `%s` | %s → %s (%s) | %d → %d | %s → %s | %s |\n", f.Path,
			FormatMB(b.SizeBytes), FormatMB(a.SizeBytes), percent(b.SizeBytes, a.SizeBytes),
			b.Layers, a.Layers, FormatSeconds(b.ColdBuildSeconds), FormatSeconds(a.ColdBuildSeconds), rebuild)
	}
	if engine == "" {
		return ""
	}
	return "Built before and after with " + engine + ":\n\n" + sb.String()
}

// verificationNotes is the Markdown list of what verification dropped or
// could not check, or "".
func verificationNotes(files []FileReport) string {
	var sb strings.Builder
	for _, f := range files {
		v := f.Verification
		if v == nil {
			continue
		}
		if v.Status == VerifyOriginalFails {
			fmt.Fprintf(&sb, "\n> **`%s` was not changed:** the original does not build, so no change could be verified.\n", f.Path)
			sb.WriteString(codeBlock(v.Message))
		}
		for _, d := range v.Dropped {
			fmt.Fprintf(&sb, "\n> **`%s` was not applied to `%s`:** %s\n", d.Transform, f.Path, d.Reason)
			sb.WriteString(codeBlock(d.Log))
			fmt.Fprintf(&sb, "\nTo stop proposing it here, put `# dockopt:ignore=%s` on the line above the instruction it changes.\n", d.Transform)
		}
	}
	return sb.String()
}

func codeBlock(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	fence := "```"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	return "\n" + fence + "\n" + strings.TrimRight(s, "\n") + "\n" + fence + "\n"
}

func indent(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ") + "\n"
}

// FormatMB is n bytes in MB (10^6 bytes), as `docker images` shows them.
func FormatMB(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }

// FormatSeconds is a duration in seconds, to a tenth.
func FormatSeconds(s float64) string { return fmt.Sprintf("%.1f s", s) }

func percent(before, after int64) string {
	if before == 0 {
		return "n/a"
	}
	p := 100 * float64(after-before) / float64(before)
	switch {
	case p < -0.05:
		return fmt.Sprintf("−%.1f%%", -p)
	case p > 0.05:
		return fmt.Sprintf("+%.1f%%", p)
	}
	return "±0%"
}
