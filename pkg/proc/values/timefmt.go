package values

import (
	"fmt"
	"reflect"
	"time"
)

// maxTimeSec is where Delve stops rendering times: a thousand times the
// longest time.Duration, in seconds.
const maxTimeSec = int64(1<<63-1) / int64(time.Second) * 1000

// timeText renders a time.Time value as Delve does, RFC 3339 in its
// location (loaded from the host's time zone database by the location's
// name), followed by the monotonic clock reading when it has one; ok is
// false when v is not a readable time.Time.
func timeText(v *Value) (string, bool) {
	if v.TypeName != "time.Time" || v.Kind != reflect.Struct {
		return "", false
	}
	wall, ext := v.Field("wall"), v.Field("ext")
	if wall == nil || ext == nil || wall.Err != nil || ext.Err != nil {
		return "", false
	}
	loc := time.UTC
	if l := v.Field("loc"); l != nil && l.Kind == reflect.Pointer && len(l.Children) == 1 && !l.Children[0].Unloaded {
		if name := l.Children[0].Field("name"); name != nil && name.Kind == reflect.String && name.Err == nil {
			if z, err := time.LoadLocation(name.Str); err == nil {
				loc = z
			}
		}
	}
	const (
		hasMonotonic = 1 << 63
		nsecShift    = 30
		// seconds from 1 January year 1 to 1885 and to 1970 (time's epochs)
		wallToInternal = (1884*365 + 1884/4 - 1884/100 + 1884/400) * 86400
		unixToInternal = (1969*365 + 1969/4 - 1969/100 + 1969/400) * 86400
	)
	w := wall.Uint
	if w&hasMonotonic != 0 {
		sec := int64(w<<1>>(nsecShift+1)) + wallToInternal
		t := time.Unix(sec-unixToInternal, 0).In(loc)
		return fmt.Sprintf("%s, %+d", t.Format(time.RFC3339), ext.Int), true
	}
	if ext.Int > maxTimeSec { // as Delve: too far to render
		return "", false
	}
	return time.Unix(ext.Int-unixToInternal, 0).In(loc).Format(time.RFC3339), true
}
