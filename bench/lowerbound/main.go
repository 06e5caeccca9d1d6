// Command lowerbound measures the least work `dockopt fix --check` could do
// with BuildKit as its parser: read and parse every Dockerfile under TREE
// (as parsefloor does), and for every file whose fixed copy under FIXED
// differs, parse that output once more, as the validation of an output must.
// No transform runs. It uses -j workers like dockopt, so its wall time is
// the best dockopt's default run could reach on this machine.
//
//	lowerbound [-j N] TREE FIXED
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/dockopt/dockopt/rewrite"
)

func parse(b []byte) bool {
	res, err := parser.Parse(bytes.NewReader(b))
	if err != nil {
		return false
	}
	_, _, err = instructions.Parse(res.AST, linter.New(&linter.Config{SkipAll: true}))
	return err == nil
}

func main() {
	jobs := flag.Int("j", runtime.NumCPU(), "workers")
	flag.Parse()
	if flag.NArg() != 2 {
		fmt.Fprintln(os.Stderr, "usage: lowerbound [-j N] TREE FIXED")
		os.Exit(2)
	}
	tree, fixed := flag.Arg(0), flag.Arg(1)
	paths := make(chan string, 256)
	var mu sync.Mutex
	files, outputs, failed := 0, 0, 0
	var wg sync.WaitGroup
	for range *jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range paths {
				in, err := os.ReadFile(p)
				ok := err == nil && parse(in)
				n := 0
				if rel, err := filepath.Rel(tree, p); err == nil {
					if out, err := os.ReadFile(filepath.Join(fixed, rel)); err == nil && !bytes.Equal(in, out) {
						n = 1
						ok = ok && parse(out)
					}
				}
				mu.Lock()
				files++
				outputs += n
				if !ok {
					failed++
				}
				mu.Unlock()
			}
		}()
	}
	filepath.WalkDir(tree, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && rewrite.IsDockerfileName(d.Name()) {
			paths <- p
		}
		return nil
	})
	close(paths)
	wg.Wait()
	fmt.Fprintf(os.Stderr, "lowerbound: %d files, %d outputs parsed again, %d rejected\n", files, outputs, failed)
}
