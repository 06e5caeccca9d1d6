package transforms

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockopt/dockopt/rewrite"
)

var updateDockerignore = flag.Bool("update-dockerignore", false, "rewrite golden/testdata/dockerignore/*.dockerignore.golden")

// diCopyContext copies a golden case's context into dir. Git refuses to
// store a directory named .git, so the testdata names it _git.
func diCopyContext(t *testing.T, src, dir string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		parts := strings.Split(filepath.ToSlash(rel), "/")
		if parts[0] == "_git" {
			parts[0] = ".git"
		}
		dst := filepath.Join(dir, filepath.FromSlash(strings.Join(parts, "/")))
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestDockerignoreGolden runs dockerignore over each golden case with its
// context: <case>.Dockerfile placed as Dockerfile at the root of a copy of
// <case>.context/. The ignore file it then holds must be
// <case>.dockerignore.golden (no such file: it must not change), the
// Dockerfile must not change, and a second run over the written result
// must change nothing.
func TestDockerignoreGolden(t *testing.T) {
	cases, _ := filepath.Glob("../golden/testdata/dockerignore/*.Dockerfile")
	if len(cases) < 8 {
		t.Fatalf("%d cases, want at least 8", len(cases))
	}
	for _, c := range cases {
		name := strings.TrimSuffix(filepath.Base(c), ".Dockerfile")
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if ctx := strings.TrimSuffix(c, ".Dockerfile") + ".context"; diExists(ctx) {
				diCopyContext(t, ctx, dir)
			}
			src, err := os.ReadFile(c)
			if err != nil {
				t.Fatal(err)
			}
			df := filepath.Join(dir, "Dockerfile")
			if err := os.WriteFile(df, src, 0o644); err != nil {
				t.Fatal(err)
			}
			res := diFix(t, df, src)
			if res.Changed() {
				t.Errorf("the Dockerfile changed:\n%s", rewrite.UnifiedDiff(df, src, res.Output))
			}
			var got []byte
			var path string
			switch len(res.Files) {
			case 0:
			case 1:
				for p, f := range res.Files {
					path, got = p, f.Output
				}
			default:
				t.Fatalf("changed %d files, want at most one", len(res.Files))
			}
			golden := strings.TrimSuffix(c, ".Dockerfile") + ".dockerignore.golden"
			if *updateDockerignore {
				if got == nil {
					os.Remove(golden)
				} else if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				want = nil
			}
			if !bytes.Equal(got, want) {
				t.Errorf("ignore file %s:\n%q\nwant (%s):\n%q", path, got, filepath.Base(golden), want)
			}
			for _, f := range res.Findings {
				t.Logf("line %d: %s", f.Line, f.Message)
			}
			if got == nil {
				return
			}
			wantPath := filepath.Join(dir, ".dockerignore")
			if name == "shared-context" {
				wantPath = df + ".dockerignore"
			}
			if path != wantPath {
				t.Errorf("wrote %s, want %s", path, wantPath)
			}
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			if again := diFix(t, df, src); again.Files != nil {
				t.Errorf("second run changed the ignore file again (not idempotent): %q", again.Files[path].Output)
			}
		})
	}
}

func diFix(t *testing.T, df string, src []byte) *rewrite.Result {
	t.Helper()
	return fixFile(t, df, src, []*rewrite.Transform{Dockerignore}, &rewrite.Settings{ContextDir: filepath.Dir(df)})
}

func diExists(p string) bool { _, err := os.Stat(p); return err == nil }

func TestDiAppend(t *testing.T) {
	for _, tc := range []struct{ old, want string }{
		{"", "# Added by dockopt (dockerignore): not read by the build\n.git\n"},
		{"a\n", "a\n# Added by dockopt (dockerignore): not read by the build\n.git\n"},
		{"a", "a\n# Added by dockopt (dockerignore): not read by the build\n.git\n"},
		{"a\r\n!b", "a\r\n!b\r\n# Added by dockopt (dockerignore): not read by the build\r\n.git\r\n"},
	} {
		if got := string(diAppend([]byte(tc.old), []string{".git"})); got != tc.want {
			t.Errorf("diAppend(%q) = %q, want %q", tc.old, got, tc.want)
		}
	}
}

