package rewrite

import (
	"bytes"
	"fmt"
	"regexp"
	"runtime/debug"
	"sort"
	"strings"
)

// Result is what the pipeline did to one file.
type Result struct {
	Path     string
	Input    []byte
	Output   []byte // equal to Input when nothing changed
	Findings []Finding
	// Internal lists transform failures: a panic, overlapping edits, or an
	// output BuildKit rejects or that lost a comment. The offending
	// transform's edits were discarded; they are dockopt bugs and make the
	// run exit 2.
	Internal []error
	// Files are the other files the transforms changed (a .dockerignore),
	// by path; see sidecar.go.
	Files map[string]*FileChange
}

// Changed reports whether the output differs from the input.
func (r *Result) Changed() bool { return !bytes.Equal(r.Input, r.Output) }

// MaxRounds bounds the fixpoint loop: the suite runs again over its own
// output until nothing changes. Reaching the bound is reported as a bug.
const MaxRounds = 4

// Fix runs transforms, in order, over src. It returns a *ParseError when
// BuildKit rejects src. Every intermediate text is re-parsed and re-validated
// with BuildKit; a transform whose edits would produce a rejected file, drop a
// comment line, or that panics, is discarded for this file and reported in
// Result.Internal.
func Fix(path string, src []byte, transforms []*Transform, settings *Settings) (*Result, error) {
	doc, err := Parse(path, src)
	if err != nil {
		return nil, err
	}
	limit := DefaultMaxInstructions
	if settings != nil && settings.MaxInstructions != 0 {
		limit = settings.MaxInstructions
	}
	if limit > 0 && len(doc.Instructions) > limit {
		return nil, &ParseError{Path: path, Msg: fmt.Sprintf("%d instructions, over the limit of %d (--max-instructions)", len(doc.Instructions), limit)}
	}
	res := &Result{Path: path, Input: src, Output: src}
	if ignoreFile(doc) {
		return res, nil
	}
	broken := map[string]bool{}
	side := newSideFiles()
	// version counts the changes made so far; settledAt[i] is the version
	// transforms[i] last ran on and left alone (-1: none yet). Transforms
	// are deterministic functions of the text, the settings and the side
	// files, so running one again on the version it left alone would change
	// nothing: later rounds skip it. Only round 0's notes are reported, and
	// a transform that leaves the text alone reports no fix, so nothing is
	// lost. (In practice the final round runs only the transforms before the
	// last change.)
	version := 0
	settledAt := make([]int, len(transforms))
	for i := range settledAt {
		settledAt[i] = -1
	}
	for round := 0; round < MaxRounds; round++ {
		changed := false
		var changers []string // transforms that changed the text this round
		for i, t := range transforms {
			if broken[t.ID] || settledAt[i] == version {
				continue
			}
			next, findings, err := runTransform(doc, t, settings, side)
			if _, ok := err.(*PanicError); ok {
				// A transform that panics may have seen anything; trust none of
				// this file's changes.
				res.Internal = append(res.Internal, err)
				res.Output = src
				return res, nil
			}
			filesChanged := false
			if err == nil {
				filesChanged, err = side.commit(path, t, findings)
			}
			if err != nil {
				broken[t.ID] = true
				res.Internal = append(res.Internal, err)
				continue
			}
			changed = changed || filesChanged
			for _, f := range findings {
				// Later rounds repeat the first round's notes; keep only their fixes.
				if round == 0 || f.Fixed {
					f.Line, f.EndLine = doc.OriginalLine(f.Line), doc.OriginalLine(f.EndLine)
					res.Findings = append(res.Findings, f)
				}
			}
			if next != nil {
				doc, changed = next, true
				changers = append(changers, t.ID)
			}
			if next != nil || filesChanged {
				version++
			} else {
				settledAt[i] = version
			}
		}
		if !changed {
			res.Output, res.Files = doc.Src, side.changes()
			return res, nil
		}
		if round == MaxRounds-1 {
			// A transform that keeps changing its own output is broken (it
			// re-applies an edit, as in `/w x` -> `/w /w x`): write nothing.
			res.Internal = append(res.Internal, fmt.Errorf("%s: internal error: transforms did not reach a fixpoint after %d rounds (still changing: %s); file left untouched", path, MaxRounds, strings.Join(changers, ", ")))
		}
	}
	return res, nil
}

