package rpc

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"testing"
	"time"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/service"
	"github.com/godbg/godbg/service/api"
	"github.com/godbg/godbg/service/debugger"
)

// liveServer serves a session of the fixture bin (args after it) on a
// loopback port until the test ends, and returns the debugger and a
// client stopped at a breakpoint on stop.
func liveServer(t *testing.T, cfg ServerConfig, dc DialConfig, stop, bin string, args ...string) (*debugger.Debugger, *Client) {
	t.Helper()
	devnull, _ := os.Open(os.DevNull)
	t.Cleanup(func() { devnull.Close() })
	srv := NewServer(cfg)
	d, _, err := debugger.New(debugger.Config{Path: bin, Args: args, OnEvent: srv.Event, Stdout: devnull, Stderr: devnull})
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		d.Close()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l, d) }()
	t.Cleanup(func() {
		srv.Stop()
		<-done
	})
	c, err := Dial(l.Addr().String(), dc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := c.CreateBreakpoint("", stop, ""); err != nil {
		t.Fatal(err)
	}
	if st, err := c.Continue(); err != nil || st.Reason != "breakpoint" {
		t.Fatalf("Continue = %+v, %v", st, err)
	}
	return d, c
}

// TestSameAnswersAsTheDebugger asks a live session the same questions in
// process and through the server: the answers must be identical.
func TestSameAnswersAsTheDebugger(t *testing.T) {
	d, c := liveServer(t, ServerConfig{}, DialConfig{}, "main.shared", fixtures.Build(t, "stepfix"))
	if _, err := c.Next(1); err != nil {
		t.Fatal(err)
	}
	cfg := api.LoadConfig{}
	questions := map[string]func(service.Client) (any, error){
		"State":         func(s service.Client) (any, error) { return s.State() },
		"ListThreads":   func(s service.Client) (any, error) { return s.ListThreads() },
		"Stacktrace":    func(s service.Client) (any, error) { return s.Stacktrace(0, true) },
		"Locals":        func(s service.Client) (any, error) { return s.Locals("", cfg) },
		"Args":          func(s service.Client) (any, error) { return s.Args(cfg) },
		"Eval":          func(s service.Client) (any, error) { return s.Eval("x + id*10", cfg) },
		"WhatIs":        func(s service.Client) (any, error) { return s.WhatIs("x") },
		"ListSource":    func(s service.Client) (any, error) { return s.ListSource("", 3) },
		"ListRegisters": func(s service.Client) (any, error) { return s.ListRegisters(true) },
		"Breakpoints":   func(s service.Client) (any, error) { return s.ListBreakpoints() },
		"Disassemble":   func(s service.Client) (any, error) { return s.Disassemble(api.DisassembleRequest{}) },
		"Goroutine":     func(s service.Client) (any, error) { return s.CurrentGoroutine() },
		"Targets":       func(s service.Client) (any, error) { return s.ListTargets() },
		"Goroutines": func(s service.Client) (any, error) {
			var gs []api.Goroutine
			err := s.Goroutines(nil, func(g api.Goroutine) bool { gs = append(gs, g); return true })
			return gs, err
		},
		"EvalError": func(s service.Client) (any, error) { return s.Eval("nosuchvar", cfg) },
	}
	for name, q := range questions {
		local, lerr := q(d)
		remote, rerr := q(c)
		lj, _ := json.Marshal(local)
		rj, _ := json.Marshal(remote)
		if string(lj) != string(rj) {
			t.Errorf("%s: in process %s\nthrough rpc %s", name, lj, rj)
		}
		if (lerr == nil) != (rerr == nil) || (lerr != nil && lerr.Error() != rerr.Error()) {
			t.Errorf("%s: errors %v / %v", name, lerr, rerr)
		}
	}
}

// With a real debugger: a client that sits on the first page of a
// goroutine listing does not hold the session; another client's State and
// Continue go through (it used to wait a minute for the listing to idle
// out).
func TestOpenListingDoesNotHoldTheDebugger(t *testing.T) {
	_, c2 := liveServer(t, ServerConfig{Multiclient: true}, DialConfig{}, "main.shared", fixtures.Build(t, "stepfix"), "goroutines")
	c1, err := Dial(c2.Addr(), DialConfig{PageSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer c1.Close()
	n := 0
	err = c1.Goroutines(nil, func(api.Goroutine) bool {
		n++
		if n > 1 {
			return true
		}
		ans := make(chan time.Duration, 1)
		go func() {
			t0 := time.Now()
			if _, err := c2.State(); err != nil {
				t.Error(err)
			}
			ans <- time.Since(t0)
		}()
		select {
		case d := <-ans:
			t.Logf("another client's State took %v while a listing was open", d)
			if d > time.Second { // microseconds when the machine is not overloaded
				t.Errorf("another client's State took %v while a listing was open", d)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("another client's State waited for the open listing")
		}
		return true
	})
	// Two pages are enough to hold a listing open; how many of the
	// fixture's goroutines exist at the first hit depends on scheduling.
	if err != nil || n < 2 {
		t.Fatalf("listing: %d goroutines, %v", n, err)
	}
}

// A listing longer than streamAhead takes several passes; through a real
// debugger each resumes where the last one ended, and the result is the
// listing the debugger gives in process.
func TestListingInPassesMatchesTheDebugger(t *testing.T) {
	defer func(n int) { streamAhead = n }(streamAhead)
	streamAhead = 3
	d, c := liveServer(t, ServerConfig{Multiclient: true}, DialConfig{PageSize: 2}, "main.stopHere", fixtures.Build(t, "gorofix"), "30", "quiet")
	list := func(s service.Client) []int64 {
		var ids []int64
		if err := s.Goroutines(nil, func(g api.Goroutine) bool { ids = append(ids, g.ID); return true }); err != nil {
			t.Fatal(err)
		}
		return ids
	}
	local, remote := list(d), list(c)
	if len(local) < 30 || fmt.Sprint(local) != fmt.Sprint(remote) {
		t.Fatalf("in process %v\nthrough rpc in passes of %d: %v", local, streamAhead, remote)
	}
}
