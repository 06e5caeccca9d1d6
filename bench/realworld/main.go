// Command realworld checks dockopt's headline guarantees on real Dockerfiles
// from public Go projects, without trusting dockopt's own code.
//
//	go run ./bench/realworld [-modules FILE] [-out DIR] [-dockopt BIN]
//
// It downloads every module@version of the list with `go mod download -json`
// (cached in GOMODCACHE, so reruns are offline), extracts the Dockerfiles of
// each module zip into OUT/files, keeps those that BuildKit accepts, and runs
// `dockopt fix` twice on each, in a scratch copy of its directory, once with
// the default suite and once with every opt-in transform enabled. The checks
// use only BuildKit's parser and byte comparisons; see README.md. It prints a
// summary and every failure, writes the same to OUT/report.md, and exits 1 if
// any check failed.
package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/dockopt/dockopt/rewrite"
)

// The build context of a Dockerfile (its directory in the zip) is copied
// whole into the scratch directory when it is at most this large; otherwise
// only the regular files directly in that directory are copied.
const (
	maxContextFiles = 2000
	maxContextBytes = 16 << 20
)

// The checks, in report order.
var checks = []string{"status", "buildkit", "idempotent", "comments", "line-endings"}

var checkInfo = map[string]string{
	"status":       "dockopt exits 0 both times, and its JSON report says changed exactly when the Dockerfile or a .dockerignore beside it changed",
	"buildkit":     "BuildKit's parser and instructions.Parse accept the output",
	"idempotent":   "a second `dockopt fix` changes no byte (of the Dockerfile, nor of a .dockerignore the first run wrote)",
	"comments":     "every comment line of the input (trimmed, as a multiset) is still in the output",
	"line-endings": "CRLF input keeps CRLF on every line (LF input gets no CRLF), the final newline is kept or not as in the input, a UTF-8 BOM is kept",
}

type module struct {
	Path, Version, Zip, Sum, Error string
	zipSize                        int64
}

type dockerfile struct {
	mod     *module
	rel     string // path inside the module
	data    []byte
	ctx     []*zip.File // context files to copy, below path.Dir(rel)
	subtree bool        // ctx is the whole directory tree, not just its files
}

func (d *dockerfile) name() string { return d.mod.Path + "/" + d.rel }

type config struct {
	name    string
	args    []string
	variant func([]byte) []byte // the input as given to dockopt; nil: as found
}

// windows is a Dockerfile as a Windows checkout may have it: CRLF line
// endings (git's core.autocrlf=true) and a UTF-8 BOM (some editors).
func windows(b []byte) []byte {
	b = bytes.ReplaceAll(bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n"))
	if !bytes.HasPrefix(b, bom) {
		b = append(append([]byte{}, bom...), b...)
	}
	return b
}

var bom = []byte("\xef\xbb\xbf")

type failure struct {
	file, config, check, detail string
	scratch                     string // the kept scratch copy
}

type outcome struct {
	skipped bool // the variant of the input is rejected by BuildKit
	changed bool // the Dockerfile's bytes changed
	side    bool // a .dockerignore was created or changed
	fixed   int
	fails   []failure
}

func main() {
	modulesFile := flag.String("modules", "bench/realworld/modules.txt", "list of module@version lines")
	outDir := flag.String("out", "/tmp/dockopt-realworld", "output directory (files, scratch copies, report.md)")
	bin := flag.String("dockopt", "", "dockopt binary (default: build ./cmd/dockopt into OUT)")
	flag.IntVar(&minFiles, "min-files", 500, "fewer Dockerfiles to check than this is an error (failed downloads)")
	flag.Parse()
	failed, err := run(*modulesFile, *outDir, *bin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "realworld:", err)
		os.Exit(2)
	}
	if failed {
		os.Exit(1)
	}
}

// minFiles is -min-files.
var minFiles int

