package transforms

import (
	"strings"
	"testing"

	"github.com/dockopt/dockopt/rewrite"
)

func TestSlimTag(t *testing.T) {
	for _, tc := range []struct{ ref, want, why string }{
		{"python:3.11", "python:3.11-slim", ""},
		{"python", "python:slim", ""},
		{"python:latest", "python:slim", ""},
		{"python:3.10.4-bullseye", "python:3.10.4-slim-bullseye", ""},
		{"python:bookworm", "python:slim-bookworm", ""},
		{"python:3.14-rc-bookworm", "python:3.14-rc-slim-bookworm", ""},
		{"python:3.13.0rc1", "python:3.13.0rc1-slim", ""},
		{"docker.io/library/python:3.12", "docker.io/library/python:3.12-slim", ""},
		{"node:20", "node:20-slim", ""},
		{"node:20.11.1-bookworm", "node:20.11.1-bookworm-slim", ""},
		{"node:lts", "node:lts-slim", ""},
		{"node:iron-bullseye", "node:iron-bullseye-slim", ""},
		{"ruby:3.3-bookworm", "ruby:3.3-slim-bookworm", ""},
		{"debian:bookworm", "debian:bookworm-slim", ""},
		{"debian:12.5", "debian:12.5-slim", ""},
		{"debian:bookworm-20240311", "debian:bookworm-20240311-slim", ""},
		{"eclipse-temurin:21", "eclipse-temurin:21-jre", ""},
		{"eclipse-temurin:17-jdk", "eclipse-temurin:17-jre", ""},
		{"eclipse-temurin:17.0.10_7-jdk-jammy", "eclipse-temurin:17.0.10_7-jre-jammy", ""},
		{"eclipse-temurin:8u402-b06-jdk-focal", "eclipse-temurin:8u402-b06-jre-focal", ""},
		{"eclipse-temurin:21-jdk-ubi9-minimal", "eclipse-temurin:21-jre-ubi9-minimal", ""},
		{"openjdk:11", "openjdk:11-jre", ""},
		{"openjdk:11-jdk-slim", "openjdk:11-jre-slim", ""},
		{"openjdk:8u342-jdk-slim-bullseye", "openjdk:8u342-jre-slim-bullseye", ""},

		{"python:3.11-slim", "", "already a slim variant"},
		{"python:3.11-slim-bookworm", "", "already a slim variant"},
		{"node:20-bookworm-slim", "", "already a slim variant"},
		{"python:3.11-alpine3.19", "", "alpine"},
		{"eclipse-temurin:21-jdk-alpine", "", "alpine"},
		{"eclipse-temurin:21-jre", "", "already a JRE"},
		{"python:3.11@sha256:0123456789abcdef", "", "pinned by digest"},
		{"python:3.11-windowsservercore-ltsc2022", "", "Windows"},
		{"openjdk:17", "", "only for Java 8 and 11"},
		{"php:8.3", "", "php has no slim variant"},
		{"php:8.3-cli", "", "php has no slim variant"},
		{"debian", "", "no slim tag for latest"},
		{"debian:experimental", "", "no known slim tag"},
		{"python:3.11-onbuild", "", "not a tag whose slim variant"},
		{"python:${V}", "", "build argument"},
		{"golang:1.22", "", ""},
		{"someone/python:3.11", "", ""},
		{"ghcr.io/library/python:3.11", "", ""},
	} {
		got := slimTargetOf(tc.ref)
		if got.to != tc.want || tc.why == "" && got.why != "" || !strings.Contains(got.why, tc.why) {
			t.Errorf("%s: got %q (why %q), want %q (why containing %q)", tc.ref, got.to, got.why, tc.want, tc.why)
		}
	}
}

// slimCase is one Dockerfile (want "" : must stay) and, for one that must
// stay, a phrase the finding must hold.
type slimCase struct {
	name, in, want, why string
	values              map[string]string
	context             map[string]string
}

func runSlimCases(t *testing.T, cases []slimCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			settings := &rewrite.Settings{Values: c.values}
			if c.context != nil {
				settings.ContextDir = writeContext(t, c.context)
			}
			checkFix(t, SlimBase, settings, c.in, c.want, c.why)
		})
	}
}

