package layering

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// runMethods are the methods of pkg/proc's backend contract that
// service/debugger reaches only through pkg/proc/target (issue 12: one
// breaklet multiplexer, one run loop, both in Target), with the files
// allowed to call them on a process directly and why.
var runMethods = map[string]map[string]string{
	"SetBreakpoint":   {"trace.go": "trace probes never stop and are a trace session's only breakpoints"},
	"ClearBreakpoint": {"trace.go": "trace probes"},
	"Continue":        {"callrun.go": "the debug-call protocol runs one injected call"},
	"StepInstruction": {"callrun.go": "the debug-call protocol"},
}

// TestDebuggerRunsOnTarget type-checks service/debugger and fails on a
// call of those methods on a pkg/proc interface (a backend process)
// outside the files listed.
func TestDebuggerRunsOnTarget(t *testing.T) {
	dir := filepath.Join("..", "..", "service", "debugger")
	out, err := exec.Command("go", "list", "-export", "-deps", "-f", "{{.ImportPath}} {{.Export}}", "./"+dir).Output()
	if err != nil {
		t.Fatalf("go list -export: %v", err)
	}
	export := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if path, file, ok := strings.Cut(line, " "); ok && file != "" {
			export[path] = file
		}
	}
	fset := token.NewFileSet()
	lookup := func(path string) (io.ReadCloser, error) { return os.Open(export[path]) }
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	var parsed []*ast.File
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, f)
	}
	info := &types.Info{Selections: map[*ast.SelectorExpr]*types.Selection{}}
	conf := types.Config{Importer: importer.ForCompiler(fset, "gc", lookup)}
	if _, err := conf.Check(mod+"service/debugger", fset, parsed, info); err != nil {
		t.Fatalf("type-checking service/debugger: %v", err)
	}
	for sel, s := range info.Selections {
		allowed, watched := runMethods[sel.Sel.Name]
		if !watched || s.Kind() != types.MethodVal || s.Obj().Pkg() == nil || s.Obj().Pkg().Path() != mod+"pkg/proc" {
			continue
		}
		pos := fset.Position(sel.Pos())
		if _, ok := allowed[filepath.Base(pos.Filename)]; !ok {
			t.Errorf("%s: service/debugger calls %s on a backend process; go through pkg/proc/target's Target (SetBreaklet, Run, StepFrom)", pos, sel.Sel.Name)
		}
	}
}
