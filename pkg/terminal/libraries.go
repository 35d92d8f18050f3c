package terminal

var librariesCmd = &command{
	names: []string{"libraries"},
	group: "source",
	usage: "libraries",
	help:  "Lists the shared libraries the program has loaded, with the address each is mapped at.",
	run: func(t *Term, args string) error {
		libs, err := t.client.Libraries()
		if err != nil {
			return err
		}
		if len(libs) == 0 {
			t.printf("No shared libraries (a statically linked program, or the loader has not run yet).\n")
		}
		for i, l := range libs {
			note := ""
			if !l.Symbols {
				note = " (no symbols)"
			}
			t.printf("%d. %#x %s%s\n", i, l.Address, l.Path, note)
		}
		return nil
	},
}
