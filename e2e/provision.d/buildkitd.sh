#!/usr/bin/env bash
# A standalone buildkitd for `dockopt fix --verify --buildkit-addr`
# (e2e/verify_buildkit_test.go). Run by e2e/provision.sh with DOCKER and STATE
# set; idempotent: each step is skipped when its result is there and alive.
#
#   $STATE/bin/buildkitd, $STATE/bin/registry   built from source with the Go
#                                               module proxy (no container
#                                               registry is reachable)
#   127.0.0.1:5000                              a local registry holding the
#                                               stand-in base images, pushed
#                                               from Docker's image store
#   unix://$STATE/buildkitd/buildkitd.sock      buildkitd with the OCI worker
#                                               (runc), its own root dir, and
#                                               docker.io and gcr.io mirrored
#                                               to the local registry
#
# buildkitd cannot see Docker's image store: base images reach it through the
# registry. It does not touch dockerd's containerd either (no containerd
# worker), so /usr/bin/docker keeps working beside it.
set -euo pipefail
: "${DOCKER:?}" "${STATE:?}"
export DOCKER_BUILDKIT=1

log() { printf 'provision.d/buildkitd: %s\n' "$*" >&2; }

BUILDKIT_VERSION=v0.34.2
REGISTRY_VERSION=v3.1.2
BIN=$STATE/bin
REG_ADDR=127.0.0.1:5000
BK_DIR=$STATE/buildkitd
SOCK=$BK_DIR/buildkitd.sock
mkdir -p "$BIN" "$BK_DIR" "$STATE/registry"

