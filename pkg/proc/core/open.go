package core

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/godbg/godbg/pkg/proc"
)

// Open reads the core file corePath, dumped from the program exePath, as
// a proc.Inspector (nothing in it runs). It refuses (with a *MismatchError) a core that
// another program dumped, and explains what is wrong with a damaged one
// (a *FormatError). The process keeps both files open until its Close
// method (it implements io.Closer) is called.
//
// With exePath "", the executable is the file the core says was mapped at
// its entry point (NT_FILE and AT_ENTRY), if it is still there.
func Open(exePath, corePath string) (proc.Inspector, error) {
	c, err := openCore(corePath)
	if err != nil {
		return nil, err
	}
	if exePath == "" {
		if exePath, err = c.executablePath(); err != nil {
			c.r.(*os.File).Close()
			return nil, err
		}
	}
	e, err := openExe(exePath)
	if err != nil {
		c.r.(*os.File).Close()
		return nil, err
	}
	p, err := newProcess(c, e)
	if err != nil {
		c.r.(*os.File).Close()
		e.f.Close()
		return nil, err
	}
	return p, nil
}

func openCore(path string) (*coreFile, error) {
	f, err := os.Open(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the message names the file already
		}
		return nil, &FormatError{Path: path, Msg: "cannot open it", Err: err}
	}
	st, err := f.Stat()
	if err == nil && st.IsDir() {
		err = fmt.Errorf("it is a directory")
	}
	if err != nil {
		f.Close()
		return nil, &FormatError{Path: path, Msg: "cannot read it", Err: err}
	}
	c, err := parseCore(f, st.Size(), path)
	if err != nil {
		f.Close()
		return nil, err
	}
	return c, nil
}

func newProcess(c *coreFile, e *exeInfo) (*cproc, error) {
	bias, exeMaps, err := match(c, e)
	if err != nil {
		return nil, err
	}
	exe := e.path
	if abs, err := filepath.Abs(exe); err == nil {
		exe = abs
	}
	p := &cproc{c: c, exe: exe, bias: bias, exeFile: e.f}
	p.mem = memory{c: c, exe: e.f, exeSize: e.size, exeMaps: exeMaps}
	p.pid = c.threads[0].tid
	if c.ps != nil && c.ps.pid > 0 {
		p.pid = c.ps.pid
	} else {
		for _, t := range c.threads {
			p.pid = min(p.pid, t.tid)
		}
	}
	if entry, ok := auxvEntry(c.auxv, atEntry); ok {
		p.entry, p.hasEntry = entry, true
	} else {
		p.entry, p.hasEntry = e.entry+bias, true
	}
	return p, nil
}

// executablePath is the path NT_FILE gives for the mapping at AT_ENTRY.
func (c *coreFile) executablePath() (string, error) {
	entry, ok := auxvEntry(c.auxv, atEntry)
	if !ok || !c.hasFiles {
		return "", formatErr(c.name, "it does not say which program it is of (no NT_AUXV or NT_FILE note); give the executable")
	}
	fm := mapAt(c.files, entry)
	if fm == nil {
		return "", formatErr(c.name, "no file is mapped at its entry point %#x; give the executable", entry)
	}
	return trimDeleted(fm.Path), nil
}
