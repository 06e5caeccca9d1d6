// Command gentree writes a tree of realistic Dockerfiles for `make bench`:
// variations of the corpus files (golden/corpus) spread over nested service
// directories, deterministic for a given -seed.
package main

import (
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	n := flag.Int("n", 10000, "number of Dockerfiles")
	out := flag.String("out", "", "output directory (created)")
	src := flag.String("src", "golden/corpus", "directory of template Dockerfiles")
	seed := flag.Int64("seed", 1, "random seed")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "gentree: -out is required")
		os.Exit(2)
	}
	templates, err := filepath.Glob(filepath.Join(*src, "*.Dockerfile"))
	if err != nil || len(templates) == 0 {
		fmt.Fprintf(os.Stderr, "gentree: no templates in %s\n", *src)
		os.Exit(2)
	}
	sort.Strings(templates)
	var texts []string
	for _, t := range templates {
		b, err := os.ReadFile(t)
		if err != nil {
			fmt.Fprintln(os.Stderr, "gentree:", err)
			os.Exit(2)
		}
		texts = append(texts, string(b))
	}
	r := rand.New(rand.NewSource(*seed))
	pkgs := []string{"curl", "git", "jq", "unzip", "ca-certificates", "gnupg", "make", "openssl", "tzdata", "wget"}
	names := []string{"Dockerfile", "Dockerfile.prod", "Dockerfile.dev", "build.Dockerfile", "Containerfile"}
	for i := 0; i < *n; i++ {
		text := texts[r.Intn(len(texts))]
		// Vary package names and ports so files are not byte-identical.
		text = strings.ReplaceAll(text, " curl", " "+pkgs[r.Intn(len(pkgs))])
		text = strings.ReplaceAll(text, "EXPOSE 8080", fmt.Sprintf("EXPOSE %d", 8000+r.Intn(1000)))
		dir := filepath.Join(*out, fmt.Sprintf("team%02d", i%50), fmt.Sprintf("svc%04d", i))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			fmt.Fprintln(os.Stderr, "gentree:", err)
			os.Exit(2)
		}
		if err := os.WriteFile(filepath.Join(dir, names[r.Intn(len(names))]), []byte(text), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gentree:", err)
			os.Exit(2)
		}
	}
}
