package verify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dockopt/dockopt/rewrite"
	"github.com/moby/patternmatcher"
)

// Options configure a Verifier: the flags `dockopt fix --verify` was
// given. They win over each file's `verify:` config (rewrite.Settings.Verify;
// see merge).
type Options struct {
	Engine    Engine
	Jobs      int           // builds and runs at once (default 1)
	Timeout   time.Duration // per build and per smoke run (default DefaultTimeout)
	BuildArgs []string      // KEY=VALUE, for every build
	Target    string
	Platform  string
	// Smoke commands (--verify-run), run in both images besides the
	// config's and the file's own `# dockopt:verify CMD` comments; see Words.
	Smoke []string
	// Progress, when set, receives a line as each file's verification
	// starts and ends.
	Progress io.Writer
}

// DefaultTimeout bounds one build or smoke run.
const DefaultTimeout = 10 * time.Minute

// Verifier verifies changed files; Verify is a rewrite.Verifier.
type Verifier struct {
	o     Options
	sem   chan struct{}
	run   string // unique per process: part of every tag
	seq   atomic.Int64
	nonce uint32 // makes the rebuild's source edit new to the build cache
}

// New returns a Verifier over o.Engine.
func New(o Options) *Verifier {
	if o.Jobs <= 0 {
		o.Jobs = 1
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	now := time.Now().UnixNano()
	return &Verifier{o: o, sem: make(chan struct{}, o.Jobs), run: fmt.Sprintf("%d-%d", os.Getpid(), now%1e9),
		nonce: uint32(now) ^ uint32(now>>32) ^ uint32(os.Getpid())<<16}
}

// version is one Dockerfile text to build: the original or a candidate.
type version struct {
	name    string // for messages: "original", "result", "result without X"
	df      string // path of the Dockerfile in the workspace
	ctx     string // its build context copy
	res     *rewrite.Result
	tag     string
	cold    float64 // seconds of the --no-cache build (0: built with the cache)
	seconds float64 // of the last build
	image   *Image
	smoke   []smokeOut
}

type smokeOut struct {
	stdout string
	status int
}

// file is the verification of one Dockerfile.
type file struct {
	v          *Verifier
	path       string
	src        []byte
	settings   *rewrite.Settings
	ts         []*rewrite.Transform
	ctxDir     string   // the user's build context
	work       string   // temp workspace
	pristine   string   // copy of the context for versions without side-file changes
	buildArgs  []string // KEY=VALUE
	target     string
	platform   string
	smoke      []string
	smokeWords [][]string

	mu      sync.Mutex
	tags    []string
	outcome map[string]*candidate // by signature
}

// candidate is a checked version: nil reason means it verified.
type candidate struct {
	ver    *version
	reason string
	log    string
}

// Verify implements rewrite.Verifier.
func (v *Verifier) Verify(ctx context.Context, path string, res *rewrite.Result, ts []*rewrite.Transform, settings *rewrite.Settings) (*rewrite.Result, *rewrite.Verification, error) {
	f := &file{v: v, path: path, src: res.Input, settings: settings, ts: ts, outcome: map[string]*candidate{}}
	if settings != nil {
		f.ctxDir = settings.ContextDir
	}
	if f.ctxDir == "" {
		return nil, nil, fmt.Errorf("%s: --verify needs a build context: pass --context DIR", path)
	}
	var cfg *rewrite.VerifySettings
	if settings != nil {
		cfg = settings.Verify
	}
	var smoke []rewrite.Smoke
	f.buildArgs, f.target, f.platform, smoke = v.o.merge(cfg)
	for _, s := range SmokeComments(res.Input) {
		smoke = append(smoke, rewrite.Smoke{Cmd: s})
	}
	for _, s := range smoke {
		w, err := rewrite.SmokeWords(s.Cmd)
		if err != nil && s.Line > 0 {
			return nil, nil, fmt.Errorf("%s: %s:%d: verify: run: %v", path, cfg.Config, s.Line, err)
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %v", path, err)
		}
		f.smoke = append(f.smoke, s.Cmd)
		f.smokeWords = append(f.smokeWords, w)
	}
	work, err := os.MkdirTemp("", "dockopt-verify-")
	if err != nil {
		return nil, nil, err
	}
	f.work = work
	defer os.RemoveAll(work)
	defer f.cleanup()
	v.progress("%s: verifying with %s", path, v.o.Engine.Describe())
	kept, ver, err := f.verify(ctx, res)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: --verify: %v (file left unchanged)", path, err)
	}
	ver.Engine = v.o.Engine.Describe()
	ver.Smoke = f.smoke
	return kept, ver, nil
}

