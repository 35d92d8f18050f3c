package native

import "sync/atomic"

// generation counts, for every process this backend traces, the requests
// that may change a process's memory or registers: every ptrace request
// but those that only read (ptrace_linux_amd64.go) and every WriteMemory
// (proc.Generations; issue 12). One count for all processes: a change in
// any of them counts for each, which only makes a plan checked against
// it be remade.
var generation atomic.Uint64

// Generation implements proc.Generations.
func (p *nproc) Generation() uint64 { return generation.Load() }

// changed counts one request that may change a process.
func changed() { generation.Add(1) }
