package lockorder

import (
	"fmt"
	"sort"
	"strings"

	"kcheck/callgraph"
	"kcheck/checks"
	"kcheck/frontend/ir"
)

// Checker is the lockorder checker.
var Checker = &checks.Checker{
	Name:  "lockorder",
	Doc:   doc,
	URL:   "https://kcheck.dev/checks/lockorder",
	Rules: rules,
	Run:   run,
}

func init() { checks.Register(Checker) }

// orderEdge is one edge A -> B of the lock-order graph with its first
// witness: in function fn, A is held (hold: the chain to its acquisition)
// while B is acquired (acq: the chain from fn down to the acquisition).
type orderEdge struct {
	from, to *lockClass
	fn       *callgraph.Node
	hold     []checks.Step
	acq      []checks.Step
	// seq orders edges by discovery (bottom-up over the call graph): the
	// last edge of a cycle to be found is the acquisition that closes it.
	seq int
}

// analyzer holds the whole-program state of one run.
type analyzer struct {
	pass    *checks.Pass
	sums    map[*callgraph.Node]*summary
	statics map[string]map[string]bool
	report  bool
	edges   map[[2]string]*orderEdge
	classes map[string]*lockClass
	diags   []checks.Diagnostic
	seen    map[string]bool
}

func run(pass *checks.Pass) error {
	a := &analyzer{
		pass:    pass,
		sums:    map[*callgraph.Node]*summary{},
		statics: map[string]map[string]bool{},
		edges:   map[[2]string]*orderEdge{},
		classes: map[string]*lockClass{},
		seen:    map[string]bool{},
	}
	for _, u := range pass.Units {
		m := map[string]bool{}
		for _, g := range u.Globals {
			if g.Static {
				m[g.Name] = true
			}
		}
		a.statics[u.File] = m
	}
	g := pass.Graph
	for _, scc := range g.SCCs() {
		var fns []*callgraph.Node
		for _, n := range scc {
			if n.Func != nil {
				fns = append(fns, n)
			}
		}
		if len(fns) == 0 {
			continue
		}
		if g.Recursive(scc) {
			// Summaries of a recursive component grow monotonically in a
			// finite domain; compute them silently, then report once.
			a.report = false
			g.FixedPoint(fns, 6, func(n *callgraph.Node) bool {
				old := -1
				if s := a.sums[n]; s != nil {
					old = s.size()
				}
				s := a.safeAnalyze(n)
				a.sums[n] = s
				return s.size() != old
			})
		}
		a.report = true
		for _, n := range fns {
			a.sums[n] = a.safeAnalyze(n)
		}
	}
	a.reportCycles()
	sort.SliceStable(a.diags, func(i, j int) bool { // for determinism
		x, y := a.diags[i], a.diags[j]
		if x.Pos.File != y.Pos.File {
			return x.Pos.File < y.Pos.File
		}
		if x.Pos.Line != y.Pos.Line {
			return x.Pos.Line < y.Pos.Line
		}
		if x.Pos.Col != y.Pos.Col {
			return x.Pos.Col < y.Pos.Col
		}
		if x.Rule != y.Rule {
			return x.Rule < y.Rule
		}
		return x.Message < y.Message
	})
	for _, d := range a.diags {
		pass.Report(d)
	}
	return nil
}

// safeAnalyze analyses one function; a panic becomes a note on that
// function and an empty summary, and the run goes on.
func (a *analyzer) safeAnalyze(n *callgraph.Node) (s *summary) {
	defer func() {
		if p := recover(); p != nil {
			if a.pass.Options["repanic"] != "" {
				panic(p)
			}
			s = newSummary()
			a.emit(checks.Diagnostic{Rule: ruleCapped.ID, Pos: n.Func.Pos, Level: checks.LevelNote, Function: n.Func.Name, Key: "panic",
				Message: fmt.Sprintf("lockorder: internal error analysing %s: %v; its locks are not modelled", n.Func.Name, p)})
		}
	}()
	return a.analyzeFunc(n)
}

func (a *analyzer) emit(d checks.Diagnostic) {
	k := fmt.Sprintf("%s|%s|%d|%s|%s", d.Rule, d.Pos.File, d.Pos.Line, d.Function, d.Key)
	if a.seen[k] {
		return
	}
	a.seen[k] = true
	a.diags = append(a.diags, d)
}

func levelFor(approx bool) checks.Level {
	if approx {
		return checks.LevelNote
	}
	return ""
}

func approxNote(approx bool) string {
	if approx {
		return " (lock class guessed from its spelling: the type of the lock expression is unknown)"
	}
	return ""
}

func (a *analyzer) reportCapped(n *callgraph.Node) {
	a.emit(checks.Diagnostic{Rule: ruleCapped.ID, Pos: n.Func.Pos, Level: checks.LevelNote, Function: n.Func.Name, Key: "capped",
		Message: fmt.Sprintf("lockorder: %s has too many distinct lock states (more than %d per block or %d block visits); paths beyond the cap were not analysed", n.Func.Name, maxStatesPerBlock, maxBlockVisits)})
}

