package lockorder

import (
	"fmt"
	"sort"
	"strings"

	"kcheck/callgraph"
	"kcheck/checks"
	"kcheck/frontend/ir"
)

// Bounds on the per-function analysis. States are held sets (plus pending
// conditional acquisitions and locks released on the path), so their
// number is small in practice whatever the number of branches; the caps
// only bite on pathological functions, and then the function is reported
// with a note (lockorder/analysis-capped). Path conditions (constant
// variables, branch outcomes) are widened first when a block has
// maxStatesPerBlock states: those no lock operation depends on go first
// (see widen), all of them at 1.5 times that, before paths are cut at
// twice that.
const (
	maxStatesPerBlock = 32
	maxBlockVisits    = 20000
	maxChain          = 12
	// maxFanout bounds the implementations an indirect call may resolve
	// to for its callees' locks to count at the call site.
	maxFanout = 4
)

// heldLock is a lock held on a path.
type heldLock struct {
	ref lockRef
	// ck is the class key, or "param:<inst>" while the class depends on a
	// parameter.
	ck string
	// base is ck without the *_nested subclass: releases name no
	// subclass, so they match on it.
	base string
	inst string // identity within the function, "" when unknown
	root string // the variable inst is built on
	// chain leads from this function to the acquisition: one step for a
	// direct acquisition, a call step and the callee's chain otherwise.
	chain            []checks.Step
	read, novalidate bool
}

func (h *heldLock) pos() ir.Pos { return h.chain[0].Pos }

// pendingLock is a conditional acquisition (trylock, _interruptible) whose
// outcome is not yet known: it becomes held on the branch where the
// result (keyed by key: "#<call>" or the variable it was stored in) says
// success, and is dropped on the other.
type pendingLock struct {
	key  string
	lock heldLock
	when acquiredWhen
}

// releasedLock is a lock this path acquired and released, for double
// unlocks and for telling error paths from lock helpers.
type releasedLock struct {
	ck, base, inst string
	pos            ir.Pos
}

// state is the lock state on one path at one point.
type state struct {
	held     []heldLock
	pending  []pendingLock
	released []releasedLock
	// relEntry are classes released that the function did not take: the
	// caller holds them (an unlock helper, or unlock-call-relock).
	relEntry []string
	// flags are the known constant values of locals and parameters
	// (keyed by instKey: `locked = true`, or the true side of `type ==
	// INIT2`), so that branches on them follow the path that set them.
	flags []flagValue
	// facts are the outcomes of branches taken on this path on conditions
	// over variables not assigned since ("$x|==|0" -> true): the same
	// test on the same value cannot go the other way later.
	facts []condFact
}

type condFact struct {
	key   string
	roots []string
	xs    []string
	deep  bool
	val   bool
}

type flagValue struct {
	name string
	val  int64
}

func (s *state) clone() *state {
	return &state{
		held:     append([]heldLock(nil), s.held...),
		pending:  append([]pendingLock(nil), s.pending...),
		released: append([]releasedLock(nil), s.released...),
		relEntry: append([]string(nil), s.relEntry...),
		flags:    append([]flagValue(nil), s.flags...),
		facts:    append([]condFact(nil), s.facts...),
	}
}

// key identifies a state for merging: acquisition sites are not part of
// it, so paths that hold the same locks share one state.
func (s *state) key() string {
	var parts []string
	for _, h := range s.held {
		parts = append(parts, "h"+h.ck+"|"+h.inst)
	}
	for _, p := range s.pending {
		parts = append(parts, "p"+p.key+"|"+p.lock.ck)
	}
	for _, r := range s.released {
		parts = append(parts, "r"+r.ck+"|"+r.inst)
	}
	for _, r := range s.relEntry {
		parts = append(parts, "e"+r)
	}
	for _, f := range s.flags {
		parts = append(parts, fmt.Sprintf("f%s=%d", f.name, f.val))
	}
	for _, f := range s.facts {
		parts = append(parts, fmt.Sprintf("c%s=%v", f.key, f.val))
	}
	sort.Strings(parts)
	return strings.Join(parts, ";")
}

