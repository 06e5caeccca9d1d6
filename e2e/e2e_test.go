//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/dockopt/dockopt/verify"
)

const (
	// dockerBin is Debian's docker.io client, which speaks BuildKit when
	// DOCKER_BUILDKIT=1. Other clients on the PATH may not.
	dockerBin = "/usr/bin/docker"
	// label marks every image and container the harness makes; runLabelKey
	// says which run made it, so that the sweeps at the start and end of a
	// run remove exactly its own and those of dead runs.
	labelKey    = "dockopt-e2e"
	label       = labelKey + "=1"
	runLabelKey = labelKey + ".run"

	buildTimeout = 4 * time.Minute // per attempt; see build
	runTimeout   = 2 * time.Minute
)

// measure is one finished case: the row of the results table.
type measure struct {
	sizeBefore, sizeAfter     int64
	layersBefore, layersAfter int
	changed                   bool
}

// runID names this run ("<pid>-<n>") in tags, container names and labels.
var runID = fmt.Sprintf("%d-%d", os.Getpid(), time.Now().Unix()%100000)

type harness struct {
	dockopt    string          // the dockopt binary built for this run
	transforms map[string]bool // IDs `dockopt list` prints
	run        string          // unique per run, part of every tag and container name

	mu       sync.Mutex
	results  map[string]measure
	skipped  map[string]string
	failed   map[string]bool
	attempts atomic.Int32
}

func TestE2E(t *testing.T) {
	start := time.Now()
	if _, err := os.Stat(dockerBin); err != nil {
		t.Fatalf("%s not found: run `bash e2e/provision.sh` (or `make e2e`)", dockerBin)
	}
	if _, _, code, err := docker(context.Background(), "info"); err != nil || code != 0 {
		t.Fatalf("the Docker engine does not answer (%v, exit %d): run `bash e2e/provision.sh`", err, code)
	}
	h := &harness{
		run:     runID,
		results: map[string]measure{},
		skipped: map[string]string{},
		failed:  map[string]bool{},
	}
	h.dockopt = buildDockopt(t)
	h.transforms = listTransforms(t, h.dockopt)
	sweep(t, h.run, true)
	t.Cleanup(func() { sweep(t, h.run, false) })

	entries, err := os.ReadDir("cases")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		t.Fatal("no case directories under e2e/cases")
	}

	// The group returns once all its parallel subtests are done; how many run
	// at once is go test's -parallel (the Makefile sets 2).
	t.Run("cases", func(t *testing.T) {
		for _, name := range names {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				h.attempts.Add(1)
				defer func() {
					if t.Failed() {
						h.mu.Lock()
						h.failed[name] = true
						h.mu.Unlock()
					}
				}()
				h.runCase(t, name)
			})
		}
	})

	table := h.table(names)
	fmt.Printf("\n%s\n%d cases in %s\n", table, len(names), time.Since(start).Round(time.Second))
	// Only a run over every case rewrites results.md (failures included, so
	// that a broken case shows in its diff); `-run` over a subset does not.
	if int(h.attempts.Load()) == len(names) {
		if err := os.WriteFile("results.md", []byte(h.resultsFile(table, time.Since(start))), 0o644); err != nil {
			t.Error(err)
		}
	}
}

