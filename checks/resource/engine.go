package resource

import (
	"fmt"
	"sort"
	"strings"

	"kcheck/callgraph"
	"kcheck/checks"
	"kcheck/frontend/ir"
)

// Limits bound the exploration of one function.
type Limits struct {
	// MaxStatesPerBlock is the number of distinct states explored at one
	// block before facts are dropped; at twice that, further states are
	// not explored.
	MaxStatesPerBlock int
	// MaxSteps is the number of block visits after which a function is
	// abandoned.
	MaxSteps int
}

// DefaultLimits are generous for real drivers: a probe() with 30
// sequential error labels needs a few hundred steps.
var DefaultLimits = Limits{MaxStatesPerBlock: 24, MaxSteps: 40000}

// Hooks let a client observe exploration. Each hook may be nil. A hook
// is called once per explored (event, state) pair: a client dedups its
// own findings (by call ID, say).
type Hooks struct {
	// OnCall is called for each call event before the engine applies the
	// call's effects. p is the path so far.
	OnCall func(fn *ir.Func, call *ir.Call, st *State, p *Path)
	// OnDeref is called for each dereference event.
	OnDeref func(fn *ir.Func, ev *ir.Event, st *State, p *Path)
}

// Analyzer runs the engine over a whole program.
type Analyzer struct {
	Table  *Table
	Graph  *callgraph.Graph
	Limits Limits
	Hooks  Hooks

	summaries map[callgraph.FuncKey]*Summary
	calleeOf  map[*ir.Call]*callgraph.Node
	indirect  map[*ir.Call]bool
}

// Summary is what a function does to resources, as its callers see it.
type Summary struct {
	Acquire  *Acquire
	Releases []*Release
	Handoffs []*Handoff
}

// Site is one acquiring call of a function with the entry that made it an
// acquisition.
type Site struct {
	Call    *ir.Call
	Acquire *Acquire
	Family  *Family
	// Handle is the spelling of the handle for messages.
	Handle string
}

// Exit is one explored arrival at a function exit.
type Exit struct {
	Pos   ir.Pos
	Path  *Path
	State *State
	// Ret classifies the returned value.
	Ret RetClass
	// RetKey is the returned value's key ("" for none).
	RetKey string
}

// RetClass classifies a returned value.
type RetClass uint8

const (
	RetNone    RetClass = iota // void return or falling off the end
	RetUnknown                 // not known
	RetError                   // a negative constant, NULL, ERR_PTR, or a value known < 0
	RetSuccess                 // a constant >= 0 (non-pointer) or a value known >= 0
)

// Finding is something the engine reports itself.
type Finding struct {
	Kind FindingKind
	Pos  ir.Pos
	Site *Site
	Path *Path
	// Prev is the earlier release (DoubleRelease, UseAfterRelease).
	Prev ir.Pos
}

// FindingKind is the kind of an engine finding.
type FindingKind uint8

const (
	// DoubleRelease: a release (or a Drops argument) of a resource the
	// path already released.
	DoubleRelease FindingKind = iota
	// UseAfterRelease: a dereference of a handle after its release, for a
	// family whose release may free.
	UseAfterRelease
)

// FuncResult is the engine's result for one function.
type FuncResult struct {
	Func  *ir.Func
	Node  *callgraph.Node
	Sites map[int]*Site // by call ID
	Exits []*Exit
	// Releases are the positions where each site's resource was released
	// on some path, by site (sorted, unique).
	Releases map[int][]ir.Pos
	Findings []Finding
	Summary  *Summary
	// Capped is set when a limit stopped the exploration: findings may be
	// missing.
	Capped bool
	Steps  int
	// registered are the keys of the objects the function passes to a
	// Registration (the objects it constructs).
	registered map[string]bool
}

// Run analyses every defined function bottom-up and returns the results
// in graph order (callees first), with the summaries installed for
// callers.
func (a *Analyzer) Run() []*FuncResult {
	if a.Limits.MaxSteps == 0 {
		a.Limits = DefaultLimits
	}
	a.summaries = map[callgraph.FuncKey]*Summary{}
	a.calleeOf = map[*ir.Call]*callgraph.Node{}
	a.indirect = map[*ir.Call]bool{}
	for _, n := range a.Graph.Nodes() {
		for _, e := range n.Out {
			if e.Indirect || e.Call.Callee == "" {
				a.indirect[e.Call] = true
				continue
			}
			a.calleeOf[e.Call] = e.Callee
		}
	}
	var out []*FuncResult
	a.Graph.BottomUp(func(scc []*callgraph.Node) {
		for _, n := range scc {
			if n.Func == nil {
				continue
			}
			fr := a.analyse(n)
			a.summaries[n.Key] = fr.Summary
			out = append(out, fr)
		}
	})
	return out
}

