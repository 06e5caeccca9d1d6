package transforms

import (
	"strings"
	"testing"

	"github.com/dockopt/dockopt/rewrite"
)

func runExecFormOn(t *testing.T, in string) *rewrite.Result {
	t.Helper()
	return runExecFormWith(t, in, nil)
}

func runExecFormWith(t *testing.T, in string, values map[string]string) *rewrite.Result {
	t.Helper()
	return runOne(t, ExecForm, in, &rewrite.Settings{Values: values})
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
		// Base images whose ENTRYPOINT is known (exec_form_bases.go).
		{"python base", "FROM python:3.12\nCMD python app.py\n", "FROM python:3.12\nCMD [\"python\", \"app.py\"]\n"},
		{"python with registry, library, tag and digest", "FROM docker.io/library/python:3.12-slim@sha256:0123abcd AS app\nCMD python app.py\n", "FROM docker.io/library/python:3.12-slim@sha256:0123abcd AS app\nCMD [\"python\", \"app.py\"]\n"},
		{"library namespace", "FROM library/golang\nCMD go version\n", "FROM library/golang\nCMD [\"go\", \"version\"]\n"},
		{"index.docker.io", "FROM index.docker.io/library/ruby:3\nCMD ruby app.rb\n", "FROM index.docker.io/library/ruby:3\nCMD [\"ruby\", \"app.rb\"]\n"},
		{"upper-case reference", "FROM Alpine:3\nCMD sleep 1\n", "FROM Alpine:3\nCMD [\"sleep\", \"1\"]\n"},
		{"stage chain to debian", "FROM debian:12 AS a\nFROM a AS b\nFROM b\nCMD app run\n", "FROM debian:12 AS a\nFROM a AS b\nFROM b\nCMD [\"app\", \"run\"]\n"},
		{"temurin pass-through entrypoint", "FROM eclipse-temurin:21-jre\nCMD java -jar /app.jar\n", "FROM eclipse-temurin:21-jre\nCMD [\"java\", \"-jar\", \"/app.jar\"]\n"},
		{"maven pass-through entrypoint", "FROM maven:3-eclipse-temurin-21\nCMD mvn -v\n", "FROM maven:3-eclipse-temurin-21\nCMD [\"mvn\", \"-v\"]\n"},
		{"node base with node", "FROM node:20-alpine\nCMD node server.js\n", "FROM node:20-alpine\nCMD [\"node\", \"server.js\"]\n"},
		{"node base with npm", "FROM node:20\nCMD npm start\n", "FROM node:20\nCMD [\"npm\", \"start\"]\n"},
		{"php base with a program", "FROM php:8.3-apache\nCMD apache2-foreground\n", "FROM php:8.3-apache\nCMD [\"apache2-foreground\"]\n"},
		{"entrypoint cleared", "FROM postgres:16\nENTRYPOINT []\nCMD postgres\n", "FROM postgres:16\nENTRYPOINT []\nCMD [\"postgres\"]\n"},
		{"tini in the file on an unknown base", "FROM mycorp/base:1\nENTRYPOINT [\"tini\", \"--\"]\nCMD app\n", "FROM mycorp/base:1\nENTRYPOINT [\"tini\", \"--\"]\nCMD [\"app\"]\n"},
		{"shell entrypoint in a parent stage on an unknown base", "FROM nginx AS a\nENTRYPOINT /start.sh\nFROM a\nCMD app\n", "FROM nginx AS a\nENTRYPOINT /start.sh\nFROM a\nCMD [\"app\"]\n"},
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
		{"kill builtin (no /bin/kill in a minimal image)", "FROM debian\nCMD kill -l 15\n"},
		{"chdir builtin", "FROM debian\nCMD chdir /x\n"},
		{"printf builtin", "FROM debian\nCMD printf %s x\n"},
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
		// The ENTRYPOINT the CMD reaches is unknown or would see a difference.
		{"postgres base", "FROM postgres:16\nCMD postgres -c max_connections=200\n"},
		{"nginx base", "FROM nginx:1.27\nCMD nginx -g 'daemon off;'\n"},
		{"private base", "FROM mycorp/base:1\nCMD app run\n"},
		{"no tag unknown", "FROM redis\nCMD redis-server\n"},
		{"docker hub user namespace", "FROM docker.io/someone/python:3\nCMD python app.py\n"},
		{"other registry", "FROM ghcr.io/library/python:3\nCMD python app.py\n"},
		{"registry with port", "FROM localhost:5000/python\nCMD python app.py\n"},
		{"mirror of an official image", "FROM public.ecr.aws/docker/library/python:3\nCMD python app.py\n"},
		{"arg base", "ARG BASE=python:3.12\nFROM ${BASE}\nCMD python app.py\n"},
		{"arg tag", "ARG V=3.12\nFROM python:${V}\nCMD python app.py\n"},
		{"arg repository", "ARG R=docker.io\nFROM $R/python\nCMD python app.py\n"},
		{"stage chain to postgres", "FROM postgres:16 AS db\nFROM db\nCMD postgres\n"},
		{"node base with a script", "FROM node:20\nCMD server.js\n"},
		{"node base with yarn", "FROM node:20\nCMD yarn start\n"},
		{"node base with an absolute path", "FROM node:20\nCMD /app/server.js\n"},
		{"node base with a flag", "FROM node:20\nCMD -v\n"},
		{"php base with a flag", "FROM php:8.3\nCMD -a\n"},
		{"shell entrypoint reading args", "FROM debian\nENTRYPOINT exec /app \"$@\"\nCMD x\n"},
		{"shell entrypoint reading $1", "FROM debian\nENTRYPOINT /app $1\nCMD x\n"},
		{"shell entrypoint reading ${1}", "FROM debian\nENTRYPOINT /app ${1:-x}\nCMD x\n"},
		{"shell entrypoint counting args", "FROM debian\nENTRYPOINT echo $#\nCMD x\n"},
		{"empty exec entrypoint on a shellless base", "FROM scratch\nENTRYPOINT []\nCMD /app | tee x\n"},
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
		{"unknown base named", "FROM postgres:16\nCMD postgres\n", rewrite.SeverityInfo, false, "the base image postgres:16 is not one dockopt knows"},
		{"unknown base says how to convert", "FROM mycorp/base:1\nCMD app\n", rewrite.SeverityInfo, false, "set exec-form.unknown-base=convert"},
		{"arg base explained", "ARG B\nFROM $B\nCMD app\n", rewrite.SeverityInfo, false, "the base image $B is chosen by a build argument"},
		{"node script explained", "FROM node:20\nCMD server.js\n", rewrite.SeverityInfo, false, "base image node:20 (docker-entrypoint.sh) runs `node server.js ...`"},
		{"php flag explained", "FROM php:8.3\nCMD -a\n", rewrite.SeverityInfo, false, "would run it as `php -a ...`"},
		{"positional entrypoint explained", "FROM debian\nENTRYPOINT exec app \"$@\"\nCMD x\n", rewrite.SeverityInfo, false, "ENTRYPOINT on line 2 reads positional parameters"},
		{"known base converted", "FROM python:3.12\nCMD python app.py\n", rewrite.SeverityWarning, true, "CMD converted to exec form: the program runs as PID 1"},
		{"dotted env name kept from the shell", "FROM debian\nENV spring.profiles.active=prod\nCMD java -jar /app.jar\n", rewrite.SeverityInfo, false, `line 2 sets the environment variable "spring.profiles.active", which is not a shell name`},
		{"dashed env name in a parent stage", "FROM debian AS base\nENV my-var=1\nFROM base\nENTRYPOINT /app\n", rewrite.SeverityInfo, false, `line 2 sets the environment variable "my-var"`},
		{"cleared entrypoint gives no shell", "FROM scratch\nENTRYPOINT []\nCMD /app | tee x\n", rewrite.SeverityError, false, "needs a shell, but the stage has none"},
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

func TestExecFormUnknownBaseSetting(t *testing.T) {
	convert := map[string]string{"exec-form.unknown-base": "convert"}
	cases := []struct {
		name, in, want string
		values         map[string]string
	}{
		{"convert unknown base", "FROM mycorp/base:1\nCMD app run\n", "FROM mycorp/base:1\nCMD [\"app\", \"run\"]\n", convert},
		{"convert arg base", "ARG B=x\nFROM ${B}\nCMD app\n", "ARG B=x\nFROM ${B}\nCMD [\"app\"]\n", convert},
		{"explicit skip", "FROM mycorp/base:1\nCMD app run\n", "FROM mycorp/base:1\nCMD app run\n", map[string]string{"exec-form.unknown-base": "skip"}},
		{"invalid value skips", "FROM mycorp/base:1\nCMD app run\n", "FROM mycorp/base:1\nCMD app run\n", map[string]string{"exec-form.unknown-base": "yes"}},
		// The setting is about unknown images: what is known to differ stays.
		{"known difference kept", "FROM node:20\nCMD server.js\n", "FROM node:20\nCMD server.js\n", convert},
		{"exec entrypoint kept", "FROM mycorp/base\nENTRYPOINT [\"/e.sh\"]\nCMD app\n", "FROM mycorp/base\nENTRYPOINT [\"/e.sh\"]\nCMD app\n", convert},
		{"known base unaffected", "FROM debian\nCMD app\n", "FROM debian\nCMD [\"app\"]\n", convert},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := runExecFormWith(t, c.in, c.values)
			if string(res.Output) != c.want {
				t.Errorf("got:\n%s\nwant:\n%s", res.Output, c.want)
			}
		})
	}
	res := runExecFormWith(t, "FROM mycorp/base:1\nCMD app\n", convert)
	if len(res.Findings) != 1 || !strings.Contains(res.Findings[0].Message, "mycorp/base:1 is not a base image dockopt knows") {
		t.Errorf("converted CMD on an unknown base must say so: %v", res.Findings)
	}
	res = runExecFormWith(t, "FROM debian\nCMD app\n", map[string]string{"exec-form.unknown-base": "yes"})
	var bad bool
	for _, f := range res.Findings {
		bad = bad || f.Severity == rewrite.SeverityError && strings.Contains(f.Message, `exec-form.unknown-base must be "skip" or "convert", not "yes"`)
	}
	if !bad {
		t.Errorf("an invalid setting must be reported as an error: %v", res.Findings)
	}
}

