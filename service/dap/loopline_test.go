package dap_test

import (
	"slices"
	"testing"
	"time"

	godap "github.com/google/go-dap"

	"github.com/godbg/godbg/internal/fixtures"
)

// TestLoopLineOneStopPerIteration: a line breakpoint in a loop body
// (a three-clause loop, one whose variable a closure captures, a range
// loop) stops once per iteration,
// showing that iteration's i (0, 1, 2), with and without a condition on
// i.
func TestLoopLineOneStopPerIteration(t *testing.T) {
	bin := fixtures.Build(t, dapfix)
	src := dapfixSource()
	for _, tc := range []struct {
		mark, cond string
		want       []string
	}{
		{"MARK:loopline", "", []string{"0", "1", "2"}},
		{"MARK:loopline", "i >= 1", []string{"1", "2"}},
		{"MARK:loopcapture", "", []string{"0", "1", "2"}},
		{"MARK:looprange", "", []string{"0", "1", "2"}},
		{"MARK:looprange", "v == 6", []string{"1"}},
	} {
		line := lineOf(t, src, tc.mark)
		c := dial(t, "tcp", startServer(t))
		c.initialize()
		c.ok("launch", map[string]any{"mode": "exec", "program": bin, "args": []string{"loop"}})
		c.event("initialized", 10*time.Second)
		c.ok("setBreakpoints", map[string]any{"source": map[string]any{"path": src},
			"breakpoints": []map[string]any{{"line": line, "condition": tc.cond}}})
		c.ok("configurationDone", nil)
		var got []string
		for {
			m := c.next(30*time.Second, "a stop or the exit")
			if _, ok := m.(*godap.ExitedEvent); ok {
				break
			}
			st, ok := m.(*godap.StoppedEvent)
			if !ok {
				continue
			}
			frame := c.stack(st.Body.ThreadId, 0, 1).StackFrames[0]
			if frame.Line != line {
				t.Fatalf("stopped at line %d, want %d", frame.Line, line)
			}
			got = append(got, c.eval("i", frame.Id, "watch").Result)
			if len(got) > 6 {
				break
			}
			c.ok("continue", nil)
		}
		c.ok("disconnect", nil)
		if !slices.Equal(got, tc.want) {
			t.Fatalf("%s condition %q: stops with i = %v, want %v", tc.mark, tc.cond, got, tc.want)
		}
	}
}
