package debugger

import "github.com/godbg/godbg/pkg/locspec"

// Substitute-path (config substitute-path FROM TO): the executable's
// debug info names the files where it was built; Config.LocalPath maps
// them to where they are here. The debugger reads sources through it,
// reports locations with the local path and maps file:line locations
// given with a local path back to the build's.

// localPath is where the build's file path is here.
func (d *Debugger) localPath(p string) string {
	if d.cfg.LocalPath == nil || p == "" {
		return p
	}
	return d.cfg.LocalPath(p)
}

// parseSpec parses a location spec, mapping a local file path to the
// build's.
func (d *Debugger) parseSpec(loc string) (locspec.Spec, error) {
	s, err := locspec.Parse(loc)
	if err == nil && s.File != "" && d.cfg.BuildPath != nil {
		s.File = d.cfg.BuildPath(s.File)
	}
	return s, err
}
