package terminal

var funcsCmd = &command{
	names: []string{"funcs"},
	group: "source",
	usage: "funcs [regexp]",
	help:  "Lists the functions of the program, sorted; a regular expression keeps those whose name matches (funcs main\\.).",
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
