package transforms

import (
	"fmt"
	"strings"

	"github.com/dockopt/dockopt/rewrite"
)

// ExposeProtoCasing lower-cases the protocol of EXPOSE ports (BuildKit's
// ExposeProtoCasing).
//
//	EXPOSE 80/TCP 53/UDP  ->  EXPOSE 80/tcp 53/udp
var ExposeProtoCasing = &rewrite.Transform{
	ID:      "expose-proto-casing",
	Summary: "Write the protocol of EXPOSE ports in lower case (BuildKit: ExposeProtoCasing)",
	Rationale: "BuildKit warns about `EXPOSE 80/TCP` and stores the port as `80/tcp` anyway: it lower-cases the " +
		"protocol itself, so writing it in lower case changes nothing in the image. Only the letters of a " +
		"literal tcp, udp or sctp after the last slash of a port change; ports built from variables, quotes " +
		"or escapes are left alone, as is EXPOSE inside ONBUILD.",
	Before:  "FROM nginx\nEXPOSE 80/TCP 53/UDP\n",
	After:   "FROM nginx\nEXPOSE 80/tcp 53/udp\n",
	Default: true,
	Run:     runExposeProtoCasing,

	BuildKitRule: "ExposeProtoCasing",
}

func runExposeProtoCasing(p *rewrite.Pass) {
	d := p.Doc
	if lintSkipped(d, "ExposeProtoCasing") {
		return
	}
	for _, in := range d.Instructions {
		if in.Cmd != "expose" {
			continue
		}
		l := joinedText(d, in)
		if l == nil {
			continue
		}
		_, _, argStart := splitFlags(l.Text, byte(d.Escape))
		var edits []rewrite.Edit
		var ports []string
		for _, w := range blankSplit(l.Text[:trimRightSpace(l.Text)], argStart) {
			word := l.Text[w.Start:w.End]
			i := strings.LastIndexByte(word, '/')
			if i < 0 {
				continue
			}
			proto := word[i+1:]
			low := strings.ToLower(proto)
			if proto == low || !asciiLetters(proto) || (low != "tcp" && low != "udp" && low != "sctp") {
				continue
			}
			edits = append(edits, replaceSameLength(l, w.Start+i+1, w.End, low)...)
			ports = append(ports, word)
		}
		if len(edits) > 0 {
			p.Fix(in, fmt.Sprintf("EXPOSE %s: protocol written in lower case (BuildKit stores it so)", strings.Join(ports, " ")), edits...)
		}
	}
}
