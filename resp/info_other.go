//go:build !unix

package resp

// cpuTimes returns zeros where getrusage is missing.
func cpuTimes() (sys, user float64) { return 0, 0 }
