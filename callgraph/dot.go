package callgraph

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
)

// dotDepth is how many call levels WriteDOT shows around a focused
// function, in each direction: enough to see who reaches it and what it
// leads to without drawing a whole subsystem.
const dotDepth = 2

// WriteDOT writes the graph in Graphviz DOT, for looking at why a checker
// followed a path. With focus "" it writes every function and call. When
// focus names a function, it writes the functions of that name, their
// callers and callees up to two levels away, and the calls followed to
// reach them; the focused nodes are bold. Otherwise focus is taken as a
// file (relative to the tree root) and the functions defined in it are
// written with their direct callees. Several call sites of one caller to
// one callee give one edge; indirect calls are dashed and labelled with the
// struct member they go through, and external functions are dashed boxes.
// The output is the same on every run.
func (g *Graph) WriteDOT(w io.Writer, focus string) error {
	nodes, edges, focused, err := g.dotSubgraph(focus)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "digraph callgraph {")
	fmt.Fprintln(bw, "\tnode [shape=box];")
	for _, n := range nodes {
		var attrs []string
		if n.Key.File != "" {
			attrs = append(attrs, "label="+dotQuote(n.Key.Name+"\n"+n.Key.File))
		}
		var styles []string
		if n.External {
			styles = append(styles, "dashed")
		}
		if focused[n] {
			styles = append(styles, "bold")
		}
		if len(styles) > 0 {
			attrs = append(attrs, "style="+dotQuote(strings.Join(styles, ",")))
		}
		fmt.Fprintf(bw, "\t%s", dotQuote(n.Key.String()))
		if len(attrs) > 0 {
			fmt.Fprintf(bw, " [%s]", strings.Join(attrs, ", "))
		}
		fmt.Fprintln(bw, ";")
	}
	for _, e := range edges {
		fmt.Fprintf(bw, "\t%s -> %s", dotQuote(e.from.Key.String()), dotQuote(e.to.Key.String()))
		if e.indirect {
			fmt.Fprintf(bw, " [style=dashed, label=%s]", dotQuote(e.label))
		}
		fmt.Fprintln(bw, ";")
	}
	fmt.Fprintln(bw, "}")
	return bw.Flush()
}

// dotEdge is one drawn edge: all call sites of one kind from one caller to
// one callee.
type dotEdge struct {
	from, to *Node
	indirect bool
	label    string // "struct.member" of an indirect call
}

func newDotEdge(e *Edge) dotEdge {
	d := dotEdge{from: e.Caller, to: e.Callee, indirect: e.Indirect}
	if e.Indirect && e.Call.Indirect != nil {
		d.label = e.Call.Indirect.StructType + "." + e.Call.Indirect.Field
	}
	return d
}

// dotSubgraph selects the nodes and edges WriteDOT draws for focus, both in
// a fixed order.
func (g *Graph) dotSubgraph(focus string) ([]*Node, []dotEdge, map[*Node]bool, error) {
	inSet := make(map[*Node]bool)
	edgeSet := make(map[dotEdge]bool)
	focused := make(map[*Node]bool)
	addEdge := func(e *Edge) {
		edgeSet[newDotEdge(e)] = true
		inSet[e.Caller] = true
		inSet[e.Callee] = true
	}
	switch roots := g.Lookup(focus); {
	case focus == "":
		for _, n := range g.nodes {
			inSet[n] = true
			for _, e := range n.Out {
				addEdge(e)
			}
		}
	case len(roots) > 0:
		for _, r := range roots {
			inSet[r] = true
			focused[r] = true
		}
		// Breadth-first in each direction, dotDepth levels.
		for _, down := range []bool{true, false} {
			level := roots
			seen := make(map[*Node]bool)
			for _, r := range roots {
				seen[r] = true
			}
			for d := 0; d < dotDepth && len(level) > 0; d++ {
				var next []*Node
				for _, n := range level {
					es := n.In
					if down {
						es = n.Out
					}
					for _, e := range es {
						addEdge(e)
						m := e.Caller
						if down {
							m = e.Callee
						}
						if !seen[m] {
							seen[m] = true
							next = append(next, m)
						}
					}
				}
				level = next
			}
		}
	default:
		for _, n := range g.nodes {
			if n.Func == nil || n.Func.File != focus {
				continue
			}
			inSet[n] = true
			for _, e := range n.Out {
				addEdge(e)
			}
		}
		if len(inSet) == 0 {
			return nil, nil, nil, fmt.Errorf("callgraph: no function or file named %q", focus)
		}
	}

	nodes := make([]*Node, 0, len(inSet))
	for n := range inSet {
		nodes = append(nodes, n)
	}
	sort.Slice(nodes, func(i, j int) bool { return nodes[i].index < nodes[j].index }) // for determinism
	edges := make([]dotEdge, 0, len(edgeSet))
	for e := range edgeSet {
		edges = append(edges, e)
	}
	sort.Slice(edges, func(i, j int) bool { // for determinism
		a, b := edges[i], edges[j]
		if a.from != b.from {
			return a.from.index < b.from.index
		}
		if a.to != b.to {
			return a.to.index < b.to.index
		}
		if a.indirect != b.indirect {
			return !a.indirect
		}
		return a.label < b.label
	})
	return nodes, edges, focused, nil
}

// dotQuote quotes s as a DOT string: double quotes and backslashes are
// escaped, a newline becomes DOT's centred line break \n.
func dotQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
