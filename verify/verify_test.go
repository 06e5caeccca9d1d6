package verify

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dockopt/dockopt/rewrite"
)

const threeRuns = "FROM scratch\nRUN a-one\nRUN b-one\nRUN c-one\nCMD [\"run\"]\n"

var (
	tA     = replace("t-a", "a-one", "a-two")
	tB     = replace("t-b", "b-one", "b-BREAK")
	tBGood = replace("t-b", "b-one", "b-two")
	tC     = replace("t-c", "c-one", "c-two")
)

func TestVerifiedKeepsEverything(t *testing.T) {
	e := newFake()
	path := fixture(t, threeRuns, nil)
	kept, v, err := verifyFile(t, e, Options{}, path, tA, tBGood, tC)
	if err != nil {
		t.Fatal(err)
	}
	want := "FROM scratch\nRUN a-two\nRUN b-two\nRUN c-two\nCMD [\"run\"]\n"
	if string(kept.Output) != want {
		t.Errorf("kept:\n%s\nwant:\n%s", kept.Output, want)
	}
	if v.Status != rewrite.VerifyVerified || len(v.Dropped) != 0 {
		t.Errorf("status %q, dropped %v; want verified, nothing dropped", v.Status, v.Dropped)
	}
	// Two builds, the original and the result, both cold (no rebuild: no
	// COPY of the whole context).
	if len(e.builds) != 2 {
		t.Fatalf("%d builds, want 2", len(e.builds))
	}
	for _, b := range e.builds {
		if !b.req.NoCache {
			t.Errorf("build of\n%s\nused the cache; the measured builds must be cold", b.dockerfile)
		}
	}
	if v.Before == nil || v.After == nil {
		t.Fatalf("before/after missing: %+v", v)
	}
	if v.Before.SizeBytes != int64(len(threeRuns))*1e6 || v.After.SizeBytes != int64(len(want))*1e6 {
		t.Errorf("sizes %d -> %d, want %d -> %d", v.Before.SizeBytes, v.After.SizeBytes, len(threeRuns)*1e6, len(want)*1e6)
	}
	if v.Before.Layers != 4 || v.After.Layers != 4 {
		t.Errorf("layers %d -> %d, want 4 -> 4", v.Before.Layers, v.After.Layers)
	}
	if v.Before.RebuildSeconds != nil || v.EditedFile != "" {
		t.Errorf("a rebuild was measured without a COPY of the whole context: %+v", v)
	}
	if v.Engine != "fake 1.0" {
		t.Errorf("engine %q", v.Engine)
	}
}

func TestBreakingTransformIsDropped(t *testing.T) {
	e := newFake()
	path := fixture(t, threeRuns, nil)
	kept, v, err := verifyFile(t, e, Options{}, path, tA, tB, tC)
	if err != nil {
		t.Fatal(err)
	}
	want := "FROM scratch\nRUN a-two\nRUN b-one\nRUN c-two\nCMD [\"run\"]\n"
	if string(kept.Output) != want {
		t.Errorf("kept:\n%s\nwant:\n%s", kept.Output, want)
	}
	if v.Status != rewrite.VerifyPartial {
		t.Errorf("status %q, want partial", v.Status)
	}
	if len(v.Dropped) != 1 || v.Dropped[0].Transform != "t-b" {
		t.Fatalf("dropped %+v, want t-b only", v.Dropped)
	}
	d := v.Dropped[0]
	if !strings.Contains(d.Reason, "does not build") || !strings.Contains(d.Log, "BREAK: not found") {
		t.Errorf("reason %q, log %q: want the build failure and its log", d.Reason, d.Log)
	}
	for _, f := range kept.Findings {
		if f.Transform == "t-b" && f.Fixed {
			t.Errorf("the kept result still reports t-b as fixed: %v", f)
		}
	}
	// The kept text was last built by a trial with the cache; it must have
	// been built cold once more for the measurement.
	last := e.builds[len(e.builds)-1]
	if last.dockerfile != want || !last.req.NoCache {
		t.Errorf("last build: no-cache=%v\n%s\nwant a cold build of the kept text", last.req.NoCache, last.dockerfile)
	}
	if v.After == nil || v.After.SizeBytes != int64(len(want))*1e6 {
		t.Errorf("after: %+v, want the kept text's size", v.After)
	}
}

