package transforms

import (
	"archive/tar"
	"bytes"
	"fmt"
	"math/rand"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockopt/dockopt/rewrite"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

func TestAddToCopy(t *testing.T) {
	runFixCases(t, AddToCopy, nil, []fixCase{
		{"file", "FROM alpine\nADD app.py /app/\n", "FROM alpine\nCOPY app.py /app/\n", "COPY does the same"},
		{"dot", "FROM alpine\nADD . /app\n", "FROM alpine\nCOPY . /app\n", ""},
		{"flags kept", "FROM alpine\nADD --chown=1000:1000 --chmod=644 --link a.txt b.txt /srv/\n",
			"FROM alpine\nCOPY --chown=1000:1000 --chmod=644 --link a.txt b.txt /srv/\n", ""},
		{"exclude kept", "FROM alpine\nADD --exclude=*.md . /src\n", "FROM alpine\nCOPY --exclude=*.md . /src\n", ""},
		{"lower case", "from alpine\nadd app.py /app/\n", "from alpine\ncopy app.py /app/\n", ""},
		{"mixed case", "FROM alpine\nAdd app.py /app/\n", "FROM alpine\nCopy app.py /app/\n", ""},
		{"json form", "FROM alpine\nADD [\"a b.txt\", \"/x/\"]\n", "FROM alpine\nCOPY [\"a b.txt\", \"/x/\"]\n", ""},
		{"heredoc", "FROM alpine\nADD <<EOF /etc/motd\nhello\nEOF\n", "FROM alpine\nCOPY <<EOF /etc/motd\nhello\nEOF\n", ""},
		{"continuation", "FROM alpine\nADD \\\n  a.txt \\\n  # note\n  /srv/\n", "FROM alpine\nCOPY \\\n  a.txt \\\n  # note\n  /srv/\n", ""},
		{"crlf", "FROM alpine\r\nADD a.txt /srv/\r\n", "FROM alpine\r\nCOPY a.txt /srv/\r\n", ""},
		{"windows path", "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nADD app\\config.json C:\\app\\\n",
			"# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY app\\config.json C:\\app\\\n", ""},
		// ADD stays
		{"url", "FROM alpine\nADD https://example.com/a.txt /a.txt\n", "", ""},
		{"git", "FROM alpine\nADD git@github.com:moby/buildkit.git /src\n", "", ""},
		{"git https", "FROM alpine\nADD https://github.com/moby/buildkit.git#v0.10 /src\n", "", ""},
		{"tarball", "FROM alpine\nADD rootfs.tar.xz /\n", "", ""},
		{"tgz among others", "FROM alpine\nADD a.txt vendor.tgz /srv/\n", "", ""},
		{"gz", "FROM alpine\nADD data.json.gz /data/\n", "", ""},
		{"gem is a tar", "FROM ruby\nADD pkg/app.gem /tmp/\n", "", ""},
		{"checksum", "FROM alpine\nADD --checksum=sha256:abc a.txt /a\n", "", "--checksum is ADD's own flag"},
		{"unpack", "FROM alpine\nADD --unpack=false a.txt /a\n", "", "--unpack"},
		{"keep-git-dir", "FROM alpine\nADD --keep-git-dir=true a /a\n", "", ""},
		{"variable", "FROM alpine\nARG F=a.txt\nADD $F /a\n", "", "variables"},
		{"quoted", "FROM alpine\nADD \"a b.txt\" /a\n", "", "quotes"},
		{"glob without context", "FROM alpine\nADD *.txt /a/\n", "", "cannot be checked"},
		{"glob without extension", "FROM alpine\nADD dist/* /a/\n", "", "cannot be checked"},
		{"onbuild", "FROM alpine\nONBUILD ADD app.py /app/\n", "", ""},
	})
}

func TestAddToCopyContext(t *testing.T) {
	var tb bytes.Buffer
	tw := tar.NewWriter(&tb)
	if err := tw.WriteHeader(&tar.Header{Name: "x", Mode: 0o644, Size: 1}); err != nil {
		t.Fatal(err)
	}
	tw.Write([]byte("x"))
	tw.Close()
	tarball := tb.String()
	dir := writeContext(t, map[string]string{
		"app.py":      "print('hi')\n",
		"rootfs":      tarball,
		"blob.bin":    "\x1f\x8b\x08\x00\x00\x00",
		"src/a.py":    "a\n",
		"src/b.py":    "b\n",
		"mixed/a.dat": "a\n",
		"mixed/b.dat": tarball,
	})
	settings := &rewrite.Settings{ContextDir: dir}
	runFixCases(t, AddToCopy, settings, []fixCase{
		{"plain file", "FROM alpine\nADD app.py /app/\n", "FROM alpine\nCOPY app.py /app/\n", ""},
		{"directory", "FROM alpine\nADD src /src\n", "FROM alpine\nCOPY src /src\n", ""},
		{"missing file", "FROM alpine\nADD generated.txt /g\n", "FROM alpine\nCOPY generated.txt /g\n", ""},
		{"tar without extension", "FROM alpine\nADD rootfs /\n", "", "tar archive"},
		{"gzip magic", "FROM alpine\nADD blob.bin /b\n", "", "tar archive (or a compressed file)"},
		{"glob of sources", "FROM alpine\nADD src/*.py /src/\n", "FROM alpine\nCOPY src/*.py /src/\n", ""},
		{"glob matching a tar", "FROM alpine\nADD mixed/*.dat /d/\n", "", "a file it matches"},
		{"glob matching nothing", "FROM alpine\nADD none/*.py /d/\n", "", "matches nothing"},
	})
	if ok, err := archiveContent(filepath.Join(dir, "rootfs")); err != nil || !ok {
		t.Fatalf("the test's tar header is not recognised: %v %v", ok, err)
	}
}

func TestMaintainerToLabel(t *testing.T) {
	const l = "LABEL org.opencontainers.image.authors="
	runFixCases(t, MaintainerToLabel, nil, []fixCase{
		{"plain", "FROM alpine\nMAINTAINER Jane Doe <jane@example.com>\n", "FROM alpine\n" + l + "\"Jane Doe <jane@example.com>\"\n", "deprecated"},
		{"quotes dollar backslash", "FROM alpine\nMAINTAINER \"J\" $USER a\\b\n", "FROM alpine\n" + l + "\"\\\"J\\\" \\$USER a\\\\b\"\n", ""},
		{"lower case", "from alpine\nmaintainer jane\n", "from alpine\nlabel org.opencontainers.image.authors=\"jane\"\n", ""},
		{"mixed case follows the file", "from alpine\nrun true\nMaintainer jane\n", "from alpine\nrun true\nlabel org.opencontainers.image.authors=\"jane\"\n", ""},
		{"backtick escape", "# escape=`\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nMAINTAINER C:\\Users\\me `x` $y\n",
			"# escape=`\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\n" + l + "\"C:\\Users\\me ``x`` `$y\"\n", ""},
		{"crlf trailing blanks", "FROM alpine\r\nMAINTAINER jane  \r\n", "FROM alpine\r\n" + l + "\"jane\"  \r\n", ""},
		{"no final newline", "FROM alpine\nMAINTAINER jane", "FROM alpine\n" + l + "\"jane\"", ""},
		{"several lines", "FROM alpine\nMAINTAINER jane \\\n  doe\n", "", "several lines"},
		{"label already set", "FROM alpine\nLABEL org.opencontainers.image.authors=x\nMAINTAINER jane\n", "", "already sets"},
	})
}

func TestLegacyKeyValue(t *testing.T) {
	runFixCases(t, LegacyKeyValue, nil, []fixCase{
		{"one word", "FROM alpine\nENV PATH /opt/bin:$PATH\n", "FROM alpine\nENV PATH=/opt/bin:$PATH\n", "key=value"},
		{"blanks get quotes", "FROM alpine\nENV JAVA_OPTS -Xmx1g  -Xss4m\n", "FROM alpine\nENV JAVA_OPTS=\"-Xmx1g  -Xss4m\"\n", ""},
		{"quoted value", "FROM alpine\nLABEL description \"My app\"\n", "FROM alpine\nLABEL description=\"My app\"\n", ""},
		{"several quoted words", "FROM alpine\nENV A \"x\" 'y z'\n", "FROM alpine\nENV A=\"x\"\\ 'y z'\n", ""},
		{"variables with blanks", "FROM alpine\nENV A $HOME and ${USER:-me}\n", "FROM alpine\nENV A=\"$HOME and ${USER:-me}\"\n", ""},
		{"escaped blank", "FROM alpine\nENV A x\\ y z\n", "FROM alpine\nENV A=x\\ y\\ z\n", ""},
		{"separator tabs", "FROM alpine\nENV A\t\tb\n", "FROM alpine\nENV A=b\n", ""},
		{"lower case", "from alpine\nenv a b c\n", "from alpine\nenv a=\"b c\"\n", ""},
		{"crlf", "FROM alpine\r\nENV A b c\r\n", "FROM alpine\r\nENV A=\"b c\"\r\n", ""},
		{"value over lines", "FROM alpine\nENV A b \\\n  # c\n  d\n", "FROM alpine\nENV A=\"b \\\n  # c\n  d\"\n", ""},
		{"backtick escape", "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nENV APP C:\\Program Files\\app\n",
			"# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nENV APP=\"C:\\Program Files\\app\"\n", ""},
		{"no final newline", "FROM alpine\nLABEL a b", "FROM alpine\nLABEL a=b", ""},
		// left alone
		{"already key=value", "FROM alpine\nENV A=b C=d\n", "", ""},
		{"separator over a continuation", "FROM alpine\nENV A \\\n  b\n", "", "continuation separates"},
		{"blanks and ${} with quotes", "FROM alpine\nENV A \"x\" ${B:-y z}\n", "", "${...}"},
		{"onbuild", "FROM alpine\nONBUILD ENV A b\n", "", ""},
		{"check skip", "# check=skip=LegacyKeyValueFormat\nFROM alpine\nENV A b\n", "", ""},
	})
}

func TestDeadInstructions(t *testing.T) {
	runFixCases(t, DeadInstructions, nil, []fixCase{
		{"cmd", "FROM alpine\nCMD [\"a\"]\nRUN true\nCMD [\"b\"]\n", "FROM alpine\nRUN true\nCMD [\"b\"]\n", "overridden by the CMD on line 4"},
		{"three entrypoints", "FROM alpine\nENTRYPOINT a\nENTRYPOINT b\nENTRYPOINT c\n", "FROM alpine\nENTRYPOINT c\n", ""},
		{"healthcheck none", "FROM alpine\nHEALTHCHECK CMD true\nHEALTHCHECK NONE\n", "FROM alpine\nHEALTHCHECK NONE\n", ""},
		{"cmd around entrypoint", "FROM alpine\nCMD a\nENTRYPOINT e\nCMD b\n", "FROM alpine\nENTRYPOINT e\nCMD b\n", ""},
		{"comment above kept", "FROM alpine\n# old\nCMD a\nCMD b\n", "FROM alpine\n# old\nCMD b\n", ""},
		{"comment inside kept", "FROM alpine\nCMD a \\\n  # why\n  b\nCMD c\n", "FROM alpine\n  # why\nCMD c\n", ""},
		{"crlf", "FROM alpine\r\nCMD a\r\nCMD b", "FROM alpine\r\nCMD b", ""},
		{"lower case", "from alpine\ncmd a\ncmd b\n", "from alpine\ncmd b\n", ""},
		// left alone
		{"different stages", "FROM alpine AS a\nCMD a\nFROM a\nCMD b\n", "", ""},
		{"cmd and entrypoint", "FROM alpine\nENTRYPOINT e\nCMD c\n", "", ""},
		{"onbuild", "FROM alpine\nONBUILD CMD a\nCMD b\n", "", ""},
		{"check skip", "# check=skip=MultipleInstructionsDisallowed\nFROM alpine\nCMD a\nCMD b\n", "", ""},
	})
}

func TestRedundantTargetPlatform(t *testing.T) {
	runFixCases(t, RedundantTargetPlatform, nil, []fixCase{
		{"dollar", "FROM --platform=$TARGETPLATFORM alpine\n", "FROM alpine\n", "default"},
		{"braces", "FROM --platform=${TARGETPLATFORM} alpine AS a\n", "FROM alpine AS a\n", ""},
		{"quoted", "FROM --platform=\"$TARGETPLATFORM\" alpine\n", "FROM alpine\n", ""},
		{"flag on its own line", "FROM \\\n  --platform=$TARGETPLATFORM alpine\n", "FROM \\\n  alpine\n", ""},
		{"lower case", "from --platform=$TARGETPLATFORM alpine\n", "from alpine\n", ""},
		{"crlf", "FROM --platform=$TARGETPLATFORM alpine\r\nRUN true\r\n", "FROM alpine\r\nRUN true\r\n", ""},
		// left alone
		{"buildplatform", "FROM --platform=$BUILDPLATFORM golang\n", "", ""},
		{"expression", "FROM --platform=${TARGETPLATFORM:-linux/amd64} alpine\n", "", ""},
		{"arg default", "ARG TARGETPLATFORM=linux/arm64\nFROM --platform=$TARGETPLATFORM alpine\n", "", "ARG TARGETPLATFORM has a default"},
		{"alone between continuations", "FROM \\\n  --platform=$TARGETPLATFORM \\\n  alpine\n", "", "alone between line continuations"},
	})
}

func TestNoEmptyContinuation(t *testing.T) {
	runFixCases(t, NoEmptyContinuation, nil, []fixCase{
		{"one", "FROM alpine\nRUN a \\\n\n  b\n", "FROM alpine\nRUN a \\\n  b\n", "blank line"},
		{"whitespace and several", "FROM alpine\nRUN a \\\n  \n\t\n  b \\\n\n  c\n", "FROM alpine\nRUN a \\\n  b \\\n  c\n", ""},
		{"comment kept", "FROM alpine\nRUN a \\\n# c\n\n  b\n", "FROM alpine\nRUN a \\\n# c\n  b\n", ""},
		{"crlf", "FROM alpine\r\nRUN a \\\r\n\r\n  b\r\n", "FROM alpine\r\nRUN a \\\r\n  b\r\n", ""},
		{"backtick", "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN a `\n\n  b\n",
			"# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN a `\n  b\n", ""},
		{"at end without newline", "FROM alpine\nRUN a \\\n  ", "FROM alpine\nRUN a \\", ""},
		{"blank runs at end", "FROM alpine\nRUN a \\\n\n  \n", "FROM alpine\nRUN a \\\n", ""},
		// left alone
		{"blank after the instruction", "FROM alpine\nRUN a\n\nRUN b\n", "", ""},
		{"heredoc body", "FROM alpine\nRUN <<EOF\na \\\n\nb\nEOF\n", "", ""},
		{"escaped escape", "FROM alpine\nRUN echo a\\\\\n\nRUN b\n", "", ""},
	})
}

func TestExposeProtoCasing(t *testing.T) {
	runFixCases(t, ExposeProtoCasing, nil, []fixCase{
		{"tcp udp", "FROM nginx\nEXPOSE 80/TCP 53/Udp 443\n", "FROM nginx\nEXPOSE 80/tcp 53/udp 443\n", "protocol"},
		{"range and sctp", "FROM nginx\nEXPOSE 8000-8010/SCTP\n", "FROM nginx\nEXPOSE 8000-8010/sctp\n", ""},
		{"variable port", "FROM nginx\nARG P=80\nEXPOSE $P/TCP\n", "FROM nginx\nARG P=80\nEXPOSE $P/tcp\n", ""},
		{"over lines", "FROM nginx\nEXPOSE 80/TCP \\\n  # c\n  81/TCP\n", "FROM nginx\nEXPOSE 80/tcp \\\n  # c\n  81/tcp\n", ""},
		// left alone
		{"lower", "FROM nginx\nEXPOSE 80/tcp\n", "", ""},
		{"quoted", "FROM nginx\nEXPOSE \"80/TCP\"\n", "", ""},
		{"variable proto", "FROM nginx\nARG PROTO=TCP\nEXPOSE 80/$PROTO\n", "", ""},
		{"onbuild", "FROM nginx\nONBUILD EXPOSE 80/TCP\n", "", ""},
	})
}

func TestInstructionCasing(t *testing.T) {
	runFixCases(t, InstructionCasing, nil, []fixCase{
		{"upper majority", "FROM alpine\nrun a\nRUN b\n", "FROM alpine\nRUN a\nRUN b\n", "upper case"},
		{"lower majority", "from alpine\nrun a\nRUN b\n", "from alpine\nrun a\nrun b\n", "lower case"},
		{"tie is upper", "from alpine\nRUN b\n", "FROM alpine\nRUN b\n", ""},
		{"mixed does not count", "FROM alpine\nRun a\nrun b\nCmd c\n", "FROM alpine\nRUN a\nRUN b\nCMD c\n", ""},
		{"from as follows", "From alpine as build\nRUN a\nRUN b\n", "FROM alpine AS build\nRUN a\nRUN b\n", ""},
		{"meta args too", "arg V=1\nFROM alpine\nRUN a\n", "ARG V=1\nFROM alpine\nRUN a\n", ""},
		{"keyword over a continuation", "FROM alpine\nRUN a\nR\\\nun b\n", "FROM alpine\nRUN a\nR\\\nUN b\n", ""},
		{"crlf bom", "\xef\xbb\xbffrom alpine\r\nRUN a\r\nRUN b\r\n", "\xef\xbb\xbfFROM alpine\r\nRUN a\r\nRUN b\r\n", ""},
		// left alone
		{"consistent", "from alpine\nrun a\n", "", ""},
		{"onbuild inner", "FROM alpine\nONBUILD run a\n", "", ""},
		{"check skip", "# check=skip=ConsistentInstructionCasing\nFROM alpine\nrun a\nrun b\n", "", ""},
	})
}

func TestFromAsCasing(t *testing.T) {
	runFixCases(t, FromAsCasing, nil, []fixCase{
		{"upper from", "FROM alpine as build\n", "FROM alpine AS build\n", "AS written in the case"},
		{"lower from", "from alpine AS build\n", "from alpine as build\n", ""},
		{"mixed as", "FROM alpine As build\n", "FROM alpine AS build\n", ""},
		{"with platform", "FROM --platform=$BUILDPLATFORM golang as build\n", "FROM --platform=$BUILDPLATFORM golang AS build\n", ""},
		{"as over a continuation", "FROM alpine \\\n  as build\n", "FROM alpine \\\n  AS build\n", ""},
		// left alone
		{"mixed from", "From alpine as build\n", "", ""},
		{"no name", "FROM alpine\n", "", ""},
		{"matching", "from alpine as build\n", "", ""},
	})
}

func TestStageNameCasing(t *testing.T) {
	runFixCases(t, StageNameCasing, nil, []fixCase{
		{"name and refs", "FROM golang AS Builder\nRUN --mount=type=cache,from=Builder,target=/c true\nFROM builder AS Test\nFROM alpine\nCOPY --from=Builder /a /a\nCOPY --from=Test /b /b\n",
			"FROM golang AS builder\nRUN --mount=type=cache,from=builder,target=/c true\nFROM builder AS test\nFROM alpine\nCOPY --from=builder /a /a\nCOPY --from=test /b /b\n", "lower case"},
		{"FROM ref with capitals reported", "FROM golang AS Builder\nFROM Builder\n", "FROM golang AS builder\nFROM Builder\n", "names no stage for BuildKit"},
		{"ref to a lower-case stage", "FROM golang AS builder\nFROM alpine\nCOPY --from=Builder /a /a\n",
			"FROM golang AS builder\nFROM alpine\nCOPY --from=builder /a /a\n", ""},
		// left alone
		{"image ref", "FROM alpine AS base\nCOPY --from=MyRegistry/img:Tag /a /a\n", "", ""},
		{"variable", "FROM alpine AS Base\nFROM alpine\nARG S=Base\nCOPY --from=$S /a /a\n", "FROM alpine AS base\nFROM alpine\nARG S=Base\nCOPY --from=$S /a /a\n", ""},
		{"onbuild", "FROM alpine AS base\nONBUILD COPY --from=Base /a /a\n", "", ""},
		{"check skip", "# check=skip=StageNameCasing\nFROM golang AS Builder\n", "", ""},
	})
}

// TestLegacyKeyValueExpansion checks legacy-key-value against BuildKit
// directly, on generated values full of quotes, escapes, variables and
// blanks: whenever the transform rewrites `ENV K value`, BuildKit must read
// the same key, and expand the new value to what it expanded the old one
// to, in each of a few environments.
func TestLegacyKeyValueExpansion(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	pieces := []string{" ", " ", "a", "\"", "'", "\\", "`", "$", "{", "}", ":", "-", "X", "=", "\t", "#", "%", "/"}
	changed := 0
	for _, esc := range []rune{'\\', '`'} {
		for i := 0; i < 4000; i++ {
			var v strings.Builder
			v.WriteString("a")
			for j := 1 + r.Intn(10); j > 0; j-- {
				v.WriteString(pieces[r.Intn(len(pieces))])
			}
			v.WriteString("z")
			src := fmt.Sprintf("# escape=%c\nFROM scratch\nENV K %s\n", esc, v.String())
			k0, v0, ok := envPair(src)
			if !ok {
				continue // BuildKit rejects it: nothing to compare
			}
			res, err := rewrite.Fix("Dockerfile", []byte(src), []*rewrite.Transform{LegacyKeyValue}, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range res.Internal {
				t.Errorf("%q: %v", src, e)
			}
			if !res.Changed() {
				continue
			}
			changed++
			k1, v1, ok := envPair(string(res.Output))
			if !ok || k1 != k0 {
				t.Errorf("%q -> %q: BuildKit reads another key (%q, %q)", src, res.Output, k0, k1)
				continue
			}
			lex := shell.NewLex(esc)
			for _, env := range [][]string{nil, {"a=1", "X=v w", "K="}, {"X=", "a=\"q\""}} {
				want, _, werr := lex.ProcessWord(v0, shell.EnvsFromSlice(env))
				got, _, gerr := lex.ProcessWord(v1, shell.EnvsFromSlice(env))
				if want != got || (werr == nil) != (gerr == nil) {
					t.Errorf("%q -> %q: expands to %q, was %q (env %q)", src, res.Output, got, want, env)
				}
			}
		}
	}
	if changed < 1000 {
		t.Errorf("only %d values rewritten: the generator no longer exercises the transform", changed)
	}
}

// envPair is the one key/value pair BuildKit reads from a one-ENV file.
func envPair(src string) (key, value string, ok bool) {
	res, err := parser.Parse(strings.NewReader(src))
	if err != nil {
		return "", "", false
	}
	stages, _, err := instructions.Parse(res.AST, nil)
	if err != nil || len(stages) != 1 || len(stages[0].Commands) != 1 {
		return "", "", false
	}
	e, isEnv := stages[0].Commands[0].(*instructions.EnvCommand)
	if !isEnv || len(e.Env) != 1 {
		return "", "", false
	}
	return e.Env[0].Key, e.Env[0].Value, true
}

// TestNoEmptyContinuationJoin checks no-empty-continuation against BuildKit's
// parser on generated files: every instruction must join to the same text,
// no empty-continuation warning may remain, and the final newline (or its
// absence) must stay.
func TestNoEmptyContinuationJoin(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	lines := []string{"RUN a \\", "", "  ", "\t", "# c", "  b \\", "c", "RUN x", "  \\", "EXPOSE 80 \\", "CMD d", "RUN <<EOF", "EOF", "x \\"}
	joined := func(src string) ([]string, int, bool) {
		res, err := parser.Parse(strings.NewReader(src))
		if err != nil {
			return nil, 0, false
		}
		var out []string
		for _, c := range res.AST.Children {
			out = append(out, c.Original)
		}
		return out, len(res.Warnings), true
	}
	changed := 0
	for i := 0; i < 5000; i++ {
		nl := "\n"
		if r.Intn(3) == 0 {
			nl = "\r\n"
		}
		var sb strings.Builder
		sb.WriteString("FROM scratch" + nl)
		for j := 1 + r.Intn(8); j > 0; j-- {
			sb.WriteString(lines[r.Intn(len(lines))])
			if j > 1 || r.Intn(2) == 0 {
				sb.WriteString(nl)
			}
		}
		src := sb.String()
		before, _, ok := joined(src)
		if !ok {
			continue
		}
		res, err := rewrite.Fix("Dockerfile", []byte(src), []*rewrite.Transform{NoEmptyContinuation}, nil)
		if err != nil {
			continue // the engine rejects it too (instructions.Parse)
		}
		for _, e := range res.Internal {
			t.Errorf("%q: %v", src, e)
		}
		if res.Changed() {
			changed++
		}
		after, warnings, ok := joined(string(res.Output))
		if !ok || strings.Join(before, "\x00") != strings.Join(after, "\x00") {
			t.Errorf("%q -> %q: BuildKit joins the instructions differently", src, res.Output)
		}
		if warnings != 0 {
			t.Errorf("%q -> %q: %d empty-continuation warning(s) remain", src, res.Output, warnings)
		}
		if strings.HasSuffix(src, "\n") != strings.HasSuffix(string(res.Output), "\n") {
			t.Errorf("%q -> %q: final newline changed", src, res.Output)
		}
	}
	if changed < 200 {
		t.Errorf("only %d files changed: the generator no longer exercises the transform", changed)
	}
}
