package transforms

// slim-base: the official images it knows, their slim (or JRE) tags, and
// what the full image has that the slim one lacks. This file is the one place
// that data lives; the README's slim-base table documents it.

import (
	"fmt"
	"regexp"
	"strings"
)

// slimKind is what switching an image's tag takes away.
type slimKind int

const (
	// slimLang: python, node and ruby. The full tag is built on
	// buildpack-deps (compilers, make, git, curl, wget, ssh, procps, xz,
	// -dev headers: slimFullOnly); the slim one on debian:*-slim with only
	// the language runtime. Both keep the same ENV, CMD and ENTRYPOINT.
	slimLang slimKind = iota
	// slimDebian: debian:X and debian:X-slim hold the same packages; the
	// slim one has no documentation, man pages or translations (dpkg
	// path-excludes them, for packages installed later too).
	slimDebian
	// slimJRE: an eclipse-temurin or openjdk JDK tag and the JRE tag of
	// the same version and distribution: no compiler, no JDK tools, no
	// jshell (the JDK's default CMD).
	slimJRE
)

// slimImage is one official image with a smaller variant.
type slimImage struct {
	kind slimKind
	// dists are the distribution suffixes the image's tags may carry.
	dists map[string]bool
	// version matches the version part of a tag.
	version *regexp.Regexp
	// slimAfterDist: node writes 20-bookworm-slim; python and ruby
	// 3.12-slim-bookworm.
	slimAfterDist bool
	// extraFullOnly are commands the full image adds on top of slimFullOnly
	// (node and ruby images get python3 from buildpack-deps; python's is
	// the runtime itself).
	extraFullOnly []string
}

var (
	debianDists  = map[string]bool{"bookworm": true, "bullseye": true, "buster": true, "trixie": true}
	reLangVer    = regexp.MustCompile(`^[0-9]+(\.[0-9]+)*((a|b|rc)[0-9]+)?(-rc)?$`)
	reNodeVer    = regexp.MustCompile(`^([0-9]+(\.[0-9]+)*|lts|current|argon|boron|carbon|dubnium|erbium|fermium|gallium|hydrogen|iron|jod|krypton)$`)
	reDebianVer  = regexp.MustCompile(`^([0-9]+(\.[0-9]+)?|bookworm|bullseye|buster|trixie|stable|oldstable|oldoldstable|testing|unstable|sid)(-[0-9]{8})?$`)
	reTemurinVer = regexp.MustCompile(`^([0-9]+(\.[0-9]+)*(_[0-9]+)?|8u[0-9]+-b[0-9]+)$`)
	reTemurin8   = regexp.MustCompile(`^8u[0-9]+-b[0-9]+`)
	reOpenJDKVer = regexp.MustCompile(`^(8|8u[0-9]+|11|11(\.[0-9]+)+)$`)
)

// slimImages are the official images slim-base switches, by Docker Hub
// repository.
var slimImages = map[string]*slimImage{
	"python": {kind: slimLang, dists: debianDists, version: reLangVer},
	"ruby":   {kind: slimLang, dists: debianDists, version: reLangVer, extraFullOnly: []string{"python3", "python"}},
	"node": {kind: slimLang, dists: debianDists, version: reNodeVer, slimAfterDist: true,
		// node's slim image purges ca-certificates (and openssl with it).
		extraFullOnly: []string{"python3", "python", "openssl", "update-ca-certificates"}},
	"debian":          {kind: slimDebian, version: reDebianVer},
	"eclipse-temurin": {kind: slimJRE, dists: map[string]bool{"jammy": true, "focal": true, "noble": true, "ubi9-minimal": true}, version: reTemurinVer},
	"openjdk":         {kind: slimJRE, dists: map[string]bool{"bullseye": true, "buster": true, "slim": true, "slim-bullseye": true, "slim-buster": true}, version: reOpenJDKVer},
}

// slimFullOnly are the commands of the buildpack-deps layers (curl, scm and
// the full image) that the slim images lack: a stage that calls one without
// installing it first keeps its full image.
var slimFullOnly = []string{
	// buildpack-deps:*-curl
	"curl", "wget", "gpg", "gpg-agent", "gpgconf", "dirmngr", "sq",
	// buildpack-deps:*-scm
	"git", "hg", "svn", "ssh", "scp", "sftp", "ssh-keygen", "ssh-keyscan", "ssh-agent", "ssh-add",
	"ps", "top", "pgrep", "pkill", "pidof", "free", "watch", "vmstat", "uptime", "pmap", "sysctl", "w",
	// buildpack-deps:* (compilers, build tools, archivers, -dev headers' config scripts)
	"gcc", "cc", "c89", "c99", "cpp", "g++", "c++", "make", "autoconf", "autoreconf", "autoheader",
	"automake", "aclocal", "libtool", "libtoolize", "pkg-config", "patch", "file",
	"ld", "as", "ar", "nm", "objdump", "objcopy", "strip", "ranlib", "readelf",
	"xz", "unxz", "xzcat", "lzma", "bzip2", "bunzip2", "bzcat", "unzip",
	"convert", "identify", "mogrify", "composite", "magick",
	"dpkg-architecture", "dpkg-buildpackage", "dpkg-source",
	"pg_config", "mysql_config", "mariadb_config", "xml2-config", "xslt-config", "curl-config",
}

