package transforms

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/dockopt/dockopt/rewrite"
)

// MergeRuns merges consecutive RUN instructions of a stage into one.
//
// The merged body is S1 && S2 && ... && Sn, built by editing only the bytes
// between one RUN's last statement and the next RUN's first statement (plus
// grouping brackets), so every command keeps its own bytes and line breaks.
// Docker runs each RUN in a fresh `sh -c` with the stage's WORKDIR and ENV;
// merge_runs_shell.go decides, per segment, what keeps that true:
//
//   - a segment that changes the shell's state (cd, export, X=1, set, umask,
//     trap, functions, exit, exec, ...) runs in `( ... )` unless it is last;
//   - a segment of several statements (`a; b`), or one with a top-level `||`
//     after the first segment, is grouped in `{ ...; }`, so that a failing
//     earlier segment still stops everything;
//   - a segment that may turn on errexit and is not a plain and-or list is
//     never followed by another: in `( set -e; a; b ) && c` the shell ignores
//     -e, so a failing `a` would no longer fail the build;
//   - a segment that runs a command a later one runs again, while naming it
//     in an argument (`pip install -U pip`), runs in `( ... )` too: the shell
//     remembers a command's path, and the later segment must find the new one.
//
// Every merge is re-read before it is reported (mrVerify): the merged body
// must be exactly the bracketed segments joined with && and parse as one
// statement, else the RUNs are left alone.
//
// Comment lines between and inside the RUNs become comment lines inside the
// continuation (BuildKit skips those); blank lines between them are dropped.
var MergeRuns = &rewrite.Transform{
	ID:      "merge-runs",
	Summary: "Merge consecutive RUN instructions of a stage into one RUN",
	Rationale: "Every RUN is a layer: files one RUN creates still ship when a later RUN deletes them, " +
		"and a lone `RUN apt-get update` layer is cached and serves a stale package index to later installs. " +
		"Merging consecutive RUNs makes the cleanup count and keeps update and install together. " +
		"Each original command keeps its own text and line breaks; commands that change the shell " +
		"(cd, export, set, umask, trap, exit, ...) are isolated in `( ... )` and `;` lists grouped in `{ ...; }`, " +
		"so the merged RUN fails exactly when one of the originals would have and no command sees another's directory or variables. " +
		"It never merges across other instructions or stages, RUNs with different --mount/--network/--security flags, " +
		"exec-form or heredoc RUNs, ONBUILD RUN, non-POSIX shells, a RUN whose trailing `# comment` would swallow what follows, " +
		"or across a comment that asks for separate layers (`# keep this in its own layer`, `# separate layer for the cache`, " +
		"`# do not merge`) or a linter pragma meant for the RUN below it. " +
		"Setting merge-runs.mode=conservative merges only where it changes what ships: " +
		"a later RUN cleans up what an earlier one made, or a split update/install pair.",
	Before:  "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*\n",
	After:   "FROM debian:12\nRUN apt-get update \\\n    && apt-get install -y curl \\\n    && rm -rf /var/lib/apt/lists/*\n",
	Default: true,
	Run:     runMergeRuns,

	Hadolint: []string{"DL3059"},
}

func runMergeRuns(p *rewrite.Pass) {
	mode := p.Settings.Get("merge-runs.mode", "all")
	if mode != "all" && mode != "conservative" {
		if len(p.Doc.Instructions) > 0 {
			p.Report(p.Doc.Instructions[0], rewrite.SeverityError,
				fmt.Sprintf("merge-runs.mode must be \"all\" or \"conservative\", not %q; nothing merged", mode))
		}
		return
	}
	errexitEnv, bashEnv := mrStartupEnv(p.Doc)
	var acts []mrAction
	fileStyle := mrFileStyle(p.Doc)
	for _, st := range p.Doc.Stages {
		for _, seq := range mrConsecutiveRuns(st) {
			acts = mergeSequence(p.Doc, acts, seq, mode == "conservative", errexitEnv, bashEnv, fileStyle)
		}
	}
	// Every merge of the pass is verified in one parse (mrVerifyAll); a
	// parse of the whole file per merge made a file of many RUNs quadratic.
	errs := mrVerifyAll(p.Doc, acts)
	for i, a := range acts {
		switch {
		case a.group == nil:
			p.Skip(a.skip, a.msg)
		case errs[i] != nil:
			p.Skip(a.group[0].in, "merge not applied: dockopt could not verify it ("+errs[i].Error()+"); please report this")
		default:
			p.FixSpan(a.group[0].in, a.group[len(a.group)-1].in,
				fmt.Sprintf("merged %d consecutive RUN instructions into one layer", len(a.group)), a.edits...)
		}
	}
}

