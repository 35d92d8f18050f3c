package native

import (
	"bufio"
	"io"
	"time"

	"github.com/godbg/godbg/pkg/proc"
)

func readLines(r io.Reader, out chan<- string) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		out <- sc.Text()
	}
	close(out)
}

// haltSoon requests a halt after d, and again every d until the returned
// func is called: a request made before Continue has resumed the threads
// is ignored (there is nothing to halt yet), so one request can be lost
// on a loaded machine.
func haltSoon(p proc.Process, d time.Duration) (stop func()) {
	done, exited := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(exited)
		for {
			select {
			case <-done:
				return
			case <-time.After(d):
				p.RequestHalt()
			}
		}
	}()
	return func() { close(done); <-exited }
}
