//go:build unix

package resp

import (
	"errors"
	"syscall"
)

// The Unix check that a blocked client's peer has hung up (blocking.go):
// a non-blocking peek at the socket reads end-of-file or an error.

func init() {
	peerClosed = func(rc syscall.RawConn) bool {
		gone := false
		rc.Control(func(fd uintptr) {
			var b [1]byte
			n, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
			switch {
			case err == nil:
				gone = n == 0 // end of file: the peer closed
			case errors.Is(err, syscall.EAGAIN), errors.Is(err, syscall.EINTR):
			default:
				gone = true // reset, or another failure of the socket
			}
		})
		return gone
	}
}
