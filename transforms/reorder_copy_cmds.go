package transforms

// reorder-copy: the commands a COPY may move over.

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/dockopt/dockopt/rewrite"
)

// passable reports whether cmd is in the list of commands a COPY may move
// over (known) and, if it is, why it still must not (it touches the
// destination).
func (c *rcCopy) passable(cmd *rewrite.Command) (known bool, why string) {
	args, _ := cmd.ArgLits()
	switch cmd.Name {
	case "set", "true", ":", "echo":
		return true, ""
	case "apt-get", "apt", "apk", "yum", "dnf", "microdnf", "zypper":
		if !rcPackageCommand(cmd.Name, args) {
			return false, ""
		}
		return c.systemWriter(args, "it installs system packages")
	case "useradd", "adduser", "groupadd", "addgroup":
		return c.systemWriter(args, "it creates users or groups")
	case "mkdir":
		return c.mkdirPassable(args)
	case "curl", "wget":
		if !rcDownload(cmd.Name, args) {
			return false, ""
		}
		return c.pathsClear(args)
	case "rm":
		return c.rmPassable(args)
	case "chmod", "chown":
		return c.pathsClear(args)
	}
	return false, ""
}

// systemWriter checks a command that writes system directories (and may
// create users that a --chown by name would resolve to).
func (c *rcCopy) systemWriter(args []string, what string) (bool, string) {
	if known, why := c.pathsClear(args); !known || why != "" {
		return known, why
	}
	if c.byName {
		return true, what + ", and --chown names a user or group that it could create"
	}
	if rcUnknown(c.dest) {
		return true, fmt.Sprintf("%s, and the destination %s lies in a directory dockopt cannot see (a base image's WORKDIR or a variable)", what, c.destRaw)
	}
	if s := c.systemOverlap(); s != "" {
		return true, fmt.Sprintf("%s, which may write to %s, and the destination %s overlaps it", what, s, c.destRaw)
	}
	return true, ""
}

func (c *rcCopy) mkdirPassable(args []string) (bool, string) {
	mode := false
	var dirs []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-p" || a == "--parents" || a == "-v" || a == "--verbose" || a == "-pv" || a == "-vp":
		case a == "-m" || a == "--mode":
			mode = true
			i++
		case strings.HasPrefix(a, "--mode=") || strings.HasPrefix(a, "-m"):
			mode = true
		case strings.HasPrefix(a, "-"):
			return false, ""
		default:
			if rcKind(a) != rcAbs || strings.ContainsAny(a, "*?[{") {
				return false, ""
			}
			dirs = append(dirs, path.Clean(a))
		}
	}
	for _, dir := range dirs {
		switch {
		case dir != c.dest && rcUnder(dir, c.dest):
			return true, fmt.Sprintf("it creates %s inside the destination %s", dir, c.destRaw)
		case dir == c.dest && !c.destDir:
			return true, fmt.Sprintf("it creates %s, which the COPY may write as a file", dir)
		case rcUnder(c.dest, dir) && (mode || c.owns):
			return true, fmt.Sprintf("it creates %s with its own owner or mode, which the COPY would otherwise create", dir)
		}
	}
	return true, ""
}

// rcCleanupDirs are caches that `rm -rf` may clean below a COPY.
var rcCleanupDirs = []string{"/var/lib/apt/lists", "/var/cache", "/tmp", "/var/tmp", "/root/.cache"}

func (c *rcCopy) rmPassable(args []string) (bool, string) {
	for _, a := range args {
		if strings.HasPrefix(a, "-") {
			if !rcRmFlags.MatchString(a) {
				return false, ""
			}
			continue
		}
		if rcKind(a) != rcAbs {
			return false, ""
		}
		region := rcPathRegion(a)
		under := false
		for _, dir := range rcCleanupDirs {
			if rcUnder(region, dir) {
				under = true
			}
		}
		if !under {
			return false, ""
		}
		if rcNest(region, c.dest) {
			return true, fmt.Sprintf("it removes %s, which overlaps the destination %s", a, c.destRaw)
		}
	}
	return true, ""
}

// rcPackageSubs are the package-manager subcommands dockopt moves a COPY
// over, and the options that take a value (the next word).
var rcPackageSubs = map[string]string{
	"apt-get":  "update install upgrade dist-upgrade full-upgrade clean autoclean autoremove remove purge",
	"apt":      "update install upgrade dist-upgrade full-upgrade clean autoclean autoremove remove purge",
	"apk":      "add del update upgrade cache",
	"yum":      "install update upgrade remove erase clean makecache reinstall autoremove",
	"dnf":      "install update upgrade remove erase clean makecache reinstall autoremove",
	"microdnf": "install update upgrade remove clean makecache reinstall",
	"zypper":   "install in refresh ref update up remove rm clean cc dist-upgrade dup",
}

var rcPackageValueOpts = map[string]string{
	"apt-get":  "-o -t --target-release --default-release -a --host-architecture",
	"apt":      "-o -t --target-release --default-release -a --host-architecture",
	"apk":      "-t --virtual -X --repository --arch --cache-max-age",
	"yum":      "--setopt --enablerepo --disablerepo --releasever -x --exclude",
	"dnf":      "--setopt --enablerepo --disablerepo --releasever -x --exclude",
	"microdnf": "--setopt --enablerepo --disablerepo --releasever",
	"zypper":   "-r --repo --from",
}

// rcPackageFileOpts read a file named by their value: a COPY never moves
// over them.
var rcPackageFileOpts = map[string]bool{
	"-c": true, "--config": true, "--config-file": true, "--repositories-file": true,
	"--keys-dir": true, "-p": true, "--root": true, "--installroot": true, "-R": true,
}

