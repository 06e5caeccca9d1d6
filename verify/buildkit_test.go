package verify

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/moby/buildkit/client"
	digest "github.com/opencontainers/go-digest"
)

func TestFrontendAttrs(t *testing.T) {
	t.Setenv("FROMENV", "from the environment")
	os.Unsetenv("DOCKOPT_UNSET_ARG")
	got := frontendAttrs(BuildRequest{ContextDir: "/ctx", Dockerfile: "/elsewhere/df/Dockerfile.dev", Tag: "t", NoCache: true,
		BuildArgs: []string{"A=1", "B=two words", "C=x=y", "EMPTY=", "FROMENV", "DOCKOPT_UNSET_ARG"},
		Target:    "final", Platform: "linux/arm64"})
	want := map[string]string{
		"filename":             "Dockerfile.dev",
		"label:dockopt.verify": "1",
		"build-arg:A":          "1",
		"build-arg:B":          "two words",
		"build-arg:C":          "x=y",
		"build-arg:EMPTY":      "",
		"build-arg:FROMENV":    "from the environment",
		"target":               "final",
		"platform":             "linux/arm64",
		"no-cache":             "",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
	got = frontendAttrs(BuildRequest{Dockerfile: "Dockerfile"})
	want = map[string]string{"filename": "Dockerfile", "label:dockopt.verify": "1"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("plain build: got %v, want %v", got, want)
	}
}

// tarOf is a tar of entries: a name ending in / is a directory, "->" makes
// a symlink, anything else a file of that many bytes.
func tarOf(t *testing.T, entries map[string]any) []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for name, v := range entries {
		hdr := &tar.Header{Name: name, Mode: 0o644}
		var body []byte
		switch v := v.(type) {
		case int:
			hdr.Typeflag, hdr.Size = tar.TypeReg, int64(v)
			body = bytes.Repeat([]byte{'x'}, v)
		case []byte:
			hdr.Typeflag, hdr.Size = tar.TypeReg, int64(len(v))
			body = v
		case string:
			hdr.Typeflag, hdr.Linkname = tar.TypeSymlink, v
		case nil:
			hdr.Typeflag = tar.TypeDir
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		tw.Write(body)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gz(t *testing.T, b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func dgst(b []byte) string { return fmt.Sprintf("sha256:%x", sha256.Sum256(b)) }

// ociLayout is an OCI layout tarball as BuildKit's oci exporter writes it:
// blobs first, index.json last.
func ociLayout(t *testing.T, index []byte, blobs ...[]byte) []byte {
	entries := map[string]any{"oci-layout": []byte(`{"imageLayoutVersion":"1.0.0"}`), "blobs/": nil, "blobs/sha256/": nil}
	for _, b := range blobs {
		entries["blobs/sha256/"+strings.TrimPrefix(dgst(b), "sha256:")] = b
	}
	entries["index.json"] = index
	return tarOf(t, entries)
}

func TestReadOCI(t *testing.T) {
	// Layer 1, uncompressed and small: two files, a directory, a symlink.
	l1 := tarOf(t, map[string]any{"etc/": nil, "etc/a": 100, "etc/b": 2000, "etc/c": "a"})
	// Layer 2, gzip: one file and a whiteout.
	l2 := gz(t, tarOf(t, map[string]any{"usr/x": 300, "etc/.wh.a": 0}))
	// Layer 3, uncompressed and bigger than smallBlob: read as it streams.
	l3 := tarOf(t, map[string]any{"big": 5_000_000})
	config := []byte(`{"author":"someone","architecture":"amd64","os":"linux",
		"config":{"Env":["PATH=/bin"],"Cmd":["bash"],"Labels":{"dockopt.verify":"1"},"WorkingDir":"/app"},
		"rootfs":{"type":"layers","diff_ids":["sha256:1111","sha256:2222","sha256:3333"]}}`)
	manifest := []byte(fmt.Sprintf(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
		"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":%q,"size":%d},
		"layers":[{"digest":%q},{"digest":%q},{"digest":%q}]}`, dgst(config), len(config), dgst(l1), dgst(l2), dgst(l3)))
	attestation := []byte(`{"schemaVersion":2,"config":{"digest":"sha256:0000"},"layers":[]}`)
	// index.json -> an index -> an attestation manifest (skipped) and the image.
	inner := []byte(fmt.Sprintf(`{"schemaVersion":2,"manifests":[
		{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":%q,"platform":{"os":"unknown","architecture":"unknown"}},
		{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":%q,"platform":{"os":"linux","architecture":"amd64"}}]}`,
		dgst(attestation), dgst(manifest)))
	index := []byte(fmt.Sprintf(`{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.index.v1+json","digest":%q}]}`, dgst(inner)))

	img, err := readOCI(bytes.NewReader(ociLayout(t, index, l1, l2, l3, config, manifest, attestation, inner)))
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(100 + 2000 + 300 + 5_000_000); img.Size != want {
		t.Errorf("Size = %d, want %d (the files' bytes, not the tars')", img.Size, want)
	}
	if want := []string{"sha256:1111", "sha256:2222", "sha256:3333"}; !reflect.DeepEqual(img.RootFS.Layers, want) {
		t.Errorf("Layers = %v, want %v", img.RootFS.Layers, want)
	}
	if img.Author != "someone" {
		t.Errorf("Author = %q", img.Author)
	}
	for k, want := range map[string]string{"Cmd": `["bash"]`, "WorkingDir": `"/app"`, "Labels": `{"dockopt.verify":"1"}`} {
		if got := string(img.Config[k]); got != want {
			t.Errorf("Config[%s] = %s, want %s", k, got, want)
		}
	}

	// A manifest straight in index.json; a missing layer is an error.
	direct := []byte(fmt.Sprintf(`{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":%q}]}`, dgst(manifest)))
	if _, err := readOCI(bytes.NewReader(ociLayout(t, direct, l1, l3, config, manifest))); err == nil || !strings.Contains(err.Error(), "lacks the layer "+dgst(l2)) {
		t.Errorf("a missing layer: err = %v", err)
	}
	if _, err := readOCI(bytes.NewReader(ociLayout(t, direct, l1, l2, l3, manifest))); err == nil || !strings.Contains(err.Error(), "lacks the image config") {
		t.Errorf("a missing config: err = %v", err)
	}
	if _, err := readOCI(bytes.NewReader(tarOf(t, map[string]any{"oci-layout": 10}))); err == nil || !strings.Contains(err.Error(), "no index.json") {
		t.Errorf("no index: err = %v", err)
	}
	// A layer that is no tar.
	junk := bytes.Repeat([]byte("not a tar "), 500_000)
	bad := []byte(fmt.Sprintf(`{"config":{"digest":%q},"layers":[{"digest":%q}]}`, dgst(config), dgst(junk)))
	badIndex := []byte(fmt.Sprintf(`{"manifests":[{"digest":%q}]}`, dgst(bad)))
	if _, err := readOCI(bytes.NewReader(ociLayout(t, badIndex, junk, config, bad))); err == nil || !strings.Contains(err.Error(), "not a tar layer") {
		t.Errorf("a layer that is no tar: err = %v", err)
	}
}

func TestContainerProcess(t *testing.T) {
	cases := []struct {
		config string
		argv   []string
		want   []string // Args
		env    []string
		cwd    string
		user   string
		err    string
	}{
		{config: `{"config":{"Cmd":["bash"],"Env":["PATH=/x","A=1"]}}`, want: []string{"bash"}, env: []string{"PATH=/x", "A=1"}, cwd: "/"},
		{config: `{"config":{"Cmd":["bash"]}}`, argv: []string{"cat", "/f"}, want: []string{"cat", "/f"},
			env: []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}, cwd: "/"},
		{config: `{"config":{"Entrypoint":["/e","-v"],"Cmd":["run"],"WorkingDir":"/app","User":"1000:1000","Env":["PATH=/p"]}}`,
			want: []string{"/e", "-v", "run"}, env: []string{"PATH=/p"}, cwd: "/app", user: "1000:1000"},
		{config: `{"config":{"Entrypoint":["/e"],"Cmd":["run"],"Env":["PATH=/p"]}}`, argv: []string{"x"},
			want: []string{"/e", "x"}, env: []string{"PATH=/p"}, cwd: "/"},
		{config: `{"config":{"Env":["PATH=/p"]}}`, err: "no command"},
		{config: ``, err: "no image config"},
	}
	for _, c := range cases {
		p, err := containerProcess([]byte(c.config), c.argv)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s %q: err = %v, want %q", c.config, c.argv, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s %q: %v", c.config, c.argv, err)
			continue
		}
		if !reflect.DeepEqual(p.Args, c.want) || !reflect.DeepEqual(p.Env, c.env) || p.Cwd != c.cwd || p.User != c.user {
			t.Errorf("%s %q: got args %q env %q cwd %q user %q; want %q %q %q %q", c.config, c.argv, p.Args, p.Env, p.Cwd, p.User, c.want, c.env, c.cwd, c.user)
		}
	}
}

func TestBuildLog(t *testing.T) {
	run, from := digest.FromString("run"), digest.FromString("from")
	l := &buildLog{out: &tailBuffer{max: logLimit}}
	l.add(&client.SolveStatus{Vertexes: []*client.Vertex{{Digest: from, Name: "[1/2] FROM debian"}, {Digest: run, Name: "[2/2] RUN ./tree.sh"}}})
	l.add(&client.SolveStatus{
		Vertexes: []*client.Vertex{{Digest: run, Name: "[2/2] RUN ./tree.sh", Error: "exit code: 1"}},
		Logs:     []*client.VertexLog{{Vertex: run, Data: []byte("one\r\n(Reading 5%\r(Reading 100%\r\ntree.sh: pstree not found\n")}},
	})
	want := "#1 [1/2] FROM debian\n#2 [2/2] RUN ./tree.sh\n#2 ERROR: exit code: 1\n#2 one\n#2 (Reading 100%\n#2 tree.sh: pstree not found\n"
	if got := l.out.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestBuildKitNoEngine(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "none.sock")
	began := time.Now()
	_, err := NewBuildKit(context.Background(), "unix://"+sock)
	if !errors.Is(err, ErrNoEngine) || !strings.Contains(err.Error(), "cannot reach buildkitd at unix://"+sock) ||
		!strings.Contains(err.Error(), "buildkitd --addr") || !strings.Contains(err.Error(), "leave out --buildkit-addr") {
		t.Errorf("err = %v; want ErrNoEngine and how to start buildkitd", err)
	}
	if d := time.Since(began); d > 10*time.Second {
		t.Errorf("took %s to find no buildkitd", d)
	}
}

// TestBuildKitEngine drives a real buildkitd: DOCKOPT_BUILDKIT_ADDR (see
// e2e/provision.d/buildkitd.sh), with debian:bookworm reachable.
func TestBuildKitEngine(t *testing.T) {
	addr := os.Getenv("DOCKOPT_BUILDKIT_ADDR")
	if addr == "" {
		t.Skip("DOCKOPT_BUILDKIT_ADDR is not set (e2e/provision.d/buildkitd.sh starts a buildkitd)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	bk, err := NewBuildKit(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer bk.Close()
	if d := bk.Describe(); !strings.HasPrefix(d, "buildkitd v") {
		t.Errorf("Describe() = %q", d)
	}
	ctxDir, dfDir := t.TempDir(), t.TempDir() // the Dockerfile outside the context
	os.WriteFile(filepath.Join(ctxDir, "hello.txt"), bytes.Repeat([]byte("h"), 12345), 0o644)
	df := filepath.Join(dfDir, "My.Dockerfile")
	os.WriteFile(df, []byte("FROM debian:bookworm\nARG GREETING\nCOPY hello.txt /hello.txt\n"+
		"RUN echo \"$GREETING\" > /greeting\nENTRYPOINT [\"sh\", \"-c\"]\nCMD [\"cat /greeting; exit 3\"]\nUSER nobody\nWORKDIR /tmp\n"), 0o644)
	if err := bk.Build(ctx, BuildRequest{ContextDir: ctxDir, Dockerfile: df, Tag: "t1", NoCache: true, BuildArgs: []string{"GREETING=hi there"}}); err != nil {
		t.Fatal(err)
	}
	img, err := bk.Inspect(ctx, "t1")
	if err != nil {
		t.Fatal(err)
	}
	base, err := bk.Inspect(ctx, "debian:bookworm")
	if err != nil {
		t.Fatal(err)
	}
	if string(base.Config["Cmd"]) != `["bash"]` {
		t.Errorf("debian:bookworm Cmd = %s", base.Config["Cmd"])
	}
	// Two layers more than the base; the copied file and "hi there\n" more bytes.
	if n := len(img.RootFS.Layers); n < 3 {
		t.Errorf("%d layers", n)
	}
	if img.Size < 12345+9 || string(img.Config["User"]) != `"nobody"` || string(img.Config["Labels"]) != `{"dockopt.verify":"1"}` {
		t.Errorf("image: size %d, config %s %s", img.Size, img.Config["User"], img.Config["Labels"])
	}
	out, status, err := bk.Run(ctx, "t1", nil, "")
	if err != nil || out != "hi there\n" || status != 3 {
		t.Errorf("Run (own command) = %q, %d, %v; want \"hi there\\n\", 3", out, status, err)
	}
	out, status, err = bk.Run(ctx, "t1", []string{"id -un; pwd; wc -c < /hello.txt"}, "")
	if err != nil || out != "nobody\n/tmp\n12345\n" || status != 0 {
		t.Errorf("Run = %q, %d, %v", out, status, err)
	}
	os.WriteFile(df, []byte("FROM debian:bookworm\nRUN echo first; echo 'it broke' >&2; exit 7\n"), 0o644)
	err = bk.Build(ctx, BuildRequest{ContextDir: ctxDir, Dockerfile: df, Tag: "t2"})
	var be *BuildError
	if !errors.As(err, &be) || !strings.Contains(be.Log, "it broke") || !strings.Contains(be.Log, "exit code: 7") {
		t.Errorf("err = %v; want a BuildError with the log", err)
	}
	// The Dockerfile's fault, not buildkitd's: a missing source, a bad
	// instruction, a base image no registry has.
	for _, text := range []string{"FROM debian:bookworm\nCOPY not-there /x\n", "FROM debian:bookworm\nNOTANINSTRUCTION x\n",
		"FROM 127.0.0.1:5000/dockopt/no-such-image:1\n"} {
		os.WriteFile(df, []byte(text), 0o644)
		err = bk.Build(ctx, BuildRequest{ContextDir: ctxDir, Dockerfile: df, Tag: "t3"})
		if !errors.As(err, &be) || be.Log == "" {
			t.Errorf("%q: err = %v; want a BuildError", text, err)
		}
	}
	bk.Remove(ctx, "t1", "t2")
	if _, err := bk.Inspect(ctx, "t1"); err == nil {
		t.Errorf("t1 inspects after Remove")
	}
}
