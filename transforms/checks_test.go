package transforms

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dockopt/dockopt/rewrite"
)

// checkCase is a "catches" snippet (want lists the findings as
// "line: severity") or a "catches not" one (want empty). Snippets get
// "FROM x\n" prepended unless they start with FROM, a directive or ARG.
type checkCase struct {
	name, in string
	want     []string
	context  map[string]string // files of the build context (nil: no context)
}

// lintFindings runs transforms over src as `dockopt check` would see their
// findings: no left-alone notes, nothing suppressed.
func lintFindings(t *testing.T, path string, src []byte, ts []*rewrite.Transform, settings *rewrite.Settings) []rewrite.Finding {
	t.Helper()
	var out []rewrite.Finding
	for _, f := range fixFile(t, path, src, ts, settings).Findings {
		if !f.LeftAlone && !f.Suppressed {
			out = append(out, f)
		}
	}
	return out
}

func runCheckCases(t *testing.T, tr *rewrite.Transform, cases []checkCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := c.in
			if !strings.HasPrefix(in, "FROM") && !strings.HasPrefix(in, "from") && !strings.HasPrefix(in, "#") && !strings.HasPrefix(in, "ARG") {
				in = "FROM x\n" + in
			}
			settings := &rewrite.Settings{}
			path := "Dockerfile"
			if c.context != nil {
				dir := writeContext(t, c.context)
				settings.ContextDir, path = dir, filepath.Join(dir, "Dockerfile")
			}
			res, err := rewrite.Fix(path, []byte(in), []*rewrite.Transform{tr}, settings)
			if err != nil {
				t.Fatal(err)
			}
			if res.Changed() {
				t.Errorf("a report-only check changed the file:\n%s", res.Output)
			}
			var got []string
			for _, f := range lintFindings(t, path, []byte(in), []*rewrite.Transform{tr}, settings) {
				if len(f.Edits) > 0 {
					t.Errorf("finding with edits: %v", f)
				}
				got = append(got, fmt.Sprintf("%d: %s", f.Line, f.Severity))
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("findings %q, want %q\n%s", got, c.want, in)
			}
		})
	}
}

func TestPinBaseImage(t *testing.T) {
	runCheckCases(t, PinBaseImage, []checkCase{
		{name: "catches untagged", in: "FROM node\n", want: []string{"1: warning"}},
		{name: "catches latest", in: "FROM node:latest\n", want: []string{"1: warning"}},
		{name: "catches registry port untagged", in: "FROM registry:5000/team/app\n", want: []string{"1: warning"}},
		{name: "catches arg default latest", in: "ARG IMG=node:latest\nFROM ${IMG}\n", want: []string{"2: warning"}},
		{name: "catches arg default untagged", in: "ARG IMG=node\nFROM $IMG AS a\n", want: []string{"2: warning"}},
		{name: "catches tag arg latest", in: "ARG TAG=latest\nFROM node:${TAG}\n", want: []string{"2: warning"}},
		{name: "catches each stage", in: "FROM golang AS b\nFROM alpine:latest\n", want: []string{"1: warning", "2: warning"}},
		{name: "catches with platform", in: "FROM --platform=$BUILDPLATFORM golang\n", want: []string{"1: warning"}},
		{name: "catches lowercase", in: "from node\n", want: []string{"1: warning"}},
		{name: "catches not tagged", in: "FROM node:22-slim\n"},
		{name: "catches not registry port tagged", in: "FROM registry:5000/app:1.2\n"},
		{name: "catches not digest", in: "FROM node@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"},
		{name: "catches not latest with digest", in: "FROM node:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"},
		{name: "catches not scratch", in: "FROM scratch\n"},
		{name: "catches not stage", in: "FROM golang:1.22 AS build\nFROM build\n"},
		{name: "catches not arg pinned", in: "ARG VERSION=22\nFROM node:${VERSION}\n"},
		{name: "catches not arg image pinned", in: "ARG IMG=node:22\nFROM ${IMG}\n"},
		{name: "catches not arg without default", in: "ARG IMG\nFROM ${IMG}\n"},
		{name: "catches not platform arg", in: "FROM ${TARGETARCH}/node\n"},
		{name: "catches not arg naming a stage", in: "ARG BASE=build\nFROM golang:1.22 AS build\nFROM ${BASE}\n"},
	})
}

