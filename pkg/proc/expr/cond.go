package expr

import (
	"fmt"
	"go/ast"
	"reflect"
	"strconv"

	"github.com/godbg/godbg/pkg/proc/eval"
	"github.com/godbg/godbg/pkg/proc/values"
)

// Conditions are the same language as print: Check parses a condition
// with print's parser (so a syntax error reads the same), Roots lists the
// names it needs from the scope, and EvalBool evaluates it exactly as
// Eval would, then asks for a bool. service/debugger uses these for
// `break ... if` and `condition` whenever the scalar fast path of
// pkg/proc/eval cannot take the condition, and to word the errors of the
// fast path.

// condLoad is how a condition's value is loaded: only the bool itself.
var condLoad = values.LoadConfig{MaxStringLen: 64}

// Check parses src as print does and returns its syntax tree, or a
// *SyntaxError wrapping ErrSyntax. Expressions nested deeper than print
// accepts are refused here too.
func Check(src string) (ast.Expr, error) {
	n, err := parse(src)
	if err != nil {
		return nil, err
	}
	if d := depthOf(n, 0); d > maxDepth {
		return nil, fmt.Errorf("%w: expression nested more than %d deep", ErrUnsupported, maxDepth)
	}
	return n, nil
}

// depthOf returns the nesting depth of n, stopping early past maxDepth.
func depthOf(n ast.Node, d int) int {
	if d > maxDepth {
		return d
	}
	deepest := d
	ast.Inspect(n, func(c ast.Node) bool {
		if c == nil || c == n {
			return c == n
		}
		if k := depthOf(c, d+1); k > deepest {
			deepest = k
		}
		return false
	})
	return deepest
}

// predeclared are the universe-scope names an expression may use without
// the program having them.
var predeclared = map[string]bool{
	"true": true, "false": true, "nil": true, "iota": true,
	"len": true, "cap": true, "real": true, "imag": true, "complex": true, "min": true, "max": true,
	"bool": true, "string": true, "int": true, "int8": true, "int16": true, "int32": true, "int64": true,
	"uint": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true, "uintptr": true,
	"float32": true, "float64": true, "complex64": true, "complex128": true, "byte": true, "rune": true,
	"any": true, "error": true, "unsafe": true,
}

// Roots returns the plain names an expression reads from its scope (not
// field names, not predeclared identifiers, not the package part of a
// qualified name), in order of first use, and the qualified names
// ("p.X": a field of variable p or the package variable X of p). A
// plain name called as a function (a conversion T(x)) is not a root.
func Roots(n ast.Expr) (names, qualified []string) {
	seen := map[string]bool{}
	add := func(list *[]string, s string) {
		if !seen[s] {
			seen[s] = true
			*list = append(*list, s)
		}
	}
	var walk func(n ast.Node) bool
	walk = func(c ast.Node) bool {
		switch c := c.(type) {
		case *ast.SelectorExpr:
			if id, ok := c.X.(*ast.Ident); ok {
				add(&qualified, id.Name+"."+c.Sel.Name)
			} else {
				ast.Inspect(c.X, walk)
			}
			return false
		case *ast.KeyValueExpr:
			if _, ok := c.Key.(*ast.Ident); !ok {
				ast.Inspect(c.Key, walk)
			}
			ast.Inspect(c.Value, walk)
			return false
		case *ast.CompositeLit:
			for _, el := range c.Elts {
				ast.Inspect(el, walk)
			}
			return false
		case *ast.CallExpr:
			if _, ok := c.Fun.(*ast.Ident); !ok {
				ast.Inspect(c.Fun, walk)
			}
			for _, a := range c.Args {
				ast.Inspect(a, walk)
			}
			return false
		case *ast.ArrayType, *ast.MapType, *ast.ChanType, *ast.FuncType, *ast.StructType, *ast.InterfaceType:
			return false
		case *ast.Ident:
			if !predeclared[c.Name] {
				add(&names, c.Name)
			}
		}
		return true
	}
	ast.Inspect(n, walk)
	return names, qualified
}

// EvalBool evaluates a condition in s as Eval does and returns its
// truth; a value that is not a bool is an error naming its type.
func EvalBool(s Scope, src string) (bool, error) {
	v, err := Eval(s, src, condLoad)
	if err != nil {
		return false, err
	}
	if v.Kind != reflect.Bool {
		return false, fmt.Errorf("%s: %w: it is %s", clip(src), ErrNotBool, describeValue(v))
	}
	return v.Bool, nil
}

// describeValue names a value's type, and the value when short.
func describeValue(v *values.Value) string {
	switch v.Kind {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.TypeName + " " + strconv.FormatInt(v.Int, 10)
	}
	return "of type " + v.TypeName
}

// CompileScalar compiles a condition for the scalar fast path of
// pkg/proc/eval from print's syntax tree. An error means the fast path
// cannot take it (a syntax error, or anything but scalar variables,
// literals, operators and numeric conversions); the condition then runs
// on EvalBool.
func CompileScalar(src string) (*eval.Expr, error) {
	n, err := Check(src)
	if err != nil {
		return nil, err
	}
	return eval.Compile(src, n)
}
