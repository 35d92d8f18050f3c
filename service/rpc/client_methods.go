package rpc

import "github.com/godbg/godbg/service/api"

// The methods below forward one service.Client call each; the server runs
// them through the table in methods.go.

func (c *Client) State() (*api.State, error)    { return call[*api.State](c, "State") }
func (c *Client) Continue() (*api.State, error) { return call[*api.State](c, "Continue") }
func (c *Client) ContinueWithSignal(sig string) (*api.State, error) {
	return call[*api.State](c, "ContinueWithSignal", sig)
}
func (c *Client) Next(count int) (*api.State, error) { return call[*api.State](c, "Next", count) }
func (c *Client) Step() (*api.State, error)          { return call[*api.State](c, "Step") }
func (c *Client) StepOut() (*api.State, error)       { return call[*api.State](c, "StepOut") }
func (c *Client) StepInstruction() (*api.State, error) {
	return call[*api.State](c, "StepInstruction")
}

func (c *Client) ListThreads() ([]api.Thread, error) { return call[[]api.Thread](c, "ListThreads") }
func (c *Client) SwitchThread(tid int) (*api.Thread, error) {
	return call[*api.Thread](c, "SwitchThread", tid)
}

func (c *Client) Stacktrace(depth int, full bool) ([]api.Frame, error) {
	return call[[]api.Frame](c, "Stacktrace", depth, full)
}
func (c *Client) SelectFrame(n int) (*api.Frame, error) { return call[*api.Frame](c, "SelectFrame", n) }

// SelectedFrame is 0 when the server cannot be asked.
func (c *Client) SelectedFrame() int {
	n, _ := call[int](c, "SelectedFrame")
	return n
}

func (c *Client) Eval(expr string, cfg api.LoadConfig) (*api.Variable, error) {
	return call[*api.Variable](c, "Eval", expr, cfg)
}
func (c *Client) WhatIs(expr string) (string, error) { return call[string](c, "WhatIs", expr) }
func (c *Client) Locals(filter string, cfg api.LoadConfig) ([]api.Variable, error) {
	return call[[]api.Variable](c, "Locals", filter, cfg)
}
func (c *Client) Args(cfg api.LoadConfig) ([]api.Variable, error) {
	return call[[]api.Variable](c, "Args", cfg)
}
func (c *Client) SetVariable(lhs, rhs string) error { return c.void("SetVariable", lhs, rhs) }

func (c *Client) CurrentGoroutine() (*api.Goroutine, error) {
	return call[*api.Goroutine](c, "CurrentGoroutine")
}
func (c *Client) SwitchGoroutine(id int64) (*api.Goroutine, error) {
	return call[*api.Goroutine](c, "SwitchGoroutine", id)
}

func (c *Client) ListRegisters(all bool) ([]api.Register, error) {
	return call[[]api.Register](c, "ListRegisters", all)
}
func (c *Client) SetRegister(name string, value uint64) error {
	return c.void("SetRegister", name, value)
}

func (c *Client) EvalAddress(expr string) (uint64, error) {
	return call[uint64](c, "EvalAddress", expr)
}
func (c *Client) ReadMemory(addr uint64, n int) ([]byte, error) {
	return call[[]byte](c, "ReadMemory", addr, n)
}
func (c *Client) SetMemory(lhs, rhs string) error { return c.void("SetMemory", lhs, rhs) }

func (c *Client) ListFunctions(filter string) ([]string, error) {
	return call[[]string](c, "ListFunctions", filter)
}
func (c *Client) ListSources(filter string) ([]string, error) {
	return call[[]string](c, "ListSources", filter)
}
func (c *Client) ListSource(loc string, context int) (*api.SourceListing, error) {
	return call[*api.SourceListing](c, "ListSource", loc, context)
}
func (c *Client) Disassemble(req api.DisassembleRequest) ([]api.Instruction, error) {
	return call[[]api.Instruction](c, "Disassemble", req)
}