func TestNonRootUser(t *testing.T) {
	runCheckCases(t, NonRootUser, []checkCase{
		{name: "catches no user", in: "FROM debian:12\nCMD [\"x\"]\n", want: []string{"1: info"}},
		{name: "catches user root", in: "FROM debian:12\nUSER app\nUSER root\n", want: []string{"3: warning"}},
		{name: "catches user 0", in: "FROM debian:12\nUSER 0:0\n", want: []string{"2: warning"}},
		{name: "catches only the final stage", in: "FROM debian:12 AS b\nUSER app\nFROM debian:12\n", want: []string{"3: info"}},
		{name: "catches root inherited", in: "FROM debian:12 AS b\nUSER root\nFROM b\nRUN x\n", want: []string{"2: warning"}},
		{name: "catches scratch that runs", in: "FROM scratch\nCOPY app /\nENTRYPOINT [\"/app\"]\n", want: []string{"1: info"}},
		{name: "catches not user", in: "FROM debian:12\nUSER app\n"},
		{name: "catches not numeric user", in: "FROM debian:12\nUSER 10001:10001\n"},
		{name: "catches not inherited user", in: "FROM debian:12 AS b\nUSER app\nFROM b\nRUN x\n"},
		{name: "catches not variable user", in: "FROM debian:12\nARG U=root\nUSER $U\n"},
		{name: "catches not nonroot base", in: "FROM gcr.io/distroless/static:nonroot\n"},
		{name: "catches not windows", in: "FROM mcr.microsoft.com/windows/servercore:ltsc2022\n"},
		{name: "catches not export stage", in: "FROM scratch\nCOPY out /\n"},
	})
}

func TestScratchCACertificates(t *testing.T) {
	build := "FROM golang:1.22 AS build\nRUN go build -o /app .\n"
	runCheckCases(t, ScratchCACertificates, []checkCase{
		{name: "catches info", in: build + "FROM scratch\nCOPY --from=build /app /app\nENTRYPOINT [\"/app\"]\n", want: []string{"3: info"}},
		{name: "catches https in cmd", in: build + "FROM scratch\nCOPY --from=build /app /app\nCMD [\"/app\", \"https://x\"]\n", want: []string{"3: warning"}},
		{name: "catches https in env", in: build + "FROM scratch\nENV API=https://api.example.com\nCOPY --from=build /app /app\nENTRYPOINT [\"/app\"]\n", want: []string{"3: warning"}},
		{name: "catches through a stage", in: "FROM scratch AS base\nENTRYPOINT [\"/app\"]\nFROM base\nCOPY app /app\n", want: []string{"3: info"}},
		{name: "catches arg scratch", in: "ARG BASE=scratch\nFROM ${BASE}\nCMD [\"/app\"]\n", want: []string{"2: info"}},
		{name: "catches not certs copied", in: build + "FROM scratch\nCOPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\nCOPY --from=build /app /app\nENTRYPOINT [\"/app\"]\n"},
		{name: "catches not certs dir", in: "FROM scratch\nCOPY --from=alpine:3.20 /etc/ssl /etc/ssl\nENTRYPOINT [\"/app\"]\n"},
		{name: "catches not ssl env", in: "FROM scratch\nENV SSL_CERT_FILE=/certs.pem\nENTRYPOINT [\"/app\"]\n"},
		{name: "catches not rootfs", in: "FROM scratch\nADD rootfs.tar.gz /\nCMD [\"/bin/app\"]\n"},
		{name: "catches not rootfs dir", in: build + "FROM scratch\nCOPY --from=build /rootfs/ /\nCMD [\"/bin/app\"]\n"},
		{name: "catches not export stage", in: build + "FROM scratch\nCOPY --from=build /app /\n"},
		{name: "catches not base of another stage", in: "FROM scratch AS a\nCMD [\"/x\"]\nFROM a\nCOPY --from=alpine:3.20 /etc/ssl/certs /etc/ssl/certs\n"},
		{name: "catches not distroless", in: "FROM gcr.io/distroless/static\nENTRYPOINT [\"/app\"]\n"},
		{name: "catches not https in label", in: "FROM scratch\nLABEL org.opencontainers.image.source=https://github.com/x/y\nCOPY --from=alpine:3.20 /etc/ssl/certs/ /etc/ssl/certs/\nCMD [\"/app\"]\n"},
	})
}

