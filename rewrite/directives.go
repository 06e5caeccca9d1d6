package rewrite

import "github.com/moby/buildkit/frontend/dockerfile/parser"

// directive is a parser directive's value, read once per text.
type directive struct {
	value string
	ok    bool
}

// CheckDirective is the value of the file's `# check=...` parser directive
// as BuildKit reads it (parser.ParseDirective), and whether there is one.
// It is read once per text: several transforms ask, on every text the
// pipeline makes.
func (d *Document) CheckDirective() (string, bool) {
	if d.check == nil {
		v, _, _, ok := parser.ParseDirective("check", d.Src)
		d.check = &directive{v, ok}
	}
	return d.check.value, d.check.ok
}
