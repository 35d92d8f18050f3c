package api

// SignalPolicy is what the debugger does with one signal (gdb's handle).
type SignalPolicy struct {
	Signal string `json:"signal"`
	Number int    `json:"number"`
	Stop   bool   `json:"stop"`
	Print  bool   `json:"print"`
	Pass   bool   `json:"pass"`
}
