// Package values reads Go values of any type from a stopped process and
// renders them the way Delve does, for print, locals, args, whatis and
// (through SetScalar) set.
//
// It imports pkg/symbols, pkg/dwarf/op and the standard library, never a
// backend: memory comes in as a Memory (ReadMemory, which proc.Process
// has), types as debug/dwarf types from the executable's
// symbols.Table.DWARF, and a PIE's load bias as a number. Its callers are
// service/debugger (print, whatis, set) and the frame code that finds
// where locals and arguments live (pkg/proc/stack), which hands over an
// address or, for values in registers, the bytes LocationBytes assembles.
//
// # Loading
//
// A Loader is one executable at one load bias. Load(mem, name, type,
// addr, cfg) returns a *Value tree: scalars decoded, strings read up to a
// limit, composites with their Children. LoadBytes does the same from
// bytes already in hand (registers, DW_OP_piece results). Nothing is
// read twice: a struct, the loaded prefix of an array or slice, and each
// run of map groups are read with one ReadMemory and their parts decoded
// from that buffer.
//
// A LoadConfig bounds the work the way Delve's does (DefaultLoadConfig
// is Delve's print default): strings to MaxStringLen bytes, arrays,
// slices, maps and channel buffers to MaxArrayValues elements, struct
// fields to MaxStructFields, nesting to MaxVariableRecurse levels, and
// FollowPointers. A composite below the depth limit is marked Unloaded
// and Loader.Expand loads it later from where it was read; a list cut at
// a limit has fewer Children than Len and Value.Truncated says how many
// are missing, which Format prints as "...+N more". Pointers and
// interfaces do not add a level unless they lead to another pointer or
// interface, so any cycle through memory still ends.
//
// Whatever the configuration, hard bounds keep a corrupt header (a
// string of length 2^62, a map directory of a billion tables) from
// making a load allocate or loop without end: at most 1 MiB per read,
// 16 MiB per string, 2^20 elements per list, 2^20 values and 64 MiB of
// string data per Load, 2^22 map slots scanned, and three unreadable
// elements before a list stops. Headers that cannot be right (negative
// lengths, len > cap, a nil data pointer with a length) are reported as
// ErrCorrupt. A value that cannot be read carries its error in Value.Err
// and prints as "(unreadable reason)"; its siblings load normally.
// FuzzLoad feeds random memory to the loader for every type of the test
// fixture.
//
// # Types
//
// Kinds are recognised from the DWARF structure and the names the Go
// linker gives the runtime's representations: a struct "string" {str,
// len}, a struct "[]T" {array, len, cap}, typedefs of runtime.eface and
// runtime.iface for interfaces, a typedef of *map<K,V> for maps, of
// *hchan<T> for channels, a subroutine type for funcs, and a void
// pointer for unsafe.Pointer. TypeName spells a type as Go does (debug/dwarf
// drops the names of pointer and array types, so they are rebuilt);
// ShortTypeName turns package paths into package names as %T does.
//
// What the types alone do not tell comes from Go's DWARF attributes,
// read through an index of top-level DIEs built on first need (150 ms for
// a 22 MB binary) and shared by every Loader of the Table: the declared
// key and element types of maps (DW_AT_go_key, DW_AT_go_elem), channel
// element types, embedded fields (DW_AT_go_embedded_field), package
// variables (Global) and, for interfaces, the DWARF type of each runtime
// type descriptor (DW_AT_go_runtime_type). Go 1.26 writes that attribute
// as an offset from runtime.types; older linkers wrote the address, and
// both are looked up.
//
// # Maps
//
// Go 1.24 and later implement maps as Swiss tables (internal/runtime/maps);
// the linker describes, per map type, map<K,V> {used, seed, dirPtr,
// dirLen, ...}, table<K,V> {..., groups groupReference<K,V>},
// groupReference {data *map.group[K]V, lengthMask} and the group {ctrl
// uint64; slots [8]struct{key K; elem V}}. A map with dirLen 0 is small:
// dirPtr points to one group. Otherwise dirPtr is an array of dirLen
// table pointers, in which a table of local depth d fills 2^(globalDepth-d)
// consecutive entries (visited once). Each table's groups (lengthMask+1
// of them) are read in one go; a slot is full when the high bit of its
// control byte is clear (0x80 empty, 0xfe deleted). Keys and elements
// over 128 bytes are stored behind a pointer. Entries come in memory
// order, alternating key and value in Children. Maps of Go 1.23 and
// older (hmap and buckets) are ErrUnsupported.
//
// # Interfaces, channels, funcs
//
// An interface's first word is the *abi.Type of its dynamic type (empty
// interfaces) or an *abi.ITab whose Type field is (others). A dynamic
// type that is a single pointer word (pointers, maps, channels, funcs,
// and structs and arrays wrapping exactly one of them) is stored in the
// data word itself; any other value is boxed at the address in it. A
// channel's buffered items are read from its ring starting at recvx. A
// func value points to a closure whose first word is the code address,
// named through symbols.Table.PCToFunc.
//
// # Formatting
//
// Format is Delve's one-line rendering ("main.T {A: 1, B: "x", C: []int
// len: 3, cap: 3, [1,2,3]}", "error(*errors.errorString) *{s: "boom"}",
// "chan int 2/10", "*main.T nil"); FormatMultiline puts the fields,
// entries and composite elements on their own indented lines and adds
// channel buffers (print -v). Two choices differ from Delve: the
// "...+N more" of a truncated string follows the closing quote, and maps
// have no trailing ", ".
//
// # Performance
//
// Measured on the 2-core development machine against the stopped
// fixture through /proc/<pid>/mem (go test -bench . ./pkg/proc/values):
// all 5000 entries of a map[int]int spread over several tables in
// 4.8 ms (10,037 allocations, one per Value plus buffers); a 1500-entry
// map[string]string, one read per string, in 5.4 ms; print of that
// 5000-entry map with the default limits in 0.09 ms.
package values