// acqSummary is one acquisition a function makes (itself or in a callee).
type acqSummary struct {
	ref   lockRef // Val in the function's own terms, nil when not expressible
	chain []checks.Step
	// relBefore are the classes the caller held that the function released
	// before this acquisition: they are not held at that point.
	relBefore        []string
	read, novalidate bool
	when             acquiredWhen
}

// summary is what callers need to know about a function.
type summary struct {
	acq     []acqSummary
	acqSeen map[string]bool
	// rel are locks released that the function did not take.
	rel     []lockRef
	relSeen map[string]bool
	// retHeld are locks held on every return (lock helpers).
	retHeld []acqSummary
	// condRet are locks held on return when the result says success.
	condRet []acqSummary
}

func newSummary() *summary {
	return &summary{acqSeen: map[string]bool{}, relSeen: map[string]bool{}}
}

func (s *summary) size() int { return len(s.acq) + len(s.rel) + len(s.retHeld) + len(s.condRet) }

// returnPath is one return reached with a state.
type returnPath struct {
	st      *state
	pos     ir.Pos
	valKey  string
	isConst bool
	c       int64
	void    bool
}

// funcRun is the analysis of one function.
type funcRun struct {
	a      *analyzer
	node   *callgraph.Node
	fn     *ir.Func
	fc     *funcCtx
	sum    *summary
	edges  map[int][]*callgraph.Edge
	rets   []returnPath
	capped bool
	corr   *corrCtx
	// relRefs are the locks released without being taken, by class key.
	relRefs map[string]lockRef
}

func (a *analyzer) analyzeFunc(n *callgraph.Node) *summary {
	fn := n.Func
	r := &funcRun{a: a, node: n, fn: fn, fc: newFuncCtx(fn, a.statics[n.Unit]), sum: newSummary(), edges: map[int][]*callgraph.Edge{}, relRefs: map[string]lockRef{}}
	for _, e := range n.Out {
		r.edges[e.Call.ID] = append(r.edges[e.Call.ID], e)
	}
	if len(fn.Blocks) == 0 {
		return r.sum
	}
	r.prepareCorrelation()
	type item struct {
		b  int
		st *state
	}
	seen := make([]map[string]bool, len(fn.Blocks))
	work := []item{{0, &state{}}}
	visits := 0
	for len(work) > 0 {
		it := work[0]
		work = work[1:]
		k := it.st.key()
		if seen[it.b] == nil {
			seen[it.b] = map[string]bool{}
		}
		if seen[it.b][k] {
			continue
		}
		if n := len(seen[it.b]); n >= maxStatesPerBlock && (len(it.st.flags) > 0 || len(it.st.facts) > 0) {
			// Widen: forget the path conditions before giving up on
			// the path; the lock state is what must not be lost.
			// First only the conditions no lock operation depends
			// on, then, when the block keeps filling, all of them.
			w := it.st.clone()
			if n >= maxStatesPerBlock+maxStatesPerBlock/2 {
				w.flags, w.facts = nil, nil
			} else {
				r.widen(w)
			}
			it.st = w
			k = w.key()
			if seen[it.b][k] {
				continue
			}
		}
		if len(seen[it.b]) >= 2*maxStatesPerBlock || visits >= maxBlockVisits {
			r.capped = true
			continue
		}
		seen[it.b][k] = true
		visits++
		b := fn.Blocks[it.b]
		st := it.st.clone()
		for _, ev := range b.Events {
			r.event(st, ev)
		}
		t := b.Term
		switch t.Kind {
		case ir.Return:
			r.ret(st, t)
		case ir.Branch:
			if len(t.Succs) == 2 {
				ts, fs := r.branch(st, t.Cond)
				if ts != nil {
					work = append(work, item{t.Succs[0], ts})
				}
				if fs != nil {
					work = append(work, item{t.Succs[1], fs})
				}
			}
		case ir.Jump, ir.Switch:
			for _, s := range t.Succs {
				work = append(work, item{s, st})
			}
		}
	}
	r.finish()
	if r.capped && a.report {
		a.reportCapped(n)
	}
	return r.sum
}

