//go:build e2e

package e2e

// `dockopt fix --verify` over every case: it must keep exactly the changes
// TestE2E proves equivalent, drop the transform a verify-* case breaks (and
// say why), leave a file whose original does not build unchanged, and report
// sizes and layers that `docker image inspect` confirms.

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// verifyDrops are the cases where a default transform breaks the build or
// the behaviour in a way only a build shows: the transform verification
// must drop, and what its report must say.
var verifyDrops = map[string]verifyDrop{
	"verify-recommends-build": {"apt-no-install-recommends", "does not build", "tree.sh: pstree not found",
		[]string{"RUN apt-get update \\\n    && apt-get install -y procps", "rm -rf /var/lib/apt/lists/*"}},
	"verify-recommends-smoke": {"apt-no-install-recommends", "the smoke command `cat /tools.txt`", "pstree: no",
		[]string{"apt-get install -y procps && rm -rf /var/lib/apt/lists/*"}},
}

// verifyDrop is what a verify-* case's report must say: the transform
// dropped, why, a line of the build log, and the other transforms' changes
// that the written file must still have.
type verifyDrop struct {
	transform, reason, log string
	kept                   []string
}

// verifyReport is the part of the JSON report this test reads.
type verifyReport struct {
	Files []struct {
		Changed      bool
		Errors       []string
		Verification *verification
	}
}

type verification struct {
	Status     string
	EditedFile string `json:"edited_file"`
	Before     *verifyStats
	After      *verifyStats
	Dropped    []struct{ Transform, Reason, Log string }
	Message    string
}

// checkDropped checks that verification dropped exactly drop.transform, for
// drop's reason, and wrote the rest.
func checkDropped(t *testing.T, v *verification, drop verifyDrop, written []byte) {
	t.Helper()
	if v.Status != "partial" || len(v.Dropped) != 1 || v.Dropped[0].Transform != drop.transform ||
		!strings.Contains(v.Dropped[0].Reason, drop.reason) || !strings.Contains(v.Dropped[0].Log, drop.log) {
		t.Errorf("want status partial and %s dropped because %q (log with %q); got %+v", drop.transform, drop.reason, drop.log, v)
	}
	for _, k := range drop.kept {
		if !strings.Contains(string(written), k) {
			t.Errorf("the written file lost a verified change %q:\n%s", k, written)
		}
	}
	if strings.Contains(string(written), "--no-install-recommends") {
		t.Errorf("the dropped change was written:\n%s", written)
	}
}

type verifyStats struct {
	SizeBytes        int64    `json:"size_bytes"`
	Layers           int      `json:"layers"`
	ColdBuildSeconds float64  `json:"cold_build_seconds"`
	RebuildSeconds   *float64 `json:"rebuild_seconds"`
}

func TestVerify(t *testing.T) {
	if _, _, code, err := docker(context.Background(), "info"); err != nil || code != 0 {
		t.Fatalf("the Docker engine does not answer (%v, exit %d): run `bash e2e/provision.sh`", err, code)
	}
	h := &harness{run: fmt.Sprintf("v%d-%d", os.Getpid(), time.Now().Unix()%100000)}
	h.dockopt = buildDockopt(t)
	h.transforms = listTransforms(t, h.dockopt)
	entries, err := os.ReadDir("cases")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	rows := map[string]string{}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	for name := range verifyDrops {
		if !slices.Contains(names, name) {
			t.Errorf("verifyDrops names %s, which is not a case", name)
		}
	}
	t.Run("cases", func(t *testing.T) {
		for _, name := range names {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				if row := h.verifyCase(t, name); row != "" {
					mu.Lock()
					rows[name] = row
					mu.Unlock()
				}
			})
		}
	})
	var sb strings.Builder
	sb.WriteString("| case | size before | size after | layers | cold build | rebuild after a source edit |\n|---|---:|---:|---:|---:|---:|\n")
	keys := make([]string, 0, len(rows))
	for k := range rows {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		sb.WriteString(rows[k])
	}
	fmt.Printf("\ndockopt fix --verify, as measured:\n\n%s\n", sb.String())
}