func (h *harness) runCase(t *testing.T, name string) {
	src := filepath.Join("cases", name)
	spec, err := readSpec(src)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	var missing []string
	for _, id := range spec.needs {
		if !h.transforms[id] {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		why := "needs transform(s) not in the Suite: " + strings.Join(missing, ", ")
		if os.Getenv("DOCKOPT_E2E_STRICT") != "" {
			t.Fatal(why + " (DOCKOPT_E2E_STRICT is set)")
		}
		h.mu.Lock()
		h.skipped[name] = why
		h.mu.Unlock()
		t.Skip(why)
	}

	dir := t.TempDir()
	if err := copyCase(src, dir); err != nil {
		t.Fatal(err)
	}
	runSetup(t, src, dir)
	dockerfile := filepath.Join(dir, "Dockerfile")
	orig, err := os.ReadFile(dockerfile)
	if err != nil {
		t.Fatal(err)
	}
	sideBefore := topFiles(t, dir)

	tagBefore := fmt.Sprintf("dockopt-e2e/%s:before-%s", name, h.run)
	tagAfter := fmt.Sprintf("dockopt-e2e/%s:after-%s", name, h.run)
	t.Cleanup(func() { removeImages(t, tagBefore, tagAfter) })

	// 1. the original (or, for a case about a Dockerfile that does not build,
	// its failure)
	if spec.originalFails {
		if log, err := tryBuild(dir, tagBefore); err == nil {
			t.Fatalf("expected the original Dockerfile to fail to build; it built:\n%s", tail(log, 20))
		} else {
			t.Logf("the original fails to build, as expected: %v\n%s", err, tail(log, 8))
		}
	} else {
		build(t, dir, tagBefore, "original")
	}

	// 2. the fix, its expected effect, and that a second run changes nothing
	fixArgs := append(append([]string{"fix"}, spec.flags...), dockerfile)
	out, errOut, code := h.dockoptRun(t, fixArgs...)
	if code != 0 {
		t.Fatalf("dockopt %s: exit %d\n%s%s", strings.Join(fixArgs, " "), code, out, errOut)
	}
	fixed, err := os.ReadFile(dockerfile)
	if err != nil {
		t.Fatal(err)
	}
	changed := !bytes.Equal(orig, fixed)
	// A fix may also create or change a file beside the Dockerfile (the
	// dockerignore transform's .dockerignore): that changes the build too.
	for name, after := range topFiles(t, dir) {
		if before, ok := sideBefore[name]; name != "Dockerfile" && (!ok || before != after) {
			changed = true
			t.Logf("dockopt fix wrote %s:\n%s", name, after)
		}
	}
	if changed {
		t.Logf("dockopt %s\n%s--- fixed Dockerfile ---\n%s", strings.Join(fixArgs, " "), errOut, fixed)
	} else {
		t.Logf("dockopt %s: unchanged\n%s", strings.Join(fixArgs, " "), errOut)
	}
	switch {
	case spec.mustChange == "true" && !changed:
		t.Fatalf("expected `dockopt fix %s` to change the Dockerfile; it came back unchanged", strings.Join(spec.flags, " "))
	case spec.mustChange == "false" && changed:
		t.Errorf("expected the Dockerfile to come back unchanged; dockopt rewrote it to:\n%s", fixed)
	}
	checkArgs := append(append([]string{"fix", "--check", "--dry-run"}, spec.flags...), dockerfile)
	if out, errOut, code := h.dockoptRun(t, checkArgs...); code != 0 {
		t.Errorf("not idempotent: a second `dockopt fix` would change the fixed file (exit %d):\n%s%s", code, out, errOut)
	}

	// 3. the fixed file (an unchanged file would build the same image again)
	if changed {
		build(t, dir, tagAfter, "fixed")
	} else {
		tagAfter = tagBefore
	}

	if spec.originalFails {
		h.checkFixedOnly(t, name, spec, tagAfter, fixed)
		return
	}

	// 4. same behaviour (and the output the case expects, if it says)
	outBefore, errBefore, codeBefore := runImage(t, tagBefore, spec.run, fmt.Sprintf("dockopt-e2e-%s-before-%s", name, h.run))
	outAfter, errAfter, codeAfter := runImage(t, tagAfter, spec.run, fmt.Sprintf("dockopt-e2e-%s-after-%s", name, h.run))
	t.Logf("container output (exit %d):\n%s", codeBefore, outBefore)
	if spec.wantStdout != nil && outBefore != *spec.wantStdout {
		t.Errorf("the original image prints\n%s\nbut want.stdout says\n%s", outBefore, *spec.wantStdout)
	}
	if outBefore != outAfter || codeBefore != codeAfter {
		t.Errorf("the fixed image behaves differently.\noriginal Dockerfile:\n%s\nfixed Dockerfile:\n%s\n"+
			"original image: exit %d, stdout:\n%s\n(stderr: %s)\nfixed image: exit %d, stdout:\n%s\n(stderr: %s)",
			orig, fixed, codeBefore, outBefore, tail(errBefore, 10), codeAfter, outAfter, tail(errAfter, 10))
	}

	// 5. same runtime config; 6. size and layers
	before, after := inspect(t, tagBefore), inspect(t, tagAfter)
	for _, f := range configFields {
		a, b := verify.NormalizeConfigField(before.Config[f]), verify.NormalizeConfigField(after.Config[f])
		if reflect.DeepEqual(a, b) {
			continue
		}
		if spec.configMayChange[f] {
			t.Logf("Config.%s changed on purpose: %s -> %s", f, before.Config[f], after.Config[f])
			continue
		}
		t.Errorf("Config.%s differs: %s (original) vs %s (fixed)", f, before.Config[f], after.Config[f])
	}
	m := measure{
		sizeBefore: before.Size, sizeAfter: after.Size,
		layersBefore: len(before.RootFS.Layers), layersAfter: len(after.RootFS.Layers),
		changed: changed,
	}
	ratio := float64(m.sizeAfter) / float64(m.sizeBefore)
	t.Logf("size %s -> %s MB (ratio %.3f), layers %d -> %d",
		mb(m.sizeBefore), mb(m.sizeAfter), ratio, m.layersBefore, m.layersAfter)
	if spec.maxSizeRatio > 0 && ratio > spec.maxSizeRatio {
		t.Errorf("size ratio after/before is %.3f, want <= %.3f", ratio, spec.maxSizeRatio)
	}
	if !t.Failed() {
		h.mu.Lock()
		h.results[name] = m
		h.mu.Unlock()
	}
}

// copyCase copies a case's build context (everything but the harness's own
// files) into dir.
func copyCase(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if rel == "flags" || rel == "expect" || rel == "want.stdout" || rel == "setup" {
			return nil
		}
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(target, info.Mode().Perm()|0o700)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, info.Mode().Perm())
	})
}

