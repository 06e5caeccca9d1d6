package transforms

import (
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/dockopt/dockopt/rewrite"
)

var updateReadme = flag.Bool("update-readme", false, "rewrite the transforms table in ../README.md")

const (
	tableBegin = "<!-- transforms:begin (generated from transforms.Suite; `go test ./transforms -update-readme`) -->\n"
	tableEnd   = "<!-- transforms:end -->"
)

// TestReadmeTable fails when README.md's transforms table is not the one
// generated from the Suite (staticcheck-style generated docs).
func TestReadmeTable(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i, j := strings.Index(s, tableBegin), strings.Index(s, tableEnd)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the generated-table markers %q ... %q", tableBegin, tableEnd)
	}
	want := tableBegin + ReadmeTable() + tableEnd
	got := s[i : j+len(tableEnd)]
	if got == want {
		return
	}
	if *updateReadme {
		if err := os.WriteFile("../README.md", []byte(s[:i]+want+s[j+len(tableEnd):]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's transforms table is stale: run `go test ./transforms -update-readme`")
}

var idRe = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// TestSuiteMetadata checks every transform carries the data the docs are
// generated from.
func TestSuiteMetadata(t *testing.T) {
	seen := map[string]bool{}
	for _, tr := range Suite {
		if !idRe.MatchString(tr.ID) {
			t.Errorf("%q: ID must be kebab-case", tr.ID)
		}
		if seen[tr.ID] {
			t.Errorf("%s: duplicate ID", tr.ID)
		}
		seen[tr.ID] = true
		if tr.Summary == "" || strings.Contains(tr.Summary, "\n") {
			t.Errorf("%s: Summary must be one non-empty line", tr.ID)
		}
		if len(tr.Rationale) < 40 {
			t.Errorf("%s: Rationale too short", tr.ID)
		}
		if tr.Before == "" || tr.After == "" || tr.Before == tr.After {
			t.Errorf("%s: Before and After must be given and differ", tr.ID)
		}
		if tr.Run == nil {
			t.Errorf("%s: no Run", tr.ID)
		}
	}
}

// TestExamples runs each transform alone over its Before example: the
// documented After must be what it really produces (so `dockopt explain` and
// the README never lie). Before must therefore be a whole Dockerfile.
func TestExamples(t *testing.T) {
	for _, tr := range Suite {
		if tr == Dockerignore {
			// Its example shows the .dockerignore it writes beside the
			// Dockerfile, from a build context; its golden cases check that.
			continue
		}
		res, err := rewrite.Fix("Before", []byte(tr.Before), []*rewrite.Transform{tr}, &rewrite.Settings{})
		if err != nil {
			t.Errorf("%s: Before example is not a valid Dockerfile: %v", tr.ID, err)
			continue
		}
		if string(res.Output) != tr.After {
			t.Errorf("%s: the transform turns its Before example into\n%s\nbut After says\n%s", tr.ID, res.Output, tr.After)
		}
	}
}
