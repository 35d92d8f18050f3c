package terminal

// Colouring of Go source for list. chroma formats the tokens, but they come
// from go/scanner and the default style (monokai) is defined here: chroma's
// lexers and styles packages parse every embedded XML lexer and style in
// their package init, 10-70 ms paid by every godbg start.

import (
	"fmt"
	"go/scanner"
	"go/token"
	"os"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/formatters"
	"golang.org/x/term"
)

// highlightStyle is the style list colours Go source with when standard
// output is a terminal and NO_COLOR is not set; nil when it does not
// colour. The style is $GODBG_STYLE (see styleNamed) or monokai; warn gets
// a warning about a bad $GODBG_STYLE, once per process and value.
func highlightStyle(warn func(string)) *chroma.Style {
	if _, ok := os.LookupEnv("NO_COLOR"); ok || !term.IsTerminal(int(os.Stdout.Fd())) {
		return nil
	}
	return namedStyle(os.Getenv("GODBG_STYLE"), warn)
}

// styleChoices caches what each $GODBG_STYLE value resolved to, so that an
// XML file is read and a warning printed once.
var styleChoices sync.Map // string -> *chroma.Style (nil: off)

func namedStyle(name string, warn func(string)) *chroma.Style {
	if st, ok := styleChoices.Load(name); ok {
		return st.(*chroma.Style)
	}
	st, warning := styleNamed(name)
	if _, loaded := styleChoices.LoadOrStore(name, st); !loaded && warning != "" && warn != nil {
		warn(warning)
	}
	return st
}

// styleNamed resolves a $GODBG_STYLE value: "" or monokai, off or none (nil),
// or the path of a chroma XML style file. Anything else, or a file that does
// not parse, gives monokai and a warning saying what is accepted.
func styleNamed(name string) (*chroma.Style, string) {
	switch name {
	case "", "monokai":
		return monokai(), ""
	case "off", "none":
		return nil, ""
	}
	f, err := os.Open(name)
	if err != nil {
		if !strings.ContainsRune(name, os.PathSeparator) && !strings.HasSuffix(name, ".xml") {
			return monokai(), fmt.Sprintf("warning: GODBG_STYLE=%q is not a style godbg knows; "+
				"use monokai, off (or none), or the path of a chroma XML style file; using monokai", name)
		}
		return monokai(), fmt.Sprintf("warning: GODBG_STYLE: %v; using monokai", err)
	}
	defer f.Close()
	st, err := chroma.NewXMLStyle(f)
	if err != nil {
		return monokai(), fmt.Sprintf("warning: GODBG_STYLE=%s is not a chroma XML style (%v); using monokai", name, err)
	}
	return st, ""
}

var monokai = sync.OnceValue(func() *chroma.Style {
	return chroma.MustNewStyle("monokai", chroma.StyleEntries{
		chroma.Background:          "bg:#272822",
		chroma.Text:                "#f8f8f2",
		chroma.Name:                "#f8f8f2",
		chroma.NameFunction:        "#a6e22e",
		chroma.NameOther:           "#a6e22e",
		chroma.Keyword:             "#66d9ef",
		chroma.KeywordNamespace:    "#f92672",
		chroma.Literal:             "#ae81ff",
		chroma.LiteralString:       "#e6db74",
		chroma.LiteralNumber:       "#ae81ff",
		chroma.Operator:            "#f92672",
		chroma.Punctuation:         "#f8f8f2",
		chroma.Comment:             "#75715e",
		chroma.Error:               "#960050 bg:#1e0010",
		chroma.LiteralStringEscape: "#ae81ff",
	})
})

// highlightGo returns the lines of Go source with terminal colours; the
// lines are scanned together so that a comment or raw string spanning lines
// is coloured as one. Any failure returns the lines as they are.
func highlightGo(lines []string, style *chroma.Style) []string {
	split := chroma.SplitTokensIntoLines(goTokens(strings.Join(lines, "\n") + "\n"))
	if len(split) < len(lines) {
		return lines
	}
	out := make([]string, len(lines))
	for i := range lines {
		toks := split[i][:0:0]
		for _, tk := range split[i] {
			if tk.Value = strings.TrimSuffix(tk.Value, "\n"); tk.Value != "" {
				toks = append(toks, tk)
			}
		}
		var sb strings.Builder
		if err := formatters.TTY256.Format(&sb, style, chroma.Literator(toks...)); err != nil {
			return lines
		}
		out[i] = sb.String()
	}
	return out
}