func TestNoAptUpgrade(t *testing.T) {
	runCheckCases(t, NoAptUpgrade, []checkCase{
		{name: "catches upgrade", in: "RUN apt-get update && apt-get -y upgrade\n", want: []string{"2: warning"}},
		{name: "catches dist-upgrade", in: "RUN apt-get dist-upgrade -y\n", want: []string{"2: warning"}},
		{name: "catches apt full-upgrade", in: "RUN apt full-upgrade -y\n", want: []string{"2: warning"}},
		{name: "catches once per RUN", in: "RUN apt-get upgrade -y && apt-get dist-upgrade -y\n", want: []string{"2: warning"}},
		{name: "catches behind sudo and options", in: "RUN sudo apt-get -o Dpkg::Options::=--force-confold -y upgrade\n", want: []string{"2: warning"}},
		{name: "catches heredoc", in: "RUN <<EOF\napt-get update\napt-get upgrade -y\nEOF\n", want: []string{"2: warning"}},
		{name: "catches exec form sh -c", in: "RUN [\"sh\", \"-c\", \"apt-get upgrade -y\"]\n", want: []string{"2: warning"}},
		{name: "catches onbuild", in: "ONBUILD RUN apt-get upgrade -y\n", want: []string{"2: warning"}},
		{name: "catches not install", in: "RUN apt-get install -y --only-upgrade openssl\n"},
		{name: "catches not echo", in: "RUN echo apt-get upgrade\n"},
		{name: "catches not apk", in: "RUN apk upgrade\n"},
		{name: "catches not python heredoc", in: "RUN <<EOF\n#!/usr/bin/env python3\nprint('apt-get upgrade')\nEOF\n"},
		{name: "catches not powershell", in: "SHELL [\"powershell\", \"-Command\"]\nRUN apt-get upgrade\n"},
	})
}

func TestNoCurlPipeSh(t *testing.T) {
	runCheckCases(t, NoCurlPipeSh, []checkCase{
		{name: "catches curl sh", in: "RUN curl -fsSL https://x/install.sh | sh\n", want: []string{"2: warning"}},
		{name: "catches wget bash", in: "RUN wget -qO- https://x/i.sh | bash -s -- --yes\n", want: []string{"2: warning"}},
		{name: "catches sudo bash", in: "RUN curl -sL https://deb.nodesource.com/setup_20.x | sudo -E bash -\n", want: []string{"2: warning"}},
		{name: "catches through a filter", in: "RUN curl -s https://x/i.sh.gz | gunzip | sh\n", want: []string{"2: warning"}},
		{name: "catches python", in: "RUN curl -sSL https://install.python-poetry.org | python3 -\n", want: []string{"2: warning"}},
		{name: "catches command substitution", in: "RUN sh -c \"$(curl -fsSL https://x/install.sh)\"\n", want: []string{"2: warning"}},
		{name: "catches process substitution", in: "RUN bash <(curl -s https://x/i.sh)\n", want: []string{"2: warning"}},
		{name: "catches eval", in: "RUN eval \"$(wget -qO- https://x/env)\"\n", want: []string{"2: warning"}},
		{name: "catches in a chain", in: "RUN apt-get update && curl https://x | bash && rm -rf /tmp/x\n", want: []string{"2: warning"}},
		{name: "catches heredoc", in: "RUN <<EOF\nset -e\ncurl https://x | sh\nEOF\n", want: []string{"2: warning"}},
		{name: "catches substitution in a pipeline", in: "RUN bash -c \"$(curl -fsSL https://x/i.sh)\" 2>&1 | tee /log\n", want: []string{"2: warning"}},
		{name: "catches not downloaded to a file", in: "RUN curl -fsSLo /tmp/i.sh https://x/i.sh && sha256sum -c sums && sh /tmp/i.sh\n"},
		{name: "catches not data into a program", in: "RUN curl -s https://x/key.gpg | gpg --dearmor -o /k.gpg\n"},
		{name: "catches not sh -c with a program", in: "RUN curl -s https://x/list | sh -c 'cat > /list'\n"},
		{name: "catches not python reading json", in: "RUN curl -s https://x/v.json | python3 -c 'import json,sys; print(json.load(sys.stdin))'\n"},
		{name: "catches not python script file", in: "RUN curl -s https://x/data | python3 parse.py\n"},
		{name: "catches not substitution as data", in: "RUN sh -c \"echo $(curl -s https://x/version)\"\n"},
		{name: "catches not tar", in: "RUN curl -sL https://x/a.tgz | tar -xz -C /opt\n"},
		{name: "catches not no download", in: "RUN cat script.sh | sh\n"},
	})
}

