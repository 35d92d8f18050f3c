// Package terminal is godbg's command line: the prompt with line editing
// and history when standard input is a terminal, one command per line
// otherwise; Enter repeats the last command at a terminal.
//
// Each command lives in its own file (usage, help, aliases, handler). The
// package talks to the debugger through service.Client only and writes to
// an io.Writer; it never imports pkg/proc or a backend.
package terminal
