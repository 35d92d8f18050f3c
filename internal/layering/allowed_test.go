package layering

import (
	"os/exec"
	"strings"
	"testing"
)

// allowed lists, for the upper layers, every import outside the standard
// library they may have (issue 12): a new one fails the test until it is
// added here on purpose. An entry ending in "/..." allows the packages
// below it too.
var allowed = map[string][]string{
	// The service: locking, selection, conversion to api types, error
	// text. Processes, images, frames and stepping come through
	// pkg/proc/target; never pkg/dwarf, pkg/proc/stack or a backend.
	"service/debugger": {
		mod + "pkg/proc", mod + "pkg/proc/target",
		mod + "pkg/proc/expr", mod + "pkg/proc/values", mod + "pkg/proc/variables",
		mod + "pkg/proc/goroutines", mod + "pkg/proc/syscalls",
		mod + "pkg/symbols", mod + "pkg/locspec", mod + "pkg/disasm",
		mod + "service/api",
		// ebpf (trace_ebpf.go): the eBPF tracer's process runs beside
		// ptrace; it waits for it with x/sys/unix.
		mod + "pkg/proc/ebpf", "golang.org/x/sys/unix",
	},
	"pkg/proc/target": {
		mod + "pkg/proc", mod + "pkg/proc/stack", mod + "pkg/proc/goroutines",
		mod + "pkg/proc/native", mod + "pkg/proc/core",
		mod + "pkg/symbols", mod + "pkg/locspec", mod + "pkg/dwarf/...",
		// breakpoint conditions (cond.go): compiled by print's language,
		// bound to the variables at each address, evaluated at each hit.
		mod + "pkg/proc/eval", mod + "pkg/proc/expr", mod + "pkg/proc/values", mod + "pkg/proc/variables",
	},
	// The shared in-process test harness (issue 12): only tests import
	// it (TestAllowedImports checks).
	"pkg/proc/target/targettest": {
		mod + "pkg/proc", mod + "pkg/proc/proctest", mod + "pkg/proc/target", mod + "pkg/symbols",
	},
	"pkg/proc/proctest": {
		mod + "internal/fixtures", mod + "pkg/proc", mod + "pkg/proc/native", mod + "pkg/symbols",
	},
	"pkg/terminal": {
		mod + "service", mod + "service/api", mod + "pkg/config",
		"github.com/peterh/liner", "golang.org/x/term",
		"go.starlark.net/...", "github.com/alecthomas/chroma/v2/...",
	},
	"service/rpc": {mod + "service", mod + "service/api"},
	"service/dap": {
		mod + "service", mod + "service/api", mod + "service/debugger",
		"github.com/google/go-dap", "golang.org/x/sys/unix",
	},
}

// TestAllowedImports fails on an import of a listed layer that its list
// does not name.
func TestAllowedImports(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", mod+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		pkg := strings.TrimPrefix(f[0], mod)
		for _, imp := range f[1:] {
			if (imp == mod+"pkg/proc/target/targettest" || imp == mod+"pkg/proc/proctest") && pkg != "pkg/proc/target/targettest" { // go list's Imports leave test files out
				t.Errorf("%s imports %s, a test harness: only _test.go files may", pkg, imp)
			}
		}
		list, ok := allowed[pkg]
		if !ok {
			continue
		}
		seen[pkg] = true
		for _, imp := range f[1:] {
			if isStd(imp) || allows(list, imp) {
				continue
			}
			t.Errorf("%s imports %s, which its layer does not allow: use the layer below it, or add it to allowed in %s on purpose", pkg, imp, "internal/layering/allowed_test.go")
		}
	}
	for pkg := range allowed {
		if !seen[pkg] {
			t.Errorf("allowed names %s, which go list does not know", pkg)
		}
	}
}

// isStd reports a standard-library import (no dot in its first element).
func isStd(imp string) bool {
	first, _, _ := strings.Cut(imp, "/")
	return !strings.Contains(first, ".")
}

func allows(list []string, imp string) bool {
	for _, a := range list {
		if a == imp || strings.HasSuffix(a, "/...") && (imp == strings.TrimSuffix(a, "/...") || strings.HasPrefix(imp, strings.TrimSuffix(a, "..."))) {
			return true
		}
	}
	return false
}
