package debugger

import (
	"errors"

	"github.com/godbg/godbg/service/api"
)

// Placeholders until the source and disassembly work lands (delete this file then).
var errTODO = errors.New("not implemented yet")

func (d *Debugger) ListFunctions(filter string) ([]string, error) { return nil, errTODO }
func (d *Debugger) ListSources(filter string) ([]string, error)   { return nil, errTODO }
func (d *Debugger) ListSource(loc string, context int) (*api.SourceListing, error) {
	return nil, errTODO
}
func (d *Debugger) Disassemble(req api.DisassembleRequest) ([]api.Instruction, error) {
	return nil, errTODO
}
