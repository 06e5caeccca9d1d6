package transforms

import (
	"fmt"
	"strings"

	"github.com/dockopt/dockopt/rewrite"
)

// StageNameCasing lower-cases stage names and the COPY --from and RUN
// --mount=from= references to them (BuildKit's StageNameCasing). Opt-in.
//
//	FROM golang AS Builder      ->  FROM golang AS builder
//	COPY --from=Builder /a /a   ->  COPY --from=builder /a /a
var StageNameCasing = &rewrite.Transform{
	ID:      "stage-name-casing",
	Summary: "Lower-case stage names and their COPY --from / RUN --mount references (BuildKit: StageNameCasing; opt-in)",
	Rationale: "BuildKit warns about stage names with upper-case letters. It stores stage names in lower " +
		"case and lower-cases COPY --from, RUN --mount from= and --target lookups, so writing the name and " +
		"those references in lower case changes nothing for BuildKit. `FROM Stage` is reported, not " +
		"changed: BuildKit matches FROM references without lower-casing them, so it names no stage and the " +
		"build fails as written. Opt-in, because names are also used outside the file (CI --target values, " +
		"bake files, scripts, other builders) where dockopt cannot see them. Left alone: references inside " +
		"ONBUILD (they name the stages of a later build), references through variables or quotes, and " +
		"files whose `# check=skip=` turns the rule off.",
	Before:  "FROM golang:1.22 AS Builder\nRUN go build -o /app .\nFROM alpine\nCOPY --from=Builder /app /app\n",
	After:   "FROM golang:1.22 AS builder\nRUN go build -o /app .\nFROM alpine\nCOPY --from=builder /app /app\n",
	Default: false,
	Run:     runStageNameCasing,

	BuildKitRule: "StageNameCasing",
}

func runStageNameCasing(p *rewrite.Pass) {
	d := p.Doc
	if lintSkipped(d, "StageNameCasing") {
		return
	}
	for _, in := range d.Instructions {
		switch in.Cmd {
		case "from", "copy", "run":
		default:
			continue
		}
		l := joinedText(d, in)
		if l == nil {
			continue
		}
		var edits []rewrite.Edit
		var names []string
		lower := func(s textSpan) {
			w := l.Text[s.Start:s.End]
			if w != strings.ToLower(w) {
				edits = append(edits, replaceSameLength(l, s.Start, s.End, strings.ToLower(w))...)
				names = append(names, w)
			}
		}
		_, flags, argStart := splitFlags(l.Text, byte(d.Escape))
		switch in.Cmd {
		case "from":
			st := in.Stage
			ws := blankSplit(l.Text[:trimRightSpace(l.Text)], argStart)
			if st.Name != "" {
				if _, ok := fromAsWord(in, l); ok {
					lower(ws[len(ws)-1])
				}
			}
			// BuildKit looks up FROM <stage> without lower-casing it
			// (dispatchStates.addState), unlike every other reference:
			// `FROM Builder` names no stage and fails as an image name.
			// Lower-casing it would turn a failing build into another
			// build, so it is reported instead.
			if base := d.StageByName(st.Base); base != nil && base.Index < st.Index && st.Base != strings.ToLower(st.Base) {
				p.Report(in, rewrite.SeverityWarning, fmt.Sprintf("FROM %s names no stage for BuildKit, which matches FROM stage references in lower case only: the build fails here; write FROM %s", st.Base, strings.ToLower(st.Base)))
			}
		case "copy":
			for _, f := range flags {
				if v, ok := strings.CutPrefix(l.Text[f.Start:f.End], "--from="); ok && plainStageRef(d, v) {
					lower(textSpan{f.End - len(v), f.End})
				}
			}
		case "run":
			for _, f := range flags {
				if s, ok := mountFromSpan(d, l.Text[f.Start:f.End]); ok {
					lower(textSpan{f.Start + s.Start, f.Start + s.End})
				}
			}
		}
		if len(edits) > 0 {
			p.Fix(in, fmt.Sprintf("stage name %s written in lower case (BuildKit lower-cases it anyway)", strings.Join(names, ", ")), edits...)
		}
	}
}

// plainStageRef reports whether v, a --from value as written, names one of
// the file's stages without variables, quotes or escapes.
func plainStageRef(d *rewrite.Document, v string) bool {
	if v == "" || strings.ContainsAny(v, "$\"'"+string(d.Escape)) {
		return false
	}
	return d.StageByName(v) != nil
}

// mountFromSpan finds, in a `--mount=...` flag as written, the value of its
// from= field when that names a stage; the span is relative to the flag.
func mountFromSpan(d *rewrite.Document, flag string) (textSpan, bool) {
	v, ok := strings.CutPrefix(flag, "--mount=")
	if !ok || strings.ContainsAny(v, "\"'") {
		return textSpan{}, false
	}
	off := len("--mount=")
	for _, field := range strings.Split(v, ",") {
		if k, val, ok := strings.Cut(field, "="); ok && strings.EqualFold(strings.TrimSpace(k), "from") && plainStageRef(d, val) {
			start := off + len(k) + 1
			return textSpan{start, start + len(val)}, true
		}
		off += len(field) + 1
	}
	return textSpan{}, false
}