// merge puts the flags over one file's `verify:` config (nil: none): a
// --build-arg replaces the config's value of the same KEY, --target and
// --platform replace the config's. Smoke commands add up instead, the
// config's first, then --verify-run's: each is one more check, and
// dropping a check the config asks for would verify less than the
// repository's owners want.
func (o *Options) merge(cfg *rewrite.VerifySettings) (buildArgs []string, target, platform string, smoke []rewrite.Smoke) {
	target, platform = o.Target, o.Platform
	if cfg != nil {
		flagged := map[string]bool{}
		for _, a := range o.BuildArgs {
			k, _, _ := strings.Cut(a, "=")
			flagged[k] = true
		}
		keys := make([]string, 0, len(cfg.BuildArgs))
		for k := range cfg.BuildArgs {
			if !flagged[k] {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			buildArgs = append(buildArgs, k+"="+cfg.BuildArgs[k])
		}
		if target == "" {
			target = cfg.Target
		}
		if platform == "" {
			platform = cfg.Platform
		}
		smoke = append(smoke, cfg.Run...)
	}
	buildArgs = append(buildArgs, o.BuildArgs...)
	for _, s := range o.Smoke {
		smoke = append(smoke, rewrite.Smoke{Cmd: s})
	}
	return buildArgs, target, platform, smoke
}

func (v *Verifier) progress(format string, args ...any) {
	if v.o.Progress != nil {
		fmt.Fprintf(v.o.Progress, "dockopt: "+format+"\n", args...)
	}
}

func (f *file) verify(ctx context.Context, res *rewrite.Result) (*rewrite.Result, *rewrite.Verification, error) {
	ign := ignoreFile(f.dockerfilePath(), f.ctxDir)
	var ignore []byte
	if ign != "" {
		var err error
		if ignore, err = os.ReadFile(ign); err != nil {
			return nil, nil, err
		}
	}
	pm, err := ignoreMatcher(ignore)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", ign, err)
	}
	f.pristine = filepath.Join(f.work, "context")
	if err := copyContext(f.ctxDir, f.pristine, pm); err != nil {
		return nil, nil, fmt.Errorf("copying the build context: %v", err)
	}

	orig, err := f.version("original", &rewrite.Result{Path: f.path, Input: f.src, Output: f.src})
	if err != nil {
		return nil, nil, err
	}
	full, err := f.version("result", res)
	if err != nil {
		return nil, nil, err
	}
	// The original and the full result build at once when --verify-jobs
	// allows; both cold, as they are measured.
	var origErr error
	var fullCand *candidate
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		origErr = f.buildOriginal(ctx, orig)
	}()
	fullBuildErr := f.build(ctx, full, true)
	wg.Wait()
	var be *BuildError
	switch {
	case errors.As(origErr, &be):
		return f.unchanged(res), &rewrite.Verification{Status: rewrite.VerifyOriginalFails, Message: be.Log}, nil
	case origErr != nil:
		return nil, nil, origErr
	}
	if fullCand, err = f.check(ctx, orig, full, fullBuildErr); err != nil {
		return nil, nil, err
	}
	out := &rewrite.Verification{Status: rewrite.VerifyVerified, Before: stats(orig)}
	kept := fullCand
	if fullCand.reason != "" {
		if kept, out.Dropped, err = f.bisect(ctx, orig, res, fullCand); err != nil {
			return nil, nil, err
		}
		out.Status = rewrite.VerifyPartial
		if kept == nil {
			out.Status = rewrite.VerifyRejected
			return f.unchanged(res), out, nil
		}
		if kept.ver.cold == 0 {
			// Trials build with the cache; measure the kept one cold, and
			// check it again on that build.
			// A new tag: building under the old one would leave that image
			// untagged and never removed.
			cold := *kept.ver
			cold.tag = f.v.newTag()
			if err := f.build(ctx, &cold, true); err != nil {
				return nil, nil, fmt.Errorf("the verified result failed a cold rebuild: %v", err)
			}
			again, err := f.check(ctx, orig, &cold, nil)
			if err != nil || again.reason != "" {
				return nil, nil, fmt.Errorf("the verified result did not verify again on a cold build (a flaky build?): %v%s", err, reasonOf(again))
			}
			kept = again
		}
	}
	out.After = stats(kept.ver)
	if err := f.measureRebuilds(ctx, orig, kept.ver, out); err != nil {
		return nil, nil, err
	}
	return kept.ver.res, out, nil
}

