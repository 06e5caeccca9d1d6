package transforms

// The base-image layer of exec-form. A shell-form CMD is stored as
// ["/bin/sh", "-c", "x y"]; in exec form it is ["x", "y"]. Without an
// ENTRYPOINT both start x. With one, the ENTRYPOINT receives those words as
// its arguments, and the official entrypoint scripts branch on "$1":
// postgres's docker-entrypoint.sh initialises a database only when $1 is
// `postgres`, nginx's runs /docker-entrypoint.d/ only when $1 is `nginx`,
// node's prepends `node` when $1 is not a command. So a CMD is converted only
// when the ENTRYPOINT its image ends up with is known: set in the Dockerfile,
// or inherited from a base image listed here.

import (
	"fmt"
	"strings"
)

// entrypoint is how a base image's ENTRYPOINT treats the CMD it is given.
type entrypoint int

const (
	// noEntrypoint: the image config has no ENTRYPOINT, so CMD is the
	// command line itself.
	noEntrypoint entrypoint = iota
	// execArgs: the entrypoint script does its set-up and then runs
	// `exec "$@"` whatever its arguments, so `/bin/sh -c "x y"` and `x y`
	// reach the same program.
	execArgs
	// phpEntrypoint: docker-php-entrypoint prepends `php` when $1 starts
	// with `-`, and otherwise runs `exec "$@"`.
	phpEntrypoint
	// nodeEntrypoint: node's docker-entrypoint.sh prepends `node` when $1
	// starts with `-`, is not found by `command -v`, or is a regular file
	// that is not executable; otherwise it runs `exec "$@"`. With shell form
	// $1 is /bin/sh, so it never prepends; in exec form it does for
	// `CMD server.js`, which would then run as `node server.js` where the
	// shell form failed. Only programs every node image has on PATH are
	// safe first words: node and npm/npx (the image's build runs
	// `node --version` and `npm --version`). yarn is not among them (recent
	// node images no longer install it), nor is an absolute path (a file
	// that exists but is not executable would be run by node).
	nodeEntrypoint
)

// knownBases are the official images whose ENTRYPOINT was checked, keyed by
// Docker Hub repository name (without docker.io/ or library/). Every entry
// was confirmed in the image's published config (docker-library/repo-info,
// "Entrypoint"/"Default Command" and the image history) or in the
// entrypoint script of its source repository; an image not listed here
// leaves its CMD alone unless exec-form.unknown-base=convert. Not listed
// because they branch on "$1" or were not confirmed: postgres, nginx, mysql,
// mariadb, redis, mongo, rabbitmq, elasticsearch; images not checked (httpd,
// opensuse/*, ...); and distroless images
// (java, python3 and nodejs variants set an ENTRYPOINT; a stage without a
// shell is handled before this table is consulted).
var knownBases = map[string]entrypoint{
	// Operating-system images: config has CMD ["bash"] (or /bin/bash,
	// /bin/sh, sh, /usr/bin/bash) and no ENTRYPOINT (repo-info).
	"alpine":      noEntrypoint,
	"almalinux":   noEntrypoint,
	"amazonlinux": noEntrypoint,
	"archlinux":   noEntrypoint,
	"busybox":     noEntrypoint,
	"centos":      noEntrypoint,
	"debian":      noEntrypoint, // repo-info: Entrypoint `[]`, Command ["bash"]
	"fedora":      noEntrypoint,
	"rockylinux":  noEntrypoint,
	"ubuntu":      noEntrypoint, // built with umoci --clear=config.entrypoint
	// scratch is no image at all: nothing to inherit.
	"scratch": noEntrypoint,

	// Language images without an ENTRYPOINT (repo-info history ends in
	// CMD or WORKDIR): python (CMD ["python3"]), golang (WORKDIR /go),
	// rust and gcc (inherit CMD ["bash"]), ruby (CMD ["irb"]), openjdk
	// (CMD ["jshell"]), amazoncorretto (amazonlinux's CMD ["/bin/bash"]).
	"amazoncorretto": noEntrypoint,
	"gcc":            noEntrypoint,
	"golang":         noEntrypoint,
	"openjdk":        noEntrypoint,
	"python":         noEntrypoint,
	"ruby":           noEntrypoint,
	"rust":           noEntrypoint,

	// ENTRYPOINT ["/__cacert_entrypoint.sh"] (adoptium/containers
	// entrypoint.sh): imports CA certificates when USE_SYSTEM_CA_CERTS is
	// set, exports JRE_CACERTS_PATH, then `exec "$@"`.
	"eclipse-temurin": execArgs,
	// FROM eclipse-temurin, keeping its /__cacert_entrypoint.sh (repo-info:
	// Entrypoint ["/__cacert_entrypoint.sh"], CMD ["gradle"]).
	"gradle": execArgs,
	// ENTRYPOINT ["/usr/local/bin/mvn-entrypoint.sh"] (carlossg/docker-maven):
	// copies /usr/share/maven/ref into MAVEN_CONFIG, unsets it, returns to
	// the working directory, then `exec "$@"`.
	"maven": execArgs,

	// ENTRYPOINT ["docker-php-entrypoint"] (docker-library/php), in every
	// variant (cli, apache, fpm, zts).
	"php": phpEntrypoint,
	// ENTRYPOINT ["docker-entrypoint.sh"] (nodejs/docker-node), in every
	// variant.
	"node": nodeEntrypoint,
}

// baseEntrypoint is the knownBases entry of an image reference as written
// in FROM. known is false for an image not in the table, for any reference
// with a build argument in it (its value is only known at build time), and
// for other registries.
func baseEntrypoint(ref string) (ep entrypoint, known bool) {
	repo := hubRepository(ref)
	if repo == "" {
		return 0, false
	}
	ep, known = knownBases[repo]
	return ep, known
}

// hubRepository is the Docker Hub repository an image reference names:
// `python:3.12-slim@sha256:...`, `library/python` and
// `docker.io/library/python:3` are all "python". It is "" for a reference
// holding `$` and for an image of another registry.
func hubRepository(ref string) string {
	if ref == "" || strings.Contains(ref, "$") {
		return ""
	}
	name, _, _ := strings.Cut(strings.ToLower(ref), "@")
	if i := strings.LastIndex(name, ":"); i > strings.LastIndex(name, "/") {
		name = name[:i]
	}
	if host, rest, ok := strings.Cut(name, "/"); ok && (strings.ContainsAny(host, ".:") || host == "localhost") {
		switch host {
		case "docker.io", "index.docker.io", "registry-1.docker.io":
			name = rest
		default:
			return ""
		}
	}
	return strings.TrimPrefix(name, "library/")
}

// entrypointRefusal says why the ENTRYPOINT of base (of kind ep) would treat
// a CMD starting with first differently once it is in exec form ("" when it
// would not).
func entrypointRefusal(base string, ep entrypoint, first string) string {
	switch ep {
	case phpEntrypoint:
		if strings.HasPrefix(first, "-") {
			return fmt.Sprintf("the ENTRYPOINT of the base image %s (docker-php-entrypoint) would run it as `php %s ...` in exec form", base, first)
		}
	case nodeEntrypoint:
		switch first {
		case "node", "npm", "npx":
		default:
			return fmt.Sprintf("the ENTRYPOINT of the base image %s (docker-entrypoint.sh) runs `node %s ...` in exec form when %q is not a command on PATH or is a file that is not executable, which dockopt cannot tell; in shell form it receives `/bin/sh -c ...` and never does (only node, npm and npx are known commands there)", base, first, first)
		}
	}
	return ""
}