func deepest(chain []checks.Step) checks.Step { return chain[len(chain)-1] }

func (a *analyzer) addEdge(r *funcRun, held, acq *heldLock) {
	if !a.report {
		return
	}
	k := [2]string{held.ck, acq.ck}
	if a.edges[k] != nil {
		return
	}
	a.classes[held.ck] = held.ref.Class
	a.classes[acq.ck] = acq.ref.Class
	a.edges[k] = &orderEdge{from: held.ref.Class, to: acq.ref.Class, fn: r.node, hold: held.chain, acq: acq.chain, seq: len(a.edges)}
}

func (a *analyzer) reportSelf(r *funcRun, held, acq *heldLock, c *ir.Call, via string) {
	if !a.report {
		return
	}
	name := acq.ck
	where := ""
	if via != "" {
		where = fmt.Sprintf(" in %s ([acquired there](2))", via)
	}
	approx := held.ref.Class != nil && held.ref.Class.Approx
	d := checks.Diagnostic{
		Rule:     ruleSelf.ID,
		Pos:      c.Pos,
		Level:    levelFor(approx),
		Function: r.fn.Name,
		Key:      name,
		Message: fmt.Sprintf("possible recursive locking: %s is acquired%s while already held ([first acquired here](1)); without a nesting annotation this deadlocks%s",
			name, where, approxNote(approx)),
		Related: []checks.Related{{ID: 1, Pos: held.pos(), Message: "first acquisition of " + name}},
		Flows: []checks.Flow{{
			Message: fmt.Sprintf("%s acquired twice in %s", name, r.fn.Name),
			Steps:   append(append([]checks.Step(nil), held.chain...), acq.chain...),
		}},
	}
	if via != "" {
		d.Related = append(d.Related, checks.Related{ID: 2, Pos: deepest(acq.chain).Pos, Message: "acquisition of " + name + " in " + via})
	}
	a.emit(d)
}

func (a *analyzer) reportDoubleUnlock(r *funcRun, ref lockRef, pos, first ir.Pos) {
	if !a.report {
		return
	}
	name := lockName(ref)
	approx := ref.Class != nil && ref.Class.Approx
	a.emit(checks.Diagnostic{
		Rule:     ruleHeld.ID,
		Pos:      pos,
		Level:    levelFor(approx),
		Function: r.fn.Name,
		Key:      "double-unlock " + name,
		Message:  fmt.Sprintf("double unlock: %s is released here but this path already released it ([released here](1))%s", name, approxNote(approx)),
		Related:  []checks.Related{{ID: 1, Pos: first, Message: "first release of " + name}},
		Flows: []checks.Flow{{Message: "released twice", Steps: []checks.Step{
			{Pos: first, Message: "releases " + name, Importance: checks.Important},
			{Pos: pos, Message: "releases " + name + " again", Importance: checks.Essential},
		}}},
	})
}

func (a *analyzer) reportHeldAtReturn(r *funcRun, h *heldLock, retPos, relPos ir.Pos) {
	if !a.report || h == nil {
		return
	}
	name := h.ck
	if h.ref.Class == nil {
		name = spelling(h.ref.Val)
	}
	approx := h.ref.Class != nil && h.ref.Class.Approx
	d := checks.Diagnostic{
		Rule:     ruleHeld.ID,
		Pos:      retPos,
		Level:    levelFor(approx),
		Function: r.fn.Name,
		Key:      "held " + name,
		Message: fmt.Sprintf("%s ([acquired here](1)) is still held when %s returns here, while [another path](2) releases it: missing unlock on this path%s",
			name, r.fn.Name, approxNote(approx)),
		Related: []checks.Related{{ID: 1, Pos: h.pos(), Message: "acquisition of " + name}, {ID: 2, Pos: relPos, Message: "release of " + name + " on another path"}},
		Flows: []checks.Flow{{Message: "path returning with " + name + " held", Steps: append(append([]checks.Step(nil), h.chain...),
			checks.Step{Pos: retPos, Message: "returns with " + name + " held", Importance: checks.Essential})}},
	}
	a.emit(d)
}

