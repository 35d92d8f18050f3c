package dap

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/google/go-dap"

	"github.com/godbg/godbg/service/debugger"
)

// readEnvFile adds the KEY=VALUE lines of envFile to env (blank lines
// and # comments skipped, "export " and quotes allowed); env's own
// entries win.
func (a *launchArgs) readEnvFile() error {
	if a.EnvFile == "" {
		return nil
	}
	f, err := os.Open(a.EnvFile)
	if err != nil {
		return fmt.Errorf("launch: envFile: %w", err)
	}
	defer f.Close()
	if a.Env == nil {
		a.Env = map[string]*string{}
	}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return fmt.Errorf("launch: envFile %s:%d: %q is not KEY=VALUE", a.EnvFile, n, line)
		}
		v = strings.TrimSpace(v)
		if uq, err := strconv.Unquote(v); err == nil && (strings.HasPrefix(v, `"`) || strings.HasPrefix(v, "'")) {
			v = uq
		} else if len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
			v = v[1 : len(v)-1]
		}
		if _, set := a.Env[k]; !set {
			a.Env[k] = &v
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("launch: envFile: %w", err)
	}
	return nil
}

// launchCore opens a core file (mode "core"): the program stands still
// at the crash; variables, stacks and memory can be read, nothing run.
func (s *session) launchCore(a *launchArgs) (dap.ResponseMessage, error) {
	if a.CoreFilePath == "" {
		return nil, errors.New(`launch: mode "core" needs "coreFilePath" (and "program": the binary that dumped it)`)
	}
	if _, err := os.Stat(a.CoreFilePath); err != nil {
		return nil, fmt.Errorf("launch: coreFilePath %s: %v", a.CoreFilePath, errors.Unwrap(err))
	}
	d, st, err := debugger.New(debugger.Config{Path: a.Program, CorePath: a.CoreFilePath})
	if err != nil {
		return nil, fmt.Errorf("launch: %w", err)
	}
	s.client, s.opts = d, a.commonArgs
	if a.Program != "" {
		s.root = filepath.Dir(a.Program)
	}
	s.core = true
	s.noteStop(st)
	s.after = append(s.after, func() {
		s.processEvent(a.CoreFilePath, st.Pid, "attach")
		s.event("initialized", &dap.InitializedEvent{})
	})
	return &dap.LaunchResponse{}, nil
}