// runTransform runs t over doc and applies its fixes. next is nil when
// nothing changed.
func runTransform(doc *Document, t *Transform, settings *Settings, side *sideFiles) (next *Document, findings []Finding, err error) {
	defer func() {
		if r := recover(); r != nil {
			next, findings = nil, nil
			err = &PanicError{Path: doc.Path, Transform: t.ID, Value: r, Stack: firstFrames(debug.Stack())}
		}
	}()
	if !t.applies(doc) {
		return nil, nil, nil
	}
	p := &Pass{Doc: doc, Transform: t, Settings: settings, side: side}
	t.Run(p)
	var edits []Edit
	skipped := doc.checkSkips()
	for i := range p.findings {
		f := &p.findings[i]
		if why := suppressedBy(doc, t, f, skipped); why != "" {
			f.Edits = nil
			f.Suppressed = true
			f.Message = "suppressed by " + why + ": " + f.Message
			continue
		}
		edits = append(edits, f.Edits...)
	}
	if len(edits) == 0 {
		return nil, p.findings, nil
	}
	out, err := ApplyEdits(doc.Src, edits)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: internal error: transform %s: %v; its changes were discarded", doc.Path, t.ID, err)
	}
	if bytes.Equal(out, doc.Src) {
		return nil, p.findings, nil
	}
	nd, perr := doc.parseDerived(out)
	if perr != nil {
		return nil, nil, fmt.Errorf("%s: internal error: transform %s produced a Dockerfile BuildKit rejects (%v); its changes were discarded", doc.Path, t.ID, perr.(*ParseError).Msg)
	}
	if lost := lostComments(doc.Src, out); lost != "" {
		return nil, nil, fmt.Errorf("%s: internal error: transform %s dropped the comment %q; its changes were discarded", doc.Path, t.ID, lost)
	}
	for i := range p.findings {
		if len(p.findings[i].Edits) > 0 {
			p.findings[i].Fixed = true
		}
	}
	nd.origLine = mapLines(doc, edits, nd)
	return nd, p.findings, nil
}

// PanicError is a transform that panicked on a file. The file is left untouched.
type PanicError struct {
	Path, Transform string
	Value           any
	Stack           string
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("%s: internal error: transform %s panicked: %v (file left untouched)", e.Path, e.Transform, e.Value)
}

func firstFrames(stack []byte) string {
	lines := strings.Split(string(stack), "\n")
	if len(lines) > 16 {
		lines = lines[:16]
	}
	return strings.Join(lines, "\n")
}

// lostComments returns a comment line of before that after no longer has
// (comparing trimmed comment lines as multisets), or "".
func lostComments(before, after []byte) string {
	count := map[string]int{}
	for _, l := range commentLines(after) {
		count[l]++
	}
	for _, l := range commentLines(before) {
		if count[l] == 0 {
			return l
		}
		count[l]--
	}
	return ""
}

func commentLines(src []byte) []string {
	var out []string
	for _, l := range bytes.Split(src, []byte("\n")) {
		t := bytes.TrimSpace(l)
		if len(t) > 0 && t[0] == '#' {
			out = append(out, string(t))
		}
	}
	return out
}

var (
	reIgnore     = regexp.MustCompile(`^#\s*dockopt:ignore(?:=([A-Za-z0-9_,\s-]+))?\s*$`)
	reIgnoreFile = regexp.MustCompile(`^#\s*dockopt:ignore-file\s*$`)
)

func ignoreFile(d *Document) bool {
	for _, l := range commentLines(d.Src) {
		if reIgnoreFile.MatchString(l) {
			return true
		}
	}
	return false
}

// suppressedBy names the comment that suppresses finding f of transform t,
// or is "": a `# dockopt:ignore[=IDs]` or `# hadolint ignore=CODES` comment on
// the line right before an instruction the finding's edits touch (or, for a
// finding without edits, the instruction it is on), or BuildKit's
// `# check=skip=RULES` directive naming t's BuildKit rule.
func suppressedBy(d *Document, t *Transform, f *Finding, skipped map[string]bool) string {
	if t.BuildKitRule != "" && (skipped["all"] || skipped[strings.ToLower(t.BuildKitRule)]) {
		return "the # check=skip directive"
	}
	ins := d.Instructions
	if len(f.Edits) == 0 {
		i := sort.Search(len(ins), func(i int) bool { return ins[i].EndLine >= f.Line })
		if i < len(ins) && ins[i].StartLine <= f.Line {
			return suppresses(d, ins[i], t)
		}
		return ""
	}
	for _, e := range f.Edits {
		// Instructions are in source order and never overlap: start at the
		// first one ending after the edit instead of scanning them all for
		// every finding (quadratic on large files).
		for i := sort.Search(len(ins), func(i int) bool { return ins[i].End > e.Start }); i < len(ins); i++ {
			in := ins[i]
			if e.Start == e.End && in.Start > e.Start || e.Start < e.End && in.Start >= e.End {
				break
			}
			if why := suppresses(d, in, t); why != "" {
				return why
			}
			if e.Start == e.End {
				break
			}
		}
	}
	return ""
}