// rcPackageName is a literal package name (with a version or release
// suffix); it rules out file names such as x.deb.
var rcPackageName = regexp.MustCompile(`^[A-Za-z0-9@_+][A-Za-z0-9._+:=<>~*@^-]*$`)

var rcPackageFile = regexp.MustCompile(`(?i)\.(deb|rpm|apk|txt|list|conf|cfg|json|ya?ml|xml|repo)$`)

// rcPackageCommand accepts a package-manager command with a known
// subcommand and literal package names only.
func rcPackageCommand(name string, args []string) bool {
	subs := " " + rcPackageSubs[name] + " "
	values := " " + rcPackageValueOpts[name] + " "
	sub := ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "-") {
			opt, _, _ := strings.Cut(a, "=")
			if rcPackageFileOpts[opt] {
				return false
			}
			if strings.Contains(values, " "+a+" ") {
				i++
			}
			continue
		}
		if sub == "" {
			if !strings.Contains(subs, " "+a+" ") {
				return false
			}
			sub = a
			continue
		}
		if sub == "cache" && a == "clean" {
			continue
		}
		if rcKind(a) != rcWord || !rcPackageName.MatchString(a) || rcPackageFile.MatchString(a) {
			return false
		}
	}
	return sub != ""
}

// rcDownload accepts curl/wget commands that only fetch URLs into
// absolute paths (or to standard output) and read no local file.
func rcDownload(name string, args []string) bool {
	if name == "curl" {
		return rcCurl(args)
	}
	return rcWget(args)
}

// rcOptions is the option syntax of a download command.
type rcOptions struct {
	noValue, value string          // short options without and with a value
	words          []string        // whole words that are options without a value (wget's -nv)
	long           map[string]bool // long options: true for those that take a value
	longAs         map[string]byte // the short option a long one stands for, where the value matters
}

// walk goes through args: it hands the value of each option to checkValue,
// with the short option it belongs to (0 for a long option not in longAs),
// and counts the URL operands. ok is false on an unknown option, a missing
// value, a value checkValue refuses or an operand that is not a URL.
func (o rcOptions) walk(args []string, checkValue func(opt byte, v string) bool) (urls int, ok bool) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case slices.Contains(o.words, a):
		case strings.HasPrefix(a, "--"):
			name, v, glued := strings.Cut(a, "=")
			takes, known := o.long[name]
			if !known {
				return 0, false
			}
			if takes && !glued {
				if i+1 >= len(args) {
					return 0, false
				}
				i++
				v = args[i]
			}
			if takes && !checkValue(o.longAs[name], v) {
				return 0, false
			}
		case strings.HasPrefix(a, "-") && len(a) > 1:
			for k := 1; k < len(a); k++ {
				ch := a[k]
				if strings.IndexByte(o.noValue, ch) >= 0 {
					continue
				}
				if strings.IndexByte(o.value, ch) < 0 {
					return 0, false
				}
				v := a[k+1:]
				if v == "" {
					if i+1 >= len(args) {
						return 0, false
					}
					i++
					v = args[i]
				}
				if !checkValue(ch, v) {
					return 0, false
				}
				break
			}
		default:
			if rcKind(a) != rcURL {
				return 0, false
			}
			urls++
		}
	}
	return urls, true
}

var rcCurlOptions = rcOptions{
	noValue: "fsSLkvqgNiI46R#Z",
	value:   "oHAeuxmrXCyYw",
	long: map[string]bool{"--fail": false, "--silent": false, "--show-error": false, "--location": false,
		"--insecure": false, "--compressed": false, "--create-dirs": false, "--fail-with-body": false,
		"--retry-all-errors": false, "--retry-connrefused": false, "--http1.1": false, "--http2": false,
		"--tlsv1.2": false, "--tlsv1.3": false, "--ipv4": false, "--ipv6": false, "--progress-bar": false,
		"--no-progress-meter": false, "--remote-time": false, "--verbose": false,
		"--output": true, "--output-dir": true, "--header": true, "--user-agent": true, "--referer": true,
		"--user": true, "--proxy": true, "--max-time": true, "--connect-timeout": true, "--retry": true,
		"--retry-delay": true, "--retry-max-time": true, "--proto": true, "--proto-redir": true,
		"--request": true, "--range": true, "--limit-rate": true},
	longAs: map[string]byte{"--output": 'o'},
}

func rcCurl(args []string) bool {
	outputs := 0
	urls, ok := rcCurlOptions.walk(args, func(opt byte, v string) bool {
		if strings.HasPrefix(v, "@") {
			return false
		}
		if opt == 'o' {
			outputs++
			return rcKind(v) == rcAbs || v == "-"
		}
		return rcKind(v) != rcRel
	})
	return ok && urls > 0 && outputs <= urls
}

var rcWgetOptions = rcOptions{
	noValue: "qvcNk",
	value:   "OPtTUo",
	words:   []string{"-nv"},
	long: map[string]bool{"--quiet": false, "--verbose": false, "--no-verbose": false, "--no-check-certificate": false,
		"--continue": false, "--timestamping": false, "--show-progress": false,
		"--output-document": true, "--directory-prefix": true, "--tries": true, "--timeout": true,
		"--header": true, "--user-agent": true, "--progress": true, "--limit-rate": true},
	longAs: map[string]byte{"--output-document": 'O', "--directory-prefix": 'P'},
}

func rcWget(args []string) bool {
	output := false
	urls, ok := rcWgetOptions.walk(args, func(opt byte, v string) bool {
		switch opt {
		case 'O':
			output = true
			return rcKind(v) == rcAbs || v == "-"
		case 'P':
			output = true
			return rcKind(v) == rcAbs
		case 'o':
			return rcKind(v) == rcAbs
		}
		return rcKind(v) != rcRel
	})
	return ok && urls > 0 && output
}
