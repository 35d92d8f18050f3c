package terminal

import "fmt"

func (t *Term) starlarkREPL() error { return fmt.Errorf("Starlark scripts are not supported yet") }
func (t *Term) runStarlarkFile(path string) error {
	return fmt.Errorf("Starlark scripts are not supported yet")
}
