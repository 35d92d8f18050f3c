package debugger

// afterExec follows the process into the program it executed: the new
// executable's symbols are loaded and every breakpoint is resolved again
// in it (one it lacks stays pending for a later image).
func (d *Debugger) afterExec() {
	d.symbols = loadSymbols(d.proc().Executable())
	d.rearm()
	d.setInternalBreakpoints()
	d.updateStopOnExec()
}

// updateStopOnExec asks the backend to stop at an exec only when there
// are breakpoints to carry into the new image.
func (d *Debugger) updateStopOnExec() {
	if d.bp == nil {
		d.proc().SetStopOnExec(false)
		return
	}
	for _, b := range d.bp.byID {
		if b.catch == nil {
			d.proc().SetStopOnExec(true)
			return
		}
	}
	d.proc().SetStopOnExec(false)
}
