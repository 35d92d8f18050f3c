package terminal

import (
	"fmt"
	"strings"
)

var regsCmd = &command{
	names: []string{"regs"},
	group: "data",
	usage: "regs [-a]",
	help:  "Prints the general-purpose registers of the current thread; -a adds flags, segment, x87 and SSE registers.",
	run: func(t *Term, args string) error {
		all := false
		switch args {
		case "":
		case "-a":
			all = true
		default:
			return fmt.Errorf("regs takes only -a, not %q", args)
		}
		regs, err := t.client.ListRegisters(all)
		if err != nil {
			return err
		}
		for _, r := range regs {
			switch {
			case r.Bytes != nil:
				t.printf("%10s = %s\n", r.Name, hexBytes(r.Bytes))
			case r.Text != "":
				t.printf("%10s = %#016x\t%s\n", r.Name, r.Value, r.Text)
			default:
				t.printf("%10s = %#016x\n", r.Name, r.Value)
			}
		}
		return nil
	},
}

// hexBytes prints a little-endian register as one hex number.
func hexBytes(b []byte) string {
	var sb strings.Builder
	sb.WriteString("0x")
	for i := len(b) - 1; i >= 0; i-- {
		fmt.Fprintf(&sb, "%02x", b[i])
	}
	return sb.String()
}