// slimJDKOnly are the commands of a JDK that its JRE lacks (build tools
// included: they need javac), and binutils, which the JDK images install for
// jlink.
var slimJDKOnly = []string{
	"javac", "jar", "jarsigner", "javadoc", "javap", "jdb", "jdeps", "jdeprscan", "jhsdb", "jimage",
	"jlink", "jmod", "jpackage", "jshell", "jcmd", "jconsole", "jinfo", "jmap", "jps", "jstack",
	"jstat", "jstatd", "jfr", "serialver", "rmic", "native2ascii", "javah", "xjc", "wsimport", "schemagen",
	"mvn", "mvnw", "gradle", "gradlew", "ant", "sbt", "lein", "kotlinc", "scalac",
	"ld", "as", "objdump", "objcopy", "strip", "nm", "readelf",
}

// slimDocPaths are what debian's slim images leave out (their dpkg
// path-exclude list): a stage that reads them keeps its full image.
var slimDocPaths = []string{"/usr/share/doc", "/usr/share/man", "/usr/share/info", "/usr/share/locale", "/usr/share/groff", "/usr/share/lintian", "/usr/share/linda"}

// aptProvides are the commands an apt package installs when they are not
// (only) its own name. A package always provides the command of its name.
var aptProvides = map[string][]string{
	"build-essential":      {"gcc", "cc", "c89", "c99", "cpp", "g++", "c++", "make", "ld", "as", "ar", "nm", "objdump", "objcopy", "strip", "ranlib", "readelf", "dpkg-architecture", "dpkg-buildpackage", "dpkg-source", "patch"},
	"gcc":                  {"gcc", "cc", "c89", "c99", "cpp", "ld", "as", "ar", "nm", "objdump", "objcopy", "strip", "ranlib", "readelf"},
	"g++":                  {"g++", "c++", "gcc", "cc", "cpp", "ld", "as", "ar", "nm", "objdump", "objcopy", "strip", "ranlib", "readelf"},
	"clang":                {"clang", "clang++", "cc", "c++"},
	"binutils":             {"ld", "as", "ar", "nm", "objdump", "objcopy", "strip", "ranlib", "readelf"},
	"openssh-client":       {"ssh", "scp", "sftp", "ssh-keygen", "ssh-keyscan", "ssh-agent", "ssh-add"},
	"procps":               {"ps", "top", "pgrep", "pkill", "pidof", "free", "watch", "vmstat", "uptime", "pmap", "sysctl", "w"},
	"xz-utils":             {"xz", "unxz", "xzcat", "lzma"},
	"bzip2":                {"bzip2", "bunzip2", "bzcat"},
	"autoconf":             {"autoconf", "autoreconf", "autoheader"},
	"automake":             {"automake", "aclocal"},
	"libtool":              {"libtool", "libtoolize"},
	"libtool-bin":          {"libtool"},
	"pkgconf":              {"pkg-config"},
	"gnupg":                {"gpg", "gpg-agent", "gpgconf", "dirmngr"},
	"gnupg2":               {"gpg", "gpg-agent", "gpgconf", "dirmngr"},
	"mercurial":            {"hg"},
	"subversion":           {"svn"},
	"imagemagick":          {"convert", "identify", "mogrify", "composite", "magick"},
	"dpkg-dev":             {"dpkg-architecture", "dpkg-buildpackage", "dpkg-source", "patch", "make", "binutils"},
	"python3":              {"python3"},
	"python-is-python3":    {"python"},
	"python3-dev":          {"python3-config"},
	"libpq-dev":            {"pg_config"},
	"libmariadb-dev":       {"mysql_config", "mariadb_config"},
	"libmysqlclient-dev":   {"mysql_config"},
	"libxml2-dev":          {"xml2-config"},
	"libxslt1-dev":         {"xslt-config"},
	"libcurl4-openssl-dev": {"curl-config"},
	"ca-certificates":      {"update-ca-certificates", "openssl"},
	"sq":                   {"sq"},

	"default-libmysqlclient-dev": {"mysql_config", "mariadb_config"},
}

