package terminal

import (
	"fmt"

	"github.com/godbg/godbg/service/api"
)

// formatWhere is a location without the pc: "main.main() ./main.go:12".
func formatWhere(l api.Location) string {
	switch {
	case l.Function != "" && l.Line > 0:
		return fmt.Sprintf("%s() %s:%d", l.Function, shortPath(l.File), l.Line)
	case l.Function != "":
		return fmt.Sprintf("%s+%#x", l.Function, l.Offset)
	}
	return "??"
}
