// Package golden runs the golden tests: golden/testdata/<transform-id>/<case>.Dockerfile
// is run through that transform alone (testdata/all/: the default pipeline) and
// compared with <case>.Dockerfile.golden. A case without a .golden file must come
// back byte-identical. Every case is also re-parsed with BuildKit and run a second
// time, which must change nothing.
//
// Optional per-case files:
//   - <case>.context/      the build context (otherwise there is none)
//   - <case>.values        transform settings, one key=value per line
//
// go test ./golden -update rewrites the .golden files; review their diff.
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/dockopt/dockopt/rewrite"
	"github.com/dockopt/dockopt/transforms"
)

var update = flag.Bool("update", false, "rewrite .golden files")

// minCases is the least number of cases a transform's testdata must hold.
const minCases = 8

func TestGolden(t *testing.T) {
	dirs, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		id := d.Name()
		var suite []*rewrite.Transform
		if id == "all" {
			suite, err = rewrite.Select(transforms.Suite, nil, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
		} else {
			tr := rewrite.Lookup(transforms.All(), id) // checks too: their cases must come back unchanged
			if tr == nil {
				t.Errorf("testdata/%s: no transform with that ID", id)
				continue
			}
			suite = []*rewrite.Transform{tr}
		}
		seen[id] = true
		cases, _ := filepath.Glob(filepath.Join("testdata", id, "*.Dockerfile"))
		if id != "all" && len(cases) < minCases {
			t.Errorf("testdata/%s: %d cases, want at least %d", id, len(cases), minCases)
		}
		for _, c := range cases {
			c := c
			t.Run(id+"/"+strings.TrimSuffix(filepath.Base(c), ".Dockerfile"), func(t *testing.T) {
				runCase(t, c, suite)
			})
		}
	}
	for _, tr := range transforms.All() {
		if !seen[tr.ID] {
			t.Errorf("transform %s has no golden testdata (golden/testdata/%s/)", tr.ID, tr.ID)
		}
	}
}

func settingsFor(t *testing.T, c string) *rewrite.Settings {
	s := &rewrite.Settings{Values: map[string]string{}}
	ctx := strings.TrimSuffix(c, ".Dockerfile") + ".context"
	if st, err := os.Stat(ctx); err == nil && st.IsDir() {
		s.ContextDir = ctx
	}
	if b, err := os.ReadFile(strings.TrimSuffix(c, ".Dockerfile") + ".values"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(strings.TrimSpace(l), "="); ok {
				s.Values[k] = v
			}
		}
	}
	return s
}

func runCase(t *testing.T, c string, suite []*rewrite.Transform) {
	src, err := os.ReadFile(c)
	if err != nil {
		t.Fatal(err)
	}
	settings := settingsFor(t, c)
	res, err := rewrite.Fix(c, src, suite, settings)
	if err != nil {
		t.Fatalf("input rejected: %v", err)
	}
	for _, e := range res.Internal {
		t.Errorf("internal error: %v", e)
	}
	golden := c + ".golden"
	want, gerr := os.ReadFile(golden)
	if *update {
		if bytes.Equal(res.Output, src) {
			os.Remove(golden)
		} else if err := os.WriteFile(golden, res.Output, 0o644); err != nil {
			t.Fatal(err)
		}
		want, gerr = res.Output, nil
	}
	if gerr != nil {
		want = src // a case without .golden must come back byte-identical
	}
	if !bytes.Equal(res.Output, want) {
		t.Errorf("output differs from %s:\n%s", map[bool]string{true: golden, false: "the input (no .golden)"}[gerr == nil],
			rewrite.UnifiedDiff(c, want, res.Output))
	}
	if gerr == nil && bytes.Equal(want, src) && !*update {
		t.Errorf("%s equals its input: delete it (a case without .golden must come back unchanged)", golden)
	}
	if _, err := rewrite.Parse(c, res.Output); err != nil {
		t.Errorf("output does not parse: %v", err)
	}
	again, err := rewrite.Fix(c, res.Output, suite, settings)
	if err != nil {
		t.Fatalf("second run: %v", err)
	}
	if again.Changed() {
		t.Errorf("second run changed the output (not idempotent):\n%s", rewrite.UnifiedDiff(c, res.Output, again.Output))
	}
	if lost := lostComment(src, res.Output); lost != "" {
		t.Errorf("comment line lost: %q", lost)
	}
}

// lostComment is an independent check (the engine has its own) that every
// comment line of the input is still in the output.
func lostComment(in, out []byte) string {
	var a, b []string
	for _, l := range strings.Split(string(in), "\n") {
		if t := strings.TrimSpace(l); strings.HasPrefix(t, "#") {
			a = append(a, t)
		}
	}
	for _, l := range strings.Split(string(out), "\n") {
		if t := strings.TrimSpace(l); strings.HasPrefix(t, "#") {
			b = append(b, t)
		}
	}
	sort.Strings(b)
	for _, x := range a {
		i := sort.SearchStrings(b, x)
		if i == len(b) || b[i] != x {
			return x
		}
		b = append(b[:i], b[i+1:]...)
	}
	return ""
}
