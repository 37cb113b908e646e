// Package callgraph builds kcheck's whole-program call graph over the
// lowered translation units: one node per function, one edge per call site
// and callee, and the strongly connected components in the bottom-up order
// on which checkers compute their per-function summaries.
//
// # Keys
//
// A function with external linkage is keyed by its name alone, so calls to
// it from every unit meet in one node. A static function is keyed by the
// file that defines it and its name, so two static functions called
// probe() in two drivers stay apart, while a static inline function in a
// header inside the analysed directories, lowered once per unit that
// includes it, becomes one node (the copy of the first unit in file order
// is kept). A static function a unit declares but whose body is not in the
// analysed code (a kernel API inline from include/, pruned before parsing)
// is keyed by its name, like a global: its callers in every unit then
// share one External node, which is what checkers that look up spin_lock
// or mutex_lock by name need.
//
// # What the graph over- and under-approximates
//
// Direct calls are resolved exactly as the linker would within the analysed
// code. Indirect calls through a struct member (ops->probe(dev)) are
// resolved by (struct tag, member) to every function any unit stores into
// that member, by designated initializer or assignment: this
// over-approximates (a call through one usb_driver's probe reaches every
// driver's probe) and under-approximates when the pointer is stored in a
// way the front end does not see (memcpy, a store through a void pointer, a
// table outside the analysed directories). Calls through a member of an
// unresolved struct type, through a member nothing stores into, and through
// plain variables or parameters are not resolved: they are kept on the
// calling node (Node.Unresolved) and counted in Stats, so a silent checker
// run says nothing about what happens behind them. When a global name is
// defined by more than one unit (weak defaults and their overrides,
// alternative configurations), the definition of the first unit in file
// order is kept and the others are counted in Stats.DuplicateDefinitions.
package callgraph

import (
	"fmt"
	"sort"
	"sync"

	"kcheck/frontend/ir"
)

// FuncKey identifies a function across the whole program.
type FuncKey struct {
	// File is the file defining a static function (relative to the tree
	// root); "" for a function with external linkage and for a static
	// function without a body in the analysed code.
	File string
	Name string
}

// String is "name" for a global function and "file:name" for a static one;
// it is also the node's DOT id.
func (k FuncKey) String() string {
	if k.File == "" {
		return k.Name
	}
	return k.File + ":" + k.Name
}

// less orders keys by name first, so that every function of one name is
// adjacent in Nodes (Lookup relies on it) and output reads alphabetically.
func (k FuncKey) less(o FuncKey) bool {
	if k.Name != o.Name {
		return k.Name < o.Name
	}
	return k.File < o.File
}

// Node is one function.
type Node struct {
	Key FuncKey
	// Func is the definition, nil for an External function.
	Func *ir.Func
	// Unit is the translation unit whose copy of Func the node holds (""
	// for External nodes).
	Unit string
	// External is set for a function called (or stored) but not defined in
	// the analysed code: kernel API such as mutex_lock.
	External bool
	// Out are the call edges leaving the function, ordered by call site
	// (Call.ID) and then by callee.
	Out []*Edge
	// In are the call edges entering the function, ordered by caller and
	// then by call site.
	In []*Edge
	// Unresolved are the function's indirect call sites no callee was found
	// for, in call order.
	Unresolved []*ir.Call

	index int // position in Graph.nodes
}

// Name returns the function's name.
func (n *Node) Name() string { return n.Key.Name }

func (n *Node) String() string { return n.Key.String() }

// Edge is one call site calling one callee. An indirect call site resolved
// to several functions gives one Edge per function.
type Edge struct {
	Caller, Callee *Node
	Call           *ir.Call
	// Indirect is set for a call through a function pointer resolved by
	// the (struct, member) it was loaded from.
	Indirect bool
}

