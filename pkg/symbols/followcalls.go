package symbols

// FollowCalls adds to sites the functions they call directly, and those
// functions' callees, up to depth levels below the sites (godbg trace
// --follow-calls). Runtime functions are not followed, nor indirect
// calls (their target is unknown before they run). The sites come first,
// in their order; at most MaxTraceFuncs are returned.
func (t *Table) FollowCalls(sites []ProbeSite, depth int) []ProbeSite {
	out := append([]ProbeSite(nil), sites...)
	seen := map[*Func]bool{}
	level := make([]*Func, 0, len(sites))
	for _, s := range sites {
		seen[s.Func] = true
		level = append(level, s.Func)
	}
	for d := 0; d < depth && len(level) > 0; d++ {
		var next []*Func
		for _, fn := range level {
			for _, in := range t.FuncCode(fn) {
				if !in.Call || in.Target == 0 {
					continue
				}
				callee := t.PCToFunc(in.Target)
				if callee == nil || seen[callee] || isRuntimeFunc(callee.Name) || callee.End <= callee.Entry {
					continue
				}
				if len(out) == MaxTraceFuncs {
					return out
				}
				seen[callee] = true
				next = append(next, callee)
				out = append(out, t.probeSite(callee))
			}
		}
		level = next
	}
	return out
}
