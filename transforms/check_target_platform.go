package transforms

import (
	"strings"

	"github.com/dockopt/dockopt/rewrite"
)

// RedundantTargetPlatform drops `--platform=$TARGETPLATFORM` from FROM
// (BuildKit's RedundantTargetPlatform).
//
//	FROM --platform=$TARGETPLATFORM alpine  ->  FROM alpine
var RedundantTargetPlatform = &rewrite.Transform{
	ID:      "redundant-target-platform",
	Summary: "Drop `--platform=$TARGETPLATFORM` from FROM: it is the default (BuildKit: RedundantTargetPlatform)",
	Rationale: "A stage is built for the target platform unless its FROM says otherwise, so " +
		"`FROM --platform=$TARGETPLATFORM image` (or `${TARGETPLATFORM}`) repeats the default and BuildKit warns " +
		"about it. The flag and the blank before it are removed; nothing else on the line changes. Left " +
		"alone: any other --platform value ($BUILDPLATFORM, constants, expressions, quoted values), files " +
		"that declare `ARG TARGETPLATFORM=<default>` before the first FROM (the variable then no longer " +
		"holds the target platform), a flag that is alone on a continuation line, and files whose " +
		"`# check=skip=` turns the rule off. One difference remains, which BuildKit itself calls " +
		"redundant: without the flag, a build with no --platform at all may pick a single-platform base " +
		"image's own platform when the builder can run it.",
	Before:  "FROM --platform=$TARGETPLATFORM alpine:3.20\nRUN uname -m\n",
	After:   "FROM alpine:3.20\nRUN uname -m\n",
	Default: true,
	Run:     runRedundantTargetPlatform,

	Hadolint:     []string{"DL3065"},
	BuildKitRule: "RedundantTargetPlatform",
}

func runRedundantTargetPlatform(p *rewrite.Pass) {
	d := p.Doc
	if lintSkipped(d, "RedundantTargetPlatform") {
		return
	}
	for _, st := range d.Stages {
		in := st.From
		l := joinedText(d, in)
		if l == nil {
			continue
		}
		kw, flags, _ := splitFlags(l.Text, byte(d.Escape))
		prevEnd := kw.End
		for _, f := range flags {
			flag := l.Text[f.Start:f.End]
			v, ok := strings.CutPrefix(flag, "--platform=")
			if !ok || !isTargetPlatformRef(v) {
				prevEnd = f.End
				continue
			}
			if targetPlatformRedeclared(d) {
				p.Skip(in, "FROM --platform=$TARGETPLATFORM kept: ARG TARGETPLATFORM has a default before the first FROM, so the variable may not hold the target platform")
				break
			}
			var e rewrite.Edit
			switch {
			case sameLine(l, prevEnd, f.End):
				e = rewrite.Edit{Start: l.Src(prevEnd), End: l.SrcAfter(f.End), New: ""}
			case f.End < len(l.Text) && sameLine(l, f.Start, skipBlanks(l.Text, f.End)):
				e = rewrite.Edit{Start: l.Src(f.Start), End: l.Src(skipBlanks(l.Text, f.End)), New: ""}
			default:
				p.Skip(in, "FROM --platform=$TARGETPLATFORM kept: the flag sits alone between line continuations")
				continue
			}
			p.Fix(in, "FROM "+flag+": the target platform is the default", e)
			break
		}
	}
}

// isTargetPlatformRef reports whether a --platform value as written is just
// the TARGETPLATFORM variable.
func isTargetPlatformRef(v string) bool {
	switch v {
	case "$TARGETPLATFORM", "${TARGETPLATFORM}", `"$TARGETPLATFORM"`, `"${TARGETPLATFORM}"`:
		return true
	}
	return false
}

// targetPlatformRedeclared reports whether an ARG before the first FROM gives
// TARGETPLATFORM a default value, which $TARGETPLATFORM in FROM then expands to.
func targetPlatformRedeclared(d *rewrite.Document) bool {
	for _, in := range d.MetaArgs {
		for _, a := range in.Args() {
			if k, _, ok := strings.Cut(a, "="); ok && k == "TARGETPLATFORM" {
				return true
			}
		}
	}
	return false
}

// sameLine reports whether the joined bytes [a, b) sit next to each other
// in the source (no line continuation between them).
func sameLine(l *rewrite.Logical, a, b int) bool {
	for i := a + 1; i < b; i++ {
		if l.Src(i) != l.Src(i-1)+1 {
			return false
		}
	}
	return true
}

// skipBlanks is the offset of the first non-blank byte at or after i.
func skipBlanks(text string, i int) int {
	for i < len(text) && isSpaceByte(text[i]) {
		i++
	}
	return i
}
