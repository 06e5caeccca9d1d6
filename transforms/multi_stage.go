package transforms

import (
	"fmt"
	"strings"

	"github.com/dockopt/dockopt/rewrite"
)

// MultiStage splits a single-stage Dockerfile that builds a program with a
// toolchain into a builder stage and a runtime stage that copies only what
// the program needs.
//
// The pieces: multi_stage_scan.go reads the stage (working directory,
// environment, build context copies, RUN commands with their directory);
// multi_stage_classify.go sorts every command into toolchain set-up, build,
// harmless or "unknown" (which refuses); multi_stage_native.go and
// multi_stage_managed.go find the artifacts per language;
// multi_stage_context.go reads the build context's manifests;
// multi_stage_runtime.go picks the runtime image and checks what the
// container runs; multi_stage_emit.go writes the new stage.
var MultiStage = &rewrite.Transform{
	ID:      "multi-stage",
	Summary: "Split a single-stage build into a builder stage and a slim runtime stage that copies only the artifact",
	Rationale: "A single-stage image ships its compiler, package caches and sources: hundreds of megabytes " +
		"the program never uses, and tools an attacker can. The build stays as it is, named `builder`; a " +
		"new last stage starts from a small image of the same family and copies the artifact by absolute " +
		"path, with everything that defines the container (ENV, ARG, WORKDIR, USER, re-created if the build " +
		"created it, EXPOSE, VOLUME, LABEL, HEALTHCHECK, STOPSIGNAL, ENTRYPOINT and CMD, always in exec " +
		"form). Recognised: Go (`go build`/`go install`), C/C++ (gcc, g++, cc, clang, make, cmake), Rust " +
		"(cargo build/install), Java (javac, jar, mvn package, gradle build), Node (npm ci + npm run build) " +
		"and Python (pip into a virtualenv, copied whole with the application directory), on their official " +
		"images or apt/apk-installed into debian, ubuntu or alpine. Default runtime images: Go " +
		"gcr.io/distroless/static-debian12 when the binary is static (CGO_ENABLED=0, which dockopt sets " +
		"when the context holds no cgo and no third-party module, and says so), otherwise the builder's " +
		"distribution; C, C++ and Rust debian:<release>-slim (ubuntu:<tag>, alpine:<version>); Java " +
		"eclipse-temurin:<N>-jre; Node node:<tag>-slim with `npm ci --omit=dev`; Python python:<tag>-slim. " +
		"Each is overridden with `--set multi-stage.runtime-<go|c|rust|java|node|python>=IMAGE` (or " +
		"`settings: {multi-stage: {runtime-go: IMAGE}}`). Scratch and distroless runtimes get the builder's " +
		"CA bundle (and zoneinfo when a Go program loads time zones) when the builder has them. Nothing " +
		"changes, with the reason in a finding, when the artifact, its libraries or its run command are " +
		"not certain: a RUN dockopt cannot classify as build-only (or one that writes outside the source " +
		"tree), packages that may be needed at run time, a CMD that runs the toolchain (`go run`, `mvn`) " +
		"or a file the runtime would not have, a shell-form command a shell-less runtime cannot start, " +
		"a build context holding files the program may read at run time.",
	Before: `FROM golang:1.22
WORKDIR /src
COPY hello.go .
RUN CGO_ENABLED=0 go build -o /usr/local/bin/hello hello.go
CMD ["hello"]
`,
	After: `FROM golang:1.22 AS builder
WORKDIR /src
COPY hello.go .
RUN CGO_ENABLED=0 go build -o /usr/local/bin/hello hello.go

FROM gcr.io/distroless/static-debian12
COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
WORKDIR /src
COPY --from=builder /usr/local/bin/hello /usr/local/bin/hello
CMD ["hello"]
`,
	Default: false,
	Run:     runMultiStage,
}

// msStop is why multi-stage leaves a file alone.
type msStop struct {
	in  *rewrite.Instruction
	why string
}

func runMultiStage(p *rewrite.Pass) {
	d := p.Doc
	if len(d.Stages) != 1 {
		return // already multi-stage (or no stage)
	}
	b := newMSBuild(p, d.Stages[0])
	b.scan()
	if !b.building {
		return // nothing is built: nothing to split
	}
	if b.stop == nil {
		b.resolve()
	}
	if b.stop == nil {
		b.chooseRuntime()
	}
	if b.stop == nil {
		b.checkRun()
	}
	var edits []rewrite.Edit
	if b.stop == nil {
		edits = b.emit()
	}
	if b.stop != nil {
		in := b.stop.in
		if in == nil {
			in = b.st.From
		}
		p.Skip(in, "left single-stage: "+b.stop.why)
		return
	}
	msg := fmt.Sprintf("single-stage build with the %s toolchain: split into a builder stage (%s) and a runtime stage on %s that copies only %s",
		msLangNames[b.lang], b.builderName, b.runtime, strings.Join(b.copiedPaths(), ", "))
	for _, n := range b.notes {
		msg += "; " + n
	}
	last := b.st.Instructions[len(b.st.Instructions)-1]
	p.FixSpan(b.st.From, last, msg, edits...)
}

var msLangNames = map[string]string{
	"go": "Go", "c": "C/C++", "rust": "Rust", "java": "Java", "node": "Node", "python": "Python",
}

// fail records the first reason to leave the file alone.
func (b *msBuild) fail(in *rewrite.Instruction, format string, args ...any) {
	if b.stop == nil {
		b.stop = &msStop{in: in, why: fmt.Sprintf(format, args...)}
	}
}