func (r *funcRun) classKey(ref lockRef) string {
	if ref.Class != nil {
		return ref.Class.Key
	}
	return "param:" + instKey(ref.Val)
}

func (r *funcRun) newHeld(ref lockRef, chain []checks.Step, read, novalidate bool) heldLock {
	h := heldLock{ref: ref, ck: r.classKey(ref), chain: chain, read: read, novalidate: novalidate}
	h.base = baseKey(h.ck, ref.Sub)
	if ref.Val != nil {
		h.inst = instKey(ref.Val)
		h.root = rootVar(ref.Val)
	}
	return h
}

// baseKey strips the "/N" subclass suffix of a class key.
func baseKey(ck string, sub int64) string {
	if sub == 0 {
		return ck
	}
	return strings.TrimSuffix(ck, fmt.Sprintf("/%d", sub))
}

func lockName(ref lockRef) string {
	if ref.Class != nil {
		return ref.Class.Key
	}
	return spelling(ref.Val)
}

func (r *funcRun) event(st *state, ev ir.Event) {
	switch ev.Kind {
	case ir.EvAssign:
		r.invalidate(st, ev.Dst)
		if ev.Dst != nil && (ev.Dst.Kind == ir.LocalVal || ev.Dst.Kind == ir.ParamVal) && ev.Src != nil && ev.Src.Kind == ir.ConstVal {
			st.setFlag(instKey(ev.Dst), ev.Src.Const)
		}
	case ir.EvCall:
		c := ev.Call
		if c == nil {
			return
		}
		r.invalidate(st, c.Dst)
		if api, ok := lockAPIs[c.Callee]; ok {
			r.apiCall(st, c, api)
			return
		}
		// A variable whose address is passed may be written by the
		// callee (an output parameter): forget what was known of it.
		for _, a := range c.Args {
			if a != nil && a.Kind == ir.AddrVal && a.Base != nil && a.Base.IsVar() {
				st.forget(instKey(a.Base))
			}
		}
		r.callSummaries(st, c)
	}
}

// invalidate forgets the identity of held locks reached through variable
// dst, which is being assigned, and pending results stored in it.
func (r *funcRun) invalidate(st *state, dst *ir.Value) {
	if dst == nil {
		return
	}
	if !dst.IsVar() {
		// A store to a member forgets the facts tested on it (and
		// those of predicate calls reading below it).
		if dk := instKey(dst); dk != "" && len(st.facts) > 0 {
			out := st.facts[:0:0]
			for _, f := range st.facts {
				hit := false
				for _, x := range f.xs {
					if pathUnder(x, dk) || (f.deep && pathUnder(dk, x)) {
						hit = true
					}
				}
				if !hit {
					out = append(out, f)
				}
			}
			st.facts = out
		}
		return
	}
	k := instKey(dst)
	st.forget(k)
	for i := range st.held {
		if st.held[i].root == k {
			st.held[i].inst, st.held[i].root = "", ""
		}
	}
	out := st.pending[:0]
	for _, p := range st.pending {
		if p.key != k {
			out = append(out, p)
		}
	}
	st.pending = out
}

// forget drops the flag and the facts on variable k ("$x", "%0", "@g").
func (s *state) forget(k string) {
	if k == "" {
		return
	}
	s.clearFlag(k)
	if len(s.facts) > 0 {
		out := s.facts[:0:0]
		for _, f := range s.facts {
			if !contains(f.roots, k) {
				out = append(out, f)
			}
		}
		s.facts = out
	}
}

func resultKey(c *ir.Call) string {
	if c.Dst != nil && c.Dst.IsVar() {
		return instKey(c.Dst)
	}
	return fmt.Sprintf("#%d", c.ID)
}

