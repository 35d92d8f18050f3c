//go:build !(linux && amd64)

package stack

import "errors"

// Signal frames are only understood on Linux/amd64.
const ucMcontext = 40

var errNoSigframe = errors.New("signal frames are not supported on this platform")

func (w *walker) sigcontext(uc uint64) (Regs, error) { return Regs{}, errNoSigframe }

func (w *walker) isSigtramp(pc uint64) bool { return false }
