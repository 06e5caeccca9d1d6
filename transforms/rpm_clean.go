package transforms

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/dockopt/dockopt/rewrite"
)

// RpmClean ends yum/dnf/microdnf/zypper installs with the manager's clean
// and makes them non-interactive.
//
//	RUN yum install httpd        ->  RUN yum install -y httpd && yum clean all
//	RUN zypper in curl           ->  RUN zypper -n in curl && zypper clean -a
var RpmClean = &rewrite.Transform{
	ID:      "rpm-clean",
	Hints:   []string{"yum", "dnf", "zypper"}, // fast path: files without these cannot change
	Summary: "End yum/dnf/microdnf/zypper installs with the manager's clean, and add -y / -n where missing",
	Rationale: "yum, dnf, microdnf and zypper keep repository metadata (and sometimes packages) under " +
		"/var/cache/yum, /var/cache/dnf or /var/cache/zypp; cleaned in a later RUN they still weigh on " +
		"the image, so the clean is appended to the RUN that installs (`yum clean all`, `dnf clean all`, " +
		"`microdnf clean all`, `zypper clean -a`). Installs also get -y (yum, dnf, microdnf) or the global " +
		"-n (zypper) when they have no non-interactive flag, since a build cannot answer a prompt. " +
		"No clean is added when the RUN already cleans (the manager's clean, or rm of its cache " +
		"directory), when a --mount=type=cache targets that directory (the user chose to keep it), when " +
		"the install works on another root or cache (--installroot, --config, --setopt cachedir, zypper " +
		"--root/--cache-dir), or when the install runs only conditionally (inside if, ||, a loop), where " +
		"the manager might not exist on the path the build takes.",
	Before:  "FROM rockylinux:9\nRUN dnf install httpd\n",
	After:   "FROM rockylinux:9\nRUN dnf install -y httpd && dnf clean all\n",
	Default: true,
	Run:     runRpmClean,

	Hadolint: []string{"DL3030", "DL3032", "DL3034", "DL3036", "DL3038", "DL3040"}, // -y/-n and clean, per manager
}

// rpmManager is what rpm-clean knows about one package manager.
type rpmManager struct {
	family    string          // managers of a family share a cache and clean each other's
	clean     string          // the clean subcommand and its arguments
	cleanSubs map[string]bool // subcommands that clean
	cacheDirs []string
	valueOpts map[string]bool // global options with a separate value
	ownCache  []string        // options that point the manager at another root or cache
}

var yumLike = &rpmManager{
	family:    "yum",
	clean:     "clean all",
	cleanSubs: map[string]bool{"clean": true},
	cacheDirs: []string{"/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5"},
	valueOpts: map[string]bool{
		"-c": true, "--config": true, "--installroot": true, "--releasever": true, "--setopt": true,
		"-d": true, "--debuglevel": true, "-e": true, "--errorlevel": true, "-x": true, "--exclude": true,
		"--enablerepo": true, "--disablerepo": true, "--repo": true, "--repoid": true,
		"--disableplugin": true, "--enableplugin": true, "--color": true, "--rpmverbosity": true,
		"--downloaddir": true, "--destdir": true, "--forcearch": true, "-R": true, "--randomwait": true,
	},
	ownCache: []string{"-c", "--config", "--config=", "--installroot", "--installroot="},
}

var zypperLike = &rpmManager{
	family:    "zypper",
	clean:     "clean -a",
	cleanSubs: map[string]bool{"clean": true, "cc": true},
	cacheDirs: []string{"/var/cache/zypp"},
	valueOpts: map[string]bool{
		"-R": true, "--root": true, "-c": true, "--config": true, "-C": true, "--cache-dir": true,
		"-D": true, "--reposd-dir": true, "--raw-cache-dir": true, "--solv-cache-dir": true,
		"--pkg-cache-dir": true, "--userdata": true, "-s": true, "--table-style": true,
		"--installroot": true,
	},
	ownCache: []string{"-R", "--root", "--root=", "-c", "--config", "--config=", "-C", "--cache-dir",
		"--cache-dir=", "--raw-cache-dir", "--raw-cache-dir=", "--solv-cache-dir", "--solv-cache-dir=",
		"--pkg-cache-dir", "--pkg-cache-dir=", "--installroot", "--installroot="},
}

var rpmManagers = map[string]*rpmManager{"yum": yumLike, "dnf": yumLike, "microdnf": yumLike, "zypper": zypperLike}

// rpmInstallSubs are the subcommands that download packages.
var rpmInstallSubs = map[string]map[string]bool{
	"yum": {"install": true, "update": true, "upgrade": true, "groupinstall": true, "groupupdate": true,
		"localinstall": true, "reinstall": true, "group": true, "groups": true},
	"zypper": {"in": true, "install": true, "up": true, "update": true, "dup": true, "dist-upgrade": true},
}

