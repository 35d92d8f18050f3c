// Package dap serves the Debug Adapter Protocol over a socket, so that an
// editor (VS Code, nvim-dap, ...) can drive a godbg session: `godbg dap`.
//
// A Server accepts one client, checks it is ours (same uid over loopback
// TCP, from /proc/net/tcp; same uid over a 0600 unix socket, from
// SO_PEERCRED), and serves it until it disconnects. The client launches a
// program (mode "exec" for a binary, "debug" to build a package with
// -gcflags=all=-N -l) or attaches to a process (mode "local"); the session
// is a service.Client made by service/debugger.
//
// Goroutines are DAP threads (thread id = goroutine id; before the Go
// runtime has goroutines, or for a C program, OS threads by tid). Frame
// ids and variable references are handles valid until the program runs
// again. Children of a value are found by evaluating an expression for
// them (o.Tags, m["k"], s[100:200]), so a big slice or map is read a page
// at a time.
//
// Requests are handled one at a time on the connection's goroutine;
// continue, next, stepIn and stepOut answer at once and run the program
// on another goroutine, which reports the stop with a stopped (or exited
// and terminated) event. While the program runs only pause, threads,
// breakpoint changes (the program is halted, changed and resumed) and the
// session's end are served; the rest get an error.
//
// Besides stops and values, a session offers what editors use from
// dlv dap: logpoints, exception filters with exceptionInfo, instruction
// breakpoints and stepping, disassemble, readMemory/writeMemory,
// loadedSources, modules, breakpointLocations, completions, restart,
// Globals and Registers scopes, return values after a step out, launch
// modes exec/debug/test/core and the launch options in options.go. The
// debug console runs terminal commands ("godbg threads") through a
// runner cmd/godbg gives (Config.Console), and console
// "integratedTerminal" runs a relay in the editor's terminal
// (runInTerminal, Config.Relay).
//
// Limits: a client that sends no initialize within Config.InitTimeout
// (30 s) is dropped and the next one accepted; a Content-Length over
// 64 MiB closes the connection at once. ServeRemote serves a DAP client
// that connected to a headless JSON-RPC server (service/rpc recognises
// it by its first bytes): it attaches with mode "remote" to the session
// that server owns.
//
// It may import service, service/api and service/debugger, never
// pkg/terminal or cmd; cmd/godbg/dap.go wires it to the command line.
package dap
