package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// dumpScenario writes a core of a small running Go program (testdata/
// manygoros with 100 goroutines, untraced): godbg attach + dump + detach,
// against gdb's gcore (attach + dump + detach), timed from start to exit;
// and compares the files' sizes (apparent size, and blocks on disk: our
// dump is sparse). After each run the program must be running, not left
// stopped.
func dumpScenario(c *config) []*Scenario {
	s := &Scenario{
		Name:     "dump",
		Title:    "core dump of a running Go program (100 goroutines), attach to detach",
		Baseline: "gcore",
		Target:   Target{Text: "godbg dump <= 0.5x gcore time", Unit: "x_baseline", Limit: 0.5},
		More:     []Target{{Text: "godbg dump <= 0.1x gcore file size", Unit: "x_ref_size", Limit: 0.1, Ref: "gcore"}},
	}
	prog, err := buildGoFixture(c.tmp, "manygoros", "-gcflags=all=-N -l")
	if err != nil {
		failAll(s, []string{"gcore", "godbg"}, "building the fixture: %v", err)
		return []*Scenario{s}
	}
	gdb, god := c.tools["gdb"], c.tools["godbg"]
	gcore := tool{missing: gdb.missing}
	if gdb.path != "" {
		if p, err := exec.LookPath("gcore"); err == nil {
			gcore = tool{path: p, version: gdb.version}
		} else {
			gcore = tool{missing: "skipped (gcore not installed)"}
		}
	}
	type session struct {
		name string
		tool tool
		run  func(pid int, file string) error
	}
	sessions := []session{
		{"gcore", gcore, func(pid int, file string) error {
			// gcore -o PREFIX writes PREFIX.PID.
			out, err := exec.Command(gcore.path, "-o", file, strconv.Itoa(pid)).CombinedOutput()
			if err == nil {
				err = os.Rename(fmt.Sprintf("%s.%d", file, pid), file)
			}
			if err != nil {
				return fmt.Errorf("gcore: %v: %s", err, lastLines(string(out), 3))
			}
			return nil
		}},
		{"godbg", god, func(pid int, file string) error {
			cmd := exec.Command(god.path, "attach", strconv.Itoa(pid))
			cmd.Stdin = strings.NewReader("dump " + file + "\n")
			out, err := cmd.CombinedOutput()
			if err != nil || !strings.Contains(string(out), "Core file written to") {
				return fmt.Errorf("godbg: %v: %s", err, lastLines(string(out), 3))
			}
			return nil
		}},
	}
	for _, ss := range sessions {
		r := &Result{Tool: ss.name}
		s.Results = append(s.Results, r)
		if c.skipped(r, ss.tool) {
			continue
		}
		var sizes []float64
		c.series(r, func() (time.Duration, string) {
			fx, err := startProgram(prog, "100")
			if err != nil {
				return 0, err.Error()
			}
			defer fx.stop()
			file := filepath.Join(c.tmp, "bench.core")
			os.Remove(file)
			defer os.Remove(file)
			t0 := time.Now()
			if err := ss.run(fx.pid, file); err != nil {
				return 0, err.Error()
			}
			d := time.Since(t0)
			var st syscall.Stat_t
			if err := syscall.Stat(file, &st); err != nil {
				return 0, fmt.Sprintf("no core file: %v", err)
			}
			sizes = append(sizes, float64(st.Size)/(1<<20))
			r.DiskMiB = append(r.DiskMiB, float64(st.Blocks*512)/(1<<20))
			time.Sleep(20 * time.Millisecond)
			if state := procState(fx.pid); state == "t" || state == "T" || state == "" {
				return 0, fmt.Sprintf("the program was left in state %q after the dump", state)
			}
			return d, ""
		})
		if len(sizes) >= len(r.SamplesS) {
			r.FileMiB = sizes[len(sizes)-len(r.SamplesS):]
			r.DiskMiB = r.DiskMiB[len(r.DiskMiB)-len(r.SamplesS):]
		}
	}
	return []*Scenario{s}
}

// startProgram starts prog untraced, in its own process group, and waits
// for a line starting with "ready"; its later output is drained.
func startProgram(prog string, args ...string) (*fixture, error) {
	cmd := exec.Command(prog, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	fx := &fixture{pid: cmd.Process.Pid, cmd: cmd}
	track(fx.pid)
	ready := make(chan error, 1)
	go func() {
		br := bufio.NewReader(out)
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				ready <- err
				return
			}
			if strings.HasPrefix(line, "ready") {
				ready <- nil
				// Keep draining so the program never blocks on stdout.
				for {
					if _, err := br.ReadString('\n'); err != nil {
						return
					}
				}
			}
		}
	}()
	select {
	case err = <-ready:
	case <-time.After(30 * time.Second):
		err = fmt.Errorf("no \"ready\" after 30 s")
	}
	if err != nil {
		fx.stop()
		return nil, err
	}
	return fx, nil
}

// procState is the process's state letter in /proc/<pid>/stat.
func procState(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return ""
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 || i+2 >= len(s) {
		return ""
	}
	return s[i+2 : i+3]
}
