package rewrite

import (
	"path/filepath"
	"reflect"
	"testing"
)

func TestVerifyConfigErrorsNameFileAndLine(t *testing.T) {
	cases := map[string]string{
		"verify:\n  target: x\n  bogus: 1\n":                             ".dockopt.yaml:3: unknown key \"bogus\"",
		"verify:\n  build-args: {A: 1}\n":                                ".dockopt.yaml:2: unknown key \"build-args\"",
		"overrides:\n  - paths: [x]\n    verify:\n      tagret: t\n":     ".dockopt.yaml:4: unknown key \"tagret\"",
		"verify:\n  build_args:\n    A: 1\n    \"\": 2\n":                ".dockopt.yaml:4: verify: build_args: \"\" is not a build argument name (write KEY: VALUE)",
		"verify:\n  build_args:\n    A=1: x\n":                           ".dockopt.yaml:3: verify: build_args: \"A=1\" is not a build argument name (write KEY: VALUE)",
		"verify:\n  run:\n    - --version\n    - [a, b]\n":               ".dockopt.yaml:4: verify: run: want a command string, e.g. \"--version\" ('' runs the image's own command)",
		"verify:\n  run: [--version, \"echo $HOME\"]\n":                  ".dockopt.yaml:2: verify: run: smoke command \"echo $HOME\": only literal words are supported (the words are docker run's arguments; for a shell command line, run a shell: sh -c '…')",
		"verify:\n  target: [a]\n":                                       ".dockopt.yaml:2: cannot unmarshal !!seq into string",
		"overrides:\n  - paths: [x]\n    verify: {run: [a]}\n    o: 1\n": ".dockopt.yaml:4: unknown key \"o\"",
	}
	checkConfigErrors(t, cases)
}

// Build argument names and smoke commands are not transform IDs, even
// when they are spelled like the keys that hold IDs.
func TestVerifyConfigValuesAreNotTransformIDs(t *testing.T) {
	p := filepath.Join(t.TempDir(), ".dockopt.yaml")
	writeFile(t, p, "verify:\n  build_args: {only: x, skip: \"\", settings: y}\n  run: [only, skip]\n")
	c, err := LoadConfig(p, cfgSuite)
	if err != nil {
		t.Fatal(err)
	}
	got := c.VerifyFor(filepath.Join(filepath.Dir(p), "Dockerfile"))
	want := &VerifySettings{
		BuildArgs: map[string]string{"only": "x", "skip": "", "settings": "y"},
		Run:       []Smoke{{"only", 3}, {"skip", 3}},
		Config:    p,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestVerifyForOverrides(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, ".dockopt.yaml")
	writeFile(t, p, `verify:
  build_args:
    HTTP_PROXY: ""
    VERSION: 1.20
    EMPTY:
  target: runtime
  run: ["--version", ""]
overrides:
  - paths: ["svc/**"]
    verify:
      build_args: {VERSION: "2", NEW: n}
      platform: linux/arm64
  - paths: ["svc/api/**"]
    verify:
      target: ""
      run: ["api --health"]
  - paths: ["svc/quiet/**"]
    verify:
      run: []
  - paths: ["plain/**"]
    skip: [a-one]
`)
	c, err := LoadConfig(p, cfgSuite)
	if err != nil {
		t.Fatal(err)
	}
	top := map[string]string{"HTTP_PROXY": "", "VERSION": "1.20", "EMPTY": ""}
	svc := map[string]string{"HTTP_PROXY": "", "VERSION": "2", "EMPTY": "", "NEW": "n"}
	cases := []struct {
		path string
		want *VerifySettings
	}{
		{"Dockerfile", &VerifySettings{BuildArgs: top, Target: "runtime", Run: []Smoke{{"--version", 7}, {"", 7}}, Config: p}},
		{"plain/Dockerfile", &VerifySettings{BuildArgs: top, Target: "runtime", Run: []Smoke{{"--version", 7}, {"", 7}}, Config: p}},
		{"svc/web/Dockerfile", &VerifySettings{BuildArgs: svc, Target: "runtime", Platform: "linux/arm64", Run: []Smoke{{"--version", 7}, {"", 7}}, Config: p}},
		// A later override replaces target (with "": the last stage) and run.
		{"svc/api/Dockerfile", &VerifySettings{BuildArgs: svc, Target: "", Platform: "linux/arm64", Run: []Smoke{{"api --health", 16}}, Config: p}},
		// run: [] clears the smoke commands.
		{"svc/quiet/Dockerfile", &VerifySettings{BuildArgs: svc, Target: "runtime", Platform: "linux/arm64", Run: []Smoke{}, Config: p}},
	}
	for _, tc := range cases {
		got := c.VerifyFor(filepath.Join(dir, filepath.FromSlash(tc.path)))
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\ngot  %+v\nwant %+v", tc.path, got, tc.want)
		}
	}
	// The top-level map is not changed by the overrides merged over it.
	if !reflect.DeepEqual(c.Verify.BuildArgs, top) {
		t.Errorf("top-level build_args changed: %v", c.Verify.BuildArgs)
	}
}

func TestVerifyForWithoutVerifySections(t *testing.T) {
	var none *Config
	if got := none.VerifyFor("Dockerfile"); got != nil {
		t.Errorf("no config: %+v, want nil", got)
	}
	dir := t.TempDir()
	p := filepath.Join(dir, ".dockopt.yaml")
	writeFile(t, p, "skip: [a-one]\noverrides:\n  - paths: [\"a/**\"]\n    verify: {target: t}\n")
	c, err := LoadConfig(p, cfgSuite)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.VerifyFor(filepath.Join(dir, "b", "Dockerfile")); got != nil {
		t.Errorf("no section applies: %+v, want nil", got)
	}
	want := &VerifySettings{Target: "t", Config: p}
	if got := c.VerifyFor(filepath.Join(dir, "a", "Dockerfile")); !reflect.DeepEqual(got, want) {
		t.Errorf("a/Dockerfile: %+v, want %+v", got, want)
	}
}