// run returns whether any check failed.
func run(modulesFile, outDir, bin string) (bool, error) {
	start := time.Now()
	outDir, err := filepath.Abs(outDir)
	if err != nil {
		return false, err
	}
	refs, err := readModules(modulesFile)
	if err != nil {
		return false, err
	}
	for _, sub := range []string{"files", "work"} {
		if err := os.RemoveAll(filepath.Join(outDir, sub)); err != nil {
			return false, err
		}
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return false, err
	}
	if bin == "" {
		bin = filepath.Join(outDir, "dockopt")
		fmt.Fprintln(os.Stderr, "building", bin)
		if out, err := exec.Command("go", "build", "-o", bin, "./cmd/dockopt").CombinedOutput(); err != nil {
			return false, fmt.Errorf("go build: %v\n%s", err, out)
		}
	} else if bin, err = filepath.Abs(bin); err != nil {
		return false, err
	}
	optIn, err := optInTransforms(bin)
	if err != nil {
		return false, err
	}
	configs := []config{
		{"default", nil, nil},
		{"all", []string{"--enable", strings.Join(optIn, ",")}, nil},
		{"default-crlf-bom", nil, windows},
	}

	fmt.Fprintf(os.Stderr, "downloading %d modules\n", len(refs))
	downloadStart := time.Now()
	mods, err := download(refs)
	if err != nil {
		return false, err
	}
	downloadTime := time.Since(downloadStart)
	var files, rejected []*dockerfile
	rejectErr := map[*dockerfile]string{}
	for _, m := range mods {
		if m.Error != "" {
			continue
		}
		found, err := extract(m, filepath.Join(outDir, "files"))
		if err != nil {
			m.Error = err.Error()
			continue
		}
		for _, d := range found {
			if err := buildkitParse(d.data); err != nil {
				rejected = append(rejected, d)
				rejectErr[d] = oneLine(err.Error())
			} else {
				files = append(files, d)
			}
		}
	}

	// A run that could download little or nothing must not pass as a check:
	// the pinned list gives 580 accepted files.
	if len(files) < minFiles {
		return false, fmt.Errorf("only %d Dockerfiles to check (want at least %d): did the module downloads fail? (see above)", len(files), minFiles)
	}
	fmt.Fprintf(os.Stderr, "running dockopt on %d Dockerfiles x %d configurations\n", len(files), len(configs))
	results := make([][]outcome, len(configs))
	for i := range results {
		results[i] = make([]outcome, len(files))
	}
	type job struct{ c, f int }
	jobs := make(chan job)
	var wg sync.WaitGroup
	for w := 0; w < runtime.NumCPU(); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				scratch := filepath.Join(outDir, "work", configs[j.c].name, fmt.Sprint(j.f))
				results[j.c][j.f] = check(bin, configs[j.c], files[j.f], scratch)
			}
		}()
	}
	for c := range configs {
		for f := range files {
			jobs <- job{c, f}
		}
	}
	close(jobs)
	wg.Wait()

	report := render(mods, files, rejected, rejectErr, configs, results, outDir, downloadTime, time.Since(start))
	fmt.Print(report)
	if err := os.WriteFile(filepath.Join(outDir, "report.md"), []byte(report), 0o644); err != nil {
		return false, err
	}
	for _, rs := range results {
		for _, r := range rs {
			if len(r.fails) > 0 {
				return true, nil
			}
		}
	}
	return false, nil
}

// readModules reads module@version lines; # starts a comment.
func readModules(name string) ([]string, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var refs []string
	for i, line := range strings.Split(string(b), "\n") {
		if j := strings.Index(line, "#"); j >= 0 {
			line = line[:j]
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if strings.Count(line, "@") != 1 || strings.ContainsAny(line, " \t") {
			return nil, fmt.Errorf("%s:%d: want module@version, got %q", name, i+1, line)
		}
		refs = append(refs, line)
	}
	return refs, nil
}

// optInTransforms returns the IDs that `dockopt list` marks opt-in (lines
// "ID  KIND  SUMMARY").
func optInTransforms(bin string) ([]string, error) {
	out, err := exec.Command(bin, "list").Output()
	if err != nil {
		return nil, fmt.Errorf("%s list: %v", bin, err)
	}
	var ids []string
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[1] == "opt-in" {
			ids = append(ids, f[0])
		}
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("%s list: no opt-in transforms in:\n%s", bin, out)
	}
	return ids, nil
}

