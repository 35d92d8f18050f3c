module github.com/godbg/godbg

go 1.26.8

require (
	github.com/alecthomas/chroma/v2 v2.27.0
	github.com/cilium/ebpf v0.22.0 // trace: the eBPF backend
	github.com/google/go-dap v0.12.0
	github.com/peterh/liner v1.2.3
	github.com/spf13/cobra v1.10.2
	go.starlark.net v0.0.0-20260908191801-89a6a09411d5
	golang.org/x/arch v0.33.0
	golang.org/x/sys v0.50.0
	golang.org/x/term v0.48.0
	gopkg.in/yaml.v3 v3.0.1
)

require (
	github.com/clipperhouse/uax29/v2 v2.7.0 // indirect
	github.com/dlclark/regexp2/v2 v2.2.1 // indirect
	github.com/inconshreveable/mousetrap v1.1.0 // indirect
	github.com/mattn/go-runewidth v0.0.31 // indirect
	github.com/spf13/pflag v1.0.10 // indirect
)