func TestSlimBaseSwitches(t *testing.T) {
	runSlimCases(t, []slimCase{
		{name: "plain python app", in: "FROM python:3.11\nCOPY app.py /app/\nRUN python3 -m compileall /app\nCMD [\"python3\", \"/app/app.py\"]\n",
			want: "FROM python:3.11-slim\nCOPY app.py /app/\nRUN python3 -m compileall /app\nCMD [\"python3\", \"/app/app.py\"]\n"},
		{name: "platform flag and name kept", in: "FROM --platform=$TARGETPLATFORM node:20-bookworm AS app\nCMD node server.js\n",
			want: "FROM --platform=$TARGETPLATFORM node:20-bookworm-slim AS app\nCMD node server.js\n"},
		{name: "installs gcc before pip", why: "installs what pip install may compile with",
			in:   "FROM python:3.12\nRUN apt-get update && apt-get install -y gcc libpq-dev && pip install -r requirements.txt\n",
			want: "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y gcc libpq-dev && pip install -r requirements.txt\n"},
		{name: "assume-prebuilt", why: "assumed that what pip install installs comes prebuilt",
			values: map[string]string{"slim-base.assume-prebuilt": "true"},
			in:     "FROM python:3.12\nRUN pip install --no-cache-dir -r requirements.txt\n",
			want:   "FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt\n"},
		{name: "only-binary", in: "FROM python:3.12\nRUN pip install --only-binary=:all: flask\n",
			want: "FROM python:3.12-slim\nRUN pip install --only-binary=:all: flask\n"},
		{name: "pip upgrades itself", in: "FROM python:3.12\nRUN python -m pip install -U pip 'setuptools>=70' wheel\n",
			want: "FROM python:3.12-slim\nRUN python -m pip install -U pip 'setuptools>=70' wheel\n"},
		{name: "npm ci without scripts", in: "FROM node:20\nRUN npm ci --ignore-scripts\n",
			want: "FROM node:20-slim\nRUN npm ci --ignore-scripts\n"},
		{name: "installs git then uses it", in: "FROM python:3.12\nRUN apt-get update && apt-get install -y git\nRUN git --version\n",
			want: "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y git\nRUN git --version\n"},
		{name: "sh -c read", in: "FROM python:3.12\nCMD [\"sh\", \"-c\", \"python app.py || echo failed\"]\n",
			want: "FROM python:3.12-slim\nCMD [\"sh\", \"-c\", \"python app.py || echo failed\"]\n"},
		{name: "multi-stage: final only", why: "builder",
			in:   "FROM python:3.12 AS build\nRUN git clone https://example.com/x /src\nFROM python:3.12\nCOPY --from=build /src /src\nCMD [\"python\"]\n",
			want: "FROM python:3.12 AS build\nRUN git clone https://example.com/x /src\nFROM python:3.12-slim\nCOPY --from=build /src /src\nCMD [\"python\"]\n"},
		{name: "wheels built on the full image, assumed prebuilt", values: map[string]string{"slim-base.assume-prebuilt": "true"},
			why:  "assumed that what stage \"build\" builds (pip wheel)",
			in:   "FROM python:3.12 AS build\nRUN pip wheel -w /w -r r.txt\nFROM python:3.12\nCOPY --from=build /w /w\n",
			want: "FROM python:3.12 AS build\nRUN pip wheel -w /w -r r.txt\nFROM python:3.12-slim\nCOPY --from=build /w /w\n"},
		{name: "final built FROM a stage", in: "FROM python:3.12 AS base\nRUN pip install -U pip\nFROM base\nCMD [\"python\"]\n",
			want: "FROM python:3.12-slim AS base\nRUN pip install -U pip\nFROM base\nCMD [\"python\"]\n"},
		{name: "jdk to jre", in: "FROM eclipse-temurin:21-jdk-jammy\nCOPY app.jar /app.jar\nENTRYPOINT [\"java\", \"-jar\", \"/app.jar\"]\n",
			want: "FROM eclipse-temurin:21-jre-jammy\nCOPY app.jar /app.jar\nENTRYPOINT [\"java\", \"-jar\", \"/app.jar\"]\n"},
		{name: "debian", in: "FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl\nCMD [\"curl\", \"--version\"]\n",
			want: "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nCMD [\"curl\", \"--version\"]\n"},
		{name: "npm run script read from package.json", context: map[string]string{"package.json": `{"scripts":{"build":"tsc -p ."}}`},
			in:   "FROM node:20\nRUN npm ci --ignore-scripts && npm run build\n",
			want: "FROM node:20-slim\nRUN npm ci --ignore-scripts && npm run build\n"},
		{name: "heredoc shell script", in: "FROM python:3.12\nRUN <<EOF\nset -e\npython -V\nEOF\n",
			want: "FROM python:3.12-slim\nRUN <<EOF\nset -e\npython -V\nEOF\n"},
		{name: "virtualenv pip", in: "FROM python:3.12\nRUN python -m venv /opt/venv && /opt/venv/bin/pip install -U pip\n",
			want: "FROM python:3.12-slim\nRUN python -m venv /opt/venv && /opt/venv/bin/pip install -U pip\n"},
		{name: "heredoc python", in: "FROM python:3.12\nRUN python3 <<EOF\nimport os\nEOF\n",
			want: "FROM python:3.12-slim\nRUN python3 <<EOF\nimport os\nEOF\n"},
	})
}

