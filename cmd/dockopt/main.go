// Command dockopt rewrites Dockerfiles for smaller images and faster
// rebuilds, losslessly. See README.md.
package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/dockopt/dockopt/rewrite"
	"github.com/dockopt/dockopt/transforms"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	status := rewrite.ExitOK
	app := &cli.App{
		Name:            "dockopt",
		Usage:           "rewrite Dockerfiles for smaller images and faster rebuilds, losslessly",
		Writer:          stdout,
		ErrWriter:       stderr,
		HideHelpCommand: true,
		Commands: []*cli.Command{
			{
				Name:         "fix",
				OnUsageError: onUsageError,
				Usage:        "rewrite Dockerfiles in place (or print a diff with --dry-run)",
				ArgsUsage:    "PATH... (files, directories, or - for stdin)",
				Flags: []cli.Flag{
					&cli.BoolFlag{Name: "dry-run", Aliases: []string{"n"}, Usage: "print a unified diff; write nothing"},
					&cli.BoolFlag{Name: "check", Usage: "write nothing; exit 1 if any file would change"},
					&cli.StringFlag{Name: "only", Usage: "run only these transforms (comma-separated IDs)"},
					&cli.StringFlag{Name: "skip", Usage: "do not run these transforms (comma-separated IDs)"},
					&cli.StringFlag{Name: "enable", Usage: "also run these opt-in transforms (comma-separated IDs)"},
					&cli.StringFlag{Name: "context", Usage: "build context directory (default: each Dockerfile's directory)"},
					&cli.IntFlag{Name: "jobs", Aliases: []string{"j"}, Usage: "files processed in parallel (default: number of CPUs)"},
					&cli.Int64Flag{Name: "max-size", Value: rewrite.MaxFileSize, Usage: "refuse input files larger than this many bytes"},
					&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no summary line on stderr"},
					&cli.StringFlag{Name: "config", Usage: "config file (default: .dockopt.yaml in the working directory or a parent)"},
					&cli.StringFlag{Name: "format", Value: "text", Usage: "report format: text, json, sarif or markdown"},
					&cli.StringSliceFlag{Name: "set", Usage: "transform setting ID.KEY=VALUE (repeatable), e.g. merge-runs.mode=conservative"},
				},
				Action: func(c *cli.Context) error {
					if c.NArg() == 0 {
						return usageError(c, "fix needs at least one PATH")
					}
					sel := rewrite.Selection{Only: idsFlag(c, "only"), Skip: idsFlag(c, "skip"), Enable: idsFlag(c, "enable")}
					if _, err := rewrite.Select(transforms.Suite, sel.Only, sel.Skip, sel.Enable); err != nil {
						return usageError(c, err.Error())
					}
					values, err := settings(c.StringSlice("set"))
					if err != nil {
						return usageError(c, err.Error())
					}
					sel.Values = values
					cfgPath := c.String("config")
					if cfgPath == "" {
						cfgPath = rewrite.FindConfig(".")
					}
					var cfg *rewrite.Config
					if cfgPath != "" {
						if cfg, err = rewrite.LoadConfig(cfgPath, transforms.Suite); err != nil {
							fmt.Fprintln(stderr, err)
							status = rewrite.ExitError
							return nil
						}
					}
					status = rewrite.Run(rewrite.RunOptions{
						Config:     cfg,
						Flags:      sel,
						Format:     c.String("format"),
						Version:    version,
						Catalog:    transforms.Suite,
						DryRun:     c.Bool("dry-run"),
						Check:      c.Bool("check"),
						Quiet:      c.Bool("quiet"),
						Jobs:       c.Int("jobs"),
						MaxSize:    c.Int64("max-size"),
						ContextDir: c.String("context"),
						Stdin:      stdin, Stdout: stdout, Stderr: stderr,
					}, c.Args().Slice())
					return nil
				},
			},
			{
				Name:  "list",
				Usage: "list transforms: ID, default or opt-in, summary",
				Action: func(c *cli.Context) error {
					fmt.Fprint(stdout, transforms.List())
					return nil
				},
			},
			{
				Name:      "explain",
				Usage:     "explain a transform: rationale and a before/after example",
				ArgsUsage: "ID",
				Action: func(c *cli.Context) error {
					if c.NArg() != 1 {
						return usageError(c, "explain takes one transform ID")
					}
					text, err := transforms.Explain(c.Args().First())
					if err != nil {
						return usageError(c, err.Error())
					}
					fmt.Fprint(stdout, text)
					return nil
				},
			},
			{
				Name:  "version",
				Usage: "print the version",
				Action: func(c *cli.Context) error {
					fmt.Fprintf(stdout, "dockopt %s\n", version)
					return nil
				},
			},
		},
		ExitErrHandler: func(*cli.Context, error) {},
		// Usage mistakes go to stderr with a pointer to --help; stdout is
		// reserved for output other tools consume (diffs, reports, stdin mode).
		OnUsageError: onUsageError,
	}
	if err := app.Run(args); err != nil {
		fmt.Fprintf(stderr, "dockopt: %v\n", err)
		return rewrite.ExitError
	}
	return status
}

func onUsageError(c *cli.Context, err error, _ bool) error {
	name := "dockopt"
	if c.Command != nil && c.Command.Name != "" {
		name += " " + c.Command.Name
	}
	return fmt.Errorf("%v (see '%s --help')", err, name)
}

func usageError(c *cli.Context, msg string) error {
	return fmt.Errorf("%s (see 'dockopt %s --help')", msg, c.Command.Name)
}

// settings parses --set ID.KEY=VALUE values; the ID must name a transform.
func settings(sets []string) (map[string]string, error) {
	out := map[string]string{}
	for _, s := range sets {
		k, v, ok := strings.Cut(s, "=")
		id, _, dot := strings.Cut(k, ".")
		if !ok || !dot {
			return nil, fmt.Errorf("--set %q: want ID.KEY=VALUE", s)
		}
		if rewrite.Lookup(transforms.Suite, id) == nil {
			return nil, fmt.Errorf("--set %q: unknown transform %q", s, id)
		}
		out[k] = v
	}
	return out, nil
}

// idsFlag is the flag's comma-separated IDs, or nil when the flag was not
// given (so the config file's value applies).
func idsFlag(c *cli.Context, name string) []string {
	if !c.IsSet(name) {
		return nil
	}
	out := ids(c.String(name))
	if out == nil {
		out = []string{}
	}
	return out
}

func ids(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}
