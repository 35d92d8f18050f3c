// Command bench compares godbg with native runs, bare ptrace, gdb, dlv and
// strace on debugger-heavy scenarios, and prints median wall times.
//
//	go run ./bench [flags] [attach|threads|cond|load|syscalls|next|stack|goroutines|print|all]...
//
// It builds godbg from ./cmd/godbg and the C fixtures in testdata/ itself;
// tools that are not installed are skipped. See bench/README.md.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// config is what every scenario needs.
type config struct {
	runs, warmup int
	timeout      time.Duration
	sleepers     int   // threads in the attach fixture
	churn        int   // threads created by the churn fixture
	goChurn      int   // threads created by the gochurn fixture
	hits         int   // calls of main.hot in the cond fixture
	nextIters    []int // loop lengths of the call next steps over, one table each
	depth        int   // recursion depth in the stack fixture
	goroutines   int   // parked goroutines in the goroutines fixture
	tmp          string
	bins         map[string]string // fixture name -> binary
	tools        map[string]tool   // "godbg", "gdb", "dlv", "strace"
	only         map[string]bool   // -tools filter; nil means all
	verbose      bool

	// watch: loop iterations of the watch fixture (debug register, page protection)
	watchIters, watchPageIters int
}

// scenarios maps a name on the command line to the tables it prints (most
// print one; next prints one per -next-iters value).
var scenarios = map[string]func(*config) []*Scenario{
	"attach":     one(attachScenario),
	"threads":    threadsScenarios, // C, then Go (churn)
	"cond":       one(condScenario),
	"load":       one(loadScenario),
	"syscalls":   one(syscallsScenario),
	"next":       nextScenarios,
	"stack":      stackScenario,
	"goroutines": goroutinesScenario,
	"dump":       dumpScenario,
	// native (issue 18)
	"condchurn": one(condChurnScenario),
	"watch":     watchScenarios, // watch
	"print":     one(firstPrintScenario),
}
var scenarioOrder = []string{"attach", "threads", "cond", "load", "syscalls", "next", "stack", "goroutines", "dump", "condchurn", "watch", "print"}

func one(f func(*config) *Scenario) func(*config) []*Scenario {
	return func(c *config) []*Scenario { return []*Scenario{f(c)} }
}

func main() { os.Exit(mainErr()) }

