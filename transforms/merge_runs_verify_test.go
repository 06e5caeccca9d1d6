package transforms

import (
	"testing"

	"github.com/dockopt/dockopt/rewrite"
)

// mrActionsOf is what runMergeRuns would verify for src.
func mrActionsOf(t *testing.T, src string) (*rewrite.Document, []mrAction) {
	t.Helper()
	d, err := rewrite.Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var acts []mrAction
	fileStyle := mrFileStyle(d)
	for _, st := range d.Stages {
		for _, seq := range mrConsecutiveRuns(st) {
			acts = mergeSequence(d, acts, seq, false, false, false, fileStyle)
		}
	}
	return d, acts
}

// The one-parse check of all merges agrees with the per-merge check, and is
// the one taken on an ordinary file.
func TestMergeVerifyBatch(t *testing.T) {
	src := "FROM debian:12 AS a\nRUN a\nRUN cd /x\nRUN b\nENV X=1\n# c\nRUN c \\\n  && d\nRUN e\n" +
		"FROM a\nSHELL [\"/bin/bash\", \"-c\"]\nRUN f\n\nRUN g\nCOPY x y\nRUN h\n"
	d, acts := mrActionsOf(t, src)
	var groups []int
	for i, a := range acts {
		if a.group != nil {
			groups = append(groups, i)
		}
	}
	if len(groups) != 3 {
		t.Fatalf("want 3 merges (a..b, c..e, f..g), got %d", len(groups))
	}
	if !mrBatchOK(d, acts, groups) {
		t.Fatal("the batch check refused an ordinary file")
	}
	for i, err := range mrVerifyAll(d, acts) {
		if err != nil {
			t.Errorf("action %d: %v", i, err)
		}
	}
	for _, i := range groups {
		if err := mrVerify(d, acts[i].group, acts[i].edits); err != nil {
			t.Errorf("merge %d: per-merge check: %v", i, err)
		}
	}
}

// A merge whose edits do not give the expected RUN fails the batch, and the
// fallback still passes the good merges and fails only the broken one.
func TestMergeVerifyBatchFallback(t *testing.T) {
	src := "FROM debian:12\nRUN a\nRUN b\nWORKDIR /w\nRUN c\nRUN d\n"
	d, acts := mrActionsOf(t, src)
	var groups []int
	for i, a := range acts {
		if a.group != nil {
			groups = append(groups, i)
		}
	}
	if len(groups) != 2 {
		t.Fatalf("want 2 merges, got %d", len(groups))
	}
	// Break the second merge: its join becomes `||` instead of `&&`.
	bad := groups[1]
	e := acts[bad].edits[0]
	e.New = " || "
	acts[bad].edits = []rewrite.Edit{e}
	if mrBatchOK(d, acts, groups) {
		t.Fatal("the batch check accepted a broken merge")
	}
	errs := mrVerifyAll(d, acts)
	if errs[groups[0]] != nil {
		t.Errorf("good merge refused: %v", errs[groups[0]])
	}
	if errs[bad] == nil {
		t.Error("broken merge accepted")
	}
}