func TestOnlyTransformBreaksLeavesFileUnchanged(t *testing.T) {
	e := newFake()
	path := fixture(t, threeRuns, nil)
	kept, v, err := verifyFile(t, e, Options{}, path, tB)
	if err != nil {
		t.Fatal(err)
	}
	if kept.Changed() || v.Status != rewrite.VerifyRejected || v.After != nil {
		t.Errorf("changed=%v status=%q after=%v; want unchanged, rejected, no after", kept.Changed(), v.Status, v.After)
	}
	for _, f := range kept.Findings {
		if f.Fixed {
			t.Errorf("a fixed finding is left on an unchanged file: %v", f)
		}
	}
	if len(v.Dropped) != 1 || v.Dropped[0].Transform != "t-b" {
		t.Errorf("dropped %+v", v.Dropped)
	}
}

func TestOriginalFails(t *testing.T) {
	e := newFake()
	path := fixture(t, "FROM scratch\nRUN BREAK\nRUN a-one\n", nil)
	kept, v, err := verifyFile(t, e, Options{}, path, tA)
	if err != nil {
		t.Fatal(err)
	}
	if kept.Changed() || v.Status != rewrite.VerifyOriginalFails || !strings.Contains(v.Message, "BREAK: not found") {
		t.Errorf("changed=%v status=%q message=%q; want unchanged, original-fails, the log", kept.Changed(), v.Status, v.Message)
	}
}

func TestConfigDifferenceIsDropped(t *testing.T) {
	e := newFake()
	path := fixture(t, "FROM scratch\nENV A=1\nRUN a-one\n", nil)
	env := replace("t-env", "A=1", "A=2")
	kept, v, err := verifyFile(t, e, Options{}, path, tA, env)
	if err != nil {
		t.Fatal(err)
	}
	if want := "FROM scratch\nENV A=1\nRUN a-two\n"; string(kept.Output) != want {
		t.Errorf("kept:\n%s\nwant:\n%s", kept.Output, want)
	}
	if len(v.Dropped) != 1 || v.Dropped[0].Transform != "t-env" || !strings.Contains(v.Dropped[0].Reason, "Config.Env differs") {
		t.Errorf("dropped %+v, want t-env for Config.Env", v.Dropped)
	}
}

func TestSmokeCommandCatchesBehaviour(t *testing.T) {
	// The comment asks for `check` to run in both images; the fake image
	// prints every `RUN say` word, so t-say changes the output.
	src := "FROM scratch\n# dockopt:verify check 'two words'\nRUN say hello\nRUN a-one\n"
	e := newFake()
	path := fixture(t, src, nil)
	say := replace("t-say", "say hello", "say bye")
	kept, v, err := verifyFile(t, e, Options{}, path, say, tA)
	if err != nil {
		t.Fatal(err)
	}
	if want := "FROM scratch\n# dockopt:verify check 'two words'\nRUN say hello\nRUN a-two\n"; string(kept.Output) != want {
		t.Errorf("kept:\n%s\nwant:\n%s", kept.Output, want)
	}
	if len(v.Dropped) != 1 || v.Dropped[0].Transform != "t-say" {
		t.Fatalf("dropped %+v, want t-say", v.Dropped)
	}
	if !strings.Contains(v.Dropped[0].Reason, "`check 'two words'`") || !strings.Contains(v.Dropped[0].Log, "bye") {
		t.Errorf("dropped %+v: want the command and both outputs", v.Dropped[0])
	}
	if len(v.Smoke) != 1 || v.Smoke[0] != "check 'two words'" {
		t.Errorf("smoke %q", v.Smoke)
	}
}

func TestSmokeFlagRunsWithoutComment(t *testing.T) {
	e := newFake()
	path := fixture(t, "FROM scratch\nRUN say hello\n", nil)
	_, v, err := verifyFile(t, e, Options{Smoke: []string{"x"}}, path, replace("t-say", "say hello", "say bye"))
	if err != nil {
		t.Fatal(err)
	}
	if v.Status != rewrite.VerifyRejected || e.runs == 0 {
		t.Errorf("status %q after %d runs; want the --verify-run command to catch the change", v.Status, e.runs)
	}
}

