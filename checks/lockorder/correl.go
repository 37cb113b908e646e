package lockorder

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"kcheck/frontend/ir"
)

// Path correlation: the conditions a path remembers so that a later test
// of the same condition follows the same way (see "Path correlation" in
// the package doc).

// maxKeptFacts bounds the lock-relevant facts a state keeps when a block
// has too many states and the state is widened.
const maxKeptFacts = 8

// condID is the normalised identity of a branch condition.
type condID struct {
	// key identifies the condition; "" when it cannot be remembered.
	key string
	// neg is set when the branch's true side is the key's false side
	// (`x == 0` is `!x`).
	neg bool
	// roots are the variables the condition reads ("$x", "%0", "@g"):
	// assigning one forgets the fact.
	roots []string
	// xs are the lvalues read (member paths): a store to one, or to a
	// member reached from one, forgets the fact.
	xs []string
	// deep is set for a predicate call, which may read what its argument
	// points to: a store below one of xs forgets the fact too.
	deep bool
	// flagVar is the variable the condition compares with a constant
	// (`x`, `x == c`, `x != c`), for flag evaluation; "" otherwise.
	flagVar string
}

// corrCtx is the per-function correlation data.
type corrCtx struct {
	ids map[*ir.Cond]condID
	// multi are the keys tested at two or more branch sites: only those
	// are worth remembering.
	multi map[string]bool
	// relevant are the keys tested at a branch that controls a lock
	// operation that changes the held set (an acquire or release, or a
	// call to a lock or unlock helper); a callee that takes and drops a
	// lock changes nothing a later test could correlate with:
	// widening keeps their facts in preference to others.
	relevant map[string]bool
	// relFlags are the variables whose known constant value decides a
	// relevant branch.
	relFlags map[string]bool
}

// prepareCorrelation computes the condition identities of fn's branches
// and which of them are worth remembering.
func (r *funcRun) prepareCorrelation() {
	fn := r.fn
	cc := &corrCtx{ids: map[*ir.Cond]condID{}, multi: map[string]bool{}, relevant: map[string]bool{}, relFlags: map[string]bool{}}
	r.corr = cc
	sites := map[string]int{}
	for _, b := range fn.Blocks {
		if b.Term.Kind != ir.Branch || b.Term.Cond == nil {
			continue
		}
		id := r.condIdentity(b.Term.Cond)
		cc.ids[b.Term.Cond] = id
		if id.key != "" {
			sites[id.key]++
		}
	}
	for k, n := range sites {
		if n >= 2 {
			cc.multi[k] = true
		}
	}
	lockOp := make([]bool, len(fn.Blocks))
	for i, b := range fn.Blocks {
		for _, ev := range b.Events {
			if ev.Kind != ir.EvCall || ev.Call == nil {
				continue
			}
			if _, ok := lockAPIs[ev.Call.Callee]; ok {
				lockOp[i] = true
				break
			}
			es := r.edges[ev.Call.ID]
			if len(es) > maxFanout {
				continue
			}
			for _, e := range es {
				if s := r.a.sums[e.Callee]; s != nil && len(s.rel)+len(s.retHeld)+len(s.condRet) > 0 {
					lockOp[i] = true
				}
			}
		}
	}
	ipdom := postDominators(fn)
	exit := len(fn.Blocks)
	for i, b := range fn.Blocks {
		if b.Term.Kind != ir.Branch || b.Term.Cond == nil {
			continue
		}
		id := cc.ids[b.Term.Cond]
		if id.key == "" && id.flagVar == "" {
			continue
		}
		controls := false
		for _, s := range b.Term.Succs {
			// The blocks control dependent on this edge: from the
			// successor up the postdominator tree to the branch's
			// immediate postdominator.
			for run, n := s, 0; run >= 0 && run != exit && run != ipdom[i] && n <= exit; run, n = ipdom[run], n+1 {
				if lockOp[run] {
					controls = true
					break
				}
			}
			if controls {
				break
			}
		}
		if !controls {
			continue
		}
		if id.key != "" {
			cc.relevant[id.key] = true
		}
		if id.flagVar != "" {
			cc.relFlags[id.flagVar] = true
		}
	}
}