func TestSlimBaseStays(t *testing.T) {
	runSlimCases(t, []slimCase{
		{name: "gcc without install", why: "calls gcc, which python:3.11-slim does not have",
			in: "FROM python:3.11\nRUN gcc --version\n"},
		{name: "git in a later stage built FROM it", why: "calls git",
			in: "FROM python:3.11 AS base\nFROM base\nRUN git describe\n"},
		{name: "curl in HEALTHCHECK", why: "calls curl",
			in: "FROM python:3.11\nHEALTHCHECK --interval=5s CMD curl -f http://localhost/ || exit 1\n"},
		{name: "ps in exec-form HEALTHCHECK", why: "calls ps",
			in: "FROM node:20\nHEALTHCHECK CMD [\"ps\", \"aux\"]\n"},
		{name: "pip install needs a compiler", why: "pip install may compile native extensions",
			in: "FROM python:3.11\nRUN pip install -r requirements.txt\n"},
		{name: "npm ci needs python3 and make", why: "has no C++ compiler, make, python3",
			in: "FROM node:20\nRUN npm ci\n"},
		{name: "bundle install", why: "bundle install may compile",
			in: "FROM ruby:3.3\nRUN bundle install\n"},
		{name: "gcc purged before pip", why: "pip install may compile",
			in: "FROM python:3.11\nRUN apt-get install -y gcc && apt-get purge -y gcc && pip install x\n"},
		{name: "installed after use", why: "calls make",
			in: "FROM python:3.11\nRUN make\nRUN apt-get install -y make\n"},
		{name: "script from the context", why: "runs ./build.sh",
			in: "FROM python:3.11\nCOPY build.sh .\nRUN ./build.sh\n"},
		{name: "sh script", why: "runs the script build.sh with sh",
			in: "FROM python:3.11\nRUN sh build.sh\n"},
		{name: "computed command", why: "computes ($CC)",
			in: "FROM python:3.11\nRUN $CC -v\n"},
		{name: "xargs runs gcc", why: "xargs runs gcc",
			in: "FROM python:3.11\nRUN ls *.c | xargs gcc -c\n"},
		{name: "ONBUILD RUN make", why: "calls make",
			in: "FROM python:3.11\nONBUILD RUN make\n"},
		{name: "JSON-form RUN", why: "calls gcc",
			in: "FROM python:3.11\nRUN [\"gcc\", \"-v\"]\n"},
		{name: "sh -c string", why: "calls git",
			in: "FROM python:3.11\nCMD [\"/bin/sh\", \"-c\", \"git log -1 && python app.py\"]\n"},
		{name: "heredoc script", why: "calls wget",
			in: "FROM python:3.11\nRUN <<EOF\nwget -q http://x/y\nEOF\n"},
		{name: "bash reading a heredoc", why: "calls curl",
			in: "FROM python:3.11\nRUN bash <<EOF\ncurl -fsS http://x/\nEOF\n"},
		{name: "docs read", why: "reads /usr/share/doc",
			in: "FROM debian:bookworm\nRUN cat /usr/share/doc/bash/copyright\n"},
		{name: "jdk tools", why: "calls javac",
			in: "FROM eclipse-temurin:21\nRUN javac Main.java\nCMD [\"java\", \"Main\"]\n"},
		{name: "java source launcher", why: "needs the JDK's compiler",
			in: "FROM eclipse-temurin:21\nCMD [\"java\", \"Main.java\"]\n"},
		{name: "jdk default cmd", why: "jshell",
			in: "FROM eclipse-temurin:21\nCOPY app.jar /\n"},
		{name: "wheels built on the full image", why: "copies files from stage \"build\", which runs pip wheel",
			in: "FROM python:3.12 AS build\nRUN pip wheel -w /w -r r.txt\nFROM python:3.12\nCOPY --from=build /w /w\nRUN pip install --only-binary=:all: /w/*.whl\n"},
		{name: "builder running make, through its parent stage", why: "which runs make",
			in: "FROM python:3.12 AS tools\nRUN make -C /src\nFROM tools AS build\nFROM python:3.12\nRUN --mount=from=build,target=/b cp /b/x /x\n"},
		{name: "copied from", why: "copies files out of stage \"base\"",
			in: "FROM python:3.11 AS base\nFROM base\nCOPY --from=base /usr/bin/git /git\n"},
		{name: "digest", why: "pinned by digest",
			in: "FROM python:3.11@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"},
		{name: "arg", why: "ARG PY defaults to \"3.11\"",
			in: "ARG PY=3.11\nFROM python:${PY}\n"},
		{name: "arg no default", why: "ARG TAG has no default",
			in: "ARG TAG\nFROM node:$TAG\n"},
		{name: "already slim", why: "already a slim variant",
			in: "FROM python:3.11-slim\n"},
		{name: "npm script unreadable", why: "package.json cannot be read",
			in: "FROM node:20\nRUN npm run build\n"},
		{name: "npm script calls git", why: "calls git", context: map[string]string{"package.json": `{"scripts":{"prebuild":"git rev-parse HEAD > v"}}`},
			in: "FROM node:20\nRUN npm run build\n"},
		{name: "powershell", why: "not a POSIX shell",
			in: "FROM python:3.11\nSHELL [\"powershell\", \"-Command\"]\nRUN Write-Host hi\n"},
		{name: "man", why: "no manual pages",
			in: "FROM python:3.11\nRUN man ls\n"},
	})
}
