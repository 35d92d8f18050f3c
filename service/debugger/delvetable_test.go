package debugger_test

import (
	"fmt"
	"github.com/godbg/godbg/pkg/proc/values"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/godbg/godbg/service/api"
	"github.com/godbg/godbg/service/debugger"
)

// TestDelveVariableTables replays the expectations of Delve 1.27.2's
// pkg/proc/variables_test.go (read from the module cache, see
// delvetable_extract_test.go) against godbg on Delve's own fixtures,
// built from the module cache with -gcflags=all=-N -l. Each case is one
// expression: the value (single line, print's default limits: 64
// elements, 64 string bytes, one level of nesting) and the type must be
// Delve's, or the error Delve gives. It reports the pass rate per table
// and fails when fewer cases pass than minDelvePass. GODBG_DELVE_TABLE=v
// lists every failure.
func TestDelveVariableTables(t *testing.T) {
	dir := delveDir(t)
	tables, err := readDelveTables(filepath.Join(dir, "pkg", "proc", "variables_test.go"))
	if err != nil {
		t.Skipf("cannot read Delve's tables: %v", err)
	}
	var res tally
	minPass := minDelvePass
	sessions := []struct {
		fixture string
		breakAt string // a breakpoint before the first continue ("" none)
		groups  []string
	}{
		{"testvariables2", "", []string{"TestEvalExpression", "TestEmbeddedStruct", "TestEvalAddrAndCast", "TestIssue426", "TestSetVariable"}},
		{"testvariables", "", []string{"TestVariableEvaluation2", "TestLocalVariables", "TestMultilineVariableEvaluation", "TestVariableEvaluationShort"}},
		{"consts", "", []string{"TestConstants"}},
		{"pkgrenames", "", []string{"TestPackageRenames"}},
		{"testvariables_generic", "", []string{"TestEvalExpressionGenerics"}},
		{"issue3548", "issue3548.go:32", []string{"TestCapturedVariable"}},
		{"testvariablescgo", "", []string{"TestCgoEval"}}, // expr2: C variables of a cgo program
	}
	for _, s := range sessions {
		bin, err := buildDelveFixture(dir, s.fixture)
		if err != nil && s.fixture == "testvariablescgo" {
			t.Logf("not replaying TestCgoEval: %v", err) // no C compiler
			minPass -= cgoPass
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", s.fixture, err)
			continue
		}
		r := &replay{t: t, res: &res}
		r.session(bin, s.breakAt, s.groups, tables)
	}
	res.report(t)
	if res.pass < minPass {
		t.Errorf("%d of Delve's cases pass, fewer than the %d that passed before", res.pass, minPass)
	}
}

// minDelvePass is how many cases passed when this was last measured; a
// change that makes fewer pass is a regression.
const minDelvePass = 441

// cgoPass is how many of those are TestCgoEval's (not run without cgo).
const cgoPass = 11

// wordingOnly marks a case where Delve and godbg both give an error but
// word it differently: godbg's errors start with the failing part of the
// expression and use Go's words ("index out of range [5] with length 5"
// where Delve says "index out of bounds"). Counted apart, as deliberate.
const wordingOnly = "error wording: "

// deliberate lists cases where godbg differs from Delve on purpose, with
// the reason; they count apart.
var deliberate = map[string]string{
	"TestEvalExpression ch1 == chnil": "channels are comparable in Go; godbg compares them, Delve refuses",
	"TestEvalExpression afunc":        "godbg spells a function value's type from its DWARF parameters (func(int) int); Delve says func()",
	"TestEvalExpression main.afunc2":  "godbg spells a function value's type from its DWARF parameters (func() int); Delve says func()",
}

type tally struct {
	pass, fail, skip, marked int
	wording                  int               // of marked: both error, worded differently
	byGroup                  map[string][2]int // pass, total
	failures                 []string
}

