package rewrite

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
)

var cfgSuite = []*Transform{
	{ID: "a-one", Default: true},
	{ID: "b-two", Default: true},
	{ID: "c-opt"},
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func ids(ts []*Transform) []string {
	out := []string{}
	for _, t := range ts {
		out = append(out, t.ID)
	}
	return out
}

func TestLoadConfigErrorsNameFileAndLine(t *testing.T) {
	cases := map[string]string{
		"skip:\n  - a-one\n  - nope\n":                         ".dockopt.yaml:3: skip: unknown transform \"nope\"",
		"only: [a-one]\nbogus: 1\n":                            ".dockopt.yaml:2: unknown key \"bogus\"",
		"settings:\n  zzz:\n    mode: x\n":                     ".dockopt.yaml:2: settings: unknown transform \"zzz\"",
		"overrides:\n  - paths: [x]\n    nope: [a-one]\n":      ".dockopt.yaml:3: unknown key \"nope\"",
		"overrides:\n  - paths: [x]\n    enable: [c-opt, d]\n": ".dockopt.yaml:3: enable: unknown transform \"d\"",
	}
	checkConfigErrors(t, cases)
}

// checkConfigErrors loads each config text and wants the error that ends
// in its message, prefixed with the file's path.
func checkConfigErrors(t *testing.T, cases map[string]string) {
	t.Helper()
	for text, want := range cases {
		dir := t.TempDir()
		p := filepath.Join(dir, ".dockopt.yaml")
		writeFile(t, p, text)
		_, err := LoadConfig(p, cfgSuite)
		if err == nil || !strings.HasSuffix(err.Error(), want) || !strings.HasPrefix(err.Error(), dir) {
			t.Errorf("%q: got error %v, want %s", text, err, want)
		}
	}
}

func TestConfigResolve(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, ".dockopt.yaml")
	writeFile(t, p, `skip: [b-two]
settings:
  a-one: {mode: conservative}
exclude: ["legacy/**"]
overrides:
  - paths: ["svc/api/**"]
    enable: [c-opt]
  - paths: ["svc/only/**"]
    only: [b-two]
`)
	c, err := LoadConfig(p, cfgSuite)
	if err != nil {
		t.Fatal(err)
	}
	check := func(sel Selection, path string, want []string, wantVals map[string]string) {
		t.Helper()
		ts, vals, err := c.Resolve(cfgSuite, sel, filepath.Join(dir, path))
		if err != nil {
			t.Fatal(err)
		}
		if want != nil && !reflect.DeepEqual(ids(ts), want) {
			t.Errorf("%s %+v: transforms %v, want %v", path, sel, ids(ts), want)
		}
		if wantVals != nil && !reflect.DeepEqual(vals, wantVals) {
			t.Errorf("%s: values %v, want %v", path, vals, wantVals)
		}
	}
	check(Selection{}, "Dockerfile", []string{"a-one"}, map[string]string{"a-one.mode": "conservative"})
	check(Selection{}, "svc/api/Dockerfile", []string{"a-one", "c-opt"}, nil)
	check(Selection{}, "svc/only/Dockerfile", []string{}, nil) // only b-two, but b-two is skipped
	// Flags win over the file.
	check(Selection{Skip: []string{}}, "Dockerfile", []string{"a-one", "b-two"}, nil)
	check(Selection{Values: map[string]string{"a-one.mode": "all"}}, "Dockerfile", nil, map[string]string{"a-one.mode": "all"})
	if !c.Excluded(filepath.Join(dir, "legacy", "x", "Dockerfile")) || c.Excluded(filepath.Join(dir, "svc", "Dockerfile")) {
		t.Error("exclude globs not applied")
	}
}

func TestWalkFindsOnlyRealDockerfiles(t *testing.T) {
	root := t.TempDir()
	for _, f := range []string{
		"Dockerfile", "api/Dockerfile.prod", "web/app.Dockerfile", "web/x.dockerfile", "Containerfile",
		"c/Containerfile.dev", "DOCKERFILE", "up/dockerFile.Test",
		".git/Dockerfile", "node_modules/pkg/Dockerfile", "vendor/x/Dockerfile", "Dockerfile.dockerignore",
		"pkg/dockerfile.go", "man/Dockerfile.5.md", "schema/Dockerfile.json", "tpl/Dockerfile.tmpl", "Dockerfile.prod.yml",
		"v/Dockerfile.ubuntu-22.04", "v/Dockerfile.tf", "v/Containerfile.el9",
		"build/Dockerfile", "keep/build.txt", "notes.md", "gen/skip.Dockerfile", "gen/keep.Dockerfile",
	} {
		writeFile(t, filepath.Join(root, f), "FROM a\n")
	}
	writeFile(t, filepath.Join(root, ".gitignore"), "build/\n")
	writeFile(t, filepath.Join(root, "gen", ".gitignore"), "skip.*\n")
	if err := os.Mkdir(filepath.Join(root, ".git", "objects"), 0o755); err != nil {
		t.Fatal(err)
	}
	outside := t.TempDir()
	writeFile(t, filepath.Join(outside, "Dockerfile"), "FROM a\n")
	if err := os.Symlink(outside, filepath.Join(root, "linked")); err != nil {
		t.Fatal(err)
	}
	want := []string{"Containerfile", "DOCKERFILE", "Dockerfile", "api/Dockerfile.prod", "c/Containerfile.dev",
		"gen/keep.Dockerfile", "up/dockerFile.Test", "v/Containerfile.el9", "v/Dockerfile.tf", "v/Dockerfile.ubuntu-22.04",
		"web/app.Dockerfile", "web/x.dockerfile"}
	walk := func(start string) {
		t.Helper()
		var got []string
		if err := Walk(start, func(p string) {
			r, _ := filepath.Rel(start, p)
			got = append(got, filepath.ToSlash(r))
		}); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("walk of %q found\n%v\nwant\n%v", start, got, want)
		}
	}
	walk(root)
	// Relative roots: the walk's paths are made absolute from the root's,
	// for the .gitignore files' domains.
	t.Chdir(root)
	walk(".")
	t.Chdir(filepath.Dir(root))
	walk(filepath.Base(root))
}

// TestConfigResolveConcurrently: workers resolve files at once, and
// patternmatcher compiles a pattern on its first use; under -race (CI runs
// it) an unguarded first match is a data race.
func TestConfigResolveConcurrently(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, ".dockopt.yaml")
	writeFile(t, p, "overrides:\n  - paths: [\"svc/api/**\"]\n    enable: [c-opt]\n  - paths: [\"svc/*/x/**\", \"!svc/b/**\"]\n    skip: [a-one]\n")
	c, err := LoadConfig(p, cfgSuite)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	got := make([][]string, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ts, _, err := c.Resolve(cfgSuite, Selection{}, filepath.Join(dir, "svc", "api", "x", "Dockerfile"))
			if err == nil {
				got[i] = ids(ts)
			}
		}()
	}
	wg.Wait()
	for i, g := range got {
		if !reflect.DeepEqual(g, []string{"b-two", "c-opt"}) {
			t.Errorf("worker %d: %v, want [b-two c-opt]", i, g)
		}
	}
}
