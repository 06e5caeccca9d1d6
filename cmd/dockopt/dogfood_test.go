package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestOwnDockerfilePassesCheck: dockopt's own image (multi-stage, static
// binary, scratch runtime) is what dockopt recommends, so `dockopt check`
// finds nothing at warning level or above, and `fix` changes nothing.
func TestOwnDockerfilePassesCheck(t *testing.T) {
	path := filepath.Join("..", "..", "Dockerfile")
	code, out, errs := runCLI(t, "", "check", "-q", path)
	if code != 0 {
		t.Errorf("dockopt check %s = %d:\n%s%s", path, code, out, errs)
	}
	if strings.Contains(out, ": warning:") || strings.Contains(out, ": error:") {
		t.Errorf("findings at warning level or above:\n%s", out)
	}
	if code, out, errs := runCLI(t, "", "fix", "--check", "-q", path); code != 0 {
		t.Errorf("dockopt fix --check %s = %d:\n%s%s", path, code, out, errs)
	}
}
