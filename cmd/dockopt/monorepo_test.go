package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/dockopt/dockopt/rewrite"
)

// TestJobsDoNotChangeOutput: files are processed in parallel, output comes
// in sorted path order, so -j 1 and -j 8 print the same bytes.
func TestJobsDoNotChangeOutput(t *testing.T) {
	corpusDir, _ := filepath.Abs(filepath.Join("..", "..", "golden", "corpus"))
	corpus, _ := filepath.Glob(filepath.Join(corpusDir, "*.Dockerfile"))
	dir := inTempDir(t)
	if len(corpus) < 50 {
		t.Fatalf("corpus has %d files", len(corpus))
	}
	for i, f := range corpus {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, fmt.Sprintf("svc%03d", i), "Dockerfile")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, format := range []string{"text", "json", "markdown"} {
		_, one, e1 := runCLI(t, "", "fix", "--dry-run", "-j", "1", "--format", format, ".")
		_, eight, e8 := runCLI(t, "", "fix", "--dry-run", "-j", "8", "--format", format, ".")
		if one != eight || e1 != e8 {
			t.Errorf("--format %s: -j 1 and -j 8 print different bytes", format)
		}
		if !strings.Contains(one, "svc0") {
			t.Errorf("--format %s: output names no file", format)
		}
	}
}

// TestPreCommitHooks: the hooks in .pre-commit-hooks.yaml run dockopt, and
// their `files` pattern picks exactly the names a directory walk picks.
func TestPreCommitHooks(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID, Name, Entry, Language, Files, Exclude string
	}
	if err := yaml.Unmarshal(b, &hooks); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, h := range hooks {
		ids[h.ID] = true
		if !strings.HasPrefix(h.Entry, "dockopt fix") || h.Language != "golang" {
			t.Errorf("hook %s: entry %q language %q", h.ID, h.Entry, h.Language)
		}
		files, exclude := regexp.MustCompile(h.Files), regexp.MustCompile(h.Exclude)
		for _, p := range []string{"Dockerfile", "a/b/Dockerfile.prod", "web/app.Dockerfile", "x.dockerfile", "Containerfile",
			"c/Containerfile.dev", "DOCKERFILE", "Dockerfile.dockerignore", "README.md", "dockerfiles/notes.txt", "src/main.go"} {
			hook := files.MatchString(p) && !exclude.MatchString(p)
			walk := rewrite.IsDockerfileName(filepath.Base(p))
			if hook != walk {
				t.Errorf("hook %s: %s selected=%v, but the directory walk says %v", h.ID, p, hook, walk)
			}
		}
		// The entry must be a command line dockopt accepts.
		args := append(strings.Fields(h.Entry)[1:], "--help")
		if code, _, errs := runCLI(t, "", args...); code != 0 {
			t.Errorf("hook %s: %q is not a valid command line: %s", h.ID, h.Entry, errs)
		}
	}
	if !ids["dockopt"] {
		t.Error("no hook with id: dockopt")
	}
}