var reHadolint = regexp.MustCompile(`^#\s*hadolint\s+ignore=([A-Za-z0-9_,\s-]+)$`)

// suppresses reports which comment right before in suppresses t: a
// `# dockopt:ignore` naming t (or nothing, which suppresses every transform),
// or a `# hadolint ignore=` naming one of t's hadolint codes.
func suppresses(d *Document, in *Instruction, t *Transform) string {
	if in.StartLine < 2 {
		return ""
	}
	line := strings.TrimSpace(d.Line(in.StartLine - 1))
	if m := reIgnore.FindStringSubmatch(line); m != nil {
		if m[1] == "" {
			return "a dockopt:ignore comment"
		}
		for _, x := range strings.Split(m[1], ",") {
			if strings.TrimSpace(x) == t.ID {
				return "a dockopt:ignore comment"
			}
		}
	}
	if m := reCheckDirective.FindStringSubmatch(line); m != nil && t.BuildKitRule != "" {
		// BuildKit reads a `# check=skip=...` comment before an instruction
		// as that instruction's lint configuration.
		if skips := parseCheckSkips(m[1]); skips["all"] || skips[strings.ToLower(t.BuildKitRule)] {
			return "a # check=skip comment"
		}
	}
	if m := reHadolint.FindStringSubmatch(line); m != nil {
		for _, x := range strings.Split(m[1], ",") {
			for _, code := range t.Hadolint {
				if strings.EqualFold(strings.TrimSpace(x), code) {
					return "a hadolint ignore comment"
				}
			}
		}
	}
	return ""
}

var reCheckDirective = regexp.MustCompile(`(?i)^#\s*check\s*=\s*(.*)$`)

// checkSkips reads BuildKit's `# check=skip=A,B;error=true` parser directive
// (lower-cased rule names; "all" skips every rule).
func (d *Document) checkSkips() map[string]bool {
	out := map[string]bool{}
	for n := 1; n <= d.Lines(); n++ {
		line := strings.TrimSpace(string(trimNewline([]byte(d.Line(n)))))
		if n == 1 {
			line = strings.TrimPrefix(line, "\ufeff")
		}
		if !strings.HasPrefix(line, "#") {
			break // directives only come first
		}
		m := reCheckDirective.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		for r := range parseCheckSkips(m[1]) {
			out[r] = true
		}
	}
	return out
}

// parseCheckSkips reads the skip list of a check directive's value
// ("skip=A,B;error=true"), lower-cased.
func parseCheckSkips(v string) map[string]bool {
	out := map[string]bool{}
	for _, part := range strings.Split(v, ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		if strings.EqualFold(strings.TrimSpace(k), "skip") {
			for _, r := range strings.Split(v, ",") {
				out[strings.ToLower(strings.TrimSpace(r))] = true
			}
		}
	}
	return out
}

// mapLines maps each line of next (old's text with edits applied) to the
// line of the original input it came from; a line that an edit inserted maps
// to the line the edit started on.
func mapLines(old *Document, edits []Edit, next *Document) []int {
	sorted := append([]Edit(nil), edits...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Start < sorted[j].Start })
	out := make([]int, next.Lines())
	k, delta := 0, 0 // edits before k are behind us; delta = new offset - old offset after them
	for i := range out {
		no := next.LineStart(i + 1)
		for k < len(sorted) {
			e := sorted[k]
			if k > 0 && e == sorted[k-1] { // ApplyEdits counts duplicates once
				k++
				continue
			}
			if no < e.Start+delta+len(e.New) {
				break
			}
			delta += len(e.New) - (e.End - e.Start)
			k++
		}
		oldOff := no - delta
		if k < len(sorted) && no >= sorted[k].Start+delta {
			oldOff = sorted[k].Start // a line that starts inside inserted text
		}
		out[i] = old.OriginalLine(old.LineOf(oldOff))
	}
	return out
}

// SortFindings orders findings by line, then transform.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		if fs[i].Line != fs[j].Line {
			return fs[i].Line < fs[j].Line
		}
		return fs[i].Transform < fs[j].Transform
	})
}
