#!/usr/bin/env bash
# Local stand-ins for the runtime images multi-stage defaults to (no registry
# is reachable). Run by e2e/provision.sh with DOCKER and STATE set.
#
#   debian:bookworm-slim                 the local debian:bookworm, without docs,
#   gcr.io/distroless/base-debian12      man pages and locales, squashed to one
#   gcr.io/distroless/cc-debian12        layer (glibc, as the real images)
#   gcr.io/distroless/static-debian12    FROM scratch: /etc/passwd, /etc/group,
#                                        nsswitch.conf, the CA bundle, zoneinfo,
#                                        /tmp, /home/nonroot; the real image's
#                                        Env (PATH, SSL_CERT_FILE) and User 0
#
# Idempotent: $STATE/multi-stage-standins records, per stand-in, the ID of the
# debian:bookworm it was made from and its own ID; a stand-in is made again
# only when either changed. (No label: the runtime stages built on them would
# inherit it, and the e2e harness compares labels.)
set -euo pipefail

DOCKER=${DOCKER:-/usr/bin/docker}
export DOCKER_BUILDKIT=1
log() { printf 'provision.d/multi-stage: %s\n' "$*" >&2; }

STATE=${STATE:-/var/tmp/dockopt-e2e}
mkdir -p "$STATE"
record=$STATE/multi-stage-standins
touch "$record"
base_id=$($DOCKER image inspect --format '{{.Id}}' debian:bookworm)

id_of() { $DOCKER image inspect --format '{{.Id}}' "$1" 2>/dev/null || true; }
current() { # current TAG: the stand-in exists and was made from this debian:bookworm
  local id
  id=$(id_of "$1")
  [ -n "$id" ] && grep -qxF "$1 $base_id $id" "$record"
}
remember() {
  grep -v "^$1 " "$record" >"$record.new" || true
  printf '%s %s %s\n' "$1" "$base_id" "$(id_of "$1")" >>"$record.new"
  mv "$record.new" "$record"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Slim Debian: what debian:*-slim leaves out (docs, man pages, locales), in one
# layer, with the config of the original (CMD bash, PATH).
slim=debian:bookworm-slim
if ! current "$slim"; then
  log "making $slim"
  cid=$($DOCKER create debian:bookworm sh -c 'rm -rf /usr/share/doc/* /usr/share/man/* /usr/share/info/* /usr/share/locale/* /usr/share/lintian /var/cache/debconf/*-old')
  $DOCKER start -a "$cid" >/dev/null
  $DOCKER export "$cid" | $DOCKER import \
    -c 'CMD ["bash"]' \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    - "$slim" >/dev/null
  $DOCKER rm "$cid" >/dev/null
  remember "$slim"
fi
for tag in gcr.io/distroless/base-debian12 gcr.io/distroless/cc-debian12; do
  if ! current "$tag"; then
    log "tagging $slim as $tag"
    $DOCKER tag "$slim" "$tag"
    remember "$tag"
  fi
done

# Static distroless: no shell, no libc; what a static program needs.
static=gcr.io/distroless/static-debian12
if ! current "$static"; then
  log "building $static (installs ca-certificates and tzdata from Debian's mirror)"
  cat >"$tmp/Dockerfile" <<'EOF'
FROM debian:bookworm AS files
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/*
RUN mkdir -p /out/etc/ssl/certs /out/usr/share /out/tmp /out/home/nonroot \
 && chmod 1777 /out/tmp \
 && chown 65532:65532 /out/home/nonroot \
 && printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >/out/etc/passwd \
 && printf 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n' >/out/etc/group \
 && printf 'hosts: files dns\n' >/out/etc/nsswitch.conf \
 && cp /etc/ssl/certs/ca-certificates.crt /out/etc/ssl/certs/ \
 && cp -a /usr/share/zoneinfo /out/usr/share/

FROM scratch
COPY --from=files /out/ /
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
USER 0
WORKDIR /
EOF
  $DOCKER build -q -t "$static" "$tmp" >/dev/null
  remember "$static"
fi
log "stand-ins ready: $slim, gcr.io/distroless/{base,cc,static}-debian12"
