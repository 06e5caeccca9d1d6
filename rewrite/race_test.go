//go:build race

package rewrite

// raceDetector: the race detector slows the engine about tenfold, so the
// size tests (run_test.go) use smaller inputs under it.
const raceDetector = true
