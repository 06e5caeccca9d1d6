package transforms

// multi-stage: file commands in RUNs (mkdir, cp, mv, tar, curl ...): what
// they write, checked once the artifacts are known, and artifacts they copy
// or move elsewhere.

import (
	"path"
	"strings"

	"github.com/dockopt/dockopt/rewrite"
)

// fileCmd records what a file command writes (checked against the source
// tree and the artifacts later) and follows artifacts copied or moved.
func (b *msBuild) fileCmd(c *msCmd) {
	var ops []string
	var valOpts map[string]bool
	switch c.name {
	case "cp", "mv", "ln", "install":
		valOpts = wordSet("-t -m -o -g -S --target-directory --mode --owner --group --suffix")
	case "tar":
		valOpts = wordSet("-C -f --directory --file -T --exclude")
	case "curl":
		valOpts = wordSet("-o --output -H -d -u -X -A -e --output-dir --retry --connect-timeout -m --max-time -w")
	case "wget":
		valOpts = wordSet("-O -P --directory-prefix --output-document -U -t -T")
	case "unzip":
		valOpts = wordSet("-d -x")
	case "sed":
		valOpts = wordSet("-e -f")
	}
	opts := map[string]string{}
	flags := map[string]bool{}
	for i := 0; i < len(c.argv); i++ {
		a := c.argv[i]
		if !c.lit[i] || strings.ContainsAny(a, "*?[") && c.name != "sed" && c.name != "curl" && c.name != "wget" {
			b.fail(c.in, "%s works on paths dockopt cannot tell (%s)", c.name, a)
			return
		}
		if strings.HasPrefix(a, "-") && len(a) > 1 && !(c.name == "chmod" && len(ops) == 0 && !strings.HasPrefix(a, "--")) {
			if k, v, ok := strings.Cut(a, "="); ok && strings.HasPrefix(a, "--") {
				opts[k] = v
			} else if valOpts[a] && i+1 < len(c.argv) {
				opts[a] = c.argv[i+1]
				i++
			} else {
				flags[a] = true
			}
			continue
		}
		ops = append(ops, a)
	}
	abs := func(p string) string {
		a, ok := c.abs(p)
		if !ok {
			b.fail(c.in, "%s writes %s under a directory dockopt cannot tell", c.name, p)
		}
		return a
	}
	write := func(p string) {
		if a := abs(p); a != "" {
			b.writes = append(b.writes, msWrite{in: c.in, path: a, what: c.name})
		}
	}
	switch c.name {
	case "mkdir", "touch":
		for _, o := range ops {
			write(o)
		}
	case "chmod", "chown", "chgrp":
		if len(ops) > 0 {
			for _, o := range ops[1:] {
				write(o)
			}
		}
	case "cp", "mv", "ln", "install":
		if flags["-d"] && c.name == "install" {
			for _, o := range ops {
				write(o)
			}
			return
		}
		dest, destDir := "", false
		if t := firstNonEmpty(opts["-t"], opts["--target-directory"]); t != "" {
			dest, destDir = t, true
		} else if len(ops) >= 2 {
			dest, ops = ops[len(ops)-1], ops[:len(ops)-1]
			destDir = strings.HasSuffix(dest, "/") || len(ops) > 1
		} else {
			b.fail(c.in, "%s without a destination", c.name)
			return
		}
		m := &msMove{c: c, dest: abs(dest), destDir: destDir, remove: c.name == "mv"}
		for _, o := range ops {
			m.sources = append(m.sources, abs(o))
		}
		if b.stop == nil {
			b.events = append(b.events, msEvent{in: c.in, move: m})
		}
	case "tar":
		mode := ""
		if len(ops) > 0 && !strings.HasPrefix(c.argv[0], "-") {
			mode, ops = ops[0], ops[1:]
		}
		for f := range flags {
			mode += f
		}
		switch {
		case strings.ContainsAny(mode, "x") || flags["--extract"]:
			write(firstNonEmpty(opts["-C"], opts["--directory"], "."))
		case strings.ContainsAny(mode, "c") || flags["--create"]:
			write(firstNonEmpty(opts["-f"], opts["--file"], "-"))
		}
	case "unzip":
		write(firstNonEmpty(opts["-d"], "."))
	case "curl":
		if o := firstNonEmpty(opts["-o"], opts["--output"]); o != "" && o != "-" {
			write(o)
		} else if flags["-O"] || flags["--remote-name"] || flags["-OL"] || flags["-LO"] || opts["--output-dir"] != "" {
			write(firstNonEmpty(opts["--output-dir"], "."))
		}
	case "wget":
		switch o := firstNonEmpty(opts["-O"], opts["--output-document"]); {
		case o == "-":
		case o != "":
			write(o)
		default:
			write(firstNonEmpty(opts["-P"], opts["--directory-prefix"], "."))
		}
	case "git":
		if len(ops) >= 1 && ops[0] == "clone" {
			if len(ops) >= 3 {
				write(ops[2])
			} else {
				write(".")
			}
		} else {
			write(".")
		}
	case "sed":
		if flags["-i"] || hasPrefixFlag(flags, "-i") || hasPrefixFlag(flags, "--in-place") {
			for _, o := range ops[min(1, len(ops)):] {
				write(o)
			}
		}
	}
}

