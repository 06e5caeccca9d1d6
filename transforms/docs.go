package transforms

import (
	"fmt"
	"sort"
	"strings"

	"github.com/dockopt/dockopt/rewrite"
)

// List is `dockopt list`: one transform per line, ID first.
func List() string {
	var sb strings.Builder
	for _, t := range append(append([]*rewrite.Transform(nil), Suite...), Checks...) {
		mode := "default"
		switch {
		case isCheck(t):
			mode = "check"
		case !t.Default:
			mode = "opt-in"
		}
		fmt.Fprintf(&sb, "%-28s %-8s %s\n", t.ID, mode, t.Summary)
	}
	return sb.String()
}

// Explain is `dockopt explain ID`.
func Explain(id string) (string, error) {
	t := rewrite.Lookup(All(), id)
	if t == nil {
		var ids []string
		for _, t := range All() {
			ids = append(ids, t.ID)
		}
		sort.Strings(ids)
		return "", fmt.Errorf("unknown transform %q (valid: %s)", id, strings.Join(ids, ", "))
	}
	mode := "on by default"
	switch {
	case isCheck(t):
		mode = "report-only check: dockopt check"
	case !t.Default:
		mode = "opt-in: --enable " + t.ID
	}
	return fmt.Sprintf("%s (%s)\n\n%s\n\n%s\n\nBefore:\n\n%s\nAfter:\n\n%s", t.ID, mode, t.Summary,
		t.Rationale, indent(t.Before), indent(t.After)), nil
}

func indent(s string) string {
	var sb strings.Builder
	for _, l := range strings.SplitAfter(strings.TrimRight(s, "\n")+"\n", "\n") {
		if l != "" {
			sb.WriteString("    " + l)
		}
	}
	return sb.String()
}

// ReadmeTable is the transforms table of README.md, generated from the Suite.
// A test fails when README.md holds a different one.
func ReadmeTable() string {
	var sb strings.Builder
	sb.WriteString("| ID | Mode | What it does | Why |\n|---|---|---|---|\n")
	for _, t := range Suite {
		mode := "default"
		if !t.Default {
			mode = "opt-in"
		}
		why := strings.ReplaceAll(strings.TrimSpace(t.Rationale), "\n", " ")
		why = strings.ReplaceAll(why, "|", `\|`)
		fmt.Fprintf(&sb, "| `%s` | %s | %s | %s |\n", t.ID, mode, strings.ReplaceAll(t.Summary, "|", `\|`), why)
	}
	return sb.String()
}

func isCheck(t *rewrite.Transform) bool {
	for _, c := range Checks {
		if c == t {
			return true
		}
	}
	return false
}
