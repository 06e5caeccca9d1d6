package e2e

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// configFields are the parts of an image's runtime config that a fix must
// not change (unless a case allows it with config_may_change=).
var configFields = []string{"Env", "Cmd", "Entrypoint", "WorkingDir", "User", "ExposedPorts",
	"Labels", "Healthcheck", "Volumes", "StopSignal", "Shell", "OnBuild"}

// caseSpec is what a case directory asks for, read from its optional
// `flags` and `expect` files.
type caseSpec struct {
	flags           []string        // extra `dockopt fix` arguments
	mustChange      string          // "true" (default): the fix must change the Dockerfile; "false": leave it byte-identical; "any"
	maxSizeRatio    float64         // after/before size must be <= this; 0: no bound
	run             []string        // argv for `docker run` instead of the image's CMD
	needs           []string        // transform IDs that must be in the Suite, or the case is skipped
	configMayChange map[string]bool // config fields the fix may change on purpose (exec form)
	originalFails   bool            // the original must fail to build; the fixed one must build and print wantStdout
	wantStdout      *string         // from want.stdout: what the image must print
}

// readSpec reads a case's optional `flags` and `expect` files.
func readSpec(dir string) (caseSpec, error) {
	spec := caseSpec{mustChange: "true", configMayChange: map[string]bool{}}
	if b, err := os.ReadFile(filepath.Join(dir, "flags")); err == nil {
		f, err := fields(strings.TrimSpace(string(b)))
		if err != nil {
			return spec, fmt.Errorf("flags: %v", err)
		}
		spec.flags = f
		spec.needs = append(spec.needs, flagIDs(f)...)
	} else if !errors.Is(err, os.ErrNotExist) {
		return spec, err
	}
	if _, err := os.Stat(filepath.Join(dir, "Dockerfile")); err != nil {
		return spec, err
	}
	if b, err := os.ReadFile(filepath.Join(dir, "want.stdout")); err == nil {
		want := string(b)
		spec.wantStdout = &want
	} else if !errors.Is(err, os.ErrNotExist) {
		return spec, err
	}
	b, err := os.ReadFile(filepath.Join(dir, "expect"))
	if errors.Is(err, os.ErrNotExist) {
		spec.needs = dedupe(spec.needs)
		return spec, nil
	} else if err != nil {
		return spec, err
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, val, ok := strings.Cut(line, "=")
		if !ok {
			return spec, fmt.Errorf("expect:%d: want key=value, got %q", n, line)
		}
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		switch key {
		case "must_change":
			if val != "true" && val != "false" && val != "any" {
				err = fmt.Errorf("want true, false or any, got %q", val)
			}
			spec.mustChange = val
		case "max_size_ratio":
			spec.maxSizeRatio, err = strconv.ParseFloat(val, 64)
			if err == nil && spec.maxSizeRatio <= 0 {
				err = fmt.Errorf("must be > 0")
			}
		case "run":
			spec.run, err = fields(val)
		case "original_fails":
			spec.originalFails, err = strconv.ParseBool(val)
		case "needs":
			spec.needs = append(spec.needs, splitList(val)...)
		case "config_may_change":
			for _, f := range splitList(val) {
				if !contains(configFields, f) {
					return spec, fmt.Errorf("expect:%d: config_may_change: unknown field %q (one of %s)", n, f, strings.Join(configFields, ", "))
				}
				spec.configMayChange[f] = true
			}
		default:
			return spec, fmt.Errorf("expect:%d: unknown key %q", n, key)
		}
		if err != nil {
			return spec, fmt.Errorf("expect:%d: %s: %v", n, key, err)
		}
	}
	spec.needs = dedupe(spec.needs)
	if spec.originalFails && (spec.wantStdout == nil || spec.mustChange != "true") {
		return spec, fmt.Errorf("original_fails=true needs a want.stdout file and must_change=true")
	}
	return spec, sc.Err()
}

// fields splits s into words like a shell would: blanks separate words,
// '...' is literal, "..." and backslash quote. It refuses $ and backquotes
// outside single quotes: nothing from the host may be expanded into a case.
func fields(s string) ([]string, error) {
	var words []string
	var word strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			if inWord {
				words, inWord = append(words, word.String()), false
				word.Reset()
			}
			continue
		case c == '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return nil, fmt.Errorf("%q: unterminated '", s)
			}
			word.WriteString(s[i+1 : i+1+end])
			i += end + 1
		case c == '"':
			for i++; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte(`"\$`+"`", s[i+1]) >= 0 {
					i++
				} else if s[i] == '$' || s[i] == '`' {
					return nil, fmt.Errorf("%q: $ or ` in double quotes; single-quote it", s)
				}
				if i < len(s) {
					word.WriteByte(s[i])
				}
			}
			if i >= len(s) {
				return nil, fmt.Errorf("%q: unterminated \"", s)
			}
		case c == '\\' && i+1 < len(s):
			i++
			word.WriteByte(s[i])
		case c == '$' || c == '`':
			return nil, fmt.Errorf("%q: unquoted $ or `; single-quote it", s)
		default:
			word.WriteByte(c)
		}
		inWord = true
	}
	if inWord {
		words = append(words, word.String())
	}
	return words, nil
}

// flagIDs are the transform IDs named by --only, --skip and --enable: an
// unknown one would make `dockopt fix` fail, so they are needs too.
func flagIDs(flags []string) []string {
	var ids []string
	for i, f := range flags {
		name, val, hasVal := strings.Cut(f, "=")
		switch name {
		case "--only", "--skip", "--enable":
		default:
			continue
		}
		if !hasVal && i+1 < len(flags) {
			val = flags[i+1]
		}
		ids = append(ids, splitList(val)...)
	}
	return ids
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func dedupe(ids []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
