package terminal

import "fmt"

var dumpCmd = &command{
	names: []string{"dump"},
	group: "session",
	usage: "dump <file>",
	help: "Writes an ELF core file of the program as it is now: every thread and every readable mapping\n" +
		"(reserved address space is not written, the file is sparse). godbg core and gdb open it;\n" +
		"the program goes on at the next continue.\n" +
		"It never replaces anything: if <file> exists (a file, a symbolic link, a device, a FIFO)\n" +
		"dump refuses it; remove it or give a new name. (Delve's dump truncates and writes through it.)",
	run: func(t *Term, args string) error {
		if args == "" {
			return fmt.Errorf("usage: dump <file>")
		}
		if err := t.client.Dump(args); err != nil {
			return err
		}
		t.printf("Core file written to %s\n", args)
		return nil
	},
}
