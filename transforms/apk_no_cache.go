package transforms

import (
	"github.com/dockopt/dockopt/rewrite"
)

// ApkNoCache adds --no-cache to `apk add`.
//
//	RUN apk add curl            ->  RUN apk add --no-cache curl
//	RUN apk update && apk add x ->  RUN apk update && apk add --no-cache x
var ApkNoCache = &rewrite.Transform{
	ID:      "apk-no-cache",
	Hints:   []string{"apk"}, // fast path: files without these cannot change
	Summary: "Add --no-cache to `apk add` so the package index does not stay in the layer",
	Rationale: "`apk add` stores the repository index under /var/cache/apk, where it stays in the image layer. " +
		"With --no-cache apk fetches the index into memory and writes nothing there, which is what " +
		"`apk update` followed by `rm -rf /var/cache/apk/*` achieves by hand. Existing `apk update` and " +
		"`rm` commands are kept (they become redundant, never wrong). Left alone: RUNs whose " +
		"--mount=type=cache targets /var/cache/apk or /etc/apk/cache (the user chose to keep a cache), " +
		"`apk add` with --cache-dir or --no-network, RUNs with --network=none, and exec-form, heredoc " +
		"and non-POSIX RUNs.",
	Before:  "FROM alpine:3.20\nRUN apk update && apk add curl\n",
	After:   "FROM alpine:3.20\nRUN apk update && apk add --no-cache curl\n",
	Default: true,
	Run:     runApkNoCache,

	Hadolint: []string{"DL3019"},
}

// apkValueOpts are apk's global options that take a separate value.
var apkValueOpts = map[string]bool{
	"-X": true, "--repository": true, "-p": true, "--root": true, "--arch": true,
	"--cache-dir": true, "--keys-dir": true, "--repositories-file": true,
	"--wait": true, "--progress-fd": true, "--cache-max-age": true,
}

// apkCacheDirs are where apk keeps its cache (/etc/apk/cache is the link
// apk follows when a persistent cache is configured).
var apkCacheDirs = []string{"/var/cache/apk", "/etc/apk/cache"}

func runApkNoCache(p *rewrite.Pass) {
	eachRunShell(p, []string{"apk"}, func(in *rewrite.Instruction, sh *rewrite.Shell) {
		var edits []rewrite.Edit
		for _, c := range sh.Commands() {
			if c.Name != "apk" {
				continue
			}
			i := subcommandAt(c.Args, apkValueOpts)
			if i < 0 {
				continue
			}
			if v, _ := rewrite.WordLit(c.Args[i]); v != "add" {
				continue
			}
			args := wordLits(c.Args)
			if anyArg(args, "--no-cache", "--no-network") {
				continue // --no-network fetches no index: nothing to keep out
			}
			if anyArg(args, "--cache-dir", "--cache-dir=") {
				p.Skip(in, "apk add with --cache-dir keeps its cache on purpose: --no-cache not added")
				continue
			}
			edits = append(edits, sh.InsertAfter(c.Args[i], " --no-cache"))
		}
		if len(edits) == 0 {
			return
		}
		if anyArg(in.Flags(), "--network=none") {
			p.Skip(in, "RUN --network=none: apk add --no-cache would need the network for the index")
			return
		}
		if cacheMountOn(in, apkCacheDirs...) {
			return // the user keeps apk's cache in a cache mount
		}
		p.Fix(in, "apk add keeps the package index in the layer: added --no-cache", edits...)
	})
}
