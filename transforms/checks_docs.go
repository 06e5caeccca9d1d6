package transforms

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/dockopt/dockopt/rewrite"
)

// checksIntro opens README.md's generated checks section.
const checksIntro = "### `dockopt check`: fixes as findings, and checks that need a human\n\n" +
	"`dockopt check PATH...` changes nothing. It lists what every transform would fix (the fixes of opt-in " +
	"transforms as info) and what the report-only checks below find, one finding a line: " +
	"`path:line: severity: message [id, hadolint codes, BuildKit rule]`. It exits 1 when a finding is at " +
	"`--fail-level` (error, warning or info; default warning) or above. `--format json` and `--format sarif` " +
	"carry the same findings.\n\n" +
	"Findings are turned off like fixes (`# dockopt:ignore[=ID]` on the line before the instruction), and by " +
	"the comments of the linters whose rules they match: `# hadolint ignore=DL3008,...` before the " +
	"instruction, and BuildKit's `# check=skip=Rule` directive at the top of the file (or as a comment right " +
	"before the instruction).\n\n"

// CodesTable is every transform and check with its kind, the severity of
// its findings in `dockopt check`, and the equivalent hadolint codes and
// BuildKit rule (what the suppression comments above match).
func CodesTable() string {
	var sb strings.Builder
	sb.WriteString("| dockopt ID | kind (fix/check) | severity | hadolint | BuildKit rule |\n|---|---|---|---|---|\n")
	checks := map[*rewrite.Transform]bool{}
	for _, t := range Checks {
		checks[t] = true
	}
	for _, t := range append(append([]*rewrite.Transform(nil), Suite...), Checks...) {
		kind, sev := "fix", "warning"
		switch {
		case checks[t]:
			kind, sev = "check", checkSeverity[t.ID]
		case !t.Default:
			kind, sev = "fix (opt-in)", "info"
		}
		var codes []string
		for _, c := range t.Hadolint {
			codes = append(codes, fmt.Sprintf("[%s](https://github.com/hadolint/hadolint/wiki/%s)", c, c))
		}
		rule := "—"
		if t.BuildKitRule != "" {
			rule = fmt.Sprintf("[%s](https://docs.docker.com/go/dockerfile/rule/%s/)", t.BuildKitRule, kebab(t.BuildKitRule))
		}
		hadolint := strings.Join(codes, ", ")
		if hadolint == "" {
			hadolint = "—"
		}
		fmt.Fprintf(&sb, "| `%s` | %s | %s | %s | %s |\n", t.ID, kind, sev, hadolint, rule)
	}
	return sb.String()
}

// ChecksTable describes the report-only checks, as ReadmeTable does the Suite.
func ChecksTable() string {
	var sb strings.Builder
	sb.WriteString("| check | severity | what it reports | why |\n|---|---|---|---|\n")
	for _, t := range Checks {
		why := strings.ReplaceAll(strings.TrimSpace(t.Rationale), "\n", " ")
		fmt.Fprintf(&sb, "| `%s` | %s | %s | %s |\n", t.ID, checkSeverity[t.ID],
			strings.ReplaceAll(t.Summary, "|", `\|`), strings.ReplaceAll(why, "|", `\|`))
	}
	return sb.String()
}

// ChecksSection is what README.md holds between its checks markers.
func ChecksSection() string {
	return "\n" + checksIntro + ChecksTable() + "\nEvery transform and check, with the rules of other linters it matches:\n\n" + CodesTable() + "\n"
}

// kebab turns a BuildKit rule name into its documentation slug
// (JSONArgsRecommended -> json-args-recommended).
func kebab(name string) string {
	r := []rune(name)
	var sb strings.Builder
	for i, c := range r {
		if i > 0 && unicode.IsUpper(c) && (unicode.IsLower(r[i-1]) || i+1 < len(r) && unicode.IsLower(r[i+1])) {
			sb.WriteByte('-')
		}
		sb.WriteRune(unicode.ToLower(c))
	}
	return sb.String()
}
