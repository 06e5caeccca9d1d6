package verify

import (
	"bytes"
	"regexp"
)

// reSmoke is a `# dockopt:verify CMD` comment line.
var reSmoke = regexp.MustCompile(`^#\s*dockopt:verify(?:\s+(.*?))?\s*$`)

// SmokeComments returns the commands of the `# dockopt:verify CMD` comment
// lines of a Dockerfile, in order. A comment with no command asks for the
// image's own command ("").
func SmokeComments(src []byte) []string {
	var out []string
	for i, line := range bytes.Split(src, []byte("\n")) {
		if i == 0 {
			line = bytes.TrimPrefix(line, []byte("\ufeff"))
		}
		if m := reSmoke.FindSubmatch(bytes.TrimSpace(line)); m != nil {
			out = append(out, string(m[1]))
		}
	}
	return out
}
