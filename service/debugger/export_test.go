package debugger

import (
	"github.com/godbg/godbg/pkg/proc/expr"
	"github.com/godbg/godbg/pkg/proc/values"
	"github.com/godbg/godbg/service/api"
)

// EvalLoad is Eval with a load configuration the API cannot express
// (Delve's short one: no elements, three fields, pointers not followed),
// for the Delve table replay.
func EvalLoad(d *Debugger, src string, cfg values.LoadConfig) (*api.Variable, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	s, err := d.scope()
	if err != nil {
		return nil, err
	}
	v, err := expr.Eval(s, src, cfg)
	if err != nil {
		return nil, err
	}
	av := apiVariable(v, false, 1)
	return &av, nil
}
