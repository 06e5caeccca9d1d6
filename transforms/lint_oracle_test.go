package transforms

// The lint oracle: BuildKit's own linter (dockerfile2llb.DockerfileLint, what
// `docker build --check` runs) judges the check-* transforms. It lints the
// golden cases of those transforms and the golden corpus before and after the
// default pipeline, and fails when a warning of a rule a transform fixes is
// left where the transform claims to fix it, or when any rule warns more
// after dockopt than before.
//
// DockerfileLint runs BuildKit's whole conversion (instructions, stage
// graph, dispatch) with linting on. It needs no daemon: base images are
// resolved through ConvertOpt.MetaResolver, here a stub that answers every
// image with an empty config for the default platform, and no build context
// is given (the CopyIgnoredFile rule, which needs one, stays silent).

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/dockopt/dockopt/rewrite"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	digest "github.com/opencontainers/go-digest"
)

// lintFixRules maps each BuildKit rule a transform fixes to that transform.
var lintFixRules = map[string]string{
	"MaintainerDeprecated":           "maintainer-to-label",
	"LegacyKeyValueFormat":           "legacy-key-value",
	"ConsistentInstructionCasing":    "instruction-casing",
	"FromAsCasing":                   "from-as-casing",
	"NoEmptyContinuation":            "no-empty-continuation",
	"MultipleInstructionsDisallowed": "dead-instructions",
	"RedundantTargetPlatform":        "redundant-target-platform",
	"ExposeProtoCasing":              "expose-proto-casing",
	"StageNameCasing":                "stage-name-casing",
}

// lintFixIDs are the transforms this oracle covers (add-to-copy answers no
// BuildKit rule; it must only add no warning).
var lintFixIDs = []string{
	"add-to-copy", "maintainer-to-label", "legacy-key-value", "dead-instructions",
	"redundant-target-platform", "no-empty-continuation", "expose-proto-casing",
	"instruction-casing", "from-as-casing", "stage-name-casing",
}

// goldenRemaining lists golden cases with a .golden output where a warning of
// the transform's own rule rightly stays, and why.
var goldenRemaining = map[string]string{}

// corpusRemaining lists corpus files where the default pipeline rightly
// leaves a warning of a rule a transform fixes: rule -> file -> why.
var corpusRemaining = map[string]map[string]string{}

// offlineResolver answers every image with an empty config for the default
// platform, so that linting needs no registry.
type offlineResolver struct{}

func (offlineResolver) ResolveImageConfig(_ context.Context, ref string, _ sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	cfg, err := json.Marshal(map[string]any{"os": runtime.GOOS, "architecture": runtime.GOARCH, "rootfs": map[string]any{"type": "layers"}})
	return ref, "", cfg, err
}

// buildkitLintResult is what BuildKit's linter says about one Dockerfile.
type buildkitLintResult struct {
	counts   map[string]int // rule -> warnings
	messages []string
	err      string // a build error that stopped the linter, if any
}

func buildkitLint(t *testing.T, src []byte) buildkitLintResult {
	t.Helper()
	res, err := dockerfile2llb.DockerfileLint(context.Background(), src, dockerfile2llb.ConvertOpt{
		MetaResolver: offlineResolver{},
		SourceMap:    &llb.SourceMap{Filename: "Dockerfile", Data: src, Definition: &llb.Definition{}},
	})
	if err != nil {
		t.Fatalf("DockerfileLint: %v", err)
	}
	out := buildkitLintResult{counts: map[string]int{}}
	for _, w := range res.Warnings {
		out.counts[w.RuleName]++
		line := 0
		if len(w.Location.Ranges) > 0 {
			line = int(w.Location.Ranges[0].Start.Line)
		}
		out.messages = append(out.messages, fmt.Sprintf("%d: %s: %s", line, w.RuleName, w.Detail))
	}
	if res.Error != nil {
		out.err = res.Error.Message
	}
	return out
}

// TestLintOracleSees makes sure the oracle can fail: BuildKit must report
// each rule on a file written to break it.
func TestLintOracleSees(t *testing.T) {
	src := "from alpine AS Foo\nMAINTAINER me\nENV a b\nEXPOSE 80/TCP\nCMD [\"a\"]\nCMD [\"b\"]\nRUN a \\\n\n  b\n" +
		"FROM --platform=$TARGETPLATFORM alpine\n"
	got := buildkitLint(t, []byte(src))
	for rule := range lintFixRules {
		if got.counts[rule] == 0 {
			t.Errorf("BuildKit's linter did not report %s on a file that breaks it; it said:\n%s", rule, strings.Join(got.messages, "\n"))
		}
	}
}

