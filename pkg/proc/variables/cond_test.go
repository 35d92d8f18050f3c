package variables

import (
	"go/parser"

	"github.com/godbg/godbg/pkg/proc/eval"
)

// compileCond parses a condition as pkg/proc/expr does (which this
// package cannot import) and compiles its scalar form.
func compileCond(src string) (*eval.Expr, error) {
	x, err := parser.ParseExpr(src)
	if err != nil {
		return nil, err
	}
	return eval.Compile(src, x)
}
