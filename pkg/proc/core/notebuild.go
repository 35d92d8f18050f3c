package core

import (
	"bytes"
	"strings"
)

// buildNotes encodes the PT_NOTE segment in the kernel's order: the first
// thread's NT_PRSTATUS, then NT_PRPSINFO, NT_SIGINFO, NT_AUXV, NT_FILE and
// its NT_FPREGSET; then each other thread's NT_PRSTATUS and NT_FPREGSET.
func buildNotes(img *image) []byte {
	var b bytes.Buffer
	for i := range img.threads {
		t := &img.threads[i]
		putNote(&b, "CORE", ntPrstatus, prstatus(img, t))
		if i == 0 {
			putNote(&b, "CORE", ntPrpsinfo, prpsinfo(img))
			if t.sig != 0 {
				si := make([]byte, siginfoSize)
				le.PutUint32(si, uint32(t.sig))
				putNote(&b, "CORE", ntSiginfo, si)
			}
			if len(img.auxv) > 0 {
				putNote(&b, "CORE", ntAuxv, img.auxv)
			}
			if len(img.files) > 0 {
				putNote(&b, "CORE", ntFile, ntFileDesc(img.files))
			}
		}
		if t.fp != nil {
			putNote(&b, "CORE", ntFpregset, t.fp[:])
		}
	}
	return b.Bytes()
}

func putNote(b *bytes.Buffer, name string, typ uint32, desc []byte) {
	var h [12]byte
	le.PutUint32(h[0:], uint32(len(name)+1))
	le.PutUint32(h[4:], uint32(len(desc)))
	le.PutUint32(h[8:], typ)
	b.Write(h[:])
	b.WriteString(name)
	b.Write(make([]byte, align4(uint64(len(name)+1))-uint64(len(name))))
	b.Write(desc)
	b.Write(make([]byte, align4(uint64(len(desc)))-uint64(len(desc))))
}

func prstatus(img *image, t *threadImage) []byte {
	d := make([]byte, prstatusSize)
	le.PutUint32(d[0:], uint32(t.sig)) // si_signo
	le.PutUint16(d[prstatusCursig:], uint16(t.sig))
	le.PutUint64(d[16:], t.sigpend)
	le.PutUint64(d[24:], t.sighold)
	le.PutUint32(d[prstatusPid:], uint32(t.tid))
	le.PutUint32(d[prstatusPpid:], uint32(img.ppid))
	le.PutUint32(d[prstatusPgrp:], uint32(img.pgrp))
	le.PutUint32(d[prstatusSid:], uint32(img.sid))
	for i, v := range t.gp {
		le.PutUint64(d[prstatusRegs+8*i:], v)
	}
	if t.fp != nil {
		le.PutUint32(d[prstatusFPValid:], 1)
	}
	return d
}

func prpsinfo(img *image) []byte {
	d := make([]byte, prpsinfoSize)
	st := strings.IndexByte("RSDTZW", img.state)
	if img.state == 't' {
		st = 3
	}
	if st < 0 {
		d[prpsinfoState], d[prpsinfoSname] = 0, '.'
	} else {
		d[prpsinfoState], d[prpsinfoSname] = byte(st), img.state
	}
	d[prpsinfoNice] = byte(int8(img.nice))
	le.PutUint32(d[prpsinfoUID:], img.uid)
	le.PutUint32(d[prpsinfoGID:], img.gid)
	le.PutUint32(d[prpsinfoPid:], uint32(img.pid))
	le.PutUint32(d[prpsinfoPpid:], uint32(img.ppid))
	le.PutUint32(d[prpsinfoPgrp:], uint32(img.pgrp))
	le.PutUint32(d[prpsinfoSid:], uint32(img.sid))
	copy(d[prpsinfoFname:prpsinfoFname+15], img.fname)
	copy(d[prpsinfoPsargs:prpsinfoPsargs+79], img.psargs)
	return d
}

func ntFileDesc(files []fileMap) []byte {
	var b bytes.Buffer
	var w [8]byte
	put := func(v uint64) { le.PutUint64(w[:], v); b.Write(w[:]) }
	put(uint64(len(files)))
	put(pageSize)
	for _, f := range files {
		put(f.Start)
		put(f.End)
		put(f.Offset / pageSize)
	}
	for _, f := range files {
		b.WriteString(f.Path)
		b.WriteByte(0)
	}
	return b.Bytes()
}
