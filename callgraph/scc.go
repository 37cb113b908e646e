package callgraph

import (
	"fmt"
	"sort"

	"github.com/dominikbraun/graph"
)

// SCCs returns the strongly connected components of the graph bottom-up:
// every component comes after the components it calls (callees before
// callers), so a checker that walks them in order always finds its callees'
// summaries ready, except for calls within one component. The members of
// each component are in node order, and the order of components is fixed
// by a depth-first walk from the nodes in node order, so it is the same on
// every run. The result is computed once and shared: do not modify it.
func (g *Graph) SCCs() [][]*Node {
	g.sccOnce.Do(g.computeSCCs)
	return g.sccs
}

// computeSCCs finds the components with dominikbraun/graph (Tarjan's
// algorithm, linear in nodes and edges) and then orders them itself:
// the library returns them in map-iteration order.
func (g *Graph) computeSCCs() {
	// Vertices are node index + 1: the library's Tarjan loop pops the
	// stack "until hash != vertex" starting from the zero value, so a
	// vertex whose hash is 0 would get an empty component.
	dg := graph.New(graph.IntHash, graph.Directed())
	for _, n := range g.nodes {
		if err := dg.AddVertex(n.index + 1); err != nil {
			panic(fmt.Sprintf("callgraph: add vertex %s: %v", n, err)) // indexes are unique: a bug
		}
	}
	for _, n := range g.nodes {
		for _, c := range g.Callees(n) { // distinct, as the library rejects parallel edges
			if err := dg.AddEdge(n.index+1, c.index+1); err != nil {
				panic(fmt.Sprintf("callgraph: add edge %s -> %s: %v", n, c, err))
			}
		}
	}
	comps, err := graph.StronglyConnectedComponents(dg)
	if err != nil {
		panic(fmt.Sprintf("callgraph: strongly connected components: %v", err)) // the graph is directed: a bug
	}

	compOf := make([]int, len(g.nodes))
	members := make([][]*Node, len(comps))
	for ci, comp := range comps {
		sort.Ints(comp) // for determinism
		for _, v := range comp {
			compOf[v-1] = ci
			members[ci] = append(members[ci], g.nodes[v-1])
		}
	}

	// Post-order over the condensation: a component is emitted once every
	// component it calls has been. Roots and successors are visited in node
	// order, which fixes the order among independent components. The walk
	// is iterative: call chains can be thousands deep.
	type frame struct {
		comp int
		// member and edge are the next out-edge of the component to
		// look at: edge edge of member member.
		member, edge int
	}
	done := make([]bool, len(comps))
	order := make([][]*Node, 0, len(comps))
	for _, root := range g.nodes {
		rc := compOf[root.index]
		if done[rc] {
			continue
		}
		done[rc] = true
		stack := []frame{{comp: rc}}
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			ms := members[top.comp]
			pushed := false
			for top.member < len(ms) && !pushed {
				out := ms[top.member].Out
				for top.edge < len(out) {
					c := compOf[out[top.edge].Callee.index]
					top.edge++
					if !done[c] {
						done[c] = true
						stack = append(stack, frame{comp: c})
						pushed = true
						break
					}
				}
				if !pushed {
					top.member++
					top.edge = 0
				}
			}
			if !pushed {
				order = append(order, members[top.comp])
				stack = stack[:len(stack)-1]
			}
		}
	}
	g.sccs = order
}

// Recursive reports whether scc is a real cycle: more than one function,
// or one function that calls itself. Checkers treat such components as
// unbounded (stack depth) or iterate their summaries to a fixed point.
func (g *Graph) Recursive(scc []*Node) bool {
	if len(scc) > 1 {
		return true
	}
	for _, n := range scc {
		for _, e := range n.Out {
			if e.Callee == n {
				return true
			}
		}
	}
	return false
}

// BottomUp calls fn on each strongly connected component, callees first
// (the order of SCCs). It is the hook on which checkers compute
// per-function summaries: when fn runs, the summary of every function the
// component calls outside itself is final.
//
// Within a recursive component the members' summaries depend on each
// other. The usual way, which FixedPoint implements, is to start every
// member from the empty summary (acquires nothing, frame 0), then
// recompute all members in order, each reading the others' current
// summaries, until a whole round changes nothing. That terminates when
// summaries only grow in a finite domain (sets of lock classes, of
// released objects); for unbounded quantities such as stack depth a
// checker must widen instead (a recursive component's depth is unbounded),
// and a round limit guards the rest.
func (g *Graph) BottomUp(fn func(scc []*Node)) {
	for _, scc := range g.SCCs() {
		fn(scc)
	}
}

// FixedPoint computes the summaries of one component: update recomputes
// the summary of one function from its callees' current summaries and
// reports whether it changed. A non-recursive component needs one update;
// a recursive one is updated in rounds, every member in order, until a
// round changes nothing or maxRounds rounds have run. FixedPoint reports
// whether the summaries converged; when they did not, the caller should
// widen them (treat the component's summary as unknown or top).
func (g *Graph) FixedPoint(scc []*Node, maxRounds int, update func(n *Node) (changed bool)) bool {
	if !g.Recursive(scc) {
		for _, n := range scc {
			update(n)
		}
		return true
	}
	for round := 0; round < maxRounds; round++ {
		changed := false
		for _, n := range scc {
			if update(n) {
				changed = true
			}
		}
		if !changed {
			return true
		}
	}
	return false
}
