package terminal

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/godbg/godbg/service/api"
)

const deferredUsage = "deferred <n> args | deferred <n> print <argument>"

var deferredCmd = &command{
	names: []string{"deferred"},
	group: "data",
	usage: deferredUsage,
	help: "Reads the arguments of the n-th deferred call of the selected frame (stack -defer numbers them), as\n" +
		"the call will receive them: `deferred 1 print v`, `deferred 1 args`. Since Go 1.17 `defer f(x+1)`\n" +
		"defers a closure that captured x+1; godbg reads the closure's captured values (Delve looks in the\n" +
		"_defer record and fails). Unlike Delve, only args and print <argument> run in that context; a call\n" +
		"with a constant argument (not captured) cannot be read.",
	run: func(t *Term, args string) error {
		f := strings.Fields(args)
		if len(f) < 2 {
			return fmt.Errorf("usage: %s", deferredUsage)
		}
		n, err := strconv.Atoi(f[0])
		if err != nil || n < 1 {
			return fmt.Errorf("deferred call number %q: use 1, 2, ... as stack -defer lists them", f[0])
		}
		var want string
		switch {
		case f[1] == "args" && len(f) == 2:
		case (f[1] == "print" || f[1] == "p") && len(f) == 3:
			want = f[2]
		default:
			return fmt.Errorf("deferred runs args or print <argument> only; usage: %s", deferredUsage)
		}
		vs, err := t.client.DeferredArgs(n, t.limits(api.LoadConfig{}))
		if err != nil {
			return err
		}
		if want == "" {
			if len(vs) == 0 {
				t.printf("(no arguments)\n")
			}
			printVars(t, vs)
			return nil
		}
		for _, v := range vs {
			if v.Name == want {
				if v.Err != "" {
					return fmt.Errorf("%s: %s", want, v.Err)
				}
				t.printf("%s\n", v.Value)
				return nil
			}
		}
		return fmt.Errorf("could not find symbol value for %s in deferred call %d's arguments", want, n)
	},
}