// mrAction is what mergeSequence found, in the order it is reported: a RUN
// left alone (skip, msg) or a group to merge with its edits, once verified.
type mrAction struct {
	skip  *rewrite.Instruction
	msg   string
	group []*mergeRun
	edits []rewrite.Edit
}

// mrConsecutiveRuns splits a stage into maximal sequences of RUN instructions
// with nothing but comment and blank lines between them.
func mrConsecutiveRuns(st *rewrite.Stage) [][]*rewrite.Instruction {
	var out [][]*rewrite.Instruction
	var cur []*rewrite.Instruction
	for _, in := range st.Instructions {
		if in.Cmd == "run" {
			cur = append(cur, in)
			continue
		}
		if len(cur) > 1 {
			out = append(out, cur)
		}
		cur = nil
	}
	if len(cur) > 1 {
		out = append(out, cur)
	}
	return out
}

// mergeSequence appends to acts what it safely can merge of one sequence of
// consecutive RUNs, and the RUNs it leaves alone.
func mergeSequence(d *rewrite.Document, acts []mrAction, seq []*rewrite.Instruction, conservative, errexitEnv, bashEnv bool, fileStyle func() rewrite.Style) []mrAction {
	runs := make([]*mergeRun, len(seq))
	for i, in := range seq {
		runs[i] = mrAnalyzeRun(d, in, errexitEnv, bashEnv)
		runs[i].ignored = mrIgnored(d, in)
		if i > 0 {
			runs[i].pragma = mrPragmaAbove(d, seq[i-1], in)
			runs[i].apart = mrApartAbove(d, seq[i-1], in)
		}
	}
	// why[k] is why RUN k and RUN k+1 cannot be merged ("" when they can).
	why := make([]string, len(runs)-1)
	for k := range why {
		why[k] = mrPairRefusal(runs[k], runs[k+1])
	}
	want := make([]bool, len(why))
	if conservative {
		want = mrConservativePairs(runs, why)
	} else {
		for k := range want {
			want[k] = why[k] == ""
		}
	}
	for k, w := range why {
		if w != "" && (!conservative || mrHelps(runs[k].facts(), runs[k+1].facts())) {
			acts = append(acts, mrAction{skip: runs[k+1].in, msg: fmt.Sprintf("not merged with the RUN on line %d: %s", runs[k].in.StartLine, w)})
		}
	}
	for k := 0; k < len(want); {
		if !want[k] {
			k++
			continue
		}
		j := k
		for j < len(want) && want[j] {
			j++
		}
		group := runs[k : j+1]
		acts = append(acts, mrAction{group: group, edits: mergeEdits(d, group, fileStyle)})
		k = j
	}
	return acts
}

// mrPairRefusal is why a (non-last) and b (the RUN right after it) cannot be
// merged, or "".
func mrPairRefusal(a, b *mergeRun) string {
	switch {
	case a.why != "":
		return fmt.Sprintf("the RUN on line %d %s", a.in.StartLine, a.why)
	case b.why != "":
		return "this RUN " + b.why
	case !mrSameFlags(a.in.Flags(), b.in.Flags()):
		return "their flags (--mount, --network, --security) differ"
	case !a.tailOK:
		return fmt.Sprintf("the RUN on line %d ends with a shell comment, which would comment out everything appended after it", a.in.StartLine)
	case a.shape.errexit && !a.shape.flat:
		return fmt.Sprintf("the RUN on line %d may run with errexit (set -e), which a shell ignores in the non-last part of an && list", a.in.StartLine)
	case a.shape.daemon != "":
		return fmt.Sprintf("the RUN on line %d starts a service (%s), which Docker stops when that RUN ends; merged, it would keep running", a.in.StartLine, a.shape.daemon)
	case b.shape.readsLast:
		return "this RUN reads $_, the last argument of the command before it"
	case a.ignored || b.ignored:
		// The pipeline would suppress the whole merged group, dropping the
		// merges of the other RUNs too; keep the marked RUN out of it instead.
		return "a dockopt:ignore comment marks one of them"
	case b.pragma != "":
		return fmt.Sprintf("the comment %q above it is meant for this RUN; inside a merged RUN it would no longer apply to it", b.pragma)
	case b.apart != "":
		return fmt.Sprintf("the comment %q above it asks for a layer of its own", b.apart)
	}
	return ""
}

