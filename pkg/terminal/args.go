package terminal

import "fmt"

// SplitArgs splits a command line at blanks outside single or double
// quotes, removing the quotes; "" gives nil.
func SplitArgs(s string) ([]string, error) {
	var out []string
	var cur []rune
	var quote rune
	in := false
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur = append(cur, r)
		case r == '\'' || r == '"':
			quote, in = r, true
		case r == ' ' || r == '\t':
			if in {
				out, cur, in = append(out, string(cur)), cur[:0], false
			}
		default:
			cur, in = append(cur, r), true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unclosed %c in %q", quote, s)
	}
	if in {
		out = append(out, string(cur))
	}
	return out, nil
}
