package native

import "golang.org/x/sys/unix"

// setForeground gives the terminal to the launched program's process
// group (pgrp) while it runs, so that it can read the terminal and Ctrl-C
// reaches it as a SIGINT we recognise, and takes it back for the prompt
// (pgrp 0).
func setForeground(tty, pgrp int) {
	if pgrp == 0 {
		pgrp = unix.Getpgrp()
	}
	_ = unix.IoctlSetPointerInt(tty, unix.TIOCSPGRP, pgrp)
}
