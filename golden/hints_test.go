package golden

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/dockopt/dockopt/rewrite"
	"github.com/dockopt/dockopt/transforms"
)

// TestHintsAreComplete: Transform.Hints is a fast path that skips a
// transform on files lacking all of its hint strings. It must never change a
// result: each transform with hints gives the same output and findings with
// and without them, over every golden case and corpus file.
func TestHintsAreComplete(t *testing.T) {
	files, _ := filepath.Glob("testdata/*/*.Dockerfile")
	corpus, _ := filepath.Glob("corpus/*.Dockerfile")
	files = append(files, corpus...)
	for _, tr := range transforms.All() {
		if len(tr.Hints) == 0 {
			continue
		}
		noHints := *tr
		noHints.Hints = nil
		for _, f := range files {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			s := settingsFor(t, f)
			a, errA := rewrite.Fix(f, src, []*rewrite.Transform{tr}, s)
			b, errB := rewrite.Fix(f, src, []*rewrite.Transform{&noHints}, s)
			if (errA == nil) != (errB == nil) {
				t.Fatalf("%s on %s: errors differ: %v / %v", tr.ID, f, errA, errB)
			}
			if errA != nil {
				continue
			}
			if !bytes.Equal(a.Output, b.Output) || len(a.Findings) != len(b.Findings) {
				t.Errorf("%s: its Hints %q skip %s, but without them it changes or reports something there", tr.ID, tr.Hints, f)
			}
		}
	}
}
