package terminal

import (
	"fmt"
	"path/filepath"

	"github.com/godbg/godbg/service/api"
)

// formatWhere is a location without the pc: "main.main() ./main.go:12".
func formatWhere(l api.Location) string {
	lib := ""
	if l.Library != "" {
		lib = " from " + filepath.Base(l.Library)
	}
	switch {
	case l.Function != "" && l.Line > 0:
		return fmt.Sprintf("%s() %s:%d", l.Function, shortPath(l.File), l.Line)
	case l.Function != "":
		return fmt.Sprintf("%s+%#x%s", l.Function, l.Offset, lib)
	}
	return "??" + lib
}