func (r *funcRun) apiCall(st *state, c *ir.Call, api lockAPI) {
	ref, ok := r.fc.lockOf(c, api)
	if !ok {
		return
	}
	name := lockName(ref)
	switch api.Op {
	case opAcquire:
		verb := "acquires"
		if api.When == onNonZero {
			verb = "tries to acquire"
		}
		step := checks.Step{Pos: c.Pos, Message: fmt.Sprintf("%s %s (%s)", verb, name, c.Callee), Importance: checks.Essential}
		h := r.newHeld(ref, []checks.Step{step}, api.Read, api.NoValidate)
		recursive := false
		if api.When != onNonZero {
			recursive = r.checkAgainst(st.held, h, c, "")
		}
		r.addAcq(st, acqSummary{ref: r.exportRef(ref), chain: h.chain, read: api.Read, novalidate: api.NoValidate, when: api.When}, nil)
		if recursive {
			// The path deadlocks here; holding the lock once is what the
			// code after it believes, so later checks stay quiet.
			return
		}
		if api.When == always {
			r.hold(st, h)
		} else {
			st.pending = append(st.pending, pendingLock{key: resultKey(c), lock: h, when: api.When})
		}
	case opRelease:
		r.release(st, ref, c.Pos, true)
	}
}

// exportRef keeps a lock pointer only when a caller can re-express it:
// built on a parameter or a global.
func (r *funcRun) exportRef(ref lockRef) lockRef {
	if ref.Val == nil {
		return ref
	}
	root := ref.Val.Root()
	if root == nil || (root.Kind != ir.ParamVal && root.Kind != ir.GlobalVal) {
		ref.Val = nil
	}
	return ref
}

func (r *funcRun) hold(st *state, h heldLock) {
	out := st.released[:0]
	for _, rl := range st.released {
		if !(rl.ck == h.ck && (rl.inst == h.inst || rl.inst == "" || h.inst == "")) {
			out = append(out, rl)
		}
	}
	st.released = out
	st.held = append(st.held, h)
}

// release drops a held lock of ref's class (the same instance when both
// are known). direct is false for releases made by a callee.
func (r *funcRun) release(st *state, ref lockRef, pos ir.Pos, direct bool) {
	ck := baseKey(r.classKey(ref), ref.Sub)
	inst := ""
	if ref.Val != nil {
		inst = instKey(ref.Val)
	}
	idx := -1
	for i := len(st.held) - 1; i >= 0; i-- {
		h := st.held[i]
		if h.base != ck {
			continue
		}
		if h.inst == inst && inst != "" {
			idx = i
			break
		}
		if idx < 0 {
			idx = i
		}
	}
	if idx >= 0 {
		h := st.held[idx]
		st.held = append(st.held[:idx:idx], st.held[idx+1:]...)
		st.released = append(st.released, releasedLock{ck: h.ck, base: h.base, inst: h.inst, pos: pos})
		return
	}
	for i, p := range st.pending {
		if p.lock.base == ck {
			// The code unlocks: it took the success branch of a
			// conditional acquisition we could not follow.
			st.pending = append(st.pending[:i:i], st.pending[i+1:]...)
			st.released = append(st.released, releasedLock{ck: p.lock.ck, base: ck, inst: p.lock.inst, pos: pos})
			return
		}
	}
	for _, rl := range st.released {
		if direct && rl.base == ck && rl.inst != "" && rl.inst == inst && singleUse(inst) {
			r.a.reportDoubleUnlock(r, ref, pos, rl.pos)
			return
		}
	}
	for _, e := range st.relEntry {
		if e == ck {
			return
		}
	}
	st.relEntry = append(st.relEntry, ck)
	if _, ok := r.relRefs[ck]; !ok {
		r.relRefs[ck] = r.exportRef(ref)
	}
}

// singleUse reports whether an instance key names one object: not a call
// result, which in a loop is a new object each time.
func singleUse(inst string) bool { return !strings.Contains(inst, "#") }

