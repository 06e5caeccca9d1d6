package transforms

import (
	"path"
	"strings"

	"github.com/dockopt/dockopt/rewrite"
	"mvdan.cc/sh/v3/syntax"
)

// This file is merge-runs' conservative mode (merge-runs.mode=conservative):
// merge only where a separate layer changes what ships. That is a RUN that
// cleans up what an earlier RUN made (files deleted in a later layer still
// ship in the earlier one), and an install split from its package index
// update (the cached update layer serves a stale index).

// mrRunFacts is what the conservative mode knows of one RUN.
type mrRunFacts struct {
	tools    map[string]bool // package manager families it runs: "apt", "apk", "pip", ...
	updates  map[string]bool // families whose package index it refreshes
	installs map[string]bool // families it installs packages with
	cleans   map[string]bool // families whose caches or packages it cleans up
	removes  []string        // paths it deletes, globs cut off: "/var/lib/apt/lists"
	text     string          // the shell body
}

func (r *mergeRun) facts() *mrRunFacts {
	if r.lazy == nil {
		r.lazy = mrFactsOf(r.sh)
	}
	return r.lazy
}

// mrConservativePairs marks the pairs to merge: from the earliest RUN that made
// what a later RUN cleans up, and from the latest index update before an
// install, through to that RUN, never across a pair that cannot be merged.
func mrConservativePairs(runs []*mergeRun, why []string) []bool {
	want := make([]bool, len(why))
	lo := 0 // runs[lo..j] can all be merged
	for j := 1; j < len(runs); j++ {
		if why[j-1] != "" {
			lo = j
			continue
		}
		b := runs[j].facts()
		from := -1
		for i := lo; i < j; i++ {
			if mrCleansWhat(runs[i].facts(), b) {
				from = i
				break
			}
		}
		for i := j - 1; i >= lo; i-- {
			if mrInstallsAfterUpdate(runs[i].facts(), b) {
				if from < 0 || i < from {
					from = i
				}
				break
			}
		}
		for k := from; from >= 0 && k < j; k++ {
			want[k] = true
		}
	}
	return want
}

// mrHelps reports whether merging a RUN with the later b changes what ships.
func mrHelps(a, b *mrRunFacts) bool { return mrCleansWhat(a, b) || mrInstallsAfterUpdate(a, b) }

func mrInstallsAfterUpdate(a, b *mrRunFacts) bool {
	for fam := range b.installs {
		if a.updates[fam] {
			return true
		}
	}
	return false
}

// mrCleansWhat reports whether b cleans up something a made: caches or
// packages of a package manager a ran, or a path a names (or whose parent
// directory it names, or a cache directory of a package manager it ran).
func mrCleansWhat(a, b *mrRunFacts) bool {
	for fam := range b.cleans {
		if a.tools[fam] {
			return true
		}
	}
	for _, p := range b.removes {
		if len(p) >= 2 && strings.Contains(a.text, p) {
			return true
		}
		if dir := path.Dir(p); !mrGenericDirs[dir] && strings.Contains(a.text, dir) {
			return true
		}
		for _, c := range mrCacheDirs {
			if strings.Contains(p, c.frag) && a.tools[c.fam] {
				return true
			}
		}
	}
	return false
}

// mrGenericDirs are too common for a RUN that names them to have made what a
// later RUN deletes below them.
var mrGenericDirs = map[string]bool{
	"/": true, ".": true, "..": true, "~": true, "$HOME": true, "/usr": true, "/usr/local": true,
	"/usr/share": true, "/usr/lib": true, "/usr/bin": true, "/usr/local/bin": true, "/usr/local/lib": true,
	"/var": true, "/var/lib": true, "/var/cache": true, "/var/log": true, "/etc": true, "/opt": true,
	"/root": true, "/home": true, "/srv": true, "/lib": true, "/bin": true, "/sbin": true,
}

// mrCacheDirs are where package managers keep their caches and indexes.
var mrCacheDirs = []struct{ frag, fam string }{
	{"/var/lib/apt/lists", "apt"}, {"/var/cache/apt", "apt"}, {"/var/cache/debconf", "apt"},
	{"/var/cache/apk", "apk"}, {"/etc/apk/cache", "apk"},
	{".cache/pip", "pip"},
	{"/var/cache/yum", "rpm"}, {"/var/cache/dnf", "rpm"},
	{".npm", "npm"}, {".cache/yarn", "yarn"}, {".pnpm-store", "pnpm"},
	{"/opt/conda/pkgs", "conda"}, {".cache/go-build", "go"}, {"/go/pkg/mod", "go"},
	{".gem", "gem"}, {".composer/cache", "composer"}, {".cache/composer", "composer"},
}

var mrFamilies = map[string]string{
	"apt-get": "apt", "apt": "apt", "aptitude": "apt", "apk": "apk",
	"pip": "pip", "pip3": "pip", "pip2": "pip",
	"yum": "rpm", "dnf": "rpm", "microdnf": "rpm", "tdnf": "rpm",
	"npm": "npm", "yarn": "yarn", "pnpm": "pnpm", "conda": "conda", "mamba": "conda", "micromamba": "conda",
	"gem": "gem", "composer": "composer", "go": "go",
}