func TestDiIsEnvFile(t *testing.T) {
	for name, want := range map[string]bool{".env": true, ".env.local": true, ".env.production": true,
		".env.example": false, ".env.sample": false, ".envrc": false, "env": false} {
		if got := diIsEnvFile(name); got != want {
			t.Errorf("diIsEnvFile(%q) = %v", name, got)
		}
	}
}

func TestDockerignoreCases(t *testing.T) {
	const head = "# Added by dockopt (dockerignore): not read by the build\n"
	for _, tc := range []struct {
		name       string
		dockerfile string
		files      map[string]string
		want       string // the ignore file afterwards; "" : unchanged
		why        string // a finding must say it
	}{
		{name: "git only", dockerfile: "FROM x\nCOPY . /app\n", files: map[string]string{".git/HEAD": "x"},
			want: head + ".git\n.dockerignore\nDockerfile\n", why: "context 2 files, 20 B -> 0 files, 0 B"},
		{name: "nothing to add, no file made", dockerfile: "FROM x\nCOPY . /app\n", files: map[string]string{"a.py": "x"}},
		{name: "ADD ./ counts", dockerfile: "FROM x\nADD ./ /app\n", files: map[string]string{".hg/store": "x"},
			want: head + ".hg\n.dockerignore\nDockerfile\n"},
		{name: "COPY --from is not the context", dockerfile: "FROM x AS a\nFROM y\nCOPY --from=a . /app\n", files: map[string]string{".git/HEAD": "x"}},
		{name: "git rev-parse keeps .git", dockerfile: "FROM x\nCOPY . /app\nRUN cd /app && git rev-parse HEAD > /rev\n",
			files: map[string]string{".git/HEAD": "x"}, why: ".git stays in the context: RUN at line 3 runs git"},
		{name: "go build keeps .git", dockerfile: "FROM x\nCOPY . /app\nRUN go build ./...\n",
			files: map[string]string{".git/HEAD": "x"}, why: "runs go, which may read it"},
		{name: "go build -buildvcs=false", dockerfile: "FROM x\nCOPY . /app\nRUN go build -buildvcs=false ./...\n",
			files: map[string]string{".git/HEAD": "x"}, want: head + ".git\n.dockerignore\nDockerfile\n"},
		{name: "setuptools-scm keeps .git", dockerfile: "FROM x\nCOPY . /app\nRUN pip install /app\n",
			files: map[string]string{".git/HEAD": "x", "pyproject.toml": "[tool.setuptools_scm]\n"}, why: "pyproject.toml mentions version control"},
		{name: "pip from an index does not read .git", dockerfile: "FROM x\nCOPY . /app\nRUN pip install flask\n",
			files: map[string]string{".git/HEAD": "x", "pyproject.toml": "[tool.setuptools_scm]\n"}, want: head + ".git\n.dockerignore\nDockerfile\n"},
		{name: "build script read", dockerfile: "FROM x\nCOPY . /app\nRUN /app/build.sh\n",
			files: map[string]string{".git/HEAD": "x", "build.sh": "#!/bin/sh\nVERSION=$(git describe)\n"}, why: "runs /app/build.sh, which mentions version control"},
		{name: "build script without git", dockerfile: "FROM x\nCOPY . /app\nRUN sh /app/build.sh\n",
			files: map[string]string{".git/HEAD": "x", "build.sh": "echo hi\n"}, want: head + ".git\n.dockerignore\nDockerfile\n"},
		{name: "unreadable build script", dockerfile: "FROM x\nCOPY . /app\nRUN /opt/tools/build\n",
			files: map[string]string{".git/HEAD": "x"}, why: "runs /opt/tools/build, which dockopt cannot read"},
		{name: "computed command", dockerfile: "FROM x\nCOPY . /app\nRUN $TOOL version\n",
			files: map[string]string{".git/HEAD": "x"}, why: "computes"},
		{name: "npm scripts with husky", dockerfile: "FROM x\nCOPY . /app\nRUN npm ci\n",
			files: map[string]string{".git/HEAD": "x", "package.json": `{"scripts":{"prepare":"husky install"}}`}, why: "package.json mentions version control"},
		{name: "node_modules named before the install", dockerfile: "FROM x\nCOPY . /app\nRUN ls /app/node_modules && npm ci\n",
			files: map[string]string{"node_modules/a/i.js": "x", "package.json": "{}"}},
		{name: "node_modules: a stage copies it without installing", dockerfile: "FROM x AS build\nCOPY . /app\nRUN npm ci\nFROM x\nCOPY . /app\n",
			files: map[string]string{"node_modules/a/i.js": "x", "package.json": "{}"}},
		{name: "node_modules: install in a stage built FROM the copying one", dockerfile: "FROM x AS src\nCOPY . /app\nFROM src\nRUN npm ci\n",
			files: map[string]string{"node_modules/a/i.js": "x", "package.json": "{}"}, want: head + "**/node_modules\n.dockerignore\nDockerfile\n"},
		{name: "exception inside a candidate", dockerfile: "FROM x\nCOPY . /app\nRUN npm ci\n",
			files: map[string]string{"node_modules/a/i.js": "x", "node_modules/keep/k.js": "x", "package.json": "{}", ".dockerignore": "node_modules/a\n!node_modules/keep\n"},
			want:  "", why: ""},
		{name: "existing file with the candidate", dockerfile: "FROM x\nCOPY . /app\n", files: map[string]string{".git/HEAD": "x", ".dockerignore": ".git\n"}},
		{name: "own ignore file wins", dockerfile: "FROM x\nCOPY . /app\n",
			files: map[string]string{".git/HEAD": "x", "Dockerfile.dockerignore": "*.md\n", ".dockerignore": ".git\n"},
			want:  "*.md\n" + head + ".git\nDockerfile.dockerignore\nDockerfile\n"},
		{name: "a symlink is not followed", dockerfile: "FROM x\nCOPY . /app\n", files: map[string]string{"linked/": ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeContext(t, tc.files)
			if tc.name == "a symlink is not followed" {
				outside := writeContext(t, map[string]string{".git/HEAD": "x"})
				if err := os.Symlink(outside, filepath.Join(dir, "linked", "repo")); err != nil {
					t.Fatal(err)
				}
			}
			df := filepath.Join(dir, "Dockerfile")
			if err := os.WriteFile(df, []byte(tc.dockerfile), 0o644); err != nil {
				t.Fatal(err)
			}
			res := diFix(t, df, []byte(tc.dockerfile))
			var got string
			for _, f := range res.Files {
				got = string(f.Output)
			}
			if got != tc.want {
				t.Errorf("ignore file:\n%q\nwant:\n%q", got, tc.want)
			}
			var msgs []string
			for _, f := range res.Findings {
				msgs = append(msgs, f.Message)
			}
			if !strings.Contains(strings.Join(msgs, "\n"), tc.why) {
				t.Errorf("findings %q do not say %q", msgs, tc.why)
			}
		})
	}
}

