#!/bin/sh
# Fails the build when pstree (package psmisc) is missing.
set -e
command -v pstree >/dev/null || { echo "tree.sh: pstree not found" >&2; exit 1; }
pstree -V 2>&1 | head -n 1
