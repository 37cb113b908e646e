package stackdepth

import "sort"

// FrameModel is the estimate of a function's stack frame on x86_64 at -O2
// from its locals, calibrated against GCC's -fstack-usage numbers on Linux
// 6.1 drivers/usb (see TestCalibrateDriversUSB and the package doc).
//
// Frame = return address + saved registers and spill slots (a step
// function of the number of calls) + outgoing stack arguments (beyond the
// six passed in registers) + stack-protector canary + the locals that
// live in memory, where:
//
//   - a local lives in memory when it is an array, struct or union, or a
//     scalar whose address is taken; other scalars live in registers;
//   - each lexical scope needs its own locals plus the largest of its
//     child scopes: sibling scopes share space (GCC's stack slot sharing
//     for variables whose scopes do not overlap, -fstack-reuse=all, the
//     default at -O2);
//   - the locals of callees the model expects GCC to inline (see
//     FuncFacts.InlineInto) are placed in the caller, unless GCC's
//     stack-growth limit refuses the inlining (see LargeStackFrame).
type FrameModel struct {
	// ReturnAddress is the bytes the call instruction pushes.
	ReturnAddress int64
	// CallCost maps the number of call sites to the bytes of saved
	// callee-saved registers and spill slots: the last step whose MinCalls
	// is at most the count applies. Values kept across calls need
	// callee-saved registers, so the count of calls is a usable proxy for
	// register pressure.
	CallCost []CallStep
	// Canary is the stack protector's slot, added when a function has an
	// array or address-taken local (CONFIG_STACKPROTECTOR_STRONG).
	Canary int64
	// ShareInlined selects how the locals of several inlined callees
	// combine in the caller's frame: true takes the largest (their bodies
	// are disjoint blocks, which share slots like sibling scopes), false
	// the sum.
	ShareInlined bool
	// LargeStackFrame and StackFrameGrowth are GCC's --param
	// large-stack-frame (256) and large-stack-frame-growth (1000 %):
	// GCC refuses to inline a callee when the caller's stack would then
	// exceed LargeStackFrame bytes and grow by more than StackFrameGrowth
	// percent over the caller's own locals.
	LargeStackFrame  int64
	StackFrameGrowth int64
}

// CallStep is one step of FrameModel.CallCost.
type CallStep struct {
	MinCalls int
	Bytes    int64
}

// DefaultModel is the calibrated model (numbers in the package doc).
var DefaultModel = FrameModel{
	ReturnAddress: 8,
	CallCost: []CallStep{
		{0, 0}, {3, 16}, {6, 24}, {10, 32}, {20, 48}, {40, 56},
	},
	Canary:           8,
	ShareInlined:     true,
	LargeStackFrame:  256,
	StackFrameGrowth: 1000,
}

// Frame is a function's frame with its parts, for messages and the
// calibration report.
type Frame struct {
	Bytes int64
	// Locals is the part taken by local variables (own and inlined).
	Locals int64
	// Unbounded is set when a VLA or alloca makes the frame grow at run
	// time; Bytes then counts only the known part.
	Unbounded bool
	// Unknown counts locals whose size the type layer could not resolve
	// (counted as 0).
	Unknown int
	// Inlined are the callees whose locals are counted here.
	Inlined []string
	// Standalone is the frame the function would have out of line; it
	// differs from Bytes only for an inlined function.
	Standalone int64
	// Source says where the number comes from: "estimate", "su" (GCC's
	// .su file) or "inlined" (no frame of its own: its locals are counted
	// in its callers' frames).
	Source string
}

// combined is a function with the bodies the model inlines into it.
type combined struct {
	locals      int64 // bytes, with sharing applied
	stackedSize int64 // bytes, inlined bodies stacked: GCC's own estimate
	calls       int
	stackArgs   int64
	unbounded   bool
	unknown     int
	protect     bool
	inlined     []string
}

