package lockorder

import (
	"fmt"
	"testing"
	"time"

	"kcheck/callgraph"
	"kcheck/checks"
	"kcheck/frontend/ir"
)

// pathological builds a function of n diamonds, each conditionally
// taking its own global lock and never releasing it: 2^n distinct held
// sets, inside a loop.
func pathological(n int) *ir.Unit {
	f := &ir.Func{Name: "patho", File: "drivers/p.c", Unit: "drivers/p.c", Pos: ir.Pos{File: "drivers/p.c", Line: 1, Col: 1}}
	pos := func(l int) ir.Pos { return ir.Pos{File: "drivers/p.c", Line: l, Col: 2} }
	// Block layout per diamond i: head 3i (branch), take 3i+1, join 3i+2.
	for i := 0; i < n; i++ {
		head := &ir.Block{ID: 3 * i, Term: ir.Terminator{Kind: ir.Branch, Succs: []int{3*i + 1, 3*i + 2},
			Cond: &ir.Cond{Op: ir.Opaque, Text: "cond"}}}
		if i == 0 {
			head.Loop = true
		}
		c := &ir.Call{ID: len(f.Calls), Callee: "mutex_lock", Pos: pos(10 + i),
			Args: []*ir.Value{{Kind: ir.AddrVal, Base: &ir.Value{Kind: ir.GlobalVal, Name: fmt.Sprintf("lock%d", i)}}}}
		f.Calls = append(f.Calls, c)
		take := &ir.Block{ID: 3*i + 1, Events: []ir.Event{{Kind: ir.EvCall, Call: c, Pos: c.Pos}},
			Term: ir.Terminator{Kind: ir.Jump, Succs: []int{3*i + 2}}}
		join := &ir.Block{ID: 3*i + 2, Term: ir.Terminator{Kind: ir.Jump, Succs: []int{3*i + 3}}}
		f.Blocks = append(f.Blocks, head, take, join)
	}
	// Exit: loop back to the first diamond or return.
	f.Blocks = append(f.Blocks, &ir.Block{ID: 3 * n, Term: ir.Terminator{Kind: ir.Branch, Succs: []int{0, 3*n + 1}, Cond: &ir.Cond{Op: ir.Opaque}}},
		&ir.Block{ID: 3*n + 1, Term: ir.Terminator{Kind: ir.Return, Pos: pos(9999)}})
	return &ir.Unit{File: "drivers/p.c", Funcs: []*ir.Func{f}}
}

// TestPathologicalCapped checks that a function with hundreds of branches
// and a loop finishes and says it was capped.
func TestPathologicalCapped(t *testing.T) {
	u := pathological(300)
	g := callgraph.Build([]*ir.Unit{u})
	var diags []checks.Diagnostic
	pass := checks.NewPass(Checker, []*ir.Unit{u}, g, opts, func(d checks.Diagnostic) { diags = append(diags, d) })
	start := time.Now()
	if err := Checker.Run(pass); err != nil {
		t.Fatal(err)
	}
	t.Logf("300 diamonds in a loop: %v", time.Since(start))
	capped := false
	for _, d := range diags {
		if d.Rule == ruleCapped.ID {
			capped = true
		}
	}
	if !capped {
		t.Errorf("no %s note for a function with 2^300 lock states; got %v", ruleCapped.ID, diags)
	}
}

func BenchmarkPathological(b *testing.B) {
	u := pathological(300)
	g := callgraph.Build([]*ir.Unit{u})
	for i := 0; i < b.N; i++ {
		pass := checks.NewPass(Checker, []*ir.Unit{u}, g, nil, func(checks.Diagnostic) {})
		if err := Checker.Run(pass); err != nil {
			b.Fatal(err)
		}
	}
}