// download runs `go mod download -json MOD@VER` for each module, outside
// any module (one module a command: given several, the go command also
// checks that they could build together), and returns one entry per ref;
// failed ones have Error set.
func download(refs []string) ([]*module, error) {
	tmp, err := os.MkdirTemp("", "realworld-download")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	var mods []*module
	for _, ref := range refs {
		cmd := exec.Command("go", "mod", "download", "-json", ref)
		cmd.Dir = tmp
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, runErr := cmd.Output()
		m := &module{}
		if err := json.Unmarshal(out, m); err != nil {
			p, v, _ := strings.Cut(ref, "@")
			m = &module{Path: p, Version: v, Error: fmt.Sprintf("%v: %s", runErr, stderr.String())}
		}
		// A module whose go.mod wants a newer Go than this one is still
		// downloaded and verified (Zip and Sum are set): only the zip is read.
		if m.Zip != "" && m.Sum != "" && strings.Contains(m.Error, "requires go >=") {
			m.Error = ""
		}
		if m.Error == "" {
			if st, err := os.Stat(m.Zip); err != nil {
				m.Error = err.Error()
			} else {
				m.zipSize = st.Size()
			}
		}
		if m.Error != "" {
			fmt.Fprintf(os.Stderr, "%s: %s\n", ref, oneLine(m.Error))
		}
		mods = append(mods, m)
	}
	return mods, nil
}

// extract writes the Dockerfiles of m's zip, byte for byte, to
// filesDir/<module path, / as _>/<path inside the module>, and returns them
// with the context files each one's scratch copy gets.
func extract(m *module, filesDir string) ([]*dockerfile, error) {
	zr, err := zip.OpenReader(m.Zip)
	if err != nil {
		return nil, err
	}
	// The reader stays open: the scratch copies read the context from it.
	prefix := m.Path + "@" + m.Version + "/"
	var entries []*zip.File
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, prefix) && f.Mode().IsRegular() {
			entries = append(entries, f)
		}
	}
	var found []*dockerfile
	for _, f := range entries {
		rel := strings.TrimPrefix(f.Name, prefix)
		if !rewrite.IsDockerfileName(path.Base(rel)) {
			continue
		}
		data, err := readZip(f)
		if err != nil {
			return nil, err
		}
		dst := filepath.Join(filesDir, strings.ReplaceAll(m.Path, "/", "_"), filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			return nil, err
		}
		d := &dockerfile{mod: m, rel: rel, data: data}
		d.ctx, d.subtree = contextFiles(entries, prefix, path.Dir(rel))
		found = append(found, d)
	}
	return found, nil
}

// contextFiles lists the zip entries below dir (relative to the module root),
// or only those directly in dir when the whole tree is too large.
func contextFiles(entries []*zip.File, prefix, dir string) ([]*zip.File, bool) {
	p := prefix
	if dir != "." {
		p += dir + "/"
	}
	var tree, flat []*zip.File
	var size uint64
	for _, f := range entries {
		if !strings.HasPrefix(f.Name, p) {
			continue
		}
		tree = append(tree, f)
		size += f.UncompressedSize64
		if !strings.Contains(f.Name[len(p):], "/") {
			flat = append(flat, f)
		}
	}
	if len(tree) <= maxContextFiles && size <= maxContextBytes {
		return tree, true
	}
	return flat, false
}