func hasPrefixFlag(flags map[string]bool, p string) bool {
	for f := range flags {
		if strings.HasPrefix(f, p) {
			return true
		}
	}
	return false
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// msCacheDirs are where toolchains keep caches and state that the program
// never reads.
var msCacheDirs = []string{"/tmp", "/var/tmp", "/var/cache", "/var/lib/apt", "/root/.cache", "/root/.npm",
	"/root/.m2", "/root/.gradle", "/root/.cargo", "/root/go", "/go/pkg", "/go/src", "/usr/local/cargo/registry",
	"/usr/local/cargo/git"}

// checkWrites refuses writes outside the source tree, the caches and the
// artifacts' directories.
func (b *msBuild) checkWrites() {
	var allowed []string
	allowed = append(allowed, msCacheDirs...)
	for _, s := range b.srcDirs {
		if s.destDir {
			allowed = append(allowed, s.dest)
		} else {
			allowed = append(allowed, path.Dir(s.dest))
		}
	}
	for _, w := range b.workdirs {
		if a := w.Args(); len(a) == 1 && strings.HasPrefix(a[0], "/") && !msSystemDir(path.Clean(a[0])) {
			allowed = append(allowed, path.Clean(a[0]))
		}
	}
	for _, w := range b.writes {
		ok := false
		for _, a := range allowed {
			if pathsNest(w.path, a) && strings.HasPrefix(w.path, a) {
				ok = true
			}
		}
		for _, a := range b.artifacts {
			if strings.HasPrefix(a+"/", w.path+"/") || strings.HasPrefix(w.path+"/", a+"/") {
				ok = true // the artifact, inside it, or a directory on its path
			}
		}
		if !ok {
			b.fail(w.in, "%s writes %s, outside the source tree and the artifacts: the runtime stage would not have it%s", w.what, w.path, b.afterBuildHint(w.in))
			return
		}
	}
}

func (b *msBuild) afterBuildHint(in *rewrite.Instruction) string {
	for _, x := range b.afterBuild {
		if x != in {
			continue
		}
		for _, w := range strings.FieldsFunc(strings.ReplaceAll(in.Node.Original, `\n`, " "), func(r rune) bool { return strings.ContainsRune(" \t'\"\\;&|()", r) }) {
			if msToolchain[path.Base(w)] {
				return " (this RUN comes after the build and writes something that runs " + path.Base(w) + ": the program would need the toolchain at run time)"
			}
		}
		return " (this RUN comes after the build: it may set up something the program needs at run time)"
	}
	return ""
}
