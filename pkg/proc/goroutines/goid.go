package goroutines

// GoidField returns the offset and size of runtime.g's goid field, for
// callers that read the goroutine id straight from the g register (r14 in
// Go's internal ABI on amd64) at a probe: function tracing.
func (l *Layout) GoidField() (off, size int) { return l.g.goid.off, l.g.goid.size }