// reportCycles finds the cycles of the lock-order graph and reports each
// once. Cycles are found per strongly connected component of the graph:
// for every edge u -> v inside a component, the shortest path back from v
// to u closes one cycle; cycles are deduplicated by their rotation that
// starts at the smallest class, so each is reported once however many
// edges find it. This finds every cycle that is the shortest around one
// of its edges (all two- and three-lock cycles among them) in polynomial
// time, instead of enumerating all elementary cycles.
func (a *analyzer) reportCycles() {
	adj := map[string][]string{}
	var nodes []string
	for k := range a.edges {
		if _, ok := adj[k[0]]; !ok {
			nodes = append(nodes, k[0])
		}
		adj[k[0]] = append(adj[k[0]], k[1])
		if _, ok := adj[k[1]]; !ok {
			adj[k[1]] = nil
			nodes = append(nodes, k[1])
		}
	}
	sort.Strings(nodes) // for determinism
	for _, n := range nodes {
		sort.Strings(adj[n])
	}
	comp := tarjan(nodes, adj)
	done := map[string]bool{}
	const maxCyclesPerComponent = 32
	perComp := map[int]int{}
	for _, u := range nodes {
		for _, v := range adj[u] {
			cu := comp[u]
			if cu != comp[v] || perComp[cu] >= maxCyclesPerComponent {
				continue
			}
			path := shortestPath(v, u, adj, comp)
			if path == nil {
				continue
			}
			cyc := append([]string{u}, path...) // u, v, ..., u
			cyc = cyc[:len(cyc)-1]
			cyc = rotateMin(cyc)
			key := strings.Join(cyc, " -> ")
			if done[key] {
				continue
			}
			done[key] = true
			perComp[cu]++
			a.reportCycle(cyc)
		}
	}
}

func rotateMin(c []string) []string {
	m := 0
	for i := range c {
		if c[i] < c[m] {
			m = i
		}
	}
	return append(append([]string(nil), c[m:]...), c[:m]...)
}

// shortestPath is a breadth-first path from s to t inside s's component.
func shortestPath(s, t string, adj map[string][]string, comp map[string]int) []string {
	prev := map[string]string{s: ""}
	queue := []string{s}
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		if x == t {
			var p []string
			for y := t; y != ""; y = prev[y] {
				p = append([]string{y}, p...)
				if y == s {
					break
				}
			}
			return p
		}
		for _, y := range adj[x] {
			if _, ok := prev[y]; ok || comp[y] != comp[s] {
				continue
			}
			prev[y] = x
			queue = append(queue, y)
		}
	}
	return nil
}

// tarjan returns the strongly connected component index of every node.
func tarjan(nodes []string, adj map[string][]string) map[string]int {
	index := map[string]int{}
	low := map[string]int{}
	onStack := map[string]bool{}
	comp := map[string]int{}
	var stack []string
	next, nc := 0, 0
	var visit func(v string)
	visit = func(v string) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		for _, w := range adj[v] {
			if _, ok := index[w]; !ok {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] == index[v] {
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				comp[w] = nc
				if w == v {
					break
				}
			}
			nc++
		}
	}
	for _, n := range nodes {
		if _, ok := index[n]; !ok {
			visit(n)
		}
	}
	return comp
}

// reportCycle reports a cycle at the acquisition that closes it (the
// edge found last), with one related location pair and one flow per
// edge. The message starts the cycle after the closing edge, so it reads
// in the order the dependencies were established.
func (a *analyzer) reportCycle(cyc []string) {
	n := len(cyc)
	last := 0
	for i := range cyc {
		if a.edges[[2]string{cyc[i], cyc[(i+1)%n]}].seq > a.edges[[2]string{cyc[last], cyc[(last+1)%n]}].seq {
			last = i
		}
	}
	key := strings.Join(cyc, " -> ") // rotation at the smallest class: stable fingerprint
	cyc = append(append([]string(nil), cyc[last+1:]...), cyc[:last+1]...)
	var es []*orderEdge
	approx := false
	for i := range cyc {
		e := a.edges[[2]string{cyc[i], cyc[(i+1)%n]}]
		es = append(es, e)
		approx = approx || e.from.Approx || e.to.Approx
	}
	closing := es[n-1]
	names := append(append([]string(nil), cyc...), cyc[0])
	var parts []string
	var related []checks.Related
	var flows []checks.Flow
	for i, e := range es {
		holdID, acqID := 2*i+1, 2*i+2
		parts = append(parts, fmt.Sprintf("%s [acquires %s](%d) while holding %s ([taken here](%d))", e.fn.Name(), e.to.Key, acqID, e.from.Key, holdID))
		related = append(related,
			checks.Related{ID: holdID, Pos: e.hold[0].Pos, Message: fmt.Sprintf("%s holds %s", e.fn.Name(), e.from.Key)},
			checks.Related{ID: acqID, Pos: deepest(e.acq).Pos, Message: fmt.Sprintf("%s acquired while %s is held", e.to.Key, e.from.Key)})
		steps := append([]checks.Step(nil), e.hold...)
		for j := range steps {
			if steps[j].Importance == checks.Essential {
				steps[j].Importance = checks.Important
			}
		}
		steps = append(steps, e.acq...)
		flows = append(flows, checks.Flow{Message: fmt.Sprintf("%s -> %s in %s", e.from.Key, e.to.Key, e.fn.Name()), Steps: steps})
	}
	a.emit(checks.Diagnostic{
		Rule:     ruleABBA.ID,
		Pos:      closing.acq[0].Pos,
		Level:    levelFor(approx),
		Function: closing.fn.Name(),
		Key:      key,
		Message: fmt.Sprintf("possible circular locking dependency: %s: %s%s",
			strings.Join(names, " -> "), strings.Join(parts, "; "), approxNote(approx)),
		Related: related,
		Flows:   flows,
	})
}