func TestExecFormHubRepository(t *testing.T) {
	cases := []struct{ ref, want string }{
		{"python", "python"},
		{"python:3.12-slim", "python"},
		{"python:3.12-slim@sha256:abc", "python"},
		{"python@sha256:abc", "python"},
		{"library/python:3", "python"},
		{"docker.io/python", "python"},
		{"docker.io/library/python:3", "python"},
		{"index.docker.io/library/python", "python"},
		{"registry-1.docker.io/library/node:20", "node"},
		{"Python:3", "python"},
		{"mycorp/base:1", "mycorp/base"},
		{"docker.io/mycorp/python", "mycorp/python"},
		{"ghcr.io/library/python", ""},
		{"localhost/python", ""},
		{"localhost:5000/python:3", ""},
		{"gcr.io/distroless/static", ""},
		{"${BASE}", ""},
		{"python:${V}", ""},
		{"$REG/python", ""},
		{"", ""},
	}
	for _, c := range cases {
		if got := hubRepository(c.ref); got != c.want {
			t.Errorf("hubRepository(%q) = %q, want %q", c.ref, got, c.want)
		}
	}
	// Every entry of the table must be reachable from a plain FROM.
	for repo := range knownBases {
		if got := hubRepository(repo + ":latest"); got != repo {
			t.Errorf("knownBases entry %q is not what hubRepository gives for %s:latest (%q)", repo, repo, got)
		}
	}
	for _, unsafe := range []string{"postgres", "nginx", "mysql", "mariadb", "redis", "mongo", "rabbitmq", "elasticsearch"} {
		if _, ok := knownBases[unsafe]; ok {
			t.Errorf("%s branches on its first argument and must not be in knownBases", unsafe)
		}
	}
}