func mainErr() int {
	c := &config{}
	flag.IntVar(&c.runs, "n", 11, "timed runs per tool and scenario")
	flag.IntVar(&c.warmup, "warmup", 1, "untimed runs before the timed ones")
	flag.DurationVar(&c.timeout, "timeout", 60*time.Second, "per-run timeout; the tool and its target are killed past it")
	flag.IntVar(&c.sleepers, "sleepers", 1000, "threads in the attach fixture")
	flag.IntVar(&c.churn, "churn", 5000, "threads the churn fixture creates and joins")
	flag.IntVar(&c.goChurn, "go-churn", 2000, "goroutines of the gochurn fixture, each ending its own OS thread")
	flag.IntVar(&c.hits, "hits", 20000, "calls of main.hot, i.e. breakpoint hits, in the cond fixture")
	nextIters := flag.String("next-iters", "1000000,50000000", "comma-separated loop lengths of the call next steps over (next scenario; the target is about 1000000)")
	flag.IntVar(&c.depth, "depth", 1000, "recursion depth, in frames, of the stack fixture")
	flag.IntVar(&c.goroutines, "goroutines", 100000, "parked goroutines in the goroutines fixture")
	flag.IntVar(&c.watchIters, "watch-iters", 1000000000, "loop iterations of the watch fixture with a debug-register watch")
	flag.IntVar(&c.watchPageIters, "watch-page-iters", 20000, "loop iterations of the watch fixture with a page-protection watch")
	godbgPath := flag.String("godbg", "", "prebuilt godbg binary (default: go build ./cmd/godbg)")
	jsonPath := flag.String("json", "", "also write the results as JSON to this file (- for stdout)")
	only := flag.String("tools", "", "comma-separated tools to run among godbg,gdb,dlv,strace (default all; baselines always run)")
	flag.BoolVar(&c.verbose, "v", false, "print every sample as it is taken")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: go run ./bench [flags] [attach|threads|cond|load|syscalls|next|stack|goroutines|print|all]...\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	for _, f := range strings.Split(*nextIters, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && n > 0 {
			c.nextIters = append(c.nextIters, n)
		} else {
			c.nextIters = nil
			break
		}
	}
	if c.runs < 1 || c.warmup < 0 || c.hits < 1 || c.depth < 1 || c.goroutines < 1 || len(c.nextIters) == 0 {
		flag.Usage()
		return 2
	}
	var which []string
	for _, a := range flag.Args() {
		if a == "all" {
			which = append(which, scenarioOrder...)
			continue
		}
		if scenarios[a] == nil {
			fmt.Fprintf(os.Stderr, "bench: unknown scenario %q\n", a)
			flag.Usage()
			return 2
		}
		which = append(which, a)
	}
	if len(which) == 0 {
		which = scenarioOrder
	}
	if *only != "" {
		c.only = map[string]bool{}
		for _, t := range strings.Split(*only, ",") {
			c.only[strings.TrimSpace(t)] = true
		}
	}

	tmp, err := os.MkdirTemp("", "godbg-bench-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	c.tmp = tmp
	cleanup := func() {
		killTracked(tmp)
		os.RemoveAll(tmp)
	}
	defer cleanup()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		s := <-sigs
		fmt.Fprintf(os.Stderr, "\nbench: %v: killing what was started and exiting\n", s)
		cleanup()
		os.Exit(130)
	}()

	fmt.Fprintln(os.Stderr, "bench: building fixtures and godbg in", tmp)
	if c.bins, err = buildFixtures(tmp); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	c.tools = map[string]tool{
		"godbg":  buildGodbg(*godbgPath, tmp),
		"gdb":    findTool("gdb"),
		"dlv":    findTool("dlv", goBinDirs()...),
		"strace": findTool("strace"),
	}
	rep := newReport(c.runs, c.tools)
	out := os.Stdout
	if *jsonPath == "-" {
		out = os.Stderr // stdout carries the JSON
	}
	fmt.Fprintf(out, "godbg bench: %s, linux %s, %d CPUs, %d runs per tool (+%d warm-up)\n",
		rep.GoVersion, rep.Kernel, rep.CPUs, c.runs, c.warmup)
	for _, name := range []string{"godbg", "gdb", "dlv", "strace"} {
		fmt.Fprintf(out, "  %-7s %s\n", name, rep.Tools[name])
	}

	for _, name := range which {
		fmt.Fprintf(os.Stderr, "bench: scenario %s\n", name)
		for _, s := range scenarios[name](c) {
			s.finish()
			rep.Scenarios = append(rep.Scenarios, s)
			printScenario(out, s, c.runs)
		}
	}
	if *jsonPath != "" {
		if err := writeJSON(*jsonPath, rep); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			return 1
		}
	}
	// Failures (not skips, not missed targets) make the exit status 3.
	failed := 0
	for _, s := range rep.Scenarios {
		for _, r := range s.Results {
			if r.Status == "failed" {
				if failed == 0 {
					fmt.Fprintln(out, "\nFAILURES:")
				}
				failed++
				fmt.Fprintf(out, "  %s / %s: %s\n", s.Name, r.Tool, r.Error)
			}
		}
	}
	if failed > 0 {
		return 3
	}
	return 0
}

// skipped reports whether r's tool t cannot run (not installed, failed to
// build, or left out by -tools), and if so records why in r.
func (c *config) skipped(r *Result, t tool) bool {
	switch {
	case strings.HasPrefix(t.missing, "FAILED: "):
		r.Status, r.Error = "failed", strings.TrimPrefix(t.missing, "FAILED: ")
	case t.missing != "":
		r.Status, r.Error = "skipped", t.missing
	// "godbg trace" and the like are godbg for -tools.
	case c.only != nil && !c.only[strings.Fields(r.Tool)[0]] && r.Tool != "native" && r.Tool != "bare ptrace":
		r.Status, r.Error = "skipped", "skipped (-tools)"
	default:
		return false
	}
	return true
}

// measure adds tool name's result to s and, unless the tool is skipped,
// takes its series of samples with once.
func (c *config) measure(s *Scenario, name string, t tool, once func() (time.Duration, string)) {
	r := &Result{Tool: name}
	s.Results = append(s.Results, r)
	if c.skipped(r, t) {
		return
	}
	c.series(r, once)
}

// series runs once c.warmup untimed then c.runs timed times, recording the
// durations in r. The first failure ends the series; it is reported at once.
func (c *config) series(r *Result, once func() (time.Duration, string)) {
	fmt.Fprintf(os.Stderr, "  %-12s", r.Tool)
	for i := 0; i < c.warmup+c.runs; i++ {
		d, problem := once()
		if problem != "" {
			r.fail("run %d: %s", i+1, problem)
			fmt.Fprintf(os.Stderr, " FAILED\n  !!! %s: %s\n", r.Tool, r.Error)
			return
		}
		if i >= c.warmup {
			r.add(d)
		}
		if c.verbose {
			fmt.Fprintf(os.Stderr, " %.3f", d.Seconds())
		} else {
			fmt.Fprint(os.Stderr, ".")
		}
	}
	fmt.Fprintln(os.Stderr)
}
