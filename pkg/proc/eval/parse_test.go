package eval

import (
	"go/parser"
	"go/scanner"
)

// compileSrc parses src as pkg/proc/expr does and compiles it, for the
// tests of this package.
func compileSrc(src string) (*Expr, error) {
	x, err := parser.ParseExpr(src)
	if err != nil {
		msg := err.Error()
		if list, ok := err.(scanner.ErrorList); ok && len(list) > 0 {
			msg = list[0].Msg
		}
		return nil, &Error{Expr: src, Msg: msg, Err: ErrSyntax}
	}
	return Compile(src, x)
}