func TestNoUpx(t *testing.T) {
	runCheckCases(t, NoUpx, []checkCase{
		{name: "catches upx", in: "RUN upx --best /app\n", want: []string{"2: warning"}},
		{name: "catches in a chain", in: "RUN go build -o /app . && upx -9 /app\n", want: []string{"2: warning"}},
		{name: "catches ucl", in: "RUN upx-ucl /app\n", want: []string{"2: warning"}},
		{name: "catches onbuild", in: "ONBUILD RUN upx /app\n", want: []string{"2: warning"}},
		{name: "catches not decompress", in: "RUN upx -d /app\n"},
		{name: "catches not version", in: "RUN upx --version\n"},
		{name: "catches not install", in: "RUN apt-get install -y upx\n"},
		{name: "catches not bare", in: "RUN upx\n"},
	})
}

func TestNoSudo(t *testing.T) {
	runCheckCases(t, NoSudo, []checkCase{
		{name: "catches sudo", in: "RUN sudo apt-get update\n", want: []string{"2: warning"}},
		{name: "catches sudo with options", in: "RUN sudo -u app -E make\n", want: []string{"2: warning"}},
		{name: "catches inside if", in: "RUN if true; then sudo make install; fi\n", want: []string{"2: warning"}},
		{name: "catches env sudo", in: "RUN env DEBIAN_FRONTEND=noninteractive sudo apt-get install -y x\n", want: []string{"2: warning"}},
		{name: "catches once per RUN", in: "RUN sudo a && sudo b\n", want: []string{"2: warning"}},
		{name: "catches heredoc", in: "RUN <<EOF\nsudo make install\nEOF\n", want: []string{"2: warning"}},
		{name: "catches exec form", in: "RUN [\"sudo\", \"make\"]\n", want: []string{"2: warning"}},
		{name: "catches not gosu", in: "RUN gosu app make\n"},
		{name: "catches not installing sudo", in: "RUN apt-get install -y sudo\n"},
		{name: "catches not echo", in: "RUN echo sudo\n"},
		{name: "catches not in CMD", in: "CMD sudo -u app /start\n"},
	})
}

func TestWorkdirNotCd(t *testing.T) {
	runCheckCases(t, WorkdirNotCd, []checkCase{
		{name: "catches prefix", in: "RUN cd /app && make\n", want: []string{"2: info"}},
		{name: "catches prefix of a long chain", in: "RUN cd /app && ./configure && make && make install\n", want: []string{"2: info"}},
		{name: "catches list", in: "RUN cd /app; make\n", want: []string{"2: info"}},
		{name: "catches alone", in: "RUN cd /app\n", want: []string{"2: info"}},
		{name: "catches relative", in: "RUN cd src && make\n", want: []string{"2: info"}},
		{name: "catches heredoc", in: "RUN <<EOF\ncd /app\nmake\nEOF\n", want: []string{"2: info"}},
		{name: "catches not later cd", in: "RUN make && cd /app\n"},
		{name: "catches not cd back", in: "RUN cd /tmp && make && cd /\n"},
		{name: "catches not subshell", in: "RUN (cd /app && make) && echo done\n"},
		{name: "catches not or exit", in: "RUN cd /app || exit 1\n"},
		{name: "catches not variable", in: "RUN cd $HOME && make\n"},
		{name: "catches not home", in: "RUN cd ~ && make\n"},
		{name: "catches not cd -", in: "RUN cd - && make\n"},
		{name: "catches not two dirs", in: "RUN cd /a && make && cd /b && make\n"},
		{name: "catches not workdir", in: "WORKDIR /app\nRUN make\n"},
	})
}

