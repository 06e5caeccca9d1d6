package main

// dockopt fix --verify: flags and the verifier they configure. The work is
// in package verify.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/dockopt/dockopt/rewrite"
	"github.com/dockopt/dockopt/verify"
)

func verifyFlags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "verify", Usage: "build each changed file before and after with the local Docker engine; keep only changes that build, keep the image config and pass the smoke commands; report size, layers and build times"},
		&cli.GenericFlag{Name: "verify-run", Value: &repeated{}, Usage: "with --verify: smoke command, the arguments of `docker run IMAGE` (repeatable; '' runs the image's own command); both images must give the same stdout and exit status. Also: a `# dockopt:verify CMD` comment in the Dockerfile"},
		&cli.IntFlag{Name: "verify-jobs", Value: 1, Usage: "with --verify: builds at once"},
		&cli.DurationFlag{Name: "verify-timeout", Value: verify.DefaultTimeout, Usage: "with --verify: limit for each build and smoke run"},
		&cli.GenericFlag{Name: "build-arg", Value: &repeated{}, Usage: "with --verify: KEY=VALUE for every build (repeatable)"},
		&cli.StringFlag{Name: "target", Usage: "with --verify: build this stage"},
		&cli.StringFlag{Name: "platform", Usage: "with --verify: build (and run) for this platform"},
		&cli.StringFlag{Name: "buildkit-addr", Usage: "with --verify: build, inspect and run with the buildkitd at this address (unix://PATH, tcp://HOST:PORT, docker-container://NAME) instead of the local Docker daemon"},
	}
}

// newVerifier is the verifier --verify asks for, or nil without --verify.
// No reachable engine is an error that says how to start one.
func newVerifier(c *cli.Context, stderr io.Writer) (rewrite.Verifier, error) {
	if !c.Bool("verify") {
		for _, name := range []string{"verify-run", "verify-jobs", "verify-timeout", "build-arg", "target", "platform", "buildkit-addr"} {
			if c.IsSet(name) {
				return nil, usageError(c, "--"+name+" needs --verify")
			}
		}
		return nil, nil
	}
	if c.Int("verify-jobs") < 1 {
		return nil, usageError(c, "--verify-jobs must be at least 1")
	}
	if c.Duration("verify-timeout") <= 0 {
		return nil, usageError(c, "--verify-timeout must be positive")
	}
	for _, a := range repeatedFlag(c, "build-arg") {
		if k, _, _ := strings.Cut(a, "="); k == "" {
			return nil, usageError(c, fmt.Sprintf("--build-arg %q: want KEY=VALUE", a))
		}
	}
	for _, s := range repeatedFlag(c, "verify-run") {
		if _, err := rewrite.SmokeWords(s); err != nil {
			return nil, usageError(c, "--verify-run: "+err.Error())
		}
	}
	var engine verify.Engine
	var err error
	if addr := c.String("buildkit-addr"); addr != "" {
		engine, err = verify.NewBuildKit(context.Background(), addr)
	} else {
		engine, err = verify.NewDocker(context.Background())
	}
	if err != nil {
		if errors.Is(err, verify.ErrNoEngine) {
			return nil, err
		}
		return nil, fmt.Errorf("--verify: %v", err)
	}
	var progress io.Writer
	if !c.Bool("quiet") {
		progress = stderr
	}
	v := verify.New(verify.Options{
		Engine:    engine,
		Jobs:      c.Int("verify-jobs"),
		Timeout:   c.Duration("verify-timeout"),
		BuildArgs: repeatedFlag(c, "build-arg"),
		Target:    c.String("target"),
		Platform:  c.String("platform"),
		Smoke:     repeatedFlag(c, "verify-run"),
		Progress:  progress,
	})
	return v.Verify, nil
}

// repeated is a flag given once per value. Unlike cli.StringSliceFlag it
// never splits a value at commas: a smoke command or a build argument may
// hold one.
type repeated []string

func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }
func (r *repeated) String() string     { return strings.Join(*r, " ") }

func repeatedFlag(c *cli.Context, name string) []string {
	if r, ok := c.Generic(name).(*repeated); ok {
		return *r
	}
	return nil
}
