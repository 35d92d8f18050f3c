// Command bigprog is the fixture of the bench's load scenario: a program that
// links in a large part of the standard library, so that its binary (plain
// go build, with DWARF) is over 20 MiB. Every package is referenced from
// main so that the linker keeps it. Run without arguments it prints one
// line and exits; the bench only loads it into debuggers.
package main

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/flate"
	"compress/gzip"
	"compress/lzw"
	"compress/zlib"
	"container/heap"
	"container/list"
	"container/ring"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/dsa"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/md5"
	"crypto/mlkem"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/rc4"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"debug/buildinfo"
	"debug/dwarf"
	"debug/elf"
	"debug/gosym"
	"debug/macho"
	"debug/pe"
	"debug/plan9obj"
	"embed"
	"encoding/ascii85"
	"encoding/asn1"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"encoding/csv"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"encoding/xml"
	"expvar"
	"flag"
	"fmt"
	"go/ast"
	"go/build"
	"go/build/constraint"
	"go/constant"
	"go/doc"
	"go/doc/comment"
	"go/format"
	"go/importer"
	"go/parser"
	"go/printer"
	"go/scanner"
	"go/token"
	"go/types"
	"hash"
	"hash/adler32"
	"hash/crc32"
	"hash/crc64"
	"hash/fnv"
	"hash/maphash"
	"html"
	htmltemplate "html/template"
	"image"
	"image/color"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"index/suffixarray"
	"io"
	"log"
	"log/slog"
	"log/syslog"
	"maps"
	"math/big"
	"math/cmplx"
	mrand "math/rand/v2"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cgi"
	"net/http/cookiejar"
	"net/http/fcgi"
	"net/http/httptest"
	"net/http/httptrace"
	"net/http/httputil"
	"net/http/pprof"
	"net/mail"
	"net/netip"
	"net/rpc"
	"net/rpc/jsonrpc"
	"net/smtp"
	"net/textproto"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"os/user"
	"path/filepath"
	"reflect"
	"regexp"
	"regexp/syntax"
	"runtime/debug"
	rtpprof "runtime/pprof"
	"runtime/trace"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"testing/iotest"
	"testing/quick"
	"text/tabwriter"
	"text/template"
	"text/template/parse"
	"time"
	_ "time/tzdata"
	"unicode/utf16"
	"unique"
)

// keep holds one value from every imported package.
var keep []any

func main() {
	keep = append(keep,
		tar.NewReader, zip.NewReader, bufio.NewReader, bytes.NewBuffer,
		bzip2.NewReader, flate.NewWriter, gzip.NewWriter, lzw.NewReader, zlib.NewWriter,
		heap.Init, list.New, ring.New, context.Background,
		aes.NewCipher, cipher.NewGCM, ecdh.P256, ecdsa.GenerateKey, ed25519.GenerateKey,
		elliptic.P384, hmac.New, md5.New, rand.Reader, rsa.GenerateKey,
		sha1.New, sha256.New, sha512.New, tls.Dial, tls.Server, x509.ParseCertificate,
		sql.Open, dwarf.New, elf.Open, gosym.NewTable, macho.Open, pe.Open, embed.FS{},
		ascii85.NewEncoder, asn1.Marshal, base32.StdEncoding, base64.StdEncoding,
		csv.NewReader, gob.NewEncoder, hex.EncodeToString, json.Marshal, pem.Decode, xml.Marshal,
		expvar.NewInt, flag.NewFlagSet,
		ast.Print, build.Import, constant.MakeInt64, doc.New, format.Source, importer.Default,
		parser.ParseFile, printer.Fprint, scanner.Scanner{}, token.NewFileSet,
		types.NewPackage, (&types.Config{}).Check, types.Universe,
		adler32.New, crc32.NewIEEE, crc64.New, fnv.New64a,
		htmltemplate.New, image.NewRGBA, color.RGBA{}, draw.Draw, gif.Decode, jpeg.Encode, png.Encode,
		suffixarray.New, io.Copy, log.New, slog.New, big.NewInt, cmplx.Sqrt,
		mime.TypeByExtension, multipart.NewReader, net.Dial, http.ListenAndServe, http.Get,
		cookiejar.New, httptest.NewServer, httputil.NewSingleHostReverseProxy, pprof.Index,
		mail.ParseAddress, netip.ParseAddr, rpc.NewServer, jsonrpc.NewClient, smtp.Dial,
		textproto.NewReader, url.Parse, os.Open, exec.Command, signal.Notify, user.Current,
		filepath.Walk, reflect.TypeOf, regexp.MustCompile, debug.ReadBuildInfo,
		rtpprof.Profile{}, trace.Start, slices.Sort[[]int], sort.Ints, strconv.Itoa, strings.NewReader,
		&sync.Mutex{}, testing.Benchmark, tabwriter.NewWriter, template.New, time.Now, utf16.Encode,
		des.NewCipher, dsa.GenerateKey, hkdf.Key[hash.Hash], mlkem.GenerateKey768,
		pbkdf2.Key[hash.Hash], rc4.NewCipher, sha3.New256, buildinfo.ReadFile, plan9obj.Open,
		binary.Write, constraint.Parse, comment.Parser{}, maphash.String, html.EscapeString,
		syslog.New, maps.Keys[map[string]int], mrand.IntN, cgi.Serve, fcgi.Serve, httptrace.WithClientTrace,
		syntax.Parse, fstest.TestFS, iotest.OneByteReader, quick.Check, parse.Parse, unique.Make[string],
	)
	// A method looked up by a name known only at run time makes the linker
	// keep every exported method of every reachable type, as in programs
	// that use text/template or RPC over their own types.
	if name := os.Getenv("BIGPROG_METHOD"); name != "" { // L:kept
		for _, k := range keep {
			if m := reflect.ValueOf(k).MethodByName(name); m.IsValid() {
				fmt.Println("has", name)
			}
		}
	}
	fmt.Println("bigprog", len(keep))
}