// SummaryOf returns the summary computed for a function, or nil.
func (a *Analyzer) SummaryOf(k callgraph.FuncKey) *Summary { return a.summaries[k] }

// effects are what a call does, from the table or the callee's summary.
type effects struct {
	acq      *Acquire
	rels     []*Release
	hos      []*Handoff
	pred     *Predicate
	indirect bool
}

func (a *Analyzer) effectsOf(c *ir.Call) effects {
	if c.Callee == "" || c.Indirect != nil {
		return effects{indirect: true}
	}
	if a.Table.Known(c.Callee) {
		return effects{acq: a.Table.Acquire(c.Callee), rels: a.Table.Releases(c.Callee), hos: a.Table.Handoffs(c.Callee), pred: a.Table.Predicate(c.Callee)}
	}
	if n := a.calleeOf[c]; n != nil {
		if s := a.summaries[n.Key]; s != nil {
			return effects{acq: s.Acquire, rels: s.Releases, hos: s.Handoffs}
		}
	}
	return effects{}
}

// Path is a witness path: a chain of steps from the function entry.
type Path struct {
	parent *Path
	step   checks.Step
	// site is the call ID of an acquisition step, -1 otherwise.
	site int
	n    int
}

func (p *Path) push(s checks.Step, site int) *Path {
	n := 1
	if p != nil {
		n = p.n + 1
	}
	return &Path{parent: p, step: s, site: site, n: n}
}

// Len is the number of steps.
func (p *Path) Len() int {
	if p == nil {
		return 0
	}
	return p.n
}

// Steps returns the path's steps from the acquisition at site onwards
// (from the entry when site < 0 or not on the path).
func (p *Path) Steps(site int) []checks.Step { return p.stepsFrom(site, 0) }

// stepsFrom returns the path's steps from the acquisition at site that
// was step n of the path (the most recent one when n is 0): a resource
// acquired in iteration k of a loop is witnessed from iteration k's call,
// not from a later iteration's call of the same site.
func (p *Path) stepsFrom(site, n int) []checks.Step {
	var rev []checks.Step
	for q := p; q != nil; q = q.parent {
		rev = append(rev, q.step)
		if site >= 0 && q.site == site && (n == 0 || q.n <= n) {
			break
		}
	}
	out := make([]checks.Step, len(rev))
	for i := range rev {
		out[i] = rev[len(rev)-1-i]
	}
	return out
}

type work struct {
	block int
	st    *State
	path  *Path
}

// fnCtx is the per-function exploration context.
type fnCtx struct {
	a      *Analyzer
	fn     *ir.Func
	fr     *FuncResult
	locals map[string]bool
	params map[string]int
	// paramReleases and paramHandoffs collect summary facts.
	paramReleases map[string]*Release
	paramHandoffs map[int]bool
	seenFinding   map[string]bool
	pointerResult bool
}

func (a *Analyzer) analyse(n *callgraph.Node) *FuncResult {
	fn := n.Func
	fr := &FuncResult{Func: fn, Node: n, Sites: map[int]*Site{}, Releases: map[int][]ir.Pos{}}
	cx := &fnCtx{a: a, fn: fn, fr: fr, locals: map[string]bool{}, params: map[string]int{},
		paramReleases: map[string]*Release{}, paramHandoffs: map[int]bool{}, seenFinding: map[string]bool{}}
	for i, p := range fn.Params {
		cx.params[p.Name] = i
		cx.locals[p.Name] = true
	}
	for _, l := range fn.Locals {
		cx.locals[l.Name] = true
	}
	cx.pointerResult = fn.Result != nil && fn.Result.Kind == ir.PointerType
	for _, c := range fn.Calls {
		for _, r := range a.Table.Registrations(c.Callee) {
			if r.Arg < len(c.Args) && c.Args[r.Arg] != nil {
				if fr.registered == nil {
					fr.registered = map[string]bool{}
				}
				fr.registered[c.Args[r.Arg].Key()] = true
			}
		}
	}
	if len(fn.Blocks) == 0 {
		fr.Summary = &Summary{}
		return fr
	}
	cx.explore()
	for s, ps := range fr.Releases {
		fr.Releases[s] = uniqPos(ps)
	}
	fr.Summary = cx.summarize()
	return fr
}

func uniqPos(ps []ir.Pos) []ir.Pos {
	sort.Slice(ps, func(i, j int) bool { return posLess(ps[i], ps[j]) })
	out := ps[:0]
	for i, p := range ps {
		if i > 0 && p == ps[i-1] {
			continue
		}
		out = append(out, p)
	}
	return out
}