// runSetup runs the case's optional `setup` script (bash, in the copy of
// the case, before anything is built): it makes what a repository cannot
// hold, such as a .git directory or 50 MB of generated files.
func runSetup(t *testing.T, src, dir string) {
	script, err := filepath.Abs(filepath.Join(src, "setup"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(script); err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", script)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("setup: %v\n%s", err, out)
	}
}

// topFiles is the content of the regular files at the top of dir, by name:
// where a fix may write an ignore file beside the Dockerfile.
func topFiles(t *testing.T, dir string) map[string]string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = string(b)
	}
	return out
}

func buildDockopt(t *testing.T) string {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "dockopt")
	cmd := exec.Command(goBin, "build", "-o", bin, "./cmd/dockopt")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/dockopt: %v\n%s", err, out)
	}
	return bin
}

func listTransforms(t *testing.T, bin string) map[string]bool {
	out, err := exec.Command(bin, "list").Output()
	if err != nil {
		t.Fatalf("dockopt list: %v", err)
	}
	ids := map[string]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			ids[f[0]] = true
		}
	}
	return ids
}

func (h *harness) dockoptRun(t *testing.T, args ...string) (stdout, stderr string, code int) {
	var o, e bytes.Buffer
	cmd := exec.Command(h.dockopt, args...)
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatalf("dockopt: %v", err)
	}
	return o.String(), e.String(), code
}

// docker runs the Docker client with BuildKit on.
func docker(ctx context.Context, args ...string) (stdout, stderr string, code int, err error) {
	var o, e bytes.Buffer
	cmd := exec.CommandContext(ctx, dockerBin, args...)
	cmd.Env = append(os.Environ(), "DOCKER_BUILDKIT=1")
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return o.String(), e.String(), exit.ExitCode(), nil
	}
	return o.String(), e.String(), 0, err
}

// build builds dir's Dockerfile without the build cache: a cached
// `apt-get update` layer from an earlier run could install other package
// versions than a fresh one in the fixed build, and the outputs would then
// differ for reasons that are not dockopt's.
func build(t *testing.T, dir, tag, what string) {
	began := time.Now()
	log, err := tryBuild(dir, tag)
	// Builds download from Debian's mirror, which now and then hangs or drops
	// a connection: retry those failures (not others) a couple of times.
	for attempt := 2; err != nil && transient(log, err) && attempt <= 3; attempt++ {
		t.Logf("building the %s Dockerfile failed on the network (%v); attempt %d", what, err, attempt)
		log, err = tryBuild(dir, tag)
	}
	if err != nil {
		df, _ := os.ReadFile(filepath.Join(dir, "Dockerfile"))
		t.Fatalf("building the %s Dockerfile failed (%v):\n%s\n--- build log (tail) ---\n%s",
			what, err, df, tail(log, 40))
	}
	t.Logf("built %s image %s in %s", what, tag, time.Since(began).Round(100*time.Millisecond))
}

