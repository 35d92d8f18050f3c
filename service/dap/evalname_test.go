package dap_test

import (
	"slices"
	"strings"
	"testing"

	godap "github.com/google/go-dap"

	"github.com/godbg/godbg/internal/fixtures"
)

// TestEvaluateNames expands every local of main.big (values of each kind:
// structs, pointers, pointers to pointers, slices, arrays, maps,
// interfaces holding pointers, structs, numbers, strings and slices, an
// error) three levels deep, and evaluates each child's evaluateName: it
// must be there (but for map entries with keys that cannot be written)
// and give the same value as listed.
func TestEvaluateNames(t *testing.T) {
	c := dial(t, "tcp", startServer(t))
	g := launchTo(t, c, fixtures.Build(t, dapfix), "main.stop", "big")
	frame := c.stack(g, 0, 2).StackFrames[1]
	if frame.Name != "main.big" {
		t.Fatalf("frame 1: %+v", frame)
	}
	checked := 0
	var walk func(path string, vs []godap.Variable, depth int)
	walk = func(path string, vs []godap.Variable, depth int) {
		for _, v := range vs {
			where := path + "/" + v.Name
			if v.EvaluateName == "" {
				t.Errorf("%s (%s = %s): no evaluateName", where, v.Type, v.Value)
				continue
			}
			got := c.eval(v.EvaluateName, frame.Id, "watch")
			checked++
			if got.Result != v.Value {
				t.Errorf("%s: evaluateName %q gives %q; listed %q", where, v.EvaluateName, got.Result, v.Value)
			}
			if v.VariablesReference == 0 || depth == 3 {
				continue
			}
			extra := map[string]any{}
			if v.IndexedVariables > 0 {
				extra = map[string]any{"filter": "indexed", "start": 0, "count": 3}
			}
			walk(where, c.vars(v.VariablesReference, extra), depth+1)
		}
	}
	locals := c.vars(c.scope(frame.Id, "Locals"), nil)
	walk("", locals, 0)
	t.Logf("%d evaluateNames checked", checked)
	// Fields of a struct an interface holds (by pointer or value) are
	// named through the interface, as a user would write them: iface.F,
	// or with a type assertion where the expression language has it.
	for _, name := range []string{"iface", "err", "shape"} {
		v := find(t, locals, name)
		kids := c.vars(v.VariablesReference, nil)
		if len(kids) == 0 || !throughIface(kids[0].EvaluateName, name) {
			t.Errorf("%s's children: %+v; want evaluateNames like %s.Field", name, kids, name)
		}
	}
	c.ok("disconnect", nil)
}

// TestCompletions: the debug console completes locals, fields through
// pointers and interfaces, and terminal commands after "godbg ".
func TestCompletions(t *testing.T) {
	c := dial(t, "tcp", startServer(t))
	if caps := c.initialize(); !caps.SupportsCompletionsRequest {
		t.Fatalf("capabilities: %+v", caps)
	}
	g := launchTo(t, c, fixtures.Build(t, dapfix), "main.stop", "big")
	frame := c.stack(g, 0, 2).StackFrames[1].Id
	complete := func(text string) []string {
		r := c.ok("completions", map[string]any{"frameId": frame, "text": text, "column": len(text) + 1}).(*godap.CompletionsResponse)
		var out []string
		for _, it := range r.Body.Targets {
			out = append(out, it.Label)
		}
		return out
	}
	for text, want := range map[string]string{
		"nu":          "nums num",
		"len(by":      "byName",
		"p.":          "A B",
		"iface.":      "A B",
		"arr[0].B":    "B",
		"godbg thr":   "threads",
		"shape.":      "A B",
		"zzz":         "",
		"p.Nothing":   "",
		"godbg gorou": "goroutines",
	} {
		if got := strings.Join(complete(text), " "); !sameWords(got, want) {
			t.Errorf("completions of %q: %q, want %q", text, got, want)
		}
	}
	c.fail("completions", map[string]any{"frameId": frame, "text": "x", "column": 9}, "column 9")
	c.ok("disconnect", nil)
}

func sameWords(a, b string) bool {
	x, y := strings.Fields(a), strings.Fields(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// throughIface reports an evaluateName that reaches a field through the
// interface name: name.F, (name.(T)).F or (*name.(*T)).F.
func throughIface(e, name string) bool {
	return strings.HasPrefix(e, name+".") || strings.HasPrefix(e, "("+name+".(") || strings.HasPrefix(e, "(*"+name+".(")
}
