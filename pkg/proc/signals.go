package proc

import (
	"fmt"
	"strconv"
	"strings"
)

// Linux signal numbers (identical on amd64 and arm64).
var signalNames = [...]string{
	1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT",
	7: "SIGBUS", 8: "SIGFPE", 9: "SIGKILL", 10: "SIGUSR1", 11: "SIGSEGV", 12: "SIGUSR2",
	13: "SIGPIPE", 14: "SIGALRM", 15: "SIGTERM", 16: "SIGSTKFLT", 17: "SIGCHLD",
	18: "SIGCONT", 19: "SIGSTOP", 20: "SIGTSTP", 21: "SIGTTIN", 22: "SIGTTOU",
	23: "SIGURG", 24: "SIGXCPU", 25: "SIGXFSZ", 26: "SIGVTALRM", 27: "SIGPROF",
	28: "SIGWINCH", 29: "SIGIO", 30: "SIGPWR", 31: "SIGSYS",
}

// SignalName returns "SIGSEGV" for 11, "SIGRTMIN+3" for real-time signals.
func SignalName(sig int) string {
	if sig > 0 && sig < len(signalNames) && signalNames[sig] != "" {
		return signalNames[sig]
	}
	if sig >= 34 && sig <= 64 {
		return fmt.Sprintf("SIGRTMIN+%d", sig-34)
	}
	return fmt.Sprintf("signal %d", sig)
}

// ParseSignal accepts "SIGUSR1", "usr1", "10".
func ParseSignal(s string) (int, error) {
	if n, err := strconv.Atoi(s); err == nil {
		if n <= 0 || n > 64 {
			return 0, fmt.Errorf("signal number %d out of range 1-64", n)
		}
		return n, nil
	}
	u := strings.ToUpper(s)
	if !strings.HasPrefix(u, "SIG") {
		u = "SIG" + u
	}
	for i, name := range signalNames {
		if name != "" && name == u {
			return i, nil
		}
	}
	return 0, fmt.Errorf("unknown signal %q", s)
}

// SignalPolicy says what the debugger does with a signal the program receives.
type SignalPolicy struct {
	Stop  bool // stop every thread and return to the prompt
	Print bool // report it
	Pass  bool // deliver it to the program
}

// DefaultSignalPolicy returns the policy for sig: faults and aborts stop and
// are delivered on the next continue; everything else passes silently.
// (A Ctrl-C typed at the terminal while a launched program owns it is the
// user's halt request, recognised by the backend, not a signal to pass.)
func DefaultSignalPolicy(sig int) SignalPolicy {
	switch sig {
	case 4, 6, 7, 8, 11: // SIGILL, SIGABRT, SIGBUS, SIGFPE, SIGSEGV
		return SignalPolicy{Stop: true, Print: true, Pass: true}
	}
	return SignalPolicy{Pass: true}
}
