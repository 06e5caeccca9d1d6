package rewrite

import (
	"fmt"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// SmokeWords splits a smoke command into the arguments of `docker run IMAGE`,
// the way a shell would split a command line of literal words: quotes and
// backslashes are removed, nothing is expanded or globbed. An empty command
// has no words: the image's own CMD and ENTRYPOINT run. Anything a shell
// would compute ($VAR, $(…), pipes, redirections, ;) is an error: run a
// shell in the container for that (sh -c '…').
func SmokeWords(cmd string) ([]string, error) {
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
		lit, ok := WordLit(w)
		if !ok {
			return nil, bad
		}
		out = append(out, lit)
	}
	return out, nil
}
