package terminal

var funcsCmd = &command{
	names: []string{"funcs"},
	group: "source",
	usage: "funcs [regexp]",
	help: "Lists the functions of the program, sorted; a regular expression keeps those whose name matches (funcs main\\.).\n" +
		"In a cgo program the C functions are named C.<name>, as in Delve (funcs ^C\\.).",
	run: func(t *Term, args string) error {
		names, err := t.client.ListFunctions(args)
		if err != nil {
			return err
		}
		for _, n := range names {
			t.printf("%s\n", n)
		}
		return nil
	},
}
