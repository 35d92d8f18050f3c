package dap

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/google/go-dap"

	"github.com/godbg/godbg/service"
	"github.com/godbg/godbg/service/api"
	"github.com/godbg/godbg/service/debugger"
)

// launchArgs are the launch request's arguments godbg reads.
type launchArgs struct {
	commonArgs
	// Mode "exec": Program is a binary; "debug": a package directory (or
	// .go file) built with -gcflags=all=-N -l. Empty: "debug" for a
	// directory or .go file, else "exec".
	Mode    string   `json:"mode"`
	Program string   `json:"program"`
	Args    []string `json:"args"`
	Cwd     string   `json:"cwd"`
	// Env adds to (null: removes from) godbg's environment.
	Env         map[string]*string `json:"env"`
	StopOnEntry bool               `json:"stopOnEntry"`
	// BuildFlags go to go build in mode "debug": a string or a list.
	BuildFlags json.RawMessage `json:"buildFlags"`
	// Output is where mode "debug" or "test" writes the binary (kept);
	// empty: a temporary directory, removed at the end.
	Output string `json:"output"`
	// Console "integratedTerminal" or "externalTerminal" runs the
	// program's input and output in the editor's terminal (runInTerminal).
	Console string `json:"console"`
	// EnvFile holds KEY=VALUE lines; env wins over it.
	EnvFile string `json:"envFile"`
	// CoreFilePath is the core file of mode "core" (program: its binary).
	CoreFilePath string `json:"coreFilePath"`
}

type attachArgs struct {
	commonArgs
	Token       string `json:"token"` // mode "remote": the server's token
	Mode        string `json:"mode"`
	ProcessID   int    `json:"processId"`
	StopOnEntry bool   `json:"stopOnEntry"`
}

func (s *session) onLaunch(r *dap.LaunchRequest) (dap.ResponseMessage, error) {
	if s.client != nil {
		return nil, errors.New("launch: a program is already being debugged in this session")
	}
	if s.remote != nil {
		return nil, errors.New(`launch: this godbg --headless server debugs its own program; use attach with mode "remote"`)
	}
	var a launchArgs
	if err := unmarshalArgs(r.Arguments, &a); err != nil {
		return nil, fmt.Errorf("launch: bad arguments: %v", err)
	}
	if err := a.readEnvFile(); err != nil {
		return nil, err
	}
	if err := a.parseFilters(); err != nil {
		return nil, fmt.Errorf("launch: %w", err)
	}
	if err := s.showLog(&a.commonArgs); err != nil {
		return nil, fmt.Errorf("launch: %w", err)
	}
	if a.Mode == "core" {
		return s.launchCore(&a)
	}
	path, root, err := s.program(&a)
	if err != nil {
		return nil, err
	}
	term, err := s.terminal(&a, root)
	if err != nil {
		return nil, err
	}
	d, st, out, err := startProgram(debugger.Config{Path: path, Args: a.Args, Dir: a.Cwd}, a.Env, term)
	if err != nil {
		return nil, fmt.Errorf("launch: %w", err)
	}
	s.client, s.launched, s.stopOnEntry, s.out, s.root = d, true, a.StopOnEntry, out, root
	s.opts = a.commonArgs
	s.launchArgs = &a
	out.start(s)
	s.noteStop(st)
	s.after = append(s.after, func() {
		s.processEvent(a.Program, st.Pid, "launch")
		s.event("initialized", &dap.InitializedEvent{})
	})
	return &dap.LaunchResponse{}, nil
}

// program finds the binary to launch (building it in mode "debug") and
// the directory thread names are relative to; it makes a.Cwd absolute.
func (s *session) program(a *launchArgs) (path, root string, err error) {
	if a.Program == "" {
		return "", "", errors.New(`launch: "program" is required: the binary to run (mode "exec") or the package directory to build (mode "debug")`)
	}
	base, err := os.Getwd()
	if err != nil {
		return "", "", err
	}
	if a.Cwd != "" {
		if !filepath.IsAbs(a.Cwd) {
			a.Cwd = filepath.Join(base, a.Cwd)
		}
		if fi, err := os.Stat(a.Cwd); err != nil || !fi.IsDir() {
			return "", "", fmt.Errorf("launch: cwd %s is not a directory", a.Cwd)
		}
		base = a.Cwd
	}
	prog := a.Program
	if !filepath.IsAbs(prog) {
		prog = filepath.Join(base, prog)
	}
	fi, err := os.Stat(prog)
	if err != nil {
		return "", "", fmt.Errorf("launch: program %s: %v", a.Program, errors.Unwrap(err))
	}
	mode := a.Mode
	if mode == "" {
		mode = "exec"
		if fi.IsDir() || strings.HasSuffix(prog, ".go") {
			mode = "debug"
		}
	}
	switch mode {
	case "exec":
		return prog, base, nil
	case "debug", "test":
		flags, err := buildFlags(a.BuildFlags)
		if err != nil {
			return "", "", err
		}
		bin, cleanup, err := buildDebug(prog, mode == "test", a.outputPath(base), flags)
		if err != nil {
			return "", "", err
		}
		s.cleanup = append(s.cleanup, cleanup)
		if !fi.IsDir() {
			prog = filepath.Dir(prog)
		}
		return bin, prog, nil
	}
	return "", "", fmt.Errorf(`launch: mode %q is not supported; use "exec" (a binary), "debug" (a package to build), "test" (a package's tests) or "core" (with "coreFilePath")`, mode)
}

