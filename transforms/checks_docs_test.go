package transforms

import (
	"os"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/linter"
)

const (
	checksBegin = "<!-- checks:begin -->"
	checksEnd   = "<!-- checks:end -->"
)

// TestReadmeChecks fails when README.md between the checks markers is not
// ChecksSection(); `go test ./transforms -update-readme` rewrites it.
func TestReadmeChecks(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i, j := strings.Index(s, checksBegin), strings.Index(s, checksEnd)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the markers %q ... %q", checksBegin, checksEnd)
	}
	want := checksBegin + ChecksSection() + checksEnd
	if s[i:j+len(checksEnd)] == want {
		return
	}
	if *updateReadme {
		if err := os.WriteFile("../README.md", []byte(s[:i]+want+s[j+len(checksEnd):]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's checks section is stale: run `go test ./transforms -update-readme`")
}

func TestCodesTable(t *testing.T) {
	table := CodesTable()
	for _, row := range []string{
		"| `pin-base-image` | check | warning | [DL3006](https://github.com/hadolint/hadolint/wiki/DL3006), [DL3007](https://github.com/hadolint/hadolint/wiki/DL3007) | — |\n",
		"| `no-secrets-in-env` | check | error | [DL3064](https://github.com/hadolint/hadolint/wiki/DL3064) | [SecretsUsedInArgOrEnv](https://docs.docker.com/go/dockerfile/rule/secrets-used-in-arg-or-env/) |\n",
		"| `apt-no-install-recommends` | fix | warning | [DL3015](https://github.com/hadolint/hadolint/wiki/DL3015) | — |\n",
		"| `exec-form` | fix | warning | [DL3025](https://github.com/hadolint/hadolint/wiki/DL3025) | [JSONArgsRecommended](https://docs.docker.com/go/dockerfile/rule/json-args-recommended/) |\n",
	} {
		if !strings.Contains(table, row) {
			t.Errorf("codes table lacks the row\n%s", row)
		}
	}
	if n := strings.Count(table, "\n"); n != len(All())+2 {
		t.Errorf("codes table has %d lines for %d transforms", n, len(All()))
	}
	for in, want := range map[string]string{
		"JSONArgsRecommended":   "json-args-recommended",
		"SecretsUsedInArgOrEnv": "secrets-used-in-arg-or-env",
		"FromAsCasing":          "from-as-casing",
		"UndefinedVar":          "undefined-var",
	} {
		if got := kebab(in); got != want {
			t.Errorf("kebab(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestBuildKitRules: every BuildKitRule names a rule of BuildKit's linter.
func TestBuildKitRules(t *testing.T) {
	known := map[string]bool{}
	for _, n := range []string{
		linter.RuleStageNameCasing.Name, linter.RuleFromAsCasing.Name, linter.RuleNoEmptyContinuation.Name,
		linter.RuleConsistentInstructionCasing.Name, linter.RuleDuplicateStageName.Name, linter.RuleReservedStageName.Name,
		linter.RuleJSONArgsRecommended.Name, linter.RuleMaintainerDeprecated.Name, linter.RuleUndefinedArgInFrom.Name,
		linter.RuleWorkdirRelativePath.Name, linter.RuleUndefinedVar.Name, linter.RuleMultipleInstructionsDisallowed.Name,
		linter.RuleLegacyKeyValueFormat.Name, linter.RuleInvalidBaseImagePlatform.Name, linter.RuleRedundantTargetPlatform.Name,
		linter.RuleSecretsUsedInArgOrEnv.Name, linter.RuleInvalidDefaultArgInFrom.Name, linter.RuleFromPlatformFlagConstDisallowed.Name,
		linter.RuleCopyIgnoredFile.Name, linter.RuleInvalidDefinitionDescription.Name, linter.RuleExposeProtoCasing.Name,
		linter.RuleExposeInvalidFormat.Name,
	} {
		known[n] = true
	}
	for _, tr := range All() {
		if tr.BuildKitRule != "" && !known[tr.BuildKitRule] {
			t.Errorf("%s: BuildKitRule %q is not a rule of BuildKit's linter", tr.ID, tr.BuildKitRule)
		}
	}
}
