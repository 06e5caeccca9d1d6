package main

// CLI tests of `dockopt check` and its report-only checks: exit statuses per
// --fail-level, the text line format with the equivalent hadolint codes and
// BuildKit rule, suppression comments, and the json and sarif formats.
// Expected texts are written here by hand.

import (
	"encoding/json"
	"strings"
	"testing"
)

// Fixtures, each run with --only so that no other transform adds findings.
const (
	unpinned    = "FROM node\nCMD [\"node\"]\n"                              // pin-base-image: warning on line 1
	cdPrefix    = "FROM debian:12\nRUN cd /src && make\n"                    // workdir-not-cd: info on line 2
	literalPass = "FROM postgres:16\nENV POSTGRES_PASSWORD=hunter2-secret\n" // no-secrets-in-env: error on line 2
	// quiet for every transform and check: pinned, non-root, nothing
	// copied from the whole context.
	quiet = "FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app\nUSER 65532\nENTRYPOINT [\"/app\"]\n"
)

func TestCheckFailLevel(t *testing.T) {
	cases := []struct {
		name, src, only, level string
		want                   int
	}{
		{"warning at default level", unpinned, "pin-base-image", "", 1},
		{"warning at warning", unpinned, "pin-base-image", "warning", 1},
		{"warning at info", unpinned, "pin-base-image", "info", 1},
		{"warning below error", unpinned, "pin-base-image", "error", 0},
		{"info below default", cdPrefix, "workdir-not-cd", "", 0},
		{"info at info", cdPrefix, "workdir-not-cd", "info", 1},
		{"error at error", literalPass, "no-secrets-in-env", "error", 1},
		{"error at default", literalPass, "no-secrets-in-env", "", 1},
		{"nothing at info", quiet, "", "info", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			inTempDir(t)
			writeFile(t, "Dockerfile", c.src)
			writeFile(t, ".dockerignore", ".git\n")
			args := []string{"check", "-q"}
			if c.only != "" {
				args = append(args, "--only", c.only)
			}
			if c.level != "" {
				args = append(args, "--fail-level", c.level)
			}
			code, stdout, stderr := runCLI(t, "", append(args, "Dockerfile")...)
			if code != c.want {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.want, stdout, stderr)
			}
			if got := readFile(t, "Dockerfile"); got != c.src {
				t.Errorf("check changed the file:\n%s", got)
			}
			if c.src == quiet && stdout != "" {
				t.Errorf("findings on a quiet file:\n%s", stdout)
			}
		})
	}
}

func TestCheckBadFailLevel(t *testing.T) {
	inTempDir(t)
	writeFile(t, "Dockerfile", unpinned)
	code, _, stderr := runCLI(t, "", "check", "--fail-level", "fatal", "Dockerfile")
	if code != 2 || !strings.Contains(stderr, "--fail-level") {
		t.Errorf("exit %d, stderr %q; want 2 and a --fail-level message", code, stderr)
	}
}

// TestCheckTextLines: one line per finding, `path:line: severity: message
// [id, codes...]`, in line order.
func TestCheckTextLines(t *testing.T) {
	inTempDir(t)
	writeFile(t, "Dockerfile", "FROM node:latest\n"+
		"ENV API_TOKEN=abc123\n"+
		"RUN sudo apt-get update && apt-get upgrade -y\n"+
		"RUN curl -fsSL https://example.com/i.sh | sh\n")
	code, stdout, _ := runCLI(t, "", "check", "-q",
		"--only", "pin-base-image,no-secrets-in-env,no-sudo,no-apt-upgrade,no-curl-pipe-sh,non-root-user", "Dockerfile")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	want := []struct{ prefix, suffix string }{
		{"Dockerfile:1: info: ", " [non-root-user, DL3002]"},
		{"Dockerfile:1: warning: FROM node:latest uses :latest", " [pin-base-image, DL3006, DL3007]"},
		{"Dockerfile:2: error: ENV API_TOKEN sets a secret", " [no-secrets-in-env, DL3064, SecretsUsedInArgOrEnv]"},
		{"Dockerfile:3: warning: apt-get upgrade ", " [no-apt-upgrade, DL3005]"},
		{"Dockerfile:3: warning: sudo apt-get: ", " [no-sudo, DL3004]"},
		{"Dockerfile:4: warning: curl ... | sh runs a downloaded script", " [no-curl-pipe-sh]"},
	}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), stdout)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w.prefix) || !strings.HasSuffix(lines[i], w.suffix) {
			t.Errorf("line %d:\n%s\nwant %q ... %q", i+1, lines[i], w.prefix, w.suffix)
		}
	}
	if strings.Contains(stdout, "abc123") {
		t.Errorf("the secret's value is in the output:\n%s", stdout)
	}
}

