package transforms

// multi-stage: sorting every command of every RUN into toolchain set-up,
// build, user creation, file writes (checked once the artifacts are known)
// or harmless; anything else leaves the file single-stage.

import (
	"regexp"
	"strings"

	"github.com/dockopt/dockopt/rewrite"
)

// msEvent is one step that produces or moves artifacts, replayed in order
// once the build context has been read (multi_stage_native.go).
type msEvent struct {
	in    *rewrite.Instruction
	build func() []string // the artifacts a build command makes
	move  *msMove
}

// msMove is a cp/mv/install/ln of files: when a source is an artifact, the
// destination becomes one.
type msMove struct {
	c       *msCmd
	sources []string // absolute
	dest    string   // absolute
	destDir bool
	remove  bool // mv: the source is gone
}

func (b *msBuild) run(in *rewrite.Instruction) {
	cmds, ok := b.commands(in)
	if !ok {
		return
	}
	kinds := map[string]bool{}
	for _, c := range cmds {
		kinds[b.classify(c)] = true
	}
	if kinds["user"] {
		delete(kinds, "harmless")
		if len(kinds) > 1 {
			b.fail(in, "the RUN creates a user and does other things; the runtime stage could only repeat it whole")
			return
		}
		b.userRuns = append(b.userRuns, in)
	}
	if kinds["build"] {
		b.lastBuild, b.afterBuild = in, nil
	} else if b.lastBuild != nil {
		b.afterBuild = append(b.afterBuild, in)
	}
}

// setLang records the language a build command belongs to.
func (b *msBuild) setLang(c *msCmd, lang string) string {
	b.building = true
	if b.lang != "" && b.lang != lang {
		b.fail(c.in, "the stage builds with both the %s and the %s toolchains; which artifact the image needs is unclear", msLangNames[b.lang], msLangNames[lang])
	}
	if b.lang == "" || b.langAt == nil {
		b.lang, b.langAt = lang, c.in
	}
	return "build"
}

var reCCompiler = regexp.MustCompile(`^([a-z0-9_]+-)*(gcc|g\+\+|cc|c\+\+|clang|clang\+\+)(-[0-9.]+)?$`)

var msHarmless = wordSet("rm rmdir echo printf true false : set test [ ls cat pwd id whoami uname which sleep date",
	"grep head tail wc sort diff cmp sha256sum sha512sum md5sum file readlink realpath stat du df nproc ldd",
	"strip upx objcopy update-ca-certificates")

// classify sorts one command; it returns "setup", "build", "user", "write"
// or "harmless", and stops the build for anything else.
func (b *msBuild) classify(c *msCmd) string {
	if msToolchain[c.name] || reCCompiler.MatchString(c.name) || c.name == "npm" || c.name == "yarn" || c.name == "pnpm" {
		b.building = true // even if it is refused below: the refusal is worth a note
	}
	switch n := c.name; {
	case n == "apt-get" || n == "apt" || n == "apk":
		b.packages(c)
		return "setup"
	case n == "go":
		return b.goCmd(c)
	case reCCompiler.MatchString(n):
		return b.cCompile(c)
	case n == "make" || n == "gmake":
		return b.makeCmd(c)
	case n == "cmake":
		return b.cmakeCmd(c)
	case n == "configure" || n == "autoreconf" || n == "autoconf" || n == "automake" || n == "ninja":
		return b.setLang(c, "c")
	case n == "cargo":
		return b.cargoCmd(c)
	case n == "rustup":
		return "setup"
	case n == "javac" || n == "jar":
		return b.javaTool(c)
	case n == "mvn" || n == "mvnw" || n == "gradle" || n == "gradlew":
		return b.javaBuild(c)
	case n == "npm":
		return b.npmCmd(c)
	case n == "npx":
		return b.setLang(c, "node")
	case n == "yarn" || n == "pnpm":
		b.fail(c.in, "%s is not supported (multi-stage follows npm's ci/run build and its lock file)", n)
	case n == "virtualenv" || strings.HasPrefix(n, "python") || strings.HasPrefix(n, "pip"):
		return b.pythonCmd(c)
	case n == "useradd" || n == "adduser" || n == "groupadd" || n == "addgroup":
		b.userCmd(c)
		return "user"
	case msHarmless[n]:
		return "harmless"
	case n == "mkdir" || n == "touch" || n == "cp" || n == "mv" || n == "install" || n == "ln" ||
		n == "chmod" || n == "chown" || n == "chgrp" || n == "tar" || n == "unzip" || n == "curl" ||
		n == "wget" || n == "git" || n == "sed":
		b.fileCmd(c)
		return "write"
	case c.prog != "" && b.isArtifactName(c):
		return "harmless" // the program built here, run as a check
	default:
		b.fail(c.in, "the RUN runs %s, which multi-stage cannot classify as a build-only step%s", c.prog, b.toolchainHint(c))
	}
	return "unknown"
}

// toolchainHint adds why an unclassified RUN after the build matters.
func (b *msBuild) toolchainHint(c *msCmd) string {
	if b.lastBuild != nil {
		return " (it runs after the build and may leave something, or need the toolchain, at run time)"
	}
	return ""
}

