package terminal

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
)

var examinememCmd = &command{
	names: []string{"examinemem", "x"},
	group: "data",
	usage: examineUsage,
	help: "Prints memory at an address: any expression print accepts whose value is a pointer or an integer\n" +
		"(x &v, x p.next, x &s[2]), with $registers and function names as numbers (x -count 4 -size 8 $rsp+16). -count (alias -len) is the number of values, default 1.",
	run: func(t *Term, args string) error {
		o, err := parseExamine(args)
		if err != nil {
			return err
		}
		addr, err := t.client.EvalAddress(o.expr)
		if err != nil {
			return err
		}
		data, err := t.client.ReadMemory(addr, o.count*o.size)
		if err != nil {
			return err
		}
		perLine := 8
		if o.size >= 4 {
			perLine = 16 / o.size
		}
		for i := 0; i < o.count; i++ {
			if i%perLine == 0 {
				if i > 0 {
					t.printf("\n")
				}
				t.printf("%#x:", addr+uint64(i*o.size))
			}
			t.printf("   %s", formatValue(data[i*o.size:(i+1)*o.size], o.format))
		}
		t.printf("\n")
		return nil
	},
}

const examineUsage = "examinemem [-fmt hex|dec|oct|bin] [-count N] [-size 1|2|4|8] <address>"

type examineOpts struct {
	format      string
	count, size int
	expr        string
}

func parseExamine(args string) (examineOpts, error) {
	o := examineOpts{format: "hex", count: 1, size: 1}
	f := strings.Fields(args)
	for len(f) > 0 && strings.HasPrefix(f[0], "-") && len(f[0]) > 1 && (f[0][1] < '0' || f[0][1] > '9') {
		if len(f) < 2 {
			return o, fmt.Errorf("%s needs a value; usage: %s", f[0], examineUsage)
		}
		flag, val := f[0], f[1]
		f = f[2:]
		switch flag {
		case "-fmt", "-format":
			if val != "hex" && val != "dec" && val != "oct" && val != "bin" {
				return o, fmt.Errorf("-fmt must be hex, dec, oct or bin, not %q", val)
			}
			o.format = val
		case "-count", "-len":
			n, err := strconv.Atoi(val)
			if err != nil || n <= 0 || n > 65536 {
				return o, fmt.Errorf("%s must be a number from 1 to 65536, not %q", flag, val)
			}
			o.count = n
		case "-size":
			n, err := strconv.Atoi(val)
			if err != nil || (n != 1 && n != 2 && n != 4 && n != 8) {
				return o, fmt.Errorf("-size must be 1, 2, 4 or 8, not %q", val)
			}
			o.size = n
		default:
			return o, fmt.Errorf("unknown option %s; usage: %s", flag, examineUsage)
		}
	}
	o.expr = strings.Join(f, " ")
	if o.expr == "" {
		return o, fmt.Errorf("examinemem needs an address; usage: %s", examineUsage)
	}
	return o, nil
}

func formatValue(b []byte, format string) string {
	var v uint64
	switch len(b) {
	case 1:
		v = uint64(b[0])
	case 2:
		v = uint64(binary.LittleEndian.Uint16(b))
	case 4:
		v = uint64(binary.LittleEndian.Uint32(b))
	case 8:
		v = binary.LittleEndian.Uint64(b)
	}
	switch format {
	case "dec":
		return strconv.FormatUint(v, 10)
	case "oct":
		return "0" + strconv.FormatUint(v, 8)
	case "bin":
		return fmt.Sprintf("%0*b", len(b)*8, v)
	}
	return fmt.Sprintf("0x%0*x", len(b)*2, v)
}
