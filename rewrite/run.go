package rewrite

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
)

// Exit statuses, the contract other tools script against.
const (
	ExitOK      = 0 // success; with --check: nothing to change
	ExitChanges = 1 // --check found files that would change
	ExitError   = 2 // usage error, or a file unreadable, rejected by BuildKit, or hit by an internal error
)

// RunOptions is what `dockopt fix` was asked to do.
type RunOptions struct {
	// Transforms, when set, runs these for every file. Otherwise each file's
	// transforms are resolved from Config (may be nil) and Flags.
	Transforms []*Transform
	Config     *Config
	Flags      Selection
	DryRun     bool  // print a unified diff, write nothing
	Check      bool  // write nothing; exit 1 when a file would change
	Quiet      bool  // no summary line
	Jobs       int   // files processed at once (0: number of CPUs)
	MaxSize    int64 // input size limit in bytes (0: MaxFileSize)
	// MaxInstructions: instruction limit per file (0: DefaultMaxInstructions; negative: none)
	MaxInstructions int
	ContextDir      string // build context for every file ("" : each Dockerfile's directory)
	Values          map[string]string
	Format          string       // text (default), json, sarif, markdown
	Version         string       // dockopt's version, for reports
	Catalog         []*Transform // every transform, for report metadata (default: Transforms)

	// Verify, when set, builds each changed file before and after with a
	// container engine and keeps only verified changes (dockopt fix
	// --verify; package verify, verification.go).
	Verify Verifier

	// Lint is `dockopt check`: nothing is written; every finding a transform
	// would fix, and every report-only finding, is listed; the exit status is
	// 1 when one is at FailLevel or above.
	Lint      bool
	FailLevel Severity // default: warning
	// OptIn lists the IDs whose fixes `check` reports as info (opt-in transforms).
	OptIn map[string]bool

	stdinOnly bool

	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// fileOutcome is the result of one file, printed in input order.
type fileOutcome struct {
	path    string
	res     *Result
	errs    []error
	written bool

	verification *Verification // dockopt fix --verify
}

// slot is one walked file on its way through the workers, or a walk error
// to report at its place in the output.
type slot struct {
	path string
	err  error
	out  *fileOutcome
	diff string
	done chan struct{} // closed when out (or err) is ready
}

// Run processes paths (files, directories, or "-" for stdin) and returns the
// exit status.
func Run(o RunOptions, paths []string) int {
	if o.MaxSize == 0 {
		o.MaxSize = MaxFileSize
	}
	if o.Jobs <= 0 {
		o.Jobs = runtime.NumCPU()
	}
	status := ExitOK
	rep, err := newReporter(&o)
	if err != nil {
		fmt.Fprintln(o.Stderr, "dockopt:", err)
		return ExitError
	}
	fail := func(err error) {
		fmt.Fprintln(o.Stderr, err)
		status = ExitError
	}
	if !o.DryRun && !o.Check {
		stop := CleanupOnSignal()
		defer stop()
	}
	// The walk feeds the workers as it goes, and the files come out in walk
	// order: order carries every file (and every walk error, at its place)
	// to the loop below, which waits for each in turn; work carries the
	// files to the workers. Both are bounded, so a huge tree is never held
	// at once.
	order, work := make(chan *slot, 256), make(chan *slot, 256)
	go func() {
		defer close(order)
		defer close(work)
		file := func(f string) {
			s := &slot{path: f, done: make(chan struct{})}
			order <- s
			work <- s
		}
		failed := func(err error) {
			s := &slot{err: err, done: make(chan struct{})}
			close(s.done)
			order <- s
		}
		for _, p := range paths {
			if p == "-" {
				file(p)
				continue
			}
			st, err := os.Stat(p)
			if err != nil {
				failed(fmt.Errorf("%s: %v", p, plainErr(err)))
				continue
			}
			if !st.IsDir() {
				file(p)
				continue
			}
			n := 0
			err = WalkExcluding(p, o.Config.Excluded, func(f string) { n++; file(f) })
			if err != nil {
				if j, ok := err.(interface{ Unwrap() []error }); ok {
					for _, e := range j.Unwrap() {
						failed(e) // "path: message" for each unreadable directory below p
					}
				} else {
					failed(fmt.Errorf("%s: %v", p, plainErr(err)))
				}
			}
			if n == 0 {
				failed(fmt.Errorf("%s: no Dockerfiles found", p))
			}
		}
	}()
	var wg sync.WaitGroup
	for w := 0; w < o.Jobs; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range work {
				s.out = o.processFile(s.path)
				if res := s.out.res; res != nil {
					// The diff and the finding order, here rather than in the
					// loop below: that loop is the one part that runs alone.
					SortFindings(res.Findings)
					if o.showsDiff() {
						s.diff = UnifiedDiff(s.out.path, res.Input, res.Output) + res.FilesDiff()
					}
				}
				close(s.done)
			}
		}()
	}

	var sum Summary
	var stdin int // files read from stdin
	for s := range order {
		<-s.done
		if s.err != nil {
			fail(s.err)
			continue
		}
		sum.Files++
		if s.path == "-" {
			stdin++
		}
		o.stdinOnly = sum.Files == 1 && stdin == 1
		out := s.out
		fr := &FileReport{Path: out.path, Written: out.written, Findings: []Finding{}, Verification: out.verification}
		errs := out.errs
		if out.res != nil {
			errs = append(errs, out.res.Internal...)
			fr.Changed = out.res.Changed() || out.res.FilesChanged()
			fr.Findings = append(fr.Findings, out.res.Findings...)
			fr.Diff = s.diff
		}
		for _, err := range errs {
			fail(err)
			fr.Errors = append(fr.Errors, err.Error())
			sum.Errors++
		}
		if fr.Changed {
			sum.Changed++
			if o.Check && status == ExitOK {
				status = ExitChanges
			}
		}
		if o.Lint {
			fr.Findings = o.lintFindings(fr.Findings)
			for _, f := range fr.Findings {
				if severityRank(f.Severity) >= severityRank(o.failLevel()) && status == ExitOK {
					status = ExitChanges
				}
			}
		}
		for _, f := range fr.Findings {
			if f.Fixed {
				sum.FindingsFixed++
			}
		}
		rep.file(fr, out)
	}
	wg.Wait()
	if err := rep.finish(sum); err != nil {
		fail(fmt.Errorf("dockopt: writing the report: %v", err))
	}
	return status
}

