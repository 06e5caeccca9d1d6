package transforms

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockopt/dockopt/rewrite"
)

func TestMergeRuns(t *testing.T) {
	cons := map[string]string{"merge-runs.mode": "conservative"}
	cases := []struct {
		name, in, want string // want "": must not change
		finding        string // a substring of some finding's message, when non-empty
		values         map[string]string
	}{
		// merged as a plain && chain
		{"spec example", "FROM a\nRUN apt-get update\nRUN apt-get install -y curl \\\n    git\n",
			"FROM a\nRUN apt-get update \\\n    && apt-get install -y curl \\\n    git\n", "merged 2 consecutive RUN", nil},
		{"three", "FROM a\nRUN a\nRUN b\nRUN c\n", "FROM a\nRUN a \\\n    && b \\\n    && c\n", "", nil},
		{"trailing && style", "FROM a\nRUN a && \\\n\tb\nRUN c\n", "FROM a\nRUN a && \\\n\tb && \\\n\tc\n", "", nil},
		{"style of a later RUN", "FROM a\nRUN a\nRUN b \\\n  && c\n", "FROM a\nRUN a \\\n  && b \\\n  && c\n", "", nil},
		{"no space before backslash", "FROM a\nRUN a &&\\\n  b\nRUN c\n", "FROM a\nRUN a &&\\\n  b &&\\\n  c\n", "", nil},
		{"or in first segment needs no group", "FROM a\nRUN b || c\nRUN a\n", "FROM a\nRUN b || c \\\n    && a\n", "", nil},
		{"negation", "FROM a\nRUN a\nRUN ! b\n", "FROM a\nRUN a \\\n    && ! b\n", "", nil},
		{"pipe", "FROM a\nRUN a | b\nRUN c | d\n", "FROM a\nRUN a | b \\\n    && c | d\n", "", nil},
		{"terminating semicolons", "FROM a\nRUN a;\nRUN b ;\n", "FROM a\nRUN a \\\n    && b ;\n", "", nil},
		{"trailing comment on the last RUN stays", "FROM a\nRUN a\nRUN b # note\n", "FROM a\nRUN a \\\n    && b # note\n", "", nil},
		{"same mounts", "FROM a\nRUN --mount=type=cache,target=/x a\nRUN --mount=type=cache,target=/x b\n",
			"FROM a\nRUN --mount=type=cache,target=/x a \\\n    && b\n", "", nil},
		{"prefix assignment is no state", "FROM a\nRUN X=1 make\nRUN b\n", "FROM a\nRUN X=1 make \\\n    && b\n", "", nil},
		{"cd in a command substitution", "FROM a\nRUN echo $(cd /x; pwd)\nRUN b\n", "FROM a\nRUN echo $(cd /x; pwd) \\\n    && b\n", "", nil},
		{"cd in a subshell", "FROM a\nRUN (cd /x && make)\nRUN b\n", "FROM a\nRUN (cd /x && make) \\\n    && b\n", "", nil},
		{"cd before a pipe", "FROM a\nRUN cd /x | cat\nRUN b\n", "FROM a\nRUN cd /x | cat \\\n    && b\n", "", nil},
		{"lowercase", "from a\nrun a\nrun b\n", "from a\nrun a \\\n    && b\n", "", nil},
		{"no final newline", "FROM a\nRUN a\nRUN b", "FROM a\nRUN a \\\n    && b", "", nil},
		{"crlf", "FROM a\r\nRUN a\r\n\r\nRUN b \\\r\n  c\r\n", "FROM a\r\nRUN a \\\r\n    && b \\\r\n  c\r\n", "", nil},
		{"backtick escape", "# escape=`\nFROM a\nRUN a\nRUN b `\n  c\n", "# escape=`\nFROM a\nRUN a `\n    && b `\n  c\n", "", nil},
		{"bash-only syntax under bash", "FROM a\nSHELL [\"/bin/bash\", \"-c\"]\nRUN a &> /dev/null\nRUN b\n",
			"FROM a\nSHELL [\"/bin/bash\", \"-c\"]\nRUN a &> /dev/null \\\n    && b\n", "", nil},
		{"errexit shell, flat lists", "FROM a\nSHELL [\"/bin/bash\", \"-eo\", \"pipefail\", \"-c\"]\nRUN a && b\nRUN c; d\n",
			"FROM a\nSHELL [\"/bin/bash\", \"-eo\", \"pipefail\", \"-c\"]\nRUN a && b \\\n    && { c; d; }\n", "", nil},

		// comment and blank lines
		{"comment and blank lines between", "FROM a\nRUN a\n\n# why b\n\n  # indented\nRUN b\n",
			"FROM a\nRUN a \\\n# why b\n  # indented\n    && b\n", "", nil},
		{"comment inside the next RUN", "FROM a\nRUN a\nRUN \\\n  # c\n  b\n", "FROM a\nRUN a \\\n  # c\n    && b\n", "", nil},
		{"comment inside the first RUN", "FROM a\nRUN a \\\n# c\n    && b\nRUN c\n", "FROM a\nRUN a \\\n# c\n    && b \\\n    && c\n", "", nil},

		// grouped
		{"list later", "FROM a\nRUN a\nRUN b; c\n", "FROM a\nRUN a \\\n    && { b; c; }\n", "", nil},
		{"list first", "FROM a\nRUN a; b\nRUN c\n", "FROM a\nRUN { a; b; } \\\n    && c\n", "", nil},
		{"list with semicolon", "FROM a\nRUN a\nRUN b; c;\n", "FROM a\nRUN a \\\n    && { b; c; };\n", "", nil},
		{"or later", "FROM a\nRUN a\nRUN b || c\n", "FROM a\nRUN a \\\n    && { b || c; }\n", "", nil},
		{"or inside and later", "FROM a\nRUN a\nRUN b && c || d && e\n", "FROM a\nRUN a \\\n    && { b && c || d && e; }\n", "", nil},
		{"grouped across a continuation", "FROM a\nRUN a\nRUN b; \\\n  c\n", "FROM a\nRUN a \\\n    && { b; \\\n  c; }\n", "", nil},

		// isolated
		{"cd", "FROM a\nRUN cd /x && make\nRUN make install\n", "FROM a\nRUN ( cd /x && make ) \\\n    && make install\n", "", nil},
		{"cd last is not isolated", "FROM a\nRUN a\nRUN cd /x && b\n", "FROM a\nRUN a \\\n    && cd /x && b\n", "", nil},
		{"export", "FROM a\nRUN export A=1\nRUN echo $A\n", "FROM a\nRUN ( export A=1 ) \\\n    && echo $A\n", "", nil},
		{"assignment", "FROM a\nRUN A=1\nRUN echo $A\n", "FROM a\nRUN ( A=1 ) \\\n    && echo $A\n", "", nil},
		{"set -e alone", "FROM a\nRUN set -e\nRUN false; echo x\n", "FROM a\nRUN ( set -e ) \\\n    && { false; echo x; }\n", "", nil},
		{"set -e last", "FROM a\nRUN a\nRUN set -e; b; c\n", "FROM a\nRUN a \\\n    && { set -e; b; c; }\n", "", nil},
		{"umask", "FROM a\nRUN umask 077\nRUN touch f\n", "FROM a\nRUN ( umask 077 ) \\\n    && touch f\n", "", nil},
		{"isolated list", "FROM a\nRUN cd /x; make\nRUN b\n", "FROM a\nRUN ( cd /x; make ) \\\n    && b\n", "", nil},
		{"cd in if", "FROM a\nRUN if true; then cd /x; fi\nRUN b\n", "FROM a\nRUN ( if true; then cd /x; fi ) \\\n    && b\n", "", nil},
		{"for variable", "FROM a\nRUN for i in 1 2; do echo $i; done\nRUN b\n", "FROM a\nRUN ( for i in 1 2; do echo $i; done ) \\\n    && b\n", "", nil},
		{"assigning expansion", "FROM a\nRUN echo ${X:=1}\nRUN b\n", "FROM a\nRUN ( echo ${X:=1} ) \\\n    && b\n", "", nil},
		{"arithmetic assignment", "FROM a\nRUN echo $((i+=1))\nRUN b\n", "FROM a\nRUN ( echo $((i+=1)) ) \\\n    && b\n", "", nil},
		{"function", "FROM a\nRUN f() { echo; }\nRUN b\n", "FROM a\nRUN ( f() { echo; } ) \\\n    && b\n", "", nil},
		{"exit", "FROM a\nRUN exit 0\nRUN b\n", "FROM a\nRUN ( exit 0 ) \\\n    && b\n", "", nil},
		{"command cd", "FROM a\nRUN command cd /x\nRUN b\n", "FROM a\nRUN ( command cd /x ) \\\n    && b\n", "", nil},
		{"computed command name", "FROM a\nRUN $CMD x\nRUN b\n", "FROM a\nRUN ( $CMD x ) \\\n    && b\n", "", nil},
		{"source", "FROM a\nRUN . /etc/os-release && echo $ID\nRUN b\n", "FROM a\nRUN ( . /etc/os-release && echo $ID ) \\\n    && b\n", "", nil},
		{"upgrade of a command run again", "FROM a\nRUN pip install --upgrade pip\nRUN pip install x\n",
			"FROM a\nRUN ( pip install --upgrade pip ) \\\n    && pip install x\n", "", nil},
		{"command linked into PATH", "FROM a\nRUN node -v\nRUN ln -s /opt/node/bin/node /usr/local/bin/node\nRUN node app.js\n",
			"FROM a\nRUN ( node -v ) \\\n    && ln -s /opt/node/bin/node /usr/local/bin/node \\\n    && node app.js\n", "", nil},
		{"command run again in a subshell of its RUN", "FROM a\nRUN (pip install -U pip)\nRUN pip install x\n",
			"FROM a\nRUN (pip install -U pip) \\\n    && pip install x\n", "", nil},
		{"isolated middle", "FROM a\nRUN a\nRUN cd /x\nRUN b\n", "FROM a\nRUN a \\\n    && ( cd /x ) \\\n    && b\n", "", nil},
		{"isolated with a comment line before the next", "FROM a\nRUN cd /x; \\\n# c\n  make\nRUN b\n",
			"FROM a\nRUN ( cd /x; \\\n# c\n  make ) \\\n    && b\n", "", nil},

		// refused
		{"set -e list before another", "FROM a\nRUN set -e; a; b\nRUN c\n", "", "errexit", nil},
		{"set -e in a subshell", "FROM a\nRUN (set -e; a; b)\nRUN c\n", "", "errexit", nil},
		{"errexit shell, list before another", "FROM a\nSHELL [\"/bin/sh\", \"-e\", \"-c\"]\nRUN a; b\nRUN c\n", "", "errexit", nil},
		{"SHELLOPTS", "FROM a\nENV SHELLOPTS=errexit\nSHELL [\"/bin/bash\", \"-c\"]\nRUN a; b\nRUN c\n", "", "errexit", nil},
		{"login shell", "FROM a\nSHELL [\"/bin/bash\", \"--login\", \"-c\"]\nRUN conda init bash\nRUN conda activate env\n", "", "--login", nil},
		{"bash -l", "FROM a\nSHELL [\"/bin/bash\", \"-lc\"]\nRUN a\nRUN b\n", "", "-c", nil},
		{"BASH_ENV", "FROM a\nENV BASH_ENV=/etc/env.sh\nSHELL [\"/bin/bash\", \"-c\"]\nRUN a\nRUN b\n", "", "BASH_ENV", nil},
		{"shell options", "FROM a\nSHELL [\"/bin/bash\", \"--noprofile\", \"--norc\", \"-eo\", \"pipefail\", \"-xc\"]\nRUN a\nRUN b\n",
			"FROM a\nSHELL [\"/bin/bash\", \"--noprofile\", \"--norc\", \"-eo\", \"pipefail\", \"-xc\"]\nRUN a \\\n    && b\n", "", nil},
		{"trailing comment", "FROM a\nRUN a # note\nRUN b\n", "", "shell comment", nil},
		{"background", "FROM a\nRUN a &\nRUN b\n", "", "background", nil},
		{"service started", "FROM a\nRUN service postgresql start && createdb app\nRUN psql -l\n", "", "starts a service", nil},
		{"service started in the last RUN", "FROM a\nRUN a\nRUN /etc/init.d/mysql start && mysql -e 'select 1'\n",
			"FROM a\nRUN a \\\n    && /etc/init.d/mysql start && mysql -e 'select 1'\n", "", nil},
		{"service started behind sudo", "FROM a\nRUN sudo /etc/init.d/nginx restart\nRUN curl localhost\n", "", "starts a service", nil},
		{"background inside", "FROM a\nRUN a\nRUN b & c\n", "", "background", nil},
		{"bash redirect under sh", "FROM a\nRUN a &> /dev/null\nRUN b\n", "", "may read differently", nil},
		{"different mounts", "FROM a\nRUN --mount=type=cache,target=/x a\nRUN b\n", "", "flags", nil},
		{"different network", "FROM a\nRUN --network=none a\nRUN --network=host b\n", "", "flags", nil},
		{"exec form", "FROM a\nRUN [\"a\"]\nRUN b\n", "", "exec (JSON) form", nil},
		{"heredoc", "# syntax=docker/dockerfile:1\nFROM a\nRUN <<EOF\na\nEOF\nRUN b\n", "", "heredoc", nil},
		{"onbuild", "FROM a\nONBUILD RUN a\nONBUILD RUN b\nRUN c\n", "", "", nil},
		{"instruction between", "FROM a\nRUN a\nENV X=1\nRUN b\n", "", "", nil},
		{"across FROM", "FROM a\nRUN a\nFROM b\nRUN b\n", "", "", nil},
		{"powershell", "FROM a\nSHELL [\"powershell\", \"-c\"]\nRUN a\nRUN b\n", "", "not POSIX", nil},
		{"windows base", "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN a\nRUN b\n", "", "not POSIX", nil},
		{"reads $_", "FROM a\nSHELL [\"/bin/bash\", \"-c\"]\nRUN a\nRUN echo $_\n", "", "$_", nil},
		{"unparsable", "FROM a\nRUN a\nRUN b (\n", "", "cannot be analyzed", nil},
		{"ignore pragma", "FROM a\nRUN a\n# dockopt:ignore=merge-runs\nRUN b\n", "", "dockopt:ignore", nil},
		{"ignore pragma keeps other merges", "FROM a\nRUN a\nRUN b\n# dockopt:ignore\nRUN c\nRUN d\nRUN e\n",
			"FROM a\nRUN a \\\n    && b\n# dockopt:ignore\nRUN c\nRUN d \\\n    && e\n", "dockopt:ignore", nil},
		{"ignore pragma of another transform", "FROM a\nRUN a\n# dockopt:ignore=exec-form\nRUN b\n",
			"FROM a\nRUN a \\\n# dockopt:ignore=exec-form\n    && b\n", "", nil},
		{"hadolint pragma", "FROM a\nRUN a\n# hadolint ignore=DL3008\nRUN apt-get install -y curl\n", "", "hadolint ignore=DL3008", nil},
		{"hadolint pragma above the first", "FROM a\n# hadolint ignore=DL3008\nRUN apt-get install -y curl\nRUN b\n",
			"FROM a\n# hadolint ignore=DL3008\nRUN apt-get install -y curl \\\n    && b\n", "", nil},
		{"comment asks for its own layer", "FROM a\nRUN a\n# keep pip in its own layer\nRUN b\n", "", "asks for a layer of its own", nil},
		{"comment asks for a separate layer", "FROM a\nRUN a\n# Separate layer, so that the download stays cached\nRUN b\n", "", "asks for a layer of its own", nil},
		{"comment says do not merge", "FROM a\nRUN a\n# don't merge: see the CI notes\nRUN b\n", "", "asks for a layer of its own", nil},
		{"comment about the same layer", "FROM a\nRUN a\n# clean up in the same layer, separately\nRUN b\n",
			"FROM a\nRUN a \\\n# clean up in the same layer, separately\n    && b\n", "", nil},
		{"comment about the cache and the layer", "FROM a\nRUN a\n# remove the apt cache so the layer stays small\nRUN b\n",
			"FROM a\nRUN a \\\n# remove the apt cache so the layer stays small\n    && b\n", "", nil},
		{"comment inside the RUN is not between", "FROM a\nRUN a \\\n    # a separate layer would be wasteful\n    && c\nRUN b\n",
			"FROM a\nRUN a \\\n    # a separate layer would be wasteful\n    && c \\\n    && b\n", "", nil},
		{"unknown mode", "FROM a\nRUN a\nRUN b\n", "", "merge-runs.mode", map[string]string{"merge-runs.mode": "some"}},

		// conservative
		{"conservative update install", "FROM a\nRUN apt-get update\nRUN apt-get install -y curl\n",
			"FROM a\nRUN apt-get update \\\n    && apt-get install -y curl\n", "", cons},
		{"conservative apk", "FROM a\nRUN apk update\nRUN apk add curl\n", "FROM a\nRUN apk update \\\n    && apk add curl\n", "", cons},
		{"conservative apk add --no-cache", "FROM a\nRUN apk update\nRUN apk add --no-cache curl\n", "", "", cons},
		{"conservative unrelated", "FROM a\nRUN make\nRUN make install\n", "", "", cons},
		{"conservative cleanup back to the producer", "FROM a\nRUN apt-get update\nRUN apt-get install -y curl\nRUN echo hi\nRUN rm -rf /var/lib/apt/lists/*\n",
			"FROM a\nRUN apt-get update \\\n    && apt-get install -y curl \\\n    && echo hi \\\n    && rm -rf /var/lib/apt/lists/*\n", "", cons},
		{"conservative rm of a named file", "FROM a\nRUN echo x\nRUN curl -o /tmp/x.tgz u && tar xf /tmp/x.tgz\nRUN rm /tmp/x.tgz\n",
			"FROM a\nRUN echo x\nRUN curl -o /tmp/x.tgz u && tar xf /tmp/x.tgz \\\n    && rm /tmp/x.tgz\n", "", cons},
		{"conservative rm in a parent directory", "FROM a\nRUN git clone u /src && make -C /src\nRUN rm -rf /src/.git\n",
			"FROM a\nRUN git clone u /src && make -C /src \\\n    && rm -rf /src/.git\n", "", cons},
		{"conservative rm of something unrelated", "FROM a\nRUN make\nRUN rm -rf /opt/foo\n", "", "", cons},
		{"conservative clean", "FROM a\nRUN pip install x\nRUN pip cache purge\n", "FROM a\nRUN pip install x \\\n    && pip cache purge\n", "", cons},
		{"conservative keeps two groups apart", "FROM a\nRUN apt-get update\nRUN apt-get install -y a\nRUN make\nRUN apk update\nRUN apk add b\n",
			"FROM a\nRUN apt-get update \\\n    && apt-get install -y a\nRUN make\nRUN apk update \\\n    && apk add b\n", "", cons},
		{"conservative refusal is reported", "FROM a\nRUN apt-get update # refresh\nRUN apt-get install -y curl\n", "", "shell comment", cons},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := checkFix(t, MergeRuns, &rewrite.Settings{Values: c.values}, c.in, c.want, c.finding)
			for _, f := range res.Findings {
				if strings.Contains(f.Message, "could not verify") {
					t.Error(f.Message)
				}
			}
		})
	}
}

