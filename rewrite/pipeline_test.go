package rewrite

import (
	"strings"
	"testing"
)

// TestFixRoundsSkipSettled: a later round runs only the transforms that saw
// an older text; one that left the current text alone is not run again. And
// a transform that an earlier one enables still gets its turn.
func TestFixRoundsSkipSettled(t *testing.T) {
	calls := map[string]int{}
	counting := func(id string, run func(p *Pass)) *Transform {
		return &Transform{ID: id, Run: func(p *Pass) { calls[id]++; run(p) }}
	}
	noop := func(*Pass) {}
	// upper: RUN a -> RUN A.  label: once the text has "RUN A", adds a LABEL
	// after the FROM. upper runs before label, so upper sees the LABEL text
	// only in round 2, and nothing after label needs another run.
	upper := counting("upper", func(p *Pass) {
		for _, in := range p.Doc.Instructions {
			if in.Cmd == "run" && strings.Contains(in.Text(p.Doc), " a") {
				i := in.Start + strings.Index(in.Text(p.Doc), " a")
				p.Fix(in, "upper", Edit{Start: i + 1, End: i + 2, New: "A"})
			}
		}
	})
	label := counting("label", func(p *Pass) {
		if strings.Contains(string(p.Doc.Src), "RUN A") && !strings.Contains(string(p.Doc.Src), "LABEL") {
			from := p.Doc.Instructions[0]
			p.Fix(from, "label", Edit{Start: from.End, End: from.End, New: "LABEL x=1\n"})
		}
	})
	before, after := counting("before", noop), counting("after", noop)
	res, err := Fix("Dockerfile", []byte("FROM x\nRUN a\n"), []*Transform{before, upper, label, after}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(res.Output), "FROM x\nLABEL x=1\nRUN A\n"; got != want {
		t.Fatalf("output %q, want %q", got, want)
	}
	// Round 1: all four; the text changed at upper and at label.
	// Round 2: before, upper (saw older texts) and label (changed it last);
	// after already ran on the final text and is skipped.
	want := map[string]int{"before": 2, "upper": 2, "label": 2, "after": 1}
	for id, n := range want {
		if calls[id] != n {
			t.Errorf("%s ran %d times, want %d (all: %v)", id, calls[id], n, calls)
		}
	}
	if len(res.Internal) != 0 {
		t.Errorf("internal errors: %v", res.Internal)
	}
}

// TestShellMemoAcrossTexts: a body's memoised analysis is computed once per
// file, although the pipeline makes a new text (and a new Document) after
// every change; an edited body gets its own.
func TestShellMemoAcrossTexts(t *testing.T) {
	computed := map[string]int{}
	analyse := &Transform{ID: "analyse", Run: func(p *Pass) {
		for _, in := range p.Doc.Instructions {
			if sh, err := p.Doc.Shell(in); err == nil {
				sh.Memo("test", func() any { computed[sh.Body]++; return len(sh.Body) })
			}
		}
	}}
	// edit appends to the first RUN once; the next round's analyse sees a
	// new text with one new body and one it has seen.
	edit := &Transform{ID: "edit", Run: func(p *Pass) {
		in := p.Doc.Instructions[1]
		if !strings.Contains(in.Text(p.Doc), "b") {
			end := in.Start + len(strings.TrimRight(in.Text(p.Doc), "\n"))
			p.Fix(in, "append", Edit{Start: end, End: end, New: " b"})
		}
	}}
	res, err := Fix("Dockerfile", []byte("FROM x\nRUN a\nRUN c\n"), []*Transform{analyse, edit}, nil)
	if err != nil || string(res.Output) != "FROM x\nRUN a b\nRUN c\n" {
		t.Fatalf("%v %q", err, res.Output)
	}
	want := map[string]int{"a": 1, "a b": 1, "c": 1}
	if len(computed) != len(want) {
		t.Errorf("computed %v, want %v", computed, want)
	}
	for body, n := range want {
		if computed[body] != n {
			t.Errorf("body %q computed %d times, want %d (all: %v)", body, computed[body], n, computed)
		}
	}
}