// TestDockerignoreRun drives the whole CLI path: --check counts the
// ignore file, --dry-run shows it as a new file, fix writes it, and a
// second run has nothing left to do.
func TestDockerignoreRun(t *testing.T) {
	dir := writeContext(t, map[string]string{".git/HEAD": "ref\n", ".git/objects/a": strings.Repeat("x", 5000), "app.py": "print(1)\n"})
	df := filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(df, []byte("FROM python:3.12-slim\nCOPY . /app\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(o rewrite.RunOptions) (string, string, int) {
		var out, errb bytes.Buffer
		o.Transforms, o.Stdout, o.Stderr = []*rewrite.Transform{Dockerignore}, &out, &errb
		code := rewrite.Run(o, []string{df})
		return out.String(), errb.String(), code
	}
	diff, _, code := run(rewrite.RunOptions{Check: true, DryRun: true})
	if code != rewrite.ExitChanges || !strings.Contains(diff, "--- /dev/null\n+++ b/"+filepath.Join(dir, ".dockerignore")+"\n") ||
		!strings.Contains(diff, "\n+.git\n") {
		t.Errorf("check --dry-run: exit %d\n%s", code, diff)
	}
	if _, errs, code := run(rewrite.RunOptions{}); code != rewrite.ExitOK {
		t.Fatalf("fix: exit %d: %s", code, errs)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, ".dockerignore")); !strings.Contains(string(b), "\n.git\n") {
		t.Errorf(".dockerignore = %q", b)
	}
	if _, _, code := run(rewrite.RunOptions{Check: true}); code != rewrite.ExitOK {
		t.Errorf("second run: exit %d, want 0", code)
	}
}