func posLess(a, b ir.Pos) bool {
	if a.File != b.File {
		return a.File < b.File
	}
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	return a.Col < b.Col
}

func (cx *fnCtx) explore() {
	lim := cx.a.Limits
	seen := map[string]bool{}
	perBlock := map[int]int{}
	queue := []work{{block: 0, st: &State{}}}
	for len(queue) > 0 {
		w := queue[0]
		queue = queue[1:]
		if w.block < 0 || w.block >= len(cx.fn.Blocks) {
			continue
		}
		w.st.normalize()
		withFacts := perBlock[w.block] < lim.MaxStatesPerBlock
		if !withFacts {
			w.st.facts = nil
			w.st.preds = nil
			if perBlock[w.block] >= 2*lim.MaxStatesPerBlock {
				cx.fr.Capped = true
				continue
			}
		}
		k := fmt.Sprintf("%d|%s", w.block, w.st.key(true))
		if seen[k] {
			continue
		}
		seen[k] = true
		perBlock[w.block]++
		cx.fr.Steps++
		if cx.fr.Steps > lim.MaxSteps {
			cx.fr.Capped = true
			return
		}
		queue = append(queue, cx.block(w)...)
	}
}

// block runs one block from state w.st and returns the successor work.
func (cx *fnCtx) block(w work) []work {
	b := cx.fn.Blocks[w.block]
	st := w.st.clone()
	path := w.path
	for i := range b.Events {
		ev := &b.Events[i]
		switch ev.Kind {
		case ir.EvCall:
			path = cx.call(ev.Call, st, path)
		case ir.EvAssign:
			cx.assign(ev, st)
		case ir.EvDeref:
			cx.deref(ev, st, path)
		}
	}
	t := &b.Term
	switch t.Kind {
	case ir.Jump:
		if len(t.Succs) == 0 {
			cx.exit(st, path, nil, cx.fn.EndPos)
			return nil
		}
		return []work{{block: t.Succs[0], st: st, path: path}}
	case ir.Return:
		pos := t.Pos
		if !pos.IsValid() {
			pos = cx.fn.EndPos
		}
		cx.exit(st, path, t.Value, pos)
		return nil
	case ir.NoReturn:
		return nil
	case ir.Branch:
		var out []work
		for i, s := range t.Succs {
			if i > 1 {
				break
			}
			ns := st.clone()
			if !cx.branch(t.Cond, i == 0, ns) {
				continue
			}
			np := path.push(checks.Step{Pos: condPos(t), Message: condMessage(t.Cond, i == 0), Importance: checks.Important}, -1)
			out = append(out, work{block: s, st: ns, path: np})
		}
		return out
	case ir.Switch:
		var out []work
		for i, s := range t.Succs {
			ns := st.clone()
			msg := "switch takes the default case"
			if i < len(t.Cases) {
				msg = fmt.Sprintf("switch takes case %d", t.Cases[i])
				if t.Value != nil && (i >= len(t.CaseHi) || t.CaseHi[i] == t.Cases[i]) {
					ns.kill(t.Value.Key())
					ns.setFact(t.Value.Key(), interval{lo: t.Cases[i], hi: t.Cases[i]})
					cx.resolveKey(ns, t.Value.Key())
				}
			}
			np := path.push(checks.Step{Pos: t.Pos, Message: msg, Importance: checks.Important}, -1)
			out = append(out, work{block: s, st: ns, path: np})
		}
		return out
	}
	return nil
}

func condPos(t *ir.Terminator) ir.Pos {
	if t.Cond != nil && t.Cond.Pos.IsValid() {
		return t.Cond.Pos
	}
	return t.Pos
}

func condMessage(c *ir.Cond, taken bool) string {
	text := "condition"
	if c != nil {
		text = c.Text
		if text == "" {
			text = fmt.Sprintf("%s %s %s", c.X, c.Op, c.Y)
		}
	}
	if taken {
		return fmt.Sprintf("'%s' is true", text)
	}
	return fmt.Sprintf("'%s' is false", text)
}

// isLocalPath reports whether v is a local or parameter, or a member of a
// local struct (args.np): storage private to the path.
func (cx *fnCtx) isLocalPath(v *ir.Value) bool {
	for v != nil {
		switch v.Kind {
		case ir.LocalVal, ir.ParamVal:
			return true
		case ir.FieldVal:
			if v.Arrow {
				return false
			}
			v = v.Base
		default:
			return false
		}
	}
	return false
}

func (cx *fnCtx) family(name string) *Family {
	if f := cx.a.Table.Family(name); f != nil {
		return f
	}
	return &Family{Name: name, Noun: "reference"}
}

