package transforms

import (
	"strings"
	"testing"

	"github.com/dockopt/dockopt/rewrite"
)

func runExecFormOn(t *testing.T, in string) *rewrite.Result {
	t.Helper()
	res, err := rewrite.Fix("Dockerfile", []byte(in), []*rewrite.Transform{ExecForm}, nil)
	if err != nil {
		t.Fatalf("input rejected: %v", err)
	}
	for _, e := range res.Internal {
		t.Errorf("internal: %v", e)
	}
	return res
}

func TestExecFormChanges(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"simple", "FROM debian\nCMD curl --version\n", "FROM debian\nCMD [\"curl\", \"--version\"]\n"},
		{"lowercase keyword kept", "FROM debian\ncmd curl --version\n", "FROM debian\ncmd [\"curl\", \"--version\"]\n"},
		{"mixed case keyword and spacing kept", "FROM debian\n  Cmd   curl   --version   \n", "FROM debian\n  Cmd   [\"curl\", \"--version\"]   \n"},
		{"double quotes make one word", "FROM debian\nCMD nginx -g \"daemon off;\"\n", "FROM debian\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n"},
		{"single quotes", "FROM debian\nCMD python -c 'print(\"a b\")'\n", "FROM debian\nCMD [\"python\", \"-c\", \"print(\\\"a b\\\")\"]\n"},
		{"backslash escapes", "FROM debian\nCMD app a\\ b \\$HOME \"x\\\"y\" \"c\\\\d\"\n", "FROM debian\nCMD [\"app\", \"a b\", \"$HOME\", \"x\\\"y\", \"c\\\\d\"]\n"},
		{"single-quoted dollar is literal", "FROM debian\nCMD app '$HOME' '*'\n", "FROM debian\nCMD [\"app\", \"$HOME\", \"*\"]\n"},
		{"no html escaping", "FROM debian\nCMD app '<a&b>'\n", "FROM debian\nCMD [\"app\", \"<a&b>\"]\n"},
		{"empty argument", "FROM debian\nCMD app \"\"\n", "FROM debian\nCMD [\"app\", \"\"]\n"},
		{"unicode", "FROM debian\nCMD app héllo\n", "FROM debian\nCMD [\"app\", \"héllo\"]\n"},
		{"relative program and options with =", "FROM debian\nCMD ./run.sh --port=8080 -Xmx1g a,b user@host:1 50%\n", "FROM debian\nCMD [\"./run.sh\", \"--port=8080\", \"-Xmx1g\", \"a,b\", \"user@host:1\", \"50%\"]\n"},
		{"plain echo", "FROM debian\nCMD echo hello world\n", "FROM debian\nCMD [\"echo\", \"hello\", \"world\"]\n"},
		{"crlf", "FROM debian\r\nCMD curl --version\r\n", "FROM debian\r\nCMD [\"curl\", \"--version\"]\r\n"},
		{"no final newline", "FROM debian\nCMD curl --version", "FROM debian\nCMD [\"curl\", \"--version\"]"},
		{"entrypoint alone", "FROM debian\nENTRYPOINT /app --serve\n", "FROM debian\nENTRYPOINT [\"/app\", \"--serve\"]\n"},
		{"entrypoint resets inherited cmd", "FROM debian AS base\nCMD old\nFROM base\nENTRYPOINT /app\n", "FROM debian AS base\nCMD [\"old\"]\nFROM base\nENTRYPOINT [\"/app\"]\n"},
		{"cmd beside shell entrypoint", "FROM debian\nENTRYPOINT /app $X\nCMD run\n", "FROM debian\nENTRYPOINT /app $X\nCMD [\"run\"]\n"},
		{"cmd behind tini", "FROM debian\nENTRYPOINT [\"/usr/bin/tini\", \"--\"]\nCMD node app.js\n", "FROM debian\nENTRYPOINT [\"/usr/bin/tini\", \"--\"]\nCMD [\"node\", \"app.js\"]\n"},
		{"bash with pipefail", "FROM debian\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nCMD app x\n", "FROM debian\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nCMD [\"app\", \"x\"]\n"},
		{"multi-line keeps lines and comment",
			"FROM debian\nCMD java \\\n    -Xmx1g \\\n# heap above\n    -jar app.jar\n",
			"FROM debian\nCMD [\"java\", \\\n    \"-Xmx1g\", \\\n# heap above\n    \"-jar\", \"app.jar\"]\n"},
		{"body on the next line", "FROM debian\nCMD \\\n  app run\n", "FROM debian\nCMD \\\n  [\"app\", \"run\"]\n"},
		{"backtick escape linux", "# escape=`\nFROM debian\nCMD app `\n  c:\\dir\n", "# escape=`\nFROM debian\nCMD [\"app\", `\n  \"c:dir\"]\n"},
		{"scratch entrypoint despite cmd", "FROM scratch\nCOPY app /app\nENTRYPOINT /app\nCMD serve\n", "FROM scratch\nCOPY app /app\nENTRYPOINT [\"/app\"]\nCMD [\"serve\"]\n"},
		{"distroless via stage", "FROM gcr.io/distroless/static-debian12 AS rt\nFROM rt\nENTRYPOINT /app\nFROM rt AS other\n", "FROM gcr.io/distroless/static-debian12 AS rt\nFROM rt\nENTRYPOINT [\"/app\"]\nFROM rt AS other\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := runExecFormOn(t, c.in)
			if string(res.Output) != c.want {
				t.Errorf("got:\n%s\nwant:\n%s", res.Output, c.want)
			}
		})
	}
}

