//go:build !linux

package main

import "os/exec"

// setDeathSignal does nothing where the kernel offers no parent-death
// signal; the tests' cleanup still kills every server they start.
func setDeathSignal(cmd *exec.Cmd) {}
