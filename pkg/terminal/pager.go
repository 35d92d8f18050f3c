package terminal

import (
	"bytes"
	"os"
	"os/exec"
	"strings"

	"golang.org/x/term"
)

// runPaged runs a command; with config pager true and a terminal on
// standard output, output taller than the terminal goes through $PAGER
// (default less -FRX). Commands that run the program, and source (its
// REPL prompts), print as they go.
func (t *Term) runPaged(c *command, args string) error {
	if c.repeat || c.group == "running" || c.names[0] == "source" {
		return c.run(t, args) // issue 12: no terminal query before a next
	}
	height := t.pagerHeight()
	if height == 0 {
		return c.run(t, args)
	}
	var buf bytes.Buffer
	prev := t.out
	t.out = &buf
	err := c.run(t, args)
	t.out = prev
	if bytes.Count(buf.Bytes(), []byte("\n")) < height {
		prev.Write(buf.Bytes())
		return err
	}
	if t.trans != nil {
		t.trans.f.Write(buf.Bytes())
	}
	pager := os.Getenv("PAGER")
	if strings.TrimSpace(pager) == "" {
		pager = "less -FRX"
	}
	cmd := exec.Command("/bin/sh", "-c", pager)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = &buf, os.Stdout, os.Stderr
	if perr := cmd.Run(); perr != nil {
		prev.Write(buf.Bytes()) // no pager: print it all
	}
	return err
}

// pagerHeight is the terminal's height when output is to be paged, else 0.
func (t *Term) pagerHeight() int {
	if c, err := t.config(); err != nil || !c.Pager {
		return 0
	}
	_, h, err := term.GetSize(int(os.Stdout.Fd()))
	if err != nil {
		return 0
	}
	return h
}
