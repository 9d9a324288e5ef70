//go:build !race

package planner

// raceEnabled reports whether the race detector is on: the corpus
// measurement then runs only a few small files.
const raceEnabled = false