func (cx *fnCtx) call(c *ir.Call, st *State, path *Path) *Path {
	if h := cx.a.Hooks.OnCall; h != nil {
		h(cx.fn, c, st, path)
	}
	eff := cx.a.effectsOf(c)
	// Releases and drops first: of_get_next_child(parent, child) drops
	// child before child receives the next node.
	for _, r := range eff.rels {
		if r.Arg < len(c.Args) {
			path = cx.release(c, c.Args[r.Arg], r.Family, r.Path, false, st, path)
		}
	}
	if eff.acq != nil && eff.acq.Drops >= 0 && int(eff.acq.Drops) < len(c.Args) {
		path = cx.release(c, c.Args[eff.acq.Drops], eff.acq.Family, "", true, st, path)
	}
	for _, h := range eff.hos {
		if h.Arg < len(c.Args) {
			cx.handoff(c.Args[h.Arg], c.Pos, st)
		}
	}
	if eff.indirect {
		for _, v := range c.Args {
			cx.handoff(v, c.Pos, st)
		}
	}
	// The call may change memory reachable from its pointer arguments.
	if !cx.a.Table.Known(c.Callee) {
		st.killMemory(cx.locals)
		for _, v := range c.Args {
			if v != nil && v.Kind == ir.AddrVal && v.Base != nil {
				st.kill(v.Base.Key())
				for i := range st.res {
					// &ret passed out: the status may change.
					if st.res[i].StatusKey == v.Base.Key() {
						st.res[i].StatusKey = ""
					}
				}
			}
		}
	}
	var dstKey string
	if c.Dst != nil {
		dstKey = c.Dst.Key()
		cx.overwrite(st, dstKey)
	}
	resKey := fmt.Sprintf("call#%d", c.ID)
	if eff.pred != nil && eff.pred.Arg < len(c.Args) && c.Args[eff.pred.Arg] != nil {
		subj := c.Args[eff.pred.Arg].Key()
		canon := eff.pred.Func + "(" + subj + ")"
		st.preds = append(st.preds, predBind{key: resKey, canon: canon, subject: subj, pred: eff.pred})
		if dstKey != "" {
			st.preds = append(st.preds, predBind{key: dstKey, canon: canon, subject: subj, pred: eff.pred})
		}
	}
	if eff.acq != nil {
		path = cx.acquire(c, eff.acq, st, path, dstKey, resKey)
	} else if c.Dst != nil && !cx.isLocalPath(c.Dst) {
		// nothing to track
	}
	return path
}

// overwrite handles an assignment to key: it no longer holds what it
// held, and what the path knew about it is gone.
func (cx *fnCtx) overwrite(st *State, key string) {
	st.kill(key)
	for i := range st.res {
		t := &st.res[i]
		t.removeAlias(key)
		if t.StatusKey == key || derivedFrom(t.StatusKey, key) {
			t.StatusKey = ""
		}
	}
}

