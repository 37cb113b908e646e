package resource

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"kcheck/frontend/ir"
)

// ResState is what a path has done with a tracked resource so far.
type ResState uint8

const (
	// Pending: acquired conditionally (OnSuccess, OnFailure) and the
	// call's status has not been tested yet on this path.
	Pending ResState = iota
	// Held: the path owns the resource.
	Held
	// Released: released (or dropped by a Drops argument).
	Released
	// Escaped: handed off (stored, passed to a Handoff, an indirect call).
	Escaped
	// Returned: returned to the caller.
	Returned
	// Gone: the acquisition did not hold on this path (failed, NULL).
	Gone
)

func (s ResState) String() string {
	return [...]string{"pending", "held", "released", "escaped", "returned", "gone"}[s]
}

// Status is what the path knows about the acquiring call's outcome.
type Status uint8

const (
	StatusUnknown Status = iota
	StatusSuccess
	StatusFailure
)

func (s Status) String() string { return [...]string{"unknown", "success", "failure"}[s] }

// Tracked is one resource on one path.
type Tracked struct {
	// Site is the ID of the acquiring call (ir.Call.ID) in the function.
	Site  int
	State ResState
	// Aliases are the keys (ir.Value.Key) of the values that hold the
	// handle on this path, sorted.
	Aliases []string
	// StatusKey is the key of the value holding the acquiring call's
	// status ("ret", "call#3"), "" once overwritten.
	StatusKey string
	Status    Status
	// Owned is set for a new object the function holds through a local
	// (a Ret acquisition), unset for a count raised on an object passed
	// in (pm_runtime_get_sync(dev), kobject_init_and_add(&x->kobj)).
	Owned bool
	// At is the position of the last release, hand-off or return.
	At ir.Pos
	// StoredIn is the local whose pointed-to object the handle was stored
	// into (sdev->udev = usb_get_dev(udev) gives "sdev"): returning that
	// local hands the reference to the caller inside the object.
	StoredIn string
	// acq is the path step (Path.Len) of this instance's acquisition,
	// for its witness.
	acq int
}

func (t *Tracked) clone() Tracked {
	c := *t
	c.Aliases = append([]string(nil), t.Aliases...)
	return c
}

// HasAlias reports whether key holds the handle.
func (t *Tracked) HasAlias(key string) bool {
	i := sort.SearchStrings(t.Aliases, key)
	return i < len(t.Aliases) && t.Aliases[i] == key
}

func (t *Tracked) addAlias(key string) {
	if key == "" || t.HasAlias(key) {
		return
	}
	t.Aliases = append(t.Aliases, key)
	sort.Strings(t.Aliases)
}

// removeAlias drops key and every key derived from it (key.f, key->f).
func (t *Tracked) removeAlias(key string) bool {
	out := t.Aliases[:0]
	removed := false
	for _, a := range t.Aliases {
		if a == key || derivedFrom(a, key) {
			removed = true
			continue
		}
		out = append(out, a)
	}
	t.Aliases = out
	return removed
}

// derivedFrom reports whether key a names storage reached from base
// (base.f, base->f, base[]).
func derivedFrom(a, base string) bool {
	if !strings.HasPrefix(a, base) || len(a) == len(base) {
		return false
	}
	rest := a[len(base):]
	return strings.HasPrefix(rest, ".") || strings.HasPrefix(rest, "->") || strings.HasPrefix(rest, "[")
}

// interval is what the path knows about an integer (or pointer) value:
// lo <= v <= hi, and v != 0 when nz.
type interval struct {
	lo, hi int64
	nz     bool
}

var top = interval{lo: math.MinInt64, hi: math.MaxInt64}

func (iv interval) empty() bool {
	return iv.lo > iv.hi || (iv.nz && iv.lo == 0 && iv.hi == 0)
}

// isZero reports whether the value is known to be 0 (NULL).
func (iv interval) isZero() bool { return iv.lo == 0 && iv.hi == 0 }

