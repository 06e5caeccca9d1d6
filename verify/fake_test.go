package verify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dockopt/dockopt/rewrite"
)

// fakeEngine stands in for Docker: it "builds" a Dockerfile by reading it.
// A Dockerfile containing BREAK fails to build; ENV, CMD and LABEL lines
// make the image config; each `RUN say WORD` prints WORD when the image
// runs; the size is the Dockerfile's length in MB.
type fakeEngine struct {
	mu      sync.Mutex
	builds  []fakeBuild
	images  map[string]string // tag -> Dockerfile text
	removed map[string]bool
	runs    int
	smokes  []fakeRun           // every Run call
	block   bool                // builds wait for their context to end
	delay   time.Duration       // each build takes this long
	bases   map[string][]string // base images by name: their Env, which images built FROM them start with
	hidden  bool                // the base images cannot be inspected
}

type fakeRun struct {
	tag      string
	args     []string
	platform string
}

type fakeBuild struct {
	req        BuildRequest
	dockerfile string
	edited     map[string]string // context files: rel -> content, at build time
}

func newFake() *fakeEngine {
	return &fakeEngine{images: map[string]string{}, removed: map[string]bool{}}
}

func (e *fakeEngine) Describe() string { return "fake 1.0" }

func (e *fakeEngine) Build(ctx context.Context, req BuildRequest) error {
	if e.block {
		<-ctx.Done()
		return fmt.Errorf("build: %w", ctx.Err())
	}
	time.Sleep(e.delay)
	b, err := os.ReadFile(req.Dockerfile)
	if err != nil {
		return err
	}
	files := map[string]string{}
	filepath.WalkDir(req.ContextDir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			rel, _ := filepath.Rel(req.ContextDir, p)
			c, _ := os.ReadFile(p)
			files[filepath.ToSlash(rel)] = string(c)
		}
		return nil
	})
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, earlier := range e.builds {
		if earlier.req.Tag == req.Tag {
			// Docker would move the tag and leave the earlier image
			// untagged, where no cleanup finds it.
			return fmt.Errorf("tag %s built twice", req.Tag)
		}
	}
	e.builds = append(e.builds, fakeBuild{req: req, dockerfile: string(b), edited: files})
	if bytes.Contains(b, []byte("BREAK")) {
		return &BuildError{Log: "#5 RUN b-BREAK\n#5 ERROR: BREAK: not found", Err: fmt.Errorf("exit status 1")}
	}
	e.images[req.Tag] = string(b)
	return nil
}

func (e *fakeEngine) Inspect(_ context.Context, tag string) (*Image, error) {
	e.mu.Lock()
	df, ok := e.images[tag]
	baseEnv, isBase := e.bases[tag]
	isBase = isBase && !e.hidden
	e.mu.Unlock()
	if isBase {
		img := &Image{Config: map[string]json.RawMessage{}}
		img.Config["Env"], _ = json.Marshal(baseEnv)
		return img, nil
	}
	if !ok {
		return nil, fmt.Errorf("no such image %s", tag)
	}
	img := &Image{Size: int64(len(df)) * 1e6, Config: map[string]json.RawMessage{}}
	var env []string
	labels := map[string]string{LabelKey: "1"}
	for _, line := range strings.Split(df, "\n") {
		word, rest, _ := strings.Cut(line, " ")
		switch word {
		case "FROM":
			img.RootFS.Layers = append(img.RootFS.Layers, line)
			env = append([]string(nil), e.bases[rest]...)
		case "RUN", "COPY":
			img.RootFS.Layers = append(img.RootFS.Layers, line)
		case "ENV":
			env = append(env, rest)
		case "CMD":
			img.Config["Cmd"] = json.RawMessage(rest)
		case "LABEL":
			k, v, _ := strings.Cut(rest, "=")
			labels[k] = v
		case "MAINTAINER":
			img.Author = rest
		}
	}
	img.Config["Env"], _ = json.Marshal(env)
	img.Config["Labels"], _ = json.Marshal(labels)
	return img, nil
}

func (e *fakeEngine) Run(_ context.Context, tag string, args []string, platform string) (string, int, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.runs++
	e.smokes = append(e.smokes, fakeRun{tag: tag, args: args, platform: platform})
	var out strings.Builder
	for _, line := range strings.Split(e.images[tag], "\n") {
		if w, ok := strings.CutPrefix(line, "RUN say "); ok {
			out.WriteString(w + "\n")
		}
	}
	return out.String() + strings.Join(args, " "), 0, nil
}

func (e *fakeEngine) Remove(_ context.Context, tags ...string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, t := range tags {
		e.removed[t] = true
	}
	return nil
}

// leftovers are the tags built and never removed.
func (e *fakeEngine) leftovers() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	for _, b := range e.builds {
		if !e.removed[b.req.Tag] {
			out = append(out, b.req.Tag)
		}
	}
	return out
}

// replace is a test transform that replaces the first old in every
// instruction with new.
func replace(id, old, new string) *rewrite.Transform {
	return &rewrite.Transform{ID: id, Default: true, Run: func(p *rewrite.Pass) {
		for _, in := range p.Doc.Instructions {
			if i := bytes.Index(p.Doc.Src[in.Start:in.End], []byte(old)); i >= 0 {
				p.Fix(in, "replaced "+old, rewrite.Edit{Start: in.Start + i, End: in.Start + i + len(old), New: new})
			}
		}
	}}
}

// fixture is a build context with a Dockerfile and other files.
func fixture(t *testing.T, dockerfile string, files map[string]string) (path string) {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path = filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(path, []byte(dockerfile), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// verifyFile runs the pipeline and the verifier over one fixture.
func verifyFile(t *testing.T, e *fakeEngine, o Options, path string, ts ...*rewrite.Transform) (*rewrite.Result, *rewrite.Verification, error) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	settings := &rewrite.Settings{ContextDir: filepath.Dir(path)}
	res, err := rewrite.Fix(path, src, ts, settings)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Changed() && !res.FilesChanged() {
		t.Fatal("the transforms changed nothing: a broken fixture")
	}
	o.Engine = e
	kept, v, err := New(o).Verify(context.Background(), path, res, ts, settings)
	if left := e.leftovers(); len(left) > 0 {
		t.Errorf("images left behind: %v", left)
	}
	return kept, v, err
}