func TestRebuildAfterSourceEdit(t *testing.T) {
	src := "FROM scratch\nCOPY requirements.txt ./\nRUN install\nCOPY . .\nRUN a-one\n"
	files := map[string]string{"requirements.txt": "x\n", "app.py": "print(1)\n", "b.txt": "b\n", ".dockerignore": "b.txt\n"}
	e := newFake()
	path := fixture(t, src, files)
	_, v, err := verifyFile(t, e, Options{}, path, tA)
	if err != nil {
		t.Fatal(err)
	}
	// app.py: requirements.txt is a manifest another COPY names, b.txt is
	// ignored, Dockerfile and .dockerignore are never picked.
	if v.EditedFile != "app.py" {
		t.Fatalf("edited %q, want app.py", v.EditedFile)
	}
	if v.Before.RebuildSeconds == nil || v.After.RebuildSeconds == nil {
		t.Fatalf("no rebuild times: %+v %+v", v.Before, v.After)
	}
	// Cold builds and the cache warm-ups see the context as it is; the two
	// timed rebuilds that follow see app.py edited, and nothing else.
	var cached []fakeBuild
	for _, b := range e.builds {
		if b.req.NoCache {
			if b.edited["app.py"] != "print(1)\n" {
				t.Errorf("a cold build saw app.py = %q", b.edited["app.py"])
			}
			continue
		}
		cached = append(cached, b)
		if _, ok := b.edited["b.txt"]; ok {
			t.Errorf("the context copy holds b.txt, which .dockerignore excludes")
		}
	}
	if len(cached) != 4 {
		t.Fatalf("%d builds with the cache, want 4 (warm-up and rebuild of the original and the result)", len(cached))
	}
	edited := regexp.MustCompile(`^print\(1\)\n\n [ \t]{32}\n$`)
	for i, b := range cached {
		app := b.edited["app.py"]
		if ok := app == "print(1)\n"; i < 2 && !ok || i >= 2 && !edited.MatchString(app) || b.edited["requirements.txt"] != "x\n" {
			t.Errorf("cached build %d saw app.py %q, requirements.txt %q", i, app, b.edited["requirements.txt"])
		}
	}
	if cached[2].edited["app.py"] != cached[3].edited["app.py"] {
		t.Errorf("the two rebuilds saw different edits")
	}
	if b, _ := os.ReadFile(filepath.Join(filepath.Dir(path), "app.py")); string(b) != "print(1)\n" {
		t.Errorf("the user's app.py was changed: %q", b)
	}
	// Every build reads the Dockerfile from outside the context copy, so
	// both see the same context.
	for _, b := range e.builds {
		if strings.HasPrefix(b.req.Dockerfile, b.req.ContextDir+string(filepath.Separator)) {
			t.Errorf("Dockerfile %s inside the context %s", b.req.Dockerfile, b.req.ContextDir)
		}
	}
}

func TestSideFileIsInTheResultContext(t *testing.T) {
	src := "FROM scratch\nCOPY . .\nRUN a-one\n"
	e := newFake()
	path := fixture(t, src, map[string]string{"app.py": "1\n", "secret.key": "k\n"})
	ignore := &rewrite.Transform{ID: "t-ignore", Default: true, Run: func(p *rewrite.Pass) {
		f := filepath.Join(p.Settings.ContextDir, ".dockerignore")
		old, ok, err := p.ReadFile(f)
		if err != nil || ok {
			return
		}
		p.FixFile(p.Doc.Instructions[1], "ignore secret.key", f, old, []byte("secret.key\n"))
	}}
	kept, v, err := verifyFile(t, e, Options{}, path, ignore)
	if err != nil {
		t.Fatal(err)
	}
	if v.Status != rewrite.VerifyVerified || !kept.FilesChanged() {
		t.Fatalf("status %q, side files changed %v", v.Status, kept.FilesChanged())
	}
	var sawOrig, sawResult bool
	for _, b := range e.builds {
		_, hasKey := b.edited["secret.key"]
		ign, hasIgnore := b.edited[".dockerignore"]
		if hasIgnore {
			sawResult = true
			if ign != "secret.key\n" || hasKey {
				t.Errorf("the result's context: .dockerignore %q, secret.key copied %v", ign, hasKey)
			}
		} else {
			sawOrig = true
			if !hasKey {
				t.Errorf("the original's context lacks secret.key")
			}
		}
	}
	if !sawOrig || !sawResult {
		t.Errorf("want builds of both contexts (original %v, result %v)", sawOrig, sawResult)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(path), ".dockerignore")); err == nil {
		t.Errorf("verification wrote the side file into the user's tree")
	}
}

