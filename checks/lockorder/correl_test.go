package lockorder

import (
	"testing"

	"kcheck/frontend/ir"
)

func TestBitTest(t *testing.T) {
	fn := &ir.Func{Name: "f", Params: []ir.Param{{Name: "desc"}, {Name: "message"}}, Locals: []ir.Local{{Name: "st"}}}
	r := &funcRun{fn: fn}
	for text, want := range map[string]string{
		"(message).event & 0x0400":   "bits(%1.event&1024)",
		"((message).event & 1024UL)": "bits(%1.event&1024)",
		"desc->flags & 4":            "bits(%0->flags&4)",
		"0x10 & (desc)->x.y":         "bits(%0->x.y&16)",
		"st & 2":                     "bits($st&2)",
		"(u32)desc & 4":              "",
		"desc->a & desc->b & 4":      "",
		"desc->a & desc->b":          "",
		"desc->a && 4":               "",
	} {
		id, ok := r.bitTest(text)
		if got := id.key; got != want || ok != (want != "") {
			t.Errorf("bitTest(%q) = %q, %v; want %q", text, got, ok, want)
		}
	}
}

// TestPostDominators checks a diamond with an early return.
func TestPostDominators(t *testing.T) {
	// b0: branch b1/b2; b1: branch b3/b4; b2 -> b3; b3 -> return; b4 return.
	fn := &ir.Func{Blocks: []*ir.Block{
		{ID: 0, Term: ir.Terminator{Kind: ir.Branch, Succs: []int{1, 2}}},
		{ID: 1, Term: ir.Terminator{Kind: ir.Branch, Succs: []int{3, 4}}},
		{ID: 2, Term: ir.Terminator{Kind: ir.Jump, Succs: []int{3}}},
		{ID: 3, Term: ir.Terminator{Kind: ir.Return}},
		{ID: 4, Term: ir.Terminator{Kind: ir.Return}},
	}}
	got := postDominators(fn)
	want := []int{5, 5, 3, 5, 5, 5}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("ipdom = %v, want %v", got, want)
		}
	}
}