// transient reports whether a failed build failed on the network: a
// timeout, or apt's and DNS's words for a failed download.
func transient(log string, err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	for _, s := range []string{"Temporary failure resolving", "Could not resolve", "Failed to fetch",
		"Connection timed out", "Connection failed", "Hash Sum mismatch", "Unable to connect"} {
		if strings.Contains(log, s) {
			return true
		}
	}
	return false
}

// tryBuild builds dir's Dockerfile as tag and returns the build log.
func tryBuild(dir, tag string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
	defer cancel()
	_, errOut, code, err := docker(ctx, "build", "--no-cache", "--progress=plain",
		"--label", label, "--label", runLabelKey+"="+runID, "-t", tag, dir)
	if ctx.Err() != nil {
		err = fmt.Errorf("docker build: %w", ctx.Err())
	} else if err == nil && code != 0 {
		err = fmt.Errorf("docker build: exit %d", code)
	}
	return errOut, err
}

// checkFixedOnly finishes a case whose original does not build: the fixed
// image must run, exit 0 and print want.stdout.
func (h *harness) checkFixedOnly(t *testing.T, name string, spec caseSpec, tag string, fixed []byte) {
	out, errOut, code := runImage(t, tag, spec.run, fmt.Sprintf("dockopt-e2e-%s-after-%s", name, h.run))
	t.Logf("fixed image output (exit %d):\n%s", code, out)
	if code != 0 || out != *spec.wantStdout {
		t.Errorf("the fixed image exits %d and prints\n%s\n(stderr: %s)\nwant exit 0 and (want.stdout)\n%s\nfixed Dockerfile:\n%s",
			code, out, tail(errOut, 10), *spec.wantStdout, fixed)
	}
	after := inspect(t, tag)
	if !t.Failed() {
		h.mu.Lock()
		h.results[name] = measure{sizeBefore: -1, sizeAfter: after.Size, layersBefore: -1,
			layersAfter: len(after.RootFS.Layers), changed: true}
		h.mu.Unlock()
	}
}

// runImage runs the image once (no network: the case must not depend on it)
// and returns its stdout, stderr and exit status.
func runImage(t *testing.T, tag string, argv []string, name string) (string, string, int) {
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	args := append([]string{"run", "--rm", "--network", "none", "--label", label,
		"--label", runLabelKey + "=" + runID, "--name", name, tag}, argv...)
	out, errOut, code, err := docker(ctx, args...)
	if err != nil {
		docker(context.Background(), "rm", "-f", name)
		t.Fatalf("docker run %s: %v\n%s", tag, err, errOut)
	}
	return out, errOut, code
}

type imageInfo struct {
	Size   int64
	RootFS struct{ Layers []string }
	Config map[string]json.RawMessage
}

func inspect(t *testing.T, tag string) imageInfo {
	out, errOut, code, err := docker(context.Background(), "image", "inspect", tag)
	if err != nil || code != 0 {
		t.Fatalf("docker image inspect %s: exit %d %v\n%s", tag, code, err, errOut)
	}
	var infos []imageInfo
	if err := json.Unmarshal([]byte(out), &infos); err != nil || len(infos) != 1 {
		t.Fatalf("docker image inspect %s: %v (%d results)", tag, err, len(infos))
	}
	return infos[0]
}

func removeImages(t *testing.T, tags ...string) {
	for _, tag := range tags {
		if _, errOut, code, err := docker(context.Background(), "image", "rm", "-f", tag); err != nil ||
			(code != 0 && !strings.Contains(errOut, "No such image")) {
			t.Logf("removing %s: exit %d %v %s", tag, code, err, errOut)
		}
	}
}

