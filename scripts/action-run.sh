#!/usr/bin/env bash
# Runs dockopt for action.yml (and for its test, scripts/action_test.sh):
# inputs come from DOCKOPT_* variables, outputs go to $GITHUB_OUTPUT.
set -uo pipefail
: "${DOCKOPT:=dockopt}" "${DOCKOPT_PATHS:=.}" "${DOCKOPT_ARGS:=}" "${DOCKOPT_MODE:=fix}" "${DOCKOPT_FORMAT:=markdown}"
: "${DOCKOPT_REPORT:=${RUNNER_TEMP:-/tmp}/dockopt-report}" "${GITHUB_OUTPUT:=/dev/null}"

case "$DOCKOPT_MODE" in
  fix) mode=() ;;
  dry-run) mode=(--dry-run --check) ;; # --check: exit 1 tells us something would change
  check) mode=(--check) ;;
  *) echo "dockopt action: mode must be fix, dry-run or check (got '$DOCKOPT_MODE')" >&2; exit 2 ;;
esac
case "${DOCKOPT_VERIFY:-false}" in
  true) verify=(--verify) ;; # build before and after; keep verified changes only
  false) verify=() ;;
  *) echo "dockopt action: verify must be true or false (got '$DOCKOPT_VERIFY')" >&2; exit 2 ;;
esac
# shellcheck disable=SC2206 # paths and args are word lists by design
paths=($DOCKOPT_PATHS)
# shellcheck disable=SC2206
args=($DOCKOPT_ARGS)

"$DOCKOPT" fix "${mode[@]}" "${verify[@]}" "${args[@]}" --format "$DOCKOPT_FORMAT" "${paths[@]}" >"$DOCKOPT_REPORT"
status=$?
changed=false
if [ "$DOCKOPT_MODE" = fix ]; then
  [ -n "$(git status --porcelain -- "${paths[@]}" 2>/dev/null)" ] && changed=true
elif [ "$status" -eq 1 ]; then
  changed=true
fi
{ echo "changed=$changed"; echo "report=$DOCKOPT_REPORT"; } >>"$GITHUB_OUTPUT"
cat "$DOCKOPT_REPORT"
# check: exit 1 fails the step when something would change; dry-run only reports.
[ "$DOCKOPT_MODE" = dry-run ] && [ "$status" -eq 1 ] && status=0
exit "$status"