// Stats summarises the graph, for progress output and for judging how much
// of the program the checkers actually saw.
type Stats struct {
	// Functions counts functions with a body in the analysed code.
	Functions int
	// External counts functions called or stored but not defined.
	External int
	// DirectEdges counts direct call sites.
	DirectEdges int
	// IndirectEdges counts resolved (indirect call site, callee) pairs, and
	// IndirectSites the indirect call sites with at least one callee.
	IndirectEdges int
	IndirectSites int
	// Unresolved counts indirect call sites with no known callee.
	Unresolved int
	// DuplicateDefinitions counts definitions of a global name dropped
	// because an earlier unit defined the same name.
	DuplicateDefinitions int
}

// Graph is the whole-program call graph. It is immutable once built and
// safe for concurrent use by several checkers.
type Graph struct {
	nodes []*Node // sorted by key
	byKey map[FuncKey]*Node
	stats Stats

	sccOnce sync.Once
	sccs    [][]*Node
}

// fieldKey is the (struct tag, member) an indirect call goes through.
type fieldKey struct{ structType, field string }

// Build builds the call graph of units. The units may come in any order:
// they are processed in file order, for determinism.
func Build(units []*ir.Unit) *Graph {
	us := make([]*ir.Unit, 0, len(units))
	for _, u := range units {
		if u != nil {
			us = append(us, u)
		}
	}
	sort.SliceStable(us, func(i, j int) bool { return us[i].File < us[j].File }) // for determinism

	g := &Graph{byKey: make(map[FuncKey]*Node)}
	var defined []*Node                   // nodes with a body, in discovery order
	var definedScope []map[string]FuncKey // the static scope of the unit the body came from

	// Pass 1: definitions and each unit's static scope.
	scopes := make([]map[string]FuncKey, len(us))
	for i, u := range us {
		scope := make(map[string]FuncKey, len(u.StaticFuncs))
		for _, name := range u.StaticFuncs {
			scope[name] = FuncKey{Name: name} // declared static, body elsewhere: see package doc
		}
		for _, f := range u.Funcs {
			if f.Static {
				file := f.File
				if file == "" {
					file = u.File
				}
				scope[f.Name] = FuncKey{File: file, Name: f.Name}
			}
		}
		scopes[i] = scope
		for _, f := range u.Funcs {
			key := FuncKey{Name: f.Name}
			if f.Static {
				key = scope[f.Name]
			}
			n := g.node(key)
			if n.Func != nil {
				if !f.Static {
					g.stats.DuplicateDefinitions++
				}
				continue // a header's static inline seen again: keep the first copy
			}
			n.Func = f
			n.Unit = u.File
			defined = append(defined, n)
			definedScope = append(definedScope, scope)
		}
	}

	// Pass 2: what is stored into each (struct, member).
	stores := make(map[fieldKey][]*Node)
	seenStore := make(map[fieldKey]map[*Node]bool)
	for i, u := range us {
		for _, fs := range u.FieldStores {
			if fs.StructType == "" || fs.Field == "" || fs.Func == "" {
				continue // cannot be matched against any call
			}
			key := FuncKey{Name: fs.Func}
			if k, ok := scopes[i][fs.Func]; ok && fs.Static {
				key = k
			}
			fk := fieldKey{fs.StructType, fs.Field}
			n := g.node(key)
			if seenStore[fk] == nil {
				seenStore[fk] = make(map[*Node]bool)
			}
			if !seenStore[fk][n] {
				seenStore[fk][n] = true
				stores[fk] = append(stores[fk], n)
			}
		}
	}
	for _, ns := range stores {
		sort.Slice(ns, func(i, j int) bool { return ns[i].Key.less(ns[j].Key) }) // for determinism
	}

	// Pass 3: call edges, resolved in the scope of the unit whose copy of
	// the body is kept.
	for i, n := range defined {
		scope := definedScope[i]
		for _, c := range n.Func.Calls {
			if c == nil {
				continue
			}
			switch {
			case c.Callee != "":
				key, ok := scope[c.Callee]
				if !ok {
					key = FuncKey{Name: c.Callee}
				}
				n.Out = append(n.Out, &Edge{Caller: n, Callee: g.node(key), Call: c})
				g.stats.DirectEdges++
			case c.Indirect != nil && c.Indirect.StructType != "" && len(stores[fieldKey{c.Indirect.StructType, c.Indirect.Field}]) > 0:
				for _, t := range stores[fieldKey{c.Indirect.StructType, c.Indirect.Field}] {
					n.Out = append(n.Out, &Edge{Caller: n, Callee: t, Call: c, Indirect: true})
					g.stats.IndirectEdges++
				}
				g.stats.IndirectSites++
			default:
				n.Unresolved = append(n.Unresolved, c)
				g.stats.Unresolved++
			}
		}
	}

	// Sort the nodes and derive In from Out in caller order, so both are
	// deterministic without sorting each edge list.
	g.nodes = make([]*Node, 0, len(g.byKey))
	for _, n := range g.byKey {
		g.nodes = append(g.nodes, n)
	}
	sort.Slice(g.nodes, func(i, j int) bool { return g.nodes[i].Key.less(g.nodes[j].Key) }) // for determinism
	for i, n := range g.nodes {
		n.index = i
		if n.Func == nil {
			n.External = true
			g.stats.External++
		} else {
			g.stats.Functions++
		}
	}
	for _, n := range g.nodes {
		for _, e := range n.Out {
			e.Callee.In = append(e.Callee.In, e)
		}
	}
	return g
}

