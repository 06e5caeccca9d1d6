package rewrite

import (
	"reflect"
	"testing"
)

// TestParseEdited: the parse of an edited text is remembered, so the
// pipeline's parse of a transform's output is a lookup when the transform
// already checked that text; other texts are parsed afresh, and a rejected
// text stays rejected.
func TestParseEdited(t *testing.T) {
	d, err := Parse("Dockerfile", []byte("FROM a\nRUN x\n"))
	if err != nil {
		t.Fatal(err)
	}
	run := d.Instructions[1]
	e := Edit{Start: run.Start + 4, End: run.Start + 5, New: "y"}
	nd, err := d.ParseEdited([]Edit{e})
	if err != nil || string(nd.Src) != "FROM a\nRUN y\n" || nd.Instructions[1].Node.Next.Value != "y" {
		t.Fatalf("ParseEdited: %v, %q", err, nd.Src)
	}
	if again, _ := d.parseDerived([]byte("FROM a\nRUN y\n")); again != nd {
		t.Errorf("the same text was parsed again")
	}
	other, err := d.ParseEdited([]Edit{{Start: run.Start + 4, End: run.Start + 5, New: "z"}})
	if err != nil || other == nd || other.Instructions[1].Node.Next.Value != "z" {
		t.Errorf("another text: %v, %v", err, other)
	}
	bad := []Edit{{Start: 0, End: 6, New: "FROM a\nRUN <<EOF"}} // unterminated heredoc
	if _, err := d.ParseEdited(bad); err == nil {
		t.Fatalf("a rejected text parsed")
	}
	if _, err := d.ParseEdited(bad); err == nil {
		t.Errorf("a rejected text parsed the second time")
	}
	for i := 0; i < memoSize+2; i++ {
		d.ParseEdited([]Edit{{Start: run.Start + 4, End: run.Start + 5, New: string(rune('a' + i))}})
	}
	if len(d.memo) != memoSize {
		t.Errorf("memo holds %d parses, want at most %d", len(d.memo), memoSize)
	}
}

// TestParseDerivedValidatesNewInstructions: a text made from a document by
// edits is validated only where it is new, with the same verdict, error and
// tree as a whole parse.
func TestParseDerivedValidatesNewInstructions(t *testing.T) {
	base := "ARG V=1\nFROM a AS build\nENV A=1\nRUN make\nCOPY <<EOF /x\nhi\nEOF\nFROM build\nCMD [\"x\"]\n"
	for _, out := range []string{
		"ARG V=1\nFROM a AS build\nENV A=1\nRUN make && make install\nCOPY <<EOF /x\nhi\nEOF\nFROM build\nCMD [\"x\"]\n", // valid edit
		"ARG V=1\nFROM a AS build\nENV A=1\nRUN --bogus make\nCOPY <<EOF /x\nhi\nEOF\nFROM build\nCMD [\"x\"]\n",         // new instruction BuildKit rejects
		"ARG V=1\nENV A=1\nFROM a AS build\nRUN make\nCOPY <<EOF /x\nhi\nEOF\nFROM build\nCMD [\"x\"]\n",                 // a known instruction moved before the first FROM
		"ARG V=1\nFROM a AS build\nENV A=1\nRUN make\nCOPY --bogus <<EOF /x\nhi\nEOF\nFROM build\nCMD [\"x\"]\n",         // heredoc instruction changed
		"ARG V=1\nFROM a AS build\nFROM build\nCMD [\"x\"]\nHEALTHCHECK --interval=oops CMD true\n",                      // new bad flag value
	} {
		d, err := Parse("Dockerfile", []byte(base))
		if err != nil {
			t.Fatal(err)
		}
		whole, wholeErr := Parse("Dockerfile", []byte(out))
		got, gotErr := d.parseDerived([]byte(out))
		if (wholeErr == nil) != (gotErr == nil) || wholeErr != nil && wholeErr.Error() != gotErr.Error() {
			t.Errorf("%q:\nderived: %v\nwhole:   %v", out, gotErr, wholeErr)
			continue
		}
		if wholeErr == nil && !reflect.DeepEqual(whole.AST, got.AST) {
			t.Errorf("%q: the trees differ", out)
		}
	}
}