func (cx *fnCtx) acquire(c *ir.Call, acq *Acquire, st *State, path *Path, dstKey, resKey string) *Path {
	fam := cx.family(acq.Family)
	t := Tracked{Site: c.ID, State: Held}
	if acq.When != Always {
		t.State = Pending
	}
	statusKey := resKey
	if dstKey != "" {
		statusKey = dstKey
	}
	handle := ""
	switch {
	case acq.Object == Ret:
		t.Owned = acq.ReturnsArg == NoSlot || c.Dst != nil
		t.addAlias(resKey)
		if c.Dst != nil {
			if cx.isLocalPath(c.Dst) {
				t.addAlias(dstKey)
			} else {
				// Stored straight into a struct field or global.
				t.State = Escaped
				t.At = c.Pos
				t.StoredIn = cx.storedIn(c.Dst)
			}
			handle = c.Dst.String()
		}
		if acq.ReturnsArg >= 0 && int(acq.ReturnsArg) < len(c.Args) && c.Args[acq.ReturnsArg] != nil {
			a := c.Args[acq.ReturnsArg]
			if a.Kind != ir.ConstVal {
				t.addAlias(a.Key())
				if handle == "" {
					handle = a.String()
				}
			}
		}
		if handle == "" {
			handle = c.Text
		}
	case acq.Object >= 0 && int(acq.Object) < len(c.Args) && c.Args[acq.Object] != nil:
		a := c.Args[acq.Object]
		key := a.Key()
		if acq.Out {
			key = outKey(a, acq.OutField)
			if key == "" {
				return path
			}
			t.Owned = true
			cx.overwrite(st, key)
		}
		if acq.Path != "" {
			key = applyPath(acq.Path, key)
		}
		t.addAlias(key)
		handle = key
		if acq.Fail == FailChecker {
			statusKey = key
		}
	default:
		return path
	}
	if acq.Object == Ret && t.State != Escaped {
		// A second handle the call stores through an out argument
		// (dma_alloc_coherent's dma_handle) names the same resource:
		// storing it into a struct or list hands the resource off as
		// storing the first handle does. Only a local out is tracked;
		// a handle written straight into a struct member is not a
		// hand-off of the CPU address.
		for _, i := range acq.OutHandles {
			if i < 0 || i >= len(c.Args) || c.Args[i] == nil || c.Args[i].Kind != ir.AddrVal || !cx.isLocalPath(c.Args[i].Base) {
				continue
			}
			k := outKey(c.Args[i], "")
			cx.overwrite(st, k)
			t.addAlias(k)
		}
	}
	if acq.Fail == FailChecker && acq.Object == Ret {
		statusKey = dstKey
	}
	if acq.Fail != FailNone {
		t.StatusKey = statusKey
	}
	if _, ok := cx.fr.Sites[c.ID]; !ok {
		cx.fr.Sites[c.ID] = &Site{Call: c, Acquire: acq, Family: fam, Handle: handle}
	}
	verb := "acquires"
	if acq.When == OnSuccess {
		verb = "acquires (on success)"
	} else if acq.When == OnFailure {
		verb = "leaves to the caller on failure"
	}
	msg := fmt.Sprintf("%s %s a %s on %s", callName(c), verb, fam.Noun, handle)
	np := path.push(checks.Step{Pos: c.Pos, Message: msg, Importance: checks.Essential}, c.ID)
	// The witness of this instance starts at this step, not at a later
	// iteration's call of the same site.
	t.acq = np.n
	st.res = append(st.res, t)
	return np
}

func callName(c *ir.Call) string {
	if c.Callee != "" {
		return c.Callee + "()"
	}
	return c.Text
}

// outKey is the key of the storage an out argument points to: &x -> x,
// &x.f -> x.f, p -> *p; with field: (*arg).field.
func outKey(a *ir.Value, field string) string {
	var base string
	if a.Kind == ir.AddrVal && a.Base != nil {
		base = a.Base.Key()
		if field != "" {
			return base + "." + field
		}
		return base
	}
	if field != "" {
		return a.Key() + "->" + field
	}
	return "*" + a.Key()
}

// applyPath substitutes the caller's argument key into a learned member
// path template ("%->dev"): &x with "%->dev" gives x.dev.
func applyPath(tmpl, arg string) string {
	if strings.HasPrefix(arg, "&") && strings.HasPrefix(tmpl, "%->") {
		return arg[1:] + "." + tmpl[3:]
	}
	if strings.HasPrefix(tmpl, "&%") && strings.HasPrefix(arg, "&") {
		inner := applyPath(tmpl[1:], arg)
		return "&" + inner
	}
	return strings.Replace(tmpl, "%", arg, 1)
}

// release applies a release of family fam to value v; drop is set for a
// Drops argument (of_get_next_child's prev), which is not recorded as a
// release the developer wrote.
func (cx *fnCtx) release(c *ir.Call, v *ir.Value, fam, tmpl string, drop bool, st *State, path *Path) *Path {
	if v == nil || v.Kind == ir.ConstVal {
		return path
	}
	key := v.Key()
	if tmpl != "" {
		key = applyPath(tmpl, key)
	}
	match := func(t *Tracked) bool {
		if cx.fr.Sites[t.Site] == nil || cx.fr.Sites[t.Site].Family.Name != fam {
			return false
		}
		if t.HasAlias(key) {
			return true
		}
		return tmpl == "" && refersRoot(v, t)
	}
	// The most recent live acquisition first.
	for i := len(st.res) - 1; i >= 0; i-- {
		t := &st.res[i]
		if !match(t) || (t.State != Held && t.State != Pending) {
			continue
		}
		t.State = Released
		t.At = c.Pos
		if !drop {
			cx.fr.Releases[t.Site] = append(cx.fr.Releases[t.Site], c.Pos)
		}
		return path.push(checks.Step{Pos: c.Pos, Message: fmt.Sprintf("%s releases %s", callName(c), v), Importance: checks.Unimportant}, -1)
	}
	for i := len(st.res) - 1; i >= 0; i-- {
		t := &st.res[i]
		if !match(t) {
			continue
		}
		switch t.State {
		case Released:
			if !t.Owned {
				// A count on an object passed in may also have been
				// raised elsewhere (a put for each queued urb): only a
				// new object this path took is known to be over-put.
				return path
			}
			cx.finding(Finding{Kind: DoubleRelease, Pos: c.Pos, Site: cx.fr.Sites[t.Site], Path: path, Prev: t.At})
			return path
		case Escaped, Returned, Gone:
			return path
		}
	}
	// Not acquired here: a release of the caller's resource.
	if r := v.Root(); r != nil && r.Kind == ir.ParamVal {
		// Also through a learned wrapper's member path (acm_write_done
		// releasing acm->control, called as acm_write_done(acm, wb)), so
		// releases propagate up more than one level.
		if pi, ok := cx.params[r.Name]; ok {
			p := pathTemplate(key, r.Key())
			if p == "" && key != r.Key() {
				return path
			}
			k := fmt.Sprintf("%d|%s|%s", pi, p, fam)
			cx.paramReleases[k] = &Release{Func: cx.fn.Name, Family: fam, Arg: pi, Path: p, Learned: true}
		}
	}
	return path
}

