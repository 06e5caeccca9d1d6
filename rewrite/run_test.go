package rewrite

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// runFix runs Run as `dockopt fix` over paths with the given transforms.
func runFix(t *testing.T, o RunOptions, paths ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	o.Quiet = true
	if o.Jobs == 0 {
		o.Jobs = 2
	}
	o.Stdout, o.Stderr = &out, &errb
	if o.Stdin == nil {
		o.Stdin = strings.NewReader("")
	}
	done := make(chan int, 1)
	go func() { done <- Run(o, paths) }()
	select {
	case code = <-done:
	case <-time.After(2 * time.Minute):
		t.Fatalf("Run(%v) did not return within 2 minutes", paths)
	}
	return code, out.String(), errb.String()
}

const (
	goodIn  = "FROM a\nRUN foo\n"
	goodOut = "FROM a\nRUN foo && rm -rf /x\n"
)

// TestRunBadInput feeds Run one bad input next to a good file: the bad one
// gets `path[:line]: message` on stderr, exit 2 and is left as it was; the
// good one is still rewritten.
func TestRunBadInput(t *testing.T) {
	long := strings.Repeat("a", 70000)
	cases := []struct {
		name    string
		src     string // content of "bad.Dockerfile" (unless setup is set)
		setup   func(t *testing.T, path string)
		maxSize int64
		wantErr string // regexp for the stderr line after "path"
	}{
		{name: "NUL byte", src: "FROM a\nRUN echo \x00\n", wantErr: `:2: binary data \(NUL byte\): not a Dockerfile`},
		{name: "empty", src: "", wantErr: `: file with no instructions`},
		{name: "only a BOM", src: "\xef\xbb\xbf", wantErr: `:1: file with no instructions`},
		{name: "only comments", src: "# a\n\n# b\n", wantErr: `:\d: file with no instructions`},
		{name: "line over BuildKit's limit", src: "FROM a\nRUN echo " + long + "\nRUN x\n", wantErr: `:2: dockerfile line greater than max allowed size of 65535`},
		{name: "long continuation line", src: "FROM a\nRUN a \\\n" + long + "\n", wantErr: `:3: dockerfile line greater than max allowed size of 65535`},
		{name: "long last line without newline", src: "FROM a\nRUN " + long, wantErr: `:2: dockerfile line greater than max allowed size of 65535`},
		{name: "unknown instruction", src: "FROM a\nFOO bar\n", wantErr: `:2: unknown instruction: FOO`},
		{name: "instruction error", src: "FROM a\nCOPY\n", wantErr: `:2: COPY requires at least two arguments`},
		{name: "no FROM", src: "RUN foo\n", wantErr: `:1: no build stage in current context`},
		{name: "over --max-size", src: "FROM a\nRUN " + strings.Repeat("b", 200) + "\n", maxSize: 100, wantErr: `: file is 212 bytes, over the 100-byte limit \(--max-size\)`},
		{name: "missing", setup: func(t *testing.T, p string) {}, wantErr: `: no such file or directory`},
		{name: "unreadable", setup: func(t *testing.T, p string) {
			if os.Geteuid() == 0 {
				t.Skip("root reads a chmod 000 file (the FIFO case covers an unreadable path)")
			}
			write(t, p, goodIn)
			os.Chmod(p, 0)
		}, wantErr: `: permission denied`},
		{name: "FIFO", setup: func(t *testing.T, p string) {
			if err := syscall.Mkfifo(p, 0o644); err != nil {
				t.Skip("no FIFOs here:", err)
			}
		}, wantErr: `: not a regular file`},
		{name: "directory without Dockerfiles", setup: func(t *testing.T, p string) {
			if err := os.MkdirAll(filepath.Join(p, "sub"), 0o755); err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(p, "sub", "README"), []byte("FROM a\n"), 0o644)
		}, wantErr: `: no Dockerfiles found`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			bad, good := filepath.Join(dir, "bad.Dockerfile"), filepath.Join(dir, "good.Dockerfile")
			write(t, good, goodIn)
			if c.setup != nil {
				c.setup(t, bad)
			} else {
				write(t, bad, c.src)
			}
			code, stdout, stderr := runFix(t, RunOptions{Transforms: []*Transform{appendAll}, MaxSize: c.maxSize}, bad, good)
			if code != ExitError {
				t.Errorf("exit %d, want %d", code, ExitError)
			}
			if stdout != "" {
				t.Errorf("stdout: %q", stdout)
			}
			re := regexp.MustCompile("^" + regexp.QuoteMeta(bad) + c.wantErr)
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			if len(lines) != 1 || !re.MatchString(lines[0]) {
				t.Errorf("stderr %q, want one line matching %s", stderr, re)
			}
			if c.setup == nil {
				if got := read(t, bad); got != c.src {
					t.Errorf("bad file changed")
				}
			}
			if got := read(t, good); got != goodOut {
				t.Errorf("good file not rewritten: %q", got)
			}
		})
	}
}