func TestExecFormLeavesAlone(t *testing.T) {
	cases := []struct{ name, in string }{
		{"variable", "FROM debian\nCMD echo \"$HOME\"\n"},
		{"braced variable", "FROM debian\nCMD app ${PORT}\n"},
		{"command substitution", "FROM debian\nCMD app $(date)\n"},
		{"backticks", "FROM debian\nCMD app `date`\n"},
		{"glob star", "FROM debian\nCMD cat *.txt\n"},
		{"glob question", "FROM debian\nCMD cat a?.txt\n"},
		{"glob bracket", "FROM debian\nCMD cat [ab].txt\n"},
		{"brace expansion", "FROM debian\nCMD touch a{1,2}\n"},
		{"tilde", "FROM debian\nCMD app ~/x\n"},
		{"redirection", "FROM debian\nCMD app > /log\n"},
		{"pipe", "FROM debian\nCMD app | tee x\n"},
		{"and", "FROM debian\nCMD a && b\n"},
		{"or", "FROM debian\nCMD a || b\n"},
		{"semicolon", "FROM debian\nCMD a; b\n"},
		{"trailing semicolon", "FROM debian\nCMD a;\n"},
		{"background", "FROM debian\nCMD a &\n"},
		{"subshell", "FROM debian\nCMD (a)\n"},
		{"group", "FROM debian\nCMD { a; }\n"},
		{"negation", "FROM debian\nCMD ! a\n"},
		{"if", "FROM debian\nCMD if a; then b; fi\n"},
		{"assignment prefix", "FROM debian\nCMD A=b app\n"},
		{"assignment only", "FROM debian\nCMD A=b\n"},
		{"exec builtin", "FROM debian\nCMD exec app\n"},
		{"cd builtin", "FROM debian\nCMD cd /x\n"},
		{"source builtin", "FROM debian\nCMD . /env\n"},
		{"quoted builtin", "FROM debian\nCMD \"exec\" app\n"},
		{"echo with option", "FROM debian\nCMD echo -n hi\n"},
		{"echo with backslash", "FROM debian\nCMD echo 'a\\nb'\n"},
		{"shell comment", "FROM debian\nCMD app # run it\n"},
		{"already json", "FROM debian\nCMD [\"already\"]\n"},
		{"empty json", "FROM debian\nCMD []\n"},
		{"empty string program", "FROM debian\nCMD \"\"\n"},
		{"broken json", "FROM debian\nCMD [\"a\",\n"},
		{"time keyword", "FROM debian\nCMD time app\n"},
		{"healthcheck out of scope", "FROM debian\nHEALTHCHECK CMD curl -f localhost\n"},
		{"onbuild cmd", "FROM debian\nONBUILD CMD app\n"},
		{"windows base", "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD app run\n"},
		{"powershell", "FROM debian\nSHELL [\"pwsh\", \"-c\"]\nCMD app run\n"},
		{"login shell", "FROM debian\nSHELL [\"/bin/bash\", \"--login\", \"-c\"]\nCMD python app.py\n"},
		{"zsh", "FROM debian\nSHELL [\"/bin/zsh\", \"-c\"]\nCMD app\n"},
		{"bash env", "FROM debian\nENV BASH_ENV=/etc/profile\nSHELL [\"/bin/bash\", \"-c\"]\nCMD app\n"},
		{"word split over continuation", "FROM debian\nCMD app --fo\\\no\n"},
		{"entrypoint with cmd after", "FROM debian\nENTRYPOINT /app\nCMD [\"x\"]\n"},
		{"entrypoint with cmd before", "FROM debian\nCMD [\"x\"]\nENTRYPOINT /app\n"},
		{"entrypoint of a parent stage", "FROM debian AS base\nENTRYPOINT /app\nFROM base\nCMD [\"x\"]\n"},
		{"entrypoint of an onbuild image", "FROM debian\nONBUILD COPY . /src\nENTRYPOINT /app\n"},
		{"cmd passed to exec entrypoint", "FROM debian\nENTRYPOINT [\"/docker-entrypoint.sh\"]\nCMD nginx -g x\n"},
		{"cmd passed to parent exec entrypoint", "FROM debian AS b\nENTRYPOINT [\"/e.sh\"]\nFROM b\nCMD postgres\n"},
		{"scratch needs shell", "FROM scratch\nCOPY app /app\nCMD /app && echo done\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := runExecFormOn(t, c.in)
			if string(res.Output) != c.in {
				t.Errorf("changed:\n%s", res.Output)
			}
		})
	}
}

