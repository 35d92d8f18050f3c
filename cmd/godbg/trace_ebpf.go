package main

import (
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/godbg/godbg/pkg/terminal"
	"github.com/godbg/godbg/service/api"
	"github.com/godbg/godbg/service/debugger"
)

// traceEBPF runs the trace with uprobes: the program is launched (or
// attached) stopped, probed, and let go untraced by ptrace.
func traceEBPF(tgt traceTarget, cfg api.TraceConfig, pr *terminal.TracePrinter) (int, error) {
	if err := debugger.CheckEBPF(); err != nil {
		return 1, err
	}
	d, _, err := debugger.New(debugger.Config{Path: tgt.bin, Args: tgt.args, AttachPid: tgt.pid})
	if err != nil {
		return 1, err
	}
	defer d.Close()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	et, err := d.StartEBPFTrace(cfg, pr.Event)
	if err != nil {
		return 1, err
	}
	stop := make(chan struct{})
	var once sync.Once
	go func() {
		if _, ok := <-sigs; ok {
			once.Do(func() { close(stop) })
		}
	}()
	st, dropped, err := et.Wait(stop)
	pr.Close()
	if dropped > 0 {
		fmt.Fprintf(os.Stderr, "godbg: %d events lost: the ring buffer was full\n", dropped)
	}
	if err != nil {
		return 1, err
	}
	return reportEnd(st, tgt), nil
}
