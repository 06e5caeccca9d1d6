#!/usr/bin/env bash
# Stand-ins for the official python:3.11 and python:3.11-slim images, for the
# slim-base cases (no registry is reachable). Both are built from the local
# debian:bookworm with Debian's python3, and keep the official images'
# contract that slim-base relies on: the same python3/python, pip, ENV and
# CMD in both; the full one adds what buildpack-deps adds (compilers, make,
# git, curl, wget, ssh, procps, archivers, -dev headers), the slim one nothing.
# It also makes node:18-slim (Debian's nodejs and npm, on debian:bookworm) for
# the dockerignore cases: installing npm takes minutes, too long for every
# build of a case.
# Run by provision.sh with DOCKER and STATE set; idempotent.
set -euo pipefail
: "${DOCKER:?}" "${STATE:?}"

log() { printf 'provision.d/slim-base: %s\n' "$*" >&2; }

runtime="python3 python3-pip python3-venv python-is-python3 ca-certificates"
full="$runtime gcc g++ make libc6-dev python3-dev git curl wget openssh-client procps xz-utils bzip2 unzip patch file
      autoconf automake libtool pkg-config libssl-dev libffi-dev zlib1g-dev libsqlite3-dev libpq-dev libxml2-dev"

standin() {
	local tag=$1 pkgs=$2 cmd=${3:-python3}
	if $DOCKER image inspect "$tag" >/dev/null 2>&1; then
		return
	fi
	log "building $tag (stand-in)"
	local dir
	dir=$(mktemp -d)
	trap 'rm -rf "$dir"' RETURN
	cat >"$dir/Dockerfile" <<DOCKERFILE
FROM debian:bookworm
RUN apt-get update \\
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(echo $pkgs) \\
    && rm -rf /var/lib/apt/lists/*
ENV LANG=C.UTF-8
CMD ["$cmd"]
DOCKERFILE
	$DOCKER build -q -t "$tag" --label dockopt-e2e-standin=slim-base "$dir" >"$STATE/slim-base-${tag//[:/]/_}.log" 2>&1 \
		|| { tail -20 "$STATE/slim-base-${tag//[:/]/_}.log" >&2; exit 1; }
}

standin python:3.11 "$full"
standin python:3.11-slim "$runtime"
standin node:18-slim "nodejs npm" node
log "python:3.11 $($DOCKER image inspect -f '{{.Size}}' python:3.11) bytes, python:3.11-slim $($DOCKER image inspect -f '{{.Size}}' python:3.11-slim) bytes"
