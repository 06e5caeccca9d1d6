package verify

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeDocker is a shell script standing in for the docker client: it logs
// its arguments and DOCKER_BUILDKIT, and answers like the real one.
const fakeDocker = `#!/bin/sh
echo "BUILDKIT=$DOCKER_BUILDKIT $*" >> "$FAKE_LOG"
case "$1" in
version) echo 99.1.0 ;;
build)
	while [ $# -gt 0 ]; do [ "$1" = --file ] && df=$2; shift; done
	if grep -q BREAK "$df"; then
		for i in $(seq 1 30); do echo "#$i line $i" >&2; echo "#$i sha256:0123abcdef" >&2; done
		echo "ERROR: process \"/bin/sh -c BREAK\" did not complete successfully: exit code: 127" >&2
		exit 1
	fi
	if grep -q DAEMON "$df"; then echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock" >&2; exit 1; fi ;;
image)
	case "$2" in
	inspect) echo '[{"Size": 1234, "Author": "me", "RootFS": {"Layers": ["a", "b"]}, "Config": {"User": "app"}}]' ;;
	rm) echo "Error: No such image: $4" >&2; exit 1 ;;
	esac ;;
run)
	for a; do last=$a; done
	[ "$last" = fail-to-start ] && { echo "docker: Error response from daemon: bad" >&2; exit 125; }
	echo "out $last"; exit 3 ;;
esac
`

func installFakeDocker(t *testing.T) (logPath string) {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "docker")
	if err := os.WriteFile(bin, []byte(fakeDocker), 0o755); err != nil {
		t.Fatal(err)
	}
	logPath = filepath.Join(dir, "log")
	t.Setenv("DOCKOPT_DOCKER", bin)
	t.Setenv("FAKE_LOG", logPath)
	return logPath
}

func TestDockerDriver(t *testing.T) {
	logPath := installFakeDocker(t)
	ctx := context.Background()
	d, err := NewDocker(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Describe(); got != "docker 99.1.0 (BuildKit)" {
		t.Errorf("Describe() = %q", got)
	}
	dir := t.TempDir()
	df := filepath.Join(dir, "Dockerfile")
	os.WriteFile(df, []byte("FROM scratch\n"), 0o644)
	err = d.Build(ctx, BuildRequest{ContextDir: dir, Dockerfile: df, Tag: "dockopt-verify:t-1", NoCache: true,
		BuildArgs: []string{"A=1", "B=two words"}, Target: "final", Platform: "linux/amd64"})
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(df, []byte("FROM scratch\nRUN BREAK\n"), 0o644)
	err = d.Build(ctx, BuildRequest{ContextDir: dir, Dockerfile: df, Tag: "dockopt-verify:t-2"})
	var be *BuildError
	if !errors.As(err, &be) || !strings.Contains(be.Log, "exit code: 127") || strings.Contains(be.Log, "#1 line 1\n") || strings.Contains(be.Log, "sha256") {
		t.Errorf("err = %v; want a BuildError with the log's tail", err)
	} else if n := strings.Count(be.Log, "\n") + 1; n != 20 {
		t.Errorf("the log tail has %d lines, want 20", n)
	}
	os.WriteFile(df, []byte("FROM scratch\nRUN DAEMON\n"), 0o644)
	if err := d.Build(ctx, BuildRequest{ContextDir: dir, Dockerfile: df, Tag: "t"}); err == nil || errors.As(err, &be) {
		t.Errorf("err = %v; a client failure must not count as the Dockerfile's", err)
	}
	img, err := d.Inspect(ctx, "dockopt-verify:t-1")
	if err != nil || img.Size != 1234 || len(img.RootFS.Layers) != 2 || img.Author != "me" || string(img.Config["User"]) != `"app"` {
		t.Errorf("Inspect = %+v, %v", img, err)
	}
	out, status, err := d.Run(ctx, "dockopt-verify:t-1", []string{"sh", "-c", "echo hi"}, "")
	if err != nil || out != "out echo hi\n" || status != 3 {
		t.Errorf("Run = %q %d %v", out, status, err)
	}
	if _, _, err := d.Run(ctx, "dockopt-verify:t-1", []string{"fail-to-start"}, ""); err == nil {
		t.Errorf("exit 125 (the daemon could not start the container) must be an error")
	}
	if err := d.Remove(ctx, "dockopt-verify:t-1", "dockopt-verify:t-2"); err != nil {
		t.Errorf("Remove of missing images: %v", err)
	}
	b, _ := os.ReadFile(logPath)
	log := string(b)
	for _, want := range []string{
		"BUILDKIT=1 build --progress=plain --file " + df + " --label dockopt.verify=1 --tag dockopt-verify:t-1 --no-cache --build-arg A=1 --build-arg B=two words --target final --platform linux/amd64 " + dir + "\n",
		"BUILDKIT=1 run --rm --network none --label dockopt.verify=1 --name dockopt-verify-t-1 dockopt-verify:t-1 sh -c echo hi\n",
		"BUILDKIT=1 image rm --force dockopt-verify:t-1 dockopt-verify:t-2\n",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("the client was not called as\n%s\nlog:\n%s", want, log)
		}
	}
}

func TestNoEngine(t *testing.T) {
	t.Setenv("DOCKOPT_DOCKER", filepath.Join(t.TempDir(), "no-such-docker"))
	_, err := NewDocker(context.Background())
	if !errors.Is(err, ErrNoEngine) || !strings.Contains(err.Error(), "systemctl start docker") {
		t.Errorf("err = %v; want ErrNoEngine saying how to start one", err)
	}
	installFakeDocker(t)
	os.WriteFile(os.Getenv("DOCKOPT_DOCKER"), []byte("#!/bin/sh\necho 'Cannot connect to the Docker daemon' >&2\nexit 1\n"), 0o755)
	if _, err := NewDocker(context.Background()); !errors.Is(err, ErrNoEngine) || !strings.Contains(err.Error(), "Cannot connect") {
		t.Errorf("err = %v; want ErrNoEngine with the client's message", err)
	}
}

func TestDockerBinary(t *testing.T) {
	t.Setenv("DOCKOPT_DOCKER", "/opt/docker")
	if got := DockerBinary(); got != "/opt/docker" {
		t.Errorf("DOCKOPT_DOCKER ignored: %q", got)
	}
	t.Setenv("DOCKOPT_DOCKER", "")
	if _, err := os.Stat("/usr/bin/docker"); err == nil {
		if got := DockerBinary(); got != "/usr/bin/docker" {
			t.Errorf("got %q, want /usr/bin/docker first", got)
		}
	}
}
