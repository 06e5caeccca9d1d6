package rewrite

import (
	"reflect"
	"testing"
)

func TestSmokeWords(t *testing.T) {
	cases := []struct {
		in   string
		want []string
		err  bool
	}{
		{"", nil, false},
		{"   ", nil, false},
		{"python3 app.py --version", []string{"python3", "app.py", "--version"}, false},
		{`sh -c 'echo $HOME; ls'`, []string{"sh", "-c", "echo $HOME; ls"}, false},
		{`echo "a b" c\ d`, []string{"echo", "a b", "c d"}, false},
		{`cat *.txt`, []string{"cat", "*.txt"}, false}, // no globbing: docker run gets the word
		{`echo $HOME`, nil, true},
		{`echo "$HOME"`, nil, true},
		{`echo $(id)`, nil, true},
		{`a | b`, nil, true},
		{`a; b`, nil, true},
		{`a > out`, nil, true},
		{`X=1 a`, nil, true},
		{`a &`, nil, true},
		{`echo 'unterminated`, nil, true},
	}
	for _, c := range cases {
		got, err := SmokeWords(c.in)
		if (err != nil) != c.err || !reflect.DeepEqual(got, c.want) {
			t.Errorf("SmokeWords(%q) = %q, %v; want %q, error %v", c.in, got, err, c.want, c.err)
		}
	}
}