func (s *session) onAttach(r *dap.AttachRequest) (dap.ResponseMessage, error) {
	if s.client != nil {
		return nil, errors.New("attach: a program is already being debugged in this session")
	}
	var a attachArgs
	if err := unmarshalArgs(r.Arguments, &a); err != nil {
		return nil, fmt.Errorf("attach: bad arguments: %v", err)
	}
	if err := a.parseFilters(); err != nil {
		return nil, fmt.Errorf("attach: %w", err)
	}
	if err := s.showLog(&a.commonArgs); err != nil {
		return nil, fmt.Errorf("attach: %w", err)
	}
	if s.remote != nil {
		return s.attachRemote(&a)
	}
	if a.Mode == "remote" {
		return nil, fmt.Errorf(`attach: mode "remote" is for a godbg --headless server (godbg exec --headless --listen ADDR); this "godbg dap" server launches or attaches itself: use mode "local" with "processId", or launch`)
	}
	if a.Mode != "" && a.Mode != "local" {
		return nil, fmt.Errorf(`attach: mode %q is not supported; use "local" with "processId"`, a.Mode)
	}
	if a.ProcessID <= 0 {
		return nil, errors.New(`attach: "processId" must be the pid of a running process`)
	}
	d, st, err := debugger.New(debugger.Config{AttachPid: a.ProcessID, EagerLines: true})
	if err != nil {
		return nil, fmt.Errorf("attach: %w", err)
	}
	return s.attached(d, st, &a), nil
}

// attached makes c (at state st) the session's program, attached to.
func (s *session) attached(c service.Client, st *api.State, a *attachArgs) dap.ResponseMessage {
	s.client, s.stopOnEntry, s.opts = c, a.StopOnEntry, a.commonArgs
	s.root, _ = os.Readlink(fmt.Sprintf("/proc/%d/cwd", st.Pid))
	s.noteStop(st)
	s.after = append(s.after, func() {
		exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", st.Pid))
		s.processEvent(exe, st.Pid, "attach")
		s.event("initialized", &dap.InitializedEvent{})
	})
	return &dap.AttachResponse{}
}

// processEvent tells the client which process it debugs.
func (s *session) processEvent(name string, pid int, how string) {
	s.event("process", &dap.ProcessEvent{Body: dap.ProcessEventBody{
		Name: name, SystemProcessId: pid, IsLocalProcess: true, StartMethod: how, PointerSize: 8,
	}})
}

// warm reads the program's variable and type information once, after
// configurationDone is answered and before the program runs, so that the
// first stop's variables come as fast as the others (it costs ~40-100 ms
// on a small program). Not at launch: it holds the debugger, and the
// breakpoints an editor sets right after launch must not wait for it.
func (s *session) warm() {
	if s.warmed {
		return
	}
	s.warmed = true
	defer s.guard("reading the program's symbols")
	s.client.Locals("", api.LoadConfig{MaxArrayValues: 1, MaxStringLen: 1})
}

// buildFlags reads buildFlags given as a string ("-tags x") or a list.
func buildFlags(raw json.RawMessage) ([]string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strings.Fields(s), nil
	}
	var l []string
	if err := json.Unmarshal(raw, &l); err != nil {
		return nil, fmt.Errorf("launch: buildFlags must be a string or a list of strings")
	}
	return l, nil
}

// buildDebug builds a package (directory) or a .go file without
// optimisations into output (if set) or a new temporary directory; test:
// its test binary (go test -c).
func buildDebug(prog string, test bool, output string, flags []string) (string, func(), error) {
	bin, cleanup := output, func() {}
	if output == "" {
		dir, err := os.MkdirTemp("", "godbg-dap-")
		if err != nil {
			return "", nil, err
		}
		cleanup = func() { os.RemoveAll(dir) }
		bin = filepath.Join(dir, "__debug_bin")
	}
	args := append([]string{"build", "-gcflags=all=-N -l", "-o", bin}, flags...)
	if test {
		args = append([]string{"test", "-c", "-gcflags=all=-N -l", "-o", bin}, flags...)
	}
	cmd := exec.Command("go", args...)
	if fi, err := os.Stat(prog); err == nil && fi.IsDir() {
		cmd.Dir, cmd.Args = prog, append(cmd.Args, ".")
	} else {
		cmd.Dir, cmd.Args = filepath.Dir(prog), append(cmd.Args, prog)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		cleanup()
		text := strings.TrimSpace(string(out))
		if len(text) > 4000 {
			text = text[:4000] + "\n..."
		}
		return "", nil, fmt.Errorf("building %s failed (%v); fix the build errors:\n%s", prog, err, text)
	}
	return bin, cleanup, nil
}

