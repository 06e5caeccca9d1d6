// Command dockopt rewrites Dockerfiles for smaller images and faster
// rebuilds, losslessly. See README.md.
package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/urfave/cli/v2"

	"github.com/dockopt/dockopt/rewrite"
	"github.com/dockopt/dockopt/transforms"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	tuneGC()
	stop := startProfile()
	status := run(os.Args, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(status)
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// --verify's progress lines come from the workers while the reporter
	// writes diagnostics: one lock keeps the writer (a buffer in tests)
	// safe and the lines whole.
	stderr = &syncWriter{w: stderr}
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
				Flags: append([]cli.Flag{
					&cli.BoolFlag{Name: "dry-run", Aliases: []string{"n"}, Usage: "print a unified diff; write nothing"},
					&cli.BoolFlag{Name: "check", Usage: "write nothing; exit 1 if any file would change"},
					&cli.StringFlag{Name: "enable", Usage: "also run these opt-in transforms (comma-separated IDs)"},
				}, append(commonFlags(), verifyFlags()...)...),
				Action: func(c *cli.Context) error {
					o, err := runOptions(c, transforms.Suite, idsFlag(c, "enable"))
					if err != nil || o == nil {
						status = rewrite.ExitError
						return err
					}
					o.DryRun, o.Check = c.Bool("dry-run"), c.Bool("check")
					o.Stdin, o.Stdout, o.Stderr = stdin, stdout, stderr
					// --verify: build before and after (verify.go, package verify).
					if o.Verify, err = newVerifier(c, stderr); err != nil {
						status = rewrite.ExitError
						return err
					}
					status = rewrite.Run(*o, c.Args().Slice())
					return nil
				},
			},
			{
				Name:         "check",
				OnUsageError: onUsageError,
				Usage:        "lint: list what every transform would fix (opt-in ones as info) and smells that need a human; change nothing",
				ArgsUsage:    "PATH... (files, directories, or - for stdin)",
				Flags: append([]cli.Flag{
					&cli.StringFlag{Name: "fail-level", Value: "warning", Usage: "exit 1 when a finding is at this level or above: error, warning or info"},
				}, commonFlags()...),
				Action: func(c *cli.Context) error {
					level := rewrite.Severity(c.String("fail-level"))
					switch level {
					case rewrite.SeverityError, rewrite.SeverityWarning, rewrite.SeverityInfo:
					default:
						status = rewrite.ExitError
						return usageError(c, fmt.Sprintf("--fail-level %q: want error, warning or info", level))
					}
					all := transforms.All()
					optIn := map[string]bool{}
					var enable []string
					for _, t := range all {
						if !t.Default {
							optIn[t.ID] = true
							enable = append(enable, t.ID)
						}
					}
					o, err := runOptions(c, all, enable)
					if err != nil || o == nil {
						status = rewrite.ExitError
						return err
					}
					o.Lint, o.FailLevel, o.OptIn = true, level, optIn
					o.Stdin, o.Stdout, o.Stderr = stdin, stdout, stderr
					status = rewrite.Run(*o, c.Args().Slice())
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

// commonFlags are the flags fix and check share.
func commonFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "only", Usage: "run only these transforms (comma-separated IDs)"},
		&cli.StringFlag{Name: "skip", Usage: "do not run these transforms (comma-separated IDs)"},
		&cli.StringFlag{Name: "context", Usage: "build context directory (default: each Dockerfile's directory)"},
		&cli.IntFlag{Name: "jobs", Aliases: []string{"j"}, Usage: "files processed in parallel (default: number of CPUs)"},
		&cli.Int64Flag{Name: "max-size", Value: rewrite.MaxFileSize, Usage: "refuse input files larger than this many bytes"},
		&cli.IntFlag{Name: "max-instructions", Value: rewrite.DefaultMaxInstructions, Usage: "refuse files with more instructions than this (-1: no limit)"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no summary line on stderr"},
		&cli.StringFlag{Name: "config", Usage: "config file (default: .dockopt.yaml in the working directory or a parent)"},
		&cli.StringFlag{Name: "format", Value: "text", Usage: "report format: " + strings.Join(rewrite.Formats, ", ")},
		&cli.StringSliceFlag{Name: "set", Usage: "transform setting ID.KEY=VALUE (repeatable), e.g. merge-runs.mode=conservative"},
	}
}

// runOptions turns the shared flags into RunOptions over catalog. A usage
// mistake is returned as an error; a bad config file is printed and gives
// (nil, nil).
func runOptions(c *cli.Context, catalog []*rewrite.Transform, enable []string) (*rewrite.RunOptions, error) {
	if c.NArg() == 0 {
		return nil, usageError(c, c.Command.Name+" needs at least one PATH")
	}
	sel := rewrite.Selection{Only: idsFlag(c, "only"), Skip: idsFlag(c, "skip"), Enable: enable}
	if _, err := rewrite.Select(catalog, sel.Only, sel.Skip, sel.Enable); err != nil {
		return nil, usageError(c, err.Error())
	}
	values, err := settings(c.StringSlice("set"), catalog)
	if err != nil {
		return nil, usageError(c, err.Error())
	}
	sel.Values = values
	cfgPath := c.String("config")
	if cfgPath == "" {
		cfgPath = rewrite.FindConfig(".")
	}
	var cfg *rewrite.Config
	if cfgPath != "" {
		if cfg, err = rewrite.LoadConfig(cfgPath, catalog); err != nil {
			fmt.Fprintln(c.App.ErrWriter, err)
			return nil, nil
		}
	}
	return &rewrite.RunOptions{
		Config:          cfg,
		Flags:           sel,
		Format:          c.String("format"),
		Version:         version,
		Catalog:         catalog,
		Quiet:           c.Bool("quiet"),
		Jobs:            c.Int("jobs"),
		MaxSize:         c.Int64("max-size"),
		MaxInstructions: c.Int("max-instructions"),
		ContextDir:      c.String("context"),
	}, nil
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
func settings(sets []string, catalog []*rewrite.Transform) (map[string]string, error) {
	out := map[string]string{}
	for _, s := range sets {
		k, v, ok := strings.Cut(s, "=")
		id, _, dot := strings.Cut(k, ".")
		if !ok || !dot {
			return nil, fmt.Errorf("--set %q: want ID.KEY=VALUE", s)
		}
		if rewrite.Lookup(catalog, id) == nil {
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

// syncWriter serialises writes to w.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