// sweep removes the containers and images of this run (leftovers=false),
// or those of earlier runs whose test process is gone (leftovers=true: an
// interrupted run). A run that is still going, such as CI next to a
// developer's run on the same engine, keeps its images.
func sweep(t *testing.T, run string, leftovers bool) {
	ctx := context.Background()
	for _, kind := range []struct{ list, inspect, rm []string }{
		{[]string{"ps", "-aq", "--filter", "label=" + label}, []string{"container", "inspect"}, []string{"rm", "-f"}},
		{[]string{"images", "-q", "--filter", "label=" + label}, []string{"image", "inspect"}, []string{"image", "rm", "-f"}},
	} {
		out, _, _, err := docker(ctx, kind.list...)
		ids := dedupe(strings.Fields(out))
		if err != nil || len(ids) == 0 {
			continue
		}
		format := fmt.Sprintf(`{{.Id}} {{index .Config.Labels %q}}`, runLabelKey)
		out, _, _, err = docker(ctx, append(append(kind.inspect, "--format", format), ids...)...)
		if err != nil {
			continue
		}
		var remove []string
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			id, owner, _ := strings.Cut(strings.TrimSpace(line), " ")
			if id == "" {
				continue
			}
			if (!leftovers && owner == run) || (leftovers && owner != run && !runAlive(owner)) {
				remove = append(remove, id)
			}
		}
		if len(remove) == 0 {
			continue
		}
		if _, errOut, code, err := docker(ctx, append(kind.rm, remove...)...); err != nil || code != 0 {
			t.Logf("sweep: %s: exit %d %v %s", strings.Join(kind.rm, " "), code, err, errOut)
		}
	}
}

// runAlive reports whether the test process of run ("<pid>-<n>") is still
// running on this machine.
func runAlive(run string) bool {
	pidText, _, _ := strings.Cut(run, "-")
	pid, err := strconv.Atoi(pidText)
	if err != nil || pid <= 0 {
		return false
	}
	err = syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// table is the Markdown results table, one row per case that passed, then
// the cases that failed or were skipped.
func (h *harness) table(names []string) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var sb strings.Builder
	sb.WriteString("| case | size before | size after | layers before | layers after |\n")
	sb.WriteString("|---|---:|---:|---:|---:|\n")
	for _, name := range names {
		m, ok := h.results[name]
		if !ok {
			continue
		}
		display := name
		if !m.changed {
			display += " (unchanged)"
		}
		if m.sizeBefore < 0 {
			fmt.Fprintf(&sb, "| %s | (does not build) | %s MB | | %d |\n", display, mb(m.sizeAfter), m.layersAfter)
			continue
		}
		fmt.Fprintf(&sb, "| %s | %s MB | %s MB | %d | %d |\n", display,
			mb(m.sizeBefore), mb(m.sizeAfter), m.layersBefore, m.layersAfter)
	}
	var failed []string
	for name := range h.failed {
		failed = append(failed, "- "+name)
	}
	sort.Strings(failed)
	if len(failed) > 0 {
		sb.WriteString("\nFailed (the fixed image differs, a build failed, or an expectation was not met; see the test log):\n\n" +
			strings.Join(failed, "\n") + "\n")
	}
	var skipped []string
	for name, why := range h.skipped {
		skipped = append(skipped, fmt.Sprintf("- %s: %s", name, why))
	}
	sort.Strings(skipped)
	if len(skipped) > 0 {
		sb.WriteString("\nSkipped:\n\n" + strings.Join(skipped, "\n") + "\n")
	}
	return sb.String()
}

func (h *harness) resultsFile(table string, took time.Duration) string {
	version, _, _, _ := docker(context.Background(), "version", "--format", "{{.Server.Version}}")
	return "# e2e results\n\n" +
		"Written by `make e2e` (e2e/e2e_test.go) after a run over every case; do not edit by hand.\n" +
		"Docker Engine " + strings.TrimSpace(version) + " with BuildKit; base images: `debian:bookworm` " +
		"(debootstrap minbase, see provision.sh) and the local stand-ins of provision.d/. " +
		"Sizes are `docker image inspect` .Size in MB (10^6 bytes); layers are the image's RootFS layers, " +
		"base layers included. The run took " + took.Round(time.Second).String() + ".\n\n" + table
}

func mb(n int64) string { return strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64) }

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
