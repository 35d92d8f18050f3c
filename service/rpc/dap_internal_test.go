package rpc

import (
	"bufio"
	"strings"
	"testing"
)

// TestSniffDAP: a DAP header is recognised by its first bytes, which
// stay unread; a godbg handshake and short or other input are not DAP.
func TestSniffDAP(t *testing.T) {
	for in, want := range map[string]bool{
		"Content-Length: 10\r\n\r\n{}":  true,
		"content-length:7\r\n":          true,
		`{"godbg":1,"token":""}` + "\n": false,
		"Content":                       false, // ends before the header does
		"Contents-Length: 3":            false,
		"":                              false,
		"GET / HTTP/1.0\r\n":            false,
	} {
		br := bufio.NewReader(strings.NewReader(in))
		if got := sniffDAP(br); got != want {
			t.Errorf("sniffDAP(%q) = %v, want %v", in, got, want)
		}
		if rest, _ := br.ReadString(0); rest != in {
			t.Errorf("sniffDAP(%q) consumed input: %q left", in, rest)
		}
	}
}
