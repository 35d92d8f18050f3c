// Command big is a large, stdlib-heavy program used to benchmark symbol
// loading. Calling reflect.Value.MethodByName with a dynamic name keeps every
// exported method of every reachable type, which makes the binary large.
package main

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"crypto/ecdsa"
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"debug/dwarf"
	"debug/elf"
	"debug/gosym"
	"debug/macho"
	"debug/pe"
	"encoding/csv"
	"encoding/gob"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"go/ast"
	"go/build"
	"go/doc"
	"go/format"
	"go/parser"
	"go/printer"
	"go/token"
	"go/types"
	"html/template"
	"image/gif"
	"image/jpeg"
	"image/png"
	"index/suffixarray"
	"log/slog"
	"math/big"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/http/httputil"
	"net/mail"
	"net/rpc"
	"net/smtp"
	"net/textproto"
	"os"
	"os/exec"
	"reflect"
	"regexp"
	"runtime/pprof"
	"text/tabwriter"
	texttemplate "text/template"
	"text/template/parse"
)

func main() {
	values := []any{
		&tls.Config{}, &x509.Certificate{}, &sql.DB{}, &dwarf.Data{}, &elf.File{},
		&json.Decoder{}, &xml.Decoder{}, token.NewFileSet(), &types.Config{},
		&ast.File{}, template.New("x"), texttemplate.New("y"), &png.Encoder{},
		httptest.NewRecorder(), &http.Client{}, &http.Server{}, &mail.Address{},
		&rpc.Server{}, &smtp.Client{}, regexp.MustCompile("x"), &zip.Writer{},
		&types.Checker{}, parser.Mode(0),
		&tar.Reader{}, &gzip.Reader{}, &gob.Encoder{}, &doc.Package{}, &printer.Config{},
		&gif.GIF{}, &jpeg.Options{}, &httputil.ReverseProxy{}, &cookiejar.Jar{},
		&parse.Tree{}, &big.Float{}, &big.Rat{}, &ecdsa.PrivateKey{},
		&gosym.Table{}, &macho.File{}, &pe.File{}, &csv.Reader{}, &build.Context{},
		&suffixarray.Index{}, &slog.Logger{}, &multipart.Reader{}, &textproto.Conn{},
		&exec.Cmd{}, &pprof.Profile{}, &tabwriter.Writer{},
	}
	_, _ = format.Source(nil)
	for _, v := range values {
		m := reflect.ValueOf(v).MethodByName(os.Args[0])
		fmt.Println(m.IsValid())
	}
}