func TestRunStdinBadInput(t *testing.T) {
	code, stdout, stderr := runFix(t, RunOptions{Transforms: []*Transform{appendAll}, Stdin: strings.NewReader("FROM a\n\x00")}, "-")
	if code != ExitError || stdout != "" || stderr != "-:2: binary data (NUL byte): not a Dockerfile\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, stdout, stderr = runFix(t, RunOptions{Transforms: []*Transform{appendAll}, MaxSize: 10, Stdin: strings.NewReader(goodIn)}, "-")
	if code != ExitError || stdout != "" || stderr != "-: input is over the 10-byte limit (--max-size)\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// TestRunKeepsBytes: invalid UTF-8, a BOM, CRLF and a missing final newline
// survive byte for byte around an edit.
func TestRunKeepsBytes(t *testing.T) {
	cases := []struct {
		name, in, want string
		tr             *Transform
	}{
		{"invalid UTF-8 in comments and other instructions",
			"FROM a\n# caf\xe9 \xff\xfe\nLABEL x=\"\xc3\x28\" y='\xe2\x82'\nENV A=\xff\nRUN echo ok \\\n# \xc0\n  && true\n",
			"FROM a\n# caf\xe9 \xff\xfe\nLABEL x=\"\xc3\x28\" y='\xe2\x82'\nENV A=\xff\nRUN echo ok \\\n# \xc0\n  && true \\\n  && rm -rf /x\n", appendAll},
		// mvdan.cc/sh refuses invalid UTF-8: such a RUN is left alone.
		{"invalid UTF-8 in a RUN's strings",
			"FROM a\nRUN echo '\xfe\xff' \"\xc3\x28\" \xe2\x82\nRUN foo\n",
			"FROM a\nRUN echo '\xfe\xff' \"\xc3\x28\" \xe2\x82\nRUN foo && rm -rf /x\n", appendAll},
		{"invalid UTF-8 in a RUN's words",
			"FROM a\nRUN apt-get install \xff\xfe\nRUN apt-get install x\n",
			"FROM a\nRUN apt-get install \xff\xfe\nRUN apt-get install --flag x\n", flagInstall},
		{"invalid UTF-8 in a continuation comment line",
			"FROM a\nRUN foo \\\n# \xff\xfe\n  && bar\n",
			"FROM a\nRUN foo \\\n# \xff\xfe\n  && bar \\\n  && rm -rf /x\n", appendAll},
		{"BOM", "\xef\xbb\xbfFROM a\nRUN foo\n", "\xef\xbb\xbfFROM a\nRUN foo && rm -rf /x\n", appendAll},
		{"BOM CRLF no final newline", "\xef\xbb\xbfFROM a\r\nRUN foo \\\r\n  && bar", "\xef\xbb\xbfFROM a\r\nRUN foo \\\r\n  && bar \\\r\n  && rm -rf /x", appendAll},
		{"BOM before a directive", "\xef\xbb\xbf# escape=`\nFROM a\nRUN foo `\n  && bar\n", "\xef\xbb\xbf# escape=`\nFROM a\nRUN foo `\n  && bar `\n  && rm -rf /x\n", appendAll},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "Dockerfile")
			write(t, p, c.in)
			code, _, stderr := runFix(t, RunOptions{Transforms: []*Transform{c.tr}}, p)
			if code != ExitOK || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			if got := read(t, p); got != c.want {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

// panicky is a test transform that panics on any file mentioning "boom".
var panicky = &Transform{ID: "panicky", Run: func(p *Pass) {
	if bytes.Contains(p.Doc.Src, []byte("boom")) {
		panic("boom")
	}
}}

func TestRunTransformPanic(t *testing.T) {
	dir := t.TempDir()
	bad, good := filepath.Join(dir, "a.Dockerfile"), filepath.Join(dir, "b.Dockerfile")
	badIn := "FROM a\nRUN boom\n"
	write(t, bad, badIn)
	write(t, good, goodIn)
	// appendAll runs first and would change the bad file: the panic after
	// it must discard that change too.
	code, _, stderr := runFix(t, RunOptions{Transforms: []*Transform{appendAll, panicky}}, dir)
	if code != ExitError {
		t.Errorf("exit %d, want 2", code)
	}
	want := bad + ": internal error: transform panicky panicked: boom (file left untouched)\n"
	if stderr != want {
		t.Errorf("stderr %q\nwant   %q", stderr, want)
	}
	if got := read(t, bad); got != badIn {
		t.Errorf("panicking file written: %q", got)
	}
	if got := read(t, good); got != goodOut {
		t.Errorf("other file not processed: %q", got)
	}
}

// growing never converges: it lengthens the first LABEL on every run.
var growing = &Transform{ID: "growing", Run: func(p *Pass) {
	for _, in := range p.Doc.Instructions {
		if in.Cmd == "label" {
			e := strings.TrimRight(in.Text(p.Doc), "\n")
			p.Fix(in, "grow", Edit{Start: in.Start + len(e), End: in.Start + len(e), New: "x"})
			return
		}
	}
}}

// TestRunNoFixpoint: a transform that keeps changing its own output is
// broken; nothing of that file is written.
func TestRunNoFixpoint(t *testing.T) {
	dir := t.TempDir()
	bad, good := filepath.Join(dir, "a.Dockerfile"), filepath.Join(dir, "b.Dockerfile")
	badIn := "FROM a\nLABEL v=1\nRUN foo\n"
	write(t, bad, badIn)
	write(t, good, goodIn)
	code, _, stderr := runFix(t, RunOptions{Transforms: []*Transform{appendAll, growing}}, dir)
	want := bad + ": internal error: transforms did not reach a fixpoint after 4 rounds (still changing: growing); file left untouched\n"
	if code != ExitError || stderr != want {
		t.Errorf("exit %d, stderr %q\nwant %q", code, stderr, want)
	}
	if got := read(t, bad); got != badIn {
		t.Errorf("written: %q", got)
	}
	if got := read(t, good); got != goodOut {
		t.Errorf("other file not processed: %q", got)
	}
}

// TestRunUnreadableDir: an unreadable directory inside the tree is reported
// and the walk goes on to the files after it.
func TestRunUnreadableDir(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads a chmod 000 directory")
	}
	dir := t.TempDir()
	for _, d := range []string{"a", "b", "c"} {
		os.Mkdir(filepath.Join(dir, d), 0o755)
		write(t, filepath.Join(dir, d, "Dockerfile"), goodIn)
	}
	locked := filepath.Join(dir, "b")
	os.Chmod(locked, 0)
	defer os.Chmod(locked, 0o755)
	code, _, stderr := runFix(t, RunOptions{Transforms: []*Transform{appendAll}}, dir)
	if code != ExitError || stderr != locked+": permission denied\n" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	for _, d := range []string{"a", "c"} {
		if got := read(t, filepath.Join(dir, d, "Dockerfile")); got != goodOut {
			t.Errorf("%s/Dockerfile not written: %q", d, got)
		}
	}
}

// TestRunDeepShell: deeply nested or huge shell bodies never overflow the
// stack or hang; past the limits of limits.go they are left alone.
func TestRunDeepShell(t *testing.T) {
	huge := 1_000_000 // overflowed the stack before limits.go
	if raceDetector {
		huge = 100_000
	}
	cont := func(open, close string, n int) string {
		return strings.Repeat(open+"\\\n", n) + "true" + strings.Repeat(close+"\\\n", n) + "\n"
	}
	cases := []struct {
		name    string
		body    string
		changed bool
	}{
		{"900 nested subshells", strings.Repeat("( ", 900) + "true" + strings.Repeat(" )", 900) + "\n", true},
		{"10,000 nested subshells", strings.Repeat("(", 10000) + "true" + strings.Repeat(")", 10000) + "\n", false},
		{"8,000 nested $(", strings.Repeat("echo $(", 8000) + "true" + strings.Repeat(")", 8000) + "\n", false},
		{"10,000 nested ${", "echo " + strings.Repeat("${a:-", 10000) + "x" + strings.Repeat("}", 10000) + "\n", false},
		{"huge nesting of subshells on continuation lines", cont("(", ")", huge), false},
		{"huge && chain on continuation lines", strings.Repeat("a&&\\\n", huge) + "true\n", false},
		{"3,000 nested ifs", cont("if a; then ", "; fi", 3000), true},
		{"10,000 nested ifs", cont("if a; then ", "; fi", 10000), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "Dockerfile")
			in := "FROM a\nRUN " + c.body
			write(t, p, in)
			start := time.Now()
			code, _, stderr := runFix(t, RunOptions{Transforms: []*Transform{appendAll, flagInstall}}, p)
			t.Logf("%d bytes in %v", len(in), time.Since(start))
			if code != ExitOK || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			if changed := read(t, p) != in; changed != c.changed {
				t.Errorf("changed = %v, want %v", changed, c.changed)
			}
		})
	}
}

