#!/usr/bin/env bash
# Exercises action.yml's run step (scripts/action-run.sh) the way the
# composite action calls it, in a scratch git repository. Run by `make test`.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/dockopt" "$here/cmd/dockopt"
cd "$tmp" && git init -q repo && cd repo
git config user.email t@example.com && git config user.name t
printf 'FROM debian:bookworm\nRUN apt-get update\nRUN apt-get install -y curl\nCMD curl --version\n' > Dockerfile
printf 'FROM debian:bookworm\nCMD ["true"]\n' > Clean.Dockerfile
git add . && git commit -qm init

fail() { echo "action_test: $*" >&2; exit 1; }
act() { # mode format -> sets out, status
  local out_file="$tmp/out.$1"
  : >"$out_file"
  set +e
  DOCKOPT="$tmp/dockopt" DOCKOPT_PATHS="${3:-.}" DOCKOPT_MODE="$1" DOCKOPT_FORMAT="$2" \
    DOCKOPT_REPORT="$tmp/report.$1.$2" GITHUB_OUTPUT="$out_file" bash "$here/scripts/action-run.sh" >/dev/null 2>&1
  status=$?
  set -e
  out=$(cat "$out_file")
}

act check json
[ "$status" -eq 1 ] || fail "check mode with changes: exit $status, want 1"
grep -qx 'changed=true' <<<"$out" || fail "check mode: outputs $out"
grep -q '"changed": true' "$tmp/report.check.json" || fail "check mode: JSON report lacks a changed file"

act dry-run markdown
[ "$status" -eq 0 ] || fail "dry-run mode: exit $status, want 0"
grep -qx 'changed=true' <<<"$out" || fail "dry-run mode: outputs $out"
grep -q '```diff' "$tmp/report.dry-run.markdown" || fail "dry-run mode: markdown report has no diff block"
git diff --quiet || fail "dry-run mode wrote files"

act check text Clean.Dockerfile
[ "$status" -eq 0 ] && grep -qx 'changed=false' <<<"$out" || fail "check on a clean file: exit $status, outputs $out"

act fix sarif
[ "$status" -eq 0 ] || fail "fix mode: exit $status"
grep -qx 'changed=true' <<<"$out" || fail "fix mode: outputs $out"
git diff --quiet && fail "fix mode changed nothing"
grep -q '"version": "2.1.0"' "$tmp/report.fix.sarif" || fail "fix mode: no SARIF report"

act check text
[ "$status" -eq 0 ] || fail "check after fix: exit $status, want 0 (idempotent)"
# The fleet script (multi-gitter / git-xargs run it in each cloned repository).
git checkout -q -- . && git clean -qfd
DOCKOPT="$tmp/dockopt" bash "$here/scripts/fleet-fix.sh" || fail "fleet-fix.sh: exit $?"
git diff --quiet && fail "fleet-fix.sh changed nothing"
grep -q '```diff' .git/dockopt-pr.md || fail "fleet-fix.sh wrote no PR body"
printf 'FROM a\nNOPE x\n' > Broken.Dockerfile
set +e; DOCKOPT="$tmp/dockopt" bash "$here/scripts/fleet-fix.sh" >/dev/null 2>&1; st=$?; set -e
[ "$st" -eq 2 ] || fail "fleet-fix.sh on a repository with a rejected Dockerfile: exit $st, want 2"
echo "action_test: ok"
