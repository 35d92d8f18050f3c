// Package layering checks that imports point down the layers STYLE.md
// describes: terminal → service → debugger → proc/native + symbols.
package layering

import (
	"os/exec"
	"strings"
	"testing"
)

const mod = "github.com/godbg/godbg/"

// forbidden maps a package prefix to the imports it must not have. The
// upper layers (service/debugger, service/dap, service/rpc, pkg/terminal,
// pkg/proc/target) list what they may import instead: allowed_test.go.
var forbidden = []struct {
	pkg   string
	not   []string
	exact bool
}{
	{pkg: "pkg/proc", not: []string{"golang.org/x/sys/unix", mod + "pkg/proc/native", mod + "service", mod + "pkg/terminal"}, exact: true},
	{pkg: "pkg/proc/eval", not: []string{"golang.org/x/sys/unix", mod + "pkg/proc/native", mod + "service"}},
	{pkg: "pkg/proc/variables", not: []string{"golang.org/x/sys/unix", mod + "pkg/proc/native", mod + "service"}},
	{pkg: "pkg/proc/stack", not: []string{"golang.org/x/sys/unix", mod + "pkg/proc/native", mod + "service"}},
	{pkg: "pkg/proc/goroutines", not: []string{"golang.org/x/sys/unix", mod + "pkg/proc/native", mod + "service"}},
	{pkg: "pkg/proc/values", not: []string{"golang.org/x/sys/unix", mod + "pkg/proc/native", mod + "service"}},
	{pkg: "pkg/proc/expr", not: []string{"golang.org/x/sys/unix", mod + "pkg/proc/native", mod + "service"}},
	{pkg: "pkg/proc/core", not: []string{mod + "pkg/proc/native", mod + "service", mod + "pkg/terminal"}},
	{pkg: "pkg/symbols", not: []string{mod + "pkg/proc", mod + "service", mod + "pkg/terminal"}},
	{pkg: "pkg/locspec", not: []string{mod + "pkg/proc", mod + "service", mod + "pkg/terminal"}},
	{pkg: "pkg/dwarf", not: []string{mod + "pkg/proc", mod + "service", mod + "pkg/terminal", mod + "pkg/symbols"}},
	{pkg: "pkg/disasm", not: []string{mod + "pkg/proc", mod + "service", mod + "pkg/terminal"}},
	{pkg: "service/api", not: []string{mod}},
	{pkg: "pkg/config", not: []string{mod}}, // flow: a leaf the terminal and cmd read
	{pkg: "service", not: []string{mod + "pkg/", mod + "service/debugger"}, exact: true},
	// trace: the eBPF backend sits beside native, below service.
	{pkg: "pkg/proc/ebpf", not: []string{mod + "pkg/proc/native", mod + "service", mod + "pkg/terminal"}},
}

func TestImportsPointDown(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", mod+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		pkg, imports := strings.TrimPrefix(f[0], mod), f[1:]
		for _, imp := range imports {
			if strings.HasPrefix(imp, mod+"cmd") {
				t.Errorf("%s imports %s: nothing may import a command", pkg, imp)
			}
			for _, rule := range forbidden {
				if pkg != rule.pkg && (rule.exact || !strings.HasPrefix(pkg, rule.pkg+"/")) {
					continue
				}
				for _, bad := range rule.not {
					if imp == bad || strings.HasPrefix(imp, bad+"/") || (strings.HasSuffix(bad, "/") && strings.HasPrefix(imp, bad)) {
						t.Errorf("%s imports %s: against the layering in STYLE.md", pkg, imp)
					}
				}
			}
		}
	}
}