func TestTimeoutIsAnError(t *testing.T) {
	e := newFake()
	e.block = true
	path := fixture(t, threeRuns, nil)
	_, _, err := verifyFile(t, e, Options{Timeout: 50 * time.Millisecond}, path, tA)
	if err == nil || !strings.Contains(err.Error(), "--verify-timeout") || !strings.Contains(err.Error(), "left unchanged") {
		t.Errorf("err = %v; want a timeout that names --verify-timeout and leaves the file", err)
	}
}

func TestStdinNeedsContext(t *testing.T) {
	res := &rewrite.Result{Path: "-", Input: []byte("FROM scratch\n"), Output: []byte("FROM scratch\nRUN x\n")}
	_, _, err := New(Options{Engine: newFake()}).Verify(t.Context(), "-", res, nil, &rewrite.Settings{})
	if err == nil || !strings.Contains(err.Error(), "--context") {
		t.Errorf("err = %v; want a pointer to --context", err)
	}
}

func TestBadSmokeCommentIsAnError(t *testing.T) {
	e := newFake()
	path := fixture(t, "FROM scratch\n# dockopt:verify echo $HOME\nRUN a-one\n", nil)
	_, _, err := verifyFile(t, e, Options{}, path, tA)
	if err == nil || !strings.Contains(err.Error(), "literal words") {
		t.Errorf("err = %v", err)
	}
	if len(e.builds) != 0 {
		t.Errorf("%d builds before the bad smoke command was reported", len(e.builds))
	}
}

func TestJobsBoundConcurrentBuilds(t *testing.T) {
	v := New(Options{Engine: newFake(), Jobs: 2})
	r1, r2 := v.acquire(), v.acquire()
	got := make(chan bool)
	go func() { r := v.acquire(); got <- true; r() }()
	select {
	case <-got:
		t.Fatal("a third build started with --verify-jobs 2")
	case <-time.After(50 * time.Millisecond):
	}
	r1()
	<-got
	r2()
}

func TestTimesExcludeTheWaitForASlot(t *testing.T) {
	// With --verify-jobs 1 the original's and the result's builds wait for
	// each other; each time must be its own build's only.
	e := newFake()
	e.delay = 200 * time.Millisecond
	path := fixture(t, "FROM scratch\nCOPY . .\nRUN a-one\n", map[string]string{"app.py": "1\n"})
	_, v, err := verifyFile(t, e, Options{Jobs: 1}, path, tA)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []float64{v.Before.ColdBuildSeconds, v.After.ColdBuildSeconds, *v.Before.RebuildSeconds, *v.After.RebuildSeconds} {
		if s < 0.2 || s > 0.35 {
			t.Errorf("times %+v %+v: want each about 0.2 s", v.Before, v.After)
			break
		}
	}
}

func TestNewBaseMayAddItsEnv(t *testing.T) {
	src := "FROM big\nENV APP=1\nRUN a-one\n"
	slim := replace("t-slim", "FROM big", "FROM slim")
	adds := map[string][]string{"big": {"PATH=/bin"}, "slim": {"PATH=/bin", "SSL_CERT_FILE=/x"}}
	for _, c := range []struct {
		name   string
		bases  map[string][]string
		hidden bool
		status string
	}{
		{"the new base sets the variable", adds, false, rewrite.VerifyVerified},
		// Without the base image to inspect, the addition is unexplained.
		{"the new base cannot be inspected", adds, true, rewrite.VerifyRejected},
		{"the new base changes PATH", map[string][]string{"big": {"PATH=/bin"}, "slim": {"PATH=/usr/bin"}}, false, rewrite.VerifyRejected},
	} {
		e := newFake()
		e.bases, e.hidden = c.bases, c.hidden
		path := fixture(t, src, nil)
		_, v, err := verifyFile(t, e, Options{}, path, slim)
		if err != nil {
			t.Fatal(err)
		}
		if v.Status != c.status {
			t.Errorf("%s: status %q, want %q (dropped %+v)", c.name, v.Status, c.status, v.Dropped)
		}
	}
}
