package rewrite

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

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
//	overrides:                       # per-path selections, later ones win
//	  - paths: ["services/api/**"]
//	    skip: [reorder-copy]
type Config struct {
	Path      string                       `yaml:"-"`
	Dir       string                       `yaml:"-"`
	Only      []string                     `yaml:"only"`
	Skip      []string                     `yaml:"skip"`
	Enable    []string                     `yaml:"enable"`
	Exclude   []string                     `yaml:"exclude"`
	Settings  map[string]map[string]string `yaml:"settings"`
	Overrides []Override                   `yaml:"overrides"`

	exclude *patternmatcher.PatternMatcher
}

// Override applies a selection to the files matching Paths.
type Override struct {
	Paths  []string `yaml:"paths"`
	Only   []string `yaml:"only"`
	Skip   []string `yaml:"skip"`
	Enable []string `yaml:"enable"`

	match *patternmatcher.PatternMatcher
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
	if err := checkIDs(path, &root, suite); err != nil {
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

// checkIDs walks the YAML tree: every value under only/skip/enable, and
// every key under settings, must be a transform ID.
func checkIDs(path string, n *yaml.Node, suite []*Transform) error {
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
	m, _ := c.exclude.MatchesOrParentMatches(r)
	return m
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
		if r, ok := c.rel(path); ok {
			for _, o := range c.Overrides {
				if m, _ := o.match.MatchesOrParentMatches(r); !m {
					continue
				}
				if o.Only != nil {
					fOnly = o.Only
				}
				fSkip = append(append([]string(nil), fSkip...), o.Skip...)
				fEnable = append(append([]string(nil), fEnable...), o.Enable...)
			}
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