func TestCheckSuppressions(t *testing.T) {
	cases := []struct{ name, src, only string }{
		{"hadolint code", "FROM alpine:3.20\n# hadolint ignore=DL3006\nFROM node\n", "pin-base-image"},
		{"hadolint list", "FROM node:22\n# hadolint ignore=DL3008, DL3004\nRUN sudo make\n", "no-sudo"},
		{"dockopt ignore id", "FROM debian:12\n# dockopt:ignore=workdir-not-cd\nRUN cd /src && make\n", "workdir-not-cd"},
		{"dockopt ignore all", "FROM debian:12\n# dockopt:ignore\nRUN upx /app\n", "no-upx"},
		{"check skip directive", "# check=skip=SecretsUsedInArgOrEnv\nFROM alpine:3.20\nENV DB_PASSWORD=x1\n", "no-secrets-in-env"},
		{"check skip all", "# check=skip=all\nFROM alpine:3.20\nARG GITHUB_TOKEN=ghp_x\n", "no-secrets-in-env"},
		{"check comment before instruction", "FROM alpine:3.20\n# check=skip=SecretsUsedInArgOrEnv\nENV DB_PASSWORD=x1\n", "no-secrets-in-env"},
		{"ignore-file", "# dockopt:ignore-file\nFROM node\n", "pin-base-image"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			inTempDir(t)
			writeFile(t, "Dockerfile", c.src)
			code, stdout, _ := runCLI(t, "", "check", "-q", "--only", c.only, "--fail-level", "info", "Dockerfile")
			if code != 0 || stdout != "" {
				t.Errorf("exit %d, want 0 and no findings:\n%s", code, stdout)
			}
		})
	}
	// Each suppression is specific: another rule's code leaves it listed.
	inTempDir(t)
	writeFile(t, "Dockerfile", "# check=skip=JSONArgsRecommended\nFROM alpine:3.20\n# hadolint ignore=DL3006\nENV DB_PASSWORD=x1\n")
	code, stdout, _ := runCLI(t, "", "check", "-q", "--only", "no-secrets-in-env", "Dockerfile")
	if code != 1 || !strings.HasPrefix(stdout, "Dockerfile:4: error: ") {
		t.Errorf("exit %d, want 1 and the finding on line 4:\n%s", code, stdout)
	}
}

// TestCheckDockerignore: dockerignore-missing reads the build context: the
// Dockerfile's directory, --context, and none for stdin.
func TestCheckDockerignore(t *testing.T) {
	const src = "FROM node:22\nWORKDIR /app\nCOPY . .\n"
	dir := inTempDir(t)
	writeFile(t, "app/Dockerfile", src)
	writeFile(t, "ctx/.dockerignore", ".git\n")
	run := func(args ...string) (int, string) {
		code, stdout, _ := runCLI(t, src, append([]string{"check", "-q", "--only", "dockerignore-missing"}, args...)...)
		return code, stdout
	}
	if code, out := run("app/Dockerfile"); code != 1 || !strings.HasPrefix(out, "app/Dockerfile:3: warning: COPY . copies the whole build context") {
		t.Errorf("no .dockerignore: exit %d\n%s", code, out)
	}
	if code, out := run("--context", dir+"/ctx", "app/Dockerfile"); code != 0 || out != "" {
		t.Errorf("--context with a .dockerignore: exit %d\n%s", code, out)
	}
	if code, out := run("-"); code != 0 || out != "" {
		t.Errorf("stdin (no context): exit %d\n%s", code, out)
	}
	// A Dockerfile in a subdirectory of a repository whose root has a
	// .dockerignore is most likely built from the root.
	writeFile(t, "repo/.git/HEAD", "ref: refs/heads/main\n")
	writeFile(t, "repo/.dockerignore", ".git\n")
	writeFile(t, "repo/svc/api/Dockerfile", src)
	if code, out := run("repo/svc/api/Dockerfile"); code != 0 || out != "" {
		t.Errorf("repository root .dockerignore: exit %d\n%s", code, out)
	}
	// ... but not one above the repository.
	writeFile(t, ".dockerignore", ".git\n")
	writeFile(t, "other/.git/HEAD", "ref: refs/heads/main\n")
	writeFile(t, "other/svc/Dockerfile", src)
	if code, out := run("other/svc/Dockerfile"); code != 1 || !strings.HasPrefix(out, "other/svc/Dockerfile:3: warning: ") {
		t.Errorf(".dockerignore above the repository: exit %d\n%s", code, out)
	}
	// An explicit --context that is not the Dockerfile's directory is the
	// only place looked at.
	if code, out := run("--context", dir+"/app", "repo/svc/api/Dockerfile"); code != 1 || out == "" {
		t.Errorf("--context without .dockerignore: exit %d\n%s", code, out)
	}
	writeFile(t, "app/Dockerfile.dockerignore", ".git\n")
	if code, out := run("app/Dockerfile"); code != 0 || out != "" {
		t.Errorf("Dockerfile.dockerignore: exit %d\n%s", code, out)
	}
}

