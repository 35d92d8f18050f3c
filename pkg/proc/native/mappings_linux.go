package native

import "github.com/godbg/godbg/pkg/proc"

var _ proc.Mapper = (*nproc)(nil)

// Mappings lists the process's mappings from /proc/<pid>/maps.
func (p *nproc) Mappings() ([]proc.Mapping, error) { return Mappings(p.pid) }
