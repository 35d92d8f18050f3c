package proc

// Prewaker is a live process whose run requests are served by another
// thread (the native backend's tracer thread). Prewake says that a
// Continue follows shortly, for a step of thread tid (0: none): the
// tracer thread wakes now, so that its wake-up overlaps the caller's
// preparation of the request, resumes tid first and, as a step usually
// ends soon, looks for its stop for a moment before it sleeps (issue 12:
// a next's fixed cost).
type Prewaker interface {
	Prewake(tid int)
}
