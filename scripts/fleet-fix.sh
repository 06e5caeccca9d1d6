#!/usr/bin/env bash
# Runs dockopt in the repository a multi-repo campaign tool has checked out
# (multi-gitter, git-xargs, Sourcegraph batch changes: each runs a script in
# the root of every cloned repository and opens a pull request when it leaves
# changes). See README.md, "Across hundreds of repositories".
#
#   DOCKOPT       the dockopt binary (default: dockopt on PATH)
#   DOCKOPT_ARGS  extra flags for `dockopt fix` (default: none)
#   DOCKOPT_BODY  where to write the Markdown PR body (default: .git/dockopt-pr.md,
#                 which no commit picks up)
#
# Exit status: 0 when the repository was processed (changed or not), so the
# tool moves on; non-zero when dockopt reported an error (a Dockerfile it
# could not read or that BuildKit rejects), so the tool lists the repository
# as failed instead of opening a partial pull request.
set -uo pipefail
: "${DOCKOPT:=dockopt}" "${DOCKOPT_ARGS:=}" "${DOCKOPT_BODY:=.git/dockopt-pr.md}"
# shellcheck disable=SC2086 # DOCKOPT_ARGS is a list of flags
"$DOCKOPT" fix --dry-run --format markdown $DOCKOPT_ARGS . >"$DOCKOPT_BODY"
status=$?
[ "$status" -eq 2 ] && exit 2
# shellcheck disable=SC2086
"$DOCKOPT" fix -q $DOCKOPT_ARGS .