// A comment between two RUNs that asks for separate layers is the author's
// decision (a layer kept apart for the build cache, say): merge-runs leaves
// the pair alone and says so. Comments about the cache alone do not count:
// "remove the apt cache so the layer stays small" wants the merge. mrApartLayer needs the word layer with a
// separating word, mrSameLayer excludes comments about one layer, and
// mrNoMerge is an explicit "do not merge".
var (
	mrApartLayer = regexp.MustCompile(`(?i)\b(separate(ly|d)?|own|distinct|dedicated|individual|split|apart)\b.*\blayers?\b|\blayers?\b.*\b(separate(ly|d)?|own|distinct|dedicated|individual|split|apart)\b`)
	mrSameLayer  = regexp.MustCompile(`(?i)\b(same|single|one)\s+layer\b`)
	mrNoMerge    = regexp.MustCompile(`(?i)\b(do\s*n[o']?t|never|not\s+to)\s+(merge|combine|squash|join|consolidate)\b`)
)

// mrApartAbove is the first comment between prev and in that asks for
// separate layers, or "".
func mrApartAbove(d *rewrite.Document, prev, in *rewrite.Instruction) string {
	for n := prev.EndLine + 1; n < in.StartLine; n++ {
		t := strings.TrimSpace(d.Line(n))
		if !strings.HasPrefix(t, "#") {
			continue
		}
		if mrNoMerge.MatchString(t) || (mrApartLayer.MatchString(t) && !mrSameLayer.MatchString(t)) {
			return t
		}
	}
	return ""
}

// mrLintPragma matches linter comments that apply to the instruction below
// them (hadolint, checkov, trivy, kics, semgrep, BuildKit's check=): merged
// into the continuation of an earlier RUN, such a comment would be moved off
// its instruction and the lint would fire again.
var mrLintPragma = regexp.MustCompile(`^#\s*(hadolint\s|checkov:|trivy:|kics-scan\s|nosemgrep|check=)`)

// mrPragmaAbove is the first lint pragma comment between prev and in.
func mrPragmaAbove(d *rewrite.Document, prev, in *rewrite.Instruction) string {
	for n := prev.EndLine + 1; n < in.StartLine; n++ {
		if t := strings.TrimSpace(d.Line(n)); mrLintPragma.MatchString(t) {
			return t
		}
	}
	return ""
}

var mrIgnorePragma = regexp.MustCompile(`^#\s*dockopt:ignore(?:=([A-Za-z0-9_,\s-]+))?\s*$`)

// mrIgnored reports whether a `# dockopt:ignore[=...merge-runs...]` comment
// is on the line right above in (the pipeline's rule for suppression).
func mrIgnored(d *rewrite.Document, in *rewrite.Instruction) bool {
	if in.StartLine < 2 {
		return false
	}
	m := mrIgnorePragma.FindStringSubmatch(strings.TrimSpace(d.Line(in.StartLine - 1)))
	if m == nil {
		return false
	}
	if m[1] == "" {
		return true
	}
	for _, id := range strings.Split(m[1], ",") {
		if strings.TrimSpace(id) == "merge-runs" {
			return true
		}
	}
	return false
}

