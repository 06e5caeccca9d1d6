package transforms

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/dockopt/dockopt/rewrite"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// LegacyKeyValue rewrites the legacy `ENV key value` / `LABEL key value` to
// `key=value` (BuildKit's LegacyKeyValueFormat).
//
//	ENV PATH /opt/bin:$PATH     ->  ENV PATH=/opt/bin:$PATH
//	ENV JAVA_OPTS -Xmx1g -Xss4m ->  ENV JAVA_OPTS="-Xmx1g -Xss4m"
var LegacyKeyValue = &rewrite.Transform{
	ID:      "legacy-key-value",
	Summary: "Rewrite `ENV key value` and `LABEL key value` as key=value (BuildKit: LegacyKeyValueFormat)",
	Rationale: "The whitespace form `ENV key value` is legacy and BuildKit warns about it. In that form the value " +
		"is the rest of the line as written, which BuildKit then expands like any word (quotes, escapes, " +
		"variables). The rewrite keeps that raw value when it is already one word (`key=value`); otherwise " +
		"it wraps it in double quotes when it holds no quote or escape token, or escapes its unquoted blanks " +
		"with the escape token. Before changing anything the transform parses the new instruction with " +
		"BuildKit and checks that it yields the same key, and the same value after BuildKit's expansion in " +
		"several environments; it refuses otherwise. Only the separator and the value's quoting change. " +
		"Left alone: a key and value separated by a line continuation, values with an unquoted blank and a " +
		"${...} expansion, ENV/LABEL inside ONBUILD, and files whose `# check=skip=` turns the rule off.",
	Before:  "FROM eclipse-temurin:21\nENV JAVA_OPTS -Xmx1g -Xss4m\nENV PATH /opt/app/bin:$PATH\n",
	After:   "FROM eclipse-temurin:21\nENV JAVA_OPTS=\"-Xmx1g -Xss4m\"\nENV PATH=/opt/app/bin:$PATH\n",
	Default: true,
	Run:     runLegacyKeyValue,

	BuildKitRule: "LegacyKeyValueFormat",
}

func runLegacyKeyValue(p *rewrite.Pass) {
	d := p.Doc
	if lintSkipped(d, "LegacyKeyValueFormat") {
		return
	}
	for _, in := range d.Instructions {
		if in.Cmd != "env" && in.Cmd != "label" {
			continue
		}
		args := in.Args()
		if len(args) != 3 || args[2] != "" {
			continue // key=value form already
		}
		key, value := args[0], args[1]
		edits, why := legacyEdits(d, in, key, value)
		if why != "" {
			p.Skip(in, fmt.Sprintf("%s %s left in the legacy form: %s", strings.ToUpper(in.Cmd), key, why))
			continue
		}
		if err := sameKeyValue(d, in, edits, key, value); err != nil {
			p.Skip(in, fmt.Sprintf("%s %s left in the legacy form: %v", strings.ToUpper(in.Cmd), key, err))
			continue
		}
		p.Fix(in, fmt.Sprintf("%s %s: legacy `key value` form rewritten as key=value", strings.ToUpper(in.Cmd), key), edits...)
	}
}