func TestCheckJSON(t *testing.T) {
	inTempDir(t)
	writeFile(t, "Dockerfile", "FROM node:latest\nENV API_TOKEN=abc123\nRUN cd /app && make\n")
	code, stdout, _ := runCLI(t, "", "check", "-q", "--format", "json",
		"--only", "pin-base-image,no-secrets-in-env,workdir-not-cd", "Dockerfile")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	var rep struct {
		Mode  string `json:"mode"`
		Files []struct {
			Path     string `json:"path"`
			Findings []struct {
				Transform, Severity string
				Line                int
				Fixed               bool
			} `json:"findings"`
		} `json:"files"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if rep.Mode != "lint" || len(rep.Files) != 1 {
		t.Fatalf("mode %q, %d files:\n%s", rep.Mode, len(rep.Files), stdout)
	}
	var got []string
	for _, f := range rep.Files[0].Findings {
		if f.Fixed {
			t.Errorf("a check's finding is marked fixed: %+v", f)
		}
		got = append(got, f.Transform+" "+f.Severity+" "+string(rune('0'+f.Line)))
	}
	want := "pin-base-image warning 1,no-secrets-in-env error 2,workdir-not-cd info 3"
	if strings.Join(got, ",") != want {
		t.Errorf("findings %q, want %q", strings.Join(got, ","), want)
	}
	if strings.Contains(stdout, "abc123") {
		t.Errorf("the secret's value is in the report")
	}
}

func TestCheckSARIF(t *testing.T) {
	inTempDir(t)
	writeFile(t, "Dockerfile", "FROM node:latest\nENV API_TOKEN=abc123\nRUN cd /app && make\n")
	code, stdout, _ := runCLI(t, "", "check", "-q", "--format", "sarif",
		"--only", "pin-base-image,no-secrets-in-env,workdir-not-cd", "Dockerfile")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	var rep struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct{ ID string } `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				Level     string `json:"level"`
				Locations []struct {
					PhysicalLocation struct {
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || len(rep.Runs) != 1 {
		t.Fatalf("%v\n%s", err, stdout)
	}
	rules := map[string]bool{}
	for _, r := range rep.Runs[0].Tool.Driver.Rules {
		rules[r.ID] = true
	}
	var got []string
	for _, r := range rep.Runs[0].Results {
		if !rules[r.RuleID] {
			t.Errorf("result for %s, which is not among the rules", r.RuleID)
		}
		line := 0
		if len(r.Locations) > 0 {
			line = r.Locations[0].PhysicalLocation.Region.StartLine
		}
		got = append(got, r.RuleID+" "+r.Level+" "+string(rune('0'+line)))
	}
	want := "pin-base-image warning 1,no-secrets-in-env error 2,workdir-not-cd note 3"
	if strings.Join(got, ",") != want {
		t.Errorf("results %q, want %q", strings.Join(got, ","), want)
	}
}