// goTokens cuts Go source into chroma tokens with go/scanner; the text
// between tokens (spaces, newlines) is chroma.Text, so the values add up to
// src.
func goTokens(src string) []chroma.Token {
	type tok struct {
		off int
		tok token.Token
	}
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(src))
	var s scanner.Scanner
	s.Init(file, []byte(src), func(token.Position, string) {}, scanner.ScanComments)
	var toks []tok
	for {
		pos, t, lit := s.Scan()
		if t == token.EOF {
			break
		}
		if t == token.SEMICOLON && lit != ";" {
			continue // inserted at a newline
		}
		toks = append(toks, tok{file.Offset(pos), t})
	}
	var out []chroma.Token
	at := 0
	for i, k := range toks {
		if k.off < at {
			continue
		}
		if k.off > at {
			out = append(out, chroma.Token{Type: chroma.Text, Value: src[at:k.off]})
		}
		end := len(src)
		var next token.Token
		if i+1 < len(toks) {
			end, next = toks[i+1].off, toks[i+1].tok
		}
		text := strings.TrimRight(src[k.off:end], " \t\r\n")
		if text == "" {
			continue
		}
		out = append(out, chroma.Token{Type: goTokenType(k.tok, text, next), Value: text})
		at = k.off + len(text)
	}
	if at < len(src) {
		out = append(out, chroma.Token{Type: chroma.Text, Value: src[at:]})
	}
	return out
}

// goTokenType is the chroma type of a Go token with its text; next is the
// token after it (a name before "(" is a call or a declared function).
func goTokenType(t token.Token, text string, next token.Token) chroma.TokenType {
	switch {
	case t == token.COMMENT && strings.HasPrefix(text, "//"):
		return chroma.CommentSingle
	case t == token.COMMENT:
		return chroma.CommentMultiline
	case t == token.IDENT:
		return goNameType(text, next == token.LPAREN)
	case t == token.PACKAGE || t == token.IMPORT:
		return chroma.KeywordNamespace
	case t == token.VAR || t == token.FUNC || t == token.STRUCT || t == token.MAP || t == token.CHAN ||
		t == token.TYPE || t == token.INTERFACE || t == token.CONST:
		return chroma.KeywordDeclaration
	case t.IsKeyword():
		return chroma.Keyword
	case t == token.INT:
		return chroma.LiteralNumberInteger
	case t == token.FLOAT:
		return chroma.LiteralNumberFloat
	case t == token.IMAG:
		return chroma.LiteralNumber
	case t == token.CHAR:
		return chroma.LiteralStringChar
	case t == token.STRING:
		return chroma.LiteralString
	case t == token.LPAREN || t == token.RPAREN || t == token.LBRACK || t == token.RBRACK ||
		t == token.LBRACE || t == token.RBRACE || t == token.COMMA || t == token.PERIOD ||
		t == token.SEMICOLON || t == token.COLON:
		return chroma.Punctuation
	case t.IsOperator() && len(text) == 1 && strings.Contains("|^<>=!~", text):
		return chroma.Punctuation // as chroma's Go lexer colours them
	case t.IsOperator():
		return chroma.Operator
	}
	return chroma.Text
}

// goNameType is the chroma type of an identifier: predeclared types,
// constants and functions, then functions (call) and other names.
func goNameType(name string, call bool) chroma.TokenType {
	switch name {
	case "true", "false", "nil", "iota":
		return chroma.KeywordConstant
	case "bool", "byte", "complex64", "complex128", "error", "float32", "float64", "int", "int8",
		"int16", "int32", "int64", "rune", "string", "uint", "uint8", "uint16", "uint32", "uint64",
		"uintptr", "any", "comparable":
		if call {
			return chroma.NameBuiltin
		}
		return chroma.KeywordType
	case "append", "cap", "clear", "close", "complex", "copy", "delete", "imag", "len", "make", "max",
		"min", "new", "panic", "print", "println", "real", "recover":
		if call {
			return chroma.NameBuiltin
		}
	}
	if call {
		return chroma.NameFunction
	}
	return chroma.NameOther
}
