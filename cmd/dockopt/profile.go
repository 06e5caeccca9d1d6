package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
)

// gcPercent is the garbage collector's target when GOGC is not set. dockopt
// allocates a lot of short-lived parse trees and keeps little (the files in
// flight): with the default 100 the collector ran for about a fifth of
// `make bench`'s CPU time. At 800 it costs 5% less CPU than at 400, and
// peak memory over 10,000 files is about 100 MiB instead of 60 (make bench).
const gcPercent = 800

// tuneGC sets the collector's target unless the user set GOGC.
func tuneGC() {
	if _, ok := os.LookupEnv("GOGC"); !ok {
		debug.SetGCPercent(gcPercent)
	}
}

// startProfile writes a CPU profile to $DOCKOPT_CPUPROFILE and an
// allocation profile to $DOCKOPT_MEMPROFILE when they are set (developers'
// knobs for `make bench`; see bench/README.md). The returned function stops
// the CPU profile and writes the allocation one.
func startProfile() func() {
	cpu := startCPUProfile()
	mem := os.Getenv("DOCKOPT_MEMPROFILE")
	if mem == "" {
		return cpu
	}
	runtime.MemProfileRate = 64 * 1024
	return func() {
		cpu()
		f, err := os.Create(mem)
		if err == nil {
			err = pprof.Lookup("allocs").WriteTo(f, 0)
			f.Close()
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "dockopt: DOCKOPT_MEMPROFILE: %v\n", err)
		}
	}
}

func startCPUProfile() func() {
	path := os.Getenv("DOCKOPT_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintf(os.Stderr, "dockopt: DOCKOPT_CPUPROFILE: %v\n", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintf(os.Stderr, "dockopt: DOCKOPT_CPUPROFILE: %v\n", err)
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
