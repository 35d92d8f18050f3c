package values

import (
	"debug/dwarf"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/godbg/godbg/pkg/symbols"
)

// Go's DWARF extensions (cmd/internal/dwarf).
const (
	attrGoKind          dwarf.Attr = 0x2900
	attrGoKey           dwarf.Attr = 0x2901
	attrGoElem          dwarf.Attr = 0x2902
	attrGoEmbeddedField dwarf.Attr = 0x2903
	attrGoRuntimeType   dwarf.Attr = 0x2904
)

// image is what this package knows about one executable, shared by every
// Loader of its Table: decoded types and, built on first need, an index
// of type and variable DIEs.
type image struct {
	tab *symbols.Table
	d   *dwarf.Data

	idxOnce sync.Once
	idx     *index
	idxErr  error
	indexed atomic.Bool // idxOnce is done

	mu       sync.Mutex // guards the maps below and every d.Type call
	infos    map[dwarf.Type]*typeInfo
	embedded map[*dwarf.StructType][]bool
	funcs    map[dwarf.Offset]dwarf.Type // anonymous func types, named (namedFunc)

	consts constTable
}

// index locates DIEs that a dwarf.Type does not lead to.
type index struct {
	types        map[string][]dwarf.Offset    // type DIEs by name
	rtypes       map[uint64]dwarf.Offset      // DW_AT_go_runtime_type value → DIE
	globals      map[string]dwarf.Offset      // package variables with a location
	consts       map[string]constEntry        // package constants by full name
	constsByType map[dwarf.Offset][]constName // constants (full names) by their type DIE
	funcs        map[string]dwarf.Offset      // functions with code, by name
	pkgPaths     map[string][]string          // package name → import paths (DW_AT_go_package_name)
	typesBase    uint64                       // link-time address of runtime.types
}

// imageKey keys a value image among the Table's derived data: it lives
// as long as the Table (symbols.Table.Derived).
type imageKey struct{}

type imageOrErr struct {
	img *image
	err error
}

// Prepare builds, ahead of the first value that needs it, tab's index of
// type, variable and constant DIEs (interfaces' dynamic types, package
// variables, conversions: 0.07-0.15 s for a 20 MiB Go binary). Prepared
// reports whether it is built.
func Prepare(tab *symbols.Table) {
	if img, err := imageFor(tab); err == nil {
		img.index()
	}
}

// Prepared reports whether Prepare's work is done for tab (a binary
// without DWARF has none to do).
func Prepared(tab *symbols.Table) bool {
	if !tab.Built(imageKey{}) {
		return false
	}
	img, err := imageFor(tab)
	return err != nil || img.indexed.Load()
}

func imageFor(tab *symbols.Table) (*image, error) {
	o := tab.Derived(imageKey{}, func() any {
		d, err := tab.DWARF()
		if err != nil {
			return imageOrErr{err: fmt.Errorf("%s: %w", tab.Path(), err)}
		}
		return imageOrErr{img: &image{tab: tab, d: d, infos: map[dwarf.Type]*typeInfo{}, embedded: map[*dwarf.StructType][]bool{}}}
	}).(imageOrErr)
	return o.img, o.err
}

// index returns the DIE index, scanning the DWARF the first time: every
// top-level DIE of every unit, skipping function bodies (150 ms for a
// 22 MB binary).
func (img *image) index() (*index, error) {
	img.idxOnce.Do(func() {
		defer func() {
			if r := recover(); r != nil { // debug/dwarf on corrupt input
				img.idx, img.idxErr = nil, fmt.Errorf("%s: corrupt DWARF (%v)", img.tab.Path(), r)
			}
		}()
		img.idx, img.idxErr = buildIndex(img.d)
		if img.idxErr == nil {
			img.idx.typesBase = typesBase(img.tab)
		}
		img.indexed.Store(true)
	})
	return img.idx, img.idxErr
}

func buildIndex(d *dwarf.Data) (*index, error) {
	idx := &index{types: map[string][]dwarf.Offset{}, rtypes: map[uint64]dwarf.Offset{}, globals: map[string]dwarf.Offset{}, consts: map[string]constEntry{}, constsByType: map[dwarf.Offset][]constName{}, funcs: map[string]dwarf.Offset{}, pkgPaths: map[string][]string{}}
	r := d.Reader()
	for {
		e, err := r.Next()
		if err != nil {
			return nil, fmt.Errorf("indexing DWARF types: %w", err)
		}
		if e == nil {
			return idx, nil
		}
		if e.Tag == dwarf.TagCompileUnit || e.Tag == dwarf.TagPartialUnit || e.Tag == 0 {
			path, _ := e.Val(dwarf.AttrName).(string)
			if name, ok := e.Val(attrGoPackageName).(string); ok && name != "" && path != "" && name != path {
				idx.pkgPaths[name] = append(idx.pkgPaths[name], path)
			}
			continue
		}
		idx.add(e)
		if e.Children {
			r.SkipChildren()
		}
	}
}