func TestNoSecretsInEnv(t *testing.T) {
	runCheckCases(t, NoSecretsInEnv, []checkCase{
		{name: "catches env password", in: "ENV DB_PASSWORD=hunter2\n", want: []string{"2: error"}},
		{name: "catches env legacy form", in: "ENV API_TOKEN abc123\n", want: []string{"2: error"}},
		{name: "catches quoted", in: "ENV SECRET=\"s e c\"\n", want: []string{"2: error"}},
		{name: "catches arg default", in: "ARG GITHUB_TOKEN=ghp_abc\n", want: []string{"1: error"}},
		{name: "catches stage arg", in: "FROM x\nARG NPM_TOKEN=x1\n", want: []string{"2: error"}},
		{name: "catches api key", in: "ENV STRIPE_API_KEY=sk_live_1\n", want: []string{"2: error"}},
		{name: "catches camel case", in: "ENV dbPassword=x\n", want: []string{"2: error"}},
		{name: "catches private key", in: "ENV SSH_PRIVATE_KEY=abc\n", want: []string{"2: error"}},
		{name: "catches two in one ENV", in: "ENV A_TOKEN=a B_SECRET=b C=c\n", want: []string{"2: error", "2: error"}},
		{name: "catches after a check comment", in: "FROM x\n# check=skip=JSONArgsRecommended\nENV DB_PASSWORD=x1\n", want: []string{"3: error"}},
		{name: "catches not arg without default", in: "ARG GITHUB_TOKEN\n"},
		{name: "catches not empty", in: "ENV DB_PASSWORD=\"\"\n"},
		{name: "catches not variable", in: "FROM x\nARG T\nENV API_TOKEN=$T\n"},
		{name: "catches not file", in: "ENV DB_PASSWORD_FILE=/run/secrets/db\n"},
		{name: "catches not a path to the secret", in: "ENV GOOGLE_APPLICATION_CREDENTIALS=/app/key.json SSH_PRIVATE_KEY=~/.ssh/id_ed25519\n"},
		{name: "catches not a windows path", in: "ENV API_KEY=C:\\keys\\api.txt\n"},
		{name: "catches not gpg key", in: "ENV GPG_KEY=E3FF2839C048B25C084DEBE9B26995E310250568\n"},
		{name: "catches not public key", in: "ENV PUBLIC_KEY=ssh-ed25519\n"},
		{name: "catches not flag", in: "ENV AUTH_TOKEN=true\n"},
		{name: "catches not length", in: "ENV PASSWORD_MIN_LENGTH=12\n"},
		{name: "catches not unrelated", in: "ENV NODE_ENV=production KEYBOARD=us\n"},
		{name: "catches not tokenizer", in: "ENV TOKENIZERS_PARALLELISM=false HF_TOKENIZER=bert\n"},
	})
}

func TestDockerignoreMissing(t *testing.T) {
	none := map[string]string{"main.go": "package main\n"}
	runCheckCases(t, DockerignoreMissing, []checkCase{
		{name: "catches copy dot", in: "COPY . .\n", context: none, want: []string{"2: warning"}},
		{name: "catches add dot slash", in: "ADD ./ /app/\n", context: none, want: []string{"2: warning"}},
		{name: "catches star", in: "COPY * /app/\n", context: none, want: []string{"2: warning"}},
		{name: "catches json form", in: "COPY [\".\", \"/app\"]\n", context: none, want: []string{"2: warning"}},
		{name: "catches with chown", in: "COPY --chown=app . /app\n", context: none, want: []string{"2: warning"}},
		{name: "catches each", in: "COPY . /a\nFROM y\nCOPY . /b\n", context: none, want: []string{"2: warning", "4: warning"}},
		{name: "catches not with dockerignore", in: "COPY . .\n", context: map[string]string{".dockerignore": ".git\n"}},
		{name: "catches not with Dockerfile.dockerignore", in: "COPY . .\n", context: map[string]string{"Dockerfile.dockerignore": ".git\n"}},
		{name: "catches not from stage", in: "COPY --from=build . .\n", context: none},
		{name: "catches not named files", in: "COPY go.mod go.sum ./\nCOPY src/ /app/\n", context: none},
		{name: "catches not without context", in: "COPY . .\n"},
	})
}

