package terminal

var sourcesCmd = &command{
	names: []string{"sources"},
	group: "source",
	usage: "sources [regexp]",
	help:  "Lists the source files of the program; a regular expression keeps those whose path matches.",
	run: func(t *Term, args string) error {
		files, err := t.client.ListSources(args)
		if err != nil {
			return err
		}
		for _, f := range files {
			t.printf("%s\n", f)
		}
		return nil
	},
}