// startProgram launches cfg's program with its standard output and error
// on pipes (forwarded as output events) and /dev/null as its input; or,
// with term (a terminal's relay, runInTerminal), input from term and
// output to it. env changes godbg's environment for the program (a nil
// value unsets).
func startProgram(cfg debugger.Config, env map[string]*string, term net.Conn) (*debugger.Debugger, *api.State, *outputs, error) {
	cfg.EagerLines = true // churn: the editor's first breakpoints come at once
	stdin, err := os.Open(os.DevNull)
	if err != nil {
		return nil, nil, nil, err
	}
	var inW *os.File
	if term != nil {
		stdin.Close()
		if stdin, inW, err = os.Pipe(); err != nil {
			return nil, nil, nil, err
		}
	}
	defer stdin.Close()
	outR, outW, err := os.Pipe()
	if err != nil {
		return nil, nil, nil, err
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		outR.Close()
		outW.Close()
		return nil, nil, nil, err
	}
	cfg.Stdin, cfg.Stdout, cfg.Stderr = stdin, outW, errW
	if len(env) > 0 {
		cfg.Env = programEnv(os.Environ(), env)
	}
	d, st, err := debugger.New(cfg)
	outW.Close()
	errW.Close()
	if err != nil {
		outR.Close()
		errR.Close()
		if inW != nil {
			inW.Close()
		}
		return nil, nil, nil, err
	}
	o := &outputs{files: []*os.File{outR, errR}, categories: []string{"stdout", "stderr"}}
	if term != nil {
		o.term = term
		go func() {
			io.Copy(inW, term)
			inW.Close()
		}()
	}
	return d, st, o, nil
}

// programEnv is base with env applied: a value sets, nil unsets.
func programEnv(base []string, env map[string]*string) []string {
	out := make([]string, 0, len(base)+len(env))
	for _, kv := range base {
		k, _, _ := strings.Cut(kv, "=")
		if _, changed := env[k]; !changed {
			out = append(out, kv)
		}
	}
	for k, v := range env {
		if v != nil {
			out = append(out, k+"="+*v)
		}
	}
	return out
}

// outputs forwards a launched program's stdout and stderr.
type outputs struct {
	files      []*os.File
	categories []string
	wg         sync.WaitGroup
	// term, if set, gets the output as it is (a terminal's relay)
	// instead of output events; it is closed with the pipes.
	term  net.Conn
	termW sync.Mutex
}

func (o *outputs) start(s *session) {
	for i, f := range o.files {
		o.wg.Add(1)
		go o.forward(s, f, o.categories[i])
	}
	if o.term != nil {
		go func() {
			o.wg.Wait()
			o.term.Close() // the program's output ended: the relay ends
		}()
	}
}

// forward sends what the program writes, whole runes at a time.
func (o *outputs) forward(s *session, f *os.File, category string) {
	defer o.wg.Done()
	buf := make([]byte, 32<<10)
	held := 0
	for {
		n, err := f.Read(buf[held:])
		if o.term != nil {
			o.termW.Lock()
			o.term.Write(buf[:n])
			o.termW.Unlock()
			if err != nil {
				return
			}
			continue
		}
		n += held
		text, rest := completeRunes(buf[:n])
		if len(text) > 0 {
			s.output(category, string(text))
		}
		held = copy(buf, rest)
		if err != nil {
			if held > 0 {
				s.output(category, string(buf[:held]))
			}
			return
		}
	}
}

// completeRunes splits b before a rune cut off at its end.
func completeRunes(b []byte) ([]byte, []byte) {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return b[:i], b[i:]
			}
			break
		}
	}
	return b, nil
}

// wait waits up to d for the program's output to end (it has exited and
// the pipes are drained).
func (o *outputs) wait(d time.Duration) {
	done := make(chan struct{})
	go func() {
		o.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(d):
	}
}

func (o *outputs) close() {
	for _, f := range o.files {
		f.Close()
	}
	if o.term != nil {
		o.term.Close()
	}
}

// outputPath is the output option made absolute (relative to base).
func (a *launchArgs) outputPath(base string) string {
	if a.Output == "" || filepath.IsAbs(a.Output) {
		return a.Output
	}
	return filepath.Join(base, a.Output)
}
