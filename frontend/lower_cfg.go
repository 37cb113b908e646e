package frontend

import "kcheck/frontend/ir"

// compactCFG removes the bookkeeping blocks the statement lowering leaves
// (empty blocks that only jump on: if/loop joins, label blocks, break
// targets) by threading jumps through them, then drops empty blocks that
// nothing reaches and renumbers the rest in creation order. A forwarded
// loop header passes its Loop flag to the block it forwarded to. Dead code
// with events is kept, as ir.Func documents.
func compactCFG(fn *ir.Func) {
	bs := fn.Blocks
	n := len(bs)
	if n == 0 {
		return
	}
	forward := func(b *ir.Block) bool {
		return b.ID != 0 && len(b.Events) == 0 && b.Term.Kind == ir.Jump && len(b.Term.Succs) == 1
	}
	// resolved[i] is where a jump to i really lands; -1 while unknown.
	resolved := make([]int, n)
	for i := range resolved {
		resolved[i] = -1
	}
	var chain []int
	for i := 0; i < n; i++ {
		if resolved[i] >= 0 {
			continue
		}
		chain = chain[:0]
		onChain := map[int]bool{}
		j := i
		for resolved[j] < 0 && forward(bs[j]) && !onChain[j] {
			onChain[j] = true
			chain = append(chain, j)
			j = bs[j].Term.Succs[0]
		}
		end := j
		if resolved[j] >= 0 {
			end = resolved[j]
		} else if onChain[j] {
			end = j // a cycle of empty blocks (for (;;);) keeps one block
		}
		loop := false
		for _, c := range chain {
			if c != end {
				resolved[c] = end
				loop = loop || bs[c].Loop
			}
		}
		resolved[end] = end
		if loop {
			bs[end].Loop = true
		}
	}
	collapsed := false
	for _, b := range bs {
		for k, s := range b.Term.Succs {
			b.Term.Succs[k] = resolved[s]
		}
		if b.Term.Kind == ir.Branch && b.Term.Succs[0] == b.Term.Succs[1] {
			// Both ways lead to the same place: the block may now forward.
			b.Term = ir.Terminator{Kind: ir.Jump, Succs: b.Term.Succs[:1], Pos: b.Term.Pos}
			collapsed = collapsed || len(b.Events) == 0
		}
	}
	if collapsed {
		compactCFG(fn)
		return
	}
	// Reachability from the entry.
	reach := make([]bool, n)
	stack := []int{0}
	reach[0] = true
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, s := range bs[b].Term.Succs {
			if !reach[s] {
				reach[s] = true
				stack = append(stack, s)
			}
		}
	}
	newID := make([]int, n)
	kept := bs[:0:0]
	for i, b := range bs {
		if resolved[i] != i || (!reach[i] && len(b.Events) == 0) {
			newID[i] = -1
			continue
		}
		newID[i] = len(kept)
		kept = append(kept, b)
	}
	for _, b := range kept {
		b.ID = newID[b.ID]
		succs := b.Term.Succs[:0]
		for _, s := range b.Term.Succs {
			succs = append(succs, newID[s])
		}
		b.Term.Succs = succs
	}
	fn.Blocks = kept
}
