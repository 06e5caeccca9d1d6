//go:build e2e

package e2e

// `dockopt fix --verify --buildkit-addr` over a few cases, against the
// buildkitd e2e/provision.d/buildkitd.sh starts: the same verdicts as
// through Docker (TestVerify), and sizes and layers that a reading of the
// image's OCI export, independent of dockopt's, confirms.

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/moby/buildkit/client"
	"github.com/tonistiigi/fsutil"
)

// buildkitCases are the cases TestVerifyBuildKit runs: a plain apt fix that
// must verify, the two transforms a build or a smoke command must drop, a
// config change (exec form) with the image's own command as smoke command,
// two new bases whose config buildkitd resolves: a multi-stage runtime and
// an opt-in slim base (slim-base, python:3.11 -> python:3.11-slim), and a
// new .dockerignore beside the Dockerfile (dockerignore).
var buildkitCases = []string{"apt-update-install-split", "verify-recommends-build", "verify-recommends-smoke",
	"exec-cmd-plain", "multi-stage-go-apt", "slim-base-python", "dockerignore-node"}

// buildkitAddr is $DOCKOPT_BUILDKIT_ADDR, else the buildkitd provisioning
// started.
func buildkitAddr(t *testing.T) string {
	if a := os.Getenv("DOCKOPT_BUILDKIT_ADDR"); a != "" {
		return a
	}
	state := os.Getenv("DOCKOPT_E2E_STATE")
	if state == "" {
		state = "/var/tmp/dockopt-e2e"
	}
	b, err := os.ReadFile(filepath.Join(state, "buildkitd.addr"))
	addr := strings.TrimSpace(string(b))
	if err == nil {
		if _, serr := os.Stat(strings.TrimPrefix(addr, "unix://")); serr == nil {
			return addr
		}
	}
	t.Skipf("DOCKOPT_BUILDKIT_ADDR is unset and provisioning left no buildkitd socket (%v): run `bash e2e/provision.sh`", err)
	return ""
}

func TestVerifyBuildKit(t *testing.T) {
	addr := buildkitAddr(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	bk, err := client.New(ctx, addr)
	if err == nil {
		_, err = bk.Info(ctx)
	}
	cancel()
	if err != nil {
		t.Fatalf("buildkitd at %s does not answer: %v (run `bash e2e/provision.sh`)", addr, err)
	}
	defer bk.Close()
	// Every build is cold, and buildkitd keeps what it built (and the
	// uncompressed copies of the layers it exported): gigabytes per run.
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		if err := bk.Prune(ctx, nil, client.PruneAll); err != nil {
			t.Logf("pruning buildkitd's cache: %v", err)
		}
	}()
	h := &harness{run: fmt.Sprintf("bk%d-%d", os.Getpid(), time.Now().Unix()%100000)}
	h.dockopt = buildDockopt(t)
	h.transforms = listTransforms(t, h.dockopt)
	t.Run("cases", func(t *testing.T) {
		for _, name := range buildkitCases {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				h.verifyBuildKitCase(t, bk, addr, name)
			})
		}
	})
}

