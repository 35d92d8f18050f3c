// gospawn runs "<prog> leaf <tag>" with os/exec for each tag after the
// first argument (the path of forkfix), printing each child's exit
// status, then "done".
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: gospawn FORKFIX TAG...")
		os.Exit(2)
	}
	for _, tag := range os.Args[2:] {
		cmd := exec.Command(os.Args[1], "leaf", tag)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		err := cmd.Run()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			fmt.Println("error", err)
		}
		fmt.Printf("child %s status %d\n", tag, code)
	}
	fmt.Println("done")
}
