package native

import "golang.org/x/sys/unix"

// foreground gives the terminal to the launched program's process group
// while it runs (so it can read the terminal, and Ctrl-C reaches it as a
// SIGINT we recognise) and takes it back for the prompt.
func (p *nproc) foreground(child bool) {
	if p.tty < 0 {
		return
	}
	pgrp := unix.Getpgrp()
	if child {
		pgrp = p.pid
	}
	_ = unix.IoctlSetPointerInt(p.tty, unix.TIOCSPGRP, pgrp)
}
