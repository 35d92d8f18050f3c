package target

// TakePlan sets the breaklets of the plan a step of op from from would
// take (StepFrom without the run); ok false: it would plan on demand.
// Cancel removes them.
func (t *Target) TakePlan(op string, from From) (cancel func(), ok bool) {
	s, _, ok := t.takePlan(op, from)
	if !ok {
		return func() {}, false
	}
	return s.Cancel, true
}

// PlanAddrs are the addresses of the breaklets of ps's plan for op.
func PlanAddrs(ps *PreparedStack, op string) []uint64 {
	if pl := ps.plans[op]; pl != nil {
		return pl.rec.addrs
	}
	return nil
}
