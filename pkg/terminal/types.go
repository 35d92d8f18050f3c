package terminal

import "fmt"

var typesCmd = &command{
	names: []string{"types"},
	group: "source",
	usage: "types [regexp]",
	help: "Lists the types named in the program's debug info, sorted; a regular expression keeps those whose\n" +
		"name matches (types main\\.). Works in a local session, not through godbg connect.",
	run: func(t *Term, args string) error {
		lt, ok := t.client.(interface {
			ListTypes(string) ([]string, error)
		})
		if !ok {
			return fmt.Errorf("types works only in a local session (not through godbg connect)")
		}
		names, err := lt.ListTypes(args)
		if err != nil {
			return err
		}
		for _, n := range names {
			t.printf("%s\n", n)
		}
		return nil
	},
}
