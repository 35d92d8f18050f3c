package main

import "github.com/spf13/cobra"

// examples are shown by godbg <subcommand> --help for subcommands whose
// file does not set its own.
var examples = map[string]string{
	"attach": `  godbg attach $(pgrep server)
  godbg attach --init cmds.txt 1234
  godbg attach --headless --listen 127.0.0.1:4040 1234`,
	"core": `  godbg core ./server core.1234
  godbg core '' core.1234              # the executable the core names`,
	"connect": `  godbg connect 127.0.0.1:4040
  godbg connect --auth-token-file tok.txt unix:/tmp/godbg.sock`,
	"dap": `  godbg dap --listen 127.0.0.1:4711   # then point the editor's Go debug adapter at it`,
	"trace": `  godbg trace 'main\.add$'                      # build the current package, trace main.add
  godbg trace --exec ./prog --stack 2 'main\.'   # an already built binary, two caller frames
  godbg trace -p 1234 --ebpf 'handler'           # a running process, with eBPF uprobes
  godbg trace --latency ./cmd/server 'Serve'     # a histogram of call durations at the end`,
	"completion": `  source <(godbg completion bash)
  godbg completion zsh > "${fpath[1]}/_godbg"
  godbg completion fish > ~/.config/fish/completions/godbg.fish`,
}

// addExamples fills in the examples of root's subcommands that have none,
// and says where shell completion comes from.
func addExamples(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	root.Long = root.Short + ".\n\nShell completion of subcommands and flags: godbg completion bash|zsh|fish|powershell --help."
	for _, c := range root.Commands() {
		if c.Example == "" {
			c.Example = examples[c.Name()]
		}
	}
}
