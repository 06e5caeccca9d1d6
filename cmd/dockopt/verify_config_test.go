package main

import (
	"strings"
	"testing"
)

// The verify: section of .dockopt.yaml reaches the docker client, per
// path, under the flags.
func TestVerifyConfigReachesTheEngine(t *testing.T) {
	needTransform(t, "exec-form")
	dir := inTempDir(t)
	writeFile(t, ".dockopt.yaml", `verify:
  build_args: {A: cfg, B: cfg}
  target: cfgt
  run: ["cfg-smoke"]
overrides:
  - paths: ["sub/**"]
    verify:
      target: subt
`)
	writeFile(t, "Dockerfile", changeable)
	writeFile(t, "sub/Dockerfile", changeable)
	log := useFakeDocker(t, dir)
	code, _, stderr := runCLI(t, "", "fix", "--only", "exec-form", "--verify", "--build-arg", "A=flag", "-j", "1", "Dockerfile", "sub/Dockerfile")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	calls := readFile(t, log)
	for _, want := range []string{
		"|--build-arg|B=cfg|--build-arg|A=flag|--target|cfgt|", // Dockerfile: the flag's A wins
		"|--build-arg|B=cfg|--build-arg|A=flag|--target|subt|", // sub/Dockerfile: its override's target
		"|cfg-smoke|\n",
	} {
		if !strings.Contains(calls, want) {
			t.Errorf("the client was not called with %q:\n%s", want, calls)
		}
	}
	if strings.Contains(calls, "A=cfg") {
		t.Errorf("the config's A reached a build; --build-arg A=flag should replace it:\n%s", calls)
	}
	if n := strings.Count(calls, "run|--rm|"); n != 4 {
		t.Errorf("%d container runs, want 4 (one smoke command in two images of two files):\n%s", n, calls)
	}
}

// A verify: section without --verify is not used; a smoke command that could
// never run is still an error when the config loads, naming its line.
func TestVerifyConfigWithoutVerify(t *testing.T) {
	needTransform(t, "exec-form")
	inTempDir(t)
	writeFile(t, ".dockopt.yaml", "verify:\n  target: t\n  run: [\"--version\"]\n")
	writeFile(t, "Dockerfile", changeable)
	code, _, stderr := runCLI(t, "", "fix", "--only", "exec-form", "Dockerfile")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if got := readFile(t, "Dockerfile"); got != changed {
		t.Errorf("written:\n%s\nwant:\n%s", got, changed)
	}
	writeFile(t, ".dockopt.yaml", "verify:\n  target: t\n  run: [\"echo $HOME\"]\n")
	writeFile(t, "Dockerfile", changeable)
	code, _, stderr = runCLI(t, "", "fix", "--only", "exec-form", "Dockerfile")
	if code != 2 || !strings.Contains(stderr, ".dockopt.yaml:3: verify: run: smoke command \"echo $HOME\"") {
		t.Errorf("exit %d, want 2 and the config's line:\n%s", code, stderr)
	}
	if got := readFile(t, "Dockerfile"); got != changeable {
		t.Errorf("the file was written despite the config error:\n%s", got)
	}
}
