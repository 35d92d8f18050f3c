package terminal

import (
	"fmt"
	"strings"

	"github.com/godbg/godbg/service/api"
)

const disassembleUsage = "disassemble [-a <start> <end>] [-l <location>] [-syntax go|gnu|intel]"

var disassembleCmd = &command{
	names: []string{"disassemble", "disass"},
	group: "source",
	usage: disassembleUsage,
	help: "Disassembles the function of the current pc, of a location, or an address range.\n" +
		"-l main.main: the function holding a location; -a $pc $pc+32: a range (at most 64 KiB).\n" +
		"Go programs print in Go syntax and others in GNU syntax unless -syntax says otherwise.\n" +
		"=> marks the current pc, * a breakpoint.",
	run: func(t *Term, args string) error {
		req, err := parseDisassemble(args)
		if err != nil {
			return err
		}
		if c, err := t.config(); err == nil && req.Syntax == "" {
			req.Syntax = c.DisassembleFlavor // flow: config disassemble-flavor
		}
		insts, err := t.client.Disassemble(req)
		if err != nil {
			return err
		}
		printInstructions(t, insts)
		return nil
	},
}

func parseDisassemble(args string) (api.DisassembleRequest, error) {
	var req api.DisassembleRequest
	f := strings.Fields(args)
	for len(f) > 0 {
		need := map[string]int{"-a": 2, "-l": 1, "-syntax": 1}[f[0]]
		if need == 0 {
			return req, fmt.Errorf("unexpected %q; usage: %s", f[0], disassembleUsage)
		}
		if len(f) < need+1 {
			return req, fmt.Errorf("%s needs %d argument(s); usage: %s", f[0], need, disassembleUsage)
		}
		switch f[0] {
		case "-a":
			req.Start, req.End = f[1], f[2]
		case "-l":
			req.Location = f[1]
		case "-syntax":
			req.Syntax = f[1]
		}
		f = f[need+1:]
	}
	if req.Location != "" && req.Start != "" {
		return req, fmt.Errorf("give -a or -l, not both; usage: %s", disassembleUsage)
	}
	return req, nil
}

// printInstructions writes a function header when the function changes, a
// file:line header when the line changes, then "mark addr bytes text".
func printInstructions(t *Term, insts []api.Instruction) {
	var fn, file string
	line := -1
	for _, in := range insts {
		l := in.Loc
		if l.Function != fn {
			fn = l.Function
			if fn != "" {
				t.printf("%s:\n", fn)
			}
		}
		if l.File != file || l.Line != line {
			file, line = l.File, l.Line
			if file != "" {
				t.printf("  %s:%d\n", shortPath(file), line)
			}
		}
		t.printf("%s  %#x  %-20x  %s\n", lineMark(in.Current, in.Breakpoint), l.PC, in.Bytes, in.Text)
	}
}