func reasonOf(c *candidate) string {
	if c == nil {
		return ""
	}
	return c.reason
}

// dockerfilePath is the user's Dockerfile ("" for stdin).
func (f *file) dockerfilePath() string {
	if f.path == "-" {
		return ""
	}
	return f.path
}

// version writes a candidate's Dockerfile into the workspace, with the
// Dockerfile's own ignore file beside it, and gives it a context: the
// pristine copy, or (when the result changes side files) a copy of its own
// with them applied.
func (f *file) version(name string, res *rewrite.Result) (*version, error) {
	n := f.v.seq.Add(1)
	dir := filepath.Join(f.work, fmt.Sprintf("df%d", n))
	if err := os.Mkdir(dir, 0o700); err != nil {
		return nil, err
	}
	base := "Dockerfile"
	if p := f.dockerfilePath(); p != "" {
		base = filepath.Base(p)
	}
	ver := &version{name: name, df: filepath.Join(dir, base), ctx: f.pristine, res: res, tag: f.v.newTag()}
	if err := os.WriteFile(ver.df, res.Output, 0o644); err != nil {
		return nil, err
	}
	if p := f.dockerfilePath(); p != "" {
		if b, err := os.ReadFile(p + ".dockerignore"); err == nil {
			if err := os.WriteFile(ver.df+".dockerignore", b, 0o644); err != nil {
				return nil, err
			}
		}
	}
	side := sideFiles(res)
	if len(side) == 0 {
		return ver, nil
	}
	// A side file is the Dockerfile's own ignore file or lies in the context.
	ctxAbs, err := filepath.Abs(f.ctxDir)
	if err != nil {
		return nil, err
	}
	overrides := map[string][]byte{}
	for p, content := range side {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, err
		}
		if own, _ := filepath.Abs(f.dockerfilePath() + ".dockerignore"); f.dockerfilePath() != "" && abs == own {
			if err := os.WriteFile(ver.df+".dockerignore", content, 0o644); err != nil {
				return nil, err
			}
			continue
		}
		rel, err := filepath.Rel(ctxAbs, abs)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return nil, fmt.Errorf("cannot verify a change to %s: it is outside the build context %s", p, f.ctxDir)
		}
		overrides[rel] = content
	}
	var ignore []byte
	if b, ok := overrides[".dockerignore"]; ok {
		ignore = b
	} else if ign := ignoreFile(ver.df, f.ctxDir); ign != "" {
		if ignore, err = os.ReadFile(ign); err != nil {
			return nil, err
		}
	}
	if b, err := os.ReadFile(ver.df + ".dockerignore"); err == nil {
		ignore = b
	}
	pm, err := ignoreMatcher(ignore)
	if err != nil {
		return nil, fmt.Errorf("the result's ignore file: %v", err)
	}
	ver.ctx = filepath.Join(dir, "context")
	if err := copyContext(f.ctxDir, ver.ctx, pm); err != nil {
		return nil, fmt.Errorf("copying the build context: %v", err)
	}
	for rel, content := range overrides {
		p := filepath.Join(ver.ctx, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		os.Remove(p)
		if err := os.WriteFile(p, content, 0o644); err != nil {
			return nil, err
		}
	}
	return ver, nil
}

