package rpc

import (
	"encoding/json"
	"net"
	"os"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/service"
	"github.com/godbg/godbg/service/api"
	"github.com/godbg/godbg/service/debugger"
)

// TestSameAnswersAsTheDebugger asks a live session the same questions in
// process and through the server: the answers must be identical.
func TestSameAnswersAsTheDebugger(t *testing.T) {
	bin := fixtures.Build(t, "stepfix")
	devnull, _ := os.Open(os.DevNull)
	defer devnull.Close()
	srv := NewServer(ServerConfig{})
	d, _, err := debugger.New(debugger.Config{Path: bin, OnEvent: srv.Event, Stdout: devnull, Stderr: devnull})
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
	c, err := Dial(l.Addr().String(), DialConfig{})
	if err != nil {
		srv.Stop()
		t.Fatal(err)
	}
	defer func() {
		c.Close()
		<-done
	}()
	if _, err := c.CreateBreakpoint("", "main.shared", ""); err != nil {
		t.Fatal(err)
	}
	if st, err := c.Continue(); err != nil || st.Reason != "breakpoint" {
		t.Fatalf("Continue = %+v, %v", st, err)
	}
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