func (c *Client) CreateBreakpoint(name, spec, cond string) (*api.Breakpoint, error) {
	return call[*api.Breakpoint](c, "CreateBreakpoint", name, spec, cond)
}
func (c *Client) CreateCatchpoint(kind string, args []string) (*api.Breakpoint, error) {
	return call[*api.Breakpoint](c, "CreateCatchpoint", kind, args)
}
func (c *Client) ListBreakpoints() ([]*api.Breakpoint, error) {
	return call[[]*api.Breakpoint](c, "ListBreakpoints")
}
func (c *Client) ClearBreakpoint(idOrName string) (*api.Breakpoint, error) {
	return call[*api.Breakpoint](c, "ClearBreakpoint", idOrName)
}
func (c *Client) ClearAllBreakpoints(spec string) (int, error) {
	return call[int](c, "ClearAllBreakpoints", spec)
}
func (c *Client) SetCondition(idOrName, cond string) (*api.Breakpoint, error) {
	return call[*api.Breakpoint](c, "SetCondition", idOrName, cond)
}
func (c *Client) SetHitCondition(idOrName, op string, n int) (*api.Breakpoint, error) {
	return call[*api.Breakpoint](c, "SetHitCondition", idOrName, op, n)
}
func (c *Client) ToggleBreakpoint(idOrName string) (*api.Breakpoint, error) {
	return call[*api.Breakpoint](c, "ToggleBreakpoint", idOrName)
}

func (c *Client) SignalPolicies() ([]api.SignalPolicy, error) {
	return call[[]api.SignalPolicy](c, "SignalPolicies")
}
func (c *Client) HandleSignal(sig string, keywords []string) (*api.SignalPolicy, error) {
	return call[*api.SignalPolicy](c, "HandleSignal", sig, keywords)
}

func (c *Client) ListTargets() ([]api.Target, error) { return call[[]api.Target](c, "ListTargets") }
func (c *Client) SwitchTarget(pid int) (*api.State, error) {
	return call[*api.State](c, "SwitchTarget", pid)
}
func (c *Client) FollowExec(on bool, regex string) error { return c.void("FollowExec", on, regex) }
func (c *Client) SetForkOption(name, value string) error { return c.void("SetForkOption", name, value) }

// ForkSettings is the zero value when the server cannot be asked.
func (c *Client) ForkSettings() api.ForkSettings {
	fs, _ := call[api.ForkSettings](c, "ForkSettings")
	return fs
}
func (c *Client) FollowFork(child bool) (*api.State, error) {
	return call[*api.State](c, "FollowFork", child)
}

// Dump writes the core file on the server's machine.
func (c *Client) Dump(path string) error { return c.void("Dump", path) }

func (c *Client) Libraries() ([]api.Library, error) { return call[[]api.Library](c, "Libraries") }

func (c *Client) PackageVars(filter string, cfg api.LoadConfig) ([]api.Variable, error) {
	return call[[]api.Variable](c, "PackageVars", filter, cfg)
}

func (c *Client) Detach() error                { return c.void("Detach") }
func (c *Client) Kill() error                  { return c.void("Kill") }
func (c *Client) Restart() (*api.State, error) { return call[*api.State](c, "Restart") }

// void calls a method whose only result is an error.
func (c *Client) void(method string, args ...any) error {
	_, err := c.do(method, args...)
	return err
}

// step
func (c *Client) NextInstruction() (*api.State, error) { return call[*api.State](c, "NextInstruction") }
func (c *Client) ContinueTo(spec string) (*api.State, error) {
	return call[*api.State](c, "ContinueTo", spec)
}
func (c *Client) Jump(spec string) (*api.State, error) { return call[*api.State](c, "Jump", spec) }

// watch

func (c *Client) CreateWatchpoint(expr, kind string) (*api.Breakpoint, error) {
	return call[*api.Breakpoint](c, "CreateWatchpoint", expr, kind)
}

func (c *Client) CallFunction(expr string, unsafe bool) ([]api.Variable, error) {
	return call[[]api.Variable](c, "CallFunction", expr, unsafe)
}

// step2

func (c *Client) SetPerGHitCondition(idOrName, op string, n int) (*api.Breakpoint, error) {
	return call[*api.Breakpoint](c, "SetPerGHitCondition", idOrName, op, n)
}

func (c *Client) DeferredArgs(n int, cfg api.LoadConfig) ([]api.Variable, error) {
	return call[[]api.Variable](c, "DeferredArgs", n, cfg)
}