// slimTarget is the tag an image switches to, or why it stays.
type slimTarget struct {
	img  *slimImage
	repo string // Docker Hub repository: "python"
	from string // the reference as written
	to   string // the new reference ("" when it stays)
	why  string // why it stays ("" when it does not, or when the image is not one slim-base knows)
}

// slimTargetOf reads a FROM reference.
func slimTargetOf(ref string) slimTarget {
	t := slimTarget{from: ref}
	if strings.Contains(ref, "$") {
		t.why = "the image comes from a build argument"
		return t
	}
	t.repo = hubRepository(ref)
	if t.repo == "php" {
		t.why = "php has no slim variant: php:V-cli is already its smallest Debian image"
		return t
	}
	t.img = slimImages[t.repo]
	if t.img == nil {
		return t
	}
	if strings.Contains(ref, "@") {
		t.why = "the image is pinned by digest, and the slim image's digest cannot be known offline"
		return t
	}
	name, tag := ref, ""
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		name, tag = ref[:i], ref[i+1:]
	}
	newTag, why := t.img.switchTag(t.repo, tag)
	if why != "" {
		t.why = why
		return t
	}
	t.to = name + ":" + newTag
	return t
}

// switchTag is the slim (JRE) tag of tag, or why there is none.
func (img *slimImage) switchTag(repo, tag string) (string, string) {
	lower := strings.ToLower(tag)
	for _, w := range []string{"windowsservercore", "nanoserver"} {
		if strings.Contains(lower, w) {
			return "", "a Windows image: dockopt knows only the Linux variants"
		}
	}
	for _, part := range strings.Split(lower, "-") {
		switch part {
		case "slim":
			if img.kind != slimJRE {
				return "", "the image is already a slim variant"
			}
		case "jre":
			return "", "the image is already a JRE"
		case "alpine", "distroless":
			return "", "the image is already a minimal (" + part + ") variant"
		}
		if strings.HasPrefix(part, "alpine") {
			return "", "the image is already a minimal (alpine) variant"
		}
	}
	if tag == "" || tag == "latest" {
		switch img.kind {
		case slimLang:
			return "slim", ""
		case slimDebian:
			return "", "debian has no slim tag for latest; name a release (bookworm-slim)"
		}
		return "", "the JRE tag of latest is not known; name a version"
	}
	switch img.kind {
	case slimDebian:
		if !img.version.MatchString(tag) {
			return "", fmt.Sprintf("debian:%s has no known slim tag", tag)
		}
		return tag + "-slim", ""
	case slimJRE:
		return img.jreTag(repo, tag)
	}
	version, dist, _ := strings.Cut(tag, "-")
	if dist == "rc" || strings.HasPrefix(dist, "rc-") { // 3.14-rc-bookworm
		version, dist = version+"-rc", strings.TrimPrefix(strings.TrimPrefix(dist, "rc"), "-")
	}
	if img.dists[tag] { // python:bookworm
		version, dist = "", tag
	}
	if version != "" && !img.version.MatchString(version) || dist != "" && !img.dists[dist] {
		return "", fmt.Sprintf("%s:%s is not a tag whose slim variant dockopt knows", repo, tag)
	}
	return joinTag(version, "slim", dist, img.slimAfterDist), ""
}

// joinTag puts version, variant and dist together in the image's order.
func joinTag(version, variant, dist string, variantLast bool) string {
	parts := []string{version, variant, dist}
	if variantLast {
		parts = []string{version, dist, variant}
	}
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "-")
}

// jreTag maps a JDK tag to the JRE tag of the same version and
// distribution: 17 -> 17-jre, 17.0.10_7-jdk-jammy -> 17.0.10_7-jre-jammy,
// openjdk 11-jdk-slim -> 11-jre-slim.
func (img *slimImage) jreTag(repo, tag string) (string, string) {
	version, rest, _ := strings.Cut(tag, "-")
	if reTemurin8.MatchString(tag) { // 8u402-b06-jdk-jammy
		i := strings.Index(tag, "-b")
		j := strings.Index(tag[i+1:], "-")
		if j < 0 {
			version, rest = tag, ""
		} else {
			version, rest = tag[:i+1+j], tag[i+2+j:]
		}
	}
	if !img.version.MatchString(version) {
		if repo == "openjdk" {
			return "", "openjdk publishes JRE images only for Java 8 and 11 (eclipse-temurin has them for every LTS)"
		}
		return "", fmt.Sprintf("%s:%s is not a tag whose JRE variant dockopt knows", repo, tag)
	}
	rest = strings.TrimPrefix(strings.TrimPrefix(rest, "jdk"), "-")
	if rest != "" && !img.dists[rest] {
		return "", fmt.Sprintf("%s:%s is not a tag whose JRE variant dockopt knows", repo, tag)
	}
	return joinTag(version, "jre", rest, false), ""
}
