// valfix: package variables of every kind for pkg/proc/values. At start it
// prints, for each variable in the table vars, one line
//
//	v <name>\t<static type>\t<%#v of the value>
//
// plus extra facts the values package must reproduce:
//
//	f <name>\t<function name>          for func variables (nil: "nil")
//	c <name>\t<len>\t<cap>\t<%#v of the buffered items> for channels
//	e <name>\t<Error()>                for error variables
//
// then "ready <pid>", then calls stop (where the tests set a breakpoint)
// and exits. Nothing changes the variables after they are printed.
package main

import (
	"errors"
	"fmt"
	"math"
	"os"
	"reflect"
	"runtime"
	"strings"
	"unsafe"
)

type Inner struct {
	X int
	Y string
}

type T struct {
	A int
	B string
	C []int
}

type Base struct{ ID uint16 }

type Outer struct {
	Inner
	*Base
	Z float64
	P *T
}

type Node struct {
	V    int
	Next *Node
}

type Shape interface{ Area() float64 }

type Rect struct{ W, H float64 }

func (r Rect) Area() float64 { return r.W * r.H }

type Color int

type Celsius float64

type G[E any] struct {
	V    E
	List []E
}

// Named types of every kind.
type (
	Name    string
	IDs     []int
	Grid    [2]Name
	Index   map[Name]IDs
	Pipe    chan Name
	Handler func(Name) error
	Ref     *T
	Flag    bool
	Any     interface{}
)

type Key struct {
	A int32
	B string
}

type myErr struct{ code int }

func (e *myErr) Error() string { return fmt.Sprintf("code %d", e.code) }

//go:noinline
func hot(i int) int { return i * 2 }

var captured = 17

var (
	vBool       = true
	vBoolF      bool
	vInt                  = -42
	vInt8       int8      = -8
	vInt16      int16     = -1600
	vInt32      int32     = -320000
	vInt64      int64     = -1 << 40
	vIntMin     int64     = math.MinInt64
	vUint       uint      = 42
	vUint8      uint8     = 200
	vUint16     uint16    = 65535
	vUint32     uint32    = 4000000000
	vUint64     uint64    = math.MaxUint64
	vUintptr    uintptr   = 0xdeadbeef
	vFloat32    float32   = 1.5
	vFloat64              = math.Pi
	vFloatBig             = 1e300
	vFloatNeg             = -0.000123
	vNaN                  = math.NaN()
	vInf                  = math.Inf(-1)
	vComplex64  complex64 = complex(1, -2)
	vComplex128           = complex(3.25, 4.5)
	vRune                 = 'é'
	vByte       byte      = 'A'

	vString      = "hello, world"
	vStringEsc   = "tab\there \"quoted\" ünï\x01\\"
	vStringLong  = strings.Repeat("abcdefghij", 100)
	vStringEmpty = ""

	vArray      = [3]int{1, 2, 3}
	vArrayStr   = [2]string{"a", "b"}
	vArrayEmpty [0]int
	vArrayNest  = [2][2]int8{{1, 2}, {3, 4}}
	vArrayLong  [100]uint16

	vSlice      = []int{1, 2, 3}
	vSliceCap   = make([]int, 2, 10)
	vSliceNil   []int
	vSliceEmpty = []int{}
	vSliceLong  = make([]int, 200)
	vSliceStr   = []string{"x", "y", ""}
	vSlicePtr   = []*T{{A: 1}, nil}
	vSliceNest  = [][]int{{1}, {2, 3}, nil}
	vSliceIface = []any{1, "a", nil, Inner{X: 2}, 2.5}
	vBytes      = []byte("bytes\x00\xff")

	vStruct = T{A: 1, B: "x", C: []int{1, 2, 3}}
	vOuter  = Outer{Inner: Inner{X: 7, Y: "in"}, Base: &Base{ID: 3}, Z: 2.5, P: &T{A: 9}}
	vAnon   = struct {
		A int
		B string
	}{1, "anon"}
	vEmptyStruct struct{}
	vGeneric             = G[int]{V: 5, List: []int{6}}
	vGenericStr          = G[string]{V: "g"}
	vColor       Color   = 3
	vCelsius     Celsius = 36.6

	vPtr      = &T{A: 5, B: "ptr"}
	vPtrNil   *T
	vIntPtr   = &captured
	vPtrPtr   = &vPtr
	vList     = &Node{1, &Node{2, &Node{3, nil}}}
	vUnsafe   = unsafe.Pointer(&captured)
	vUnsafeNl unsafe.Pointer

	vMap       = map[string]int{"one": 1, "two": 2, "three": 3}
	vMapNil    map[string]int
	vMapEmpty  = map[int]int{}
	vMapPtr    = map[string]*T{"a": {A: 1}, "b": nil}
	vMapBig    = bigMap(5000)
	vMapStrBig = strMap(1500)
	vMapDel    = deletedMap()
	vMapBigKey = map[[20]int64]int{{1}: 1, {2, 2}: 2}
	vMapBigVal = map[int][40]int32{1: {1}, 2: {2, 2}}
	vMapStruct = map[Key]bool{{1, "a"}: true, {2, "b"}: false}
	vMapSlice  = map[string][]int{"a": {1}, "b": nil}
	vMapIface  = map[any]any{1: "one", "two": 2}
	vMapNested = map[int]map[int]int{1: {2: 3}}
	vMapFloat  = map[float64]string{1.5: "x", -2: "y"}

	vAnyNil    any
	vAnyInt    any   = 5
	vAnyPtr    any   = &T{A: 3}
	vAnyStruct any   = T{A: 4, B: "s"}
	vAnyStr    any   = "str"
	vAnyMap    any   = map[string]int{"k": 1}
	vAnyNilPtr any   = (*T)(nil)
	vShape     Shape = Rect{2, 3}
	vShapePtr  Shape = &Rect{4, 5}
	vShapeNil  Shape
	vErr       = errors.New("boom")
	vErrWrap   = fmt.Errorf("wrap: %w", vErr)
	vErrNil    error
	vErrCustom error = &myErr{7}

	vChan       = make(chan int, 10)
	vChanNil    chan int
	vChanUnbuf  = make(chan string)
	vChanSend   chan<- int
	vChanRecv   <-chan int
	vChanWrap   = make(chan T, 3)
	vChanStruct = make(chan struct{}, 4)

	vNamedStr   Name    = "named"
	vNamedSlice         = IDs{4, 5}
	vNamedArray         = Grid{"g1", "g2"}
	vNamedMap           = Index{"k": {1}}
	vNamedChan          = make(Pipe, 1)
	vNamedFunc  Handler = func(Name) error { return nil }
	vNamedPtr   Ref     = &T{A: 6}
	vNamedBool  Flag    = true
	vNamedAny   Any     = Name("in any")

	vFunc        = hot
	vAnyFunc any = hot // an interface holding a func with a result
	vFuncNil func()
	vClosure = func() int { return captured + 1 }
	vMethod  = Rect.Area
)

