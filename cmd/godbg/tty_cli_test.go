package main

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/godbg/godbg/internal/fixtures"
)

// openPTY returns a pseudo-terminal's master and slave.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	// A real terminal's size: with 0 columns the line editor falls back
	// to reading whole lines, which a typed \r does not end while the
	// terminal is still raw.
	if err := unix.IoctlSetWinsize(int(m.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: 24, Col: 100}); err != nil {
		t.Fatal(err)
	}
	s, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	return m, s
}

// TestCtrlCAtTerminalHalts types Ctrl-C into godbg's terminal while a
// launched program runs (the program owns the terminal's foreground
// then): the program halts, the prompt comes back, exit kills it.
func TestCtrlCAtTerminalHalts(t *testing.T) {
	bin := fixtures.Build(t, "bpfix.c")
	master, slave := openPTY(t)
	defer master.Close()
	cmd := exec.Command(godbgBin, "exec", bin, "--", "1", "1", "loop")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close()
	defer cmd.Process.Kill()
	out := make(chan string, 1000)
	go func() {
		buf := make([]byte, 65536)
		for {
			n, err := master.Read(buf)
			if n > 0 {
				out <- string(buf[:n])
			}
			if err != nil {
				close(out)
				return
			}
		}
	}()
	var seen strings.Builder
	waitFor := func(s string) {
		t.Helper()
		deadline := time.After(20 * time.Second)
		for !strings.Contains(seen.String(), s) {
			select {
			case chunk, ok := <-out:
				if !ok {
					t.Fatalf("godbg ended before %q:\n%s", s, seen.String())
				}
				seen.WriteString(chunk)
			case <-deadline:
				t.Fatalf("no %q within 20 s:\n%s", s, seen.String())
			}
		}
	}
	waitFor("(godbg) ")
	master.Write([]byte("continue\r"))
	waitFor("alive")
	master.Write([]byte{3}) // Ctrl-C
	waitFor("halted")
	master.Write([]byte("threads\r"))
	waitFor("* Thread")
	master.Write([]byte("exit\r"))
	waitFor("killed")
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("godbg did not exit:\n%s", seen.String())
	}
}
