package core

import "github.com/godbg/godbg/pkg/proc"

var _ proc.Mapper = (*cproc)(nil)

// Mappings lists the file mappings the core's NT_FILE note records (no
// permissions: the note has none). The executable's are named by the
// path the core was opened with, which may differ from the recorded one
// (a renamed or moved executable).
func (p *cproc) Mappings() ([]proc.Mapping, error) {
	exe := ""
	if p.hasEntry {
		if fm := mapAt(p.c.files, p.entry); fm != nil {
			exe = fm.Path
		}
	}
	out := make([]proc.Mapping, 0, len(p.c.files))
	for _, f := range p.c.files {
		m := proc.Mapping{Start: f.Start, End: f.End, Offset: f.Offset, Path: f.Path}
		if exe != "" && f.Path == exe {
			m.Path = p.exe
		}
		out = append(out, m)
	}
	return out, nil
}
