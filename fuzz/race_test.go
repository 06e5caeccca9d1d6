//go:build race

package fuzz

// raceDetector: the race detector slows the engine about tenfold, so the
// size test (TestDefaultSuiteScales) uses smaller inputs under it.
const raceDetector = true
