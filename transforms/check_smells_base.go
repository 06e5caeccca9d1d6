package transforms

// Report-only checks on base images and on the final image's runtime:
// pin-base-image, non-root-user and scratch-ca-certificates.

import (
	"fmt"
	"path"
	"strings"

	"github.com/dockopt/dockopt/rewrite"
)

// PinBaseImage reports base images without a tag or with :latest.
var PinBaseImage = &rewrite.Transform{
	ID:      "pin-base-image",
	Summary: "Report base images with no tag or the :latest tag",
	Rationale: "`FROM node` means `FROM node:latest`, and :latest moves: the same Dockerfile builds a different " +
		"image next month, a new major version breaks the build without any change in the repository, and " +
		"the layer cache is invalidated whenever the tag moves. A version tag (node:22.11-bookworm-slim) or " +
		"a digest (@sha256:...) keeps builds reproducible. ARGs declared before the first FROM are " +
		"resolved with their defaults (`ARG TAG=20` + `FROM node:${TAG}` is pinned). Not reported: " +
		"scratch, references to earlier stages, and names that depend on an ARG without a default or on " +
		"BuildKit's platform ARGs (the build decides them). Report only: dockopt cannot know which version " +
		"you want.",
	Before:   "FROM node:latest\nCMD [\"node\", \"server.js\"]\n",
	After:    "FROM node:22-bookworm-slim\nCMD [\"node\", \"server.js\"]\n",
	Default:  true,
	Hadolint: []string{"DL3006", "DL3007"},
	Run:      runPinBaseImage,
}

func runPinBaseImage(p *rewrite.Pass) {
	d := p.Doc
	for _, st := range d.Stages {
		if prev := d.Parent(st); prev != nil && prev.Index < st.Index {
			continue
		}
		img, ok := smResolveBase(d, st.Base)
		if !ok || img == "" || img == "scratch" {
			continue
		}
		if prev := d.StageByName(img); prev != nil && prev.Index < st.Index {
			continue
		}
		name := "FROM " + st.Base
		if img != st.Base {
			name += fmt.Sprintf(" (%s with the ARG defaults)", img)
		}
		repo, tag, digest := smSplitImageRef(img)
		switch {
		case digest != "":
		case tag == "":
			p.Report(st.From, rewrite.SeverityWarning, fmt.Sprintf("%s has no tag, so it is %s:latest and changes whenever the image is republished: pin a version tag or a digest", name, repo))
		case tag == "latest":
			p.Report(st.From, rewrite.SeverityWarning, fmt.Sprintf("%s uses :latest, which changes whenever the image is republished: pin a version tag or a digest", name))
		}
	}
}

// smSplitImageRef splits an image reference into repository, tag and digest
// ("" when absent). A colon before the last slash is a registry port.
func smSplitImageRef(ref string) (repo, tag, digest string) {
	repo, digest, _ = strings.Cut(ref, "@")
	if i := strings.LastIndex(repo, ":"); i > strings.LastIndex(repo, "/") {
		repo, tag = repo[:i], repo[i+1:]
	}
	return repo, tag, digest
}

// NonRootUser reports a final stage that runs as root.
var NonRootUser = &rewrite.Transform{
	ID:      "non-root-user",
	Summary: "Report a final image that runs as root (no USER, or USER root)",
	Rationale: "A process running as root in a container is root on the host's kernel: a bug that lets it " +
		"escape the container, or a volume mounted from the host, gives away the machine. Create an " +
		"unprivileged user (or use a numeric UID such as 10001) and switch to it with USER after the steps " +
		"that need root. A final stage whose last USER is root or 0 is a warning (someone chose root); a " +
		"final stage with no USER at all is info, since its base image may set one (dockopt cannot see " +
		"inside images; bases whose name says nonroot or rootless are trusted). USER is followed through " +
		"FROM <stage>. Not reported: a USER given by a variable, Windows bases, and a FROM scratch final " +
		"stage with neither CMD nor ENTRYPOINT (an export stage nothing runs).",
	Before:   "FROM python:3.12-slim\nCOPY app.py /app/\nCMD [\"python\", \"/app/app.py\"]\n",
	After:    "FROM python:3.12-slim\nRUN useradd --system --uid 10001 app\nCOPY app.py /app/\nUSER 10001\nCMD [\"python\", \"/app/app.py\"]\n",
	Default:  true,
	Hadolint: []string{"DL3002"},
	Run:      runNonRootUser,
}