func bigMap(n int) map[int]int {
	m := make(map[int]int)
	for i := 0; i < n; i++ {
		m[i*7] = i*i - 3
	}
	return m
}

func strMap(n int) map[string]string {
	m := make(map[string]string)
	for i := 0; i < n; i++ {
		m[fmt.Sprintf("key-%04d", i)] = strings.Repeat("v", i%5)
	}
	return m
}

func deletedMap() map[int]string {
	m := map[int]string{}
	for i := 0; i < 100; i++ {
		m[i] = fmt.Sprint(i)
	}
	for i := 0; i < 100; i += 2 {
		delete(m, i)
	}
	return m
}

func init() {
	vChan <- 11
	vChan <- 22
	// Make the ring wrap: recvx moves past the start.
	for i := 0; i < 9; i++ {
		vChan <- i
		<-vChan
	}
	vChanSend, vChanRecv = vChan, vChan
	vChanWrap <- T{A: 1, B: "c"}
	vChanStruct <- struct{}{}
	vNamedChan <- "piped"
	for i := range vArrayLong {
		vArrayLong[i] = uint16(i * 3)
	}
	for i := range vSliceLong {
		vSliceLong[i] = i
	}
	vSliceCap[1] = 8
}

type entry struct {
	name string
	p    any // pointer to the variable
}