func readZip(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

func buildkitParse(b []byte) error {
	res, err := parser.Parse(bytes.NewReader(b))
	if err != nil {
		return err
	}
	_, _, err = instructions.Parse(res.AST, linter.New(&linter.Config{SkipAll: true}))
	return err
}

// check copies d's context into scratch, runs dockopt fix twice there and
// checks the results. The scratch directory is removed unless a check failed.
func check(bin string, cfg config, d *dockerfile, scratch string) outcome {
	var o outcome
	fail := func(check, format string, args ...any) {
		o.fails = append(o.fails, failure{d.name(), cfg.name, check, fmt.Sprintf(format, args...), scratch})
	}
	base := path.Base(d.rel)
	input := d.data
	if cfg.variant != nil {
		input = cfg.variant(d.data)
		if buildkitParse(input) != nil {
			o.skipped = true
			return o
		}
	}
	if err := copyContext(d, input, scratch); err != nil {
		fail("status", "preparing the scratch copy: %v", err)
		return o
	}
	target := filepath.Join(scratch, base)
	// The side files dockopt may write (the dockerignore transform).
	sideFiles := []string{".dockerignore", base + ".dockerignore"}
	side := func() string {
		var s strings.Builder
		for _, n := range sideFiles {
			if b, err := os.ReadFile(filepath.Join(scratch, n)); err == nil {
				fmt.Fprintf(&s, "%s: %q\n", n, b)
			}
		}
		return s.String()
	}

	var outs [2][]byte
	var sides [3]string // before, after run 1, after run 2
	sides[0] = side()
	for i := range outs {
		args := append([]string{"fix", "-q", "--format", "json"}, cfg.args...)
		stdout, stderr, code, err := runDockopt(bin, scratch, append(args, base)...)
		out, rerr := os.ReadFile(target)
		if rerr != nil {
			fail("status", "run %d: reading the output: %v", i+1, rerr)
			return o
		}
		outs[i] = out
		sides[i+1] = side()
		before := input
		if i == 1 {
			before = outs[0]
		}
		touched := !bytes.Equal(before, out) || sides[i] != sides[i+1]
		switch {
		case err != nil:
			fail("status", "run %d: %v; stderr: %s", i+1, err, oneLine(stderr))
		case code != 0:
			fail("status", "run %d: exit status %d; stderr: %s", i+1, code, oneLine(stderr))
		default:
			changed, fixed, jerr := readReport(stdout)
			if jerr != nil {
				fail("status", "run %d: JSON report: %v", i+1, jerr)
			} else if changed != touched {
				fail("status", "run %d: the report says changed=%v, but the Dockerfile and its .dockerignore files say %v", i+1, changed, touched)
			}
			if i == 0 {
				o.fixed = fixed
			}
		}
	}
	out := outs[0]
	o.changed = !bytes.Equal(input, out)
	o.side = sides[0] != sides[1]

	if err := buildkitParse(out); err != nil {
		fail("buildkit", "%s", oneLine(err.Error()))
	}
	if !bytes.Equal(out, outs[1]) {
		fail("idempotent", "%s", firstDiff(out, outs[1]))
	}
	if sides[1] != sides[2] {
		fail("idempotent", "the second run changed the .dockerignore files: %q -> %q", sides[1], sides[2])
	}
	for _, c := range droppedComments(input, out) {
		fail("comments", "%s", c)
	}
	for _, p := range lineEndingProblems(input, out) {
		fail("line-endings", "%s", p)
	}
	if len(o.fails) == 0 {
		os.RemoveAll(scratch)
	}
	return o
}

// copyContext writes d's context files (paths relative to d's directory) and
// then d, as input, into a fresh scratch directory.
func copyContext(d *dockerfile, input []byte, scratch string) error {
	if err := os.RemoveAll(scratch); err != nil {
		return err
	}
	prefix := d.mod.Path + "@" + d.mod.Version + "/"
	if dir := path.Dir(d.rel); dir != "." {
		prefix += dir + "/"
	}
	for _, f := range d.ctx {
		data, err := readZip(f)
		if err != nil {
			return err
		}
		dst := filepath.Join(scratch, filepath.FromSlash(strings.TrimPrefix(f.Name, prefix)))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(dst, data, f.Mode().Perm()|0o600); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(scratch, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(scratch, path.Base(d.rel)), input, 0o644)
}

func runDockopt(bin, dir string, args ...string) (stdout, stderr string, code int, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) && ctx.Err() == nil {
		return o.String(), e.String(), exit.ExitCode(), nil
	}
	if ctx.Err() != nil {
		err = fmt.Errorf("timed out after 2m")
	}
	return o.String(), e.String(), 0, err
}

// readReport reads the one-file JSON report of `dockopt fix --format json`.
func readReport(stdout string) (changed bool, fixed int, err error) {
	var r struct {
		Files []struct {
			Changed bool     `json:"changed"`
			Errors  []string `json:"errors"`
		} `json:"files"`
		Summary struct {
			FindingsFixed int `json:"findings_fixed"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		return false, 0, err
	}
	if len(r.Files) != 1 {
		return false, 0, fmt.Errorf("%d files in the report, want 1", len(r.Files))
	}
	if len(r.Files[0].Errors) > 0 {
		return false, 0, fmt.Errorf("errors: %s", strings.Join(r.Files[0].Errors, "; "))
	}
	return r.Files[0].Changed, r.Summary.FindingsFixed, nil
}

// splitLines splits b after each "\n"; the last line may have no newline.
func splitLines(b []byte) []string {
	var lines []string
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n') + 1
		if i == 0 {
			i = len(b)
		}
		lines = append(lines, string(b[:i]))
		b = b[i:]
	}
	return lines
}

func firstDiff(a, b []byte) string {
	la, lb := splitLines(a), splitLines(b)
	for i := 0; i < len(la) || i < len(lb); i++ {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			return fmt.Sprintf("line %d: first run %q, second run %q", i+1, x, y)
		}
	}
	return "outputs differ" // not reached: a != b implies a differing line
}

// comments returns the comment lines of b (first non-blank character #),
// trimmed, with their counts.
func comments(b []byte) map[string]int {
	m := map[string]int{}
	for _, l := range splitLines(bytes.TrimPrefix(b, bom)) {
		if t := strings.TrimSpace(l); strings.HasPrefix(t, "#") {
			m[t]++
		}
	}
	return m
}

func droppedComments(in, out []byte) []string {
	before, after := comments(in), comments(out)
	var dropped []string
	for c, n := range before {
		if after[c] < n {
			dropped = append(dropped, fmt.Sprintf("dropped comment %q (%d in the input, %d in the output)", c, n, after[c]))
		}
	}
	sort.Strings(dropped)
	return dropped
}

func lineEndingProblems(in, out []byte) []string {
	var p []string
	crlfIn := bytes.Count(in, []byte("\r\n"))
	lfIn := bytes.Count(in, []byte("\n"))
	lines := splitLines(out)
	switch {
	case lfIn > 0 && crlfIn == lfIn: // CRLF input
		for i, l := range lines {
			if strings.HasSuffix(l, "\n") && !strings.HasSuffix(l, "\r\n") {
				p = append(p, fmt.Sprintf("CRLF input, but output line %d ends with LF: %q", i+1, l))
				break
			}
		}
	case crlfIn == 0: // LF input
		for i, l := range lines {
			if strings.HasSuffix(l, "\r\n") {
				p = append(p, fmt.Sprintf("LF input, but output line %d ends with CRLF: %q", i+1, l))
				break
			}
		}
	}
	endIn, endOut := bytes.HasSuffix(in, []byte("\n")), bytes.HasSuffix(out, []byte("\n"))
	if endIn != endOut {
		p = append(p, fmt.Sprintf("input ends with a newline: %v, output: %v", endIn, endOut))
	}
	if bytes.HasPrefix(in, bom) != bytes.HasPrefix(out, bom) {
		p = append(p, fmt.Sprintf("input starts with a UTF-8 BOM: %v, output: %v", bytes.HasPrefix(in, bom), bytes.HasPrefix(out, bom)))
	}
	return p
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 600 {
		s = s[:600] + "..."
	}
	return s
}

func render(mods []*module, files, rejected []*dockerfile, rejectErr map[*dockerfile]string,
	configs []config, results [][]outcome, outDir string, downloadTime, took time.Duration) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	type proj struct{ found, accepted int }
	perMod := map[*module]*proj{}
	for _, m := range mods {
		perMod[m] = &proj{}
	}
	for _, d := range rejected {
		perMod[d.mod].found++
	}
	subtree, crlf, noFinal, withBOM, withComments := 0, 0, 0, 0, 0
	for _, d := range files {
		if bytes.Contains(d.data, []byte("\r\n")) {
			crlf++
		}
		if len(d.data) > 0 && !bytes.HasSuffix(d.data, []byte("\n")) {
			noFinal++
		}
		if bytes.HasPrefix(d.data, bom) {
			withBOM++
		}
		if len(comments(d.data)) > 0 {
			withComments++
		}
		perMod[d.mod].found++
		perMod[d.mod].accepted++
		if d.subtree {
			subtree++
		}
	}
	var downloaded, failed, withFiles int
	var zipBytes int64
	for _, m := range mods {
		if m.Error != "" {
			failed++
			continue
		}
		downloaded++
		zipBytes += m.zipSize
		if perMod[m].found > 0 {
			withFiles++
		}
	}

	w("# dockopt on real-world Dockerfiles\n\n")
	w("| | |\n|---|---|\n")
	w("| modules listed | %d |\n", len(mods))
	w("| modules downloaded (their zips, a cold cache's download) | %d (%.1f MB) |\n", downloaded, float64(zipBytes)/1e6)
	w("| modules that failed to download | %d |\n", failed)
	w("| projects with Dockerfiles | %d |\n", withFiles)
	w("| Dockerfiles found | %d |\n", len(files)+len(rejected))
	w("| rejected by BuildKit (not run) | %d |\n", len(rejected))
	w("| accepted by BuildKit (checked) | %d |\n", len(files))
	w("| accepted files with CRLF / no final newline / a BOM / comment lines | %d / %d / %d / %d |\n", crlf, noFinal, withBOM, withComments)
	w("| scratch context: whole directory tree / files of the directory only | %d / %d |\n", subtree, len(files)-subtree)
	w("| run time (of which go mod download) | %s (%s) |\n\n", took.Round(time.Second), downloadTime.Round(time.Second))

	w("| configuration | files | changed | .dockerignore written | findings fixed |")
	for _, c := range checks {
		w(" %s failures |", c)
	}
	w("\n|---|---|---|---|---|%s\n", strings.Repeat("---|", len(checks)))
	var all []failure
	for i, cfg := range configs {
		ran, changed, side, fixed := 0, 0, 0, 0
		count := map[string]int{}
		for _, r := range results[i] {
			if r.skipped {
				continue
			}
			ran++
			if r.changed {
				changed++
			}
			if r.side {
				side++
			}
			fixed += r.fixed
			seen := map[string]bool{}
			for _, f := range r.fails {
				if !seen[f.check] {
					count[f.check]++ // files that failed this check
					seen[f.check] = true
				}
			}
			all = append(all, r.fails...)
		}
		name := cfg.name
		if len(cfg.args) > 0 {
			name += " (`" + strings.Join(cfg.args, " ") + "`)"
		}
		if cfg.variant != nil {
			name += " (input: CRLF line endings and a UTF-8 BOM)"
		}
		w("| %s | %d | %d | %d | %d |", name, ran, changed, side, fixed)
		for _, c := range checks {
			w(" %d |", count[c])
		}
		w("\n")
	}
	w("\nFailure counts are files; each check:\n\n")
	for _, c := range checks {
		w("- **%s**: %s\n", c, checkInfo[c])
	}

	w("\n## Failures (%d)\n\n", len(all))
	if len(all) == 0 {
		w("None.\n")
	}
	for _, f := range all {
		w("- `%s` [%s] **%s**: %s (scratch copy: %s)\n", f.file, f.config, f.check, f.detail, f.scratch)
	}

	if failed > 0 {
		w("\n## Modules that failed to download\n\n")
		for _, m := range mods {
			if m.Error != "" {
				w("- %s@%s: %s\n", m.Path, m.Version, oneLine(m.Error))
			}
		}
	}

	w("\n## Rejected by BuildKit (%d, not run)\n\n", len(rejected))
	for _, d := range rejected {
		w("- `%s`: %s\n", d.name(), rejectErr[d])
	}

	w("\n## Projects\n\n| module | version | Dockerfiles | accepted |\n|---|---|---|---|\n")
	for _, m := range mods {
		if m.Error == "" {
			w("| %s | %s | %d | %d |\n", m.Path, m.Version, perMod[m].found, perMod[m].accepted)
		}
	}
	w("\nFiles: %s; failing scratch copies: %s\n", filepath.Join(outDir, "files"), filepath.Join(outDir, "work"))
	return b.String()
}