// Frames estimates the frame of every function in all. A function the
// model expects GCC to inline into all its callers gets Source "inlined"
// and 0 bytes; its locals are in the callers' frames.
func (m FrameModel) Frames(all map[string]*FuncFacts) map[string]Frame {
	memo := map[string]*combined{}
	outOfLine := map[string]bool{}
	visiting := map[string]bool{}
	var comb func(f *FuncFacts) *combined
	comb = func(f *FuncFacts) *combined {
		if c := memo[f.Key]; c != nil {
			return c
		}
		visiting[f.Key] = true
		c := &combined{calls: f.Calls, stackArgs: f.StackArgs}
		var self int64
		self, c.unbounded, c.unknown, c.protect = m.localsPart(f)
		c.locals, c.stackedSize = self, self
		var inl int64
		for _, ck := range f.InlinedCallees {
			cf := all[ck]
			if cf == nil || visiting[ck] {
				continue
			}
			cc := comb(cf)
			grown := c.stackedSize + cc.stackedSize
			if grown > m.LargeStackFrame && grown > self+self*m.StackFrameGrowth/100 {
				outOfLine[ck] = true // GCC keeps it out of line: a frame of its own
				continue
			}
			c.stackedSize = grown
			if m.ShareInlined {
				inl = max(inl, cc.locals)
			} else {
				inl += cc.locals
			}
			c.calls += cc.calls - 1
			c.stackArgs = max(c.stackArgs, cc.stackArgs)
			c.unbounded = c.unbounded || cc.unbounded
			c.unknown += cc.unknown
			c.protect = c.protect || cc.protect
			c.inlined = append(c.inlined, ck)
			c.inlined = append(c.inlined, cc.inlined...)
		}
		c.locals += inl
		delete(visiting, f.Key)
		memo[f.Key] = c
		return c
	}
	keys := make([]string, 0, len(all))
	for k := range all {
		keys = append(keys, k)
	}
	sort.Strings(keys) // for determinism
	for _, k := range keys {
		comb(all[k])
	}
	out := make(map[string]Frame, len(all))
	for _, k := range keys {
		ff, c := all[k], memo[k]
		fr := Frame{Source: "estimate", Locals: c.locals, Unbounded: c.unbounded, Unknown: c.unknown}
		fr.Inlined = append([]string(nil), c.inlined...)
		sort.Strings(fr.Inlined) // for determinism
		fr.Bytes = m.ReturnAddress + m.callCost(c.calls) + c.stackArgs + c.locals
		if c.protect {
			fr.Bytes += m.Canary
		}
		fr.Standalone = fr.Bytes
		if ff.InlineInto && !outOfLine[k] {
			fr = Frame{Source: "inlined", Unbounded: c.unbounded, Standalone: fr.Bytes}
		}
		out[k] = fr
	}
	return out
}

func (m FrameModel) callCost(calls int) int64 {
	var b int64
	for _, s := range m.CallCost {
		if calls >= s.MinCalls {
			b = s.Bytes
		}
	}
	return b
}

// localsPart returns the bytes of ff's own locals (scope sharing applied),
// whether a VLA or alloca is present, how many sizes were unknown, and
// whether any local needs the canary.
func (m FrameModel) localsPart(ff *FuncFacts) (bytes int64, unbounded bool, unknown int, protect bool) {
	n := len(ff.ScopeParent)
	own := make([]int64, n)
	for _, l := range ff.Locals {
		if l.VLA {
			unbounded = true
			protect = true
			continue
		}
		if !l.Aggregate && !l.AddrTaken {
			continue
		}
		if l.Size < 0 {
			unknown++
			continue
		}
		protect = true
		own[l.Scope] += roundUp(l.Size, max(l.Align, 1))
	}
	// Children have higher indexes than their parents (scopes are numbered
	// in the order they open), so one backward sweep folds the tree.
	best := make([]int64, n)
	var root int64
	for s := n - 1; s >= 0; s-- {
		total := own[s] + best[s]
		if p := ff.ScopeParent[s]; p >= 0 && p < s {
			best[p] = max(best[p], total)
		} else {
			root = max(root, total)
		}
	}
	return roundUp(root, 8), unbounded || ff.Alloca, unknown, protect
}

func roundUp(n, a int64) int64 {
	if a <= 1 {
		return n
	}
	return (n + a - 1) / a * a
}
