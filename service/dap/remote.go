package dap

import (
	"bufio"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"time"

	"github.com/google/go-dap"

	"github.com/godbg/godbg/service"
)

// RemoteConfig configures ServeRemote.
type RemoteConfig struct {
	// Log as in Config.
	Log *slog.Logger
	// InitTimeout as in Config.
	InitTimeout time.Duration
	// Token, if set, must be given as the attach request's "token".
	Token string
	// Console as in Config.
	Console NewConsole
}

// ServeRemote serves one DAP client that connected to a headless
// server (godbg exec|attach|debug --headless), which already checked the
// peer, for the session b that server owns: the client attaches with
// mode "remote" (vscode-go's "attach, mode remote"); launch and other
// attaches are refused. r holds what was read from nc to recognise DAP.
// The session stays the server's: disconnect halts what the client left
// running and leaves the program to the server's policy (it is killed
// only with terminateDebuggee).
func ServeRemote(nc net.Conn, r *bufio.Reader, b service.Client, cfg RemoteConfig) {
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := newSession(nc, log.With("layer", "dap"))
	s.r = r
	s.remote, s.token, s.newConsole = b, cfg.Token, cfg.Console
	s.initTimeout = cfg.InitTimeout
	if s.initTimeout <= 0 {
		s.initTimeout = DefaultInitTimeout
	}
	s.log.Info("remote client connected", "peer", nc.RemoteAddr().String())
	s.serve()
}

// attachRemote takes the server's session for the client.
func (s *session) attachRemote(a *attachArgs) (dap.ResponseMessage, error) {
	if a.Mode != "remote" {
		return nil, fmt.Errorf(`attach: this is a godbg --headless server, which debugs its own program: use mode "remote"`)
	}
	if s.token != "" && subtle.ConstantTimeCompare(digest(a.Token), digest(s.token)) != 1 {
		return nil, errors.New(`attach: the server needs its token: give it as "token" in the attach configuration`)
	}
	st, err := s.remote.State()
	if err != nil {
		return nil, fmt.Errorf("attach: %w", err)
	}
	if st.Exited || st.Detached {
		return nil, fmt.Errorf("attach: process %d is no longer being debugged", st.Pid)
	}
	return s.attached(s.remote, st, a), nil
}

func digest(s string) []byte {
	d := sha256.Sum256([]byte(s))
	return d[:]
}

// endRemote ends a remote client's part: the program is killed if asked,
// else left to the server, stopped, without this client's breakpoints
// (an editor sets its own again when it comes back).
func (s *session) endRemote(terminate *bool) error {
	if terminate != nil && *terminate {
		return s.client.Kill()
	}
	for _, es := range s.bps.lists() {
		for i := range es {
			if es[i].id != 0 {
				s.client.ClearBreakpoint(strconv.Itoa(es[i].id)) // gone already: fine
				es[i].id = 0
			}
		}
	}
	return nil
}
