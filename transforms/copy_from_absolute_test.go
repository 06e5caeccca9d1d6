package transforms

import (
	"strings"
	"testing"
)

func TestCopyFromAbsoluteChanges(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"golang default workdir",
			"FROM golang:1.22\nCOPY hello.go .\nRUN go build hello.go\nFROM debian\nCOPY --from=0 hello /usr/bin/\n",
			"FROM golang:1.22\nCOPY hello.go .\nRUN go build hello.go\nFROM debian\nCOPY --from=0 /go/hello /usr/bin/\n"},
		{"named stage, explicit workdir",
			"FROM debian AS b\nWORKDIR /src\nCOPY . .\nRUN gcc -o hello hello.c\nFROM debian\nCOPY --from=b hello out/x /opt/\n",
			"FROM debian AS b\nWORKDIR /src\nCOPY . .\nRUN gcc -o hello hello.c\nFROM debian\nCOPY --from=b /src/hello /src/out/x /opt/\n"},
		{"relative workdir and trailing slash",
			"FROM golang AS b\nWORKDIR app\nRUN go build -o out/x .\nFROM debian\nCOPY --from=b out/ /o/\n",
			"FROM golang AS b\nWORKDIR app\nRUN go build -o out/x .\nFROM debian\nCOPY --from=b /go/app/out/ /o/\n"},
		{"through a parent stage",
			"FROM golang AS base\nWORKDIR /w\nFROM base AS b\nRUN go build -o x .\nFROM debian\nCOPY --from=b ./x /x\n",
			"FROM golang AS base\nWORKDIR /w\nFROM base AS b\nRUN go build -o x .\nFROM debian\nCOPY --from=b /w/x /x\n"},
		{"cd to an absolute directory", "FROM golang AS b\nRUN cd /tmp && go build -o x .\nFROM debian\nCOPY --from=b x /x\n",
			"FROM golang AS b\nRUN cd /tmp && go build -o x .\nFROM debian\nCOPY --from=b /go/x /x\n"},
		{"a path that only ends in the name", "FROM golang AS b\nRUN go build -o /go/x . && cp /go/x /go/bin/x\nFROM debian\nCOPY --from=b x /x\n",
			"FROM golang AS b\nRUN go build -o /go/x . && cp /go/x /go/bin/x\nFROM debian\nCOPY --from=b /go/x /x\n"},
		{"apt-get in / before the workdir",
			"FROM debian AS b\nRUN apt-get update && apt-get install -y gcc\nWORKDIR /src\nRUN gcc -o hello hello.c\nFROM debian\nCOPY --from=b hello /x\n",
			"FROM debian AS b\nRUN apt-get update && apt-get install -y gcc\nWORKDIR /src\nRUN gcc -o hello hello.c\nFROM debian\nCOPY --from=b /src/hello /x\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkFix(t, CopyFromAbsolute, nil, c.in, c.want, "")
		})
	}
}

func TestCopyFromAbsoluteLeavesAlone(t *testing.T) {
	cases := []struct{ name, in, note string }{
		{"workdir is /", "FROM debian AS b\nRUN gcc -o hello hello.c\nFROM debian\nCOPY --from=b hello /x\n", ""},
		{"absolute already", "FROM golang AS b\nFROM debian\nCOPY --from=b /go/x /x\n", ""},
		{"unknown base", "FROM myorg/builder AS b\nWORKDIR /src\nRUN make\nFROM debian\nCOPY --from=b hello /x\n", "is not one whose root dockopt knows"},
		{"standard directory", "FROM golang AS b\nFROM debian\nCOPY --from=b etc/passwd /x\n", "standard directory"},
		{"run writes the root entry", "FROM golang AS b\nRUN go build -o /hello .\nFROM debian\nCOPY --from=b hello /x\n", "naming /hello"},
		{"glued option", "FROM golang AS b\nRUN go build -o/hello .\nFROM debian\nCOPY --from=b hello /x\n", "naming /hello"},
		{"run writes into /", "FROM golang AS b\nRUN cp x /\nFROM debian\nCOPY --from=b hello /x\n", "naming /hello, / or"},
		{"cd to parent", "FROM golang AS b\nRUN cd .. && go build -o hello .\nFROM debian\nCOPY --from=b hello /x\n", "parent"},
		{"computed word", "FROM golang AS b\nRUN go build -o $OUT .\nFROM debian\nCOPY --from=b hello /x\n", "computes"},
		{"copy into root", "FROM golang AS b\nCOPY hello /\nFROM debian\nCOPY --from=b hello /x\n", "may copy into /hello"},
		{"workdir at the name", "FROM golang AS b\nWORKDIR /hello\nWORKDIR /go\nFROM debian\nCOPY --from=b hello /x\n", "creates /hello"},
		{"heredoc run", "FROM golang AS b\nRUN <<EOF\ngo build -o hello .\nEOF\nFROM debian\nCOPY --from=b hello /x\n", "cannot read"},
		{"glob", "FROM golang AS b\nFROM debian\nCOPY --from=b *.jar /x/\n", "pattern"},
		{"whole root", "FROM golang AS b\nFROM debian\nCOPY --from=b . /x/\n", "pattern"},
		{"json form", "FROM golang AS b\nFROM debian\nCOPY --from=b [\"hello\", \"/x\"]\n", "JSON-form"},
		{"env names the root", "FROM golang AS b\nENV GOBIN=/\nRUN go install .\nFROM debian\nCOPY --from=b hello /x\n", "names /hello or /"},
		{"a word in / named like the source", "FROM debian AS b\nRUN tar xf hello.tar\nWORKDIR /src\nFROM debian\nCOPY --from=b hello /x\n", "may write /hello"},
		{"make in /", "FROM debian AS b\nRUN make\nWORKDIR /src\nFROM debian\nCOPY --from=b hello /x\n", "default output"},
		{"external image", "FROM debian\nCOPY --from=golang:1.22 hello /x\n", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := runOne(t, CopyFromAbsolute, c.in, nil)
			if res.Changed() {
				t.Errorf("changed:\n%s", res.Output)
			}
			if c.note == "" {
				if len(res.Findings) > 0 {
					t.Errorf("want no finding, got %v", res.Findings)
				}
				return
			}
			if len(res.Findings) == 0 || !strings.Contains(res.Findings[0].Message, c.note) {
				t.Errorf("want a note containing %q, got %v", c.note, res.Findings)
			}
		})
	}
}
