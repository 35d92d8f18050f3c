package eval

import (
	"go/ast"
	"go/constant"
	"go/token"
	"math/big"
	"strings"
)

// Scope resolves the variables an expression reads.
type Scope interface {
	// Lookup returns the current value of a variable: "i", or "main.counter".
	Lookup(name string) (Value, error)
}

// Expr is a compiled condition. It is immutable and safe for concurrent use.
type Expr struct {
	src   string
	root  node
	names []string
}

// node is one compiled subexpression.
type node interface {
	eval(s Scope) (Value, error)
}

// String returns the source text.
func (e *Expr) String() string { return e.src }

// Names returns the variables the expression reads, in order of first use.
func (e *Expr) Names() []string { return e.names }

// Eval evaluates the expression.
func (e *Expr) Eval(s Scope) (Value, error) { return e.root.eval(s) }

// EvalBool evaluates a condition; a non-bool result wraps ErrNotBool.
func (e *Expr) EvalBool(s Scope) (bool, error) {
	v, err := e.root.eval(s)
	if err != nil {
		return false, err
	}
	if v.Kind != Bool {
		return false, errorf(ErrNotBool, e.src, "it is %s", v.typeName())
	}
	return v.Bool(), nil
}

// Compile builds the scalar form of a condition from its syntax tree,
// parsed and checked by pkg/proc/expr (expr.CompileScalar), the one front
// end of the language: this package has no parser of its own. src is the
// text x was parsed from. An error (ErrUnsupported for anything but
// scalar variables, literals, operators and numeric conversions) means
// the condition runs on print's evaluator instead.
func Compile(src string, x ast.Expr) (*Expr, error) {
	c := &compiler{src: src, seen: map[string]bool{}}
	root, err := c.compile(x)
	if err != nil {
		return nil, err
	}
	return &Expr{src: src, root: root, names: c.names}, nil
}

type compiler struct {
	src   string
	names []string
	seen  map[string]bool
}

func (c *compiler) text(n ast.Node) string {
	lo, hi := int(n.Pos())-1, int(n.End())-1
	if lo < 0 || hi > len(c.src) || lo > hi {
		return c.src
	}
	return c.src[lo:hi]
}

func (c *compiler) use(name string) node {
	if !c.seen[name] {
		c.seen[name] = true
		c.names = append(c.names, name)
	}
	return &identNode{name: name}
}

func (c *compiler) compile(x ast.Expr) (node, error) {
	switch x := x.(type) {
	case *ast.ParenExpr:
		return c.compile(x.X)
	case *ast.BasicLit:
		return c.literal(x)
	case *ast.Ident:
		return c.ident(x), nil
	case *ast.SelectorExpr:
		if pkg, ok := x.X.(*ast.Ident); ok {
			return c.use(pkg.Name + "." + x.Sel.Name), nil
		}
		return nil, errorf(ErrUnsupported, c.text(x), "field selection; %s", notScalar)
	case *ast.UnaryExpr:
		return c.unary(x)
	case *ast.BinaryExpr:
		return c.binary(x)
	case *ast.CallExpr:
		return c.conversion(x)
	}
	return nil, errorf(ErrUnsupported, c.text(x), notScalar)
}

func (c *compiler) ident(x *ast.Ident) node {
	switch x.Name {
	case "true", "false":
		return &constNode{v: untypedBool(x.Name == "true")}
	case "nil":
		return &constNode{v: NilValue()}
	}
	return c.use(x.Name)
}

func (c *compiler) literal(x *ast.BasicLit) (node, error) {
	cv := constant.MakeFromLiteral(x.Value, x.Kind, 0)
	switch cv.Kind() {
	case constant.Int:
		b, ok := new(big.Int).SetString(cv.ExactString(), 10)
		if !ok {
			return nil, errorf(ErrSyntax, c.src, "bad integer %s", x.Value)
		}
		return &constNode{v: untypedInt(b)}, nil
	case constant.Float:
		f, _ := constant.Float64Val(cv)
		return &constNode{v: untypedFloat(f)}, nil
	case constant.String:
		return &constNode{v: untypedString(constant.StringVal(cv))}, nil
	}
	return nil, errorf(ErrUnsupported, c.text(x), "%s literals; %s", strings.ToLower(x.Kind.String()), notScalar)
}

func (c *compiler) unary(x *ast.UnaryExpr) (node, error) {
	switch x.Op {
	case token.SUB, token.ADD, token.NOT, token.XOR:
	case token.AND:
		return nil, errorf(ErrUnsupported, c.text(x), "taking addresses; %s", notScalar)
	default:
		return nil, errorf(ErrUnsupported, c.text(x), "operator %s; %s", x.Op, notScalar)
	}
	sub, err := c.compile(x.X)
	if err != nil {
		return nil, err
	}
	return fold(&unaryNode{op: x.Op, x: sub, text: c.text(x)})
}

func (c *compiler) binary(x *ast.BinaryExpr) (node, error) {
	l, err := c.compile(x.X)
	if err != nil {
		return nil, err
	}
	r, err := c.compile(x.Y)
	if err != nil {
		return nil, err
	}
	switch x.Op {
	case token.LAND, token.LOR:
		return fold(&logicalNode{and: x.Op == token.LAND, x: l, y: r, text: c.text(x)})
	case token.ARROW:
		return nil, errorf(ErrUnsupported, c.text(x), "channel operations; %s", notScalar)
	}
	return fold(&binaryNode{op: x.Op, x: l, y: r, text: c.text(x)})
}

// fold evaluates a node whose operands are all constants.
func fold(n node) (node, error) {
	var kids []node
	switch n := n.(type) {
	case *unaryNode:
		kids = []node{n.x}
	case *binaryNode:
		kids = []node{n.x, n.y}
	case *logicalNode:
		kids = []node{n.x, n.y}
	case *convNode:
		kids = []node{n.x}
	}
	for _, k := range kids {
		if _, ok := k.(*constNode); !ok {
			return n, nil
		}
	}
	v, err := n.eval(nil)
	if err != nil {
		return nil, err
	}
	return &constNode{v: v}, nil
}

type constNode struct{ v Value }

func (n *constNode) eval(Scope) (Value, error) { return n.v, nil }

type identNode struct{ name string }

func (n *identNode) eval(s Scope) (Value, error) { return s.Lookup(n.name) }
