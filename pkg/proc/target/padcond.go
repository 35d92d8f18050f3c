package target

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/variables"
)

// Jump pads (issue 17): a condition `<integer variable> <cmp> <constant>`
// (either order) whose variable sits in a register, a stack slot or a
// package variable at the address is evaluated in the tracee by a backend
// that implements proc.PadArmer (native, unless GODBG_PAD=0).

// Pad returns the pad form of the condition at its address, and where
// the pad reads its variable, if it has one.
func (c *CondAt) Pad() (proc.PadCond, string, bool) {
	names := c.cond.names()
	if len(names) != 1 || c.fast == nil {
		return proc.PadCond{}, "", false
	}
	name, op, k, ok := parsePadCond(c.cond.src)
	if !ok || name != names[0] {
		return proc.PadCond{}, "", false
	}
	l, ok := c.fast.ScalarLoc(0)
	if !ok {
		return proc.PadCond{}, "", false
	}
	pc := proc.PadCond{Reg: l.Reg, Off: l.Off, Size: l.Size, Signed: l.Signed, Op: op, K: k}
	switch l.Kind {
	case variables.LocReg:
		pc.Loc = proc.PadReg
	case variables.LocStack:
		pc.Loc = proc.PadStack
	case variables.LocAbs:
		pc.Loc = proc.PadAbs
	default:
		return proc.PadCond{}, "", false
	}
	if !l.Signed && k < 0 {
		return proc.PadCond{}, "", false
	}
	return pc, padWhere(name, pc), true
}

// parsePadCond recognises `name op K` and `K op name` (K an integer
// literal, optionally negated; name an identifier or pkg.name).
func parsePadCond(src string) (name, op string, k int64, ok bool) {
	e, err := parser.ParseExpr(src)
	if err != nil {
		return "", "", 0, false
	}
	be, isBin := ast.Unparen(e).(*ast.BinaryExpr)
	if !isBin {
		return "", "", 0, false
	}
	swap := map[token.Token]string{token.EQL: "==", token.NEQ: "!=", token.LSS: ">", token.LEQ: ">=", token.GTR: "<", token.GEQ: "<="}
	if _, cmp := swap[be.Op]; !cmp {
		return "", "", 0, false
	}
	if name, ok = varName(be.X); ok {
		k, ok = intConst(be.Y)
		return name, be.Op.String(), k, ok
	}
	if name, ok = varName(be.Y); ok {
		k, ok = intConst(be.X)
		return name, swap[be.Op], k, ok
	}
	return "", "", 0, false
}

func varName(e ast.Expr) (string, bool) {
	switch v := ast.Unparen(e).(type) {
	case *ast.Ident:
		return v.Name, v.Name != "true" && v.Name != "false" && v.Name != "nil"
	case *ast.SelectorExpr:
		if x, ok := v.X.(*ast.Ident); ok {
			return x.Name + "." + v.Sel.Name, true
		}
	}
	return "", false
}

func intConst(e ast.Expr) (int64, bool) {
	neg := false
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && (u.Op == token.SUB || u.Op == token.ADD) {
		neg, e = u.Op == token.SUB, ast.Unparen(u.X)
	}
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.INT {
		return 0, false
	}
	v, err := strconv.ParseInt(lit.Value, 0, 64)
	if err != nil {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}