// build builds ver, cold (--no-cache, timed) or with the cache.
func (f *file) build(ctx context.Context, ver *version, cold bool) error {
	f.mu.Lock()
	f.tags = append(f.tags, ver.tag)
	f.mu.Unlock()
	release := f.v.acquire()
	defer release()
	ctx, cancel := context.WithTimeout(ctx, f.v.o.Timeout)
	defer cancel()
	began := time.Now() // after the wait for a slot: only the build is timed
	err := f.v.o.Engine.Build(ctx, BuildRequest{ContextDir: ver.ctx, Dockerfile: ver.df, Tag: ver.tag, NoCache: cold,
		BuildArgs: f.buildArgs, Target: f.target, Platform: f.platform})
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("building the %s took longer than --verify-timeout %s", ver.name, f.v.o.Timeout)
	}
	ver.seconds = time.Since(began).Seconds()
	if err == nil && cold {
		ver.cold = ver.seconds
	}
	return err
}

// newTag is a tag no other build of this process uses.
func (v *Verifier) newTag() string {
	return fmt.Sprintf("dockopt-verify:%s-%d", v.run, v.seq.Add(1))
}

func (v *Verifier) acquire() (release func()) {
	v.sem <- struct{}{}
	return func() { <-v.sem }
}

// buildOriginal builds the original cold, inspects it and runs the smoke
// commands in it.
func (f *file) buildOriginal(ctx context.Context, orig *version) error {
	if err := f.build(ctx, orig, true); err != nil {
		return err
	}
	var err error
	if orig.image, err = f.v.o.Engine.Inspect(ctx, orig.tag); err != nil {
		return err
	}
	orig.smoke, err = f.runSmoke(ctx, orig)
	return err
}

func (f *file) runSmoke(ctx context.Context, ver *version) ([]smokeOut, error) {
	var outs []smokeOut
	for _, argv := range f.smokeWords {
		release := f.v.acquire()
		rctx, cancel := context.WithTimeout(ctx, f.v.o.Timeout)
		out, status, err := f.v.o.Engine.Run(rctx, ver.tag, argv, f.platform)
		cancel()
		release()
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("a smoke command in the %s image ran longer than --verify-timeout %s", ver.name, f.v.o.Timeout)
		}
		if err != nil {
			return nil, err
		}
		outs = append(outs, smokeOut{stdout: out, status: status})
	}
	return outs, nil
}

// check decides whether ver (built, or failed with buildErr) verifies
// against orig: it builds, its config matches, its smoke outputs match.
// An error is a failure of verification itself, not of ver.
func (f *file) check(ctx context.Context, orig, ver *version, buildErr error) (*candidate, error) {
	c := &candidate{ver: ver}
	var be *BuildError
	switch {
	case errors.As(buildErr, &be):
		c.reason, c.log = "the result does not build (the original does)", be.Log
		return c, nil
	case buildErr != nil:
		return nil, buildErr
	}
	img, err := f.v.o.Engine.Inspect(ctx, ver.tag)
	if err != nil {
		return nil, err
	}
	ver.image = img
	baseEnv, err := f.newBaseEnv(ctx, orig, ver)
	if err != nil {
		return nil, err
	}
	if diffs := CompareConfig(orig.image, img, baseEnv); len(diffs) > 0 {
		c.reason, c.log = "the image config differs: "+diffs[0], strings.Join(diffs, "\n")
		return c, nil
	}
	if ver.smoke, err = f.runSmoke(ctx, ver); err != nil {
		return nil, err
	}
	for i, o := range orig.smoke {
		r := ver.smoke[i]
		if o.status == r.status && o.stdout == r.stdout {
			continue
		}
		cmd := f.smoke[i]
		if cmd == "" {
			cmd = "(the image's own command)"
		}
		c.reason = fmt.Sprintf("the smoke command `%s` gives another result: exit %d and %d bytes of stdout (original) vs exit %d and %d bytes (result)",
			cmd, o.status, len(o.stdout), r.status, len(r.stdout))
		c.log = fmt.Sprintf("original stdout:\n%s\nresult stdout:\n%s", tailLines(o.stdout, 10), tailLines(r.stdout, 10))
		return c, nil
	}
	return c, nil
}

