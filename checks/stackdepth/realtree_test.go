package stackdepth

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"kcheck/callgraph"
	"kcheck/checks"
	"kcheck/frontend"
)

// TestDriversUSBPaths runs the checker on the real tree's drivers/usb with
// estimated frames and with GCC's frames (--stack-usage), and logs the
// findings per rule and the 10 deepest entry paths. It is slow and runs
// only when KCHECK_STACK_REAL is set (and the -fstack-usage build exists).
func TestDriversUSBPaths(t *testing.T) {
	if os.Getenv("KCHECK_STACK_REAL") == "" {
		t.Skip("set KCHECK_STACK_REAL=1 to run on the real tree")
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
	prog, err := frontend.Load(context.Background(), frontend.Options{Paths: []string{usb}})
	if err != nil {
		t.Fatal(err)
	}
	g := callgraph.Build(prog.Units)
	for _, mode := range []map[string]string{nil, {OptStackUsage: usb}} {
		start := time.Now()
		var diags []checks.Diagnostic
		pass := checks.NewPass(Checker, prog.Units, g, mode, func(d checks.Diagnostic) { diags = append(diags, d) })
		if err := Checker.Run(pass); err != nil {
			t.Fatal(err)
		}
		elapsed := time.Since(start)
		o, _ := ParseOptions(mode)
		a := NewAnalysis(g, prog.Units, o)
		var b strings.Builder
		fmt.Fprintf(&b, "mode %v: checker %v, frames from .su %d, static functions without .su line (inlined) %d\n", mode, elapsed, a.fromSU, a.inlinedBySU)
		perRule := map[string]int{}
		for _, d := range diags {
			perRule[d.Rule]++
		}
		fmt.Fprintf(&b, "findings per rule: %v\n", perRule)
		for _, d := range diags {
			if d.Rule != "stackdepth/path" {
				fmt.Fprintf(&b, "  %s %s: %s\n", d.Rule, d.Pos, d.Message)
			}
		}
		entries := g.Entries()
		sort.SliceStable(entries, func(i, j int) bool { return a.Worst(entries[i]) > a.Worst(entries[j]) })
		for i, n := range entries[:min(10, len(entries))] {
			rows := a.Path(n)
			var chain []string
			for _, r := range rows {
				chain = append(chain, fmt.Sprintf("%s(%d)", shortNames([]string{r.Func}, 1), r.Frame))
			}
			fmt.Fprintf(&b, "%2d. %6d bytes  %s  %s\n", i+1, a.Worst(n), n.Key, strings.Join(chain, " -> "))
		}
		t.Log(b.String())
	}
}
