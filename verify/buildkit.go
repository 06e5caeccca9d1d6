package verify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/distribution/reference"
	"github.com/moby/buildkit/client"
	_ "github.com/moby/buildkit/client/connhelper/dockercontainer" // docker-container:// addresses
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/exporter/containerimage/exptypes"
	gateway "github.com/moby/buildkit/frontend/gateway/client"
	gwpb "github.com/moby/buildkit/frontend/gateway/pb"
	"github.com/moby/buildkit/solver/pb"
	"github.com/moby/buildkit/util/grpcerrors"
	"github.com/tonistiigi/fsutil"
	"google.golang.org/grpc/codes"
)

// BuildKit drives a buildkitd through github.com/moby/buildkit/client.
//
// buildkitd has no image store: Build streams each image out as an OCI
// tarball and keeps what Inspect needs (config, layers, size) in memory, by
// tag; Run solves the same Dockerfile again (from the cache) and runs the
// command in a gateway container on the result. Remove forgets the tags.
type BuildKit struct {
	addr    string
	c       *client.Client
	version string

	mu     sync.Mutex
	images map[string]*bkImage
}

// bkImage is one image Build made.
type bkImage struct {
	req BuildRequest
	img *Image
}

// NewBuildKit connects to buildkitd at addr (unix://, tcp://,
// docker-container://...) and checks that it answers. When it does not, the
// error wraps ErrNoEngine and says how to start one.
func NewBuildKit(ctx context.Context, addr string) (*BuildKit, error) {
	ctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	c, err := client.New(ctx, addr)
	if err != nil {
		return nil, noBuildKit(addr, err)
	}
	info, err := c.Info(ctx)
	if err != nil {
		c.Close()
		return nil, noBuildKit(addr, err)
	}
	return &BuildKit{addr: addr, c: c, version: info.BuildkitVersion.Version, images: map[string]*bkImage{}}, nil
}

func noBuildKit(addr string, err error) error {
	return fmt.Errorf("%w: cannot reach buildkitd at %s (%v).\n"+
		"Start one (`sudo buildkitd --addr unix:///run/buildkit/buildkitd.sock &` and pass --buildkit-addr unix:///run/buildkit/buildkitd.sock, "+
		"or `docker run -d --privileged --name buildkitd moby/buildkit` and pass --buildkit-addr docker-container://buildkitd), "+
		"or leave out --buildkit-addr to use the local Docker daemon", ErrNoEngine, addr, err)
}

// Describe implements Engine.
func (b *BuildKit) Describe() string { return "buildkitd " + b.version + " at " + b.addr }

// Close closes the connection to buildkitd.
func (b *BuildKit) Close() error { return b.c.Close() }

// Build implements Engine.
func (b *BuildKit) Build(ctx context.Context, req BuildRequest) error {
	opt, err := solveOpt(req)
	if err != nil {
		return err
	}
	pr, pw := io.Pipe()
	started, read := make(chan struct{}), make(chan struct{})
	var img *Image
	var readErr error
	opt.Exports = []client.ExportEntry{{
		Type: client.ExporterOCI,
		// Uncompressed: no time spent compressing layers only to count
		// their files' bytes.
		Attrs: map[string]string{"compression": "uncompressed", "force-compression": "true", "oci-mediatypes": "true"},
		Output: func(map[string]string) (io.WriteCloser, error) {
			close(started)
			go func() {
				defer close(read)
				img, readErr = readOCI(pr)
				pr.CloseWithError(readErr)
			}()
			return pw, nil
		},
	}}
	log := &buildLog{out: &tailBuffer{max: logLimit}}
	ch := make(chan *client.SolveStatus)
	logged := make(chan struct{})
	go func() {
		defer close(logged)
		for s := range ch {
			log.add(s)
		}
	}()
	_, err = b.c.Solve(ctx, nil, opt, ch)
	<-logged
	if err != nil {
		pw.CloseWithError(err)
	} else {
		pw.Close()
	}
	select {
	case <-started:
		<-read
	default:
		if err == nil {
			// The export never started: the exporter had nothing to write.
			return fmt.Errorf("buildkitd built %s but exported no image", req.Dockerfile)
		}
	}
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("build of %s: %w", req.Dockerfile, ctx.Err())
	case err != nil && engineFailed(err):
		return fmt.Errorf("buildkitd at %s: %v", b.addr, err)
	case err != nil:
		log.line(0, "ERROR: "+err.Error())
		return &BuildError{Log: tailLines(log.out.String(), 20), Err: err}
	case readErr != nil:
		return fmt.Errorf("reading the image buildkitd exported: %v", readErr)
	}
	b.mu.Lock()
	b.images[req.Tag] = &bkImage{req: req, img: img}
	b.mu.Unlock()
	return nil
}