// checkAgainst checks an acquisition of h against the locks held: the
// same lock already held is recursion (lockorder/self, and the result is
// true), another class gives an order edge. via names the callee for
// acquisitions in callees.
func (r *funcRun) checkAgainst(held []heldLock, h heldLock, c *ir.Call, via string) bool {
	recursive := false
	for i := range held {
		o := &held[i]
		if o.ck == h.ck {
			if o.read && h.read {
				continue
			}
			if sameInstance(o, &h) {
				r.a.reportSelf(r, o, &h, c, via)
				recursive = true
			}
			continue
		}
		if o.ref.Class == nil || h.ref.Class == nil || o.novalidate || h.novalidate {
			continue
		}
		r.a.addEdge(r, o, &h)
	}
	return recursive
}

// sameInstance reports whether two held locks of one class are provably
// the same object: the same expression on a path where its variable did
// not change, or a global lock (one object per class). Two members of
// one class in different objects (parent and child) are not reported:
// without CONFIG_DEBUG_LOCK_ALLOC the *_nested annotations that would
// tell nesting from recursion vanish in preprocessing.
func sameInstance(a, b *heldLock) bool {
	if a.ref.Class != nil && a.ref.Class.Single {
		return true
	}
	return a.inst != "" && a.inst == b.inst && singleUse(a.inst)
}

// addAcq records an acquisition in the function's summary.
// extra are the callee's classes released before the acquisition; those
// this function does not hold were released for its caller.
func (r *funcRun) addAcq(st *state, s acqSummary, extra []string) {
	rb := append([]string(nil), st.relEntry...)
	for _, x := range extra {
		if !contains(rb, x) && !st.holds(x) {
			rb = append(rb, x)
		}
	}
	sort.Strings(rb)
	s.relBefore = rb
	key := r.classKey(s.ref) + "|" + instKey(s.ref.Val) + "|" + strings.Join(rb, ",") + fmt.Sprint(s.when, s.read)
	if r.sum.acqSeen[key] {
		return
	}
	r.sum.acqSeen[key] = true
	r.sum.acq = append(r.sum.acq, s)
}

// callStep is the step of a chain that calls callee at c.
func callStep(c *ir.Call, callee string) checks.Step {
	return checks.Step{Pos: c.Pos, Message: "calls " + callee, Importance: checks.Important}
}

func nest(first checks.Step, rest []checks.Step) []checks.Step {
	out := make([]checks.Step, 0, len(rest)+1)
	out = append(out, first)
	for i, s := range rest {
		if i >= maxChain {
			last := rest[len(rest)-1]
			last.Nesting++
			out = append(out, last)
			break
		}
		s.Nesting++
		out = append(out, s)
	}
	return out
}

// resolve expresses a callee's acquisition in this function's terms.
func (r *funcRun) resolve(a acqSummary, c *ir.Call) (lockRef, bool) {
	var val *ir.Value
	if a.ref.Val != nil {
		val = substitute(a.ref.Val, c.Args)
	}
	if a.ref.Class != nil {
		return lockRef{Class: a.ref.Class, Val: val, Sub: a.ref.Sub}, true
	}
	if val == nil {
		return lockRef{}, false
	}
	return r.fc.ref(r.fc.resolvePtr(val), a.ref.Sub), true
}

