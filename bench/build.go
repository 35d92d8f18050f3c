package main

import (
	"embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

//go:embed testdata/*.c testdata/*/main.go
var fixtureSources embed.FS

// tool is one program the scenarios can run: a path, or why it is missing.
type tool struct {
	path    string
	missing string // "" when usable, else e.g. "skipped (not installed)"
	version string
}

// buildFixtures compiles every testdata/*.c with gcc -O2 -pthread into dir
// and returns the binary paths by base name ("sleepers", "churn", ...).
func buildFixtures(dir string) (map[string]string, error) {
	ents, err := fixtureSources.ReadDir("testdata")
	if err != nil {
		return nil, err
	}
	bins := map[string]string{}
	for _, e := range ents {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".c") {
			continue // Go fixtures are built by buildGoFixture
		}
		src, err := fixtureSources.ReadFile("testdata/" + e.Name())
		if err != nil {
			return nil, err
		}
		name := strings.TrimSuffix(e.Name(), ".c")
		srcPath := filepath.Join(dir, e.Name())
		if err := os.WriteFile(srcPath, src, 0o644); err != nil {
			return nil, err
		}
		bin := filepath.Join(dir, name)
		out, err := exec.Command("gcc", "-O2", "-pthread", "-o", bin, srcPath).CombinedOutput()
		if err != nil {
			return nil, fmt.Errorf("gcc %s: %v\n%s", e.Name(), err, out)
		}
		bins[name] = bin
	}
	return bins, nil
}

// buildGodbg returns the godbg to measure: the -godbg flag's, or one built
// from ./cmd/godbg of the enclosing module. A failed build makes godbg a
// failed tool, not a fatal error.
func buildGodbg(prebuilt, dir string) tool {
	if prebuilt != "" {
		p, err := filepath.Abs(prebuilt)
		if err == nil {
			_, err = os.Stat(p)
		}
		if err != nil {
			return tool{missing: "FAILED: -godbg: " + err.Error()}
		}
		return tool{path: p, version: "prebuilt " + p}
	}
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	root := filepath.Dir(strings.TrimSpace(string(gomod)))
	if err != nil || strings.TrimSpace(string(gomod)) == "" || strings.TrimSpace(string(gomod)) == os.DevNull {
		return tool{missing: "FAILED: not inside the godbg module (run from the repo, or pass -godbg)"}
	}
	bin := filepath.Join(dir, "godbg")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/godbg")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return tool{missing: "FAILED: go build ./cmd/godbg: " + lastLines(string(out), 3)}
	}
	ver := "built from " + root
	if rev, err := exec.Command("git", "-C", root, "rev-parse", "--short", "HEAD").Output(); err == nil {
		ver += " @ " + strings.TrimSpace(string(rev))
	}
	return tool{path: bin, version: ver}
}

// findTool looks name up on PATH, then in the extra directories.
func findTool(name string, extra ...string) tool {
	p, _ := exec.LookPath(name)
	for _, d := range extra {
		if p != "" {
			break
		}
		cand := filepath.Join(d, name)
		if st, err := os.Stat(cand); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			p = cand
		}
	}
	if p == "" {
		return tool{missing: "skipped (not installed)"}
	}
	return tool{path: p, version: toolVersion(name, p)}
}

// goBinDirs returns $GOBIN and each $GOPATH/bin, where `go install` puts dlv.
func goBinDirs() []string {
	var dirs []string
	if out, err := exec.Command("go", "env", "GOBIN", "GOPATH").Output(); err == nil {
		lines := strings.Split(string(out), "\n")
		if len(lines) > 0 && strings.TrimSpace(lines[0]) != "" {
			dirs = append(dirs, strings.TrimSpace(lines[0]))
		}
		if len(lines) > 1 {
			for _, gp := range filepath.SplitList(strings.TrimSpace(lines[1])) {
				dirs = append(dirs, filepath.Join(gp, "bin"))
			}
		}
	}
	return dirs
}

// toolVersion returns the first meaningful line of the tool's version output.
func toolVersion(name, path string) string {
	arg := "--version"
	switch name {
	case "dlv":
		arg = "version"
	case "strace":
		arg = "-V"
	}
	out, _ := exec.Command(path, arg).Output()
	for _, l := range strings.Split(string(out), "\n") {
		l = strings.TrimSpace(l)
		if l != "" && l != "Delve Debugger" {
			return l
		}
	}
	return ""
}

// buildGoFixture builds the Go program testdata/name/main.go into dir/name
// (in a module of its own under dir, so that it does not depend on the
// enclosing one) with the given extra go build flags, and returns its path.
func buildGoFixture(dir, name string, flags ...string) (string, error) {
	src, err := fixtureSources.ReadFile("testdata/" + name + "/main.go")
	if err != nil {
		return "", err
	}
	mod := filepath.Join(dir, name+".src")
	if err := os.MkdirAll(mod, 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(mod, "main.go"), src, 0o644); err != nil {
		return "", err
	}
	gomod := "module " + name + "\n\ngo 1.22\n"
	if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte(gomod), 0o644); err != nil {
		return "", err
	}
	bin := filepath.Join(dir, name)
	args := append([]string{"build", "-o", bin}, flags...)
	cmd := exec.Command("go", append(args, ".")...)
	cmd.Dir = mod
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go %s (testdata/%s): %v\n%s", strings.Join(args, " "), name, err, out)
	}
	return bin, nil
}