// postDominators returns the immediate postdominator of each block, with
// len(fn.Blocks) standing for the function's exit (Cooper, Harvey and
// Kennedy's algorithm on the reversed CFG). A block that cannot reach a
// return gets the exit.
func postDominators(fn *ir.Func) []int {
	n := len(fn.Blocks)
	exit := n
	succs := func(b int) []int {
		t := fn.Blocks[b].Term
		if t.Kind == ir.Return || t.Kind == ir.NoReturn || len(t.Succs) == 0 {
			return []int{exit}
		}
		return t.Succs
	}
	preds := make([][]int, n+1)
	for b := 0; b < n; b++ {
		for _, s := range succs(b) {
			if s >= 0 && s <= n {
				preds[s] = append(preds[s], b)
			}
		}
	}
	// Postorder of the reversed graph from the exit.
	post := make([]int, 0, n+1)
	visited := make([]bool, n+1)
	type frame struct{ b, i int }
	stack := []frame{{exit, 0}}
	visited[exit] = true
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if top.i < len(preds[top.b]) {
			p := preds[top.b][top.i]
			top.i++
			if !visited[p] {
				visited[p] = true
				stack = append(stack, frame{p, 0})
			}
			continue
		}
		post = append(post, top.b)
		stack = stack[:len(stack)-1]
	}
	num := make([]int, n+1) // postorder number: the exit has the largest
	for i, b := range post {
		num[b] = i
	}
	ipdom := make([]int, n+1)
	for i := range ipdom {
		ipdom[i] = -1
	}
	ipdom[exit] = exit
	intersect := func(a, b int) int {
		for a != b {
			for num[a] < num[b] {
				a = ipdom[a]
			}
			for num[b] < num[a] {
				b = ipdom[b]
			}
		}
		return a
	}
	for changed := true; changed; {
		changed = false
		for i := len(post) - 2; i >= 0; i-- { // reverse postorder, exit first
			b := post[i]
			nd := -1
			for _, s := range succs(b) {
				if s < 0 || s > n || ipdom[s] < 0 {
					continue
				}
				if nd < 0 {
					nd = s
				} else {
					nd = intersect(s, nd)
				}
			}
			if nd >= 0 && ipdom[b] != nd {
				ipdom[b] = nd
				changed = true
			}
		}
	}
	for i := range ipdom {
		if ipdom[i] < 0 {
			ipdom[i] = exit
		}
	}
	return ipdom
}

// condIdentity normalises a branch condition: `x != 0` and `x == 0` are
// the truth test of x (the latter negated); a predicate call's result is
// named by its callee and arguments; an unmodelled bit test `m & MASK` on
// a member path is named by the path and the mask.
func (r *funcRun) condIdentity(c *ir.Cond) condID {
	if c == nil {
		return condID{}
	}
	op, x, y, neg := c.Op, c.X, c.Y, false
	if op == ir.Opaque {
		bt, ok := r.bitTest(c.Text)
		if !ok {
			return condID{}
		}
		bt.key += "|" + ir.Truth.String() + "|"
		return bt
	}
	if x == nil {
		return condID{}
	}
	if y != nil && y.Kind == ir.ConstVal && y.Const == 0 && (op == ir.Ne || op == ir.Eq) {
		neg = op == ir.Eq
		op, y = ir.Truth, nil
	}
	var id condID
	switch {
	case x.Kind == ir.Unknown:
		bt, ok := r.bitTest(x.Text)
		if !ok {
			return condID{}
		}
		id = bt
	case x.Kind == ir.ResultVal:
		pid, ok := r.predicateCall(x)
		if !ok {
			return condID{}
		}
		id = pid
	case stableValue(x):
		k := instKey(x)
		if k == "" {
			return condID{}
		}
		id = condID{key: k, roots: []string{rootVar(x)}, xs: []string{k}}
		if x.Kind == ir.LocalVal || x.Kind == ir.ParamVal {
			id.flagVar = k
		}
	default:
		return condID{}
	}
	ys := ""
	if y != nil {
		if !stableValue(y) {
			return condID{}
		}
		ys = instKey(y)
		if ys == "" {
			return condID{}
		}
		if y.Kind != ir.ConstVal {
			id.flagVar = ""
			id.roots = append(id.roots, rootVar(y))
			id.xs = append(id.xs, ys)
		}
	}
	id.key = id.key + "|" + op.String() + "|" + ys
	id.neg = neg
	return id
}

// stableValue reports whether v is a variable, a constant or a member
// path over a variable: something that only an assignment changes.
func stableValue(v *ir.Value) bool {
	for v != nil {
		switch v.Kind {
		case ir.LocalVal, ir.ParamVal, ir.GlobalVal, ir.ConstVal:
			return true
		case ir.FieldVal:
			v = v.Base
		default:
			return false
		}
	}
	return false
}

// predicateCall names the result of a call tested directly by a branch,
// when two calls of it with the same arguments answer the same: the
// callee is called directly, is not a lock API, locks and releases
// nothing (its summary is empty), and is either a function with a body
// declared inline or has a predicate's name (is_, has_, test_, can_ or
// _is_, _has_); its arguments are variables, constants, member paths or
// addresses of member paths (not the address of a local: an output
// parameter means the call does more than answer). The call's identity
// is "callee(arg keys)".
func (r *funcRun) predicateCall(x *ir.Value) (condID, bool) {
	if x.Call < 0 || x.Call >= len(r.fn.Calls) {
		return condID{}, false
	}
	c := r.fn.Calls[x.Call]
	if c.Callee == "" || c.Indirect != nil || c.Dst != nil || len(c.Args) == 0 {
		return condID{}, false
	}
	if _, ok := lockAPIs[c.Callee]; ok {
		return condID{}, false
	}
	inline := false
	for _, e := range r.edges[c.ID] {
		if s := r.a.sums[e.Callee]; s != nil && s.size() > 0 {
			return condID{}, false
		}
		if e.Callee.Func != nil && e.Callee.Func.Inline {
			inline = true
		}
	}
	if !inline && !predicateName(c.Callee) {
		return condID{}, false
	}
	id := condID{deep: true}
	var keys []string
	for _, a := range c.Args {
		v := a
		if v.Kind == ir.AddrVal {
			if v.Base == nil || v.Base.Kind != ir.FieldVal {
				return condID{}, false
			}
			v = v.Base
		}
		if !stableValue(v) {
			return condID{}, false
		}
		k := instKey(a)
		if k == "" {
			return condID{}, false
		}
		keys = append(keys, k)
		if v.Kind != ir.ConstVal {
			id.roots = append(id.roots, rootVar(v))
			id.xs = append(id.xs, instKey(v))
		}
	}
	id.key = c.Callee + "(" + strings.Join(keys, ",") + ")"
	return id, true
}

