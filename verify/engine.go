// Package verify is `dockopt fix --verify`: it builds a Dockerfile's
// original and dockopt's result with a container engine, keeps the result
// only when it builds whenever the original does, makes an image with the
// same runtime config and (given a smoke command) behaves the same, and
// otherwise finds the transforms responsible by re-running rewrite.Fix
// without them. It also measures both images: size, layers, a cold build,
// and a rebuild after a source edit.
//
// The rewrite package never talks to an engine: verify fills in
// rewrite.RunOptions.Verify.
package verify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Engine is a container engine that builds, inspects, runs and removes
// images. Every image and container it makes carries Label.
type Engine interface {
	// Describe names the engine and its version for reports,
	// e.g. "docker 20.10.24 (BuildKit)".
	Describe() string
	// Build builds req. A build that ran and failed returns a *BuildError.
	Build(ctx context.Context, req BuildRequest) error
	Inspect(ctx context.Context, tag string) (*Image, error)
	// Run runs a container of tag with args (none: the image's own command)
	// and returns its stdout and exit status.
	Run(ctx context.Context, tag string, args []string, platform string) (stdout string, status int, err error)
	// Remove removes the images (by tag); missing ones are not an error.
	Remove(ctx context.Context, tags ...string) error
}

// Label marks every image and container verification makes.
const (
	LabelKey = "dockopt.verify"
	Label    = LabelKey + "=1"
)

// BuildRequest is one build.
type BuildRequest struct {
	ContextDir string // the build context
	Dockerfile string // path of the Dockerfile (may lie outside ContextDir)
	Tag        string
	NoCache    bool
	BuildArgs  []string // KEY=VALUE
	Target     string
	Platform   string
}

// BuildError is a build that ran and failed.
type BuildError struct {
	Log string // the build log's last lines
	Err error
}

func (e *BuildError) Error() string { return fmt.Sprintf("build failed: %v", e.Err) }

// Image is what verification reads of a built image (docker image inspect).
type Image struct {
	Size   int64
	Author string
	RootFS struct{ Layers []string }
	Config map[string]json.RawMessage
}

// ErrNoEngine is returned by New when no engine answers; its message says
// how to start one.
var ErrNoEngine = errors.New("no container engine")

// tailLines is the last n lines of s.
func tailLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