// verifyCase runs one case and returns its row of the measurements table
// ("" for an unchanged file).
func (h *harness) verifyCase(t *testing.T, name string) string {
	vc := h.prepareVerifyCase(t, name)
	spec, plain := vc.spec, vc.plain
	orig, err := os.ReadFile(filepath.Join("cases", name, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}

	rep, out, written := h.runVerify(t, name, vc)
	v := rep.Files[0].Verification
	switch drop, isDrop := verifyDrops[name]; {
	case string(plain) == string(orig) && len(vc.side) == 0:
		if v != nil || string(written) != string(orig) {
			t.Errorf("an unchanged file was verified (%+v) or rewritten", v)
		}
		return ""
	case spec.originalFails:
		if v == nil || v.Status != "original-fails" || v.Message == "" || string(written) != string(orig) {
			t.Errorf("the original does not build: want status original-fails with its log and the file unchanged; got %+v\n%s", v, written)
		}
		return ""
	case v == nil:
		t.Fatalf("no verification in the report:\n%s", out)
	case isDrop:
		checkDropped(t, v, drop, written)
	default:
		// TestE2E proves the plain fix equivalent: verification keeps all of it.
		if v.Status != "verified" || len(v.Dropped) > 0 || string(written) != string(plain) {
			t.Fatalf("--verify kept other than the plain fix (status %s, dropped %+v); TestE2E/cases/%s should fail too.\nplain fix:\n%s\nwritten:\n%s\n%s",
				v.Status, v.Dropped, name, plain, written, v.Message)
		}
		// The files the fix writes beside the Dockerfile are kept too.
		got := topFiles(t, vc.verifyDir)
		for f, content := range vc.side {
			if got[f] != content {
				t.Errorf("--verify did not write %s as plain dockopt fix does:\n%s\nwant:\n%s", f, got[f], content)
			}
		}
	}
	if v.Before == nil || v.After == nil {
		t.Fatalf("no measurements: %+v", v)
	}
	h.checkSizes(t, name, filepath.Join("cases", name), written, vc.side, v.Before, v.After)
	if name == "verify-reorder-rebuild" {
		if v.EditedFile != "app.py" || v.Before.RebuildSeconds == nil || v.After.RebuildSeconds == nil ||
			*v.Before.RebuildSeconds < 3**v.After.RebuildSeconds {
			// The original re-runs apt-get after the edit; the result only
			// copies the context again.
			t.Errorf("want a rebuild after editing app.py at least 3 times faster; got %s, %+v -> %+v", v.EditedFile, v.Before, v.After)
		}
	}
	rebuild := "n/a"
	if v.Before.RebuildSeconds != nil && v.After.RebuildSeconds != nil {
		rebuild = fmt.Sprintf("%.1f s → %.1f s", *v.Before.RebuildSeconds, *v.After.RebuildSeconds)
	}
	return fmt.Sprintf("| %s | %s MB | %s MB | %d → %d | %.1f s → %.1f s | %s |\n", name, mb(v.Before.SizeBytes), mb(v.After.SizeBytes),
		v.Before.Layers, v.After.Layers, v.Before.ColdBuildSeconds, v.After.ColdBuildSeconds, rebuild)
}

// checkSizes builds the original and the written file again (the cache
// makes this quick) and compares `docker image inspect` with the report.
func (h *harness) checkSizes(t *testing.T, name, src string, written []byte, side map[string]string, before, after *verifyStats) {
	eachVersion(t, src, written, side, before, after, func(i int, what, dir string, want *verifyStats) {
		tag := fmt.Sprintf("dockopt-e2e/%s:verify%d-%s", name, i, h.run)
		t.Cleanup(func() { removeImages(t, tag) })
		ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
		_, errOut, code, err := docker(ctx, "build", "--label", label, "-t", tag, dir)
		cancel()
		if err != nil || code != 0 {
			t.Fatalf("building the %s again: exit %d %v\n%s", what, code, err, tail(errOut, 20))
		}
		img := inspect(t, tag)
		if math.Abs(float64(img.Size-want.SizeBytes)) > 0.01*float64(img.Size) {
			t.Errorf("%s: reported %d bytes, docker image inspect says %d (more than 1%% apart)", what, want.SizeBytes, img.Size)
		}
		if len(img.RootFS.Layers) != want.Layers {
			t.Errorf("%s: reported %d layers, docker image inspect says %d", what, want.Layers, len(img.RootFS.Layers))
		}
	})
}

// eachVersion makes a copy of the case src (with its setup) and calls
// measure on it for the original (i 0, want before), then for the result
// (i 1, want after): the written Dockerfile and the side files the fix
// wrote beside it.
func eachVersion(t *testing.T, src string, written []byte, side map[string]string, before, after *verifyStats,
	measure func(i int, what, dir string, want *verifyStats)) {
	t.Helper()
	dir := t.TempDir()
	if err := copyCase(src, dir); err != nil {
		t.Fatal(err)
	}
	runSetup(t, src, dir)
	measure(0, "original", dir, before)
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), written, 0o644); err != nil {
		t.Fatal(err)
	}
	for f, content := range side {
		if err := os.WriteFile(filepath.Join(dir, f), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	measure(1, "result", dir, after)
}

// quoteWords joins argv into a command line that splits back into it.
func quoteWords(argv []string) string {
	q := make([]string, len(argv))
	for i, w := range argv {
		q[i] = "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
	}
	return strings.Join(q, " ")
}

// verifyCase is one case made ready for a `fix --verify` run: its spec, its
// flags without --verify, a copy to verify, and what plain `dockopt fix` (the
// fix TestE2E checks) writes for it.
type verifyCase struct {
	spec      caseSpec
	flags     []string
	verifyDir string
	plain     []byte
	// side are the files beside the Dockerfile that plain `dockopt fix`
	// wrote or changed (a .dockerignore), by name.
	side map[string]string
}

// prepareVerifyCase skips a case whose transforms are not in the Suite, runs
// plain `dockopt fix` on one copy and leaves another copy for --verify.
func (h *harness) prepareVerifyCase(t *testing.T, name string) verifyCase {
	t.Helper()
	src := filepath.Join("cases", name)
	spec, err := readSpec(src)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	for _, id := range spec.needs {
		if !h.transforms[id] {
			t.Skipf("needs transform %s, not in the Suite", id)
		}
	}
	var flags []string
	for _, f := range spec.flags {
		if f != "--verify" {
			flags = append(flags, f)
		}
	}
	plainDir, verifyDir := t.TempDir(), t.TempDir()
	for _, d := range []string{plainDir, verifyDir} {
		if err := copyCase(src, d); err != nil {
			t.Fatal(err)
		}
		runSetup(t, src, d)
	}
	before := topFiles(t, plainDir)
	args := append(append([]string{"fix"}, flags...), filepath.Join(plainDir, "Dockerfile"))
	if out, errOut, code := h.dockoptRun(t, args...); code != 0 {
		t.Fatalf("dockopt %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
	}
	plain, _ := os.ReadFile(filepath.Join(plainDir, "Dockerfile"))
	side := sideChanges(before, topFiles(t, plainDir))
	return verifyCase{spec: spec, flags: flags, verifyDir: verifyDir, plain: plain, side: side}
}

// sideChanges are the files other than the Dockerfile that after has and
// before had not, or had with other content.
func sideChanges(before, after map[string]string) map[string]string {
	out := map[string]string{}
	for name, content := range after {
		if old, ok := before[name]; name != "Dockerfile" && (!ok || old != content) {
			out[name] = content
		}
	}
	return out
}

// runVerify runs `dockopt fix --verify [engine...] --format json` on the
// case's copy and returns the report (one file, exit 0), its text and the
// file as written. The smoke command is what TestE2E runs: the case's run=
// words, or the image's own command; a verify-* case has its own (a
// comment) or none.
func (h *harness) runVerify(t *testing.T, name string, vc verifyCase, engine ...string) (verifyReport, string, []byte) {
	t.Helper()
	args := append(append([]string{"fix", "--verify"}, engine...), "--verify-jobs", "2", "--format", "json")
	if _, ok := verifyDrops[name]; !ok {
		args = append(args, "--verify-run", quoteWords(vc.spec.run))
	}
	args = append(args, append(vc.flags, filepath.Join(vc.verifyDir, "Dockerfile"))...)
	began := time.Now()
	out, errOut, code := h.dockoptRun(t, args...)
	t.Logf("dockopt %s: exit %d in %s\n%s", strings.Join(args, " "), code, time.Since(began).Round(time.Second), errOut)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	var rep verifyReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Files) != 1 {
		t.Fatalf("the JSON report: %v\n%s", err, out)
	}
	written, _ := os.ReadFile(filepath.Join(vc.verifyDir, "Dockerfile"))
	return rep, out, written
}
