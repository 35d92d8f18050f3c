//go:build flowtag

package calc

import "os"

// With -tags=flowtag the test binary says so (godbg --build-flags).
func init() { os.Stdout.WriteString("built with flowtag\n") }