func predicateName(name string) bool {
	for _, p := range []string{"is_", "has_", "test_", "can_"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return strings.Contains(name, "_is_") || strings.Contains(name, "_has_")
}

var (
	parenIdent = regexp.MustCompile(`\(([A-Za-z_][A-Za-z0-9_]*)\)(\.|->|$)`)
	memberPath = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)((?:(?:\.|->)[A-Za-z_][A-Za-z0-9_]*)*)$`)
	pathStep   = regexp.MustCompile(`(\.|->)([A-Za-z_][A-Za-z0-9_]*)`)
)

// bitTest recognises the spelling of an unmodelled bit test, `m & MASK`
// or `MASK & m` with m a variable or member path over one
// (`(message).event & 0x0400` from PMSG_IS_AUTO(message)), and names it
// by the path in instKey form and the mask in decimal.
func (r *funcRun) bitTest(text string) (condID, bool) {
	s := strings.Join(strings.Fields(text), "")
	for strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") && balanced(s[1:len(s)-1]) {
		s = s[1 : len(s)-1]
	}
	if strings.Count(s, "&") != 1 {
		return condID{}, false
	}
	lhs, rhs, _ := strings.Cut(s, "&")
	if _, ok := parseConst(lhs); ok {
		lhs, rhs = rhs, lhs
	}
	mask, ok := parseConst(rhs)
	if !ok {
		return condID{}, false
	}
	for strings.HasPrefix(lhs, "(") && strings.HasSuffix(lhs, ")") && balanced(lhs[1:len(lhs)-1]) {
		lhs = lhs[1 : len(lhs)-1]
	}
	for i := 0; i < 4; i++ {
		lhs = parenIdent.ReplaceAllString(lhs, "$1$2")
	}
	m := memberPath.FindStringSubmatch(lhs)
	if m == nil {
		return condID{}, false
	}
	root := r.varKey(m[1])
	if root == "" {
		return condID{}, false
	}
	path := root
	for _, st := range pathStep.FindAllStringSubmatch(m[2], -1) {
		path += st[1] + st[2]
	}
	return condID{key: fmt.Sprintf("bits(%s&%d)", path, mask), roots: []string{root}, xs: []string{path}}, true
}

// varKey is the instKey of the variable spelled name in the function: a
// parameter, a local with a unique name, or else a global.
func (r *funcRun) varKey(name string) string {
	for i, p := range r.fn.Params {
		if p.Name == name {
			return fmt.Sprintf("%%%d", i)
		}
	}
	n := 0
	for _, l := range r.fn.Locals {
		if l.Name == name {
			n++
		}
	}
	switch n {
	case 0:
		return "@" + name
	case 1:
		return "$" + name
	}
	return ""
}

func balanced(s string) bool {
	d := 0
	for _, c := range s {
		switch c {
		case '(':
			d++
		case ')':
			d--
			if d < 0 {
				return false
			}
		}
	}
	return d == 0
}

func parseConst(s string) (int64, bool) {
	s = strings.TrimRight(s, "uUlL")
	for strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		s = s[1 : len(s)-1]
	}
	v, err := strconv.ParseInt(s, 0, 64)
	return v, err == nil
}

// pathUnder reports whether lvalue key long is short or a member (or
// element) reached from it.
func pathUnder(long, short string) bool {
	if !strings.HasPrefix(long, short) {
		return false
	}
	rest := long[len(short):]
	return rest == "" || strings.HasPrefix(rest, ".") || strings.HasPrefix(rest, "->") || strings.HasPrefix(rest, "[")
}

// widen shrinks a state's path conditions when its block has too many
// states: it keeps the facts on lock-relevant conditions (the latest
// maxKeptFacts of them) and the flags that decide lock-relevant branches,
// and forgets the rest. It reports whether anything was forgotten.
func (r *funcRun) widen(st *state) bool {
	changed := false
	var facts []condFact
	for _, f := range st.facts {
		if r.corr.relevant[f.key] {
			facts = append(facts, f)
		} else {
			changed = true
		}
	}
	if len(facts) > maxKeptFacts {
		facts = facts[len(facts)-maxKeptFacts:]
		changed = true
	}
	var flags []flagValue
	for _, f := range st.flags {
		if r.corr.relFlags[f.name] {
			flags = append(flags, f)
		} else {
			changed = true
		}
	}
	st.facts, st.flags = facts, flags
	return changed
}
