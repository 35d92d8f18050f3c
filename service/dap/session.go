package dap

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"runtime/debug"
	"sync"
	"time"

	"github.com/google/go-dap"

	"github.com/godbg/godbg/service"
	"github.com/godbg/godbg/service/api"
)

// Errors a client sees for requests out of place.
var (
	// ErrNoProgram: a request that needs a program before launch or attach.
	ErrNoProgram = errors.New("no program is being debugged; send launch or attach first")
	// ErrRunning: a request that needs the program stopped while it runs.
	ErrRunning = errors.New("the program is running; pause it first")
	// ErrGone: the program has exited or was let go.
	ErrGone = errors.New("the program is no longer being debugged")
)

// session is one client's connection and the debugging session it drives.
type session struct {
	conn net.Conn
	r    *bufio.Reader
	log  *slog.Logger

	wmu   sync.Mutex // one message at a time on the wire
	w     *bufio.Writer
	seq   int
	wdead bool          // a write failed: the client is gone
	done  chan struct{} // closed when serve returns

	// opMu serialises requests and stop reports; everything below that
	// is not under stMu is guarded by it.
	initTimeout time.Duration // to wait for initialize; 0: forever
	onInit      func()        // called once initialize is answered
	initialized bool

	opMu    sync.Mutex
	after   []func() // run after the current response is written
	closing bool     // disconnect answered: end the connection

	client        service.Client
	launched      bool
	stopOnEntry   bool
	root          string   // thread names show files relative to it
	cleanup       []func() // temporary build directory
	out           *outputs // the launched program's stdout and stderr
	warmed        bool     // warm ran
	core          bool     // a core file: nothing runs
	launchArgs    *launchArgs
	gen           int // counts restarts; guarded by opMu
	opts          commonArgs
	remote        service.Client // a headless server's session (ServeRemote)
	token         string         // the headless server's token
	newConsole    NewConsole     // terminal commands in the debug console
	console       func(string) (string, error)
	relay         Relay // runInTerminal's command; nil: none
	runInTerminal bool  // the client said supportsRunInTerminalRequest
	exc           excState

	stMu    sync.Mutex
	running bool
	runDone chan struct{}
	quiet   bool      // a halt we made: resumed, not reported
	halted  bool      // the last run ended in a quiet halt
	pausing bool      // a pause's halt loop runs
	ending  bool      // the session ends: report nothing more
	exited  bool      // exited and terminated were sent
	endOnce sync.Once // the teardown
	endErr  error

	stop     stopInfo
	sel      selection
	handles  handles
	threads  []dap.Thread // as last listed, for threads while running
	osTids   map[int]bool // thread ids that are OS threads, not goroutines
	notedCap bool         // the console was told threads are capped
	bps      breakpoints
	watches  []int // watch: the client's data breakpoints (watch.go)
}

// stopInfo is the stop the program is at.
type stopInfo struct {
	thread int // DAP thread id of the goroutine (or OS thread) that stopped
	g      *api.Goroutine
	// returned are the results of the function a step out left, shown
	// in the Locals of the thread's innermost frame.
	returned []api.Variable
}

// selection is what the debugger has selected, to skip needless
// SwitchGoroutine and SelectFrame calls.
type selection struct {
	ok     bool
	thread int
	frame  int
}

func newSession(c net.Conn, log *slog.Logger) *session {
	return &session{conn: c, r: bufio.NewReaderSize(c, 64<<10), w: bufio.NewWriterSize(c, 64<<10), log: log, osTids: map[int]bool{}, done: make(chan struct{})}
}

// serve reads and answers requests until the client disconnects or the
// connection ends.
func (s *session) serve() {
	defer func() {
		s.shutdown()
		s.conn.Close()
		close(s.done)
	}()
	if s.initTimeout > 0 {
		s.conn.SetReadDeadline(time.Now().Add(s.initTimeout))
	}
	bad := 0
	for !s.closing {
		body, skipped, err := readFrame(s.r)
		if errors.Is(err, errTooLong) {
			s.log.Warn("dropping a client", "err", err)
			s.sendError(0, "", err)
			return
		}
		if ne, ok := err.(net.Error); ok && ne.Timeout() && !s.initialized {
			s.log.Warn("dropping a client that sent no initialize", "after", s.initTimeout)
			s.sendError(0, "", fmt.Errorf("no initialize request within %v; closing the connection", s.initTimeout))
			return
		}
		if skipped != nil {
			s.sendError(0, "", skipped)
		}
		var fe *frameError
		if errors.As(err, &fe) {
			s.sendError(0, "", fe)
			if bad++; bad >= maxBadInRow {
				s.log.Warn("dropping a client that does not speak DAP")
				return
			}
			continue
		}
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				s.log.Info("connection ended", "err", err)
			}
			return
		}
		bad = 0
		s.handleMessage(body)
	}
}

