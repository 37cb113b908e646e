package stackdepth

import (
	"sort"

	"kcheck/callgraph"
	"kcheck/frontend/ir"
)

// LocalFact is what the frame model needs to know about one automatic
// variable.
type LocalFact struct {
	Name  string `json:"name"`
	Size  int64  `json:"size"` // -1 unknown
	Align int64  `json:"align"`
	Scope int    `json:"scope"`
	// Aggregate is set for arrays, structs and unions: they live in memory
	// at -O2 (scalar replacement of small aggregates is ignored).
	Aggregate bool `json:"aggregate,omitempty"`
	// AddrTaken is set when &local (or &local.member) appears: the
	// variable then needs a stack slot even when it is a scalar.
	AddrTaken bool   `json:"addr_taken,omitempty"`
	VLA       bool   `json:"vla,omitempty"`
	Pos       ir.Pos `json:"-"`
}

// FuncFacts are the per-function inputs of the frame model, extracted once
// from the IR and the call graph so that the model (and its calibration
// against GCC's numbers) works on plain data.
type FuncFacts struct {
	Key    string      `json:"key"` // callgraph key: "name" or "file:name"
	Name   string      `json:"name"`
	File   string      `json:"file"`
	Static bool        `json:"static,omitempty"`
	Inline bool        `json:"inline,omitempty"`
	Locals []LocalFact `json:"locals,omitempty"`
	// ScopeParent[i] is the parent of scope i (-1 for the body).
	ScopeParent []int `json:"scope_parent"`
	// Calls counts call sites (direct and indirect); Blocks counts basic
	// blocks; Params counts parameters. They drive the estimate of saved
	// registers and spill slots.
	Calls  int  `json:"calls"`
	Blocks int  `json:"blocks"`
	Params int  `json:"params"`
	Alloca bool `json:"alloca,omitempty"`
	// StackArgs is the largest outgoing argument area: x86_64 passes six
	// integer arguments in registers, the rest (printk-style varargs
	// calls with many values) on the stack, inside the caller's frame.
	StackArgs int64 `json:"stack_args,omitempty"`
	// InlineInto is set when the model expects GCC to inline every call of
	// this function (a static function that is never used as a value and
	// is either declared inline or called from exactly one call site):
	// its locals then live in its callers' frames.
	InlineInto bool `json:"inline_into,omitempty"`
	// InlinedCallees are the keys of the callees whose bodies the model
	// places in this function's frame (each at most once, sorted).
	InlinedCallees []string `json:"inlined_callees,omitempty"`
}

// extractFacts computes FuncFacts for every defined function of g, keyed
// by node key.
func extractFacts(g *callgraph.Graph, units []*ir.Unit) map[string]*FuncFacts {
	// Functions used as values (stored in a struct field, passed as a
	// callback, assigned): GCC must keep an out-of-line copy of them.
	asValue := map[string]bool{}
	for _, u := range units {
		for _, fs := range u.FieldStores {
			asValue[fs.Func] = true
		}
		for _, f := range u.Funcs {
			forEachValue(f, func(v *ir.Value) {
				if v.Kind == ir.FuncVal {
					asValue[v.Name] = true
				}
			})
		}
	}
	out := map[string]*FuncFacts{}
	for _, n := range g.Nodes() {
		if n.Func == nil {
			continue
		}
		ff := funcFacts(n.Func)
		ff.Key = n.Key.String()
		sites := 0
		recursive := false
		for _, e := range n.In {
			sites++
			if e.Indirect {
				sites += 2 // an indirect caller keeps an out-of-line copy
			}
			if e.Caller == n {
				recursive = true
			}
		}
		if !n.Func.NoInline && n.Func.Static && !asValue[n.Func.Name] && !recursive && sites > 0 && (n.Func.Inline || n.Func.AlwaysInline || sites == 1) {
			ff.InlineInto = true
		}
		out[ff.Key] = ff
	}
	for _, n := range g.Nodes() {
		ff := out[n.Key.String()]
		if ff == nil {
			continue
		}
		seen := map[string]bool{}
		for _, e := range n.Out {
			ck := e.Callee.Key.String()
			if cf := out[ck]; cf != nil && cf.InlineInto && !e.Indirect && e.Callee != n && !seen[ck] {
				seen[ck] = true
				ff.InlinedCallees = append(ff.InlinedCallees, ck)
			}
		}
		sort.Strings(ff.InlinedCallees) // for determinism
	}
	return out
}

// funcFacts extracts the graph-independent facts of one function.
func funcFacts(f *ir.Func) *FuncFacts {
	ff := &FuncFacts{Name: f.Name, File: f.File, Static: f.Static, Inline: f.Inline,
		Calls: len(f.Calls), Blocks: len(f.Blocks), Params: len(f.Params), Alloca: f.HasAlloca}
	for _, c := range f.Calls {
		if c != nil && len(c.Args) > 6 {
			ff.StackArgs = max(ff.StackArgs, 8*int64(len(c.Args)-6))
		}
	}
	for _, s := range f.Scopes {
		ff.ScopeParent = append(ff.ScopeParent, s.Parent)
	}
	if len(ff.ScopeParent) == 0 {
		ff.ScopeParent = []int{-1}
	}
	addr := map[int]bool{}
	forEachValue(f, func(v *ir.Value) {
		if v.Kind != ir.AddrVal {
			return
		}
		if r := v.Base.Root(); r != nil && r.Kind == ir.LocalVal {
			addr[r.Index] = true
		}
	})
	for i, l := range f.Locals {
		lf := LocalFact{Name: l.Name, Size: -1, Align: 1, Scope: l.Scope, VLA: l.VLA, AddrTaken: addr[i], Pos: l.Pos}
		if lf.Scope < 0 || lf.Scope >= len(ff.ScopeParent) {
			lf.Scope = 0
		}
		if t := l.Type; t != nil {
			lf.Size = t.Size
			if t.Align > 0 {
				lf.Align = t.Align
			}
			switch t.Kind {
			case ir.ArrayType, ir.StructType, ir.UnionType:
				lf.Aggregate = true
			}
		}
		ff.Locals = append(ff.Locals, lf)
	}
	return ff
}

// forEachValue calls fn on every value (and every sub-value) the body
// mentions.
func forEachValue(f *ir.Func, fn func(*ir.Value)) {
	var walk func(v *ir.Value)
	walk = func(v *ir.Value) {
		for depth := 0; v != nil && depth < 64; depth++ {
			fn(v)
			v = v.Base
		}
	}
	for _, b := range f.Blocks {
		for _, ev := range b.Events {
			walk(ev.Dst)
			walk(ev.Src)
			if c := ev.Call; c != nil {
				for _, a := range c.Args {
					walk(a)
				}
				walk(c.Dst)
			}
		}
		if c := b.Term.Cond; c != nil {
			walk(c.X)
			walk(c.Y)
		}
		walk(b.Term.Value)
	}
}