// TestMergeRunsShellEquivalence runs the original RUN bodies one after
// another, each in a fresh shell (stopping at the first failure, as a build
// does), and the merged body in one shell, in the same directory, and
// compares their output and exit status.
func TestMergeRunsShellEquivalence(t *testing.T) {
	shells := []string{"/bin/sh"}
	if p, err := exec.LookPath("bash"); err == nil {
		shells = append(shells, p)
	}
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh")
	}
	cases := []struct {
		name   string
		flags  []string // shell options before -c, also written into a SHELL instruction
		runs   []string
		merged bool // whether the transform must merge them
		// naive, for a case that must not be merged: the merge a less careful
		// transform would make, which must indeed behave differently.
		naive string
	}{
		{"cd", nil, []string{"cd sub && pwd", "pwd"}, true, ""},
		{"cd last", nil, []string{"pwd", "cd sub && pwd"}, true, ""},
		{"cd middle", nil, []string{"pwd", "cd sub", "pwd"}, true, ""},
		{"cd in if", nil, []string{"if true; then cd sub; fi", "pwd"}, true, ""},
		{"export", nil, []string{"export A=1", "echo A=${A-unset}"}, true, ""},
		{"variable", nil, []string{"A=1", "echo A=${A-unset}"}, true, ""},
		{"assigning expansion", nil, []string{"echo ${A:=1}", "echo A=${A-unset}"}, true, ""},
		{"arithmetic", nil, []string{"echo $((A=2))", "echo A=${A-unset}"}, true, ""},
		{"set -e alone", nil, []string{"set -e", "false; echo survived"}, true, ""},
		{"set -e last", nil, []string{"echo a", "set -e; false; echo not reached"}, true, ""},
		{"set -e list first", nil, []string{"set -e; false; echo no", "echo b"}, false, "( set -e; false; echo no ) && echo b"},
		{"set -e in a subshell", nil, []string{"(set -e; false; echo no)", "echo b"}, false, "(set -e; false; echo no) && echo b"},
		{"set -u", nil, []string{"set -u", "echo ${UNSET_X}ok"}, true, ""},
		{"umask", nil, []string{"umask 077", "umask"}, true, ""},
		{"list with a failing middle", nil, []string{"echo a; false; echo b", "echo c"}, true, ""},
		{"failure before a list", nil, []string{"false", "echo a; echo b"}, true, ""},
		{"list failing last", nil, []string{"echo a", "echo b; false", "echo c"}, true, ""},
		{"or after a failure", nil, []string{"false", "echo a || echo b"}, true, ""},
		{"or in the middle", nil, []string{"echo x", "false || echo b", "echo c"}, true, ""},
		{"exit 0", nil, []string{"exit 0", "echo after"}, true, ""},
		{"exit 3", nil, []string{"echo x; exit 3", "echo y"}, true, ""},
		{"exit last", nil, []string{"echo a", "exit 4"}, true, ""},
		{"exec", nil, []string{"exec echo hi", "echo after"}, true, ""},
		{"trap", nil, []string{"trap 'echo bye' EXIT", "echo hi"}, true, ""},
		{"function", nil, []string{"f() { echo f; }", "f 2>/dev/null || echo nof"}, true, ""},
		{"alias", nil, []string{"alias pwd='echo aliased'", "pwd"}, true, ""},
		{"read", nil, []string{"read A </dev/null || A=x; echo $A", "echo A=${A-unset}"}, true, ""},
		{"background", nil, []string{"sleep 0.2 &", "echo b"}, false, ""},
		// foo is in bin2; the second RUN installs a newer one in bin1, earlier in
		// PATH. A shell that ran foo remembers bin2/foo.
		{"command hash", nil, []string{"foo", "printf '#!/bin/sh\\necho two\\n' > bin1/foo && chmod +x bin1/foo", "foo"}, true,
			"foo && printf '#!/bin/sh\\necho two\\n' > bin1/foo && chmod +x bin1/foo && foo"},
		{"errexit shell, flat", []string{"-e"}, []string{"true && echo x", "false && echo y", "echo z"}, true, ""},
		{"errexit shell, list", []string{"-e"}, []string{"false; echo no", "echo b"}, false, "{ false; echo no; } && echo b"},
		{"errexit shell, list last", []string{"-e"}, []string{"echo a", "false; echo no"}, true, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var src strings.Builder
			src.WriteString("FROM debian\n")
			if c.flags != nil {
				src.WriteString(`SHELL ["/bin/sh", "` + strings.Join(c.flags, `", "`) + `", "-c"]` + "\n")
			}
			for _, r := range c.runs {
				src.WriteString("RUN " + r + "\n")
			}
			res := runTwice(t, MergeRuns, src.String(), nil)
			got := runBodies(t, res.Output)
			if c.merged && len(got) != 1 {
				t.Fatalf("not merged:\n%s", res.Output)
			}
			if !c.merged && len(got) != len(c.runs) {
				t.Fatalf("merged, but must not be:\n%s", res.Output)
			}
			for _, sh := range shells {
				dir := t.TempDir()
				origOut, origCode := runInShell(t, sh, c.flags, dir, c.runs)
				mergedOut, mergedCode := runInShell(t, sh, c.flags, dir, got)
				if origOut != mergedOut || origCode != mergedCode {
					t.Errorf("%s: originals printed %q and exited %d; merged %q printed %q and exited %d",
						sh, origOut, origCode, got, mergedOut, mergedCode)
				}
				if c.naive != "" {
					naiveOut, naiveCode := runInShell(t, sh, c.flags, dir, []string{c.naive})
					if origOut == naiveOut && origCode == naiveCode {
						t.Errorf("%s: the naive merge %q behaves like the originals: the case proves nothing", sh, c.naive)
					}
				}
			}
		})
	}
}