// nonZero reports whether the value is known to be non-zero.
func (iv interval) nonZero() bool { return iv.nz || iv.lo > 0 || iv.hi < 0 }

// meet restricts iv by "v op c".
func (iv interval) meet(op ir.CondOp, c int64) interval {
	switch op {
	case ir.Eq:
		if c < iv.lo || c > iv.hi || (c == 0 && iv.nz) {
			return interval{lo: 1, hi: 0}
		}
		return interval{lo: c, hi: c}
	case ir.Ne:
		if c == 0 {
			iv.nz = true
		}
		if iv.lo == c && iv.lo < math.MaxInt64 {
			iv.lo++
		}
		if iv.hi == c && iv.hi > math.MinInt64 {
			iv.hi--
		}
	case ir.Lt:
		if c == math.MinInt64 {
			return interval{lo: 1, hi: 0}
		}
		if c-1 < iv.hi {
			iv.hi = c - 1
		}
	case ir.Le:
		if c < iv.hi {
			iv.hi = c
		}
	case ir.Gt:
		if c == math.MaxInt64 {
			return interval{lo: 1, hi: 0}
		}
		if c+1 > iv.lo {
			iv.lo = c + 1
		}
	case ir.Ge:
		if c > iv.lo {
			iv.lo = c
		}
	}
	if iv.nz && iv.lo == 0 && iv.hi > 0 {
		iv.lo = 1
	}
	if iv.nz && iv.hi == 0 && iv.lo < 0 {
		iv.hi = -1
	}
	return iv
}

// negate returns the operator of the condition's false branch.
func negate(op ir.CondOp) ir.CondOp {
	switch op {
	case ir.Eq:
		return ir.Ne
	case ir.Ne:
		return ir.Eq
	case ir.Lt:
		return ir.Ge
	case ir.Le:
		return ir.Gt
	case ir.Gt:
		return ir.Le
	case ir.Ge:
		return ir.Lt
	}
	return op
}

type fact struct {
	key string
	iv  interval
}

// predBind records that the value key holds the result of a predicate
// call (IS_ERR(np)) on subject; canon is the canonical key facts about
// the predicate are kept under, so two calls of IS_ERR(np) agree.
type predBind struct {
	key, canon, subject string
	pred                *Predicate
}

// State is the abstract state of one path at one point: the tracked
// resources, interval facts and predicate bindings. Clients see it
// through Hooks and read it with Tracked and Refers.
type State struct {
	res   []Tracked
	facts []fact // sorted by key
	preds []predBind
}

func (s *State) clone() *State {
	c := &State{
		res:   make([]Tracked, len(s.res)),
		facts: append([]fact(nil), s.facts...),
		preds: append([]predBind(nil), s.preds...),
	}
	for i := range s.res {
		c.res[i] = s.res[i].clone()
	}
	return c
}

// Tracked returns the resources tracked on the path (do not modify).
func (s *State) Tracked() []Tracked { return s.res }

// Refers returns the index in Tracked of the resource v holds (v's key
// or, for &x->f and x->f, x is an alias), or -1.
func (s *State) Refers(v *ir.Value) int {
	for i := len(s.res) - 1; i >= 0; i-- {
		if refersExact(v, &s.res[i]) || refersRoot(v, &s.res[i]) {
			return i
		}
	}
	return -1
}

func refersExact(v *ir.Value, t *Tracked) bool {
	return v != nil && t.HasAlias(v.Key())
}

// refersRoot: &x->f or x->f when x holds the handle (put_device(&pdev->dev)
// releases pdev).
func refersRoot(v *ir.Value, t *Tracked) bool {
	if v == nil {
		return false
	}
	r := v.Root()
	if r == nil || r == v {
		return false
	}
	return t.HasAlias(r.Key())
}

func (s *State) fact(key string) (interval, bool) {
	i := sort.Search(len(s.facts), func(i int) bool { return s.facts[i].key >= key })
	if i < len(s.facts) && s.facts[i].key == key {
		return s.facts[i].iv, true
	}
	return top, false
}

