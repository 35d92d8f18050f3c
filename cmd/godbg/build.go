package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/godbg/godbg/pkg/terminal"
)

// atExit runs when a signal ends the session (waitAndEnd exits at once):
// it removes what godbg built.
var atExit []func()

// goBuild builds pkg without optimisations: "go build" for debug, "go test
// -c" for test. The binary goes to output or a fresh temporary directory;
// cleanup removes both. The compiler's errors go to standard error.
func goBuild(test bool, pkg, buildFlags, output string) (bin string, cleanup func(), err error) {
	flags, err := terminal.SplitArgs(buildFlags)
	if err != nil {
		return "", nil, fmt.Errorf("--build-flags: %w", err)
	}
	dir, err := os.MkdirTemp("", "godbg-debug-")
	if err != nil {
		return "", nil, err
	}
	bin = filepath.Join(dir, "__debug_bin")
	if output != "" {
		if bin, err = filepath.Abs(output); err != nil {
			os.RemoveAll(dir)
			return "", nil, err
		}
		if fi, err := os.Stat(bin); err == nil && fi.IsDir() {
			os.RemoveAll(dir)
			return "", nil, fmt.Errorf("--output %s is a directory; give the path of the binary to write", output)
		}
	}
	cleanup = func() { os.Remove(bin); os.RemoveAll(dir) }
	if err := buildTo(test, pkg, flags, bin); err != nil {
		cleanup()
		return "", nil, err
	}
	atExit = append(atExit, cleanup)
	return bin, cleanup, nil
}

// buildTo builds pkg into bin: into a new file first, renamed over bin, so
// that a running bin (rebuild) is not written to.
func buildTo(test bool, pkg string, flags []string, bin string) error {
	args := []string{"build"}
	if test {
		args = []string{"test", "-c"}
	}
	tmp := bin + ".new"
	args = append(args, "-gcflags=all=-N -l", "-o", tmp)
	cmd := goCommand(pkg, append(args, flags...)...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("building %s failed (%v); fix the build errors above", pkg, err)
	}
	if _, err := os.Stat(tmp); err != nil {
		return fmt.Errorf("go %s wrote no binary for %s (a package without _test.go files has no test binary)", args[0], pkg)
	}
	if err := os.Rename(tmp, bin); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing the binary: %w", err)
	}
	return nil
}

// rebuilder builds pkg again into bin (terminal: rebuild).
func rebuilder(test bool, pkg, buildFlags, bin string) func() error {
	return func() error {
		flags, err := terminal.SplitArgs(buildFlags)
		if err != nil {
			return err
		}
		return buildTo(test, pkg, flags, bin)
	}
}

// packageDir is the directory of the package pkg names, as go test runs
// its binary there.
func packageDir(pkg, buildFlags string) (string, error) {
	flags, _ := terminal.SplitArgs(buildFlags)
	var out, errb bytes.Buffer
	cmd := goCommand(pkg, append(append([]string{"list"}, flags...), "-f", "{{.Dir}}")...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("no package %s: %s", pkg, strings.TrimSpace(errb.String()))
	}
	dirs := strings.Fields(out.String())
	if len(dirs) != 1 {
		return "", fmt.Errorf("%s names %d packages; give one", pkg, len(dirs))
	}
	return dirs[0], nil
}

// goCommand runs go with args and the package last. A package given as a
// directory is built from inside it, so that a directory of another module
// (with its own go.mod) builds as go test would there.
func goCommand(pkg string, args ...string) *exec.Cmd {
	if st, err := os.Stat(pkg); err == nil && st.IsDir() {
		cmd := exec.Command("go", append(args, ".")...)
		cmd.Dir = pkg
		return cmd
	}
	return exec.Command("go", append(args, pkg)...)
}
