package e2e

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"testing"
)

// These tests need no Docker engine: they run with `go test ./...` and catch
// a malformed case directory before `make e2e` would.

func TestFields(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"--enable multi-stage", []string{"--enable", "multi-stage"}},
		{"  sh  -c 'echo $HOME; exit 3'\n", []string{"sh", "-c", "echo $HOME; exit 3"}},
		{`echo "two words" a\ b ''`, []string{"echo", "two words", "a b", ""}},
		{`say "q\"uote" x'y'z`, []string{"say", `q"uote`, "xyz"}},
	} {
		got, err := fields(tc.in)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("fields(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"echo $HOME", `echo "$HOME"`, "echo `id`", "echo 'open", `echo "open`} {
		if got, err := fields(bad); err == nil {
			t.Errorf("fields(%q) = %q, want an error", bad, got)
		}
	}
}

func TestReadSpec(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("Dockerfile", "FROM debian:bookworm\n")
	write("flags", "--only merge-runs,exec-form --set merge-runs.mode=conservative\n")
	write("expect", "# comment\nmust_change = any\nmax_size_ratio=0.5\nrun=sh -c 'exit 3'\n"+
		"needs=apt-clean-lists,exec-form\nconfig_may_change=Cmd, Entrypoint\n")
	spec, err := readSpec(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := caseSpec{
		flags:           []string{"--only", "merge-runs,exec-form", "--set", "merge-runs.mode=conservative"},
		mustChange:      "any",
		maxSizeRatio:    0.5,
		run:             []string{"sh", "-c", "exit 3"},
		needs:           []string{"merge-runs", "exec-form", "apt-clean-lists"},
		configMayChange: map[string]bool{"Cmd": true, "Entrypoint": true},
	}
	if !reflect.DeepEqual(spec, want) {
		t.Errorf("readSpec =\n%+v\nwant\n%+v", spec, want)
	}

	write("want.stdout", "hello\n")
	write("expect", "original_fails=true\n")
	spec, err = readSpec(dir)
	if err != nil || !spec.originalFails || spec.wantStdout == nil || *spec.wantStdout != "hello\n" {
		t.Errorf("original_fails with want.stdout: %+v, %v", spec, err)
	}
	write("expect", "original_fails=true\nmust_change=any\n")
	if _, err := readSpec(dir); err == nil {
		t.Error("original_fails=true with must_change=any: no error")
	}
	if err := os.Remove(filepath.Join(dir, "want.stdout")); err != nil {
		t.Fatal(err)
	}

	for _, bad := range []string{"must_change=yes\n", "mustchange=true\n", "max_size_ratio=big\n",
		"max_size_ratio=0\n", "original_fails=true\n", "config_may_change=Author\n", "run=echo $HOME\n", "just words\n"} {
		write("expect", bad)
		if _, err := readSpec(dir); err == nil {
			t.Errorf("expect %q: no error", bad)
		}
	}
}

// TestCases reads every real case directory the way the e2e run will.
func TestCases(t *testing.T) {
	entries, err := os.ReadDir("cases")
	if err != nil {
		t.Fatal(err)
	}
	id := regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	n := 0
	for _, e := range entries {
		if !e.IsDir() {
			t.Errorf("cases/%s: not a directory", e.Name())
			continue
		}
		n++
		if !id.MatchString(e.Name()) {
			t.Errorf("cases/%s: name must be lowercase kebab-case (it becomes an image tag)", e.Name())
		}
		spec, err := readSpec(filepath.Join("cases", e.Name()))
		if err != nil {
			t.Errorf("cases/%s: %v", e.Name(), err)
			continue
		}
		for _, x := range spec.needs {
			if !id.MatchString(x) {
				t.Errorf("cases/%s: needs %q: not a transform ID", e.Name(), x)
			}
		}
	}
	if n == 0 {
		t.Error("no cases")
	}
}

// TestReadmeExampleCopy keeps cases/readme-example a copy of the README's
// examples/ directory (the harness copies a case directory, so it cannot
// point there).
func TestReadmeExampleCopy(t *testing.T) {
	entries, err := os.ReadDir("../examples")
	if err != nil {
		t.Skip("no examples/ directory")
	}
	for _, e := range entries {
		want, err := os.ReadFile(filepath.Join("../examples", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join("cases/readme-example", e.Name()))
		if err != nil || string(got) != string(want) {
			t.Errorf("cases/readme-example/%s differs from examples/%s: copy it again (%v)", e.Name(), e.Name(), err)
		}
	}
}
