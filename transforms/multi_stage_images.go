package transforms

// What dockopt knows about official base images, shared by multi-stage and
// copy-from-absolute: their default working directory, which top-level
// entries their root holds, and how their tags name a Debian release.

import (
	"strings"
)

// fhsRoot are the top-level entries of a Debian, Ubuntu or Alpine root
// filesystem (debootstrap, the official rootfs tarballs; /lib32, /libx32 on
// some architectures). Official language images build on them and install
// under /usr/local, /opt or their own directory (listed below).
var fhsRoot = wordSet("bin boot dev etc home lib lib32 lib64 libx32 media mnt opt proc root run sbin srv sys tmp usr var")

// knownRoots are official images whose root holds only fhsRoot and the
// entries listed, and whose Dockerfiles set no WORKDIR unless workdirs says
// so. Confirmed in each image's Dockerfile (docker-library and
// adoptium/containers): golang adds /go and sets WORKDIR /go; eclipse-temurin
// adds /__cacert_entrypoint.sh.
var knownRoots = map[string][]string{
	"debian": nil, "ubuntu": nil, "alpine": nil,
	"golang": {"go"}, "rust": nil, "gcc": nil, "python": nil, "node": nil,
	"eclipse-temurin": {"__cacert_entrypoint.sh"}, "maven": nil, "openjdk": nil,
	"scratch": nil,
}

var workdirs = map[string]string{"golang": "/go"}

// imageWorkdir is the working directory a FROM of ref starts in, when known.
func imageWorkdir(ref string) (string, bool) {
	repo := hubRepository(ref)
	if _, ok := knownRoots[repo]; !ok {
		return "", false
	}
	if w, ok := workdirs[repo]; ok {
		return w, true
	}
	return "/", true
}

// imageRootHas reports whether the root of image ref may hold the entry
// name; known is false for an image dockopt knows nothing about.
func imageRootHas(ref, name string) (has, known bool) {
	repo := hubRepository(ref)
	extra, ok := knownRoots[repo]
	if !ok {
		return false, false
	}
	if repo == "scratch" {
		return false, true
	}
	if fhsRoot[name] {
		return true, true
	}
	for _, e := range extra {
		if e == name {
			return true, true
		}
	}
	return false, true
}

// imageTag is the tag of a reference ("" when it has none; digests dropped).
func imageTag(ref string) string {
	name, _, _ := strings.Cut(ref, "@")
	if i := strings.LastIndex(name, ":"); i > strings.LastIndex(name, "/") {
		return name[i+1:]
	}
	return ""
}

// debianReleases maps Debian version numbers and code names to code names.
var debianReleases = map[string]string{
	"10": "buster", "11": "bullseye", "12": "bookworm", "13": "trixie",
	"buster": "buster", "bullseye": "bullseye", "bookworm": "bookworm", "trixie": "trixie",
}

// distrolessSuffix is the distroless image suffix of a Debian release.
var distrolessSuffix = map[string]string{"bullseye": "debian11", "bookworm": "debian12", "trixie": "debian13"}

// tagRelease finds the Debian release or Alpine version a tag names:
// "1.22-bookworm" -> debian bookworm, "12-slim" (of debian) -> bookworm,
// "3.20" (of alpine) or "1.22-alpine3.20" -> alpine 3.20.
func tagRelease(repo, tag string) (family, release string) {
	if repo == "alpine" {
		if tag == "" || tag == "latest" {
			return "alpine", ""
		}
		return "alpine", tag
	}
	for _, part := range strings.Split(tag, "-") {
		if r, ok := debianReleases[part]; ok && (repo == "debian" || part == r) {
			return "debian", r
		}
		if v, ok := strings.CutPrefix(part, "alpine"); ok {
			return "alpine", v
		}
	}
	if repo == "ubuntu" {
		return "ubuntu", tag
	}
	return "", ""
}

// stdPath is the PATH of Debian, Ubuntu, Alpine and distroless images.
const stdPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// imagePaths are the PATHs of official images that add to stdPath.
var imagePaths = map[string]string{
	"golang":          "/go/bin:/usr/local/go/bin:" + stdPath,
	"rust":            "/usr/local/cargo/bin:" + stdPath,
	"eclipse-temurin": "/opt/java/openjdk/bin:" + stdPath,
	"maven":           "/opt/java/openjdk/bin:" + stdPath,
	"gradle":          "/opt/java/openjdk/bin:/opt/gradle/bin:" + stdPath,
}

// imagePath is the PATH an image starts with ("" when unknown).
func imagePath(repo string) string {
	if p, ok := imagePaths[repo]; ok {
		return p
	}
	if _, ok := knownRoots[repo]; ok || repo == "" {
		return stdPath
	}
	return ""
}

// imageEnv is other environment of official toolchain images that decides
// where tools write (docker-library Dockerfiles).
var imageEnv = map[string]map[string]string{
	"golang": {"GOPATH": "/go"},
	"rust":   {"CARGO_HOME": "/usr/local/cargo", "RUSTUP_HOME": "/usr/local/rustup"},
}

// imageHasCA are the toolchain images built on buildpack-deps (or with
// ca-certificates installed), which hold /etc/ssl/certs/ca-certificates.crt.
var imageHasCA = map[string]bool{
	"golang": true, "rust": true, "gcc": true, "python": true, "node": true,
	"maven": true, "gradle": true, "eclipse-temurin": true,
}

// imageLang is the toolchain an official image brings.
var imageLang = map[string]string{
	"golang": "go", "gcc": "c", "rust": "rust", "maven": "java", "gradle": "java",
	"eclipse-temurin": "java", "openjdk": "java", "amazoncorretto": "java",
	"node": "node", "python": "python",
}

func looksWindowsImage(image string) bool {
	img := strings.ToLower(image)
	for _, w := range []string{"windows", "nanoserver", "servercore", "mcr.microsoft.com/powershell"} {
		if strings.Contains(img, w) {
			return true
		}
	}
	return false
}