// TestChecksMetadata: checks carry the data docs are generated from, never
// collide with a Suite ID, and run by default.
func TestChecksMetadata(t *testing.T) {
	seen := map[string]bool{}
	for _, tr := range All() {
		if seen[tr.ID] {
			t.Errorf("%s: duplicate ID in All()", tr.ID)
		}
		seen[tr.ID] = true
	}
	for _, tr := range Checks {
		if !idRe.MatchString(tr.ID) || tr.Summary == "" || len(tr.Rationale) < 40 || tr.Run == nil {
			t.Errorf("%s: incomplete metadata", tr.ID)
		}
		if !tr.Default {
			t.Errorf("%s: checks run by default", tr.ID)
		}
		if checkSeverity[tr.ID] == "" {
			t.Errorf("%s: no entry in checkSeverity", tr.ID)
		}
		for _, code := range tr.Hadolint {
			if !strings.HasPrefix(code, "DL") || len(code) != 6 {
				t.Errorf("%s: hadolint code %q", tr.ID, code)
			}
		}
	}
	if len(checkSeverity) != len(Checks) {
		t.Errorf("checkSeverity has %d entries for %d checks", len(checkSeverity), len(Checks))
	}
}

// TestCheckExamples: each check reports on its Before example and is quiet
// on its After (the fix a human would make).
func TestCheckExamples(t *testing.T) {
	for _, tr := range Checks {
		dir := t.TempDir() // an empty context: dockerignore-missing reports on Before
		settings := &rewrite.Settings{ContextDir: dir}
		if n := len(lintFindings(t, filepath.Join(dir, "Dockerfile"), []byte(tr.Before), []*rewrite.Transform{tr}, settings)); n == 0 {
			t.Errorf("%s: nothing reported on its Before example", tr.ID)
		}
		if tr.ID == "dockerignore-missing" {
			os.WriteFile(filepath.Join(dir, ".dockerignore"), []byte(".git\n"), 0o644)
		}
		if fs := lintFindings(t, filepath.Join(dir, "Dockerfile"), []byte(tr.After), []*rewrite.Transform{tr}, settings); len(fs) > 0 {
			t.Errorf("%s: reports on its After example: %v", tr.ID, fs)
		}
	}
}

// TestCheckFindings compares findings with hand-written .findings files
// (one "line: severity: id" a line): each check run alone over its golden
// cases (../golden/testdata/<id>/, which must also come back unchanged), and
// the checks' findings when everything runs, fixes included, as in `dockopt
// check`, over testdata/checks/. A <case>.context directory is the build
// context, as in the golden tests.
func TestCheckFindings(t *testing.T) {
	for _, tr := range Checks {
		cases, _ := filepath.Glob(filepath.Join("..", "golden", "testdata", tr.ID, "*.Dockerfile"))
		if len(cases) == 0 {
			t.Errorf("%s: no cases in ../golden/testdata/%s/", tr.ID, tr.ID)
		}
		for _, c := range cases {
			t.Run(tr.ID+"/"+strings.TrimSuffix(filepath.Base(c), ".Dockerfile"), func(t *testing.T) {
				compareFindings(t, c, []*rewrite.Transform{tr})
			})
		}
	}
	cases, _ := filepath.Glob(filepath.Join("testdata", "checks", "*.Dockerfile"))
	if len(cases) < 4 {
		t.Errorf("testdata/checks: %d cases, want at least 4", len(cases))
	}
	for _, c := range cases {
		t.Run("all/"+strings.TrimSuffix(filepath.Base(c), ".Dockerfile"), func(t *testing.T) {
			compareFindings(t, c, All())
		})
	}
}

func compareFindings(t *testing.T, c string, ts []*rewrite.Transform) {
	src, err := os.ReadFile(c)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(c + ".findings")
	if err != nil {
		t.Fatalf("%v (write the expected findings by hand)", err)
	}
	settings := &rewrite.Settings{}
	if st, err := os.Stat(strings.TrimSuffix(c, ".Dockerfile") + ".context"); err == nil && st.IsDir() {
		settings.ContextDir = strings.TrimSuffix(c, ".Dockerfile") + ".context"
	}
	isCheck := map[string]bool{}
	for _, tr := range Checks {
		isCheck[tr.ID] = true
	}
	fs := lintFindings(t, c, src, ts, settings)
	rewrite.SortFindings(fs)
	var got strings.Builder
	for _, f := range fs {
		if isCheck[f.Transform] {
			fmt.Fprintf(&got, "%d: %s: %s\n", f.Line, f.Severity, f.Transform)
		}
	}
	if got.String() != string(want) {
		t.Errorf("findings differ from %s.findings\ngot:\n%swant:\n%s", filepath.Base(c), got.String(), want)
	}
}
