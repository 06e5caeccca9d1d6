package verify

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/dockopt/dockopt/rewrite"
)

// ConfigFields are the parts of an image's runtime config that the result
// must keep, apart from the AllowedDifferences.
var ConfigFields = []string{"Env", "Cmd", "Entrypoint", "WorkingDir", "User", "ExposedPorts",
	"Volumes", "Labels", "StopSignal", "Healthcheck", "Shell", "OnBuild"}

// AllowedDifferences documents every config difference verification
// accepts; everything else in ConfigFields must be equal (absent, null,
// empty list and empty map count as equal: Docker writes each of them for
// "not set").
var AllowedDifferences = []string{
	"Cmd and Entrypoint: shell form [\"/bin/sh\", \"-c\", S] may become the exec form whose words are S's " +
		"words, when S is a command of literal words (exec-form); the smoke command, if any, checks behaviour",
	"Healthcheck.Test: [\"CMD-SHELL\", S] may become [\"CMD\", S's words] under the same condition",
	"Labels: org.opencontainers.image.authors may appear with the value of the original's MAINTAINER " +
		"(the image's Author)",
	"Labels: dockopt.verify* are verification's own labels and are ignored",
	"User: \"\", \"0\", \"0:0\", \"root\" and \"root:root\" are all root",
	"Env: when the result's final stage has another base image than the original's (multi-stage, " +
		"slim-base), entries that new base image sets may be added; none may change or go",
	"Shell and OnBuild must be equal too",
}

// authorsLabel is the OCI label that replaces MAINTAINER.
const authorsLabel = "org.opencontainers.image.authors"

// CompareConfig lists how after's runtime config differs from before's
// beyond the AllowedDifferences, one line per field; empty when they match.
// newBaseEnv, when the result's final stage has another base image, is
// that image's Env.
func CompareConfig(before, after *Image, newBaseEnv []string) []string {
	var diffs []string
	for _, f := range ConfigFields {
		a, b := NormalizeConfigField(before.Config[f]), NormalizeConfigField(after.Config[f])
		switch f {
		case "User":
			a, b = rootUser(a), rootUser(b)
		case "Env":
			b = withoutBaseAdditions(a, b, newBaseEnv)
		case "Labels":
			a, b = labels(a, b, before.Author)
		case "Cmd", "Entrypoint":
			if shellToExec(a, b) {
				continue
			}
		case "Healthcheck":
			if healthcheckToExec(a, b) {
				continue
			}
		}
		if !reflect.DeepEqual(a, b) {
			diffs = append(diffs, fmt.Sprintf("Config.%s differs: %s (original) vs %s (result)",
				f, show(before.Config[f]), show(after.Config[f])))
		}
	}
	return diffs
}

func show(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "null"
	}
	return string(raw)
}

// NormalizeConfigField decodes an image config field so that every way Docker
// writes "not set" (absent, null, empty list, object or string) is nil. The
// e2e harness compares configs with it too.
func NormalizeConfigField(raw json.RawMessage) any {
	var v any
	if len(raw) == 0 || json.Unmarshal(raw, &v) != nil {
		return nil
	}
	switch x := v.(type) {
	case []any:
		if len(x) == 0 {
			return nil
		}
	case map[string]any:
		if len(x) == 0 {
			return nil
		}
	case string:
		if x == "" {
			return nil
		}
	}
	return v
}

// labels drops verification's own labels from both sides and, from the
// result, an authors label that carries the original's MAINTAINER where the
// original had none.
func labels(before, after any, author string) (any, any) {
	a, b := ownLabels(before), ownLabels(after)
	am, _ := a.(map[string]any)
	if bm, ok := b.(map[string]any); ok && author != "" && bm[authorsLabel] == author {
		if _, had := am[authorsLabel]; !had {
			delete(bm, authorsLabel)
			if len(bm) == 0 {
				b = nil
			}
		}
	}
	return a, b
}

func ownLabels(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := map[string]any{}
	for k, x := range m {
		if !strings.HasPrefix(k, LabelKey) {
			out[k] = x
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// shellToExec reports whether before is ["/bin/sh", "-c", S] and after is
// the exec form of S: S's literal words.
func shellToExec(before, after any) bool {
	a, ok1 := stringList(before)
	b, ok2 := stringList(after)
	if !ok1 || !ok2 || len(a) != 3 || a[0] != "/bin/sh" || a[1] != "-c" {
		return false
	}
	return execOf(a[2], b)
}

// healthcheckToExec is shellToExec for a HEALTHCHECK's Test; its other
// fields must be equal.
func healthcheckToExec(before, after any) bool {
	a, ok1 := before.(map[string]any)
	b, ok2 := after.(map[string]any)
	if !ok1 || !ok2 || len(a) != len(b) {
		return false
	}
	for k := range a {
		if k != "Test" && !reflect.DeepEqual(a[k], b[k]) {
			return false
		}
	}
	ta, ok1 := stringList(a["Test"])
	tb, ok2 := stringList(b["Test"])
	if !ok1 || !ok2 || len(ta) != 2 || ta[0] != "CMD-SHELL" || len(tb) < 2 || tb[0] != "CMD" {
		return false
	}
	return execOf(ta[1], tb[1:])
}

// execOf reports whether argv is the words of the shell command s, which
// must not glob, expand or redirect anything.
func execOf(s string, argv []string) bool {
	if strings.ContainsAny(s, "*?[~") {
		return false
	}
	words, err := rewrite.SmokeWords(s)
	return err == nil && len(words) > 0 && reflect.DeepEqual(words, argv)
}

func stringList(v any) ([]string, bool) {
	xs, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make([]string, len(xs))
	for i, x := range xs {
		s, ok := x.(string)
		if !ok {
			return nil, false
		}
		out[i] = s
	}
	return out, true
}

// rootUser spells every way of naming root as nil (not set).
func rootUser(v any) any {
	switch v {
	case "0", "0:0", "root", "root:root":
		return nil
	}
	return v
}

// withoutBaseAdditions drops from the result's Env the entries that its new
// base image sets and the original lacks, when every original entry is
// still there, in order.
func withoutBaseAdditions(before, after any, baseEnv []string) any {
	if baseEnv == nil {
		return after
	}
	a, _ := stringList(before)
	b, ok := stringList(after)
	if !ok {
		return after
	}
	had := map[string]bool{}
	for _, e := range a {
		had[e] = true
	}
	fromBase := map[string]bool{}
	for _, e := range baseEnv {
		fromBase[e] = true
	}
	var out []any
	for _, e := range b {
		if fromBase[e] && !had[e] {
			continue
		}
		out = append(out, e)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
