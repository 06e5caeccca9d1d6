package transforms

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/dockopt/dockopt/rewrite"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// AddToCopy turns ADD of local files that are not archives into COPY
// (hadolint DL3020; Docker's best practices).
//
//	ADD app.py /app/      ->  COPY app.py /app/
//	ADD rootfs.tar.xz /   ->  unchanged (ADD unpacks it)
var AddToCopy = &rewrite.Transform{
	ID:      "add-to-copy",
	Summary: "Use COPY instead of ADD for local files that are not archives",
	Rationale: "ADD does more than COPY: it downloads URLs, clones git repositories and unpacks local tar " +
		"archives (found by their content, whatever their name). For other local files both copy the same " +
		"bytes with the same ownership and modes, and COPY tells the reader nothing else happens. Only the " +
		"keyword changes; --chown, --chmod, --link and --exclude are kept. ADD stays for URLs and git " +
		"sources, with --checksum, --keep-git-dir, --unpack or any other ADD-only flag, for names that are " +
		"or may be tar archives (.tar, .tgz, .gz, .bz2, .xz, .zst and the like, .gem, .ova, .crate), for files " +
		"the build context shows to be tar archives (or compressed) by their first bytes, for names with " +
		"variables, quotes or escapes, for globs unless the build context shows files matching them that are " +
		"no archives and the pattern has a non-archive extension, and inside ONBUILD (the trigger runs with " +
		"another build's context).",
	Before:  "FROM python:3.12-slim\nADD --chown=app:app app.py /srv/\n",
	After:   "FROM python:3.12-slim\nCOPY --chown=app:app app.py /srv/\n",
	Default: true,
	Run:     runAddToCopy,

	Hadolint: []string{"DL3020"},
}

// addFlagsCopyHas are the ADD flags COPY takes with the same meaning.
var addFlagsCopyHas = map[string]bool{"chown": true, "chmod": true, "link": true, "exclude": true}

// archiveExts are name endings of files ADD may unpack: tar and the
// compressions BuildKit decompresses (gzip, bzip2, xz, zstd), their short
// tar forms, and formats that are tar archives under another name.
var archiveExts = []string{
	".tar", ".tgz", ".taz", ".tbz", ".tbz2", ".tb2", ".txz", ".tzst", ".tlz", ".tzo",
	".gz", ".gzip", ".bz2", ".bzip2", ".xz", ".zst", ".zstd", ".lzma", ".lz", ".z",
	".gem", ".ova", ".crate", ".apk", ".oci",
}

func runAddToCopy(p *rewrite.Pass) {
	d := p.Doc
	ctxDir := ""
	if p.Settings != nil {
		ctxDir = p.Settings.ContextDir
	}
	for _, in := range d.Instructions {
		if in.Cmd != "add" {
			continue
		}
		if why := addOnlyFlag(in); why != "" {
			p.Skip(in, "ADD kept: "+why)
			continue
		}
		args := in.Args()
		if len(args) < 2 {
			continue
		}
		keep, why := "", ""
		for _, src := range args[:len(args)-1] {
			if keep, why = addKeeps(src, d.Escape, ctxDir); keep != "" {
				break
			}
		}
		if keep != "" {
			if why != "" {
				p.Skip(in, fmt.Sprintf("ADD kept for %s: %s", keep, why))
			}
			continue
		}
		l := joinedText(d, in)
		kw := in.Node.Value
		if l == nil || !strings.HasPrefix(l.Text, kw) || !sameLine(l, 0, len(kw)) {
			continue
		}
		p.Fix(in, "ADD of local files that are not archives: COPY does the same and says so",
			rewrite.Edit{Start: l.Src(0), End: l.SrcAfter(len(kw)), New: writeInCase("copy", keywordCaseOf(kw))})
	}
}

// addOnlyFlag names a flag of in that COPY lacks or that changes what ADD
// fetches, or returns "".
func addOnlyFlag(in *rewrite.Instruction) string {
	for _, f := range in.Flags() {
		name, _, _ := strings.Cut(strings.TrimPrefix(f, "--"), "=")
		if !addFlagsCopyHas[name] {
			return "--" + name + " is ADD's own flag"
		}
	}
	return ""
}