// lintFindings keeps what `dockopt check` lists: no "left alone" notes and
// nothing suppressed; fixes of opt-in transforms become info.
func (o *RunOptions) lintFindings(fs []Finding) []Finding {
	out := []Finding{}
	for _, f := range fs {
		if f.LeftAlone || f.Suppressed {
			continue
		}
		if f.Fixed && o.OptIn[f.Transform] {
			f.Severity = SeverityInfo
		}
		out = append(out, f)
	}
	return out
}

func (o *RunOptions) failLevel() Severity {
	if o.FailLevel == "" {
		return SeverityWarning
	}
	return o.FailLevel
}

func severityRank(s Severity) int {
	switch s {
	case SeverityError:
		return 3
	case SeverityWarning:
		return 2
	case SeverityInfo:
		return 1
	}
	return 0
}

func (o *RunOptions) catalog() []*Transform {
	if o.Catalog != nil {
		return o.Catalog
	}
	return o.Transforms
}

func (o *RunOptions) processFile(path string) *fileOutcome {
	out := &fileOutcome{path: path}
	var src []byte
	var err error
	if path == "-" {
		src, err = ReadStdin(o.Stdin, o.MaxSize)
	} else {
		src, err = ReadInput(path, o.MaxSize)
	}
	if err != nil {
		out.errs = append(out.errs, err)
		return out
	}
	ts, values := o.Transforms, o.Values
	if ts == nil {
		ts, values, err = o.Config.Resolve(o.catalog(), o.Flags, path)
		if err != nil {
			out.errs = append(out.errs, fmt.Errorf("%s: %v", path, err))
			return out
		}
	}
	settings := &Settings{ContextDir: o.ContextDir, Values: values, MaxInstructions: o.MaxInstructions}
	if o.Verify != nil {
		settings.Verify = o.Config.VerifyFor(path)
	}
	if settings.ContextDir == "" && path != "-" {
		settings.ContextDir = filepath.Dir(path)
	}
	res, err := Fix(path, src, ts, settings)
	if err != nil {
		out.errs = append(out.errs, err)
		return out
	}
	out.res = res
	if out.res, out.verification, err = o.verifyResult(path, res, ts, settings); err != nil {
		out.errs = append(out.errs, err)
	}
	res = out.res
	if o.DryRun || o.Check || o.Lint || path == "-" || !res.Changed() && !res.FilesChanged() {
		return out
	}
	// The Dockerfile, then its side files (sidecar.go).
	if out.written, err = writeResult(path, src, res); err != nil {
		out.errs = append(out.errs, err)
	}
	return out
}