func TestShellLimits(t *testing.T) {
	for _, c := range []struct {
		body string
		ok   bool
	}{
		{strings.Repeat("(", MaxShellNesting) + strings.Repeat(")", MaxShellNesting), true},
		{strings.Repeat("(", MaxShellNesting+1) + strings.Repeat(")", MaxShellNesting+1), false},
		{strings.Repeat("()", 5000), true}, // many, not deep
		{strings.Repeat("x", MaxShellBody), true},
		{strings.Repeat("x", MaxShellBody+1), false},
	} {
		err := checkShellLimits(c.body)
		if (err == nil) != c.ok {
			t.Errorf("%.20q... (%d bytes): err = %v, want ok=%v", c.body, len(c.body), err, c.ok)
		}
	}
}

// scanAll is a test transform that looks at every instruction the way
// transforms do (Prev, Shell, ShellAt, Commands) and changes every RUN: a
// pipeline doing per-instruction work in more than constant time shows up
// as quadratic on a large file.
var scanAll = &Transform{ID: "scan-all", Run: func(p *Pass) {
	for _, in := range p.Doc.Instructions {
		in.Prev()
		p.Doc.ShellAt(in)
		if in.Stage != nil {
			p.Doc.StageByName(in.Stage.Base)
		}
		if sh, err := p.Doc.Shell(in); err == nil {
			sh.Commands()
		}
	}
}}

