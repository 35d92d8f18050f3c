package rpc

import (
	"encoding/json"
	"fmt"

	"github.com/godbg/godbg/service"
)

// handler runs one method on the backend with JSON-array parameters.
type handler func(b service.Client, params json.RawMessage) (any, error)

// methods are the service.Client methods with plain arguments, by name.
// Goroutines, Halt and Close are handled by the server itself (streams,
// concurrency, lifecycle).
var methods = map[string]handler{
	"State":              m0(service.Client.State),
	"Continue":           m0(service.Client.Continue),
	"ContinueWithSignal": m1(service.Client.ContinueWithSignal),
	"Next":               m1(service.Client.Next),
	"Step":               m0(service.Client.Step),
	"StepOut":            m0(service.Client.StepOut),
	"StepInstruction":    m0(service.Client.StepInstruction),
	// step
	"NextInstruction": m0(service.Client.NextInstruction),
	"ContinueTo":      m1(service.Client.ContinueTo),
	"Jump":            m1(service.Client.Jump),

	"ListThreads":  m0(service.Client.ListThreads),
	"SwitchThread": m1(service.Client.SwitchThread),

	"Stacktrace":    m2(service.Client.Stacktrace),
	"SelectFrame":   m1(service.Client.SelectFrame),
	"SelectedFrame": v0(service.Client.SelectedFrame),

	"Eval":        m2(service.Client.Eval),
	"WhatIs":      m1(service.Client.WhatIs),
	"Locals":      m2(service.Client.Locals),
	"Args":        m1(service.Client.Args),
	"SetVariable": e2(service.Client.SetVariable),

	"CurrentGoroutine": m0(service.Client.CurrentGoroutine),
	"SwitchGoroutine":  m1(service.Client.SwitchGoroutine),

	"ListRegisters": m1(service.Client.ListRegisters),
	"SetRegister":   e2(service.Client.SetRegister),

	"EvalAddress": m1(service.Client.EvalAddress),
	"ReadMemory":  m2(service.Client.ReadMemory),
	"SetMemory":   e2(service.Client.SetMemory),

	"ListFunctions": m1(service.Client.ListFunctions),
	"ListSources":   m1(service.Client.ListSources),
	"ListSource":    m2(service.Client.ListSource),
	"Disassemble":   m1(service.Client.Disassemble),

	"CreateBreakpoint":    m3(service.Client.CreateBreakpoint),
	"CreateCatchpoint":    m2(service.Client.CreateCatchpoint),
	"ListBreakpoints":     m0(service.Client.ListBreakpoints),
	"ClearBreakpoint":     m1(service.Client.ClearBreakpoint),
	"ClearAllBreakpoints": m1(service.Client.ClearAllBreakpoints),
	"SetCondition":        m2(service.Client.SetCondition),
	"SetHitCondition":     m3(service.Client.SetHitCondition),
	"ToggleBreakpoint":    m1(service.Client.ToggleBreakpoint),

	"SignalPolicies": m0(service.Client.SignalPolicies),
	"HandleSignal":   m2(service.Client.HandleSignal),

	"ListTargets":   m0(service.Client.ListTargets),
	"SwitchTarget":  m1(service.Client.SwitchTarget),
	"FollowExec":    e2(service.Client.FollowExec),
	"SetForkOption": e2(service.Client.SetForkOption),
	"ForkSettings":  v0(service.Client.ForkSettings),
	"FollowFork":    m1(service.Client.FollowFork),

	"Libraries":   m0(service.Client.Libraries),
	"PackageVars": m2(service.Client.PackageVars),
	"Dump":        e1(service.Client.Dump),
	"Detach":      e0(service.Client.Detach),
	"Kill":        e0(service.Client.Kill),
	"Restart":     m0(service.Client.Restart),

	// watch
	"CreateWatchpoint": m2(service.Client.CreateWatchpoint),
	"CallFunction":     m2(service.Client.CallFunction),

	// step2
	"SetPerGHitCondition": m3(service.Client.SetPerGHitCondition),
	"DeferredArgs":        m2(service.Client.DeferredArgs),
}

// params decodes a JSON array of exactly n values into ptrs.
func params(raw json.RawMessage, ptrs ...any) error {
	var arr []json.RawMessage
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &arr); err != nil {
			return fmt.Errorf("params must be a JSON array: %w", err)
		}
	}
	if len(arr) != len(ptrs) {
		return fmt.Errorf("%d params, want %d", len(arr), len(ptrs))
	}
	for i, p := range ptrs {
		if err := json.Unmarshal(arr[i], p); err != nil {
			return fmt.Errorf("param %d: %w", i+1, err)
		}
	}
	return nil
}

func m0[R any](f func(service.Client) (R, error)) handler {
	return func(b service.Client, raw json.RawMessage) (any, error) {
		if err := params(raw); err != nil {
			return nil, err
		}
		return f(b)
	}
}

func m1[A, R any](f func(service.Client, A) (R, error)) handler {
	return func(b service.Client, raw json.RawMessage) (any, error) {
		var a A
		if err := params(raw, &a); err != nil {
			return nil, err
		}
		return f(b, a)
	}
}

func m2[A, B, R any](f func(service.Client, A, B) (R, error)) handler {
	return func(b service.Client, raw json.RawMessage) (any, error) {
		var x A
		var y B
		if err := params(raw, &x, &y); err != nil {
			return nil, err
		}
		return f(b, x, y)
	}
}

func m3[A, B, C, R any](f func(service.Client, A, B, C) (R, error)) handler {
	return func(b service.Client, raw json.RawMessage) (any, error) {
		var x A
		var y B
		var z C
		if err := params(raw, &x, &y, &z); err != nil {
			return nil, err
		}
		return f(b, x, y, z)
	}
}

// v0 wraps a method without an error result.
func v0[R any](f func(service.Client) R) handler {
	return m0(func(b service.Client) (R, error) { return f(b), nil })
}

// e0, e1 and e2 wrap methods that return only an error.
func e0(f func(service.Client) error) handler {
	return m0(func(b service.Client) (struct{}, error) { return struct{}{}, f(b) })
}

func e1[A any](f func(service.Client, A) error) handler {
	return m1(func(b service.Client, x A) (struct{}, error) { return struct{}{}, f(b, x) })
}

func e2[A, B any](f func(service.Client, A, B) error) handler {
	return m2(func(b service.Client, x A, y B) (struct{}, error) { return struct{}{}, f(b, x, y) })
}
