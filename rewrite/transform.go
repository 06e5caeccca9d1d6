package rewrite

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
)

// Transform is one rewrite: plain data plus one function, in the manner of
// golang.org/x/tools/go/analysis.Analyzer. Everything user-facing (dockopt
// list, dockopt explain, the README table, report rule metadata) is generated
// from these fields.
type Transform struct {
	ID        string // kebab-case; used in flags, pragmas, docs and testdata directory names
	Summary   string // one line
	Rationale string // why, in a paragraph
	Before    string // a Dockerfile fragment before ...
	After     string // ... and after the transform
	Default   bool   // on unless skipped; false: opt-in via --enable
	Run       func(*Pass)

	// Equivalent rules of other linters, for `dockopt check`, suppression
	// comments (`# hadolint ignore=DL3015`, `# check=skip=MaintainerDeprecated`)
	// and report metadata.
	Hadolint     []string // e.g. "DL3015"
	BuildKitRule string   // e.g. "MaintainerDeprecated"

	// Hints, when set, are lower-case strings of which the file must contain
	// at least one (compared case-insensitively) for Run to have anything to
	// do: a fast path that skips the transform on files it cannot touch.
	Hints []string
}

// applies reports whether t may have work in d (see Transform.Hints).
func (t *Transform) applies(d *Document) bool {
	if len(t.Hints) == 0 {
		return true
	}
	low := d.lower()
	for _, h := range t.Hints {
		if bytes.Contains(low, []byte(h)) {
			return true
		}
	}
	return false
}

// Severity of a finding.
type Severity string

const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
	SeverityInfo    Severity = "info"
)

// Finding is what a transform found: where, why, and (when it can fix it
// safely) the edits against the text it was given.
type Finding struct {
	Transform string   `json:"transform"`
	Line      int      `json:"line"`
	EndLine   int      `json:"end_line"`
	Severity  Severity `json:"severity"`
	Message   string   `json:"message"`
	Fixed     bool     `json:"fixed"`
	// Suppressed: a comment or directive in the file turned the finding off.
	Suppressed bool `json:"suppressed,omitempty"`
	// LeftAlone: a note that the transform saw something it could not prove
	// safe to change (Pass.Skip). `dockopt check` does not list these.
	LeftAlone bool   `json:"left_alone,omitempty"`
	Edits     []Edit `json:"-"`

	// Files are changes to files other than the Dockerfile (sidecar.go).
	Files []FileEdit `json:"-"`
}

func (f Finding) String() string {
	return fmt.Sprintf("%d: %s: %s", f.Line, f.Transform, f.Message)
}

// Pass is one transform's run over one document.
type Pass struct {
	Doc       *Document
	Transform *Transform
	Settings  *Settings
	findings  []Finding
	side      *sideFiles // this Fix call's side files (sidecar.go)
}

// Settings are run-wide knobs that some transforms read.
type Settings struct {
	// ContextDir is the build context (default: the Dockerfile's directory).
	// Empty when it cannot be read (stdin input).
	ContextDir string
	// Values holds per-transform settings, keyed "transform-id.key".
	Values map[string]string
	// MaxInstructions refuses files with more instructions than this
	// (0: DefaultMaxInstructions; negative: no limit).
	MaxInstructions int
	// Verify is this file's `verify:` config (nil: none); only the
	// verifier reads it, merged with the --verify flags.
	Verify *VerifySettings
}

// DefaultMaxInstructions bounds the work on one file. Real Dockerfiles have
// tens to a few hundred instructions; a generated file of many thousands
// gets a clear error instead of minutes of analysis (--max-instructions).
const DefaultMaxInstructions = 5000

// Get is a per-transform setting, or def when unset.
func (s *Settings) Get(key, def string) string {
	if s == nil || s.Values == nil {
		return def
	}
	if v, ok := s.Values[key]; ok {
		return v
	}
	return def
}

// Fix reports a finding on in with the edits that fix it.
func (p *Pass) Fix(in *Instruction, msg string, edits ...Edit) {
	p.findings = append(p.findings, Finding{
		Transform: p.Transform.ID, Line: in.StartLine, EndLine: in.EndLine,
		Severity: SeverityWarning, Message: msg, Edits: edits,
	})
}

// FixSpan reports a finding over several instructions (first..last).
func (p *Pass) FixSpan(first, last *Instruction, msg string, edits ...Edit) {
	p.findings = append(p.findings, Finding{
		Transform: p.Transform.ID, Line: first.StartLine, EndLine: last.EndLine,
		Severity: SeverityWarning, Message: msg, Edits: edits,
	})
}

// Skip records that the transform left in alone, and why.
func (p *Pass) Skip(in *Instruction, why string) {
	p.findings = append(p.findings, Finding{
		Transform: p.Transform.ID, Line: in.StartLine, EndLine: in.EndLine,
		Severity: SeverityInfo, Message: why, LeftAlone: true,
	})
}

// Report records a finding with no fix at the given severity.
func (p *Pass) Report(in *Instruction, sev Severity, msg string) {
	p.findings = append(p.findings, Finding{
		Transform: p.Transform.ID, Line: in.StartLine, EndLine: in.EndLine,
		Severity: sev, Message: msg,
	})
}

// Lookup finds transforms by ID in suite.
func Lookup(suite []*Transform, id string) *Transform {
	for _, t := range suite {
		if t.ID == id {
			return t
		}
	}
	return nil
}

// Select resolves --only/--skip/--enable against suite, keeping suite order.
// Unknown IDs are an error that lists the valid ones.
func Select(suite []*Transform, only, skip, enable []string) ([]*Transform, error) {
	for _, list := range [][]string{only, skip, enable} {
		for _, id := range list {
			if Lookup(suite, id) == nil {
				var ids []string
				for _, t := range suite {
					ids = append(ids, t.ID)
				}
				sort.Strings(ids)
				return nil, fmt.Errorf("unknown transform %q (valid: %s)", id, strings.Join(ids, ", "))
			}
		}
	}
	in := func(list []string, id string) bool {
		for _, x := range list {
			if x == id {
				return true
			}
		}
		return false
	}
	var out []*Transform
	for _, t := range suite {
		switch {
		case in(skip, t.ID):
		case len(only) > 0:
			if in(only, t.ID) {
				out = append(out, t)
			}
		case t.Default || in(enable, t.ID):
			out = append(out, t)
		}
	}
	return out, nil
}