func TestExecFormFindings(t *testing.T) {
	cases := []struct {
		name, in string
		sev      rewrite.Severity
		fixed    bool
		contains string
	}{
		{"entrypoint says args now passed", "FROM debian\nENTRYPOINT /app\n", rewrite.SeverityWarning, true, "`docker run IMAGE ARGS` now passes ARGS"},
		{"entrypoint skipped for cmd", "FROM debian\nENTRYPOINT /app\nCMD [\"x\"]\n", rewrite.SeverityInfo, false, "sets CMD (line 3)"},
		{"entrypoint skipped for child stage", "FROM debian AS a\nENTRYPOINT /app\nFROM a\n", rewrite.SeverityInfo, false, "built FROM this one"},
		{"cmd skipped for exec entrypoint", "FROM debian\nENTRYPOINT [\"/e.sh\"]\nCMD run\n", rewrite.SeverityInfo, false, "ENTRYPOINT on line 2"},
		{"scratch without shell", "FROM scratch\nCMD /app | tee x\n", rewrite.SeverityError, false, "needs a shell, but the stage has none"},
		{"scratch entrypoint with cmd", "FROM scratch\nENTRYPOINT /app\nCMD [\"x\"]\n", rewrite.SeverityWarning, true, "CMD on line 3 is now passed to it as arguments"},
		{"login shell reason", "FROM debian\nSHELL [\"/bin/bash\", \"-l\", \"-c\"]\nCMD app\n", rewrite.SeverityInfo, false, "option -l"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := runExecFormOn(t, c.in)
			var hit bool
			for _, f := range res.Findings {
				if strings.Contains(f.Message, c.contains) {
					hit = true
					if f.Severity != c.sev || f.Fixed != c.fixed {
						t.Errorf("finding %q: severity %s fixed %v, want %s %v", f.Message, f.Severity, f.Fixed, c.sev, c.fixed)
					}
				}
			}
			if !hit {
				t.Errorf("no finding containing %q in %v", c.contains, res.Findings)
			}
		})
	}
}

func TestExecFormNoShellDetection(t *testing.T) {
	cases := []struct {
		base string
		want bool
	}{
		{"scratch", true},
		{"SCRATCH", true},
		{"gcr.io/distroless/static-debian12", true},
		{"gcr.io/distroless/java17-debian12:nonroot", true},
		{"gcr.io/distroless/base@sha256:abc", true},
		{"cgr.dev/chainguard/static:latest", true},
		{"gcr.io/distroless/base:debug", false},
		{"cgr.dev/chainguard/static:latest-dev", false},
		{"debian:12", false},
		{"alpine", false},
		{"localhost:5000/scratch", false},
	}
	for _, c := range cases {
		if got := shellless(c.base); got != c.want {
			t.Errorf("shellless(%q) = %v, want %v", c.base, got, c.want)
		}
	}
}