// TestLintOracleGolden lints every golden case of the check-* transforms:
// the output may hold no warning the input did not, a changed case must have
// shown BuildKit's warning of its rule before and must show none after.
func TestLintOracleGolden(t *testing.T) {
	ruleOf := map[string]string{}
	for rule, id := range lintFixRules {
		ruleOf[id] = rule
	}
	for _, id := range lintFixIDs {
		cases, _ := filepath.Glob(filepath.Join("..", "golden", "testdata", id, "*.Dockerfile"))
		if len(cases) == 0 {
			t.Errorf("%s: no golden cases", id)
		}
		for _, c := range cases {
			name := id + "/" + strings.TrimSuffix(filepath.Base(c), ".Dockerfile")
			t.Run(name, func(t *testing.T) {
				in, err := os.ReadFile(c)
				if err != nil {
					t.Fatal(err)
				}
				out, err := os.ReadFile(c + ".golden")
				changed := err == nil
				if !changed {
					out = in
				}
				before, after := buildkitLint(t, in), buildkitLint(t, out)
				if before.err != after.err {
					t.Errorf("build error changed: %q -> %q", before.err, after.err)
				}
				for rule, n := range after.counts {
					if n > before.counts[rule] {
						t.Errorf("%s: %d warning(s) after, %d before:\n%s", rule, n, before.counts[rule], strings.Join(after.messages, "\n"))
					}
				}
				rule := ruleOf[id]
				if !changed || rule == "" {
					return
				}
				if before.counts[rule] == 0 {
					t.Errorf("BuildKit reports no %s in the input of a changed case", rule)
				}
				if why, ok := goldenRemaining[name]; after.counts[rule] > 0 && !ok {
					t.Errorf("%s still reported after %s:\n%s", rule, id, strings.Join(after.messages, "\n"))
				} else if ok && after.counts[rule] == 0 {
					t.Errorf("goldenRemaining[%q] (%s) is stale: no %s left", name, why, rule)
				}
			})
		}
	}
}

// TestLintOracleCorpus lints the golden corpus before and after the default
// pipeline (and with stage-name-casing enabled): no rule may warn more after,
// and the rules the check-* transforms fix must be gone unless
// corpusRemaining says why not. It logs the counts.
func TestLintOracleCorpus(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "golden", "corpus", "*.Dockerfile"))
	sort.Strings(files)
	if len(files) == 0 {
		t.Fatal("no corpus")
	}
	suite, err := rewrite.Select(Suite, nil, nil, []string{"stage-name-casing"})
	if err != nil {
		t.Fatal(err)
	}
	totalBefore, totalAfter := map[string]int{}, map[string]int{}
	for _, f := range files {
		base := filepath.Base(f)
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		res, err := rewrite.Fix(f, src, suite, &rewrite.Settings{})
		if err != nil {
			continue // the corpus test covers inputs BuildKit rejects
		}
		before, after := buildkitLint(t, src), buildkitLint(t, res.Output)
		if before.err != after.err {
			t.Errorf("%s: build error changed: %q -> %q", base, before.err, after.err)
		}
		for rule, n := range before.counts {
			totalBefore[rule] += n
		}
		for rule, n := range after.counts {
			totalAfter[rule] += n
			if n > before.counts[rule] {
				t.Errorf("%s: %s: %d warning(s) after dockopt, %d before:\n%s", base, rule, n, before.counts[rule], strings.Join(after.messages, "\n"))
			}
			if _, ours := lintFixRules[rule]; ours && n > 0 {
				if _, ok := corpusRemaining[rule][base]; !ok {
					t.Errorf("%s: %s still reported after dockopt:\n%s", base, rule, strings.Join(after.messages, "\n"))
				}
			}
		}
	}
	for rule, m := range corpusRemaining {
		for base, why := range m {
			found := false
			for _, f := range files {
				found = found || filepath.Base(f) == base
			}
			if !found {
				t.Errorf("corpusRemaining[%s][%s] (%s): no such corpus file", rule, base, why)
			}
		}
	}
	var rules []string
	for r := range totalBefore {
		rules = append(rules, r)
	}
	for r := range totalAfter {
		if _, ok := totalBefore[r]; !ok {
			rules = append(rules, r)
		}
	}
	sort.Strings(rules)
	for _, r := range rules {
		t.Logf("%-32s before %4d  after %4d", r, totalBefore[r], totalAfter[r])
	}
}
