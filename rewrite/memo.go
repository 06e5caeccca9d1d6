package rewrite

// Parses of edited texts, shared between transforms and the pipeline.
//
// Some transforms check a candidate by parsing it (merge-runs reads the
// merged RUN back, exec-form reads the JSON array back). When the pipeline
// then applies exactly those edits, it would parse the same text again;
// ParseEdited remembers the last few parses of texts derived from a
// document so that the second parse is a lookup.

import "bytes"

// memoSize bounds the parses a document remembers.
const memoSize = 4

type memoEntry struct {
	src []byte
	doc *Document
	err error
}

// ParseEdited applies edits to d's text and parses the result, as
// ApplyEdits then Parse would. The result is shared: callers must not
// modify the Document.
func (d *Document) ParseEdited(edits []Edit) (*Document, error) {
	out, err := ApplyEdits(d.Src, edits)
	if err != nil {
		return nil, err
	}
	return d.parseDerived(out)
}

// parseDerived parses out, a text made from d's by edits, or returns the
// remembered parse of the same text.
func (d *Document) parseDerived(out []byte) (*Document, error) {
	for _, m := range d.memo {
		if bytes.Equal(m.src, out) {
			return m.doc, m.err
		}
	}
	nd, err := parseText(d.Path, out, d)
	if nd != nil {
		// The new text's shell bodies are mostly d's: share their parses.
		if d.bodies == nil {
			d.bodies = map[string]*parsedBody{}
		}
		nd.bodies = d.bodies
	}
	if len(d.memo) == memoSize {
		d.memo = d.memo[1:]
	}
	d.memo = append(d.memo, memoEntry{out, nd, err})
	return nd, err
}