// handleMessage decodes one message and answers it.
func (s *session) handleMessage(b []byte) {
	m, err := dap.DecodeProtocolMessage(b)
	if err != nil {
		var head struct {
			Seq     int    `json:"seq"`
			Type    string `json:"type"`
			Command string `json:"command"`
		}
		jerr := json.Unmarshal(b, &head)
		var fe *dap.DecodeProtocolMessageFieldError
		switch {
		case jerr != nil:
			s.sendError(0, "", fmt.Errorf("message is not JSON: %v", jerr))
		case errors.As(err, &fe) && fe.SubType == "Request":
			s.sendError(head.Seq, head.Command, fmt.Errorf("unknown command %q", head.Command))
		case errors.As(err, &fe) && fe.SubType == "ProtocolMessage":
			s.sendError(head.Seq, head.Command, fmt.Errorf("message type %q is not request, response or event", head.Type))
		case head.Type == "request":
			s.sendError(head.Seq, head.Command, fmt.Errorf("%s: bad arguments: %v", head.Command, err))
		}
		return // a response or event we cannot read: we sent no request
	}
	req, ok := m.(dap.RequestMessage)
	if !ok {
		return // responses and events from the client need no answer
	}
	s.opMu.Lock()
	defer s.opMu.Unlock()
	r := req.GetRequest()
	s.log.Debug("request", "command", r.Command, "seq", r.Seq)
	resp, err := s.safeHandle(req, b)
	if err != nil {
		s.sendError(r.Seq, r.Command, err)
	} else {
		h := resp.GetResponse()
		h.Type, h.Command, h.RequestSeq, h.Success = "response", r.Command, r.Seq, true
		s.send(resp)
	}
	if _, ok := req.(*dap.InitializeRequest); ok && err == nil && !s.initialized {
		s.initialized = true
		s.conn.SetReadDeadline(time.Time{})
		if s.onInit != nil {
			s.onInit()
		}
	}
	after := s.after
	s.after = nil
	for _, f := range after {
		f()
	}
}

// safeHandle answers a request; a panic becomes an error response.
func (s *session) safeHandle(req dap.RequestMessage, raw []byte) (resp dap.ResponseMessage, err error) {
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("panic handling a request", "command", req.GetRequest().Command, "panic", p, "stack", string(debug.Stack()))
			resp, err = nil, fmt.Errorf("internal error in %s: %v", req.GetRequest().Command, p)
			s.after = nil
		}
	}()
	return s.route(req, raw)
}

// route calls the handler for a request.
func (s *session) route(req dap.RequestMessage, raw []byte) (dap.ResponseMessage, error) {
	switch r := req.(type) {
	case *dap.InitializeRequest:
		return s.onInitialize(r)
	case *dap.LaunchRequest:
		return s.onLaunch(r)
	case *dap.AttachRequest:
		return s.onAttach(r)
	case *dap.DisconnectRequest:
		return s.onDisconnect(raw)
	case *dap.TerminateRequest:
		return s.onTerminate()
	case *dap.ConfigurationDoneRequest:
		return s.onConfigurationDone()
	case *dap.SetBreakpointsRequest:
		return s.onSetBreakpoints(r)
	case *dap.SetFunctionBreakpointsRequest:
		return s.onSetFunctionBreakpoints(r)
	case *dap.SetExceptionBreakpointsRequest:
		return s.onSetExceptionBreakpoints(r)
	case *dap.ThreadsRequest:
		return s.onThreads()
	case *dap.StackTraceRequest:
		return s.onStackTrace(r)
	case *dap.ScopesRequest:
		return s.onScopes(r)
	case *dap.VariablesRequest:
		return s.onVariables(r)
	case *dap.EvaluateRequest:
		return s.onEvaluate(r)
	case *dap.SetVariableRequest:
		return s.onSetVariable(r)
	case *dap.ContinueRequest:
		return s.onContinue()
	case *dap.NextRequest:
		if r.Arguments.Granularity == "instruction" {
			return s.onStep("next", r.Arguments.ThreadId, s.client.StepInstruction, &dap.NextResponse{})
		}
		return s.onStep("next", r.Arguments.ThreadId, func() (*api.State, error) { return s.client.Next(1) }, &dap.NextResponse{})
	case *dap.StepInRequest:
		if r.Arguments.Granularity == "instruction" {
			return s.onStep("stepIn", r.Arguments.ThreadId, s.client.StepInstruction, &dap.StepInResponse{})
		}
		return s.onStep("stepIn", r.Arguments.ThreadId, func() (*api.State, error) { return s.client.Step() }, &dap.StepInResponse{})
	case *dap.StepOutRequest:
		return s.onStep("stepOut", r.Arguments.ThreadId, func() (*api.State, error) { return s.client.StepOut() }, &dap.StepOutResponse{})
	case *dap.PauseRequest:
		return s.onPause()
	// dap (issue 16): more of what editors use.
	case *dap.ExceptionInfoRequest:
		return s.onExceptionInfo(r)
	case *dap.SetInstructionBreakpointsRequest:
		return s.onSetInstructionBreakpoints(r)
	case *dap.ReadMemoryRequest:
		return s.onReadMemory(r)
	case *dap.WriteMemoryRequest:
		return s.onWriteMemory(r)
	case *dap.DisassembleRequest:
		return s.onDisassemble(r)
	case *dap.LoadedSourcesRequest:
		return s.onLoadedSources()
	case *dap.ModulesRequest:
		return s.onModules(r)
	case *dap.CompletionsRequest:
		return s.onCompletions(r)
	case *dap.RestartRequest:
		return s.onRestart(r)
	case *dap.BreakpointLocationsRequest:
		return s.onBreakpointLocations(r)
	// watch
	case *dap.DataBreakpointInfoRequest:
		return s.onDataBreakpointInfo(r)
	case *dap.SetDataBreakpointsRequest:
		return s.onSetDataBreakpoints(r)
	}
	return nil, fmt.Errorf("%s is not supported by godbg's DAP server", req.GetRequest().Command)
}

