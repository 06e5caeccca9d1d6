package rewrite

import (
	"strings"
	"testing"
)

func TestSuppressionComments(t *testing.T) {
	tr := &Transform{ID: "append-all", Run: appendAll.Run, Hadolint: []string{"DL9999"}, BuildKitRule: "AppendRule"}
	cases := []struct {
		name, in   string
		changed    bool
		suppressed string // a word of the suppression message, or ""
	}{
		{"none", "FROM a\nRUN foo\n", true, ""},
		{"dockopt ignore all", "FROM a\n# dockopt:ignore\nRUN foo\n", false, "dockopt:ignore"},
		{"dockopt ignore this id", "FROM a\n# dockopt:ignore=other, append-all\nRUN foo\n", false, "dockopt:ignore"},
		{"dockopt ignore other id", "FROM a\n# dockopt:ignore=other\nRUN foo\n", true, ""},
		{"ignore applies to the next instruction only", "FROM a\n# dockopt:ignore\nRUN foo\nRUN bar\n", true, "dockopt:ignore"},
		{"ignore must be right before", "FROM a\n# dockopt:ignore\n\nRUN foo\n", true, ""},
		{"ignore-file", "# dockopt:ignore-file\nFROM a\nRUN foo\n", false, ""},
		{"hadolint code", "FROM a\n# hadolint ignore=DL3008,DL9999\nRUN foo\n", false, "hadolint"},
		{"hadolint other code", "FROM a\n# hadolint ignore=DL3008\nRUN foo\n", true, ""},
		{"check skip", "# check=skip=AppendRule\nFROM a\nRUN foo\n", false, "check=skip"},
		{"check skip all", "# check=skip=all;error=true\nFROM a\nRUN foo\n", false, "check=skip"},
		{"check skip other", "# check=skip=OtherRule\nFROM a\nRUN foo\n", true, ""},
		{"check comment before an instruction", "FROM a\n# check=skip=AppendRule\nRUN foo\n", false, "check=skip"},
		{"check comment names another rule", "FROM a\n# check=skip=Other\nRUN foo\n", true, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := Fix("Dockerfile", []byte(c.in), []*Transform{tr}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if res.Changed() != c.changed {
				t.Errorf("changed = %v, want %v:\n%s", res.Changed(), c.changed, res.Output)
			}
			found := false
			for _, f := range res.Findings {
				if f.Suppressed {
					found = true
					if c.suppressed == "" || !strings.Contains(f.Message, c.suppressed) {
						t.Errorf("unexpected suppression: %+v", f)
					}
				}
			}
			if c.suppressed != "" && !found {
				t.Errorf("no finding marked suppressed by %s: %+v", c.suppressed, res.Findings)
			}
		})
	}
}

func TestMaxInstructions(t *testing.T) {
	src := []byte("FROM a\nRUN a\nRUN b\nRUN c\n")
	if _, err := Fix("Dockerfile", src, nil, &Settings{MaxInstructions: 3}); err == nil ||
		err.Error() != "Dockerfile: 4 instructions, over the limit of 3 (--max-instructions)" {
		t.Errorf("over the limit: %v", err)
	}
	for _, limit := range []int{4, -1} {
		if _, err := Fix("Dockerfile", src, nil, &Settings{MaxInstructions: limit}); err != nil {
			t.Errorf("limit %d: %v", limit, err)
		}
	}
}
