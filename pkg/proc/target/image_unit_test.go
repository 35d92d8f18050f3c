package target

import (
	"os"
	"testing"
)

// TestImageLoaded: Loaded does not wait, and reports the end of loading.
func TestImageLoaded(t *testing.T) {
	var none *Image
	if none.Loaded() {
		t.Errorf("a nil Image reports loaded symbols")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	img := LoadImage(exe, nil)
	<-img.done
	if !img.Loaded() || img.Err() != nil {
		t.Errorf("after loading: Loaded %v, Err %v", img.Loaded(), img.Err())
	}
}
