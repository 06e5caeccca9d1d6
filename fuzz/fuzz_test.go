// Package fuzz holds the fuzz target of the whole pipeline. It lives apart
// from rewrite because it needs the transforms package, which imports rewrite.
//
//	go test ./fuzz -run '^$' -fuzz '^FuzzPipeline$' -fuzztime 1m
//
// Crashers found by the fuzzer are kept in testdata/fuzz/FuzzPipeline and
// replayed by every plain `go test`.
package fuzz

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dockopt/dockopt/rewrite"
	"github.com/dockopt/dockopt/transforms"
)

// engineOnly are transforms that exercise the shell layer's edits on every
// RUN, so that the engine is fuzzed even where no real transform matches.
var engineOnly = []*rewrite.Transform{
	{ID: "fuzz-append", Run: func(p *rewrite.Pass) {
		for _, in := range p.Doc.Instructions {
			sh, err := p.Doc.Shell(in)
			if err != nil || strings.Contains(sh.Body, "dockopt-fuzz") {
				continue
			}
			if e, err := sh.AppendCommand("echo dockopt-fuzz"); err == nil {
				p.Fix(in, "append", e)
			}
		}
	}},
	{ID: "fuzz-flag", Run: func(p *rewrite.Pass) {
		for _, in := range p.Doc.Instructions {
			sh, err := p.Doc.Shell(in)
			if err != nil {
				continue
			}
			for _, c := range sh.Commands() {
				if len(c.Args) == 0 {
					continue
				}
				if v, ok := rewrite.WordLit(c.Args[0]); !ok || v == "--fuzz" {
					continue
				}
				if len(c.Args) > 1 {
					if v, _ := rewrite.WordLit(c.Args[1]); v == "--fuzz" {
						continue
					}
				}
				p.Fix(in, "flag", sh.InsertAfter(c.Args[0], " --fuzz"))
			}
		}
	}},
}

func suites(tb testing.TB) map[string][]*rewrite.Transform {
	def, err := rewrite.Select(transforms.Suite, nil, nil, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return map[string][]*rewrite.Transform{
		"default": def,
		"all":     transforms.Suite,
		"engine":  engineOnly,
	}
}

func seeds(tb testing.TB) [][]byte {
	var out [][]byte
	for _, pat := range []string{"../golden/testdata/*/*.Dockerfile", "../golden/corpus/*.Dockerfile"} {
		files, _ := filepath.Glob(pat)
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				tb.Fatal(err)
			}
			out = append(out, b)
		}
	}
	// $DOCKOPT_FUZZ_SEEDS: a directory of more seeds, every file below it
	// (e.g. the real Dockerfiles `make realworld` leaves in
	// /tmp/dockopt-realworld/files; `make fuzz-realworld`).
	if dir := os.Getenv("DOCKOPT_FUZZ_SEEDS"); dir != "" {
		err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			if err == nil && len(b) <= 64<<10 {
				out = append(out, b)
			}
			return err
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	return out
}

// FuzzPipeline runs the default pipeline, every transform, and the engine's
// own edit helpers over arbitrary bytes. Either BuildKit rejects the input
// (a *rewrite.ParseError) or the output parses, a second run leaves it
// unchanged, no transform hit an internal error, and no comment line is lost.
func FuzzPipeline(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s)
	}
	for _, s := range []string{
		"",
		"FROM a\n",
		"FROM a\nRUN apt-get update && apt-get install -y curl\n",
		"\xef\xbb\xbfFROM a\r\nRUN foo \\\r\n  && bar\r\n",
		"# escape=`\nFROM mcr.microsoft.com/windows/servercore\nRUN foo `\n  && bar\n",
		"# syntax=docker/dockerfile:1\nFROM a\nRUN <<EOF\nfoo\nEOF\n",
		"FROM a\nRUN foo \\\n# c\n  && bar",
		"from a as b\nonbuild run x\nFROM b\nrun [\"a\", \"b\"]\nSHELL [\"powershell\", \"-c\"]\nRUN foo\n",
		"FROM a\nRUN echo \xff\xfe # \xc3\x28\n# \xe2\x82\n",
	} {
		f.Add([]byte(s))
	}
	all := suites(f)
	names := make([]string, 0, len(all))
	for n := range all {
		names = append(names, n)
	}
	sort.Strings(names)
	f.Fuzz(func(t *testing.T, src []byte) {
		defer watchdog(20 * time.Second)()
		for _, name := range names {
			checkPipeline(t, name, all[name], src)
		}
	})
}

