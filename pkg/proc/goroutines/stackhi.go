package goroutines

// StackHiOffset is the offset of g.stack.hi within runtime.g (ok false if
// the layout lacks it). The distance from a goroutine's stack top to a
// frame stays the same when the runtime moves the stack to grow it, so
// it identifies a frame where its address does not.
func (l *Layout) StackHiOffset() (int, bool) {
	return l.g.stackHi.off, l.g.stackHi.present()
}