func runNonRootUser(p *rewrite.Pass) {
	d := p.Doc
	if len(d.Stages) == 0 {
		return
	}
	final := d.Stages[len(d.Stages)-1]
	chain := smStageChain(d, final)
	root := chain[len(chain)-1]
	img, known := smResolveBase(d, root.Base)
	if smWindowsBase(root.Base) || known && smWindowsBase(img) {
		return
	}
	var last *rewrite.Instruction
	runs := false
	for _, st := range chain {
		for i := len(st.Instructions) - 1; i >= 0; i-- {
			switch in := st.Instructions[i]; in.Cmd {
			case "user":
				if last == nil {
					last = in
				}
			case "cmd", "entrypoint":
				runs = true
			}
		}
	}
	if last != nil {
		args := last.Args()
		if len(args) == 0 || strings.Contains(args[0], "$") {
			return
		}
		user, _, _ := strings.Cut(args[0], ":")
		if user == "root" || strings.Trim(user, "0") == "" && user != "" {
			p.Report(last, rewrite.SeverityWarning, fmt.Sprintf("the final image runs as root (USER %s is the last USER): switch to an unprivileged user after the steps that need root", args[0]))
		}
		return
	}
	if known {
		if img == "scratch" && !runs {
			return
		}
		if l := strings.ToLower(img); strings.Contains(l, "nonroot") || strings.Contains(l, "rootless") {
			return
		}
	}
	p.Report(final.From, rewrite.SeverityInfo, fmt.Sprintf("the final stage sets no USER, so the container runs as root unless %s sets one: add USER with an unprivileged user", root.Base))
}

// ScratchCACertificates reports FROM scratch images that run a program but
// carry no CA certificates.
var ScratchCACertificates = &rewrite.Transform{
	ID:      "scratch-ca-certificates",
	Summary: "Report a runnable FROM scratch image with no CA certificates copied in",
	Rationale: "A scratch image holds only what the Dockerfile copies into it. A static Go or Rust binary that " +
		"opens an https:// connection then fails at run time with `x509: certificate signed by unknown " +
		"authority`, although the same binary works in its build stage. Copy the bundle from the build " +
		"stage: `COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/`. Reported on the " +
		"stages nothing else builds on whose chain of FROMs starts at scratch and that set CMD or " +
		"ENTRYPOINT (an export stage without them runs nothing), when no COPY or ADD mentions /etc/ssl, " +
		"/etc/pki, ca-certificates or a CA bundle, no COPY or ADD fills / from a directory or an archive, " +
		"and no ENV sets SSL_CERT_FILE or SSL_CERT_DIR. Info, since many programs never speak TLS; a " +
		"warning when an ENV, CMD, ENTRYPOINT or HEALTHCHECK of the image names an https:// or wss:// " +
		"URL. Distroless bases already carry the certificates and are not reported.",
	Before: "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n" +
		"ENTRYPOINT [\"/app\", \"--upstream=https://api.example.com\"]\n",
	After: "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n" +
		"COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\n" +
		"ENTRYPOINT [\"/app\", \"--upstream=https://api.example.com\"]\n",
	Default: true,
	Run:     runScratchCACertificates,
	Hints:   []string{"scratch"}, // fast path: files without these have nothing to report
}

func runScratchCACertificates(p *rewrite.Pass) {
	d := p.Doc
	built := map[*rewrite.Stage]bool{} // stages another stage is built FROM
	for _, st := range d.Stages {
		for _, parent := range smStageChain(d, st)[1:] {
			built[parent] = true
		}
	}
	for _, st := range d.Stages {
		chain := smStageChain(d, st)
		if img, ok := smResolveBase(d, chain[len(chain)-1].Base); built[st] || !ok || img != "scratch" {
			continue
		}
		runs, certs, url := false, false, ""
		for _, s := range chain {
			for _, in := range s.Instructions {
				switch in.Cmd {
				case "cmd", "entrypoint":
					runs = true
				case "copy", "add":
					certs = certs || smCopiesCerts(in)
				case "env":
					args := in.Args()
					for i := 0; i < len(args); i += 3 {
						certs = certs || args[i] == "SSL_CERT_FILE" || args[i] == "SSL_CERT_DIR"
					}
				}
				switch in.Cmd {
				case "cmd", "entrypoint", "env", "healthcheck":
					if l := strings.ToLower(strings.Join(in.Args(), " ")); url == "" && (strings.Contains(l, "https://") || strings.Contains(l, "wss://")) {
						url = strings.ToUpper(in.Cmd)
					}
				}
			}
		}
		if !runs || certs {
			continue
		}
		const msg = "FROM scratch has no CA certificates and nothing copies them in: a program that opens TLS connections fails with \"certificate signed by unknown authority\"; COPY --from=<build stage> /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/"
		if url != "" {
			p.Report(st.From, rewrite.SeverityWarning, fmt.Sprintf("%s (its %s names an https URL)", msg, url))
		} else {
			p.Report(st.From, rewrite.SeverityInfo, msg+" if it does")
		}
	}
}

// smCopiesCerts reports whether a COPY or ADD may bring CA certificates: a
// path naming them, or a directory or archive unpacked over /.
func smCopiesCerts(in *rewrite.Instruction) bool {
	args := in.Args()
	if in.HasHeredoc() || len(args) < 2 {
		return false
	}
	for _, a := range args {
		l := strings.ToLower(a)
		for _, s := range []string{"/etc/ssl", "/etc/pki", "ca-certificates", "ca-bundle", "cacert", "certs"} {
			if strings.Contains(l, s) {
				return true
			}
		}
	}
	if dest := args[len(args)-1]; path.Clean(dest) == "/" {
		for _, src := range args[:len(args)-1] {
			if in.Cmd == "add" || strings.HasSuffix(src, "/") || src == "." || strings.HasSuffix(src, "/.") {
				return true
			}
		}
	}
	return false
}
