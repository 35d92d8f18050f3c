package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/godbg/godbg/service/debugger"
)

// launchFlags are the flags of a program godbg starts (exec, debug, test),
// named as Delve names them.
type launchFlags struct {
	wd       string
	redirect []string
	tty      string
	// build: debug and test only.
	buildFlags string
	output     string
}

func (f *launchFlags) register(c *cobra.Command, s *sessionFlags, build bool) {
	c.Flags().StringVar(&f.wd, "wd", "", "working directory of the program (default: godbg's; for test, the package's directory)")
	c.Flags().StringArrayVarP(&f.redirect, "redirect", "r", nil,
		"redirect the program's standard streams: -r FILE (stdin), -r stdin:FILE, -r stdout:FILE, -r stderr:FILE; repeatable")
	c.Flags().StringVar(&f.tty, "tty", "", "terminal device (/dev/pts/N) to give the program as stdin, stdout and stderr")
	c.Flags().BoolVar(&s.cont, "continue", false, "run the program at once instead of stopping before its first instruction")
	if build {
		c.Flags().StringVar(&f.buildFlags, "build-flags", "", `flags for the go command, e.g. --build-flags="-tags=integration -race"`)
		c.Flags().StringVar(&f.output, "output", "", "path of the binary to build (default: a temporary directory); removed when the session ends, as Delve does")
	}
}

// launch starts the session of cfg with these flags applied.
func (f *launchFlags) launch(s *sessionFlags, cfg debugger.Config) error {
	done, err := f.apply(&cfg)
	if err != nil {
		return err
	}
	defer done()
	return runSession(cfg, s)
}

// buildAndLaunch builds pkg (its tests with test), launches the binary with
// cfg's arguments, removes it at the end and lets rebuild build it again.
func (f *launchFlags) buildAndLaunch(s *sessionFlags, test bool, pkg string, cfg debugger.Config) error {
	bin, cleanup, err := goBuild(test, pkg, f.buildFlags, f.output)
	if err != nil {
		return err
	}
	defer cleanup()
	s.rebuild = rebuilder(test, pkg, f.buildFlags, bin)
	cfg.Path = bin
	return f.launch(s, cfg)
}

// apply sets the working directory and standard streams of cfg; the
// returned function closes the files it opened.
func (f *launchFlags) apply(cfg *debugger.Config) (func(), error) {
	if f.wd != "" {
		if st, err := os.Stat(f.wd); err != nil || !st.IsDir() {
			return nil, fmt.Errorf("--wd %s: not a directory", f.wd)
		}
		cfg.Dir = f.wd
	}
	var opened []*os.File
	closeAll := func() {
		for _, o := range opened {
			o.Close()
		}
	}
	open := func(path string, flag int) (*os.File, error) {
		o, err := os.OpenFile(path, flag, 0o644)
		if err != nil {
			return nil, err
		}
		opened = append(opened, o)
		return o, nil
	}
	if f.tty != "" {
		o, err := open(f.tty, os.O_RDWR)
		if err != nil {
			closeAll()
			return nil, fmt.Errorf("--tty: %w", err)
		}
		cfg.Stdin, cfg.Stdout, cfg.Stderr = o, o, o
	}
	for _, r := range f.redirect {
		stream, path, ok := strings.Cut(r, ":")
		if !ok {
			stream, path = "stdin", r
		}
		flag := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
		if stream == "stdin" {
			flag = os.O_RDONLY
		}
		o, err := open(path, flag)
		if err != nil {
			closeAll()
			return nil, fmt.Errorf("--redirect %s: %w", r, err)
		}
		switch stream {
		case "stdin":
			cfg.Stdin = o
		case "stdout":
			cfg.Stdout = o
		case "stderr":
			cfg.Stderr = o
		default:
			closeAll()
			return nil, fmt.Errorf("--redirect %s: unknown stream %q; use stdin:, stdout: or stderr:", r, stream)
		}
	}
	return closeAll, nil
}