// legacyEdits locates key and value in the joined text (BuildKit took the
// value as the rest of the trimmed line, the key as the word before it) and
// returns the edits to the key=value form, or why there are none.
func legacyEdits(d *rewrite.Document, in *rewrite.Instruction, key, value string) ([]rewrite.Edit, string) {
	l := joinedText(d, in)
	if l == nil {
		return nil, "its text could not be mapped back to the file"
	}
	end := trimRightSpace(l.Text)
	vStart := end - len(value)
	if vStart < 0 || l.Text[vStart:end] != value {
		return nil, "its text could not be mapped back to the file"
	}
	kEnd := vStart
	for kEnd > 0 && isSpaceByte(l.Text[kEnd-1]) {
		kEnd--
	}
	if kEnd < len(key) || l.Text[kEnd-len(key):kEnd] != key {
		return nil, "its text could not be mapped back to the file"
	}
	if !sameLine(l, kEnd, vStart+1) {
		return nil, "a line continuation separates the key from the value"
	}
	edits := []rewrite.Edit{{Start: l.Src(kEnd), End: l.Src(vStart), New: "="}}

	esc := d.Escape
	blanks := unquotedBlanks(value, esc)
	switch {
	case len(blanks) == 0:
		// Already one word: key=value keeps the raw value as it is.
	case !strings.ContainsAny(value, `"'`+string(esc)):
		edits[0].New = `="`
		edits = append(edits, rewrite.Edit{Start: l.SrcAfter(end), End: l.SrcAfter(end), New: `"`})
	case strings.Contains(value, "${"):
		return nil, "its value has unquoted blanks and a ${...} expansion, whose escapes BuildKit treats differently"
	default:
		for _, i := range blanks {
			s := l.Src(vStart + i)
			edits = append(edits, rewrite.Edit{Start: s, End: s, New: string(esc)})
		}
	}
	return edits, ""
}

// unquotedBlanks returns the offsets of the blanks in v that would split it
// into several words in the key=value form: BuildKit's parseWords splits at
// whitespace outside quotes; the escape token keeps the next character in the
// word (inside single quotes it is an ordinary character).
func unquotedBlanks(v string, esc rune) []int {
	var out []int
	var quote rune
	rs := []rune(v)
	off := 0
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		n := len(string(r))
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else if r == esc && quote != '\'' && i+1 < len(rs) {
				off += n
				i++
				n = len(string(rs[i]))
			}
		case unicode.IsSpace(r):
			out = append(out, off)
		case r == '\'' || r == '"':
			quote = r
		case r == esc && i+1 < len(rs):
			off += n
			i++
			n = len(string(rs[i]))
		}
		off += n
	}
	return out
}

// sameKeyValue parses the rewritten instruction with BuildKit and checks it
// is one key=value pair whose key is the old key and whose value, expanded
// the way BuildKit expands ENV and LABEL values, equals the old value's
// expansion: with no variables set, with every variable the value names set
// to a value with blanks and quotes in it, and set to the empty string.
func sameKeyValue(d *rewrite.Document, in *rewrite.Instruction, edits []rewrite.Edit, key, value string) error {
	cmd, err := parseRewritten(d, in, edits)
	if err != nil {
		return fmt.Errorf("BuildKit rejects the rewrite (%v)", err)
	}
	var kvs instructions.KeyValuePairs
	switch c := cmd.(type) {
	case *instructions.EnvCommand:
		kvs = c.Env
	case *instructions.LabelCommand:
		kvs = c.Labels
	}
	if len(kvs) != 1 || kvs[0].NoDelim || kvs[0].Key != key {
		return fmt.Errorf("BuildKit would not read the rewrite as the same single key")
	}
	if kvs[0].Value == value {
		return nil // the same raw value: the same expansion in every environment
	}
	lex := shell.NewLex(d.Escape)
	res, _ := lex.ProcessWordWithMatches(value, shell.EnvsFromSlice(nil))
	var names []string
	for n := range res.Unmatched {
		names = append(names, n)
	}
	for n := range res.Matched {
		names = append(names, n)
	}
	sort.Strings(names)
	envs := [][]string{nil, nil, nil}
	for _, n := range names {
		envs[1] = append(envs[1], n+`=a "b" 'c' \d $e`)
		envs[2] = append(envs[2], n+"=")
	}
	for _, env := range envs {
		want, _, werr := lex.ProcessWord(value, shell.EnvsFromSlice(env))
		got, _, gerr := lex.ProcessWord(kvs[0].Value, shell.EnvsFromSlice(env))
		if (werr == nil) != (gerr == nil) || want != got {
			return fmt.Errorf("the key=value form would expand to %q instead of %q", got, want)
		}
	}
	return nil
}
