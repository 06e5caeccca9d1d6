package rewrite

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/moby/patternmatcher"
	"gopkg.in/yaml.v3"
)

// ConfigName is the config file dockopt looks for, from the working
// directory upwards.
const ConfigName = ".dockopt.yaml"

// Config is a .dockopt.yaml file.
//
//	only: [apt-clean-lists]          # run only these
//	skip: [merge-runs]               # never run these
//	enable: [multi-stage]            # also run these opt-in ones
//	exclude: ["legacy/**"]           # globs (relative to this file) never walked into
//	settings:                        # transform settings
//	  merge-runs: {mode: conservative}
//	verify:                          # dockopt fix --verify (VerifySettings)
//	  build_args: {VERSION: "1.2"}
//	  target: runtime
//	  platform: linux/amd64
//	  run: ["--version", ""]
//	overrides:                       # per-path selections, later ones win
//	  - paths: ["services/api/**"]
//	    skip: [reorder-copy]
//	    verify: {target: api}
type Config struct {
	Path      string                       `yaml:"-"`
	Dir       string                       `yaml:"-"`
	Only      []string                     `yaml:"only"`
	Skip      []string                     `yaml:"skip"`
	Enable    []string                     `yaml:"enable"`
	Exclude   []string                     `yaml:"exclude"`
	Settings  map[string]map[string]string `yaml:"settings"`
	Verify    *VerifyConfig                `yaml:"verify"`
	Overrides []Override                   `yaml:"overrides"`

	// matchMu serialises pattern matching: patternmatcher compiles each
	// pattern on its first use, and workers resolve files concurrently.
	matchMu sync.Mutex

	exclude *patternmatcher.PatternMatcher
}

// Override applies a selection to the files matching Paths.
type Override struct {
	Paths  []string      `yaml:"paths"`
	Only   []string      `yaml:"only"`
	Skip   []string      `yaml:"skip"`
	Enable []string      `yaml:"enable"`
	Verify *VerifyConfig `yaml:"verify"`

	match *patternmatcher.PatternMatcher
}

// VerifyConfig is a `verify:` section, at the top level or in an override:
// how `dockopt fix --verify` builds and runs the files it applies to. The
// top-level section applies first, then the matching overrides in order:
// build_args merge by key, and every other field that a later section sets
// replaces the earlier value (`run: []` clears the smoke commands). Flags
// win over all of them (package verify merges them).
type VerifyConfig struct {
	// BuildArgs are KEY: VALUE pairs, as --build-arg KEY=VALUE. A YAML map
	// rather than a KEY=VALUE list so that a later section can replace one
	// key; a key with no value (`KEY:`) is an empty string.
	BuildArgs map[string]string `yaml:"build_args"`
	Target    *string           `yaml:"target"`   // as --target; nil: not set here
	Platform  *string           `yaml:"platform"` // as --platform; nil: not set here
	Run       []Smoke           `yaml:"run"`      // as --verify-run; nil: not set here
}

// Smoke is one smoke command of a `verify: run:` list, with its line in
// the config file for errors about it.
type Smoke struct {
	Cmd  string
	Line int
}

// UnmarshalYAML takes a scalar that SmokeWords accepts, and keeps its line:
// a bad command is an error when the config loads, not when a file is
// verified.
func (s *Smoke) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: verify: run: want a command string, e.g. \"--version\" ('' runs the image's own command)", n.Line)
	}
	if _, err := SmokeWords(n.Value); err != nil {
		return fmt.Errorf("line %d: verify: run: %v", n.Line, err)
	}
	s.Cmd, s.Line = n.Value, n.Line
	return nil
}

// VerifySettings are one file's `verify:` settings, resolved from the
// config file (Config.VerifyFor); Settings.Verify carries them to the
// verifier.
type VerifySettings struct {
	BuildArgs map[string]string // KEY -> VALUE
	Target    string
	Platform  string
	Run       []Smoke
	// Config is the config file's path: Run's lines are in it.
	Config string
}

// FindConfig looks for .dockopt.yaml in dir and its parents; "" when none.
func FindConfig(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(abs, ConfigName)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p
		}
		parent := filepath.Dir(abs)
		if parent == abs {
			return ""
		}
		abs = parent
	}
}

var (
	reYAMLLine     = regexp.MustCompile(`line (\d+): (.*)`)
	reUnknownField = regexp.MustCompile(`^field (\S+) not found in type`)
)

// LoadConfig reads and validates a config file. Unknown keys and unknown
// transform IDs are errors that name the file and line.
func LoadConfig(path string, suite []*Transform) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, plainErr(err))
	}
	c := &Config{Path: path}
	if abs, err := filepath.Abs(filepath.Dir(path)); err == nil {
		c.Dir = abs
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return c, nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil {
		msg := err.Error()
		msg = strings.TrimPrefix(msg, "yaml: unmarshal errors:\n")
		if m := reYAMLLine.FindStringSubmatch(msg); m != nil {
			text := strings.TrimSpace(m[2])
			if k := reUnknownField.FindStringSubmatch(text); k != nil {
				text = fmt.Sprintf("unknown key %q", k[1])
			}
			return nil, fmt.Errorf("%s:%s: %s", path, m[1], text)
		}
		return nil, fmt.Errorf("%s: %s", path, strings.TrimSpace(msg))
	}
	// IDs are checked against the node tree, for their line numbers.
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if err := checkTree(path, &root, suite); err != nil {
		return nil, err
	}
	if c.exclude, err = patternmatcher.New(c.Exclude); err != nil {
		return nil, fmt.Errorf("%s: exclude: %v", path, err)
	}
	for i := range c.Overrides {
		if c.Overrides[i].match, err = patternmatcher.New(c.Overrides[i].Paths); err != nil {
			return nil, fmt.Errorf("%s: overrides: %v", path, err)
		}
	}
	return c, nil
}

