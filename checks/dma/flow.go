package dma

import (
	"container/heap"

	"kcheck/frontend/ir"
)

// maxFlowSteps bounds the block visits of one dataflow walk. The states
// are finite sets that only grow at joins, so every walk terminates; the
// bound keeps a pathological function (thousands of blocks, many handles)
// from dominating the run. A capped walk is counted in Stats.CappedWalks
// and its findings so far are kept.
const maxFlowSteps = 20000

// blockQueue is a min-heap of block ids: blocks are visited in id order,
// for determinism.
type blockQueue []int

func (q blockQueue) Len() int           { return len(q) }
func (q blockQueue) Less(i, j int) bool { return q[i] < q[j] }
func (q blockQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *blockQueue) Push(x any)        { *q = append(*q, x.(int)) }
func (q *blockQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}

// forward runs a forward dataflow analysis over fn's CFG from event
// startEvent of block startBlock with state init. transfer processes a
// block from an event index and returns the state for each successor (nil
// to end the path there); join merges a state into a block's entry state
// and reports whether it grew. It returns false when it hit maxFlowSteps.
func forward[S any](fn *ir.Func, startBlock, startEvent int, init S,
	transfer func(b *ir.Block, start int, in S) []S,
	join func(dst S, src S) (S, bool)) bool {
	in := map[int]S{}
	queued := map[int]bool{}
	q := &blockQueue{}
	propagate := func(b *ir.Block, outs []S) {
		for i, s := range b.Term.Succs {
			if i >= len(outs) || s < 0 || s >= len(fn.Blocks) {
				continue
			}
			old, ok := in[s]
			if !ok {
				in[s] = outs[i]
			} else {
				merged, changed := join(old, outs[i])
				if !changed {
					continue
				}
				in[s] = merged
			}
			if !queued[s] {
				queued[s] = true
				heap.Push(q, s)
			}
		}
	}
	b0 := fn.Blocks[startBlock]
	propagate(b0, transfer(b0, startEvent, init))
	for steps := 0; q.Len() > 0; steps++ {
		if steps >= maxFlowSteps {
			return false
		}
		id := heap.Pop(q).(int)
		queued[id] = false
		b := fn.Blocks[id]
		propagate(b, transfer(b, 0, in[id]))
	}
	return true
}

// succStates returns n copies of s made by clone (one per successor).
func succStates[S any](b *ir.Block, s S, clone func(S) S) []S {
	out := make([]S, len(b.Term.Succs))
	for i := range out {
		out[i] = clone(s)
	}
	return out
}