func (idx *index) add(e *dwarf.Entry) {
	name, _ := e.Val(dwarf.AttrName).(string)
	switch e.Tag {
	case dwarf.TagVariable:
		if name != "" && e.AttrField(dwarf.AttrLocation) != nil {
			if _, dup := idx.globals[name]; !dup {
				idx.globals[name] = e.Offset
			}
		}
		return
	case dwarf.TagConstant:
		idx.addConst(name, e)
		return
	case dwarf.TagSubprogram:
		if _, hasCode := e.Val(dwarf.AttrLowpc).(uint64); hasCode && name != "" {
			idx.funcs[name] = e.Offset
		}
		return
	case dwarf.TagImportedUnit:
		return
	}
	if name != "" {
		idx.types[name] = append(idx.types[name], e.Offset)
	}
	if rt, ok := e.Val(attrGoRuntimeType).(uint64); ok && rt != 0 {
		idx.rtypes[rt] = e.Offset
	}
}

// typesBase returns the address of runtime.types, to which Go 1.26 makes
// DW_AT_go_runtime_type relative (older linkers wrote absolute addresses).
func typesBase(tab *symbols.Table) uint64 {
	syms, err := tab.ELF().Symbols()
	if err == nil {
		for _, s := range syms {
			if s.Name == "runtime.types" {
				return s.Value
			}
		}
	}
	if s := tab.ELF().Section(".rodata"); s != nil {
		return s.Addr
	}
	return 0
}

// typeAt returns the DWARF type at off.
func (img *image) typeAt(off dwarf.Offset) (dwarf.Type, error) {
	img.mu.Lock()
	defer img.mu.Unlock()
	t, err := img.d.Type(off)
	if ft, ok := t.(*dwarf.FuncType); ok && err == nil && ft.Name == "" {
		return img.namedFunc(off, ft), nil
	}
	return t, err
}

// namedFunc is ft, the anonymous func type at off, with its Go name. The
// compiler names a subroutine type's DIE with its Go spelling and lists
// the results among the parameters (marked DW_AT_variable_parameter);
// debug/dwarf drops the name and the mark, so without it an interface
// holding a func(io.Reader) *bufio.Reader would say func(io.Reader,
// *bufio.Reader). The named copy is kept per offset (a type's identity
// keys the image's maps); debug/dwarf's own is left as it is, since other
// readers share it. Callers hold img.mu.
func (img *image) namedFunc(off dwarf.Offset, ft *dwarf.FuncType) dwarf.Type {
	if t, ok := img.funcs[off]; ok {
		return t
	}
	var t dwarf.Type = ft
	r := img.d.Reader()
	r.Seek(off)
	if e, err := r.Next(); err == nil && e != nil {
		if name, _ := e.Val(dwarf.AttrName).(string); strings.HasPrefix(name, "func(") {
			named := *ft
			named.Name = name
			t = &named
		}
	}
	if img.funcs == nil {
		img.funcs = map[dwarf.Offset]dwarf.Type{}
	}
	img.funcs[off] = t
	return t
}

// entry reads the DIE at off.
func (img *image) entry(off dwarf.Offset) (*dwarf.Entry, error) {
	r := img.d.Reader()
	r.Seek(off)
	return r.Next()
}

// goEntry returns the DIE of the named type that carries DW_AT_go_kind
// kind (Go emits some names twice, once as a bare alias typedef).
func (img *image) goEntry(name string, kind reflect.Kind) *dwarf.Entry {
	idx, err := img.index()
	if err != nil {
		return nil
	}
	for _, off := range idx.types[name] {
		e, err := img.entry(off)
		if err != nil || e == nil {
			continue
		}
		if k, ok := e.Val(attrGoKind).(int64); ok && reflect.Kind(k) == kind {
			return e
		}
	}
	return nil
}

// goAttrType follows a type-valued Go attribute (DW_AT_go_key, ...) of
// the named type's DIE.
func (img *image) goAttrType(name string, kind reflect.Kind, attr dwarf.Attr) dwarf.Type {
	e := img.goEntry(name, kind)
	if e == nil {
		return nil
	}
	off, ok := e.Val(attr).(dwarf.Offset)
	if !ok {
		return nil
	}
	t, err := img.typeAt(off)
	if err != nil {
		return nil
	}
	return t
}

// runtimeType returns the DWARF type whose runtime type descriptor is at
// the link-time address addr.
func (img *image) runtimeType(addr uint64) (dwarf.Type, error) {
	idx, err := img.index()
	if err != nil {
		return nil, err
	}
	off, ok := idx.rtypes[addr-idx.typesBase]
	if !ok {
		off, ok = idx.rtypes[addr]
	}
	if !ok {
		return nil, fmt.Errorf("%w (runtime type at %#x)", ErrNoType, addr)
	}
	return img.typeAt(off)
}

// embeddedFields reports which fields of a Go struct are embedded.
func (img *image) embeddedFields(st *dwarf.StructType) []bool {
	img.mu.Lock()
	emb, ok := img.embedded[st]
	img.mu.Unlock()
	if ok {
		return emb
	}
	emb = make([]bool, len(st.Field))
	if e := img.goEntry(st.StructName, reflect.Struct); e != nil && e.Children {
		r := img.d.Reader()
		r.Seek(e.Offset)
		r.Next()
		for i := 0; i < len(emb); {
			c, err := r.Next()
			if err != nil || c == nil || c.Tag == 0 {
				break
			}
			if c.Tag == dwarf.TagMember {
				emb[i], _ = c.Val(attrGoEmbeddedField).(bool)
				i++
			}
		}
	}
	img.mu.Lock()
	img.embedded[st] = emb
	img.mu.Unlock()
	return emb
}