// addKeeps decides whether src, an ADD source as written, needs ADD. keep
// names the source when it does; why is a note for the user when the reason
// is one they may want to know (an unknowable name, an archive found by
// content), "" when ADD is plainly right (a URL, an archive name).
func addKeeps(src string, esc rune, ctxDir string) (keep, why string) {
	if parser.MustParseHeredoc(src) != nil {
		return "", "" // inline content is never unpacked
	}
	if strings.ContainsAny(src, `$"'`+string(esc)) {
		return src, "the source uses variables, quotes or escapes, so what it names cannot be checked"
	}
	if isRemoteSource(src) {
		return src, ""
	}
	name := src
	if esc == '`' {
		name = strings.ReplaceAll(name, `\`, "/") // a Windows path
	}
	if archiveName(name) {
		return src, ""
	}
	if strings.ContainsAny(name, "*?[") {
		return globKeeps(src, name, ctxDir)
	}
	if ctxDir == "" {
		return "", ""
	}
	full, ok := inContext(ctxDir, name)
	if !ok {
		return src, "the source is outside the build context"
	}
	switch isArchive, err := archiveContent(full); {
	case err != nil:
		return src, "its content could not be read: " + err.Error()
	case isArchive:
		return src, "the build context holds a tar archive (or a compressed file) there, which ADD unpacks"
	}
	return "", ""
}

// isRemoteSource reports whether ADD would fetch src (BuildKit: an http(s)
// URL, or a git URL, scp-like address or github.com/ path).
func isRemoteSource(src string) bool {
	return strings.Contains(src, "://") ||
		strings.Contains(src, "@") && strings.Contains(src, ":") ||
		strings.HasPrefix(src, "github.com/") ||
		strings.HasSuffix(src, ".git") || strings.Contains(src, ".git#")
}

func archiveName(name string) bool {
	base := strings.ToLower(path.Base(strings.TrimRight(name, "/")))
	for _, ext := range archiveExts {
		if strings.HasSuffix(base, ext) {
			return true
		}
	}
	return false
}

// globKeeps decides for a wildcard source: COPY is safe only when its last
// element ends in a literal non-archive extension (`*.py`) and the build
// context shows matches, none of them an archive. Files made before the build
// (CI artifacts) could match later; the extension is what speaks for them.
func globKeeps(src, name, ctxDir string) (string, string) {
	ext := path.Ext(path.Base(name))
	if ext == "" || strings.ContainsAny(ext, "*?[]") || ctxDir == "" {
		return src, "the wildcard's matches cannot be checked"
	}
	full, ok := inContext(ctxDir, name)
	if !ok {
		return src, "the source is outside the build context"
	}
	matches, err := filepath.Glob(full)
	if err != nil || len(matches) == 0 {
		return src, "the wildcard matches nothing in the build context, so its matches cannot be checked"
	}
	for _, m := range matches {
		if isArchive, err := archiveContent(m); err != nil || isArchive {
			return src, "a file it matches is a tar archive (or compressed), which ADD unpacks"
		}
	}
	return "", ""
}

// inContext is name (a source path as written, relative to the context root
// whether or not it starts with /) inside ctxDir; ok is false for a path that
// climbs out of it.
func inContext(ctxDir, name string) (string, bool) {
	clean := path.Clean("/" + name)
	if strings.HasPrefix(clean, "/..") {
		return "", false
	}
	return filepath.Join(ctxDir, filepath.FromSlash(clean)), true
}

// archiveContent mirrors BuildKit's isArchivePath (solver/llbsolver/file):
// ADD unpacks a regular file (symlinks followed) whose content, once
// decompressed, starts with a tar header. Compressed files count as archives
// without being decompressed. A missing path or a directory is no archive
// (BuildKit copies directories as they are).
func archiveContent(p string) (bool, error) {
	fi, err := os.Stat(p)
	if os.IsNotExist(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if !fi.Mode().IsRegular() {
		return false, nil
	}
	f, err := os.Open(p)
	if err != nil {
		return false, err
	}
	defer f.Close()
	head := make([]byte, 6)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	for _, magic := range [][]byte{
		{0x1f, 0x8b},                     // gzip
		[]byte("BZh"),                    // bzip2
		{0xfd, '7', 'z', 'X', 'Z', 0x00}, // xz
		{0x28, 0xb5, 0x2f, 0xfd},         // zstd
	} {
		if bytes.HasPrefix(head, magic) {
			return true, nil
		}
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return false, err
	}
	_, err = tar.NewReader(f).Next()
	return err == nil, nil
}
