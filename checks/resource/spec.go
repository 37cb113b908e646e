package resource

import (
	"fmt"
	"sort"
)

// Slot names the value of a call that holds a resource: Ret for the
// returned value, Arg(i) for argument i.
type Slot int

// Ret is the call's result; NoSlot means "none".
const (
	Ret    Slot = -1
	NoSlot Slot = -2
)

// Arg returns the slot of argument i (0-based).
func Arg(i int) Slot { return Slot(i) }

func (s Slot) String() string {
	switch s {
	case Ret:
		return "ret"
	case NoSlot:
		return "-"
	}
	return fmt.Sprintf("arg%d", int(s))
}

// HoldWhen says when an acquisition leaves the caller holding the resource.
type HoldWhen uint8

const (
	// Always: whatever the call returns (pm_runtime_get_sync, kref_init).
	Always HoldWhen = iota
	// OnSuccess: only when the Fail test says the call succeeded
	// (of_find_*: non-NULL; pm_runtime_resume_and_get: 0).
	OnSuccess
	// OnFailure: only when the call failed (device_register,
	// kobject_init_and_add: a failed registration must be undone with a
	// put; a successful one belongs to the driver core).
	OnFailure
)

func (w HoldWhen) String() string {
	return [...]string{"always", "on-success", "on-failure"}[w]
}

// FailTest says how a call's failure is told from its success by the
// value it returns (or by a predicate on its handle).
type FailTest uint8

const (
	// FailNone: the call cannot fail (or its result is not a status).
	FailNone FailTest = iota
	// FailNegative: failure is a result < 0 (-errno).
	FailNegative
	// FailNonZero: failure is a result != 0 (0 is success).
	FailNonZero
	// FailZero: failure is 0 (!ret), e.g. dma_map_sg's count.
	FailZero
	// FailNull: failure is a NULL pointer.
	FailNull
	// FailErrPtr: failure is an ERR_PTR (IS_ERR(p)).
	FailErrPtr
	// FailErrOrNull: failure is NULL or an ERR_PTR.
	FailErrOrNull
	// FailNonPositive: failure is a result <= 0 (pm_runtime_get_if_in_use
	// holds only when it returns > 0).
	FailNonPositive
	// FailChecker: failure is a non-zero result of the predicate call
	// Acquire.Checker on the handle (dma_mapping_error(dev, addr)).
	FailChecker
)

func (f FailTest) String() string {
	return [...]string{"none", "<0", "!=0", "==0", "NULL", "IS_ERR", "IS_ERR_OR_NULL", "<=0", "checker"}[f]
}

// Family groups the acquires and releases of one kind of resource: a
// release releases only resources of its own family.
type Family struct {
	Name string // "of_node", "pm", "dma_single"
	// Noun names the resource in messages ("reference", "PM usage count",
	// "DMA mapping").
	Noun string
	// PutFrees is set when the release may free the object (of_node_put,
	// put_device), so a later dereference is a use after release; unset
	// for counters that do not own memory (pm_runtime usage count).
	PutFrees bool
	// Scoped is set for counts a function is expected to drop before it
	// returns an error (runtime PM usage counts): an error return holding
	// one raised on an object passed in is then reported, while for other
	// families (krefs kept by a structure) only a failed acquisition or a
	// release on another path makes it a leak.
	Scoped bool
}

// Acquire describes a function that acquires a resource.
type Acquire struct {
	Func   string
	Family string
	// Object is the value holding the resource: Ret or Arg(i).
	Object Slot
	// Out means Args[Object] is a pointer through which the call stores
	// the handle (*Args[Object], or (*Args[Object]).OutField when OutField
	// is set).
	Out      bool
	OutField string
	When     HoldWhen
	Fail     FailTest
	// Checker and CheckerArg name the predicate call of FailChecker and
	// the argument of it that is the handle.
	Checker    string
	CheckerArg int
	// Drops is an argument whose reference the call drops (of_find_*
	// from, of_get_next_child prev); NoSlot for none. A NULL constant
	// there drops nothing.
	Drops Slot
	// ReturnsArg is the argument the result aliases (of_node_get(np)
	// returns np), NoSlot when none.
	ReturnsArg Slot
	// OutHandles are pointer arguments through which a Ret acquisition
	// also stores a second handle of the same resource
	// (dma_alloc_coherent's dma_addr_t *dma_handle): a local they point
	// to becomes an alias of the resource, so storing that handle (into
	// a descriptor chain, say) hands the resource off.
	OutHandles []int
	// Path is a member path applied to the argument for Object = Arg(i)
	// in summaries: a wrapper taking struct foo *f that gets f->dev has
	// Path "->dev".
	Path string
	// Learned is set for entries derived from a function's body.
	Learned bool
	// Doc is the semantics in words, for the table's documentation.
	Doc string
}

// Release describes a function that releases the resource of Family held
// by Args[Arg] (+ Path for learned wrappers).
type Release struct {
	Func    string
	Family  string
	Arg     int
	Path    string
	Learned bool
	Doc     string
}