// engineFailed tells a failure of buildkitd or the connection from a build
// that ran and failed.
func engineFailed(err error) bool {
	switch grpcerrors.Code(err) {
	case codes.Unavailable, codes.Unimplemented, codes.Internal, codes.ResourceExhausted, codes.DataLoss:
		return true
	}
	return false
}

// solveOpt is the dockerfile.v0 frontend over req's context and Dockerfile
// (which may lie outside the context: it gets a local of its own).
func solveOpt(req BuildRequest) (client.SolveOpt, error) {
	ctxFS, err := fsutil.NewFS(req.ContextDir)
	if err != nil {
		return client.SolveOpt{}, fmt.Errorf("the build context: %v", err)
	}
	dfFS, err := fsutil.NewFS(filepath.Dir(req.Dockerfile))
	if err != nil {
		return client.SolveOpt{}, fmt.Errorf("the Dockerfile's directory: %v", err)
	}
	return client.SolveOpt{
		Frontend:      "dockerfile.v0",
		FrontendAttrs: frontendAttrs(req),
		LocalMounts:   map[string]fsutil.FS{"context": ctxFS, "dockerfile": dfFS},
	}, nil
}

// frontendAttrs are the dockerfile.v0 frontend's options for req: what
// `docker build` sends for its flags.
func frontendAttrs(req BuildRequest) map[string]string {
	a := map[string]string{
		"filename":          filepath.Base(req.Dockerfile),
		"label:" + LabelKey: "1",
	}
	for _, kv := range req.BuildArgs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			// As docker build: a bare KEY takes its value from the
			// environment, and is left out when that has none.
			if v, ok = os.LookupEnv(k); !ok {
				continue
			}
		}
		a["build-arg:"+k] = v
	}
	if req.Target != "" {
		a["target"] = req.Target
	}
	if req.Platform != "" {
		a["platform"] = req.Platform
	}
	if req.NoCache {
		a["no-cache"] = "" // every stage
	}
	return a
}

// Inspect implements Engine: an image Build made, or (for the base image
// of a stage) the config of an image buildkitd resolves, with no size.
func (b *BuildKit) Inspect(ctx context.Context, tag string) (*Image, error) {
	b.mu.Lock()
	im := b.images[tag]
	b.mu.Unlock()
	if im != nil {
		return im.img, nil
	}
	named, err := reference.ParseNormalizedNamed(tag)
	if err != nil {
		return nil, fmt.Errorf("no image %s: %v", tag, err)
	}
	ref := reference.TagNameOnly(named).String()
	var config []byte
	_, err = b.c.Build(ctx, client.SolveOpt{}, "dockopt", func(ctx context.Context, gw gateway.Client) (*gateway.Result, error) {
		var err error
		_, _, config, err = gw.ResolveImageConfig(ctx, ref, sourceresolver.Opt{ImageOpt: &sourceresolver.ResolveImageOpt{}})
		return gateway.NewResult(), err
	}, nil)
	if err != nil {
		return nil, fmt.Errorf("buildkitd: resolving %s: %v", tag, err)
	}
	return imageFromConfig(config)
}

