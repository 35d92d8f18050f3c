package dap

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-dap"

	"github.com/godbg/godbg/service/api"
)

// onCompletions completes the word before the cursor in the debug
// console: a local, argument or package variable of the frame's package,
// a field after "x." (through pointers), or a terminal command after
// "godbg ".
func (s *session) onCompletions(r *dap.CompletionsRequest) (dap.ResponseMessage, error) {
	if err := s.stopped(); err != nil {
		return nil, err
	}
	a := r.Arguments
	text := a.Text
	if col := a.Column - 1; col >= 0 && col <= len(text) {
		text = text[:col]
	} else if a.Column != 0 {
		return nil, fmt.Errorf("completions: column %d is outside the text (%d characters)", a.Column, utf8.RuneCountInString(a.Text))
	}
	if _, err := s.selectFrameID(a.FrameId); err != nil {
		return nil, err
	}
	start := wordStart(text)
	word := text[start:]
	base, prefix := "", word
	if i := strings.LastIndexByte(word, '.'); i >= 0 {
		base, prefix = word[:i], word[i+1:]
	}
	var names []string
	switch {
	case strings.HasPrefix(text, "godbg ") && start == len("godbg "):
		names = append(names, consoleCommands...)
	case base != "":
		names = s.fieldNames(base)
	default:
		names = s.scopeNames()
	}
	sort.Strings(names)
	out := []dap.CompletionItem{}
	for i, n := range names {
		if strings.HasPrefix(n, prefix) && (i == 0 || names[i-1] != n) {
			out = append(out, dap.CompletionItem{Label: n, Text: n, Start: start + len(word) - len(prefix), Length: len(prefix)})
		}
	}
	return &dap.CompletionsResponse{Body: dap.CompletionsResponseBody{Targets: out}}, nil
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 0x80 || unicode.IsLetter(rune(c)) || unicode.IsDigit(rune(c))
}

// consoleCommands are completed after "godbg ".
var consoleCommands = []string{"args", "breakpoints", "disassemble", "examinemem", "goroutines", "libraries", "list",
	"locals", "print", "regs", "sources", "stack", "threads", "whatis", "funcs", "display", "set", "call"}

// scopeNames are the frame's locals and arguments.
func (s *session) scopeNames() []string {
	var names []string
	cfg := api.LoadConfig{MaxStringLen: 1, MaxArrayValues: 1}
	if vs, err := s.client.Locals("", cfg); err == nil {
		for _, v := range vs {
			names = append(names, v.Name)
		}
	}
	if vs, err := s.client.Args(cfg); err == nil {
		for _, v := range vs {
			names = append(names, v.Name)
		}
	}
	return names
}

// fieldNames are the fields of the struct base evaluates to (or points
// to, or an interface holds).
func (s *session) fieldNames(base string) []string {
	expr := base
	v, err := s.client.Eval(expr, listLoad)
	for depth := 0; err == nil && depth < 4; depth++ {
		switch v.Kind {
		case "struct":
			names := make([]string, 0, len(v.Children))
			for _, c := range v.Children {
				names = append(names, c.Name)
			}
			return names
		case "ptr":
			expr = "(*" + expr + ")"
		case "interface":
			if len(v.Children) == 0 {
				return nil
			}
			d := v.Children[0]
			if d.Kind == "struct" && len(d.Children) > 0 {
				v = &d
				continue
			}
			if expr = addrExpr(&d); expr == "" {
				return nil
			}
		default:
			return nil
		}
		v, err = s.client.Eval(expr, listLoad)
	}
	return nil
}

// wordStart finds where the expression before the end of text starts:
// names, dots and whole [index] parts ("arr[0].B").
func wordStart(text string) int {
	i := len(text)
	for i > 0 {
		switch c := text[i-1]; {
		case isWordByte(c) || c == '.':
			i--
		case c == ']':
			open := strings.LastIndexByte(text[:i-1], '[')
			if open < 0 {
				return i
			}
			i = open
		default:
			return i
		}
	}
	return i
}
