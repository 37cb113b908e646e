package stackdepth

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"kcheck/callgraph"
	"kcheck/frontend"
)

// TestCalibrateDriversUSB compares the frame model with GCC's frames on a
// real Linux 6.1 tree whose drivers/usb was built with
// KCFLAGS=-fstack-usage. It is skipped unless the tree is there
// (KCHECK_LINUX_TREE, default ~/.cache/kcheck/linux-6.1/linux-source-6.1)
// and -short is off. KCHECK_STACK_FACTS names a JSON file caching the
// extracted facts, so that tuning the model does not re-parse the tree.
func TestCalibrateDriversUSB(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	tree := os.Getenv("KCHECK_LINUX_TREE")
	if tree == "" {
		home, _ := os.UserHomeDir()
		tree = filepath.Join(home, ".cache", "kcheck", "linux-6.1", "linux-source-6.1")
	}
	usb := filepath.Join(tree, "drivers", "usb")
	if _, err := os.Stat(filepath.Join(usb, "core", "hub.su")); err != nil {
		t.Skipf("no -fstack-usage build of %s", usb)
	}
	su, err := ReadStackUsage(usb)
	if err != nil {
		t.Fatal(err)
	}
	var facts map[string]*FuncFacts
	cache := os.Getenv("KCHECK_STACK_FACTS")
	if cache != "" {
		if data, err := os.ReadFile(cache); err == nil {
			if err := json.Unmarshal(data, &facts); err != nil {
				t.Fatalf("%s: %v", cache, err)
			}
		}
	}
	if facts == nil {
		prog, err := frontend.Load(context.Background(), frontend.Options{Paths: []string{usb}})
		if err != nil {
			t.Fatal(err)
		}
		facts = extractFacts(callgraph.Build(prog.Units), prog.Units)
		if cache != "" {
			data, _ := json.Marshal(facts)
			if err := os.WriteFile(cache, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	acc := CompareWithGCC(facts, su, DefaultModel)
	t.Logf(".su: %d files, %d entries\n%s", su.Files, su.Entries, acc)
	// The alternatives the package doc rejects, for comparison.
	sum := DefaultModel
	sum.ShareInlined = false
	noInline := DefaultModel
	noInline.LargeStackFrame = 0
	noInline.StackFrameGrowth = 0
	for name, m := range map[string]FrameModel{"inlined bodies summed": sum, "callees with locals never inlined": noInline} {
		a := CompareWithGCC(facts, su, m)
		a.Worst = nil
		t.Logf("alternative (%s):\n%s", name, a)
	}
}