// Run implements Engine. Like `docker run --network none`: the command is
// the image's Entrypoint followed by argv (none: its Cmd), with its Env,
// WorkingDir and User.
func (b *BuildKit) Run(ctx context.Context, tag string, argv []string, platform string) (string, int, error) {
	b.mu.Lock()
	im := b.images[tag]
	b.mu.Unlock()
	if im == nil {
		return "", 0, fmt.Errorf("buildkitd: no image %s built by this dockopt", tag)
	}
	req := im.req
	req.NoCache = false // the image Build made, from the cache
	if platform != "" {
		req.Platform = platform
	}
	opt, err := solveOpt(req)
	if err != nil {
		return "", 0, err
	}
	var out bytes.Buffer
	stdout := &capWriter{w: &out, max: logLimit}
	status := 0
	_, err = b.c.Build(ctx, opt, "dockopt", func(ctx context.Context, gw gateway.Client) (*gateway.Result, error) {
		res, err := gw.Solve(ctx, gateway.SolveRequest{Frontend: opt.Frontend, FrontendOpt: opt.FrontendAttrs})
		if err != nil {
			return nil, err
		}
		ref, err := res.SingleRef()
		if err != nil {
			return nil, err
		}
		p, err := containerProcess(res.Metadata[exptypes.ExporterImageConfigKey], argv)
		if err != nil {
			return nil, err
		}
		ctr, err := gw.NewContainer(ctx, gateway.NewContainerRequest{
			Mounts:  []gateway.Mount{{Dest: "/", MountType: pb.MountType_BIND, Ref: ref}},
			NetMode: pb.NetMode_NONE,
		})
		if err != nil {
			return nil, err
		}
		defer ctr.Release(context.WithoutCancel(ctx))
		p.Stdout, p.Stderr = nopCloser{stdout}, nopCloser{io.Discard}
		proc, err := ctr.Start(ctx, p)
		if err != nil {
			return nil, err
		}
		err = proc.Wait()
		var exit *gwpb.ExitError
		if errors.As(err, &exit) {
			status, err = int(exit.ExitCode), nil
		}
		return gateway.NewResult(), err
	}, nil)
	if ctx.Err() != nil {
		return "", 0, fmt.Errorf("running %s: %w", tag, ctx.Err())
	}
	if err != nil {
		return "", 0, fmt.Errorf("buildkitd: running %s: %v", tag, err)
	}
	return out.String(), status, nil
}

// defaultPath is the PATH docker run gives a container whose image has none.
const defaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// containerProcess is what docker run would start for argv in an image of
// this config (an OCI image config, as JSON).
func containerProcess(config []byte, argv []string) (gateway.StartRequest, error) {
	var c struct {
		Config struct {
			Env, Entrypoint, Cmd []string
			WorkingDir, User     string
		}
	}
	if len(config) == 0 {
		return gateway.StartRequest{}, errors.New("the build gave no image config")
	}
	if err := json.Unmarshal(config, &c); err != nil {
		return gateway.StartRequest{}, fmt.Errorf("the image config: %v", err)
	}
	args := append([]string(nil), c.Config.Entrypoint...)
	if len(argv) > 0 {
		args = append(args, argv...)
	} else {
		args = append(args, c.Config.Cmd...)
	}
	if len(args) == 0 {
		return gateway.StartRequest{}, errors.New("no command: the image has no Entrypoint or Cmd and none was given")
	}
	env := c.Config.Env
	hasPath := false
	for _, e := range env {
		hasPath = hasPath || strings.HasPrefix(e, "PATH=")
	}
	if !hasPath {
		env = append(append([]string(nil), env...), defaultPath)
	}
	cwd := c.Config.WorkingDir
	if cwd == "" {
		cwd = "/"
	}
	return gateway.StartRequest{Args: args, Env: env, Cwd: cwd, User: c.Config.User}, nil
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// Remove implements Engine: buildkitd keeps no images, only its cache.
func (b *BuildKit) Remove(_ context.Context, tags ...string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, t := range tags {
		delete(b.images, t)
	}
	return nil
}

// buildLog is a build's progress as `docker build --progress=plain` shows
// it: "#N step" lines, each step's output, and its error.
type buildLog struct {
	out  *tailBuffer
	nums map[string]int // vertex digest -> N
}

func (l *buildLog) add(s *client.SolveStatus) {
	if l.nums == nil {
		l.nums = map[string]int{}
	}
	num := func(dg string) int {
		n, ok := l.nums[dg]
		if !ok {
			n = len(l.nums) + 1
			l.nums[dg] = n
		}
		return n
	}
	for _, v := range s.Vertexes {
		_, seen := l.nums[v.Digest.String()]
		n := num(v.Digest.String())
		if !seen {
			l.line(n, v.Name)
		}
		if v.Error != "" {
			l.line(n, "ERROR: "+v.Error)
		}
	}
	for _, lg := range s.Logs {
		n := num(lg.Vertex.String())
		for _, text := range strings.Split(strings.TrimRight(string(lg.Data), "\n"), "\n") {
			// What a terminal shows of a line redrawn with \r (apt's
			// progress).
			text = strings.TrimRight(text, "\r")
			l.line(n, text[strings.LastIndex(text, "\r")+1:])
		}
	}
}

func (l *buildLog) line(n int, text string) {
	if n > 0 {
		fmt.Fprintf(l.out, "#%d %s\n", n, text)
	} else {
		fmt.Fprintf(l.out, "%s\n", text)
	}
}