// node returns the node for key, creating it.
func (g *Graph) node(key FuncKey) *Node {
	n := g.byKey[key]
	if n == nil {
		n = &Node{Key: key}
		g.byKey[key] = n
	}
	return n
}

// Nodes returns every node, sorted by name and then file.
func (g *Graph) Nodes() []*Node { return g.nodes }

// Node returns the node for key, or nil.
func (g *Graph) Node(key FuncKey) *Node { return g.byKey[key] }

// Lookup returns every node named name: the global function or kernel API
// of that name and the static functions of that name in any file, in key
// order.
func (g *Graph) Lookup(name string) []*Node {
	i := sort.Search(len(g.nodes), func(i int) bool { return g.nodes[i].Key.Name >= name })
	j := i
	for j < len(g.nodes) && g.nodes[j].Key.Name == name {
		j++
	}
	return g.nodes[i:j:j]
}

// Callees returns the distinct functions n calls, in node order.
func (g *Graph) Callees(n *Node) []*Node {
	return distinct(n.Out, func(e *Edge) *Node { return e.Callee })
}

// Callers returns the distinct functions that call n, in node order.
func (g *Graph) Callers(n *Node) []*Node {
	return distinct(n.In, func(e *Edge) *Node { return e.Caller })
}

func distinct(es []*Edge, end func(*Edge) *Node) []*Node {
	if len(es) == 0 {
		return nil
	}
	out := make([]*Node, 0, len(es))
	for _, e := range es {
		out = append(out, end(e))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].index < out[j].index })
	k := 0
	for i, n := range out {
		if i == 0 || n != out[k-1] {
			out[k] = n
			k++
		}
	}
	return out[:k]
}

// Entries returns the defined functions no other function in the analysed
// code calls (a function that calls only itself counts as uncalled): module
// init and exit functions, callbacks handed to the kernel (probe routines,
// interrupt handlers, work functions) and dead code. They are the roots from
// which stack-depth paths start.
func (g *Graph) Entries() []*Node {
	var out []*Node
	for _, n := range g.nodes {
		if n.Func == nil {
			continue
		}
		called := false
		for _, e := range n.In {
			if e.Caller != n {
				called = true
				break
			}
		}
		if !called {
			out = append(out, n)
		}
	}
	return out
}

// Stats returns counts of the graph's functions and call sites.
func (g *Graph) Stats() Stats { return g.stats }

func (s Stats) String() string {
	return fmt.Sprintf("%d functions defined, %d external callees, %d direct calls, %d indirect edges from %d resolved indirect calls, %d indirect calls unresolved",
		s.Functions, s.External, s.DirectEdges, s.IndirectEdges, s.IndirectSites, s.Unresolved)
}
