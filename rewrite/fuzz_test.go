package rewrite

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"mvdan.cc/sh/v3/syntax"
)

// seedDockerfiles are the golden inputs: every fuzz target starts from them.
func seedDockerfiles(tb testing.TB) [][]byte {
	var out [][]byte
	for _, pat := range []string{
		"../golden/testdata/*/*.Dockerfile",
		"../golden/corpus/*.Dockerfile",
	} {
		files, err := filepath.Glob(pat)
		if err != nil {
			tb.Fatal(err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				tb.Fatal(err)
			}
			out = append(out, b)
		}
	}
	return out
}

// watchdog crashes the fuzz worker, with every goroutine's stack, when
// one input runs longer than d: go test -fuzz has no per-input timeout, and
// a crash makes it record the input that hung.
func watchdog(d time.Duration) (stop func()) {
	t := time.AfterFunc(d, func() {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		panic(fmt.Sprintf("one fuzz input ran over %v:\n%s", d, buf))
	})
	return func() { t.Stop() }
}

// runBodies are RUN bodies every shell fuzz run starts from, besides the
// bodies found in the golden inputs.
var runBodies = []string{
	"apt-get update && apt-get install -y curl",
	"set -eux; \\\n    apt-get update; \\\n    apt-get install -y --no-install-recommends ca-certificates; \\\n    rm -rf /var/lib/apt/lists/*",
	"apt-get update \\\n  && apt-get install -y \\\n     curl \\\n# a comment inside the continuation\n     git \\\n  && rm -rf /var/lib/apt/lists/*",
	"if [ -f /x ]; then (cd /x && make); fi",
	"for i in 1 2; do echo $i; done # trailing",
	"sudo -u root env A=1 pip install --no-cache-dir 'x==1' \"y\"",
	"echo $(echo $(echo `date`)) > /tmp/x 2>&1",
	"foo &",
	"a | b |& c",
	"x=$((1+2)); echo ${x:-y}",
	"cat <<'EOF'\nnot a dockerfile heredoc\nEOF",
	"true \\\n\n  && false",
	"echo a\\\\",
	"[[ -n x ]] && echo ok",
	"{ echo a; echo b; } > f",
}

// shellDoc builds a Dockerfile around a RUN body. mode picks the layout the
// body is embedded in: plain, CRLF line endings, backtick escape, an ONBUILD
// and CMD next to it, a BOM, and no final newline.
func shellDoc(body string, mode uint8) []byte {
	switch mode % 6 {
	case 1:
		s := "FROM a\nRUN " + body + "\n"
		return []byte(strings.ReplaceAll(s, "\n", "\r\n"))
	case 2:
		return []byte("# escape=`\nFROM a\nRUN " + strings.ReplaceAll(body, "\\\n", "`\n") + "\n")
	case 3:
		return []byte("FROM a AS b\nENV X=1\nCMD " + body + "\nFROM b\nRUN " + body + "\n")
	case 4:
		return []byte("\xef\xbb\xbfFROM a\nRUN " + body + "\n")
	case 5:
		return []byte("FROM a\nRUN " + body)
	}
	return []byte("FROM a\nRUN " + body + "\n")
}

const fuzzCmd = "echo dockopt-fuzz"

