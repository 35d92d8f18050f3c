// Package rpc serves a debugging session (any service.Client, in practice
// a *debugger.Debugger) over a stream connection, and implements
// service.Client over such a connection, so that `godbg connect` runs the
// ordinary terminal against a headless godbg.
//
// # Protocol
//
// Every message is one JSON object on one line (newline-delimited JSON).
//
// Handshake. The client opens with
//
//	{"godbg":1,"token":"..."}
//
// and the server answers {"ok":true,"multiclient":false} or
// {"error":"why"} and closes the connection. The server refuses a peer
// before reading anything when the socket belongs to another user (see
// Security) and answers an error then too.
//
// Requests and responses. After the handshake the client sends
//
//	{"id":7,"method":"ContinueWithSignal","params":["SIGUSR1"]}
//
// where method is the name of a service.Client method and params its
// arguments, in order, as a JSON array (omitted when there are none). The
// server answers {"id":7,"result":...} with the method's first result,
// or {"id":7,"error":"text"}. Requests are executed concurrently (the
// Debugger serialises them itself), so Halt works while Continue runs.
// Responses can therefore come out of order; match them by id.
//
// Limits, so that one client cannot exhaust the server. At most 16
// clients are connected at once, and at most 32 connections wait for
// their handshake (10 s each at most); more are answered with an error at
// once. A client has at
// most 16 requests in flight (running, or answered but not yet written
// because the client does not read); the server reads no more from it
// until one is done. A line that is not a request is answered
// {"error":"malformed request ..."} and the session goes on. A line
// longer than 64 MiB is answered with an error and the connection is
// closed. When a client's connection ends, the requests it queued and
// did not see started are dropped. Events wait for a client that does not
// read up to 8192; later ones are dropped and counted, and the client
// gets {"kind":"events-lost","text":"N events lost: ..."} once it reads.
//
// Special methods:
//   - Goroutines(filters, pageSize) returns the first page
//     {"stream":N,"goroutines":[...],"done":false,"err":""}; the client
//     asks GoroutinesNext(N) for the next one until done, or
//     GoroutinesStop(N) when it wants no more. The server lists in passes
//     of up to 100,000 goroutines, each one call of the backend, and keeps
//     the pass between pages: it never holds the session while a client
//     reads, so other clients go on meanwhile (if one of them resumes the
//     program, later pages show the program as it is then). Pages keep
//     messages small. A stream the client leaves alone for a minute is
//     ended; a connection has at most 2 open.
//   - Halt is answered at once, whatever is running.
//   - Shutdown ends the session the server holds (a launched program is
//     killed, an attached one detached), answers, and ends the server.
//   - Close is not a method: a client leaves by closing its connection.
//
// Events. The server pushes the api.Event values the debugger reports
// (new threads, signals, forks, traced system calls) as
// {"events":[...]} to every connected client. Events queued before a
// response are written before it, so a client prints "[new thread N]"
// ahead of the stop it preceded, as a local session does.
//
// # Lifecycle
//
// By default the server takes one client. When it leaves (Close, exit, a
// lost connection) the server halts whatever that client left running,
// applies the teardown (kill launched, detach attached) and Serve returns.
// With Multiclient, clients come and go (several may be connected) and a
// leaving client's running request is halted, so the next one finds the
// program stopped where it was; Shutdown ends the server.
//
// # Security
//
// Listen refuses a host-less (":PORT") or non-loopback TCP address unless
// AllowRemote is set. On loopback TCP, a connection whose socket belongs
// to another user id is refused (the peer's socket is looked up in
// /proc/net/tcp and tcp6). A unix socket ("unix:PATH") is created mode
// 0600 and a peer with another uid (SO_PEERCRED) is refused. With a token,
// the handshake must present it (compared in constant time).
//
// This package may import service, service/api and the standard library;
// cmd/godbg wires it (exec|attach|debug --headless, connect).
package rpc