func checkPipeline(t *testing.T, suite string, ts []*rewrite.Transform, src []byte) {
	in := bytes.Clone(src)
	res, err := rewrite.Fix("Dockerfile", src, ts, &rewrite.Settings{})
	if !bytes.Equal(in, src) {
		t.Fatalf("%s: Fix modified its input slice", suite)
	}
	if err != nil {
		var pe *rewrite.ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("%s: error is %T, not a *rewrite.ParseError: %v", suite, err, err)
		}
		if !strings.HasPrefix(err.Error(), "Dockerfile:") {
			t.Fatalf("%s: error %q does not start with the path", suite, err)
		}
		return
	}
	for _, e := range res.Internal {
		t.Errorf("%s: internal error: %v\ninput: %q", suite, e, src)
	}
	if !res.Changed() {
		if !bytes.Equal(res.Output, src) {
			t.Fatalf("%s: unchanged result with different bytes", suite)
		}
		return
	}
	if _, err := rewrite.Parse("Dockerfile", res.Output); err != nil {
		t.Fatalf("%s: output does not parse: %v\ninput:  %q\noutput: %q", suite, err, src, res.Output)
	}
	again, err := rewrite.Fix("Dockerfile", res.Output, ts, &rewrite.Settings{})
	if err != nil {
		t.Fatalf("%s: second run: %v", suite, err)
	}
	if again.Changed() {
		t.Fatalf("%s: not idempotent\ninput:  %q\nfirst:  %q\nsecond: %q", suite, src, res.Output, again.Output)
	}
	if lost := lostComment(src, res.Output); lost != "" {
		t.Fatalf("%s: comment line %q lost\ninput:  %q\noutput: %q", suite, lost, src, res.Output)
	}
}

// mixedDockerfile is n instructions of the kinds transforms act on.
func mixedDockerfile(n int) []byte {
	var sb strings.Builder
	sb.WriteString("FROM debian:12\n")
	for i := 0; i < n; i++ {
		switch i % 5 {
		case 0:
			fmt.Fprintf(&sb, "RUN apt-get update && apt-get install -y pkg%d\n", i)
		case 1:
			fmt.Fprintf(&sb, "RUN pip install pkg%d\n", i)
		case 2:
			fmt.Fprintf(&sb, "COPY f%d /f%d\n", i, i)
		case 3:
			fmt.Fprintf(&sb, "ENV A%d=%d\n", i, i)
		case 4:
			fmt.Fprintf(&sb, "# comment %d\nWORKDIR /w%d\n", i, i)
		}
	}
	return []byte(sb.String())
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestDefaultSuiteScales: the default suite's CPU time grows linearly with
// the number of instructions. On the suite of 2026-11-25, 1,000 / 2,000 /
// 4,000 instructions took 2 s / 9 s / 53 s of CPU (merge-runs parsed the
// whole file per merge, apt-no-install-recommends joined every later
// instruction per install, apt-clean-lists, pip-no-cache-dir and
// reorder-copy rescanned the stage per RUN or COPY); after the fixes they
// take about 0.08 / 0.14 / 0.3 s. Four times the instructions may take at
// most eight times the CPU (quadratic work would take sixteen); each size
// keeps its fastest of three runs, against the noise of a busy machine.
func TestDefaultSuiteScales(t *testing.T) {
	def, err := rewrite.Select(transforms.Suite, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	cost := func(n int) time.Duration {
		src := mixedDockerfile(n)
		best := time.Duration(-1)
		for range 3 {
			start := cpuTime()
			if _, err := rewrite.Fix("Dockerfile", src, def, &rewrite.Settings{}); err != nil {
				t.Fatal(err)
			}
			if c := cpuTime() - start; best < 0 || c < best {
				best = c
			}
		}
		return best
	}
	small := 500
	if raceDetector {
		small = 125 // the race detector slows the engine about tenfold
	}
	cost(small / 5) // warm up
	a, b := cost(small), cost(4*small)
	t.Logf("%d instructions: %v; %d: %v (ratio %.1f)", small, a, 4*small, b, float64(b)/float64(a))
	if b > 8*a {
		t.Errorf("four times the instructions took %.1f times the CPU time", float64(b)/float64(a))
	}
}

// watchdog crashes the fuzz worker, with every goroutine's stack, when one
// input runs longer than d: go test -fuzz has no per-input timeout, and a
// crash makes it record the input that hung.
func watchdog(d time.Duration) (stop func()) {
	t := time.AfterFunc(d, func() {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		panic(fmt.Sprintf("one fuzz input ran over %v:\n%s", d, buf))
	})
	return func() { t.Stop() }
}

// lostComment is a comment line (trimmed) of in that out no longer holds,
// counting repeated lines; an independent twin of the engine's check.
func lostComment(in, out []byte) string {
	count := map[string]int{}
	for _, l := range strings.Split(string(out), "\n") {
		if t := strings.TrimSpace(l); strings.HasPrefix(t, "#") {
			count[t]++
		}
	}
	for _, l := range strings.Split(string(in), "\n") {
		if t := strings.TrimSpace(l); strings.HasPrefix(t, "#") {
			if count[t] == 0 {
				return t
			}
			count[t]--
		}
	}
	return ""
}
