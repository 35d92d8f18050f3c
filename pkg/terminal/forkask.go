package terminal

import (
	"fmt"
	"strings"

	"github.com/godbg/godbg/service/api"
)

// askFork asks, at a fork stop with follow-fork-mode ask, which process to
// follow, until the answer is parent or child (end of input: parent).
func (t *Term) askFork(st *api.State) (*api.State, error) {
	for {
		answer := "parent"
		if t.ask != nil {
			a, err := t.ask(fmt.Sprintf("Follow the parent (process %d) or the child (process %d)? [parent/child] ", st.Pid, st.Child))
			if err == nil {
				answer = strings.TrimSpace(a)
			}
		}
		switch answer {
		case "parent", "p":
			return t.client.FollowFork(false)
		case "child", "c":
			return t.client.FollowFork(true)
		}
		t.printf("Please answer parent or child.\n")
	}
}
