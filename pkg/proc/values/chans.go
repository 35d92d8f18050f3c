package values

// loadChan reads a channel's runtime.hchan: its length (qcount),
// capacity (dataqsiz), closed flag and the buffered items, oldest first,
// from the ring buf starting at recvx.
func (c *loader) loadChan(v *Value, level int) {
	b, err := c.bytes(v.src, 8)
	if err != nil {
		v.Err = err
		return
	}
	v.Base = word(b)
	if v.Base == 0 {
		return
	}
	cl := v.ti.chanL
	h := make([]byte, cl.hdrSize)
	if err := c.read(v.Base, h); err != nil {
		v.Err = err
		return
	}
	u64 := func(off int64) int64 { return int64(word(h[off : off+8])) }
	v.Len, v.Cap = u64(cl.qcount), u64(cl.dataqsiz)
	v.Closed = word(h[cl.closed:cl.closed+cl.closedSize]) != 0
	if v.Len < 0 || v.Cap < v.Len {
		v.Err = corrupt("channel with %d of %d items", v.Len, v.Cap)
		return
	}
	if v.Len == 0 {
		return
	}
	if level > c.cfg.maxDepth() {
		v.Unloaded = true
		return
	}
	buf, recvx := word(h[cl.buf:cl.buf+8]), u64(cl.recvx)
	size := cl.elem.Size()
	if recvx < 0 || recvx >= v.Cap || size < 0 {
		v.Err = corrupt("channel ring position %d of %d", recvx, v.Cap)
		return
	}
	n := min(v.Len, c.cfg.maxElems())
	bad := 0
	for i := int64(0); i < n && !c.full(); i++ {
		slot := (recvx + i) % v.Cap
		e := c.newValue("", cl.elem, loc{addr: buf + uint64(slot*size)})
		if size == 0 {
			e.src.data = []byte{}
		}
		c.load(e, level+1)
		v.Children = append(v.Children, e)
		if e.Err != nil {
			if bad++; bad >= maxUnreadables {
				break
			}
		}
	}
}