func (h *harness) verifyBuildKitCase(t *testing.T, bk *client.Client, addr, name string) {
	vc := h.prepareVerifyCase(t, name)
	plain := vc.plain

	drop, isDrop := verifyDrops[name]
	rep, out, written := h.runVerify(t, name, vc, "--buildkit-addr", addr)
	v := rep.Files[0].Verification
	if v == nil || v.Before == nil || v.After == nil {
		t.Fatalf("no verification or no measurements in the report:\n%s", out)
	}
	var engine struct {
		Files []struct{ Verification struct{ Engine string } }
	}
	if json.Unmarshal([]byte(out), &engine); !strings.HasPrefix(engine.Files[0].Verification.Engine, "buildkitd v") {
		t.Errorf("engine %q, want buildkitd", engine.Files[0].Verification.Engine)
	}
	if isDrop {
		checkDropped(t, v, drop, written)
	} else if v.Status != "verified" || len(v.Dropped) > 0 || string(written) != string(plain) {
		t.Fatalf("--verify --buildkit-addr kept other than the plain fix (status %s, dropped %+v).\nplain fix:\n%s\nwritten:\n%s\n%s",
			v.Status, v.Dropped, plain, written, v.Message)
	}

	// The same builds again (from buildkitd's cache), exported as an OCI
	// layout directory and read here.
	eachVersion(t, filepath.Join("cases", name), written, vc.side, v.Before, v.After, func(_ int, what, dir string, want *verifyStats) {
		size, layers := exportedImage(t, bk, dir)
		if math.Abs(float64(size-want.SizeBytes)) > 0.01*float64(size) {
			t.Errorf("%s: reported %d bytes, the OCI export's layers hold %d bytes of files (more than 1%% apart)", what, want.SizeBytes, size)
		}
		if layers != want.Layers {
			t.Errorf("%s: reported %d layers, the OCI export has %d", what, want.Layers, layers)
		}
		t.Logf("%s: reported %d bytes and %d layers; the export: %d bytes, %d layers", what, want.SizeBytes, want.Layers, size, layers)
	})
}

// exportedImage builds dir's Dockerfile with bk, exports it as an OCI layout
// directory and returns the bytes of the files in its layers (as
// `docker image inspect` counts: every layer's regular files) and the number
// of layers its manifest lists.
func exportedImage(t *testing.T, bk *client.Client, dir string) (int64, int) {
	out := t.TempDir()
	fs, err := fsutil.NewFS(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
	defer cancel()
	_, err = bk.Solve(ctx, nil, client.SolveOpt{
		Frontend:      "dockerfile.v0",
		FrontendAttrs: map[string]string{"filename": "Dockerfile", "label:dockopt.verify": "1"},
		LocalMounts:   map[string]fsutil.FS{"context": fs, "dockerfile": fs},
		Exports:       []client.ExportEntry{{Type: client.ExporterOCI, Attrs: map[string]string{"tar": "false"}, OutputDir: out}},
	}, nil)
	if err != nil {
		t.Fatalf("building %s again with an OCI export: %v", dir, err)
	}
	blob := func(dg string) string {
		alg, hex, _ := strings.Cut(dg, ":")
		return filepath.Join(out, "blobs", alg, hex)
	}
	var index struct {
		Manifests []struct{ Digest, MediaType string }
	}
	readJSON(t, filepath.Join(out, "index.json"), &index)
	if len(index.Manifests) != 1 || !strings.Contains(index.Manifests[0].MediaType, "manifest") {
		t.Fatalf("index.json: want one image manifest, got %+v", index)
	}
	var manifest struct {
		Layers []struct{ Digest, MediaType string }
	}
	readJSON(t, blob(index.Manifests[0].Digest), &manifest)
	var size int64
	for _, l := range manifest.Layers {
		f, err := os.Open(blob(l.Digest))
		if err != nil {
			t.Fatal(err)
		}
		r, err := decompressed(f, l.MediaType)
		if err != nil {
			t.Fatalf("layer %s: %v", l.Digest, err)
		}
		tr := tar.NewReader(r)
		for {
			hdr, err := tr.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("layer %s: %v", l.Digest, err)
			}
			if hdr.Typeflag == tar.TypeReg {
				size += hdr.Size
			}
		}
		f.Close()
	}
	return size, len(manifest.Layers)
}

// decompressed reads a layer blob of the given media type.
func decompressed(r io.Reader, mediaType string) (io.Reader, error) {
	switch {
	case strings.HasSuffix(mediaType, "+gzip") || strings.HasSuffix(mediaType, ".gzip"):
		return gzip.NewReader(r)
	case strings.HasSuffix(mediaType, ".tar") || strings.HasSuffix(mediaType, "tar.v1"):
		return r, nil
	}
	return nil, fmt.Errorf("media type %s: not gzip or uncompressed", mediaType)
}

func readJSON(t *testing.T, path string, v any) {
	b, err := os.ReadFile(path)
	if err == nil {
		err = json.Unmarshal(b, v)
	}
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