// callSummaries applies the summaries of the functions c may call.
func (r *funcRun) callSummaries(st *state, c *ir.Call) {
	es := r.edges[c.ID]
	if len(es) > maxFanout {
		// A generic dispatch (urb->complete, a bus's driver ops): edges
		// through it would join callers with implementations they never
		// reach. Not followed; see the package doc.
		return
	}
	for _, e := range es {
		s := r.a.sums[e.Callee]
		if s == nil {
			continue
		}
		callee := e.Callee.Name()
		step := callStep(c, callee)
		for _, a := range s.acq {
			ref, ok := r.resolve(a, c)
			if !ok {
				continue
			}
			h := r.newHeld(ref, nest(step, a.chain), a.read, a.novalidate)
			if a.when != onNonZero {
				held := st.held
				if len(a.relBefore) > 0 {
					held = nil
					for _, o := range st.held {
						if !contains(a.relBefore, o.base) {
							held = append(held, o)
						}
					}
				}
				r.checkAgainst(held, h, c, callee)
			}
			r.addAcq(st, acqSummary{ref: r.exportRef(ref), chain: h.chain, read: a.read, novalidate: a.novalidate, when: a.when}, a.relBefore)
		}
		if len(es) != 1 {
			// One of several possible callees runs: their balance
			// effects cannot all be applied.
			continue
		}
		for _, rel := range s.rel {
			ref, ok := r.resolve(acqSummary{ref: rel}, c)
			if ok {
				r.release(st, ref, c.Pos, false)
			}
		}
		for _, a := range s.retHeld {
			if ref, ok := r.resolve(a, c); ok {
				r.hold(st, r.newHeld(ref, nest(step, a.chain), a.read, a.novalidate))
			}
		}
		for _, a := range s.condRet {
			if ref, ok := r.resolve(a, c); ok {
				st.pending = append(st.pending, pendingLock{key: resultKey(c), lock: r.newHeld(ref, nest(step, a.chain), a.read, a.novalidate), when: a.when})
			}
		}
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// outcome values a conditional acquisition's result can take.
func outcomes(w acquiredWhen) (success, failure int64) {
	if w == onZero {
		return 0, -4 // -EINTR
	}
	return 1, 0
}

// evalCond evaluates cond for X = x; ok is false when it cannot.
func evalCond(c *ir.Cond, x int64) (bool, bool) {
	var y int64
	if c.Op != ir.Truth {
		if c.Y == nil || c.Y.Kind != ir.ConstVal {
			return false, false
		}
		y = c.Y.Const
	}
	switch c.Op {
	case ir.Truth:
		return x != 0, true
	case ir.Eq:
		return x == y, true
	case ir.Ne:
		return x != y, true
	case ir.Lt:
		return x < y, true
	case ir.Le:
		return x <= y, true
	case ir.Gt:
		return x > y, true
	case ir.Ge:
		return x >= y, true
	}
	return false, false
}

// branch splits st along cond: a pending acquisition whose result the
// condition tests becomes held on the success side and is dropped on the
// failure side.
func (r *funcRun) branch(st *state, cond *ir.Cond) (*state, *state) {
	// A lock held through p (&p->lock, not reassigned since) proves p is
	// not NULL: `if (p) mutex_unlock(&p->lock)` cannot take the NULL side.
	if taken, ok := nullTestOfHeldRoot(st, cond); ok {
		if taken {
			return st, nil
		}
		return nil, st
	}
	id := r.corr.ids[cond]
	if id.flagVar != "" {
		if v, ok := st.flag(id.flagVar); ok {
			if taken, ok := evalCond(cond, v); ok {
				if taken {
					return st, nil
				}
				return nil, st
			}
		}
	}
	if id.key != "" {
		for _, f := range st.facts {
			if f.key == id.key {
				if f.val != id.neg {
					return st, nil
				}
				return nil, st
			}
		}
	}
	ts, fs := st, st.clone()
	// Only a condition tested again later is worth remembering.
	if id.key != "" && r.corr.multi[id.key] {
		ts.facts = append(ts.facts, condFact{key: id.key, roots: id.roots, xs: id.xs, deep: id.deep, val: !id.neg})
		fs.facts = append(fs.facts, condFact{key: id.key, roots: id.roots, xs: id.xs, deep: id.deep, val: id.neg})
	}
	// x == c on the true side (x != c on the false side) makes x known.
	if id.flagVar != "" && cond.Y != nil && cond.Y.Kind == ir.ConstVal {
		switch cond.Op {
		case ir.Eq:
			ts.setFlag(id.flagVar, cond.Y.Const)
		case ir.Ne:
			fs.setFlag(id.flagVar, cond.Y.Const)
		}
	} else if id.flagVar != "" && cond.Op == ir.Truth {
		fs.setFlag(id.flagVar, 0)
	}
	if cond == nil || cond.X == nil || len(st.pending) == 0 {
		return ts, fs
	}
	k := instKey(cond.X)
	if k == "" {
		return ts, fs
	}
	for i := len(st.pending) - 1; i >= 0; i-- {
		p := st.pending[i]
		if p.key != k {
			continue
		}
		succ, fail := outcomes(p.when)
		a, ok1 := evalCond(cond, succ)
		b, ok2 := evalCond(cond, fail)
		if !ok1 || !ok2 || a == b {
			continue
		}
		onTrue, onFalse := ts, fs
		if !a {
			onTrue, onFalse = fs, ts
		}
		onTrue.pending = append(onTrue.pending[:i:i], onTrue.pending[i+1:]...)
		onFalse.pending = append(onFalse.pending[:i:i], onFalse.pending[i+1:]...)
		r.hold(onTrue, p.lock)
	}
	return ts, fs
}

func (r *funcRun) ret(st *state, t ir.Terminator) {
	rp := returnPath{st: st, pos: t.Pos, void: t.Value == nil}
	if !rp.pos.IsValid() {
		rp.pos = r.fn.EndPos
	}
	if v := t.Value; v != nil {
		rp.valKey = instKey(v)
		if v.Kind == ir.ConstVal {
			rp.isConst, rp.c = true, v.Const
		} else if v.Kind == ir.LocalVal || v.Kind == ir.ParamVal {
			if c, ok := st.flag(instKey(v)); ok {
				rp.isConst, rp.c = true, c
			}
		}
		for _, p := range st.pending {
			if p.key == rp.valKey {
				r.addCond(acqSummary{ref: r.exportRef(p.lock.ref), chain: p.lock.chain, read: p.lock.read, novalidate: p.lock.novalidate, when: p.when})
			}
		}
	}
	r.rets = append(r.rets, rp)
}

func (r *funcRun) addCond(a acqSummary) {
	for _, o := range r.sum.condRet {
		if r.classKey(o.ref) == r.classKey(a.ref) {
			return
		}
	}
	r.sum.condRet = append(r.sum.condRet, a)
}

// finish classifies the return paths: a class held on every return makes
// the function a lock helper (summary), one held on some returns and
// released on others is either an error path that forgot to unlock
// (reported) or a helper that returns holding the lock on success.
func (r *funcRun) finish() {
	heldAt := map[string][]int{}
	relAt := map[string][]int{}
	var cks []string
	for _, rp := range r.rets {
		for _, ck := range rp.st.relEntry {
			if rp.st.holds(ck) {
				continue // unlocked and re-locked the caller's lock
			}
			ref := r.relRefs[ck]
			key := ck + "|" + fmt.Sprint(ref.Val != nil)
			if !r.sum.relSeen[key] {
				r.sum.relSeen[key] = true
				r.sum.rel = append(r.sum.rel, ref)
			}
		}
	}
	for i, rp := range r.rets {
		for _, h := range rp.st.held {
			if contains(rp.st.relEntry, h.base) {
				continue // the caller's lock, re-taken
			}
			if _, ok := heldAt[h.ck]; !ok {
				cks = append(cks, h.ck)
			}
			heldAt[h.ck] = append(heldAt[h.ck], i)
		}
		for _, rl := range rp.st.released {
			relAt[rl.ck] = append(relAt[rl.ck], i)
		}
	}
	sort.Strings(cks) // for determinism
	for _, ck := range cks {
		hs := heldAt[ck]
		first := r.heldIn(r.rets[hs[0]].st, ck)
		if len(relAt[ck]) == 0 {
			if len(hs) == len(r.rets) {
				r.sum.retHeld = append(r.sum.retHeld, acqSummary{ref: r.exportRef(first.ref), chain: first.chain, read: first.read, novalidate: first.novalidate})
			}
			continue
		}
		rels := relAt[ck]
		bug := -1
		for _, i := range hs {
			rp := r.rets[i]
			// An int-returning function that returns an unknown value
			// with the lock held, while another path unlocks, is an
			// error path by kernel convention (helpers that keep the
			// lock return 0 or a pointer).
			intUnknown := !rp.isConst && !rp.void && r.fn.Result != nil && r.fn.Result.Kind == ir.IntType
			if rp.void || (rp.isConst && rp.c < 0) || intUnknown {
				bug = i
				break
			}
			for _, j := range rels {
				o := r.rets[j]
				same := rp.valKey != "" && o.valKey == rp.valKey && !rp.isConst && !o.isConst
				if rp.isConst && o.isConst && rp.c == o.c {
					same = true
				}
				if same {
					bug = i
					break
				}
			}
			if bug >= 0 {
				break
			}
		}
		if bug >= 0 {
			h := r.heldIn(r.rets[bug].st, ck)
			var relPos ir.Pos
			for _, rl := range r.rets[rels[0]].st.released {
				if rl.ck == ck {
					relPos = rl.pos
				}
			}
			r.a.reportHeldAtReturn(r, h, r.rets[bug].pos, relPos)
			continue
		}
		// A helper that returns holding the lock on success.
		allZero, allVar, relConstZero := true, true, true
		for _, i := range hs {
			rp := r.rets[i]
			allZero = allZero && rp.isConst && rp.c == 0
			allVar = allVar && !rp.isConst
		}
		for _, j := range rels {
			relConstZero = relConstZero && r.rets[j].isConst && r.rets[j].c == 0
		}
		when := acquiredWhen(255)
		switch {
		case allZero:
			when = onZero
		case allVar && relConstZero:
			when = onNonZero
		}
		if when != 255 {
			r.addCond(acqSummary{ref: r.exportRef(first.ref), chain: first.chain, read: first.read, novalidate: first.novalidate, when: when})
		}
	}
}

// holds reports whether a lock of class (base key) ck is held.
func (s *state) holds(ck string) bool {
	for _, h := range s.held {
		if h.base == ck {
			return true
		}
	}
	return false
}

func (s *state) flag(name string) (int64, bool) {
	for _, f := range s.flags {
		if f.name == name {
			return f.val, true
		}
	}
	return 0, false
}

func (s *state) setFlag(name string, v int64) {
	s.clearFlag(name)
	s.flags = append(s.flags, flagValue{name, v})
}

func (s *state) clearFlag(name string) {
	out := s.flags[:0:0]
	for _, f := range s.flags {
		if f.name != name {
			out = append(out, f)
		}
	}
	s.flags = out
}

func (r *funcRun) heldIn(st *state, ck string) *heldLock {
	for i := range st.held {
		if st.held[i].ck == ck {
			return &st.held[i]
		}
	}
	return nil
}

// nullTestOfHeldRoot decides a NULL test (`p`, `!p`, `p == NULL`,
// `p != NULL`) of a variable that a held lock was reached through: it
// reports whether the condition holds.
func nullTestOfHeldRoot(st *state, cond *ir.Cond) (bool, bool) {
	if cond == nil || cond.X == nil || !cond.X.IsVar() {
		return false, false
	}
	nonNullHolds := false
	switch cond.Op {
	case ir.Truth:
		nonNullHolds = true
	case ir.Eq, ir.Ne:
		if cond.Y == nil || cond.Y.Kind != ir.ConstVal || cond.Y.Const != 0 {
			return false, false
		}
		nonNullHolds = cond.Op == ir.Ne
	default:
		return false, false
	}
	k := instKey(cond.X)
	if k == "" {
		return false, false
	}
	for _, h := range st.held {
		if h.root == k && h.inst != "" && h.inst != k && strings.Contains(h.inst, "->") {
			return nonNullHolds, true
		}
	}
	return false, false
}