// FuzzShell drives the shell layer over arbitrary RUN bodies: Document.Shell,
// Commands, InsertAfter/InsertBefore and AppendCommand never panic, their
// edits stay inside the instruction, and an applied AppendCommand gives a
// Dockerfile BuildKit accepts whose RUN still parses as shell and now ends
// with the appended command.
func FuzzShell(f *testing.F) {
	for _, b := range runBodies {
		for m := uint8(0); m < 6; m++ {
			f.Add(b, m)
		}
	}
	for _, src := range seedDockerfiles(f) {
		d, err := Parse("seed", src)
		if err != nil {
			continue
		}
		for _, in := range d.Instructions {
			if in.Cmd == "run" && in.Node.Next != nil && !in.IsJSON() {
				f.Add(in.Node.Next.Value, uint8(0))
				// The body as written, continuations and comment lines included.
				txt := strings.TrimRight(in.Text(d), "\r\n")
				if i := strings.IndexAny(txt, " \t"); i > 0 {
					f.Add(txt[i+1:], uint8(0))
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, body string, mode uint8) {
		defer watchdog(10 * time.Second)()
		checkShell(t, shellDoc(body, mode))
	})
}

func checkShell(t *testing.T, src []byte) {
	d, err := Parse("Dockerfile", src)
	if err != nil {
		return
	}
	for _, in := range d.Instructions {
		sh, err := d.Shell(in)
		if err != nil {
			continue
		}
		inRange := func(what string, e Edit) {
			t.Helper()
			if e.Start < in.Start || e.End > in.End || e.Start > e.End {
				t.Fatalf("%s edit [%d,%d) outside the instruction [%d,%d) in %q", what, e.Start, e.End, in.Start, in.End, src)
			}
		}
		for _, c := range sh.Commands() {
			if c.Call == nil || c.Name == "" {
				t.Fatalf("command without a call or name in %q", src)
			}
			c.ArgLits()
			for _, w := range c.Call.Args {
				a, b := sh.InsertAfter(w, " x"), sh.InsertBefore(w, "x ")
				inRange("InsertAfter", a)
				inRange("InsertBefore", b)
				// Source bytes between a word's start and end hold at least
				// the word's own text (plus any continuation in between).
				if b.Start > a.Start {
					t.Fatalf("word %q maps to [%d,%d) in %q", sh.Text(w), b.Start, a.Start, src)
				}
				if e, err := sh.Replace(w, "y"); err == nil {
					inRange("Replace", e)
					if string(src[e.Start:e.End]) != sh.Text(w) {
						t.Fatalf("Replace range %q is not the word %q", src[e.Start:e.End], sh.Text(w))
					}
				}
			}
		}
		sh.Style()
		e, err := sh.AppendCommand(fuzzCmd)
		if err != nil {
			continue
		}
		inRange("AppendCommand", e)
		out, err := ApplyEdits(src, []Edit{e})
		if err != nil {
			t.Fatal(err)
		}
		nd, err := Parse("Dockerfile", out)
		if err != nil {
			t.Fatalf("AppendCommand broke the Dockerfile: %v\nbefore: %q\nafter:  %q", err, src, out)
		}
		if len(nd.Instructions) != len(d.Instructions) {
			t.Fatalf("AppendCommand changed the instruction count %d -> %d\nbefore: %q\nafter:  %q", len(d.Instructions), len(nd.Instructions), src, out)
		}
		nsh, err := nd.Shell(nd.Instructions[in.Index])
		if err != nil {
			t.Fatalf("AppendCommand left a RUN the shell layer rejects: %v\nbefore: %q\nafter:  %q", err, src, out)
		}
		last := nsh.File.Stmts[len(nsh.File.Stmts)-1]
		bin, ok := last.Cmd.(*syntax.BinaryCmd)
		if !ok || bin.Op != syntax.AndStmt || nsh.Text(bin.Y) != fuzzCmd {
			t.Fatalf("new body %q does not end with `&& %s`", nsh.Body, fuzzCmd)
		}
		if len(nsh.File.Stmts) != len(sh.File.Stmts) {
			t.Fatalf("AppendCommand changed the statement count %d -> %d: %q -> %q", len(sh.File.Stmts), len(nsh.File.Stmts), sh.Body, nsh.Body)
		}
	}
}

// FuzzDiff checks UnifiedDiff against an independent patch applier: the
// diff of a and b applied to a gives b exactly, and it is empty iff a == b.
func FuzzDiff(f *testing.F) {
	seeds := seedDockerfiles(f)
	pairs := [][2]string{
		{"", ""},
		{"", "a"},
		{"a", ""},
		{"a", "a\n"},
		{"a\n", "a"},
		{"a\nb\nc\n", "a\nc\n"},
		{"x\r\ny\r\n", "x\r\nz\r\n"},
		{"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n", "1\n2\nX\n4\n5\n6\n7\n8\n9\n10\n11\nY\n13\n14"},
		{"\n\n\n", "\n\n"},
		{"\\ No newline at end of file\n", "\\ No newline at end of file"},
	}
	for _, p := range pairs {
		f.Add([]byte(p[0]), []byte(p[1]))
	}
	for i, s := range seeds {
		f.Add(s, seeds[(i+1)%len(seeds)])
		f.Add(s, bytes.Replace(s, []byte("\n"), []byte("\n# added\n"), 2))
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		defer watchdog(10 * time.Second)()
		d := UnifiedDiff("dir/Dockerfile", a, b)
		if (d == "") != bytes.Equal(a, b) {
			t.Fatalf("diff empty=%v but a==b is %v", d == "", bytes.Equal(a, b))
		}
		if d == "" {
			return
		}
		got, err := applyUnified(a, d)
		if err != nil {
			t.Fatalf("%v\ndiff:\n%s", err, d)
		}
		if !bytes.Equal(got, b) {
			t.Fatalf("patched a is %q, want %q\ndiff:\n%s", got, b, d)
		}
	})
}

// applyUnified applies a one-file unified diff to a, checking every context
// and removed line, every hunk count, and "\ No newline at end of file"
// markers. It shares no code with UnifiedDiff.
func applyUnified(a []byte, diff string) ([]byte, error) {
	lines := strings.SplitAfter(diff, "\n")
	if len(lines) < 3 || lines[0] != "--- a/dir/Dockerfile\n" || lines[1] != "+++ b/dir/Dockerfile\n" {
		return nil, fmt.Errorf("bad headers")
	}
	if lines[len(lines)-1] != "" {
		return nil, fmt.Errorf("diff does not end with a newline")
	}
	lines = lines[2 : len(lines)-1]
	old := strings.SplitAfter(string(a), "\n")
	if old[len(old)-1] == "" {
		old = old[:len(old)-1]
	}
	var out []string
	pos := 0 // next line of old to copy (0-based)
	hunks := 0
	for i := 0; i < len(lines); {
		var os, oc, ns, nc int
		if err := parseHunkHeader(lines[i], &os, &oc, &ns, &nc); err != nil {
			return nil, fmt.Errorf("line %q: %v", lines[i], err)
		}
		hunks++
		i++
		// A zero-length range names the line before the hunk.
		start := os - 1
		if oc == 0 {
			start = os
		}
		if start < pos || start > len(old) {
			return nil, fmt.Errorf("hunk at old line %d out of order (at %d of %d)", os, pos, len(old))
		}
		if wantNew := len(out) + (start - pos) + 1; nc > 0 && ns != wantNew || nc == 0 && ns != wantNew-1 {
			return nil, fmt.Errorf("hunk new start %d, want %d", ns, wantNew)
		}
		out = append(out, old[pos:start]...)
		pos = start
		seenOld, seenNew := 0, 0
		for i < len(lines) && !strings.HasPrefix(lines[i], "@@ ") {
			l := lines[i]
			i++
			text := l[1:]
			if i < len(lines) && lines[i] == "\\ No newline at end of file\n" {
				text = strings.TrimSuffix(text, "\n")
				i++
			}
			switch l[0] {
			case ' ', '-':
				if pos >= len(old) || old[pos] != text {
					return nil, fmt.Errorf("context/removed line %q does not match old line %d", text, pos+1)
				}
				pos++
				seenOld++
				if l[0] == ' ' {
					out = append(out, text)
					seenNew++
				}
			case '+':
				out = append(out, text)
				seenNew++
			default:
				return nil, fmt.Errorf("bad diff line %q", l)
			}
		}
		if seenOld != oc || seenNew != nc {
			return nil, fmt.Errorf("hunk counts -%d +%d, body has -%d +%d", oc, nc, seenOld, seenNew)
		}
	}
	if hunks == 0 {
		return nil, fmt.Errorf("no hunks")
	}
	out = append(out, old[pos:]...)
	for i, l := range out[:max(len(out)-1, 0)] {
		if !strings.HasSuffix(l, "\n") {
			return nil, fmt.Errorf("line %d without a newline in the middle of the result", i+1)
		}
	}
	return []byte(strings.Join(out, "")), nil
}

func parseHunkHeader(l string, os, oc, ns, nc *int) error {
	var o, n string
	if _, err := fmt.Sscanf(l, "@@ -%s +%s @@\n", &o, &n); err != nil {
		return err
	}
	rng := func(s string, start, count *int) error {
		a, b, ok := strings.Cut(s, ",")
		var err error
		if *start, err = strconv.Atoi(a); err != nil {
			return err
		}
		*count = 1
		if ok {
			if *count, err = strconv.Atoi(b); err != nil {
				return err
			}
		}
		return nil
	}
	if err := rng(o, os, oc); err != nil {
		return err
	}
	if l != fmt.Sprintf("@@ -%s +%s @@\n", o, n) {
		return fmt.Errorf("bad hunk header")
	}
	return rng(n, ns, nc)
}

// TestDiffLarge drives UnifiedDiff past maxMyers, where it anchors on unique
// lines: the diff must still apply exactly, and stay fast.
func TestDiffLarge(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	gen := func(n, distinct int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("RUN echo %d\n", rnd.IntN(distinct))
		}
		return out
	}
	mutate := func(a []string, rate int) []string {
		var b []string
		for _, l := range a {
			switch rnd.IntN(rate) {
			case 0: // drop
			case 1:
				b = append(b, l, "# added\n")
			case 2:
				b = append(b, strings.TrimSuffix(l, "\n")+" && x\n")
			default:
				b = append(b, l)
			}
		}
		return b
	}
	for _, c := range []struct {
		name string
		a, b []string
	}{
		{"every line changed", gen(50_000, 1<<30), nil},
		{"scattered changes, unique lines", gen(100_000, 1<<30), nil},
		{"scattered changes, repeated lines", gen(20_000, 50), nil},
		{"no final newline", gen(10_000, 1<<30), nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			switch c.name {
			case "every line changed":
				for _, l := range c.a {
					c.b = append(c.b, "X"+l)
				}
			default:
				c.b = mutate(c.a, 10)
			}
			a, b := strings.Join(c.a, ""), strings.Join(c.b, "")
			if c.name == "no final newline" {
				a, b = strings.TrimSuffix(a, "\n"), strings.TrimSuffix(b, "\n")+"y"
			}
			start := time.Now()
			d := UnifiedDiff("dir/Dockerfile", []byte(a), []byte(b))
			t.Logf("%d -> %d lines: %d-byte diff in %v", len(c.a), len(c.b), len(d), time.Since(start))
			got, err := applyUnified([]byte(a), d)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != b {
				t.Fatal("the diff does not turn a into b")
			}
		})
	}
}

func TestApplyUnifiedRejects(t *testing.T) {
	a := []byte("1\n2\n3\n")
	good := "--- a/dir/Dockerfile\n+++ b/dir/Dockerfile\n@@ -2 +2 @@\n-2\n+X\n"
	if got, err := applyUnified(a, good); err != nil || string(got) != "1\nX\n3\n" {
		t.Fatalf("good diff: %q, %v", got, err)
	}
	for _, bad := range []string{
		"--- a/dir/Dockerfile\n+++ b/dir/Dockerfile\n@@ -2 +2 @@\n-3\n+X\n",     // wrong removed line
		"--- a/dir/Dockerfile\n+++ b/dir/Dockerfile\n@@ -2,2 +2 @@\n-2\n+X\n",   // wrong count
		"--- a/dir/Dockerfile\n+++ b/dir/Dockerfile\n@@ -2 +3 @@\n-2\n+X\n",     // wrong new start
		"--- a/dir/Dockerfile\n+++ b/dir/Dockerfile\n",                          // no hunk
		"--- a/dir/Dockerfile\n+++ b/dir/Dockerfile\n@@ -2 +2 @@\n 2\n+X\n+Y\n", // counts
	} {
		if _, err := applyUnified(a, bad); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}
