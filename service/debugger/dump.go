package debugger

import (
	"fmt"

	ptarget "github.com/godbg/godbg/pkg/proc/target"
)

// Dump writes an ELF core of the current target (every thread, every
// readable mapping; breakpoints hidden) that godbg core and gdb open. The
// program stays stopped until the next continue.
func (d *Debugger) Dump(path string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, err := d.live(); err != nil {
		return err
	}
	p := d.tgt.Proc
	if p == nil {
		return fmt.Errorf("dump needs a live process; this is a core file already")
	}
	return ptarget.DumpCore(p, d.cur, path) // its errors name the process and the file
}
