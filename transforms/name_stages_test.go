package transforms

import (
	"strings"
	"testing"
)

func TestNameStagesChanges(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"builder by its go build",
			"FROM golang:1.22\nRUN go build -o /app .\nFROM scratch\nCOPY --from=0 /app /app\n",
			"FROM golang:1.22 AS builder\nRUN go build -o /app .\nFROM scratch\nCOPY --from=builder /app /app\n"},
		{"two references, one name",
			"FROM gcc:13\nRUN make\nFROM debian\nCOPY --from=0 /a /a\nCOPY --from=0 /b /b\n",
			"FROM gcc:13 AS builder\nRUN make\nFROM debian\nCOPY --from=builder /a /a\nCOPY --from=builder /b /b\n"},
		{"a stage that builds nothing",
			"FROM alpine\nRUN apk add ca-certificates\nFROM scratch\nCOPY --from=0 /etc/ssl /etc/ssl\n",
			"FROM alpine AS stage-0\nRUN apk add ca-certificates\nFROM scratch\nCOPY --from=stage-0 /etc/ssl /etc/ssl\n"},
		{"already named: the reference uses the name",
			"FROM golang AS build\nRUN go build -o /x .\nFROM scratch\nCOPY --from=0 /x /x\n",
			"FROM golang AS build\nRUN go build -o /x .\nFROM scratch\nCOPY --from=build /x /x\n"},
		{"builder taken by a stage",
			"FROM golang\nRUN go build -o /x .\nFROM debian AS builder\nCOPY --from=0 /x /x\n",
			"FROM golang AS builder-2\nRUN go build -o /x .\nFROM debian AS builder\nCOPY --from=builder-2 /x /x\n"},
		{"builder taken by an image in FROM",
			"FROM golang\nRUN go build -o /x .\nFROM builder\nCOPY --from=0 /x /x\n",
			"FROM golang AS builder-2\nRUN go build -o /x .\nFROM builder\nCOPY --from=builder-2 /x /x\n"},
		{"builder taken by an image in --from",
			"FROM golang\nRUN go build -o /x .\nFROM debian\nCOPY --from=builder /y /y\nCOPY --from=0 /x /x\n",
			"FROM golang AS builder-2\nRUN go build -o /x .\nFROM debian\nCOPY --from=builder /y /y\nCOPY --from=builder-2 /x /x\n"},
		{"lowercase keyword", "from golang\nrun go build -o /x .\nfrom scratch\ncopy --from=0 /x /x\n",
			"from golang as builder\nrun go build -o /x .\nfrom scratch\ncopy --from=builder /x /x\n"},
		{"platform flag and crlf", "FROM --platform=$BUILDPLATFORM golang\r\nRUN go build -o /x .\r\nFROM scratch\r\nCOPY --chown=1:1 --from=0 /x /x\r\n",
			"FROM --platform=$BUILDPLATFORM golang AS builder\r\nRUN go build -o /x .\r\nFROM scratch\r\nCOPY --chown=1:1 --from=builder /x /x\r\n"},
		{"flag on a continuation line", "FROM golang\nRUN go build -o /x .\nFROM scratch\nCOPY \\\n  --from=0 \\\n  /x /x\n",
			"FROM golang AS builder\nRUN go build -o /x .\nFROM scratch\nCOPY \\\n  --from=builder \\\n  /x /x\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkFix(t, NameStages, nil, c.in, c.want, "")
		})
	}
}

func TestNameStagesLeavesAlone(t *testing.T) {
	cases := []struct{ name, in, note string }{
		{"named reference", "FROM golang AS b\nFROM scratch\nCOPY --from=b /x /x\n", ""},
		{"mount from=0 names an image", "FROM golang\nFROM debian\nRUN --mount=from=0,target=/m ls /m\n", ""},
		{"onbuild index counts another file's stages", "FROM golang\nFROM debian\nONBUILD COPY --from=0 /x /x\n", ""},
		{"index of a later stage", "FROM debian\nCOPY --from=1 /x /x\nFROM golang\n", "does not reference an earlier stage"},
		{"external image", "FROM debian\nCOPY --from=nginx:1 /etc/nginx /etc/nginx\n", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := runOne(t, NameStages, c.in, nil)
			if res.Changed() {
				t.Errorf("changed:\n%s", res.Output)
			}
			if c.note != "" && (len(res.Findings) == 0 || !strings.Contains(res.Findings[0].Message, c.note)) {
				t.Errorf("want a note containing %q, got %v", c.note, res.Findings)
			}
		})
	}
}
