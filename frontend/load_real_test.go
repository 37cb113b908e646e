package frontend

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// linuxTree returns the real kernel tree used by the end-to-end tests
// (KCHECK_LINUX, default the prepare-tree.sh location), or skips.
func linuxTree(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("KCHECK_LINUX")
	if dir == "" {
		home, _ := os.UserHomeDir()
		dir = filepath.Join(home, ".cache/kcheck/linux-6.1/linux-source-6.1")
	}
	if _, err := os.Stat(filepath.Join(dir, "compile_commands.json")); err != nil {
		t.Skipf("no prepared kernel tree at %s (run ../shared/kernel/prepare-tree.sh)", dir)
	}
	return dir
}

func TestLoadRealUSBCore(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	dir := linuxTree(t)
	prog, err := Load(context.Background(), Options{Paths: []string{filepath.Join(dir, "drivers/usb/core")}, RePanic: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("stats %+v", prog.Stats)
	for _, f := range prog.Failures {
		t.Errorf("failed: %s: %s", f.File, f.Reason)
	}
	if prog.Stats.Found < 20 {
		t.Errorf("found %d units in drivers/usb/core, want more than 20", prog.Stats.Found)
	}
}
