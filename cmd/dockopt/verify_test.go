package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeDockerCLI stands in for the docker client: it logs its arguments,
// builds and runs everything, and reports one image config for all.
const fakeDockerCLI = `#!/bin/sh
printf '%s|' "$@" >> "$FAKE_LOG"; echo >> "$FAKE_LOG"
case "$1" in
version) echo 20.10.99 ;;
image) [ "$2" = inspect ] && echo '[{"Size": 5000000, "RootFS": {"Layers": ["a"]}, "Config": {}}]' ;;
run) echo ran ;;
esac
exit 0
`

func TestVerifyFlags(t *testing.T) {
	dir := inTempDir(t)
	writeFile(t, "Dockerfile", changeable)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"fix", "--verify-run", "x", "Dockerfile"}, "--verify-run needs --verify"},
		{[]string{"fix", "--build-arg", "A=1", "Dockerfile"}, "--build-arg needs --verify"},
		{[]string{"fix", "--verify", "--verify-jobs", "0", "Dockerfile"}, "--verify-jobs must be at least 1"},
		{[]string{"fix", "--verify", "--verify-run", "echo $HOME", "Dockerfile"}, "only literal words"},
		{[]string{"fix", "--verify", "--build-arg", "=1", "Dockerfile"}, "want KEY=VALUE"},
		{[]string{"fix", "--verify", "--buildkit-addr", "unix://" + filepath.Join(dir, "no-buildkitd.sock"), "Dockerfile"}, "cannot reach buildkitd at unix://"},
		{[]string{"fix", "--buildkit-addr", "unix:///run/buildkit/buildkitd.sock", "Dockerfile"}, "--buildkit-addr needs --verify"},
	}
	for _, c := range cases {
		code, stdout, stderr := runCLI(t, "", c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) || stdout != "" {
			t.Errorf("%q: exit %d, stderr %q, stdout %q; want 2 and %q", c.args, code, stderr, stdout, c.want)
		}
	}
	t.Setenv("DOCKOPT_DOCKER", filepath.Join(dir, "no-such-docker"))
	code, _, stderr := runCLI(t, "", "fix", "--verify", "Dockerfile")
	if code != 2 || !strings.Contains(stderr, "cannot reach the Docker daemon") || !strings.Contains(stderr, "systemctl start docker") {
		t.Errorf("no engine: exit %d, stderr %q; want 2 and how to start one", code, stderr)
	}
	if got := readFile(t, "Dockerfile"); got != changeable {
		t.Errorf("the file changed without verification:\n%s", got)
	}
}

// useFakeDocker installs fakeDockerCLI in dir as the docker client
// (DOCKOPT_DOCKER) and returns the log its calls go to.
func useFakeDocker(t *testing.T, dir string) (log string) {
	t.Helper()
	bin, log := filepath.Join(dir, "bin", "docker"), filepath.Join(dir, "log")
	writeFile(t, bin, fakeDockerCLI)
	if err := os.Chmod(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DOCKOPT_DOCKER", bin)
	t.Setenv("FAKE_LOG", log)
	return log
}

func TestVerifyRunsTheEngine(t *testing.T) {
	needTransform(t, "exec-form")
	dir := inTempDir(t)
	writeFile(t, "Dockerfile", changeable)
	log := useFakeDocker(t, dir)
	code, _, stderr := runCLI(t, "", "fix", "--only", "exec-form", "--verify", "--verify-run", "echo a,b", "--verify-run", "",
		"--build-arg", "LIST=a,b", "--target", "final", "Dockerfile")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if got := readFile(t, "Dockerfile"); got != changed {
		t.Errorf("written:\n%s\nwant:\n%s", got, changed)
	}
	if !strings.Contains(stderr, "Dockerfile: verified with docker 20.10.99 (BuildKit): size 5.0 MB -> 5.0 MB, layers 1 -> 1") {
		t.Errorf("stderr:\n%s", stderr)
	}
	calls := readFile(t, log)
	for _, want := range []string{
		"|--build-arg|LIST=a,b|--target|final|", // one value: commas do not split it
		"|echo|a,b|\n",                          // the smoke command's words
		"--name|dockopt-verify-",                // the image's own command ("")
	} {
		if !strings.Contains(calls, want) {
			t.Errorf("the client was not called with %q:\n%s", want, calls)
		}
	}
	if n := strings.Count(calls, "run|--rm|"); n != 4 {
		t.Errorf("%d container runs, want 4 (two smoke commands in two images):\n%s", n, calls)
	}
	if !strings.Contains(calls, "image|rm|--force|") {
		t.Errorf("the images were not removed:\n%s", calls)
	}
}
