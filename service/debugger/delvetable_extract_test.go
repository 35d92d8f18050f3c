package debugger_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
)

// The expectations of Delve's own variables tests, read at test time from
// Delve's source in the module cache (facts: an expression, the value and
// type Delve prints, or the error it gives). Nothing of Delve is copied
// into this repository; see delvetable_test.go for how they are replayed.

// dcase is one expectation.
type dcase struct {
	group     string // Delve's test function
	stop      int    // which stop of the fixture (0: the first)
	name      string // the expression
	value     string // Delve's single-line value; "…" suffix: a prefix; /re/: a regexp
	typ       string
	errs      []string // expected errors (any of); "*" any error; nil: no error
	local     string   // TestLocalVariables: "locals" or "args"
	setExpr   string   // TestSetVariable: the right side
	finalVal  string   // TestSetVariable: the value after set ("ERROR:" + text)
	skipWhy   string   // not replayable (computed in Go code)
	preserved bool
}

// readDelveTables parses Delve's pkg/proc/variables_test.go and returns
// the cases of the named functions.
func readDelveTables(path string) (map[string][]dcase, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		return nil, err
	}
	funcs := map[string]*ast.FuncDecl{}
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok {
			funcs[fd.Name.Name] = fd
		}
	}
	out := map[string][]dcase{}
	for _, g := range []string{"TestVariableEvaluation2", "TestEmbeddedStruct", "TestConstants", "TestPackageRenames", "TestCapturedVariable", "TestCgoEval", "TestMultilineVariableEvaluation", "TestVariableEvaluationShort"} {
		if fd := funcs[g]; fd != nil {
			out[g] = varTests(g, fd.Body)
		}
	}
	if fd := funcs["getEvalExpressionTestCases"]; fd != nil {
		out["TestEvalExpression"] = varTests("TestEvalExpression", fd.Body)
	}
	if fd := funcs["TestEvalExpressionGenerics"]; fd != nil {
		out["TestEvalExpressionGenerics"] = genericTests(fd.Body)
	}
	if fd := funcs["TestLocalVariables"]; fd != nil {
		out["TestLocalVariables"] = localTests(fd.Body)
	}
	if fd := funcs["TestSetVariable"]; fd != nil {
		out["TestSetVariable"] = setTests(fd.Body)
	}
	return out, nil
}

// isVarTestSlice reports whether t is []varTest.
func isVarTestSlice(t ast.Expr) bool {
	at, ok := t.(*ast.ArrayType)
	if !ok {
		return false
	}
	id, ok := at.Elt.(*ast.Ident)
	return ok && id.Name == "varTest"
}

// varTests collects the elements of every []varTest literal in body, and
// varTest{...} literals appended on their own.
func varTests(group string, body ast.Node) []dcase {
	var out []dcase
	ast.Inspect(body, func(n ast.Node) bool {
		cl, ok := n.(*ast.CompositeLit)
		if !ok {
			return true
		}
		if isVarTestSlice(cl.Type) {
			for _, el := range cl.Elts {
				if e, ok := el.(*ast.CompositeLit); ok {
					out = append(out, varTest(group, e))
				}
			}
			return false
		}
		if id, ok := cl.Type.(*ast.Ident); ok && id.Name == "varTest" {
			out = append(out, varTest(group, cl))
			return false
		}
		return true
	})
	return out
}

// genericTests reads [][]varTest, one inner list per stop.
func genericTests(body ast.Node) []dcase {
	var out []dcase
	ast.Inspect(body, func(n ast.Node) bool {
		cl, ok := n.(*ast.CompositeLit)
		if !ok {
			return true
		}
		at, ok := cl.Type.(*ast.ArrayType)
		if !ok || !isVarTestSlice(at.Elt) {
			return true
		}
		for stop, inner := range cl.Elts {
			if il, ok := inner.(*ast.CompositeLit); ok {
				for _, el := range il.Elts {
					if e, ok := el.(*ast.CompositeLit); ok {
						c := varTest("TestEvalExpressionGenerics", e)
						c.stop = stop
						out = append(out, c)
					}
				}
			}
		}
		return false
	})
	return out
}