// Handoff describes a function that takes ownership of Args[Arg] (stores
// it, registers it): the caller no longer needs to release it.
type Handoff struct {
	Func    string
	Arg     int
	Learned bool
	Doc     string
}

// Registration is a function that registers the object Args[Arg] with a
// subsystem (device_add, device_register). A function that registers an
// object is constructing it: on its error returns the object is not (or
// no longer) registered and its caller discards it whole, counts raised
// on it included, so a count on that object left held on an error
// return is the state of an object under construction, not a leak
// (usb_new_device's pm_runtime_get_noresume). A count whose own
// acquisition failed (pm_runtime_get_sync < 0) is still reported.
type Registration struct {
	Func string
	Arg  int
	Doc  string
}

// Predicate is a call whose non-zero result says Args[Arg] is a failed
// handle: IS_ERR (ErrOnly: NULL is not a failure for it),
// IS_ERR_OR_NULL, dma_mapping_error.
type Predicate struct {
	Func string
	Arg  int
	// NullToo is set when a true result also covers NULL (IS_ERR_OR_NULL).
	NullToo bool
}

// Spec is a client's API table.
type Spec struct {
	Families   []Family
	Acquires   []Acquire
	Releases   []Release
	Handoffs   []Handoff
	Predicates []Predicate
	// Registrations are not effects of a call (they do not make a
	// function Known): they mark the objects a function constructs.
	Registrations []Registration
}

// Table is a Spec indexed by function name.
type Table struct {
	families   map[string]*Family
	acquires   map[string]*Acquire
	releases   map[string][]*Release
	handoffs   map[string][]*Handoff
	predicates map[string]*Predicate
	registers  map[string][]*Registration
}

// NewTable indexes s. Later entries for the same function override
// earlier ones for acquires (so a user config can redefine an API); all
// releases and handoffs of a function are kept. It fails on an entry
// whose family is not declared.
func NewTable(s Spec) (*Table, error) {
	t := &Table{
		families:   map[string]*Family{},
		acquires:   map[string]*Acquire{},
		releases:   map[string][]*Release{},
		handoffs:   map[string][]*Handoff{},
		predicates: map[string]*Predicate{},
		registers:  map[string][]*Registration{},
	}
	for i := range s.Families {
		f := s.Families[i]
		t.families[f.Name] = &f
	}
	for i := range s.Acquires {
		a := s.Acquires[i]
		if t.families[a.Family] == nil {
			return nil, fmt.Errorf("acquire %s: unknown family %q", a.Func, a.Family)
		}
		t.acquires[a.Func] = &a
	}
	for i := range s.Releases {
		r := s.Releases[i]
		if t.families[r.Family] == nil {
			return nil, fmt.Errorf("release %s: unknown family %q", r.Func, r.Family)
		}
		t.releases[r.Func] = append(t.releases[r.Func], &r)
	}
	for i := range s.Handoffs {
		h := s.Handoffs[i]
		t.handoffs[h.Func] = append(t.handoffs[h.Func], &h)
	}
	for i := range s.Predicates {
		p := s.Predicates[i]
		t.predicates[p.Func] = &p
	}
	for i := range s.Registrations {
		r := s.Registrations[i]
		t.registers[r.Func] = append(t.registers[r.Func], &r)
	}
	return t, nil
}

// MustTable is NewTable for built-in tables, which are programming errors
// when inconsistent.
func MustTable(s Spec) *Table {
	t, err := NewTable(s)
	if err != nil {
		panic(err)
	}
	return t
}

// Family returns the family named name, or nil.
func (t *Table) Family(name string) *Family { return t.families[name] }

// Acquire returns the acquire entry of fn, or nil.
func (t *Table) Acquire(fn string) *Acquire { return t.acquires[fn] }

// Releases returns the release entries of fn.
func (t *Table) Releases(fn string) []*Release { return t.releases[fn] }

// Handoffs returns the handoff entries of fn.
func (t *Table) Handoffs(fn string) []*Handoff { return t.handoffs[fn] }

// Predicate returns the predicate entry of fn, or nil.
func (t *Table) Predicate(fn string) *Predicate { return t.predicates[fn] }

// Registrations returns the registration entries of fn.
func (t *Table) Registrations(fn string) []*Registration { return t.registers[fn] }

// Known reports whether fn has any entry in the table.
func (t *Table) Known(fn string) bool {
	return t.acquires[fn] != nil || len(t.releases[fn]) > 0 || len(t.handoffs[fn]) > 0 || t.predicates[fn] != nil
}

// Names returns every function the table names, sorted (for determinism),
// for documentation and tests.
func (t *Table) Names() []string {
	seen := map[string]bool{}
	for n := range t.acquires {
		seen[n] = true
	}
	for n := range t.releases {
		seen[n] = true
	}
	for n := range t.handoffs {
		seen[n] = true
	}
	for n := range t.predicates {
		seen[n] = true
	}
	var out []string
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