// isArtifactName reports a program run by a relative or absolute path
// (./hello, /usr/local/bin/hello): a freshly built program checked at build
// time. It writes nothing dockopt can see; its path is checked later.
func (b *msBuild) isArtifactName(c *msCmd) bool {
	return strings.Contains(c.prog, "/") && c.allLit() && b.lastBuild != nil
}

// buildOnlyPackages are packages that only build: compilers, build tools,
// headers and fetchers. Any other package may be needed at run time.
var buildOnlyPackages = wordSet(
	"gcc g++ cpp clang llvm lld make cmake ninja-build build-essential build-base libc6-dev libc-dev musl-dev linux-libc-dev linux-headers",
	"pkg-config pkgconf binutils autoconf automake libtool m4 bison flex patch file dpkg-dev fortify-headers",
	"golang-go golang go gccgo rustc cargo rust-all rustup default-jdk default-jdk-headless maven gradle",
	"git curl wget ca-certificates unzip xz-utils bzip2 gzip tar zip upx upx-ucl tzdata",
	"python3-dev python-dev libpython3-dev")

var reVersionedTool = regexp.MustCompile(`^(gcc|g\+\+|cpp|clang|golang|openjdk|llvm|lld)-[0-9.]+(-go|-jdk|-jdk-headless)?$`)

func (b *msBuild) packages(c *msCmd) {
	args := c.argv
	i := subcommandAtLits(args, c.lit)
	if i < 0 {
		return
	}
	sub := args[i]
	install := sub == "install" || c.name == "apk" && sub == "add"
	if !install {
		return // update, clean, upgrade, remove, del, cache ...
	}
	for j := i + 1; j < len(args); j++ {
		a := args[j]
		if strings.HasPrefix(a, "-") {
			if a == "-t" || a == "-o" || a == "--virtual" || a == "-X" || a == "--repository" || a == "-t=" {
				j++
			}
			continue
		}
		if !c.lit[j] {
			b.fail(c.in, "%s installs a package named by an expansion", c.name)
			return
		}
		pkg := strings.SplitN(strings.SplitN(a, "=", 2)[0], ":", 2)[0]
		switch {
		case pkg == "ca-certificates":
			b.caInBuild = true
		case pkg == "tzdata":
			b.tzInBuild = true
		case buildOnlyPackages[pkg] || reVersionedTool.MatchString(pkg) || strings.HasSuffix(pkg, "-dev") && msHeaderOnly(pkg):
		default:
			b.fail(c.in, "%s installs %s, which the program may need at run time and the runtime image would not have", c.name, pkg)
			return
		}
		b.pkgs = append(b.pkgs, pkg)
	}
}

// msHeaderOnly are -dev packages whose runtime part every image has.
func msHeaderOnly(pkg string) bool {
	switch pkg {
	case "libc6-dev", "libc-dev", "musl-dev", "linux-libc-dev", "libstdc++-dev", "python3-dev", "libpython3-dev":
		return true
	}
	return strings.HasPrefix(pkg, "libstdc++-") || strings.HasPrefix(pkg, "libgcc-")
}

// subcommandAtLits is the index of the first non-option argument.
func subcommandAtLits(args []string, lit []bool) int {
	for i, a := range args {
		if !lit[i] {
			return -1
		}
		if a == "-o" || a == "-c" || a == "-t" {
			continue
		}
		if !strings.HasPrefix(a, "-") && (i == 0 || args[i-1] != "-o" && args[i-1] != "-c" && args[i-1] != "-t") {
			return i
		}
	}
	return -1
}

func (b *msBuild) userCmd(c *msCmd) {
	withValue := wordSet("-u -g -G -d -s -c -k -K -e -f -p -b -Z -R -P --uid --gid --groups --home --home-dir --shell --comment --gecos --ingroup --skel --key --firstuid --lastuid --add_extra_groups -h")
	name := ""
	home := ""
	create := c.name == "adduser"
	for i := 0; i < len(c.argv); i++ {
		a := c.argv[i]
		if !c.lit[i] {
			b.fail(c.in, "%s uses an expansion", c.name)
			return
		}
		switch {
		case a == "-m" || a == "--create-home":
			create = true
		case a == "-M" || a == "--no-create-home" || a == "-H" || a == "--system" && c.name == "adduser" || a == "-S":
			create = false
		case withValue[a] && i+1 < len(c.argv):
			if a == "-d" || a == "--home" || a == "--home-dir" || a == "-h" {
				home = c.argv[i+1]
			}
			i++
		case strings.HasPrefix(a, "-"):
		default:
			if name == "" || c.name == "useradd" || c.name == "groupadd" {
				name = a
			}
		}
	}
	if name == "" {
		b.fail(c.in, "%s: the user or group name is not clear", c.name)
		return
	}
	b.created[name] = true
	if create && (c.name == "useradd" || c.name == "adduser") {
		if home == "" {
			home = "/home/" + name
		}
		b.homes = append(b.homes, home)
	}
}