func (r *tally) add(group, name string, ok bool, why string) {
	if r.byGroup == nil {
		r.byGroup = map[string][2]int{}
	}
	g := r.byGroup[group]
	g[1]++
	if ok {
		g[0]++
		r.pass++
	} else if strings.HasPrefix(why, wordingOnly) {
		r.marked++
		r.wording++
		r.failures = append(r.failures, fmt.Sprintf("%s %q: deliberate: %s", group, name, why))
	} else if reason, isMarked := deliberate[group+" "+name]; isMarked {
		r.marked++
		r.failures = append(r.failures, fmt.Sprintf("%s %q: deliberate (%s): %s", group, name, reason, why))
	} else {
		r.fail++
		r.failures = append(r.failures, fmt.Sprintf("%s %q: %s", group, name, why))
	}
	r.byGroup[group] = g
}

func (r *tally) report(t *testing.T) {
	groups := make([]string, 0, len(r.byGroup))
	for g := range r.byGroup {
		groups = append(groups, g)
	}
	sort.Strings(groups)
	for _, g := range groups {
		t.Logf("%-28s %3d/%3d", g, r.byGroup[g][0], r.byGroup[g][1])
	}
	total := r.pass + r.fail + r.marked
	if total > 0 {
		t.Logf("Delve tables: %d/%d pass (%.1f%%), %d wrong or erroring (%.1f%%), %d deliberate differences (%d error wording), %d not replayable",
			r.pass, total, 100*float64(r.pass)/float64(total), r.fail, 100*float64(r.fail)/float64(total), r.marked, r.wording, r.skip)
	}
	if os.Getenv("GODBG_DELVE_TABLE") != "" {
		for _, f := range r.failures {
			t.Log(f)
		}
	}
}

type replay struct {
	t   *testing.T
	res *tally
	d   *debugger.Debugger
}

var normalLoad = api.LoadConfig{MaxStringLen: 64, MaxArrayValues: 64, MaxDepth: 1}

// shortLoad is Delve's pshortLoadConfig: strings of 64 bytes, three
// struct fields, nothing else (no elements, no pointers followed).
var shortLoad = values.LoadConfig{MaxStringLen: 64, MaxStructFields: 3}

// session runs one fixture to its runtime.Breakpoint (or breakAt) and
// replays the groups there.
func (r *replay) session(bin, breakAt string, groups []string, tables map[string][]dcase) {
	devnull, _ := os.Open(os.DevNull)
	defer devnull.Close()
	d, _, err := debugger.New(debugger.Config{Path: bin, Stdout: devnull, Stderr: devnull})
	if err != nil {
		r.t.Errorf("%s: %v", bin, err)
		return
	}
	defer d.Close()
	r.d = d
	if breakAt != "" {
		if _, err := d.CreateBreakpoint("", breakAt, ""); err != nil {
			r.t.Errorf("break %s: %v", breakAt, err)
			return
		}
	}
	stop := -1
	for _, g := range groups {
		for _, c := range tables[g] {
			for stop < c.stop {
				if !r.cont() {
					return
				}
				stop++
			}
			r.check(c)
		}
		switch g {
		case "TestEvalAddrAndCast":
			r.addrAndCast()
		case "TestIssue426":
			r.issue426()
		}
	}
}

// cont continues to the next stop and selects the first frame outside
// the runtime (Delve steps out of runtime.Breakpoint).
func (r *replay) cont() bool {
	if _, err := r.d.Continue(); err != nil {
		r.t.Errorf("continue: %v", err)
		return false
	}
	frames, err := r.d.Stacktrace(8, false)
	if err != nil {
		r.t.Errorf("stack: %v", err)
		return false
	}
	for i, f := range frames {
		if !strings.HasPrefix(f.Location.Function, "runtime.") {
			if _, err := r.d.SelectFrame(i); err != nil {
				r.t.Errorf("frame %d: %v", i, err)
				return false
			}
			break
		}
	}
	return true
}

