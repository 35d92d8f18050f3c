package terminal

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

var setCmd = &command{
	names: []string{"set"},
	group: "data",
	usage: setCmdUsage,
	help: "Changes a variable or an addressable expression (set x = 42, set p.n = -1, set f = 2.5, set ok = true,\n" +
		"set err = nil, set s3 = s4[2:5], set as1 = m[\"k\"], set s = \"\"): strings, slices, maps, channels, funcs,\n" +
		"interfaces and structs take nil or a value of their type already in the program; an empty interface takes any\n" +
		"value (set i = 42, set i = p). A new string (set s = \"hello\", set s1[0] = \"x\") or a non-pointer value boxed\n" +
		"in an interface is copied into memory godbg maps in the process (an injected mmap, 64 KiB blocks shared with\n" +
		"call's string arguments; each value takes its size rounded up to 8 bytes, at most 64 KiB). That memory is\n" +
		"outside the Go heap: the garbage collector never frees and never moves it, and it is never reused, so it leaks\n" +
		"for the life of the process; boxing a copy of a value that holds pointers (a slice, a struct with pointers) is\n" +
		"refused, since the collector would not see them (Delve differs: it needs call injection for these). Also a\n" +
		"register of the current thread (set $rax = 0x10) or memory: the address may use\n" +
		"$registers and arithmetic, the type is uint8/16/32/64 or int8/16/32/64 (set *(*uint32)($rsp+8) = 7).\n" +
		"Settings, as gdb's:\n" +
		"  set follow-fork-mode parent|child|ask   which process a fork leaves you in (ask: the prompt asks)\n" +
		"  set detach-on-fork on|off               off keeps both processes as targets (target list)",
	run: func(t *Term, args string) error {
		if name, value, ok := strings.Cut(args, " "); ok && (name == "follow-fork-mode" || name == "detach-on-fork") {
			return t.client.SetForkOption(name, strings.TrimSpace(value))
		}
		lhs, rhs, ok := strings.Cut(args, "=")
		lhs, rhs = strings.TrimSpace(lhs), strings.TrimSpace(rhs)
		if !ok || lhs == "" || rhs == "" || strings.HasPrefix(rhs, "=") {
			return fmt.Errorf("usage: %s", setCmdUsage)
		}
		if reg, isReg := strings.CutPrefix(lhs, "$"); isReg {
			v, err := parseValue(t, rhs)
			if err != nil {
				return err
			}
			return t.client.SetRegister(reg, v)
		}
		if memoryLHS.MatchString(lhs) {
			return t.client.SetMemory(lhs, rhs)
		}
		return t.client.SetVariable(lhs, rhs)
	},
}

// memoryLHS is the raw memory form: *(*uint32)(addr).
var memoryLHS = regexp.MustCompile(`^\*\s*\(\s*\*\s*u?int(8|16|32|64)\s*\)`)

const setCmdUsage = "set <variable> = <value> | set $<register> = <value> | set *(*uint64)(<address>) = <value> | set follow-fork-mode parent|child|ask | set detach-on-fork on|off"

// parseValue accepts a signed number or an address expression.
func parseValue(t *Term, s string) (uint64, error) {
	if v, err := strconv.ParseInt(s, 0, 64); err == nil {
		return uint64(v), nil
	}
	return t.client.EvalAddress(s)
}