// runBodies is what Docker hands to `sh -c` for each RUN of a Dockerfile.
func runBodies(t *testing.T, src []byte) []string {
	t.Helper()
	d, err := rewrite.Parse("Dockerfile", src)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, in := range d.Instructions {
		if in.Cmd == "run" {
			out = append(out, in.Node.Next.Value)
		}
	}
	return out
}

// runInShell runs bodies one after another in fresh shells, in a freshly
// made dir (with a subdirectory sub, and bin1 and bin2 first in PATH, bin2
// holding a command foo), until one fails.
func runInShell(t *testing.T, sh string, flags []string, dir string, bodies []string) (string, int) {
	t.Helper()
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	for _, sub := range []string{"sub", "bin1", "bin2"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "bin2", "foo"), []byte("#!/bin/sh\necho one\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	for _, b := range bodies {
		cmd := exec.Command(sh, append(append([]string{}, append(flags, "-c")...), b)...)
		cmd.Dir = dir
		cmd.Env = []string{"PATH=" + filepath.Join(dir, "bin1") + ":" + filepath.Join(dir, "bin2") + ":" + os.Getenv("PATH"), "HOME=" + dir}
		cmd.Stdout = &out
		err := cmd.Run()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return out.String(), ee.ExitCode()
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return out.String(), 0
}