// subcommand kinds per family: u = refreshes the index, i = installs, c = cleans up.
var mrSubcommands = map[string]map[string]byte{
	"apt": {"update": 'u', "install": 'i', "upgrade": 'i', "dist-upgrade": 'i', "full-upgrade": 'i', "build-dep": 'i',
		"clean": 'c', "autoclean": 'c', "purge": 'c', "remove": 'c', "autoremove": 'c'},
	"apk":      {"update": 'u', "add": 'i', "upgrade": 'i', "del": 'c', "cache": 'c'},
	"pip":      {"install": 'i', "uninstall": 'c', "cache": 'c'},
	"rpm":      {"makecache": 'u', "install": 'i', "clean": 'c', "remove": 'c', "erase": 'c', "autoremove": 'c'},
	"npm":      {"cache": 'c', "uninstall": 'c', "prune": 'c'},
	"yarn":     {"cache": 'c', "remove": 'c'},
	"pnpm":     {"store": 'c', "remove": 'c'},
	"conda":    {"clean": 'c', "remove": 'c', "uninstall": 'c'},
	"gem":      {"cleanup": 'c', "uninstall": 'c'},
	"composer": {"clear-cache": 'c', "clearcache": 'c', "remove": 'c'},
	"go":       {"clean": 'c'},
}

// mrOptionsWithValue are options that take the next word as their value.
var mrOptionsWithValue = map[string]bool{"-o": true, "-t": true, "-c": true, "-X": true, "--repository": true, "-p": true, "--root": true}

func mrFactsOf(sh *rewrite.Shell) *mrRunFacts {
	f := &mrRunFacts{tools: map[string]bool{}, updates: map[string]bool{}, installs: map[string]bool{}, cleans: map[string]bool{}}
	if sh == nil {
		return f
	}
	f.text = sh.Body
	for _, c := range sh.Commands() {
		name, args := c.Name, c.Args
		fam := mrFamilies[name]
		if strings.HasPrefix(name, "pip") && fam == "" && len(name) > 3 && strings.Trim(name[3:], "0123456789.") == "" {
			fam = "pip" // pip3.12
		}
		if strings.HasPrefix(name, "python") && len(args) >= 2 {
			if m, _ := rewrite.WordLit(args[0]); m == "-m" {
				if mod, _ := rewrite.WordLit(args[1]); mod == "pip" {
					fam, args = "pip", args[2:]
				}
			}
		}
		switch {
		case name == "rm" || name == "rmdir" || name == "unlink" || name == "shred":
			opts := true
			for _, a := range args {
				v := mrWordText(sh, a)
				if opts && v == "--" {
					opts = false
					continue
				}
				if opts && strings.HasPrefix(v, "-") {
					continue
				}
				f.addRemove(v)
			}
		case name == "find":
			var paths []string
			deletes := false
			for i, a := range args {
				v := mrWordText(sh, a)
				if len(paths) == i && !strings.HasPrefix(v, "-") && v != "(" && v != "!" {
					paths = append(paths, v)
				}
				if v == "-delete" || ((v == "-exec" || v == "-execdir") && i+1 < len(args) && path.Base(mrWordText(sh, args[i+1])) == "rm") {
					deletes = true
				}
			}
			for _, p := range paths {
				if deletes {
					f.addRemove(p)
				}
			}
		case fam != "":
			f.tools[fam] = true
			sub := mrSubcommandOf(args)
			switch mrSubcommands[fam][sub] {
			case 'u':
				f.updates[fam] = true
			case 'i':
				if !(fam == "apk" && mrSelfUpdating(args)) {
					f.installs[fam] = true
				}
			case 'c':
				f.cleans[fam] = true
			}
		}
	}
	return f
}

// mrSelfUpdating reports an `apk add --update`/`--no-cache`, which fetches its
// own index and so needs no earlier update.
func mrSelfUpdating(args []*syntax.Word) bool {
	for _, a := range args {
		switch v, _ := rewrite.WordLit(a); v {
		case "-U", "--update", "--update-cache", "--no-cache":
			return true
		}
	}
	return false
}

// mrSubcommandOf is the first word after the options.
func mrSubcommandOf(args []*syntax.Word) string {
	for i := 0; i < len(args); i++ {
		v, ok := rewrite.WordLit(args[i])
		if !ok {
			return ""
		}
		if strings.HasPrefix(v, "-") {
			if mrOptionsWithValue[v] {
				i++
			}
			continue
		}
		return v
	}
	return ""
}

func mrWordText(sh *rewrite.Shell, w *syntax.Word) string {
	if v, ok := rewrite.WordLit(w); ok {
		return v
	}
	return sh.Text(w)
}

// addRemove records a deleted path, cut before its first glob character.
func (f *mrRunFacts) addRemove(p string) {
	if i := strings.IndexAny(p, "*?[{"); i >= 0 {
		p = p[:i]
	}
	if p != "/" {
		p = strings.TrimRight(p, "/")
	}
	switch p {
	case "", "/", ".", "..", "~":
		return
	}
	f.removes = append(f.removes, p)
}