// newBaseEnv is the Env of ver's runtime base image when it differs from
// the original's (multi-stage, slim-base change it), else nil.
func (f *file) newBaseEnv(ctx context.Context, orig, ver *version) ([]string, error) {
	a, b := finalBase(orig.res.Output, f.target), finalBase(ver.res.Output, f.target)
	if a == b || b == "" || b == "scratch" || strings.Contains(b, "$") {
		return nil, nil
	}
	img, err := f.v.o.Engine.Inspect(ctx, b)
	if err != nil {
		return nil, nil // unknown: no allowance
	}
	env, _ := stringList(NormalizeConfigField(img.Config["Env"]))
	if env == nil {
		env = []string{}
	}
	return env, nil
}

// bisect finds the transforms responsible for full's failure: it adds the
// transforms that changed the file back one at a time, in pipeline order,
// each time re-running rewrite.Fix without the ones dropped so far and the
// ones not yet added, and keeps a transform only when the result still
// verifies. It returns the last verified candidate (nil when none changed
// the file) and what was dropped.
func (f *file) bisect(ctx context.Context, orig *version, res *rewrite.Result, full *candidate) (*candidate, []rewrite.DroppedTransform, error) {
	applied := appliedTransforms(res, f.ts)
	dropped := map[string]bool{}
	var out []rewrite.DroppedTransform
	var kept *candidate
	lastSig := signature(f.unchanged(res))
	for i, t := range applied {
		later := map[string]bool{}
		for _, p := range applied[i+1:] {
			later[p.ID] = true
		}
		var list []*rewrite.Transform
		for _, x := range f.ts {
			if !dropped[x.ID] && !later[x.ID] {
				list = append(list, x)
			}
		}
		trial, err := rewrite.Fix(f.path, f.src, list, f.settings)
		if err != nil {
			return nil, nil, err
		}
		sig := signature(trial)
		if sig == lastSig {
			continue // t changes nothing without the transforms left out
		}
		var c *candidate
		if sig == signature(full.ver.res) {
			c = full
		} else if c, err = f.trial(ctx, orig, t.ID, trial); err != nil {
			return nil, nil, err
		}
		if c.reason != "" {
			dropped[t.ID] = true
			out = append(out, rewrite.DroppedTransform{Transform: t.ID, Reason: c.reason, Log: c.log})
			continue
		}
		kept, lastSig = c, sig
	}
	if len(out) == 0 {
		// Added back one by one, every transform verified, yet the full
		// result, the same text, did not: the build is not reproducible.
		return nil, nil, fmt.Errorf("the result failed (%s) but verified when rebuilt transform by transform: a flaky build?", full.reason)
	}
	return kept, out, nil
}

// trial builds and checks one reduced result, with the cache.
func (f *file) trial(ctx context.Context, orig *version, id string, trial *rewrite.Result) (*candidate, error) {
	key := signature(trial)
	f.mu.Lock()
	c := f.outcome[key]
	f.mu.Unlock()
	if c != nil {
		return c, nil
	}
	ver, err := f.version("result with "+id, trial)
	if err != nil {
		return nil, err
	}
	f.v.progress("%s: checking the result with %s added back", f.path, id)
	c, err = f.check(ctx, orig, ver, f.build(ctx, ver, false))
	if err == nil {
		f.mu.Lock()
		f.outcome[key] = c
		f.mu.Unlock()
	}
	return c, err
}

// appliedTransforms are the transforms of ts that fixed something in res,
// in pipeline order.
func appliedTransforms(res *rewrite.Result, ts []*rewrite.Transform) []*rewrite.Transform {
	fixed := map[string]bool{}
	for _, x := range res.Findings {
		if x.Fixed {
			fixed[x.Transform] = true
		}
	}
	var out []*rewrite.Transform
	for _, t := range ts {
		if fixed[t.ID] {
			out = append(out, t)
		}
	}
	return out
}

// unchanged is res with nothing applied: the file is left as it was.
func (f *file) unchanged(res *rewrite.Result) *rewrite.Result {
	out := &rewrite.Result{Path: res.Path, Input: res.Input, Output: res.Input, Internal: res.Internal}
	for _, x := range res.Findings {
		if !x.Fixed {
			out.Findings = append(out.Findings, x)
		}
	}
	return out
}

