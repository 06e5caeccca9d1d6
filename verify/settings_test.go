package verify

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/dockopt/dockopt/rewrite"
)

func TestMergeFlagsOverConfig(t *testing.T) {
	cfg := &rewrite.VerifySettings{
		BuildArgs: map[string]string{"A": "1", "B": "2", "Z": ""},
		Target:    "rt", Platform: "linux/amd64",
		Run:    []rewrite.Smoke{{Cmd: "--version", Line: 3}},
		Config: "/x/.dockopt.yaml",
	}
	cases := []struct {
		name             string
		o                Options
		cfg              *rewrite.VerifySettings
		args             []string
		target, platform string
		smoke            []rewrite.Smoke
	}{
		{"config only", Options{}, cfg, []string{"A=1", "B=2", "Z="}, "rt", "linux/amd64",
			[]rewrite.Smoke{{Cmd: "--version", Line: 3}}},
		{"flags win", Options{BuildArgs: []string{"B=flag", "NEW=x"}, Target: "ft", Smoke: []string{"s"}}, cfg,
			[]string{"A=1", "Z=", "B=flag", "NEW=x"}, "ft", "linux/amd64",
			[]rewrite.Smoke{{Cmd: "--version", Line: 3}, {Cmd: "s"}}},
		{"a flag KEY with no value replaces the config's KEY", Options{BuildArgs: []string{"B"}, Platform: "linux/arm64"}, cfg,
			[]string{"A=1", "Z=", "B"}, "rt", "linux/arm64",
			[]rewrite.Smoke{{Cmd: "--version", Line: 3}}},
		{"no config", Options{BuildArgs: []string{"X=1"}, Platform: "p", Smoke: []string{""}}, nil,
			[]string{"X=1"}, "", "p", []rewrite.Smoke{{Cmd: ""}}},
	}
	for _, c := range cases {
		args, target, platform, smoke := c.o.merge(c.cfg)
		if !reflect.DeepEqual(args, c.args) || target != c.target || platform != c.platform || !reflect.DeepEqual(smoke, c.smoke) {
			t.Errorf("%s: got %q %q %q %v\nwant %q %q %q %v", c.name, args, target, platform, smoke, c.args, c.target, c.platform, c.smoke)
		}
	}
}

// perFileConfig is a tree of two Dockerfiles, a/ and b/, under a config
// file whose overrides give each other verify settings.
const perFileConfig = `verify:
  build_args: {A: top, B: top}
  run: ["--version"]
overrides:
  - paths: ["a/**"]
    verify:
      build_args: {B: a}
      target: ta
      platform: linux/arm64
  - paths: ["b/**"]
    verify:
      build_args: {C: c}
      run: ["b-check", ""]
`

// fileCalls is what the engine was asked for one file: every build's
// request, and the smoke commands run in one of its images.
type fileCalls struct {
	builds []BuildRequest
	smoke  [][]string
	smokeP []string
}

