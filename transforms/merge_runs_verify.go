package transforms

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/dockopt/dockopt/rewrite"
)

// mrVerifyAll verifies the merges of acts (the actions with a group) and
// returns, per action, why its merge cannot be trusted (nil: it can).
//
// The reference check is mrVerify: the file with that one merge applied,
// parsed whole. Doing that per merge made a file of many RUNs quadratic, so
// all merges are first applied together and the file parsed once. That
// batch is trusted only when the parse shows every other instruction exactly
// as before (same place once the edits are accounted for, same keyword, same
// text, same escape token) and every merged RUN passes mrCheckMerged: then
// each merged RUN is read with the same lines and the same context (stages,
// SHELL instructions) as in its own mrVerify document, which would therefore
// give the same answer. When anything differs, each merge gets mrVerify.
func mrVerifyAll(d *rewrite.Document, acts []mrAction) []error {
	errs := make([]error, len(acts))
	var groups []int // indices into acts of the merges
	for i, a := range acts {
		if a.group != nil {
			groups = append(groups, i)
		}
	}
	if len(groups) == 0 {
		return errs
	}
	if len(groups) == 1 || !mrBatchOK(d, acts, groups) {
		for _, i := range groups {
			errs[i] = mrVerify(d, acts[i].group, acts[i].edits)
		}
	}
	return errs
}

// mrBatchOK applies every merge of acts at once and reports whether the
// result passes the conditions of mrVerifyAll.
func mrBatchOK(d *rewrite.Document, acts []mrAction, groups []int) bool {
	var all []rewrite.Edit
	first := map[*rewrite.Instruction]*mrAction{} // the first RUN of each group
	gone := map[*rewrite.Instruction]bool{}       // the RUNs merged into it
	for _, i := range groups {
		a := &acts[i]
		all = append(all, a.edits...)
		first[a.group[0].in] = a
		for _, r := range a.group[1:] {
			gone[r.in] = true
		}
	}
	nd, err := d.ParseEdited(all)
	if err != nil || nd.Escape != d.Escape {
		return false
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Start < all[j].Start })
	// Walk the original instructions in order, shifting each one's start by
	// the size change of the edits before it, and match them with nd's.
	k, delta, next := 0, 0, 0
	for _, in := range d.Instructions {
		if gone[in] {
			continue
		}
		for k < len(all) && all[k].End <= in.Start {
			delta += len(all[k].New) - (all[k].End - all[k].Start)
			k++
		}
		if k < len(all) && all[k].Start < in.Start {
			return false // an edit across in's start: not a merge's shape
		}
		if next >= len(nd.Instructions) {
			return false
		}
		m := nd.Instructions[next]
		next++
		if m.Start != in.Start+delta || m.Cmd != in.Cmd {
			return false
		}
		if a := first[in]; a != nil {
			if mrCheckMerged(nd, m, a.group) != nil {
				return false
			}
		} else if m.Node.Original != in.Node.Original {
			return false
		}
	}
	return next == len(nd.Instructions)
}

// mrVerify re-reads the merged RUN the way Docker will and checks that its
// body is exactly the segments, bracketed and joined with &&, and that it
// parses as one shell statement in both bash and the stage's shell.
func mrVerify(d *rewrite.Document, group []*mergeRun, edits []rewrite.Edit) error {
	nd, err := d.ParseEdited(edits)
	if err != nil {
		return err
	}
	var merged *rewrite.Instruction
	for _, in := range nd.Instructions {
		if in.StartLine == group[0].in.StartLine {
			merged = in
		}
	}
	return mrCheckMerged(nd, merged, group)
}

// mrCheckMerged checks merged, the instruction of nd where group's first RUN
// was, against the merge of group (see mrVerify).
func mrCheckMerged(nd *rewrite.Document, merged *rewrite.Instruction, group []*mergeRun) error {
	if merged == nil || merged.Cmd != "run" {
		return errors.New("the merged RUN is not where the first one was")
	}
	open, close := mrBrackets(group)
	var want strings.Builder
	for k, r := range group {
		stmts := r.sh.File.Stmts
		from, to := stmts[0].Pos().Offset(), mrStmtEnd(stmts[len(stmts)-1]).Offset()
		if k > 0 {
			want.WriteString(" && ")
		}
		want.WriteString(open[k] + r.sh.Body[from:to] + close[k])
		if k == len(group)-1 {
			want.WriteString(r.sh.Body[to:])
		}
	}
	if mrSqueeze(merged.Node.Next.Value) != mrSqueeze(want.String()) {
		return fmt.Errorf("the merged body reads %q, not %q", merged.Node.Next.Value, want.String())
	}
	r := mrAnalyzeRun(nd, merged, false, false)
	if r.sh == nil {
		return errors.New("the merged RUN " + r.why)
	}
	if len(r.sh.File.Stmts) != 1 || r.why != "" {
		return errors.New("the merged body is not one shell statement")
	}
	return nil
}
