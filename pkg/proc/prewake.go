package proc

// Prewaker is a live process whose run requests are served by another
// thread (the native backend's tracer thread). Prewake says that one
// follows shortly: that thread wakes now, so its wake-up overlaps the
// caller's preparation of the request (issue 12: a next's fixed cost).
type Prewaker interface {
	Prewake()
}
