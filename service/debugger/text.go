package debugger

// readText reads program text at addr as the program's own code, hiding
// anything the debugger patched into it (breakpoints). Every reader of
// code (disassembly, prologue analysis) goes through it.
func (d *Debugger) readText(addr uint64, buf []byte) error {
	_, err := d.proc().ReadText(addr, buf)
	return err
}