# 1. The binaries. `go install buildkit/cmd/buildkitd@v` refuses a module
# whose go.mod has exclude directives: build inside the downloaded module.
# The recipe changes with the build's flags: a change rebuilds and restarts.
recipe="$BUILDKIT_VERSION -X version.Version"
rebuilt=
if [ ! -x "$BIN/buildkitd" ] || [ "$(cat "$BIN/buildkitd.version" 2>/dev/null)" != "$recipe" ]; then
	log "building buildkitd $BUILDKIT_VERSION (a few minutes)"
	dir=$(go mod download -json "github.com/moby/buildkit@$BUILDKIT_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	[ -d "$dir" ] || { log "go mod download github.com/moby/buildkit@$BUILDKIT_VERSION gave no directory"; exit 1; }
	(cd "$dir" && GOFLAGS=-mod=readonly go build -trimpath \
		-ldflags "-X github.com/moby/buildkit/version.Version=$BUILDKIT_VERSION" -o "$BIN/buildkitd.new" ./cmd/buildkitd)
	mv "$BIN/buildkitd.new" "$BIN/buildkitd"
	echo "$recipe" >"$BIN/buildkitd.version"
	rebuilt=1
fi
if [ ! -x "$BIN/registry" ] || [ "$(cat "$BIN/registry.version" 2>/dev/null)" != "$REGISTRY_VERSION" ]; then
	log "building the distribution registry $REGISTRY_VERSION"
	GOBIN=$BIN go install "github.com/distribution/distribution/v3/cmd/registry@$REGISTRY_VERSION"
	echo "$REGISTRY_VERSION" >"$BIN/registry.version"
fi

alive() { # alive PIDFILE
	[ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}
registry_up() {
	(exec 3<>"/dev/tcp/${REG_ADDR%:*}/${REG_ADDR#*:}") 2>/dev/null
}
wait_up() { # wait_up WHAT CHECK SECONDS LOGFILE: poll CHECK every half second, or fail showing the log
	local i
	for ((i = 0; i < 2 * $3; i++)); do
		"$2" && return
		sleep 0.5
	done
	"$2" || { log "$1 did not start; see $4"; tail -20 "$4" >&2; exit 1; }
}

# 2. The registry.
if ! alive "$STATE/registry.pid" || ! registry_up; then
	log "starting the registry on $REG_ADDR"
	cat >"$STATE/registry.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $STATE/registry
  delete:
    enabled: true
http:
  addr: $REG_ADDR
EOF
	setsid nohup "$BIN/registry" serve "$STATE/registry.yml" >"$STATE/registry.log" 2>&1 </dev/null &
	echo $! >"$STATE/registry.pid"
	wait_up "the registry" registry_up 15 "$STATE/registry.log"
fi

# 3. The base images, from Docker's store (Docker treats 127.0.0.0/8 as an
# insecure registry). A push of layers the registry has is quick.
push() { # push LOCAL-TAG REMOTE-NAME
	$DOCKER image inspect "$1" >/dev/null 2>&1 || return 0
	$DOCKER tag "$1" "$REG_ADDR/$2"
	$DOCKER push -q "$REG_ADDR/$2" >/dev/null
	$DOCKER rmi "$REG_ADDR/$2" >/dev/null
}
# provision.sh runs this script before multi-stage.sh and slim-base.sh
# (alphabetical order), whose stand-ins it pushes: make them first (those
# scripts are idempotent).
if ! $DOCKER image inspect gcr.io/distroless/static-debian12 >/dev/null 2>&1; then
	DOCKER=$DOCKER STATE=$STATE bash "$(dirname "$0")/multi-stage.sh"
fi
if ! $DOCKER image inspect node:18-slim >/dev/null 2>&1; then
	DOCKER=$DOCKER STATE=$STATE bash "$(dirname "$0")/slim-base.sh"
fi
log "pushing the base images to $REG_ADDR"
push debian:bookworm library/debian:bookworm
push debian:bookworm-slim library/debian:bookworm-slim
for d in base cc static; do
	push "gcr.io/distroless/$d-debian12" "distroless/$d-debian12"
done
for i in python:3.11 python:3.11-slim node:18-slim; do
	push "$i" "library/$i"
done

# 4. buildkitd.
cat >"$BK_DIR/buildkitd.toml.new" <<EOF
root = "$BK_DIR/root"

[grpc]
  address = ["unix://$SOCK"]

[worker.oci]
  enabled = true
  gc = true
  gckeepstorage = "10GB"
  # Host networking: RUN apt-get reaches Debian's mirror without CNI.
  networkMode = "host"

[worker.containerd]
  # dockerd's containerd stays dockerd's.
  enabled = false

[registry."docker.io"]
  mirrors = ["$REG_ADDR"]

[registry."gcr.io"]
  mirrors = ["$REG_ADDR"]

[registry."$REG_ADDR"]
  http = true
  insecure = true
EOF
if { [ -n "$rebuilt" ] || ! cmp -s "$BK_DIR/buildkitd.toml.new" "$BK_DIR/buildkitd.toml"; } && alive "$BK_DIR/buildkitd.pid"; then
	log "the binary or the configuration changed: restarting buildkitd"
	kill "$(cat "$BK_DIR/buildkitd.pid")"
	for _ in $(seq 1 20); do alive "$BK_DIR/buildkitd.pid" || break; sleep 0.5; done
fi
mv "$BK_DIR/buildkitd.toml.new" "$BK_DIR/buildkitd.toml"

bk_up() { # the socket answers (bash only: no buildctl or curl needed)
	[ -S "$SOCK" ] && alive "$BK_DIR/buildkitd.pid"
}
if ! bk_up; then
	log "starting buildkitd on unix://$SOCK"
	rm -f "$SOCK"
	setsid nohup "$BIN/buildkitd" --config "$BK_DIR/buildkitd.toml" >"$BK_DIR/buildkitd.log" 2>&1 </dev/null &
	echo $! >"$BK_DIR/buildkitd.pid"
	wait_up buildkitd bk_up 30 "$BK_DIR/buildkitd.log"
fi
echo "unix://$SOCK" >"$STATE/buildkitd.addr"
$DOCKER info >/dev/null || { log "dockerd stopped answering beside buildkitd"; exit 1; }
log "buildkitd ready at unix://$SOCK (base images from $REG_ADDR)"
