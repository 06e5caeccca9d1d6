package transforms

import (
	"fmt"
	"strings"

	"github.com/dockopt/dockopt/rewrite"
)

// DeadInstructions removes a CMD, ENTRYPOINT or HEALTHCHECK that a later one
// of the same kind in the same stage overrides (BuildKit's
// MultipleInstructionsDisallowed).
//
//	CMD ["a"]        ->  CMD ["b"]
//	CMD ["b"]
var DeadInstructions = &rewrite.Transform{
	ID:      "dead-instructions",
	Summary: "Remove a CMD, ENTRYPOINT or HEALTHCHECK that a later one in the same stage overrides (BuildKit: MultipleInstructionsDisallowed)",
	Rationale: "Only the last CMD, ENTRYPOINT and HEALTHCHECK of a stage end up in the image; BuildKit warns " +
		"about the earlier ones. Removing them cannot change the image config: the last CMD, ENTRYPOINT and " +
		"HEALTHCHECK are still set last, and an ENTRYPOINT clears the inherited CMD only while the stage has " +
		"set no CMD of its own, so dropping an earlier ENTRYPOINT or an earlier CMD leaves the final CMD as " +
		"it was (BuildKit's dispatchEntrypoint/dispatchCmd). The image history loses the entries of the " +
		"removed instructions. Comment lines above or inside a removed instruction are kept; ONBUILD " +
		"triggers are left alone (they run in a later build), as are files whose `# check=skip=` turns the " +
		"rule off.",
	Before:  "FROM alpine\nCMD [\"sh\"]\nRUN apk add curl\nCMD [\"curl\", \"--version\"]\n",
	After:   "FROM alpine\nRUN apk add curl\nCMD [\"curl\", \"--version\"]\n",
	Default: true,
	Run:     runDeadInstructions,

	Hadolint:     []string{"DL3012", "DL4003", "DL4004"}, // multiple HEALTHCHECK, CMD, ENTRYPOINT
	BuildKitRule: "MultipleInstructionsDisallowed",
}

func runDeadInstructions(p *rewrite.Pass) {
	d := p.Doc
	if lintSkipped(d, "MultipleInstructionsDisallowed") {
		return
	}
	for _, st := range d.Stages {
		last := map[string]*rewrite.Instruction{}
		for _, in := range st.Instructions {
			switch in.Cmd {
			case "cmd", "entrypoint", "healthcheck":
				last[in.Cmd] = in
			}
		}
		for _, in := range st.Instructions {
			winner := last[in.Cmd]
			if winner == nil || winner == in {
				continue
			}
			p.Fix(in, fmt.Sprintf("%s overridden by the %s on line %d: removed", strings.ToUpper(in.Cmd), strings.ToUpper(in.Cmd), d.OriginalLine(winner.StartLine)),
				deleteKeepingComments(d, in)...)
		}
	}
}

// deleteKeepingComments returns edits that delete in's lines except the
// comment lines among them, which stay where they are.
func deleteKeepingComments(d *rewrite.Document, in *rewrite.Instruction) []rewrite.Edit {
	var edits []rewrite.Edit
	for n := in.StartLine; n <= in.EndLine; n++ {
		if n > in.StartLine && strings.HasPrefix(strings.TrimSpace(d.Line(n)), "#") {
			continue
		}
		edits = append(edits, rewrite.Edit{Start: d.LineStart(n), End: d.LineStart(n + 1)})
	}
	return mergeDeletions(edits)
}
