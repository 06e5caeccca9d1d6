// Command compare times two commands as whole processes, alternating them
// (A B A B ...), and prints each one's median wall time, CPU time (user+sys)
// and peak memory, then the ratios A/B. Used by `make bench`.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"syscall"
	"time"
)

type sample struct {
	wall, cpu time.Duration
	rssKB     int64
}

func run(argv []string) sample {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = nil, nil
	start := time.Now()
	if err := cmd.Run(); err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			fmt.Fprintln(os.Stderr, "compare:", err)
			os.Exit(2)
		}
	}
	wall := time.Since(start)
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return sample{wall, cpu, ru.Maxrss}
}

func median(xs []time.Duration) time.Duration {
	sort.Slice(xs, func(i, j int) bool { return xs[i] < xs[j] })
	return xs[len(xs)/2]
}

func main() {
	n := flag.Int("n", 5, "runs of each command")
	nameA := flag.String("a-name", "A", "")
	nameB := flag.String("b-name", "B", "")
	a := flag.String("a", "", "command A (split on spaces)")
	b := flag.String("b", "", "command B (split on spaces)")
	flag.Parse()
	argvA, argvB := strings.Fields(*a), strings.Fields(*b)
	run(argvA) // warm-up: page cache, binary
	run(argvB)
	var wa, wb, ca, cb []time.Duration
	var ma, mb int64
	for i := 0; i < *n; i++ {
		sa, sb := run(argvA), run(argvB)
		wa, wb, ca, cb = append(wa, sa.wall), append(wb, sb.wall), append(ca, sa.cpu), append(cb, sb.cpu)
		ma, mb = max(ma, sa.rssKB), max(mb, sb.rssKB)
	}
	mwa, mwb, mca, mcb := median(wa), median(wb), median(ca), median(cb)
	fmt.Printf("%-28s wall %7.3fs  cpu %7.3fs  peak RSS %4d MiB\n", *nameA, mwa.Seconds(), mca.Seconds(), ma/1024)
	fmt.Printf("%-28s wall %7.3fs  cpu %7.3fs  peak RSS %4d MiB\n", *nameB, mwb.Seconds(), mcb.Seconds(), mb/1024)
	fmt.Printf("ratio A/B (medians of %d runs): wall %.2fx  cpu %.2fx\n", *n, mwa.Seconds()/mwb.Seconds(), mca.Seconds()/mcb.Seconds())
}