func (s *State) setFact(key string, iv interval) {
	i := sort.Search(len(s.facts), func(i int) bool { return s.facts[i].key >= key })
	if i < len(s.facts) && s.facts[i].key == key {
		s.facts[i].iv = iv
		return
	}
	s.facts = append(s.facts, fact{})
	copy(s.facts[i+1:], s.facts[i:])
	s.facts[i] = fact{key: key, iv: iv}
}

// kill forgets what the path knew about key and the storage derived from
// it, and predicate results on it.
func (s *State) kill(key string) {
	out := s.facts[:0]
	for _, f := range s.facts {
		if f.key == key || derivedFrom(f.key, key) || strings.Contains(f.key, "("+key+")") {
			continue
		}
		out = append(out, f)
	}
	s.facts = out
	pout := s.preds[:0]
	for _, p := range s.preds {
		if p.key == key || p.subject == key {
			continue
		}
		pout = append(pout, p)
	}
	s.preds = pout
}

// killMemory forgets facts about storage a call may change: members,
// globals, dereferences (anything but plain locals, parameters and call
// results).
func (s *State) killMemory(locals map[string]bool) {
	out := s.facts[:0]
	for _, f := range s.facts {
		k := f.key
		if strings.HasPrefix(k, "call#") || locals[k] {
			out = append(out, f)
			continue
		}
		if i := strings.IndexByte(k, '('); i > 0 && strings.HasSuffix(k, ")") && locals[k[i+1:len(k)-1]] {
			out = append(out, f)
			continue
		}
	}
	s.facts = out
}

// key is the state's identity for merging.
func (s *State) key(withFacts bool) string {
	var b strings.Builder
	for i := range s.res {
		t := &s.res[i]
		b.WriteString(strconv.Itoa(t.Site))
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(int(t.State)))
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(int(t.Status)))
		b.WriteByte(':')
		b.WriteString(t.StatusKey)
		b.WriteByte(':')
		b.WriteString(strings.Join(t.Aliases, ","))
		b.WriteByte(':')
		b.WriteString(t.StoredIn)
		b.WriteByte(';')
	}
	if withFacts {
		b.WriteByte('|')
		for _, f := range s.facts {
			b.WriteString(f.key)
			b.WriteByte('=')
			b.WriteString(strconv.FormatInt(f.iv.lo, 10))
			b.WriteByte(',')
			b.WriteString(strconv.FormatInt(f.iv.hi, 10))
			if f.iv.nz {
				b.WriteString("nz")
			}
			b.WriteByte(';')
		}
		b.WriteByte('|')
		for _, p := range s.preds {
			b.WriteString(p.key + "=" + p.canon + ";")
		}
	}
	return b.String()
}

// normalize drops resources nothing refers to any more that cannot be
// reported (released, handed off, not acquired) and duplicates, and sorts
// the rest, so equal situations give equal keys.
func (s *State) normalize() {
	out := s.res[:0]
	for _, t := range s.res {
		if len(t.Aliases) == 0 && t.State != Held && t.State != Pending {
			continue
		}
		if t.State == Pending && len(t.Aliases) == 0 && t.StatusKey == "" {
			continue
		}
		out = append(out, t)
	}
	s.res = out
	sort.SliceStable(s.res, func(i, j int) bool {
		a, b := &s.res[i], &s.res[j]
		if a.Site != b.Site {
			return a.Site < b.Site
		}
		if a.State != b.State {
			return a.State < b.State
		}
		return strings.Join(a.Aliases, ",") < strings.Join(b.Aliases, ",")
	})
	// Identical entries (a loop acquiring again at one site and leaking
	// the same way) collapse into one.
	dedup := s.res[:0]
	for i := range s.res {
		if i > 0 {
			p, c := &s.res[i-1], &s.res[i]
			if p.Site == c.Site && p.State == c.State && p.Status == c.Status && p.StatusKey == c.StatusKey && strings.Join(p.Aliases, ",") == strings.Join(c.Aliases, ",") {
				continue
			}
		}
		dedup = append(dedup, s.res[i])
	}
	s.res = dedup
}