func mrSameFlags(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// mergeEdits joins the bodies of group into the first RUN: it replaces the
// bytes between each body's last statement and the next body's first one
// (the `;`, line ending, blank lines and the next RUN keyword and flags) with
// a continuation in the file's style, keeping comment lines, and brackets the
// segments that need it.
func mergeEdits(d *rewrite.Document, group []*mergeRun, fileStyle func() rewrite.Style) []rewrite.Edit {
	style := mergeStyle(d, group, fileStyle)
	esc := string(d.Escape)
	var edits []rewrite.Edit
	last := len(group) - 1
	open, close := mrBrackets(group)
	if open[0] != "" {
		edits = append(edits, rewrite.Edit{Start: group[0].start, End: group[0].start, New: open[0]})
	}
	for k := 0; k < last; k++ {
		a, b := group[k], group[k+1]
		var sb strings.Builder
		sb.WriteString(close[k])
		if style.Leading {
			sb.WriteString(style.BeforeEscape + esc)
		} else {
			sb.WriteString(" &&" + style.BeforeEscape + esc)
		}
		sb.WriteString(d.Newline(d.LineOf(a.end)))
		for n := d.LineOf(a.end) + 1; n < d.LineOf(b.start); n++ {
			if l := d.Line(n); mrIsCommentText(l) {
				sb.WriteString(l)
			}
		}
		sb.WriteString(style.Indent)
		if style.Leading {
			sb.WriteString("&& ")
		}
		sb.WriteString(open[k+1])
		edits = append(edits, rewrite.Edit{Start: a.end, End: b.start, New: sb.String()})
	}
	if close[last] != "" {
		edits = append(edits, rewrite.Edit{Start: group[last].end, End: group[last].end, New: close[last]})
	}
	return edits
}

// mrBrackets are the brackets around each segment of a merged group:
// `( ... )` to keep a state change (or a remembered command path) from
// reaching the later segments, `{ ...; }` to keep a `;` list or a `||` from
// taking in the earlier ones.
func mrBrackets(group []*mergeRun) (open, close []string) {
	open, close = make([]string, len(group)), make([]string, len(group))
	for k, r := range group {
		switch {
		case (r.shape.state || mrHashHazard(group, k)) && k != len(group)-1:
			open[k], close[k] = "( ", " )"
		case r.shape.list || (k > 0 && r.shape.or):
			open[k], close[k] = "{ ", "; }"
		}
	}
	return open, close
}

// mrSqueeze drops blanks, which BuildKit's joining of continuation lines and
// the joiner's layout may add or remove around the && operators.
func mrSqueeze(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, s)
}

func mrIsCommentText(line string) bool {
	return strings.HasPrefix(strings.TrimLeft(line, " \t\r\n\v\f"), "#")
}

// mergeStyle is the continuation layout to join with: that of the first RUN
// of the group, else of the file (fileStyle), that chains commands over
// several lines; else the common Docker layout (` \`, newline, four spaces,
// `&& `).
func mergeStyle(d *rewrite.Document, group []*mergeRun, fileStyle func() rewrite.Style) rewrite.Style {
	for _, r := range group {
		if r.sh != nil && mrChainsOverLines(d, r.in) {
			return r.sh.Style()
		}
	}
	return fileStyle()
}

// mrFileStyle is the layout of the file's first RUN that chains commands
// over several lines, else the common Docker layout; computed once per pass
// (a scan of the file per merge made a file of many RUNs quadratic).
func mrFileStyle(d *rewrite.Document) func() rewrite.Style {
	var style *rewrite.Style
	return func() rewrite.Style {
		if style == nil {
			s := mrScanFileStyle(d)
			style = &s
		}
		return *style
	}
}

func mrScanFileStyle(d *rewrite.Document) rewrite.Style {
	for _, in := range d.Instructions {
		if in.Cmd != "run" || !mrChainsOverLines(d, in) {
			continue
		}
		if sh, err := d.Shell(in); err == nil {
			return sh.Style()
		}
	}
	return rewrite.Style{Indent: "    ", Leading: true, BeforeEscape: " "}
}

// mrChainsOverLines reports whether a RUN puts && or || at the start or end of
// its continuation lines: whether it shows the author's chaining layout.
func mrChainsOverLines(d *rewrite.Document, in *rewrite.Instruction) bool {
	esc := string(d.Escape)
	for n := in.StartLine; n <= in.EndLine; n++ {
		t := strings.TrimSpace(d.Line(n))
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if n > in.StartLine && (strings.HasPrefix(t, "&&") || strings.HasPrefix(t, "||")) {
			return true
		}
		if before, ok := strings.CutSuffix(t, esc); ok && n < in.EndLine {
			before = strings.TrimSpace(before)
			if strings.HasSuffix(before, "&&") || strings.HasSuffix(before, "||") {
				return true
			}
		}
	}
	return false
}
