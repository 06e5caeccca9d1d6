package rewrite

import (
	"fmt"
	"strings"
	"testing"
)

// appendAll is a test transform that appends `rm -rf /x` to every RUN.
var appendAll = &Transform{ID: "append-all", Run: func(p *Pass) {
	for _, in := range p.Doc.Instructions {
		if in.Cmd != "run" {
			continue
		}
		sh, err := p.Doc.Shell(in)
		if err != nil {
			p.Skip(in, err.Error())
			continue
		}
		if strings.Contains(sh.Body, "rm -rf /x") {
			continue
		}
		e, err := sh.AppendCommand("rm -rf /x")
		if err != nil {
			p.Skip(in, err.Error())
			continue
		}
		p.Fix(in, "append", e)
	}
}}

// flagInstall is a test transform that inserts a flag after every `install` word of apt-get.
var flagInstall = &Transform{ID: "flag-install", Run: func(p *Pass) {
	for _, in := range p.Doc.Instructions {
		sh, err := p.Doc.Shell(in)
		if err != nil {
			continue
		}
		for _, c := range sh.Commands() {
			if c.Name != "apt-get" {
				continue
			}
			for i, w := range c.Args {
				if i+1 < len(c.Args) {
					if next, _ := WordLit(c.Args[i+1]); next == "--flag" {
						continue
					}
				}
				if v, _ := WordLit(w); v == "install" {
					p.Fix(in, "flag", sh.InsertAfter(w, " --flag"))
				}
			}
		}
	}
}}

func TestShellEdits(t *testing.T) {
	cases := []struct {
		name, in, want string
		tr             *Transform
	}{
		{"one line", "FROM a\nRUN foo\n", "FROM a\nRUN foo && rm -rf /x\n", appendAll},
		{"semicolon", "FROM a\nRUN foo;\n", "FROM a\nRUN foo && rm -rf /x;\n", appendAll},
		{"trailing comment", "FROM a\nRUN foo # note\n", "FROM a\nRUN foo && rm -rf /x # note\n", appendAll},
		{"leading style", "FROM a\nRUN foo \\\n  && bar\n", "FROM a\nRUN foo \\\n  && bar \\\n  && rm -rf /x\n", appendAll},
		{"trailing style", "FROM a\nRUN foo && \\\n\tbar && \\\n\tbaz\n", "FROM a\nRUN foo && \\\n\tbar && \\\n\tbaz && \\\n\trm -rf /x\n", appendAll},
		{"crlf", "FROM a\r\nRUN foo \\\r\n  && bar\r\n", "FROM a\r\nRUN foo \\\r\n  && bar \\\r\n  && rm -rf /x\r\n", appendAll},
		{"no final newline", "FROM a\nRUN foo \\\n  && bar", "FROM a\nRUN foo \\\n  && bar \\\n  && rm -rf /x", appendAll},
		{"comment in continuation", "FROM a\nRUN foo \\\n# c\n  && bar\n", "FROM a\nRUN foo \\\n# c\n  && bar \\\n  && rm -rf /x\n", appendAll},
		{"background left alone", "FROM a\nRUN foo &\n", "FROM a\nRUN foo &\n", appendAll},
		{"heredoc left alone", "# syntax=docker/dockerfile:1\nFROM a\nRUN <<EOF\nfoo\nEOF\n", "# syntax=docker/dockerfile:1\nFROM a\nRUN <<EOF\nfoo\nEOF\n", appendAll},
		{"powershell left alone", "FROM a\nSHELL [\"powershell\", \"-c\"]\nRUN foo\n", "FROM a\nSHELL [\"powershell\", \"-c\"]\nRUN foo\n", appendAll},
		{"windows base left alone", "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN foo\n", "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN foo\n", appendAll},
		{"backtick escape", "# escape=`\nFROM a\nRUN foo `\n  && bar\n", "# escape=`\nFROM a\nRUN foo `\n  && bar `\n  && rm -rf /x\n", appendAll},
		{"flag glued before continuation", "FROM a\nRUN apt-get install\\\n  curl\n", "FROM a\nRUN apt-get install --flag\\\n  curl\n", flagInstall},
		{"flag behind sudo env", "FROM a\nRUN sudo env A=1 apt-get -y install curl\n", "FROM a\nRUN sudo env A=1 apt-get -y install --flag curl\n", flagInstall},
		{"flag in if and subshell", "FROM a\nRUN if true; then (apt-get install x); fi\n", "FROM a\nRUN if true; then (apt-get install --flag x); fi\n", flagInstall},
		{"bom", "\xef\xbb\xbfFROM a\nRUN apt-get install x\n", "\xef\xbb\xbfFROM a\nRUN apt-get install --flag x\n", flagInstall},
		{"onbuild left alone", "FROM a\nONBUILD RUN apt-get install x\n", "FROM a\nONBUILD RUN apt-get install x\n", flagInstall},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := Fix("Dockerfile", []byte(c.in), []*Transform{c.tr}, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range res.Internal {
				t.Error(e)
			}
			if string(res.Output) != c.want {
				t.Errorf("got:\n%q\nwant:\n%q", res.Output, c.want)
			}
		})
	}
}