// TestRunLargeFile: 200,000 instructions in a few stages, every RUN changed,
// finishes in seconds (the engine was quadratic: Instruction.Prev, ShellAt,
// the ignore-comment lookup per finding, and the diff).
func TestRunLargeFile(t *testing.T) {
	if testing.Short() {
		t.Skip("large file")
	}
	var sb strings.Builder
	n := 200_000
	if raceDetector {
		n = 20_000
	}
	for i := 0; i < n; i++ {
		switch {
		case i%50_000 == 0:
			fmt.Fprintf(&sb, "FROM base AS s%d\n", i)
		case i%10 == 0:
			fmt.Fprintf(&sb, "# note %d\nENV A%d=%d\n", i, i, i)
		case i%1000 == 1:
			sb.WriteString("# dockopt:ignore\nRUN ignored\n")
		default:
			fmt.Fprintf(&sb, "RUN echo %d\n", i)
		}
	}
	in := sb.String()
	p := filepath.Join(t.TempDir(), "Dockerfile")
	write(t, p, in)
	start := time.Now()
	// The default --max-instructions refuses such a file with a clear error...
	if code, _, stderr := runFix(t, RunOptions{Transforms: []*Transform{scanAll, appendAll}, DryRun: true}, p); code != ExitError ||
		!strings.Contains(stderr, "over the limit of 5000 (--max-instructions)") {
		t.Errorf("default limit: exit %d, stderr %.200q", code, stderr)
	}
	// ... and without the limit the engine handles it in linear time.
	start = time.Now()
	code, diff, stderr := runFix(t, RunOptions{Transforms: []*Transform{scanAll, appendAll}, DryRun: true, MaxInstructions: -1}, p)
	elapsed := time.Since(start)
	t.Logf("%d instructions, %d bytes: %v", n, len(in), elapsed)
	if code != ExitOK || stderr != "" {
		t.Fatalf("exit %d, stderr %.200q", code, stderr)
	}
	if got := strings.Count(diff, "\n+RUN echo "); got != n-n/10-n/1000 {
		t.Errorf("%d RUNs changed in the diff", got)
	}
	if strings.Contains(diff, "+RUN ignored") {
		t.Errorf("a suppressed RUN was changed")
	}
	out, err := applyUnified([]byte(in), "--- a/dir/Dockerfile\n+++ b/dir/Dockerfile\n"+diff[strings.Index(diff, "@@"):])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), fmt.Sprintf("RUN echo %d && rm -rf /x\n", n-1)) {
		t.Errorf("diff does not apply to the expected output")
	}
	// Quadratic work on 200,000 instructions takes minutes; linear work
	// takes seconds.
	if elapsed > time.Minute {
		t.Errorf("took %v", elapsed)
	}
}

func write(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