var vars = []entry{
	{"vBool", &vBool}, {"vBoolF", &vBoolF}, {"vInt", &vInt}, {"vInt8", &vInt8}, {"vInt16", &vInt16},
	{"vInt32", &vInt32}, {"vInt64", &vInt64}, {"vIntMin", &vIntMin}, {"vUint", &vUint}, {"vUint8", &vUint8},
	{"vUint16", &vUint16}, {"vUint32", &vUint32}, {"vUint64", &vUint64}, {"vUintptr", &vUintptr},
	{"vFloat32", &vFloat32}, {"vFloat64", &vFloat64}, {"vFloatBig", &vFloatBig}, {"vFloatNeg", &vFloatNeg},
	{"vNaN", &vNaN}, {"vInf", &vInf}, {"vComplex64", &vComplex64}, {"vComplex128", &vComplex128},
	{"vRune", &vRune}, {"vByte", &vByte},
	{"vString", &vString}, {"vStringEsc", &vStringEsc}, {"vStringLong", &vStringLong}, {"vStringEmpty", &vStringEmpty},
	{"vArray", &vArray}, {"vArrayStr", &vArrayStr}, {"vArrayEmpty", &vArrayEmpty}, {"vArrayNest", &vArrayNest},
	{"vArrayLong", &vArrayLong},
	{"vSlice", &vSlice}, {"vSliceCap", &vSliceCap}, {"vSliceNil", &vSliceNil}, {"vSliceEmpty", &vSliceEmpty},
	{"vSliceLong", &vSliceLong}, {"vSliceStr", &vSliceStr}, {"vSlicePtr", &vSlicePtr}, {"vSliceNest", &vSliceNest},
	{"vSliceIface", &vSliceIface}, {"vBytes", &vBytes},
	{"vStruct", &vStruct}, {"vOuter", &vOuter}, {"vAnon", &vAnon}, {"vEmptyStruct", &vEmptyStruct},
	{"vGeneric", &vGeneric}, {"vGenericStr", &vGenericStr}, {"vColor", &vColor}, {"vCelsius", &vCelsius},
	{"vPtr", &vPtr}, {"vPtrNil", &vPtrNil}, {"vIntPtr", &vIntPtr}, {"vPtrPtr", &vPtrPtr}, {"vList", &vList},
	{"vUnsafe", &vUnsafe}, {"vUnsafeNl", &vUnsafeNl},
	{"vMap", &vMap}, {"vMapNil", &vMapNil}, {"vMapEmpty", &vMapEmpty}, {"vMapPtr", &vMapPtr},
	{"vMapBig", &vMapBig}, {"vMapStrBig", &vMapStrBig}, {"vMapDel", &vMapDel}, {"vMapBigKey", &vMapBigKey},
	{"vMapBigVal", &vMapBigVal}, {"vMapStruct", &vMapStruct}, {"vMapSlice", &vMapSlice}, {"vMapIface", &vMapIface},
	{"vMapNested", &vMapNested}, {"vMapFloat", &vMapFloat},
	{"vAnyNil", &vAnyNil}, {"vAnyInt", &vAnyInt}, {"vAnyPtr", &vAnyPtr}, {"vAnyStruct", &vAnyStruct},
	{"vAnyStr", &vAnyStr}, {"vAnyMap", &vAnyMap}, {"vAnyNilPtr", &vAnyNilPtr}, {"vShape", &vShape},
	{"vShapePtr", &vShapePtr}, {"vShapeNil", &vShapeNil}, {"vErr", &vErr}, {"vErrWrap", &vErrWrap},
	{"vErrNil", &vErrNil}, {"vErrCustom", &vErrCustom},
	{"vChan", &vChan}, {"vChanNil", &vChanNil}, {"vChanUnbuf", &vChanUnbuf}, {"vChanSend", &vChanSend},
	{"vChanRecv", &vChanRecv}, {"vChanWrap", &vChanWrap}, {"vChanStruct", &vChanStruct},
	{"vNamedStr", &vNamedStr}, {"vNamedSlice", &vNamedSlice}, {"vNamedArray", &vNamedArray},
	{"vNamedMap", &vNamedMap}, {"vNamedChan", &vNamedChan}, {"vNamedFunc", &vNamedFunc}, {"vNamedPtr", &vNamedPtr},
	{"vNamedBool", &vNamedBool}, {"vNamedAny", &vNamedAny},
	{"vFunc", &vFunc}, {"vAnyFunc", &vAnyFunc}, {"vFuncNil", &vFuncNil}, {"vClosure", &vClosure}, {"vMethod", &vMethod},
}

//go:noinline
func stop() { runtime.KeepAlive(vars) }

func main() {
	for _, e := range vars {
		v := reflect.ValueOf(e.p).Elem()
		fmt.Printf("v %s\t%s\t%#v\n", e.name, v.Type(), v.Interface())
		switch v.Kind() {
		case reflect.Func:
			name := "nil"
			if !v.IsNil() {
				name = runtime.FuncForPC(v.Pointer()).Name()
			}
			fmt.Printf("f %s\t%s\n", e.name, name)
		case reflect.Chan:
			fmt.Printf("c %s\t%d\t%d\t%#v\n", e.name, v.Len(), v.Cap(), peek(v))
		case reflect.Interface:
			if err, ok := v.Interface().(error); ok {
				fmt.Printf("e %s\t%s\n", e.name, err.Error())
			}
		}
	}
	fmt.Printf("ready %d\n", os.Getpid())
	stop()
}

// peek returns the buffered items of a channel without consuming them:
// it receives each and sends it back (the channel is not shared).
func peek(ch reflect.Value) []any {
	if ch.IsNil() || ch.Type().ChanDir() != reflect.BothDir {
		return nil
	}
	var items []any
	for i, n := 0, ch.Len(); i < n; i++ {
		x, _ := ch.Recv()
		items = append(items, x.Interface())
		ch.Send(x)
	}
	return items
}