func runRpmClean(p *rewrite.Pass) {
	eachRunShell(p, []string{"yum", "dnf", "microdnf", "zypper"}, func(in *rewrite.Instruction, sh *rewrite.Shell) {
		decisive := decisiveStmts(sh)
		var edits []rewrite.Edit
		var msgs []string
		cleans := map[string]string{}    // family -> clean command to append
		var order []string               // families in the order first seen
		conditional := map[string]bool{} // family -> an install runs only conditionally
		cleaned := map[string]bool{}     // family -> the RUN cleans already
		var ownCache bool
		for _, c := range sh.Commands() {
			m := rpmManagers[c.Name]
			if m == nil {
				continue
			}
			i := subcommandAt(c.Args, m.valueOpts)
			if i < 0 {
				continue
			}
			sub, _ := rewrite.WordLit(c.Args[i])
			if m.cleanSubs[sub] {
				cleaned[m.family] = true
				continue
			}
			if !isRpmInstall(m, c.Args[i:]) {
				continue
			}
			args := wordLits(c.Args)
			if e, ok := nonInteractive(sh, c, m, i, args); ok {
				edits = append(edits, e)
				msgs = append(msgs, "made non-interactive")
			}
			if anyArg(args, m.ownCache...) || m == yumLike && setoptCache(args) {
				ownCache = true
				continue
			}
			prefix, ok := sudoPrefix(c)
			if !ok || !decisive[c.Stmt] {
				conditional[m.family] = true
				continue
			}
			if _, seen := cleans[m.family]; !seen {
				cleans[m.family] = prefix + programWord(c) + " " + m.clean
				order = append(order, m.family)
			}
		}
		var cmds []string
		for _, f := range order {
			m := zypperLike
			if f == yumLike.family {
				m = yumLike
			}
			if cleaned[f] || removesDir(sh, m.cacheDirs) || cacheMountOn(in, m.cacheDirs...) {
				continue
			}
			cmds = append(cmds, cleans[f])
		}
		for f := range conditional {
			if _, ok := cleans[f]; !ok && !cleaned[f] && !ownCache {
				p.Skip(in, "the "+f+" install runs only conditionally (or behind sudo with options): no clean appended")
			}
		}
		if ownCache && len(cmds) == 0 {
			p.Skip(in, "the install uses another root, config or cache directory: no clean appended")
		}
		if len(cmds) > 0 {
			var err error
			edits, err = appendCleanup(sh, edits, cmds)
			if err != nil {
				p.Skip(in, "clean not appended: "+err.Error())
			} else {
				msgs = append(msgs, "appended "+strings.Join(cmds, " && "))
			}
		}
		if len(edits) > 0 {
			p.Fix(in, "package install: "+strings.Join(uniqStrings(msgs), ", "), edits...)
		}
	})
}

// isRpmInstall reports whether the words from the subcommand on install
// packages (`install`, `update`, `group install`, ...).
func isRpmInstall(m *rpmManager, words []*syntax.Word) bool {
	sub, _ := rewrite.WordLit(words[0])
	subs := rpmInstallSubs[m.family]
	if !subs[sub] {
		return false
	}
	if sub == "group" || sub == "groups" {
		if len(words) < 2 {
			return false
		}
		next, _ := rewrite.WordLit(words[1])
		return next == "install" || next == "update" || next == "upgrade"
	}
	return true
}

// nonInteractive is the edit that makes an install non-interactive: -y after
// the subcommand (yum, dnf, microdnf; after `group install` for groups), or
// the global -n right after `zypper`. ok is false when the command already
// has such a flag (or refuses prompts the other way, --assumeno).
func nonInteractive(sh *rewrite.Shell, c *rewrite.Command, m *rpmManager, sub int, args []string) (rewrite.Edit, bool) {
	if m == zypperLike {
		global, after := args[:sub], args[sub:]
		if anyArg(global, "--non-interactive") || shortOptSet(global, 'n') ||
			anyArg(after, "-y", "--no-confirm") {
			return rewrite.Edit{}, false
		}
		return sh.InsertAfter(programNameWord(c), " -n"), true
	}
	if anyArg(args, "--assumeyes", "--yes", "--assumeno") || shortOptSet(args, 'y') {
		return rewrite.Edit{}, false
	}
	at := c.Args[sub]
	if args[sub] == "group" || args[sub] == "groups" {
		at = c.Args[sub+1]
	}
	return sh.InsertAfter(at, " -y"), true
}

// setoptCache reports a --setopt that moves or keeps the cache.
func setoptCache(args []string) bool {
	for i, a := range args {
		v, ok := strings.CutPrefix(a, "--setopt=")
		if !ok && a == "--setopt" && i+1 < len(args) {
			v, ok = args[i+1], true
		}
		if ok && (strings.Contains(v, "cachedir") || strings.Contains(v, "keepcache")) {
			return true
		}
	}
	return false
}

// programWord is how to call c's program again: its word as written when
// that is a plain path (/usr/bin/yum), else its base name.
func programWord(c *rewrite.Command) string {
	v, ok := rewrite.WordLit(programNameWord(c))
	if !ok || strings.Trim(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-") != "" {
		return c.Name
	}
	return v
}

func uniqStrings(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
