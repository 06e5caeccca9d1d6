package rewrite

import (
	"bytes"
	"path"
	"sort"
	"strings"
	"unicode"
)

// Logical is an instruction as BuildKit's parser sees it: its physical lines
// joined the way the parser joins them (continuation tokens, comment lines and
// empty lines inside the continuation dropped, line endings trimmed), with a
// map from every byte of the joined text back to its offset in Document.Src.
type Logical struct {
	Text string
	offs []int
}

// Src is the source offset of byte i of the joined text; i == len(Text) maps
// just past the last byte.
func (l *Logical) Src(i int) int {
	if i < len(l.offs) {
		return l.offs[i]
	}
	if len(l.offs) == 0 {
		return 0
	}
	return l.offs[len(l.offs)-1] + 1
}

// SrcAfter is the source offset just after byte i-1 of the joined text: the
// place to insert text that must stay glued to what precedes it, even when a
// continuation follows.
func (l *Logical) SrcAfter(i int) int {
	if i <= 0 {
		return l.Src(0)
	}
	return l.offs[i-1] + 1
}

// Logical rebuilds the joined text of an instruction. ok is false when the
// result differs from what BuildKit recorded in Node.Original, in which case no
// offset-based edit inside the instruction can be trusted. The result is made
// once per instruction and shared: callers must not modify it.
func (d *Document) Logical(in *Instruction) (l *Logical, ok bool) {
	if in.logical == nil {
		in.logical, in.logicalOK = d.logical(in)
	}
	return in.logical, in.logicalOK
}

func (d *Document) logical(in *Instruction) (l *Logical, ok bool) {
	size := in.End - in.Start
	l = &Logical{offs: make([]int, 0, size)}
	text := make([]byte, 0, size)
	add := func(lineOff int, b []byte) {
		text = append(text, b...)
		for i := range b {
			l.offs = append(l.offs, lineOff+i)
		}
	}
	for n := in.StartLine; n <= in.EndLine; n++ {
		off := d.LineStart(n)
		raw := d.Src[off:d.LineStart(n+1)]
		if n == 1 && len(raw) >= 3 && string(raw[:3]) == "\xef\xbb\xbf" {
			raw, off = raw[3:], off+3
		}
		body := trimNewline(raw)
		if n == in.StartLine {
			trimmed := trimLeftSpace(body)
			off += len(body) - len(trimmed)
			body = trimmed
		} else {
			if isCommentLine(body) || len(trimLeftSpace(body)) == 0 {
				continue
			}
		}
		content, cont := trimContinuation(body, byte(d.Escape))
		add(off, content)
		if !cont {
			break
		}
	}
	l.Text = string(text)
	return l, l.Text == in.Node.Original
}

func trimNewline(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

func trimLeftSpace(b []byte) []byte {
	return bytes.TrimLeftFunc(b, unicode.IsSpace)
}

func isCommentLine(b []byte) bool {
	t := trimLeftSpace(b)
	return len(t) > 0 && t[0] == '#'
}

// trimContinuation mirrors BuildKit's lineContinuationRegex: an escape token
// as the last non-blank character continues the line unless it is itself
// escaped by a preceding escape token.
func trimContinuation(b []byte, esc byte) ([]byte, bool) {
	t := b
	for len(t) > 0 && (t[len(t)-1] == ' ' || t[len(t)-1] == '\t') {
		t = t[:len(t)-1]
	}
	if len(t) == 0 || t[len(t)-1] != esc {
		return b, false
	}
	if len(t) >= 2 && t[len(t)-2] == esc {
		return b, false
	}
	return t[:len(t)-1], true
}

// ShellAt is the shell a RUN at in would be run with: the stage's last SHELL
// before in, inherited through FROM <stage>, else the platform default
// (["cmd", "/S", "/C"] for Windows bases, ["/bin/sh", "-c"] otherwise).
func (d *Document) ShellAt(in *Instruction) []string {
	st := in.Stage
	seen := map[*Stage]bool{}
	limit := in
	for st != nil && !seen[st] {
		seen[st] = true
		// The last SHELL before limit, by binary search: a scan of the
		// stage per RUN made a stage of many RUNs quadratic.
		sh := st.shells
		n := len(sh)
		if limit != nil {
			n = sort.Search(len(sh), func(i int) bool { return sh[i].Index >= limit.Index })
		}
		if n > 0 {
			return sh[n-1].Args()
		}
		parent := d.Parent(st)
		if parent == nil || parent.Index >= st.Index {
			break
		}
		st, limit = parent, nil
	}
	if st != nil && looksWindows(st.Base) {
		return []string{"cmd", "/S", "/C"}
	}
	return []string{"/bin/sh", "-c"}
}

// POSIXShell reports whether shell-form commands at in run in a POSIX shell,
// the only kind dockopt's shell layer may edit.
func (d *Document) POSIXShell(in *Instruction) bool {
	sh := d.ShellAt(in)
	if len(sh) == 0 {
		return false
	}
	switch path.Base(sh[0]) {
	case "sh", "bash", "ash", "dash", "ksh", "mksh", "zsh":
		return true
	}
	return false
}

// StageByName finds a stage by its AS name (case-insensitively, as BuildKit
// does) or by its index written as a number.
func (d *Document) StageByName(name string) *Stage {
	// BuildKit only accepts lower-case ASCII stage names (compared after
	// lower-casing), so a lower-cased key matches as EqualFold would.
	return d.stageNames[strings.ToLower(name)]
}

// Parent is the earlier stage that st's FROM names, or nil when it names an
// image. BuildKit matches FROM's argument exactly against the lower-cased
// stage names of earlier stages (dispatchStates.addState), so `FROM Builder`
// names an image even after `AS builder` — unlike COPY --from, which it
// lower-cases first (use StageByName for that).
func (d *Document) Parent(st *Stage) *Stage {
	if st == nil {
		return nil
	}
	p := d.stageNames[st.Base]
	if p == nil || p.Index >= st.Index {
		return nil
	}
	return p
}

func looksWindows(image string) bool {
	img := strings.ToLower(image)
	for _, w := range []string{"windows", "nanoserver", "servercore", "mcr.microsoft.com/powershell"} {
		if strings.Contains(img, w) {
			return true
		}
	}
	return false
}
