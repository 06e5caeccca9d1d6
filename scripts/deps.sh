#!/usr/bin/env bash
# Installs the Debian packages the tests need besides Go: make, git, patch
# (the CLI tests apply dockopt's diffs with both `git apply` and `patch -p1`).
# Idempotent; needs root (or sudo) only when something is missing.
set -euo pipefail
missing=()
for tool in make git patch; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
