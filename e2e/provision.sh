#!/usr/bin/env bash
# Provision a local Docker engine and the base images the e2e cases use.
# No registry is reachable: base images are made with debootstrap and `docker import`.
# Idempotent: each step is skipped when its result is already there.
set -euo pipefail

DOCKER=/usr/bin/docker
export DOCKER_BUILDKIT=1
STATE=${DOCKOPT_E2E_STATE:-/var/tmp/dockopt-e2e}
mkdir -p "$STATE"

log() { printf 'provision: %s\n' "$*" >&2; }

need_pkgs=()
[ -x /usr/bin/docker ] && [ -x /usr/sbin/dockerd ] || need_pkgs+=(docker.io)
command -v debootstrap >/dev/null || need_pkgs+=(debootstrap)
# Debian's docker.io client speaks BuildKit itself when DOCKER_BUILDKIT=1.

if [ ${#need_pkgs[@]} -gt 0 ]; then
  log "installing ${need_pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" ca-certificates iptables >/dev/null
fi

if ! $DOCKER info >/dev/null 2>&1; then
  log "starting dockerd"
  nohup /usr/sbin/dockerd >"$STATE/dockerd.log" 2>&1 &
  for _ in $(seq 1 60); do
    $DOCKER info >/dev/null 2>&1 && break
    sleep 1
  done
  $DOCKER info >/dev/null 2>&1 || { log "dockerd did not start; see $STATE/dockerd.log"; tail -20 "$STATE/dockerd.log" >&2; exit 1; }
fi

# The e2e builds need room: a few GB per run. Docker 20.10 can leave layers
# of removed images behind in its store (on this project's machine, 50 GB
# over a day of runs, invisible to `docker system df`); say so before the
# builds fail with "no space left on device".
free_gb=$(df -P --block-size=1G "$(dirname "$($DOCKER info --format '{{.DockerRootDir}}')")" | awk 'NR==2 {print $4}')
if [ "${free_gb:-0}" -lt 20 ]; then
  log "warning: only ${free_gb} GB free for Docker's store; the e2e builds may run out of space."
  log "  If 'du -sh $($DOCKER info --format '{{.DockerRootDir}}')/overlay2' is far above 'docker system df', stop dockerd, empty that directory and run this script again."
fi

if ! $DOCKER image inspect debian:bookworm >/dev/null 2>&1; then
  root="$STATE/bookworm-rootfs"
  if [ ! -f "$root/.complete" ]; then
    log "debootstrap bookworm (a few minutes)"
    rm -rf "$root"
    debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >"$STATE/debootstrap.log" 2>&1 \
      || { tail -20 "$STATE/debootstrap.log" >&2; exit 1; }
    rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin
    touch "$root/.complete"
  fi
  log "importing debian:bookworm"
  tar -C "$root" --exclude=./.complete -c . | $DOCKER import \
    -c 'CMD ["bash"]' -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    - debian:bookworm >/dev/null
fi
log "engine ready: $($DOCKER version --format '{{.Server.Version}}')"

# Extra local stand-in images (no registry is reachable): every script in
# e2e/provision.d/ runs with DOCKER and STATE set, and must be idempotent.
here=$(cd "$(dirname "$0")" && pwd)
for script in "$here"/provision.d/*.sh; do
  [ -e "$script" ] || continue
  log "running ${script#"$here"/}"
  DOCKER=$DOCKER STATE=$STATE bash "$script"
done
