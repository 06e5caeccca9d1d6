// Command lowerbound measures the least work `dockopt fix --check` could do
// with BuildKit as its parser: read and parse every Dockerfile under TREE (as
// parsefloor does) and parse once more every output that differs from its
// input, as the validation of an output must. No transform runs. It uses -j
// workers like dockopt, so its wall time is the best dockopt's default run
// could reach on this machine.
//
//	lowerbound -pack TREE FIXED > PACK   (untimed: collect the changed outputs)
//	lowerbound [-j N] TREE PACK          (timed)
//
// FIXED is a copy of TREE that `dockopt fix` rewrote. The pack holds the
// outputs that differ, so the timed run reads them in one read rather than
// file by file (reading 6,000 more files would cost more than a tenth of
// the bound).
package main

import (
	"bytes"
	"encoding/gob"
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

// walk calls fn with every Dockerfile under root and its path relative to root.
func walk(root string, fn func(p, rel string)) {
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && rewrite.IsDockerfileName(d.Name()) {
			rel, _ := filepath.Rel(root, p)
			fn(p, rel)
		}
		return nil
	})
}

func pack(tree, fixed string) {
	outputs := map[string][]byte{}
	walk(tree, func(p, rel string) {
		in, err1 := os.ReadFile(p)
		out, err2 := os.ReadFile(filepath.Join(fixed, rel))
		if err1 == nil && err2 == nil && !bytes.Equal(in, out) {
			outputs[rel] = out
		}
	})
	if err := gob.NewEncoder(os.Stdout).Encode(outputs); err != nil {
		fmt.Fprintln(os.Stderr, "lowerbound:", err)
		os.Exit(2)
	}
}

func main() {
	jobs := flag.Int("j", runtime.NumCPU(), "workers")
	packMode := flag.Bool("pack", false, "write the pack of TREE's changed outputs in FIXED to stdout")
	flag.Parse()
	if flag.NArg() != 2 {
		fmt.Fprintln(os.Stderr, "usage: lowerbound -pack TREE FIXED > PACK; lowerbound [-j N] TREE PACK")
		os.Exit(2)
	}
	if *packMode {
		pack(flag.Arg(0), flag.Arg(1))
		return
	}
	var outputs map[string][]byte
	b, err := os.ReadFile(flag.Arg(1))
	if err == nil {
		err = gob.NewDecoder(bytes.NewReader(b)).Decode(&outputs)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "lowerbound:", err)
		os.Exit(2)
	}
	type file struct{ p, rel string }
	files := make(chan file, 256)
	var mu sync.Mutex
	n, again, failed := 0, 0, 0
	var wg sync.WaitGroup
	for range *jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range files {
				in, err := os.ReadFile(f.p)
				ok := err == nil && parse(in)
				out, changed := outputs[f.rel]
				if changed {
					ok = ok && parse(out)
				}
				mu.Lock()
				n++
				if changed {
					again++
				}
				if !ok {
					failed++
				}
				mu.Unlock()
			}
		}()
	}
	walk(flag.Arg(0), func(p, rel string) { files <- file{p, rel} })
	close(files)
	wg.Wait()
	fmt.Fprintf(os.Stderr, "lowerbound: %d files, %d outputs parsed again, %d rejected\n", n, again, failed)
}
