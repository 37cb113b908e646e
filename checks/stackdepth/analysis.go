package stackdepth

import (
	"fmt"
	"sort"
	"strconv"

	"kcheck/callgraph"
	"kcheck/frontend/ir"
)

// Option keys read from checks.Pass.Options, and their defaults.
const (
	OptFrameWarn   = "frame-warn"
	OptStackBudget = "stack-budget"
	OptStackUsage  = "stack-usage"

	DefaultFrameWarn   = 2048
	DefaultStackBudget = 8192
)

// Options configure an Analysis.
type Options struct {
	// FrameWarn is the frame size above which stackdepth/frame reports.
	FrameWarn int64
	// Budget is the path total above which stackdepth/path reports.
	Budget int64
	// StackUsage holds GCC's frames (nil: estimate every frame).
	StackUsage *StackUsage
	// Model estimates frames GCC's data does not cover.
	Model FrameModel
}

// ParseOptions reads the checker's options (see the package doc for the
// keys), reading the .su files when stack-usage is set.
func ParseOptions(m map[string]string) (Options, error) {
	o := Options{FrameWarn: DefaultFrameWarn, Budget: DefaultStackBudget, Model: DefaultModel}
	for key, dst := range map[string]*int64{OptFrameWarn: &o.FrameWarn, OptStackBudget: &o.Budget} {
		if s, ok := m[key]; ok && s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || n <= 0 {
				return o, fmt.Errorf("stackdepth: option %s=%q: want a positive number of bytes", key, s)
			}
			*dst = n
		}
	}
	if dir := m[OptStackUsage]; dir != "" {
		su, err := ReadStackUsage(dir)
		if err != nil {
			return o, err
		}
		o.StackUsage = su
	}
	return o, nil
}

// Analysis is the stack model of a whole program: each function's frame
// and, memoised over the call graph's components, the worst-case stack
// below it.
type Analysis struct {
	Graph   *callgraph.Graph
	Options Options
	facts   map[string]*FuncFacts
	frames  map[*callgraph.Node]Frame
	// worst is the frame plus the worst callee path; next is the edge that
	// path takes (nil at a leaf).
	worst map[*callgraph.Node]int64
	next  map[*callgraph.Node]*callgraph.Edge
	// recursive marks members of call cycles; their worst counts each
	// cycle member once (a lower bound).
	recursive map[*callgraph.Node]bool
	// unbounded marks functions whose own frame is unbounded (VLA,
	// alloca, or GCC's "dynamic").
	unbounded map[*callgraph.Node]bool
	// fromSU and inlinedBySU count frames taken from GCC's data and
	// static functions with no .su line (inlined: frame 0).
	fromSU, inlinedBySU int
}

// NewAnalysis computes frames and worst paths for the program.
func NewAnalysis(g *callgraph.Graph, units []*ir.Unit, o Options) *Analysis {
	a := &Analysis{Graph: g, Options: o,
		frames: map[*callgraph.Node]Frame{}, worst: map[*callgraph.Node]int64{},
		next: map[*callgraph.Node]*callgraph.Edge{}, recursive: map[*callgraph.Node]bool{},
		unbounded: map[*callgraph.Node]bool{}}
	a.facts = extractFacts(g, units)
	est := o.Model.Frames(a.facts)
	su := o.StackUsage
	for _, n := range g.Nodes() {
		fr := est[n.Key.String()]
		if n.Func == nil {
			fr = Frame{Source: "external"}
		}
		if su != nil {
			if e, ok := su.Lookup(n.Key.File, n.Key.Name); ok {
				fr = Frame{Bytes: e.Bytes, Source: "su", Unbounded: e.Qualifier == "dynamic", Standalone: e.Bytes}
				a.fromSU++
			} else if n.Func != nil && n.Func.Static && su.HasFile(n.Key.File) {
				// GCC compiled this file but emitted no frame for the
				// function: it was inlined into every caller (its locals
				// are in their frames) or dropped as unused.
				fr = Frame{Source: "inlined", Standalone: fr.Standalone}
				a.inlinedBySU++
			}
		}
		if ff := a.facts[n.Key.String()]; ff != nil && fr.Source != "su" {
			_, unb, _, _ := o.Model.localsPart(ff)
			fr.Unbounded = unb
		}
		a.frames[n] = fr
		a.unbounded[n] = fr.Unbounded
	}
	// Longest path, memoised bottom-up over the components: linear in
	// nodes and edges. Edges inside a component (recursion) are not
	// followed.
	g.BottomUp(func(scc []*callgraph.Node) {
		in := map[*callgraph.Node]bool{}
		for _, n := range scc {
			in[n] = true
		}
		rec := g.Recursive(scc)
		for _, n := range scc {
			a.recursive[n] = rec
			// Only callees that add stack extend the path: a call to an
			// external function of unknown (0) frame is not shown.
			var best int64
			var bestEdge *callgraph.Edge
			for _, e := range n.Out {
				if in[e.Callee] {
					continue
				}
				if w := a.worst[e.Callee]; w > best {
					best, bestEdge = w, e
				}
			}
			a.worst[n] = a.frames[n].Bytes + best
			a.next[n] = bestEdge
		}
	})
	return a
}

// Frame returns the frame of n.
func (a *Analysis) Frame(n *callgraph.Node) Frame { return a.frames[n] }

// Worst returns the worst-case stack below and including n.
func (a *Analysis) Worst(n *callgraph.Node) int64 { return a.worst[n] }

// PathRow is one function on a stack path.
type PathRow struct {
	Func string
	Pos  ir.Pos // the function, or the call site that reaches it
	// Frame is the bytes this function adds; Total the running total from
	// the first row; Source where the frame comes from.
	Frame, Total int64
	Source       string
	// Note flags what the total does not cover ("recursive",
	// "unbounded frame").
	Note string
	// Edge is the call that reached this row (nil for the first).
	Edge *callgraph.Edge
}

// Path returns the worst path below n, n first.
func (a *Analysis) Path(n *callgraph.Node) []PathRow {
	var rows []PathRow
	var total int64
	var via *callgraph.Edge
	for steps := 0; n != nil && steps < 100000; steps++ {
		fr := a.frames[n]
		total += fr.Bytes
		pos := ir.Pos{}
		if n.Func != nil {
			pos = n.Func.Pos
		}
		if via != nil && via.Call != nil {
			pos = via.Call.Pos
		}
		rows = append(rows, PathRow{Func: n.Key.String(), Pos: pos, Frame: fr.Bytes, Total: total, Source: fr.Source, Note: a.note(n), Edge: via})
		via = a.next[n]
		if via == nil {
			break
		}
		n = via.Callee
	}
	return rows
}

func (a *Analysis) note(n *callgraph.Node) string {
	switch {
	case a.unbounded[n] && a.recursive[n]:
		return "recursive, unbounded frame"
	case a.unbounded[n]:
		return "unbounded frame"
	case a.recursive[n]:
		return "recursive"
	}
	return ""
}

// biggest returns the k largest frames of a path, largest first.
func biggest(rows []PathRow, k int) []PathRow {
	s := append([]PathRow(nil), rows...)
	sort.SliceStable(s, func(i, j int) bool { return s[i].Frame > s[j].Frame })
	var out []PathRow
	for _, r := range s {
		if len(out) == k || r.Frame == 0 {
			break
		}
		out = append(out, r)
	}
	return out
}