// notApplicable are cases Delve's tests choose by Go version, for
// versions other than the one running.
var notApplicable = map[string]bool{
	"TestEvalExpression **(**runtime.hmap)(uintptr(&m1))": runtime.Version() >= "go1.24",
}

func (r *replay) check(c dcase) {
	if c.skipWhy != "" || notApplicable[c.group+" "+c.name] {
		r.res.skip++
		return
	}
	var ok bool
	var why string
	name := c.name
	switch {
	case c.local != "":
		name = c.local + " " + c.name
		ok, why = r.checkLocal(c)
	case c.setExpr != "":
		name = c.name + " = " + c.setExpr
		ok, why = r.checkSet(c)
	default:
		cfg := normalLoad
		if c.group == "TestMultilineVariableEvaluation" {
			cfg.Multiline = true // expr2: print -v's layout
		}
		v, err := r.d.Eval(c.name, cfg)
		if c.group == "TestVariableEvaluationShort" {
			v, err = debugger.EvalLoad(r.d, c.name, shortLoad)
		}
		ok, why = matchEval(c, v, err)
	}
	r.res.add(c.group, name, ok, why)
}

// matchEval compares one evaluation with Delve's expectation; it
// returns whether it matches and, if not, what differs.
func matchEval(c dcase, v *api.Variable, err error) (bool, string) {
	if err == nil && v != nil && v.Err != "" && v.Value == "" {
		err = fmt.Errorf("%s", v.Err)
	}
	if c.errs != nil {
		if err == nil {
			return false, fmt.Sprintf("want error %q, got %s %s", c.errs, v.Type, v.Value)
		}
		if c.errs[0] == "*" || slices.Contains(c.errs, err.Error()) {
			return true, ""
		}
		return false, fmt.Sprintf("%swant error %q, got error %q", wordingOnly, c.errs, err)
	}
	if err != nil {
		return false, fmt.Sprintf("want %s %q, got error %q", c.typ, c.value, err)
	}
	if !matchValue(v.Value, c.value) || v.Type != c.typ {
		return false, fmt.Sprintf("want %s %q, got %s %q", c.typ, c.value, v.Type, v.Value)
	}
	return true, ""
}

// matchValue is Delve's matching: exact, a prefix ending in "…", or
// /regexp/.
func matchValue(got, want string) bool {
	if p, ok := strings.CutSuffix(want, "…"); ok {
		return strings.HasPrefix(got, p)
	}
	if len(want) > 1 && strings.HasPrefix(want, "/") && strings.HasSuffix(want, "/") {
		re, err := regexp.Compile(want[1 : len(want)-1])
		return err == nil && re.MatchString(got)
	}
	return got == want
}

func (r *replay) checkLocal(c dcase) (bool, string) {
	list, err := r.d.Locals("", normalLoad)
	if c.local == "args" {
		list, err = r.d.Args(normalLoad)
	}
	if err != nil {
		return false, err.Error()
	}
	for i := range list {
		if list[i].Name == c.name {
			return matchEval(c, &list[i], nil)
		}
	}
	return false, "not listed"
}

func (r *replay) checkSet(c dcase) (bool, string) {
	v, err := r.eval(c.name)
	if ok, why := matchEval(dcase{value: c.value, typ: c.typ}, v, err); !ok {
		return false, "before: " + why
	}
	err = r.d.SetVariable(c.name, c.setExpr)
	if want, isErr := strings.CutPrefix(c.finalVal, "ERROR:"); isErr {
		if err == nil || err.Error() != want {
			return false, fmt.Sprintf("set: want error %q, got %v", want, err)
		}
		return true, ""
	}
	if err != nil {
		return false, "set: " + err.Error()
	}
	v, err = r.eval(c.name)
	ok, why := matchEval(dcase{value: c.finalVal, typ: c.typ}, v, err)
	return ok, "after: " + why
}

