package debugger

import (
	"bufio"
	"debug/dwarf"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/godbg/godbg/pkg/proc/variables"
	"github.com/godbg/godbg/pkg/symbols"
)

// variadicRefusal refuses a call of a variadic function (call does not
// pack arguments into the final slice). DWARF does not mark variadic
// functions, so the declaration in the source decides; without the
// source a function whose last parameter is a slice gets a hint when its
// arguments do not fit (see variadicHint).
func variadicRefusal(fn *symbols.Func, ps []*variables.FrameVar) error {
	last := lastSliceParam(ps)
	if last == nil || !declaresVariadic(fn, last.Name) {
		return nil
	}
	return fmt.Errorf("%w %s: variadic calls are not supported (its last parameter is %s ...%s): call does not pack arguments into the final slice",
		errCall, fn.Name, last.Name, strings.TrimPrefix(sliceName(last.Type), "[]"))
}

// variadicHint adds to err a note on variadic functions when the last
// parameter is a slice and the source could not be read.
func variadicHint(fn *symbols.Func, ps []*variables.FrameVar, err error) error {
	if last := lastSliceParam(ps); last != nil {
		return fmt.Errorf("%w (if %s is variadic: variadic calls are not supported)", err, fn.Name)
	}
	return err
}

func lastSliceParam(ps []*variables.FrameVar) *variables.FrameVar {
	if len(ps) == 0 || sliceName(ps[len(ps)-1].Type) == "" {
		return nil
	}
	return ps[len(ps)-1]
}

// sliceName is the Go name of a slice type ("" for other types).
func sliceName(t dwarf.Type) string {
	if st, ok := t.(*dwarf.StructType); ok && strings.HasPrefix(st.StructName, "[]") {
		return st.StructName
	}
	return ""
}

// declaresVariadic reads fn's declaration (at most 20 lines from its
// func line to the opening brace) for "name ...".
func declaresVariadic(fn *symbols.Func, name string) bool {
	if fn.File == "" || fn.Line <= 0 {
		return false
	}
	f, err := os.Open(fn.File)
	if err != nil {
		return false
	}
	defer f.Close()
	re := regexp.MustCompile(`\b` + regexp.QuoteMeta(name) + `\s*\.\.\.`)
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan() && n < fn.Line+20; n++ {
		if n < fn.Line {
			continue
		}
		if re.MatchString(sc.Text()) {
			return true
		}
		if strings.Contains(sc.Text(), "{") {
			return false
		}
	}
	return false
}