// localTests reads TestLocalVariables' {fn, []varTest} pairs.
func localTests(body ast.Node) []dcase {
	var out []dcase
	ast.Inspect(body, func(n ast.Node) bool {
		cl, ok := n.(*ast.CompositeLit)
		if !ok || len(cl.Elts) != 2 {
			return true
		}
		sel, ok := cl.Elts[0].(*ast.SelectorExpr)
		list, ok2 := cl.Elts[1].(*ast.CompositeLit)
		if !ok || !ok2 {
			return true
		}
		kind := "locals"
		if sel.Sel.Name == "FunctionArguments" {
			kind = "args"
		}
		for _, c := range varTests("TestLocalVariables", list) {
			c.local = kind
			out = append(out, c)
		}
		return false
	})
	return out
}

// setTests reads TestSetVariable's {name, typ, startVal, expr, finalVal}.
func setTests(body ast.Node) []dcase {
	var out []dcase
	ast.Inspect(body, func(n ast.Node) bool {
		cl, ok := n.(*ast.CompositeLit)
		if !ok {
			return true
		}
		if at, ok := cl.Type.(*ast.ArrayType); !ok || at.Len != nil {
			return true
		} else if _, ok := at.Elt.(*ast.StructType); !ok {
			return true
		}
		for _, el := range cl.Elts {
			e, ok := el.(*ast.CompositeLit)
			if !ok || len(e.Elts) != 5 {
				continue
			}
			var s [5]string
			c := dcase{group: "TestSetVariable"}
			for i := range s {
				if s[i], ok = str(e.Elts[i]); !ok {
					c.skipWhy = "computed expectation"
				}
			}
			c.name, c.typ, c.value, c.setExpr, c.finalVal = s[0], s[1], s[2], s[3], s[4]
			out = append(out, c)
		}
		return false
	})
	return out
}

// varTest reads one varTest literal, positional or keyed.
func varTest(group string, e *ast.CompositeLit) dcase {
	c := dcase{group: group}
	fields := map[string]ast.Expr{}
	names := []string{"name", "preserveName", "value", "alternate", "varType", "err"}
	for i, el := range e.Elts {
		if kv, ok := el.(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok {
				fields[id.Name] = kv.Value
			}
		} else if i < len(names) {
			fields[names[i]] = el
		}
	}
	var ok bool
	for _, f := range []struct {
		key string
		dst *string
	}{{"name", &c.name}, {"value", &c.value}, {"varType", &c.typ}} {
		if x := fields[f.key]; x != nil {
			if *f.dst, ok = str(x); !ok {
				c.skipWhy = "computed expectation"
			}
		}
	}
	if id, ok := fields["preserveName"].(*ast.Ident); ok {
		c.preserved = id.Name == "true"
	}
	c.errs = errorsOf(fields["err"])
	return c
}

// errorsOf reads the err field: nil, errors.New("x"), fmt.Errorf("x"),
// &altError{[]string{...}} or anything else ("*": some error).
func errorsOf(x ast.Expr) []string {
	if x == nil {
		return nil
	}
	if id, ok := x.(*ast.Ident); ok && id.Name == "nil" {
		return nil
	}
	if call, ok := x.(*ast.CallExpr); ok && len(call.Args) == 1 {
		if s, ok := str(call.Args[0]); ok {
			return []string{s}
		}
	}
	var list []string
	ast.Inspect(x, func(n ast.Node) bool {
		if bl, ok := n.(*ast.BasicLit); ok && bl.Kind == token.STRING {
			if s, err := strconv.Unquote(bl.Value); err == nil {
				list = append(list, s)
			}
		}
		return true
	})
	if len(list) == 0 {
		return []string{"*"}
	}
	return list
}

// str returns the value of a string literal (or a + of literals).
func str(x ast.Expr) (string, bool) {
	switch x := x.(type) {
	case *ast.BasicLit:
		if x.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(x.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		a, ok1 := str(x.X)
		b, ok2 := str(x.Y)
		return a + b, ok1 && ok2 && x.Op == token.ADD
	case *ast.ParenExpr:
		return str(x.X)
	}
	return "", false
}
