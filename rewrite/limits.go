package rewrite

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// Limits on what the shell layer parses. mvdan.cc/sh parses (and
// syntax.Walk visits) recursively: without a bound, a RUN of a million
// nested subshells or `&&` operators, joined from short continuation lines
// that BuildKit accepts, overflows the goroutine stack, a fatal error no
// recover() catches. Measured with v3.14.1: 100,000 nested `(` take ~3 s
// and 1,000,000 overflow the 1 GB stack; nesting is also superlinear on one
// line (10,000 `(` take ~160 ms). A body over a limit is not an error: the
// instruction is left alone, with ErrShellTooLarge as the reason.
const (
	// MaxShellBody is the largest shell body, in bytes after BuildKit has
	// joined its continuation lines. BuildKit itself refuses a physical
	// line over 64 KiB; real RUN bodies stay far below.
	MaxShellBody = 64 << 10
	// MaxShellNesting is the deepest bracket nesting ( ( { [ $( ${ ... )
	// a body may hold, counted over its raw text (quotes are not
	// considered, so the count is an upper bound).
	MaxShellNesting = 1000
)

// ErrShellTooLarge is a body past MaxShellBody or MaxShellNesting.
var ErrShellTooLarge = errors.New("shell body too large or too deeply nested for the shell parser")

// checkShellLimits refuses bodies the shell parser could not handle in
// bounded time and stack.
func checkShellLimits(body string) error {
	if len(body) > MaxShellBody {
		return fmt.Errorf("%w (%d bytes, limit %d)", ErrShellTooLarge, len(body), MaxShellBody)
	}
	depth, deepest := 0, 0
	for i := 0; i < len(body); i++ {
		switch body[i] {
		case '(', '{', '[':
			depth++
			deepest = max(deepest, depth)
		case ')', '}', ']':
			if depth > 0 {
				depth--
			}
		}
	}
	if deepest > MaxShellNesting {
		return fmt.Errorf("%w (nesting %d, limit %d)", ErrShellTooLarge, deepest, MaxShellNesting)
	}
	return nil
}

// fixTooLongLine corrects the line of BuildKit's "line greater than max
// allowed size" error: its scanner fails before counting the long line, so
// it reports the line before it.
func fixTooLongLine(pe *ParseError, src []byte) *ParseError {
	if !strings.Contains(pe.Msg, "line greater than max allowed size") {
		return pe
	}
	for n := 1; len(src) > 0; n++ {
		// The scanner's buffer must hold the line and its newline; a last
		// line without one fails when it fills the buffer.
		l, limit := len(src), bufio.MaxScanTokenSize-1
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			l, limit = i+1, bufio.MaxScanTokenSize
		}
		if l > limit {
			pe.Line = n
			break
		}
		src = src[l:]
	}
	return pe
}