func (cx *fnCtx) finding(f Finding) {
	k := fmt.Sprintf("%d|%s|%d", f.Kind, f.Pos, f.Site.Call.ID)
	if cx.seenFinding[k] {
		return
	}
	cx.seenFinding[k] = true
	cx.fr.Findings = append(cx.fr.Findings, f)
}

// handoff marks the resource v holds (exactly, or as &x->f of it) as
// handed off; a parameter handed off becomes a summary Handoff.
func (cx *fnCtx) handoff(v *ir.Value, pos ir.Pos, st *State) {
	if v == nil {
		return
	}
	for i := range st.res {
		t := &st.res[i]
		if refersExact(v, t) || (v.Kind == ir.AddrVal && refersRoot(v, t)) {
			if t.State == Held || t.State == Pending {
				t.State = Escaped
				t.At = pos
			}
		}
	}
	if r := paramObject(v); r != nil {
		if pi, ok := cx.params[r.Name]; ok {
			cx.paramHandoffs[pi] = true
		}
	}
}

// paramObject returns the parameter whose object v hands on: the
// parameter itself, or &p->member (list_add(&td->list, head) hands off
// td), or nil.
func paramObject(v *ir.Value) *ir.Value {
	if v == nil {
		return nil
	}
	if v.Kind == ir.ParamVal {
		return v
	}
	if v.Kind != ir.AddrVal || v.Base == nil || v.Base.Kind != ir.FieldVal {
		return nil
	}
	arrow := false
	for b := v.Base; b != nil && b.Kind == ir.FieldVal; b = b.Base {
		arrow = arrow || b.Arrow
	}
	if r := v.Root(); r != nil && r.Kind == ir.ParamVal && arrow {
		return r
	}
	return nil
}

func (cx *fnCtx) assign(ev *ir.Event, st *State) {
	dst, src := ev.Dst, ev.Src
	if dst == nil {
		return
	}
	dkey := dst.Key()
	// What src holds, before dst is overwritten (x = x->next).
	var holders []int
	if src != nil {
		for i := range st.res {
			t := &st.res[i]
			// A struct copy (global = local_struct) carries the members
			// that hold handles.
			copied := false
			for _, al := range t.Aliases {
				if derivedFrom(al, src.Key()) && !cx.isLocalPath(dst) {
					copied = true
				}
			}
			if copied || refersExact(src, t) || (src.Kind == ir.AddrVal && refersRoot(src, t)) || mentions(src, t) {
				holders = append(holders, i)
			}
		}
	}
	siv, sok := top, false
	if src != nil {
		if src.Kind == ir.ConstVal {
			siv, sok = interval{lo: src.Const, hi: src.Const}, true
		} else {
			siv, sok = st.fact(src.Key())
		}
	}
	cx.overwrite(st, dkey)
	if sok {
		st.setFact(dkey, siv)
	}
	var droot string
	if r := dst.Root(); r != nil && r != dst {
		droot = r.Key()
	}
	for _, i := range holders {
		t := &st.res[i]
		if cx.isLocalPath(dst) {
			t.addAlias(dkey)
			continue
		}
		if droot != "" && t.HasAlias(droot) {
			// Stored into the resource's own object (td->dma_handle =
			// dma_handle): still held through its handle.
			continue
		}
		if t.State == Held || t.State == Pending {
			t.State = Escaped
			t.At = ev.Pos
			t.StoredIn = cx.storedIn(dst)
		}
	}
	if r := paramObject(src); r != nil && !cx.isLocalPath(dst) {
		if pi, ok := cx.params[r.Name]; ok {
			cx.paramHandoffs[pi] = true
		}
	}
}