func runWithConfig(t *testing.T, o Options) (e *fakeEngine, calls map[string]*fileCalls) {
	t.Helper()
	dir := t.TempDir()
	for name, text := range map[string]string{
		".dockopt.yaml":  perFileConfig,
		"a/Dockerfile":   "FROM scratch\nLABEL f=a\nRUN a-one\n",
		"b/Dockerfile":   "FROM scratch\nLABEL f=b\nRUN a-one\n",
		"b/unrelated.sh": "echo\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := rewrite.LoadConfig(filepath.Join(dir, ".dockopt.yaml"), []*rewrite.Transform{tA})
	if err != nil {
		t.Fatal(err)
	}
	e = newFake()
	o.Engine = e
	var stdout, stderr bytes.Buffer
	code := rewrite.Run(rewrite.RunOptions{Transforms: []*rewrite.Transform{tA}, Config: cfg, Verify: New(o).Verify,
		Quiet: true, Stdout: &stdout, Stderr: &stderr}, []string{dir})
	if code != rewrite.ExitOK {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	for _, f := range []string{"a", "b"} {
		b, _ := os.ReadFile(filepath.Join(dir, f, "Dockerfile"))
		if !strings.Contains(string(b), "RUN a-two") {
			t.Errorf("%s/Dockerfile was not fixed:\n%s", f, b)
		}
	}
	if left := e.leftovers(); len(left) > 0 {
		t.Errorf("images left behind: %v", left)
	}
	calls = map[string]*fileCalls{"a": {}, "b": {}}
	tagOf := map[string]string{} // tag -> file
	for _, b := range e.builds {
		f := "a"
		if strings.Contains(b.dockerfile, "LABEL f=b") {
			f = "b"
		}
		tagOf[b.req.Tag] = f
		calls[f].builds = append(calls[f].builds, b.req)
	}
	// The smoke commands of the first image of each file that ran any.
	first := map[string]string{}
	for _, r := range e.smokes {
		f := tagOf[r.tag]
		if first[f] == "" {
			first[f] = r.tag
		}
		if r.tag == first[f] {
			calls[f].smoke = append(calls[f].smoke, r.args)
		}
		calls[f].smokeP = append(calls[f].smokeP, r.platform)
	}
	return e, calls
}

func TestVerifyGetsEachFilesConfig(t *testing.T) {
	_, calls := runWithConfig(t, Options{BuildArgs: []string{"A=flag"}, Smoke: []string{"flag-smoke"}})
	want := map[string]struct {
		args             []string
		target, platform string
		smoke            [][]string
	}{
		// a: its override's B, target and platform; the top-level run;
		// the flag's A.
		"a": {[]string{"B=a", "A=flag"}, "ta", "linux/arm64", [][]string{{"--version"}, {"flag-smoke"}}},
		// b: the top-level B, its override's C and run (replacing the
		// top-level run); "" runs the image's own command (no words).
		"b": {[]string{"B=top", "C=c", "A=flag"}, "", "", [][]string{{"b-check"}, nil, {"flag-smoke"}}},
	}
	for f, w := range want {
		c := calls[f]
		if len(c.builds) < 2 {
			t.Fatalf("%s: %d builds, want the original and the result at least", f, len(c.builds))
		}
		for _, b := range c.builds {
			if !reflect.DeepEqual(b.BuildArgs, w.args) || b.Target != w.target || b.Platform != w.platform {
				t.Errorf("%s: built with args %q, target %q, platform %q; want %q, %q, %q", f, b.BuildArgs, b.Target, b.Platform, w.args, w.target, w.platform)
			}
		}
		if !reflect.DeepEqual(c.smoke, w.smoke) {
			t.Errorf("%s: smoke commands %q, want %q", f, c.smoke, w.smoke)
		}
		if len(c.smokeP) != 2*len(w.smoke) {
			t.Errorf("%s: %d smoke runs, want %d (both images)", f, len(c.smokeP), 2*len(w.smoke))
		}
		for _, p := range c.smokeP {
			if p != w.platform {
				t.Errorf("%s: smoke run with platform %q, want %q", f, p, w.platform)
			}
		}
	}
}

func TestTargetAndPlatformFlagsWinOverEveryConfig(t *testing.T) {
	_, calls := runWithConfig(t, Options{Target: "ft", Platform: "linux/s390x"})
	for _, f := range []string{"a", "b"} {
		for _, b := range calls[f].builds {
			if b.Target != "ft" || b.Platform != "linux/s390x" {
				t.Errorf("%s: built with target %q, platform %q; want the flags' ft, linux/s390x", f, b.Target, b.Platform)
			}
		}
		for _, p := range calls[f].smokeP {
			if p != "linux/s390x" {
				t.Errorf("%s: smoke run with platform %q, want linux/s390x", f, p)
			}
		}
	}
	if a := calls["a"].builds[0].BuildArgs; !reflect.DeepEqual(a, []string{"A=top", "B=a"}) {
		t.Errorf("a: build args %q, want the config's A=top B=a", a)
	}
}

func TestBadConfigSmokeCommandNamesTheConfigLine(t *testing.T) {
	e := newFake()
	path := fixture(t, threeRuns, nil)
	src, _ := os.ReadFile(path)
	settings := &rewrite.Settings{ContextDir: filepath.Dir(path), Verify: &rewrite.VerifySettings{
		Run: []rewrite.Smoke{{Cmd: "ok"}, {Cmd: "echo $HOME", Line: 7}}, Config: "/repo/.dockopt.yaml"}}
	res, err := rewrite.Fix(path, src, []*rewrite.Transform{tA}, settings)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = New(Options{Engine: e}).Verify(context.Background(), path, res, []*rewrite.Transform{tA}, settings)
	want := path + ": /repo/.dockopt.yaml:7: verify: run: smoke command \"echo $HOME\": only literal words"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %v, want one starting %q", err, want)
	}
	if len(e.builds) != 0 {
		t.Errorf("%d builds before the config error was reported, want none", len(e.builds))
	}
}