func (r *replay) eval(src string) (*api.Variable, error) { return r.d.Eval(src, normalLoad) }

// addrAndCast: &c1 and &(c1.pb.a) are typed pointers, and * of the
// printed pointer reads the struct back (TestEvalAddrAndCast).
func (r *replay) addrAndCast() {
	const g = "TestEvalAddrAndCast"
	v, err := r.eval("&c1")
	r.res.add(g, "&c1", err == nil && strings.HasPrefix(v.Value, "(*main.cstruct)(0x"), fmt.Sprint(v, err))
	v, err = r.eval("&(c1.pb.a)")
	ok := err == nil && strings.HasPrefix(v.Value, "(*main.astruct)(0x")
	r.res.add(g, "&(c1.pb.a)", ok, fmt.Sprint(v, err))
	if ok {
		name := "*" + v.Value
		v, err := r.eval(name)
		ok, why := matchEval(dcase{value: "main.astruct {A: 1, B: 2}", typ: "main.astruct"}, v, err)
		r.res.add(g, name, ok, why)
	}
	v, err = r.eval("up1") // TestUnsafePointer
	r.res.add("TestUnsafePointer", "up1", err == nil && strings.HasPrefix(v.Value, "unsafe.Pointer("), fmt.Sprint(v, err))
}

// issue426: casts to quoted type names, as Delve spells anonymous types.
func (r *replay) issue426() {
	for _, tc := range [][2]string{
		{"iface1", `interface {}`},
		{"mapanonstruct1", `map[string]struct {}`},
		{"anonstruct1", `struct { main.val go/constant.Value }`},
		{"anonfunc", `func(struct { main.i int }, interface {}, struct { main.val go/constant.Value })`},
		{"anonstruct2", `struct { main.i int; main.j int }`},
		{"anoniface1", `interface { OtherFunction(int, int); SomeFunction(struct { main.val go/constant.Value }) }`},
	} {
		v, err := r.eval("&" + tc[0])
		if err != nil {
			r.res.add("TestIssue426", tc[0], false, err.Error())
			continue
		}
		src := fmt.Sprintf("(*%q)(%s)", tc[1], hexAddr.FindString(v.Value))
		_, err = r.eval(src)
		r.res.add("TestIssue426", src, err == nil, fmt.Sprint(err))
	}
}

var hexAddr = regexp.MustCompile(`0x[0-9a-f]+`)

// delveDir returns Delve 1.27.2's source in the module cache, downloading
// it if needed, or skips the test.
func delveDir(t *testing.T) string {
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Skipf("go env GOMODCACHE: %v", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "github.com", "go-delve", "delve@v1.27.2")
	if _, err := os.Stat(filepath.Join(dir, "_fixtures", "testvariables2.go")); err == nil {
		return dir
	}
	cmd := exec.Command("go", "mod", "download", "github.com/go-delve/delve@v1.27.2")
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "GO111MODULE=on", "GOFLAGS=-mod=mod")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("Delve 1.27.2 is not in the module cache and could not be downloaded (%v: %s)", err, msg)
	}
	return dir
}

// buildDelveFixture builds one of Delve's fixtures (once per Go version).
func buildDelveFixture(dir, name string) (string, error) {
	cache := filepath.Join(os.TempDir(), "godbg-delve-fixtures-"+runtime.Version())
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return "", err
	}
	bin := filepath.Join(cache, name)
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	src := "./" + name + ".go"
	if st, err := os.Stat(filepath.Join(dir, "_fixtures", name)); err == nil && st.IsDir() {
		src = "./" + name // a directory: testvariablescgo
	}
	cmd := exec.Command("go", "build", "-gcflags=all=-N -l", "-o", bin+".tmp", src)
	cmd.Dir = filepath.Join(dir, "_fixtures")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building Delve's fixture %s: %v: %s", name, err, msg)
	}
	return bin, os.Rename(bin+".tmp", bin)
}
