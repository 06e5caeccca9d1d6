// Command parsefloor is the floor `make bench` compares dockopt with: it
// walks the same tree and only parses every Dockerfile with BuildKit's parser
// and instructions package, single-threaded, in one process.
package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/dockopt/dockopt/rewrite"
)

func main() {
	files, failed := 0, 0
	for _, root := range os.Args[1:] {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !rewrite.IsDockerfileName(d.Name()) {
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil {
				failed++
				return nil
			}
			files++
			res, err := parser.Parse(bytes.NewReader(b))
			if err != nil {
				failed++
				return nil
			}
			if _, _, err := instructions.Parse(res.AST, linter.New(&linter.Config{SkipAll: true})); err != nil {
				failed++
			}
			return nil
		})
	}
	fmt.Fprintf(os.Stderr, "parsefloor: %d files, %d rejected\n", files, failed)
}
