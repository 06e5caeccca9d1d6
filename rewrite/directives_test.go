package rewrite

import "testing"

// TestCheckDirective: BuildKit's reading of `# check=`, only from the
// directives at the top of the file.
func TestCheckDirective(t *testing.T) {
	for _, c := range []struct {
		src, want string
		ok        bool
	}{
		{"# check=skip=JSONArgsRecommended\nFROM a\n", "skip=JSONArgsRecommended", true},
		{"# syntax=docker/dockerfile:1\n# check=skip=all;error=true\nFROM a\n", "skip=all;error=true", true},
		{"FROM a\n# check=skip=all\n", "", false}, // after an instruction: a comment
		{"FROM a\n", "", false},
	} {
		d, err := Parse("Dockerfile", []byte(c.src))
		if err != nil {
			t.Fatal(err)
		}
		for range 2 { // the second answer comes from the cache
			if v, ok := d.CheckDirective(); v != c.want || ok != c.ok {
				t.Errorf("%q: %q %v, want %q %v", c.src, v, ok, c.want, c.ok)
			}
		}
	}
}
