package transforms

// multi-stage: replaying the artifacts, choosing the runtime image, and
// checking that what the container runs (CMD, ENTRYPOINT, HEALTHCHECK, the
// USER) still works there.

import (
	"path"
	"regexp"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/dockopt/dockopt/rewrite"
)

// resolve replays the build and copy steps in order: the artifacts of
// native builds, and where cp/mv/install put them.
func (b *msBuild) resolve() {
	var arts []string
	add := func(p string) {
		for _, a := range arts {
			if a == p {
				return
			}
		}
		arts = append(arts, p)
	}
	for _, ev := range b.events {
		if b.stop != nil {
			return
		}
		if ev.build != nil {
			for _, p := range ev.build() {
				add(p)
			}
			continue
		}
		m := ev.move
		moved := false
		for _, s := range m.sources {
			for i, a := range arts {
				if a != s {
					continue
				}
				dest := m.dest
				if m.destDir || b.isDirAt(dest) {
					dest = path.Join(dest, path.Base(s))
				}
				if m.remove {
					arts[i] = dest
				} else {
					add(dest)
					b.dupOf[dest] = s
				}
				moved = true
			}
		}
		if !moved {
			b.writes = append(b.writes, msWrite{in: m.c.in, path: m.dest, what: m.c.name})
		}
	}
	b.artifacts = arts
	if b.lang == "go" {
		b.decideGoStatic()
	}
	switch b.lang {
	case "go", "c", "rust":
		if len(arts) == 0 && b.stop == nil {
			b.fail(b.langAt, "the build makes no program file dockopt can name")
		}
	}
}

// chooseRuntime picks the runtime image: the setting, or the default for
// the language and the builder's distribution.
func (b *msBuild) chooseRuntime() {
	key := "multi-stage.runtime-" + b.lang
	if v := b.p.Settings.Get(key, ""); v != "" {
		b.runtime = v
		b.notes = append(b.notes, "runtime image from "+key)
	} else {
		img, why := b.defaultRuntime()
		if why != "" {
			b.fail(b.st.From, "%s; set %s=IMAGE to choose the runtime image", why, key)
			return
		}
		b.runtime = img
	}
	b.shell = !shellless(b.runtime)
	if strings.Contains(b.st.Base, "@") {
		b.notes = append(b.notes, "the builder is pinned by digest; pin "+b.runtime+" too")
	}
}

func (b *msBuild) defaultRuntime() (string, string) {
	switch b.lang {
	case "go":
		if b.static {
			return "gcr.io/distroless/static-debian12", ""
		}
		return b.familyRuntime()
	case "c", "rust":
		return b.familyRuntime()
	case "java":
		return b.jreRuntime()
	case "node", "python":
		return b.slimRuntime()
	}
	return "", "no runtime image for " + b.lang
}

// familyRuntime is a small image of the builder's distribution: the same
// C library and release, so a dynamically linked program finds its libc.
func (b *msBuild) familyRuntime() (string, string) {
	tag := strings.SplitN(b.tag, "@", 2)[0]
	fam, rel := tagRelease(b.repo, tag)
	switch {
	case b.repo == "" || b.repo != "debian" && b.repo != "ubuntu" && b.repo != "alpine" && b.repo != "golang" && b.repo != "gcc" && b.repo != "rust":
		return "", "the distribution of the base image " + b.st.Base + " is unknown"
	case fam == "debian" && rel != "":
		return "debian:" + rel + "-slim", ""
	case fam == "ubuntu" && tag != "" && tag != "latest" && tag != "rolling" && tag != "devel":
		return "ubuntu:" + tag, ""
	case fam == "alpine" && rel != "" && rel != "edge":
		return "alpine:" + rel, ""
	}
	return "", "the base image " + b.st.Base + " does not name its distribution release (for example -bookworm or -alpine3.20), so a runtime image with the same C library cannot be chosen"
}

var (
	reJDKInTag   = regexp.MustCompile(`(?:eclipse-temurin|temurin|openjdk|amazoncorretto|sapmachine|ibm-semeru|ibmjava|jdk|graalvm-ce|graalvm-community)-?([0-9]+)`)
	reLeadingNum = regexp.MustCompile(`^([0-9]+)`)
	reJDKPackage = regexp.MustCompile(`^openjdk-([0-9]+)-jdk`)
)

var defaultJDK = map[string]string{"bullseye": "11", "bookworm": "17", "trixie": "21"}

func (b *msBuild) jreRuntime() (string, string) {
	tag, n := b.tag, ""
	switch b.repo {
	case "eclipse-temurin", "openjdk", "amazoncorretto", "sapmachine":
		if m := reLeadingNum.FindStringSubmatch(tag); m != nil {
			n = m[1]
		}
	case "maven", "gradle":
		if m := reJDKInTag.FindStringSubmatch(tag); m != nil {
			n = m[1]
		}
	case "debian", "ubuntu":
		for _, p := range b.pkgs {
			if m := reJDKPackage.FindStringSubmatch(p); m != nil {
				n = m[1]
			} else if strings.HasPrefix(p, "default-jdk") {
				_, rel := tagRelease(b.repo, tag)
				n = defaultJDK[rel]
			}
		}
	}
	if n == "" {
		return "", "the Java version of " + b.st.Base + " is not named in its tag"
	}
	img := "eclipse-temurin:" + n + "-jre"
	if strings.Contains(tag, "alpine") {
		img += "-alpine"
	}
	return img, ""
}

var debianCodenames = wordSet("buster bullseye bookworm trixie")

// slimRuntime is the -slim variant of the node or python image.
func (b *msBuild) slimRuntime() (string, string) {
	if b.repo != "node" && b.repo != "python" {
		return "", b.lang + " installed into " + b.st.Base + " is not supported (multi-stage handles the official " + b.lang + " image)"
	}
	tag := strings.SplitN(b.tag, "@", 2)[0]
	switch {
	case strings.Contains(tag, "slim") || strings.Contains(tag, "alpine"):
		return b.repo + ":" + tag, ""
	case tag == "" || tag == "latest":
		return b.repo + ":slim", ""
	}
	if i := strings.LastIndex(tag, "-"); i > 0 && debianCodenames[tag[i+1:]] {
		if b.repo == "python" {
			return b.repo + ":" + tag[:i] + "-slim-" + tag[i+1:], ""
		}
		return b.repo + ":" + tag + "-slim", ""
	}
	return b.repo + ":" + tag + "-slim", ""
}

// msToolchain are programs that only the builder has.
var msToolchain = wordSet("go gofmt gcc g++ cc c++ clang make cmake cargo rustc rustup javac jar mvn mvnw gradle gradlew npx tsc pip pip3")

// runtimePath is the PATH of the runtime stage: the runtime image's, with
// the Dockerfile's ENV applied.
func (b *msBuild) runtimePath() []string {
	saved := b.env
	b.env = map[string]msVal{"PATH": {v: imagePath(hubRepository(b.runtime)), known: true}}
	if b.env["PATH"].v == "" {
		b.env["PATH"] = msVal{v: stdPath, known: true}
	}
	for _, in := range b.copied {
		if v, err := rewrite.ParseInstruction(in.Node); err == nil {
			if e, ok := v.(*instructions.EnvCommand); ok {
				for _, kv := range e.Env {
					b.env[kv.Key] = b.expand(kv.Value)
				}
			}
		}
	}
	p := b.env["PATH"]
	b.env = saved
	if !p.known {
		return nil
	}
	return strings.Split(p.v, ":")
}
