package verify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"time"
)

// DockerBinary is the docker client to use: $DOCKOPT_DOCKER, else
// /usr/bin/docker (Debian's docker.io speaks BuildKit with DOCKER_BUILDKIT=1;
// a client elsewhere on the PATH may be one without BuildKit), else docker
// on the PATH.
func DockerBinary() string {
	if p := os.Getenv("DOCKOPT_DOCKER"); p != "" {
		return p
	}
	if st, err := os.Stat("/usr/bin/docker"); err == nil && !st.IsDir() {
		return "/usr/bin/docker"
	}
	if p, err := exec.LookPath("docker"); err == nil {
		return p
	}
	return "docker"
}

// Docker drives the local Docker daemon through its CLI with BuildKit.
type Docker struct {
	Bin     string
	version string
}

// pingTimeout bounds the first contact with the daemon.
const pingTimeout = 30 * time.Second

// NewDocker finds the client and checks that the daemon answers. When it
// does not, the error wraps ErrNoEngine and says how to start one.
func NewDocker(ctx context.Context) (*Docker, error) {
	d := &Docker{Bin: DockerBinary()}
	ctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	out, errOut, code, err := d.run(ctx, nil, "version", "--format", "{{.Server.Version}}")
	if err != nil || code != 0 || strings.TrimSpace(out) == "" {
		why := strings.TrimSpace(tailLines(errOut, 3))
		if err != nil {
			why = err.Error()
		}
		return nil, fmt.Errorf("%w: cannot reach the Docker daemon with %s (%s).\n"+
			"Start it (`sudo systemctl start docker`, or `sudo dockerd &`), point DOCKER_HOST at a running one, "+
			"set DOCKOPT_DOCKER to a docker client with BuildKit, or pass --buildkit-addr", ErrNoEngine, d.Bin, why)
	}
	d.version = strings.TrimSpace(out)
	return d, nil
}

// Describe implements Engine.
func (d *Docker) Describe() string { return "docker " + d.version + " (BuildKit)" }

// logLimit bounds how much of a build log is kept (only its tail is shown).
const logLimit = 256 << 10

// Build implements Engine.
func (d *Docker) Build(ctx context.Context, req BuildRequest) error {
	args := []string{"build", "--progress=plain", "--file", req.Dockerfile, "--label", Label, "--tag", req.Tag}
	if req.NoCache {
		args = append(args, "--no-cache")
	}
	for _, a := range req.BuildArgs {
		args = append(args, "--build-arg", a)
	}
	if req.Target != "" {
		args = append(args, "--target", req.Target)
	}
	if req.Platform != "" {
		args = append(args, "--platform", req.Platform)
	}
	args = append(args, req.ContextDir)
	log := &tailBuffer{max: logLimit}
	_, _, code, err := d.run(ctx, log, args...)
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("build of %s: %w", req.Dockerfile, ctx.Err())
	case err != nil:
		return err
	case code == 0:
		return nil
	}
	text := log.String()
	for _, s := range []string{"Cannot connect to the Docker daemon", "buildx component is missing", "unknown flag:"} {
		if strings.Contains(text, s) {
			// Not the Dockerfile's fault: the client or daemon failed.
			return fmt.Errorf("%s build: exit %d: %s", d.Bin, code, tailLines(text, 5))
		}
	}
	return &BuildError{Log: tailLines(reStepDigest.ReplaceAllString(text, ""), 20), Err: fmt.Errorf("exit status %d", code)}
}

// reStepDigest matches the `#5 sha256:…` lines of a plain-progress build
// log: noise in the few lines a report shows.
var reStepDigest = regexp.MustCompile(`(?m)^#\d+ sha256:[0-9a-f]+\n`)

