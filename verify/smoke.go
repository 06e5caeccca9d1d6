package verify

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/dockopt/dockopt/rewrite"
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

// Words splits a smoke command into the arguments of `docker run IMAGE`,
// the way a shell would split a command line of literal words: quotes and
// backslashes are removed, nothing is expanded or globbed. An empty command
// has no words: the image's own CMD and ENTRYPOINT run. Anything a shell
// would compute ($VAR, $(…), pipes, redirections, ;) is an error: run a
// shell in the container for that (sh -c '…').
func Words(cmd string) ([]string, error) {
	if strings.TrimSpace(cmd) == "" {
		return nil, nil
	}
	f, err := syntax.NewParser().Parse(strings.NewReader(cmd), "")
	if err != nil {
		return nil, fmt.Errorf("smoke command %q: %v", cmd, err)
	}
	bad := fmt.Errorf("smoke command %q: only literal words are supported (the words are docker run's arguments; for a shell command line, run a shell: sh -c '…')", cmd)
	if len(f.Stmts) != 1 {
		return nil, bad
	}
	st := f.Stmts[0]
	call, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || len(st.Redirs) > 0 || st.Background || st.Coprocess || st.Negated || len(call.Assigns) > 0 {
		return nil, bad
	}
	var out []string
	for _, w := range call.Args {
		lit, ok := rewrite.WordLit(w)
		if !ok {
			return nil, bad
		}
		out = append(out, lit)
	}
	return out, nil
}
