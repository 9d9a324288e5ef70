package main

import (
	"os/exec"
	"syscall"
)

// setDeathSignal makes the kernel SIGKILL the server if the test process
// dies first, so a crashed or interrupted test leaves no server behind.
func setDeathSignal(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