// Inspect implements Engine.
func (d *Docker) Inspect(ctx context.Context, tag string) (*Image, error) {
	out, errOut, code, err := d.run(ctx, nil, "image", "inspect", tag)
	if err != nil || code != 0 {
		return nil, fmt.Errorf("docker image inspect %s: exit %d %v %s", tag, code, err, tailLines(errOut, 3))
	}
	var imgs []Image
	if err := json.Unmarshal([]byte(out), &imgs); err != nil || len(imgs) != 1 {
		return nil, fmt.Errorf("docker image inspect %s: %v (%d images)", tag, err, len(imgs))
	}
	return &imgs[0], nil
}

// Run implements Engine: the container has no network, so that its output
// depends on the image only.
func (d *Docker) Run(ctx context.Context, tag string, argv []string, platform string) (string, int, error) {
	name := strings.NewReplacer(":", "-", "/", "-").Replace(tag)
	args := []string{"run", "--rm", "--network", "none", "--label", Label, "--name", name}
	if platform != "" {
		args = append(args, "--platform", platform)
	}
	args = append(append(args, tag), argv...)
	var out bytes.Buffer
	stdout := &capWriter{w: &out, max: logLimit}
	_, errOut, code, err := d.runTo(ctx, stdout, nil, args...)
	if ctx.Err() != nil {
		d.run(context.Background(), nil, "rm", "-f", name)
		return "", 0, fmt.Errorf("docker run %s: %w", tag, ctx.Err())
	}
	if err != nil {
		return "", 0, err
	}
	if code == 125 { // the daemon could not create or start the container
		return "", 0, fmt.Errorf("docker run %s: %s", tag, tailLines(errOut, 3))
	}
	return out.String(), code, nil
}

// Remove implements Engine.
func (d *Docker) Remove(ctx context.Context, tags ...string) error {
	if len(tags) == 0 {
		return nil
	}
	_, errOut, code, err := d.run(ctx, nil, append([]string{"image", "rm", "--force"}, tags...)...)
	if err != nil {
		return err
	}
	if code != 0 && !strings.Contains(errOut, "No such image") {
		return fmt.Errorf("docker image rm: %s", tailLines(errOut, 3))
	}
	return nil
}

// run runs the client; combined, when set, receives stdout and stderr
// (build logs), otherwise they are returned.
func (d *Docker) run(ctx context.Context, combined *tailBuffer, args ...string) (stdout, stderr string, code int, err error) {
	if combined != nil {
		return d.runTo(ctx, combined, combined, args...)
	}
	var o bytes.Buffer
	return d.runTo(ctx, &o, nil, args...)
}

func (d *Docker) runTo(ctx context.Context, stdout, stderr interface{ Write([]byte) (int, error) }, args ...string) (string, string, int, error) {
	cmd := exec.CommandContext(ctx, d.Bin, args...)
	cmd.Env = append(os.Environ(), "DOCKER_BUILDKIT=1")
	// An interrupted client cancels its build in the daemon; a killed one
	// may leave it running until the session times out.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	var e bytes.Buffer
	cmd.Stdout = stdout
	if stderr != nil {
		cmd.Stderr = stderr
	} else {
		cmd.Stderr = &capWriter{w: &e, max: logLimit}
	}
	err := cmd.Run()
	out := ""
	if b, ok := stdout.(*bytes.Buffer); ok {
		out = b.String()
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) && ctx.Err() == nil {
		return out, e.String(), exit.ExitCode(), nil
	}
	if err != nil && ctx.Err() == nil {
		return out, e.String(), 0, fmt.Errorf("%s: %v", d.Bin, err)
	}
	return out, e.String(), 0, err
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	max int
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	if len(t.buf) > 2*t.max {
		t.buf = append([]byte(nil), t.buf[len(t.buf)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	if len(t.buf) > t.max {
		return string(t.buf[len(t.buf)-t.max:])
	}
	return string(t.buf)
}

// capWriter keeps the first max bytes written to it and drops the rest.
type capWriter struct {
	w   *bytes.Buffer
	max int
}

func (c *capWriter) Write(p []byte) (int, error) {
	if room := c.max - c.w.Len(); room > 0 {
		c.w.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}
