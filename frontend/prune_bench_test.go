package frontend

import (
	"os"
	"strings"
	"testing"
)

// BenchmarkPruneHub measures prune on drivers/usb/core/hub.c preprocessed
// (/tmp/hub.i, made by hand with the unit's own gcc -E); skipped without it.
func BenchmarkPruneHub(b *testing.B) {
	src, err := os.ReadFile("/tmp/hub.i")
	if err != nil {
		b.Skip("no /tmp/hub.i")
	}
	keep := func(f string) bool { return strings.HasPrefix(cleanMarkerPath(f), "drivers/usb") }
	b.SetBytes(int64(len(src)))
	for i := 0; i < b.N; i++ {
		prune(packMarkers(src), pruneOptions{dropUnused: true, keepFile: keep})
	}
}
