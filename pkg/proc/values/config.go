package values

// LoadConfig bounds how much of a value Load reads. The zero value reads
// the fields of a top-level struct but no string bytes, no elements and
// no pointer targets; start from DefaultLoadConfig.
type LoadConfig struct {
	// FollowPointers loads what pointers point to. A pointer does not
	// count as a level of nesting unless it points to another pointer
	// or an interface.
	FollowPointers bool
	// MaxVariableRecurse is how deep the contents of structs, arrays,
	// slices, maps and channel buffers are loaded: 0 loads the fields or
	// elements of the top value only, 1 one level below that, and so on.
	// Deeper composites are marked Unloaded. Capped at 64.
	MaxVariableRecurse int
	// MaxStringLen is how many bytes of a string are read; -1: all (up
	// to 16 MiB).
	MaxStringLen int
	// MaxArrayValues is how many elements of an array or slice, entries
	// of a map and items of a channel buffer are loaded; -1: all (up to
	// 1<<20).
	MaxArrayValues int
	// MaxStructFields is how many fields of a struct are loaded; -1: all.
	MaxStructFields int
}

// DefaultLoadConfig is what print, locals and args use (Delve's defaults).
var DefaultLoadConfig = LoadConfig{
	FollowPointers:     true,
	MaxVariableRecurse: 1,
	MaxStringLen:       64,
	MaxArrayValues:     64,
	MaxStructFields:    -1,
}

// FullLoadConfig loads every element of every string, slice and map, ten
// levels deep; for tests and for explicit "print everything" requests.
var FullLoadConfig = LoadConfig{
	FollowPointers:     true,
	MaxVariableRecurse: 10,
	MaxStringLen:       -1,
	MaxArrayValues:     -1,
	MaxStructFields:    -1,
}

// Hard bounds that hold whatever the configuration says, so that a
// corrupt header cannot make a load allocate or loop without end.
const (
	hardMaxDepth   = 64
	hardMaxString  = 16 << 20
	hardMaxElems   = 1 << 20
	hardMaxBulk    = 1 << 20  // largest single read of a composite
	hardMaxSlots   = 1 << 22  // map slots scanned per load
	maxUnreadables = 3        // unreadable elements before an array load stops
	maxValues      = 1 << 20  // values one Load creates; then lists are cut short
	maxStringBytes = 64 << 20 // string bytes one Load reads
)

func (c LoadConfig) maxDepth() int { return min(c.MaxVariableRecurse, hardMaxDepth) }

func (c LoadConfig) maxString() int64 {
	if c.MaxStringLen < 0 || c.MaxStringLen > hardMaxString {
		return hardMaxString
	}
	return int64(c.MaxStringLen)
}

func (c LoadConfig) maxElems() int64 {
	if c.MaxArrayValues < 0 || c.MaxArrayValues > hardMaxElems {
		return hardMaxElems
	}
	return int64(c.MaxArrayValues)
}