func (cx *fnCtx) deref(ev *ir.Event, st *State, path *Path) {
	if h := cx.a.Hooks.OnDeref; h != nil {
		h(cx.fn, ev, st, path)
	}
	if ev.Src == nil {
		return
	}
	for i := range st.res {
		t := &st.res[i]
		if t.State != Released || !refersExact(ev.Src, t) {
			continue
		}
		site := cx.fr.Sites[t.Site]
		if site == nil || !site.Family.PutFrees || !t.Owned {
			// A count raised on an object passed in (usb_get_urb(urb)
			// then a put): the caller's own reference keeps it alive.
			continue
		}
		cx.finding(Finding{Kind: UseAfterRelease, Pos: ev.Pos, Site: site, Path: path, Prev: t.At})
	}
}

// branch applies the condition (taken or not) to st and reports whether
// the branch is feasible.
func (cx *fnCtx) branch(c *ir.Cond, taken bool, st *State) bool {
	if c == nil || c.Op == ir.Opaque || c.X == nil {
		return true
	}
	op := c.Op
	var k int64
	switch {
	case op == ir.Truth:
		op, k = ir.Ne, 0
	case c.Y != nil && c.Y.Kind == ir.ConstVal:
		k = c.Y.Const
	case c.Y != nil:
		iv, ok := st.fact(c.Y.Key())
		if !ok || iv.lo != iv.hi {
			return true
		}
		k = iv.lo
	default:
		return true
	}
	if !taken {
		op = negate(op)
	}
	xkey := c.X.Key()
	var pb *predBind
	for i := range st.preds {
		if st.preds[i].key == xkey {
			pb = &st.preds[i]
			break
		}
	}
	fkey := xkey
	if pb != nil {
		fkey = pb.canon
	}
	cur, _ := st.fact(fkey)
	nv := cur.meet(op, k)
	if nv.empty() {
		return false
	}
	st.setFact(fkey, nv)
	if pb != nil {
		cx.resolvePred(st, pb, nv)
		return true
	}
	if (op == ir.Eq || op == ir.Ne) && isAllOnes(k) {
		cx.resolveErrorValue(st, xkey, op == ir.Eq)
	}
	cx.resolveKey(st, xkey)
	return true
}

// isAllOnes reports whether k is DMA_MAPPING_ERROR, (~(dma_addr_t)0), as
// the front end spells it for a 64-bit or a 32-bit dma_addr_t.
func isAllOnes(k int64) bool { return k == -1 || k == 0xffffffff }

// resolveErrorValue decides a FailChecker acquisition whose handle is
// compared with the all-ones error value directly (d == DMA_MAPPING_ERROR,
// what dma_mapping_error itself tests): equal is its failure.
func (cx *fnCtx) resolveErrorValue(st *State, key string, failed bool) {
	for i := range st.res {
		t := &st.res[i]
		site := cx.fr.Sites[t.Site]
		if site == nil || site.Acquire.Fail != FailChecker || t.Status != StatusUnknown || (t.StatusKey != key && !t.HasAlias(key)) {
			continue
		}
		if failed {
			t.Status = StatusFailure
		} else {
			t.Status = StatusSuccess
		}
		cx.settle(t, site)
	}
}

// resolveKey updates the resources whose status or handle is key from
// what the path now knows about key.
func (cx *fnCtx) resolveKey(st *State, key string) {
	iv, ok := st.fact(key)
	if !ok {
		return
	}
	for i := range st.res {
		t := &st.res[i]
		site := cx.fr.Sites[t.Site]
		if site == nil {
			continue
		}
		if t.StatusKey == key && t.Status == StatusUnknown {
			t.Status = classify(site.Acquire.Fail, iv)
			cx.settle(t, site)
		}
		// A NULL handle holds nothing.
		if t.HasAlias(key) && iv.isZero() && (t.State == Held || t.State == Pending) && isPointerFail(site.Acquire.Fail, site.Acquire.Object) {
			t.State = Gone
		}
	}
}

func isPointerFail(f FailTest, obj Slot) bool {
	return f == FailNull || f == FailErrOrNull || f == FailErrPtr || obj == Ret
}

// classify tells the status of a call from what is known about its
// result.
func classify(f FailTest, iv interval) Status {
	switch f {
	case FailNegative:
		if iv.hi < 0 {
			return StatusFailure
		}
		if iv.lo >= 0 {
			return StatusSuccess
		}
	case FailNonZero:
		if iv.isZero() {
			return StatusSuccess
		}
		if iv.nonZero() {
			return StatusFailure
		}
	case FailZero, FailNull:
		if iv.isZero() {
			return StatusFailure
		}
		if iv.nonZero() {
			return StatusSuccess
		}
	case FailErrOrNull:
		if iv.isZero() {
			return StatusFailure
		}
	case FailNonPositive:
		if iv.hi <= 0 {
			return StatusFailure
		}
		if iv.lo > 0 {
			return StatusSuccess
		}
	}
	return StatusUnknown
}

