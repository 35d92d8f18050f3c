package layering

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// noProcfs are the packages that must not read /proc themselves: the
// backend (pkg/proc/native) does it for them (issue 12).
var noProcfs = []string{"service/debugger", "pkg/proc/target"}

// TestNoProcfsAboveTheBackend fails if a string literal naming a /proc
// path appears in the non-test source of those packages.
func TestNoProcfsAboveTheBackend(t *testing.T) {
	for _, pkg := range noProcfs {
		files, err := filepath.Glob(filepath.Join("..", "..", pkg, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no Go files in %s: %v", pkg, err)
		}
		fset := token.NewFileSet()
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				if v, err := strconv.Unquote(lit.Value); err == nil && strings.HasPrefix(v, "/proc/") {
					t.Errorf("%s: %q: %s reads /proc itself; ask the backend (pkg/proc/native)", fset.Position(lit.Pos()), v, pkg)
				}
				return true
			})
		}
	}
}