func (s *session) onInitialize(r *dap.InitializeRequest) (dap.ResponseMessage, error) {
	if r.Arguments.PathFormat != "" && r.Arguments.PathFormat != "path" {
		return nil, fmt.Errorf("initialize: pathFormat %q is not supported; use \"path\"", r.Arguments.PathFormat)
	}
	s.runInTerminal = r.Arguments.SupportsRunInTerminalRequest
	return &dap.InitializeResponse{Body: dap.Capabilities{
		SupportsConfigurationDoneRequest:  true,
		SupportsConditionalBreakpoints:    true,
		SupportsHitConditionalBreakpoints: true,
		SupportsFunctionBreakpoints:       true,
		SupportsSetVariable:               true,
		SupportsEvaluateForHovers:         true,
		SupportsDelayedStackTraceLoading:  true,
		SupportsTerminateRequest:          true,
		SupportTerminateDebuggee:          true,
		SupportsClipboardContext:          true,
		// dap (issue 16)
		SupportsExceptionInfoRequest:       true,
		ExceptionBreakpointFilters:         exceptionFilters,
		SupportsLogPoints:                  true,
		SupportsInstructionBreakpoints:     true,
		SupportsSteppingGranularity:        true,
		SupportsReadMemoryRequest:          true,
		SupportsWriteMemoryRequest:         true,
		SupportsDisassembleRequest:         true,
		SupportsLoadedSourcesRequest:       true,
		SupportsModulesRequest:             true,
		SupportsCompletionsRequest:         true,
		SupportsRestartRequest:             true,
		SupportsBreakpointLocationsRequest: true,
		SupportsDataBreakpoints:            true, // watch
	}}, nil
}

// send writes one message with the next sequence number.
func (s *session) send(m dap.Message) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.seq++
	switch m := m.(type) {
	case dap.ResponseMessage:
		m.GetResponse().Seq = s.seq
	case dap.EventMessage:
		m.GetEvent().Seq = s.seq
	case dap.RequestMessage:
		m.GetRequest().Seq = s.seq // runInTerminal
	}
	if s.wdead {
		return
	}
	err := dap.WriteProtocolMessage(s.w, m)
	if err == nil {
		err = s.w.Flush()
	}
	if err != nil {
		s.wdead = true
		s.log.Info("writing to the client", "err", err)
	}
}

// sendError answers request seq (0: a message we could not read) with err.
func (s *session) sendError(seq int, command string, err error) {
	s.log.Debug("error response", "command", command, "seq", seq, "err", err)
	s.send(&dap.ErrorResponse{
		Response: dap.Response{ProtocolMessage: dap.ProtocolMessage{Type: "response"}, Command: command, RequestSeq: seq, Message: err.Error()},
		Body:     dap.ErrorResponseBody{Error: &dap.ErrorMessage{Id: 1, Format: err.Error(), ShowUser: true}},
	})
}

// event sends an event of the given name.
func (s *session) event(name string, e dap.EventMessage) {
	h := e.GetEvent()
	h.Type, h.Event = "event", name
	s.send(e)
}

// output sends text to the client's debug console.
func (s *session) output(category, text string) {
	s.event("output", &dap.OutputEvent{Body: dap.OutputEventBody{Category: category, Output: text}})
}

// stopped checks a request that needs a stopped program.
func (s *session) stopped() error {
	if s.client == nil {
		return ErrNoProgram
	}
	s.stMu.Lock()
	defer s.stMu.Unlock()
	if s.running {
		return ErrRunning
	}
	if s.exited {
		return ErrGone
	}
	return nil
}

// unmarshalArgs decodes a launch or attach request's arguments.
func unmarshalArgs(raw json.RawMessage, v any) error {
	if len(raw) == 0 {
		return errors.New("no arguments")
	}
	return json.Unmarshal(raw, v)
}