// TestFindingLinesMapToInput checks that findings of a later transform point
// at lines of the input, not of an intermediate text.
func TestFindingLinesMapToInput(t *testing.T) {
	insertLines := &Transform{ID: "insert-lines", Run: func(p *Pass) {
		in := p.Doc.Instructions[0]
		if !strings.Contains(string(p.Doc.Src), "LABEL a=1") {
			p.Fix(in, "insert", Edit{Start: in.End, End: in.End, New: "LABEL a=1\nLABEL b=2\n"})
		}
	}}
	reportRuns := &Transform{ID: "report-runs", Run: func(p *Pass) {
		for _, in := range p.Doc.Instructions {
			if in.Cmd == "run" {
				p.Report(in, SeverityInfo, "a run")
			}
		}
	}}
	src := "FROM a\n# c\nRUN x \\\n  y\nRUN z\n"
	res, err := Fix("Dockerfile", []byte(src), []*Transform{insertLines, reportRuns}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got [][2]int
	for _, f := range res.Findings {
		if f.Transform == "report-runs" {
			got = append(got, [2]int{f.Line, f.EndLine})
		}
	}
	want := [][2]int{{3, 4}, {5, 5}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("finding lines %v, want %v (input lines)", got, want)
	}
}

func TestCommandsSeeThroughWrappers(t *testing.T) {
	commands := func(body string) []*Command {
		t.Helper()
		doc, err := Parse("Dockerfile", []byte("FROM a\nRUN "+body+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		sh, err := doc.Shell(doc.Instructions[1])
		if err != nil {
			t.Fatal(err)
		}
		return sh.Commands()
	}
	for body, want := range map[string]string{
		"sudo DEBIAN_FRONTEND=noninteractive apt-get install x": "apt-get",
		"sudo -E -u root env A=1 B=2 apt-get install x":         "apt-get",
		"DEBIAN_FRONTEND=noninteractive apt-get install x":      "apt-get",
		"env -i PATH=/bin nice -n 5 pip install x":              "pip",
		"command -p curl -V":                                    "curl",
	} {
		if cmds := commands(body); len(cmds) != 1 || cmds[0].Name != want {
			t.Errorf("%q: commands %v, want one named %s", body, cmds, want)
		}
	}
	if cmds := commands("command -v curl"); len(cmds) != 0 {
		t.Errorf("command -v is a lookup, not a run: %v", cmds)
	}
}

func TestStyleIndentFromOperatorLines(t *testing.T) {
	src := "FROM a\nRUN apt-get update \\\n    && apt-get install -y \\\n        curl \\\n        git\n"
	res, err := Fix("Dockerfile", []byte(src), []*Transform{appendAll}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := src[:len(src)-1] + " \\\n    && rm -rf /x\n"
	if string(res.Output) != want {
		t.Errorf("got\n%s\nwant\n%s", res.Output, want)
	}
}