// checkTree walks the YAML tree: every value under only/skip/enable, and
// every key under settings, must be a transform ID; every key under
// verify: build_args must be a name.
func checkTree(path string, n *yaml.Node, suite []*Transform) error {
	var walk func(n *yaml.Node, key string) error
	walk = func(n *yaml.Node, key string) error {
		switch n.Kind {
		case yaml.DocumentNode, yaml.SequenceNode:
			for _, c := range n.Content {
				if err := walk(c, key); err != nil {
					return err
				}
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if key == "settings" && Lookup(suite, k.Value) == nil {
					return fmt.Errorf("%s:%d: settings: unknown transform %q", path, k.Line, k.Value)
				}
				if key == "build_args" && (k.Value == "" || strings.ContainsAny(k.Value, "= \t")) {
					return fmt.Errorf("%s:%d: verify: build_args: %q is not a build argument name (write KEY: VALUE)", path, k.Line, k.Value)
				}
				if key == "build_args" || key == "verify" && k.Value == "run" {
					continue // names and commands, not transform IDs
				}
				if err := walk(v, k.Value); err != nil {
					return err
				}
			}
		case yaml.ScalarNode:
			switch key {
			case "only", "skip", "enable":
				if Lookup(suite, n.Value) == nil {
					return fmt.Errorf("%s:%d: %s: unknown transform %q", path, n.Line, key, n.Value)
				}
			}
		}
		return nil
	}
	return walk(n, "")
}

// rel is path relative to the config's directory, slash-separated; ok is
// false for paths outside it.
func (c *Config) rel(path string) (string, bool) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", false
	}
	r, err := filepath.Rel(c.Dir, abs)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(r), true
}

// Excluded reports whether a walked path matches the config's exclude globs.
func (c *Config) Excluded(path string) bool {
	if c == nil || c.exclude == nil {
		return false
	}
	r, ok := c.rel(path)
	if !ok {
		return false
	}
	c.matchMu.Lock()
	defer c.matchMu.Unlock()
	m, _ := c.exclude.MatchesOrParentMatches(r)
	return m
}

// overrides are the overrides that apply to path, in order.
func (c *Config) overrides(path string) []*Override {
	r, ok := c.rel(path)
	if !ok {
		return nil
	}
	var out []*Override
	c.matchMu.Lock()
	defer c.matchMu.Unlock()
	for i := range c.Overrides {
		if m, _ := c.Overrides[i].match.MatchesOrParentMatches(r); m {
			out = append(out, &c.Overrides[i])
		}
	}
	return out
}

// VerifyFor resolves the `verify:` sections for one file (see
// VerifyConfig); nil when none applies.
func (c *Config) VerifyFor(path string) *VerifySettings {
	if c == nil {
		return nil
	}
	sections := []*VerifyConfig{c.Verify}
	for _, o := range c.overrides(path) {
		sections = append(sections, o.Verify)
	}
	var out *VerifySettings
	for _, v := range sections {
		if v == nil {
			continue
		}
		if out == nil {
			out = &VerifySettings{Config: c.Path}
		}
		for k, val := range v.BuildArgs {
			if out.BuildArgs == nil {
				out.BuildArgs = map[string]string{}
			}
			out.BuildArgs[k] = val
		}
		if v.Target != nil {
			out.Target = *v.Target
		}
		if v.Platform != nil {
			out.Platform = *v.Platform
		}
		if v.Run != nil {
			out.Run = append([]Smoke{}, v.Run...)
		}
	}
	return out
}

// Selection is what the command line asked for; a nil list means the flag
// was not given, so the config file's value applies.
type Selection struct {
	Only, Skip, Enable []string
	Values             map[string]string
}

// Resolve picks the transforms and settings for one file: the config file,
// then its matching overrides in order, then the command line (flags win).
func (c *Config) Resolve(suite []*Transform, flags Selection, path string) ([]*Transform, map[string]string, error) {
	only, skip, enable := flags.Only, flags.Skip, flags.Enable
	values := map[string]string{}
	if c != nil {
		for id, kv := range c.Settings {
			for k, v := range kv {
				values[id+"."+k] = v
			}
		}
		fOnly, fSkip, fEnable := c.Only, c.Skip, c.Enable
		for _, o := range c.overrides(path) {
			if o.Only != nil {
				fOnly = o.Only
			}
			fSkip = append(append([]string(nil), fSkip...), o.Skip...)
			fEnable = append(append([]string(nil), fEnable...), o.Enable...)
		}
		if only == nil {
			only = fOnly
		}
		if skip == nil {
			skip = fSkip
		}
		if enable == nil {
			enable = fEnable
		}
	}
	for k, v := range flags.Values {
		values[k] = v
	}
	ts, err := Select(suite, only, skip, enable)
	return ts, values, err
}
