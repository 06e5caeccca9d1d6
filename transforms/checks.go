package transforms

import "github.com/dockopt/dockopt/rewrite"

// Checks are report-only: smells that need a human, listed by `dockopt
// check` and never fixed. Each reports findings without edits.
var Checks = []*rewrite.Transform{}

// All is the Suite followed by the Checks: everything `dockopt check` runs.
func All() []*rewrite.Transform {
	return append(append([]*rewrite.Transform(nil), Suite...), Checks...)
}
