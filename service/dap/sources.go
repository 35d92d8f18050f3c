package dap

import (
	"fmt"
	"path/filepath"

	"github.com/google/go-dap"
)

func (s *session) onLoadedSources() (dap.ResponseMessage, error) {
	if err := s.stopped(); err != nil {
		return nil, err
	}
	files, err := s.client.ListSources("")
	if err != nil {
		return nil, err
	}
	out := make([]dap.Source, 0, len(files))
	for _, f := range files {
		out = append(out, dap.Source{Name: filepath.Base(f), Path: s.opts.toClient(f)})
	}
	return &dap.LoadedSourcesResponse{Body: dap.LoadedSourcesResponseBody{Sources: out}}, nil
}

// onModules lists the program and the shared libraries it has mapped.
func (s *session) onModules(r *dap.ModulesRequest) (dap.ResponseMessage, error) {
	if err := s.stopped(); err != nil {
		return nil, err
	}
	libs, err := s.client.Libraries()
	if err != nil {
		return nil, err
	}
	mods := make([]dap.Module, 0, len(libs))
	for _, l := range libs {
		m := dap.Module{Id: l.Path, Name: filepath.Base(l.Path), Path: l.Path, AddressRange: fmt.Sprintf("%#x", l.Address), SymbolStatus: "Symbols not loaded"}
		if l.Symbols {
			m.SymbolStatus = "Symbols loaded"
		}
		mods = append(mods, m)
	}
	total := len(mods)
	if start := r.Arguments.StartModule; start > 0 {
		mods = mods[min(start, len(mods)):]
	}
	if n := r.Arguments.ModuleCount; n > 0 && n < len(mods) {
		mods = mods[:n]
	}
	return &dap.ModulesResponse{Body: dap.ModulesResponseBody{Modules: mods, TotalModules: total}}, nil
}
