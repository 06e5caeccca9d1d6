package verify

import (
	"context"
	"errors"
	"fmt"
)

// ErrBuildKitUnsupported is the answer to --buildkit-addr in this build.
//
// Why not implemented: github.com/moby/buildkit/client pulls in about thirty
// more modules (gRPC, containerd, OpenTelemetry; the binary grows by ~10 MB),
// and buildkitd alone cannot run the smoke command: that needs the gateway
// container API or an image store to load the result into. Verification
// through the Docker CLI covers the same builds (Docker's builder is
// BuildKit).
var ErrBuildKitUnsupported = errors.New("--buildkit-addr is not supported in this build of dockopt: " +
	"use the local Docker daemon (BuildKit through /usr/bin/docker, or the client named by DOCKOPT_DOCKER)")

// NewBuildKit would drive buildkitd at addr through
// github.com/moby/buildkit/client; this build does not include it.
func NewBuildKit(_ context.Context, addr string) (Engine, error) {
	return nil, fmt.Errorf("%w (asked for %s)", ErrBuildKitUnsupported, addr)
}