// measureRebuilds times a rebuild of both versions with the cache their
// cold builds left, after the same source edit in their contexts.
func (f *file) measureRebuilds(ctx context.Context, orig, kept *version, out *rewrite.Verification) error {
	dfRel := ""
	if p := f.dockerfilePath(); p != "" {
		ctxAbs, _ := filepath.Abs(f.ctxDir)
		abs, _ := filepath.Abs(p)
		if rel, err := filepath.Rel(ctxAbs, abs); err == nil && !strings.HasPrefix(rel, "..") {
			dfRel = filepath.ToSlash(rel)
		}
	}
	// The edited file must be in both contexts: the result may come with a
	// new .dockerignore (the dockerignore transform) that leaves it out.
	var ignores []*patternmatcher.PatternMatcher
	for _, ver := range []*version{orig, kept} {
		if ign := ignoreFile(ver.df, ver.ctx); ign != "" {
			content, _ := os.ReadFile(ign)
			pm, _ := ignoreMatcher(content)
			ignores = append(ignores, pm)
		}
	}
	target, err := editTarget(f.src, orig.ctx, dfRel, ignores...)
	if errors.Is(err, errNoWholeCopy) {
		return nil
	}
	if err != nil {
		return err
	}
	out.EditedFile = target
	// Warm the cache first: other builds since the cold one (trials, other
	// files, other tools) may have replaced or pruned its records, and the
	// point is the rebuild with a warm cache.
	if _, err := f.buildBoth(ctx, orig, kept, "warming the cache of"); err != nil {
		return err
	}
	// No more cold builds read the contexts: edit them in place (once when
	// both versions share the pristine copy).
	for _, dir := range uniq(orig.ctx, kept.ctx) {
		if err := editSource(dir, target, f.v.nonce); err != nil {
			return fmt.Errorf("editing %s for the rebuild: %v", target, err)
		}
	}
	secs, err := f.buildBoth(ctx, orig, kept, "rebuilding after editing "+target)
	if err != nil {
		return err
	}
	out.Before.RebuildSeconds, out.After.RebuildSeconds = &secs[0], &secs[1]
	return nil
}

// buildBoth builds the original and the result again with the cache, at
// once when --verify-jobs allows, and times each build.
func (f *file) buildBoth(ctx context.Context, orig, kept *version, what string) ([]float64, error) {
	var wg sync.WaitGroup
	secs := make([]float64, 2)
	errs := make([]error, 2)
	for i, ver := range []*version{orig, kept} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			again := *ver
			again.tag = f.v.newTag()
			errs[i] = f.build(ctx, &again, false)
			secs[i] = again.seconds
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("%s the %s: %v", what, []string{"original", "result"}[i], err)
		}
	}
	return secs, nil
}

func uniq(a, b string) []string {
	if a == b {
		return []string{a}
	}
	return []string{a, b}
}

func stats(ver *version) *rewrite.ImageStats {
	return &rewrite.ImageStats{SizeBytes: ver.image.Size, Layers: len(ver.image.RootFS.Layers), ColdBuildSeconds: ver.cold}
}

// cleanup removes every image the file's verification made.
func (f *file) cleanup() {
	f.mu.Lock()
	tags := f.tags
	f.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := f.v.o.Engine.Remove(ctx, tags...); err != nil {
		f.v.progress("%s: removing verification images: %v", f.path, err)
	}
}

// sideFiles are the other files res changes (a .dockerignore), by path.
func sideFiles(res *rewrite.Result) map[string][]byte {
	out := map[string][]byte{}
	for p, c := range res.Files {
		if c.Changed() {
			out[p] = c.Output
		}
	}
	return out
}

// signature identifies what a result would write: the Dockerfile and its
// side files.
func signature(res *rewrite.Result) string {
	var sb strings.Builder
	sb.Write(res.Output)
	side := sideFiles(res)
	paths := make([]string, 0, len(side))
	for p := range side {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		fmt.Fprintf(&sb, "\x00%s\x00%d\x00%s", p, len(side[p]), side[p])
	}
	return sb.String()
}