// settle turns a pending acquisition into held or gone once its status is
// known.
func (cx *fnCtx) settle(t *Tracked, site *Site) {
	if t.State != Pending || t.Status == StatusUnknown {
		return
	}
	hold := (site.Acquire.When == OnSuccess) == (t.Status == StatusSuccess)
	if hold {
		t.State = Held
	} else {
		t.State = Gone
	}
}

// resolvePred applies a predicate's outcome (IS_ERR(np) true or false,
// dma_mapping_error(dev, addr)) to the resources whose handle it tests.
func (cx *fnCtx) resolvePred(st *State, pb *predBind, iv interval) {
	var truth int // 1 true, -1 false
	switch {
	case iv.nonZero():
		truth = 1
	case iv.isZero():
		truth = -1
	default:
		return
	}
	for i := range st.res {
		t := &st.res[i]
		site := cx.fr.Sites[t.Site]
		if site == nil || !t.HasAlias(pb.subject) || t.Status != StatusUnknown {
			continue
		}
		f := site.Acquire.Fail
		switch {
		case f == FailChecker:
			if site.Acquire.Checker != pb.pred.Func {
				continue
			}
			if truth > 0 {
				t.Status = StatusFailure
			} else {
				t.Status = StatusSuccess
			}
		case truth > 0:
			t.Status = StatusFailure
		case f == FailErrPtr || pb.pred.NullToo:
			t.Status = StatusSuccess
		default:
			continue
		}
		cx.settle(t, site)
		if truth > 0 && (t.State == Held || t.State == Pending) && isPointerFail(f, site.Acquire.Object) && f != FailChecker {
			t.State = Gone
		}
	}
}

// exit records an arrival at a function exit.
func (cx *fnCtx) exit(st *State, path *Path, v *ir.Value, pos ir.Pos) {
	e := &Exit{Pos: pos, State: st, Ret: RetNone}
	if v != nil {
		e.RetKey = v.Key()
		e.Ret = cx.retClass(v, st)
		for i := range st.res {
			t := &st.res[i]
			if (refersExact(v, t) || (v.Kind == ir.AddrVal && refersRoot(v, t)) || mentions(v, t)) && (t.State == Held || t.State == Pending) {
				t.State = Returned
				t.At = pos
			}
		}
	}
	e.Path = path.push(checks.Step{Pos: pos, Message: "returns", Importance: checks.Essential}, -1)
	cx.fr.Exits = append(cx.fr.Exits, e)
}

func (cx *fnCtx) retClass(v *ir.Value, st *State) RetClass {
	switch v.Kind {
	case ir.ConstVal:
		if v.Const < 0 || (v.Const == 0 && cx.pointerResult) {
			return RetError
		}
		return RetSuccess
	case ir.ResultVal:
		if v.Call >= 0 && v.Call < len(cx.fn.Calls) {
			switch cx.fn.Calls[v.Call].Callee {
			case "ERR_PTR", "ERR_CAST":
				return RetError
			}
		}
	}
	if iv, ok := st.fact(v.Key()); ok {
		if iv.hi < 0 || (cx.pointerResult && iv.isZero()) {
			return RetError
		}
		// A non-zero int status that may be negative: the kernel's
		// "if (ret) return ret;" error return.
		if !cx.pointerResult && iv.nonZero() && iv.lo < 0 {
			return RetError
		}
		if iv.lo >= 0 && !cx.pointerResult {
			return RetSuccess
		}
	}
	return RetUnknown
}

// storedIn returns the local whose object dst is a member of (p->f gives
// "p"), or "".
func (cx *fnCtx) storedIn(dst *ir.Value) string {
	if dst == nil || dst.Kind != ir.FieldVal || !dst.Arrow || dst.Base == nil || dst.Base.Kind != ir.LocalVal {
		return ""
	}
	return dst.Base.Key()
}

// mentions reports whether an expression the front end kept unresolved
// (a container_of statement expression, a conditional) spells one of
// the handle's variables: returning or storing it is then treated as
// handing the handle on (conservative: no report).
func mentions(v *ir.Value, t *Tracked) bool {
	if v == nil || v.Kind != ir.Unknown || v.Text == "" {
		return false
	}
	isIdent := func(r rune) bool {
		return r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
	}
	for _, w := range strings.FieldsFunc(v.Text, func(r rune) bool { return !isIdent(r) }) {
		if t.HasAlias(w) {
			return true
		}
	}
	return false
}
