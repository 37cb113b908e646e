package lockorder

import (
	"fmt"
	"strings"

	"kcheck/frontend/ir"
)

// lockClass is a lock class as lockdep names it.
type lockClass struct {
	// Key identifies the class program-wide: "struct usb_hub.status_mutex",
	// "drivers/usb/core/hub.c:hub_event_lock" for a file-static lock,
	// "usb_bus_idr_lock" for a global one, with "/N" appended for a
	// non-zero *_nested subclass.
	Key string
	// Approx is set when the type of the lock expression was unknown and
	// the class was made from its spelling: findings on it are reported
	// with lowered precision.
	Approx bool
	// Single is set for a global lock: the class has one instance, so
	// holding it twice is recursion whatever the spelling.
	Single bool
}

func (c *lockClass) String() string { return c.Key }

// lockRef is a lock as one function sees it: its class when the function
// alone determines it, and the pointer expression that reaches it (in the
// function's own terms) for instance identity and for resolving the class
// in a caller when the lock is only a pointer parameter here.
type lockRef struct {
	Class *lockClass // nil: the class depends on a parameter (ParamDep)
	Val   *ir.Value  // pointer to the lock, nil when its identity is lost
	Sub   int64
}

// funcCtx is what class resolution needs to know about a function.
type funcCtx struct {
	fn      *ir.Func
	statics map[string]bool // the unit's file-static globals
	alias   map[string]*ir.Value
	// flags are the locals only ever assigned constants.
	flags map[string]bool
}

// newFuncCtx prepares class resolution for fn: the unit's static globals,
// and locals assigned exactly once from an address or member expression
// (`spinlock_t *l = &dev->lock; spin_lock(l);`), which are looked through.
func newFuncCtx(fn *ir.Func, statics map[string]bool) *funcCtx {
	count := map[string]int{}
	src := map[string]*ir.Value{}
	nonConst := map[string]bool{}
	note := func(dst, s *ir.Value) {
		if dst == nil || dst.Kind != ir.LocalVal {
			return
		}
		count[dst.Name]++
		src[dst.Name] = s
		if s == nil || s.Kind != ir.ConstVal {
			nonConst[dst.Name] = true
		}
	}
	for _, b := range fn.Blocks {
		for _, ev := range b.Events {
			switch ev.Kind {
			case ir.EvAssign:
				note(ev.Dst, ev.Src)
			case ir.EvCall:
				if ev.Call != nil {
					note(ev.Call.Dst, nil)
				}
			}
		}
	}
	alias := map[string]*ir.Value{}
	for name, n := range count {
		s := src[name]
		if n == 1 && s != nil && (s.Kind == ir.AddrVal || s.Kind == ir.ParamVal || s.Kind == ir.GlobalVal) {
			alias[name] = s
		}
	}
	flags := map[string]bool{}
	for name := range count {
		if !nonConst[name] {
			flags[name] = true
		}
	}
	return &funcCtx{fn: fn, statics: statics, alias: alias, flags: flags}
}

// resolvePtr looks through spinlock_check() results and aliased locals to
// the expression that points to the lock.
func (fc *funcCtx) resolvePtr(v *ir.Value) *ir.Value {
	for i := 0; i < 8 && v != nil; i++ {
		switch {
		case v.Kind == ir.ResultVal && v.Call >= 0 && v.Call < len(fc.fn.Calls):
			c := fc.fn.Calls[v.Call]
			arg, ok := lookThrough[c.Callee]
			if !ok || arg >= len(c.Args) {
				return v
			}
			v = c.Args[arg]
		case v.Kind == ir.LocalVal && fc.alias[v.Name] != nil:
			v = fc.alias[v.Name]
		default:
			return v
		}
	}
	return v
}

// lockOf returns the lock a table call operates on.
func (fc *funcCtx) lockOf(c *ir.Call, api lockAPI) (lockRef, bool) {
	if api.LockArg >= len(c.Args) {
		return lockRef{}, false
	}
	v := fc.resolvePtr(c.Args[api.LockArg])
	if api.Member != "" {
		tag := ""
		if t := v.Type.Pointee(); t != nil {
			tag = t.Tag
		}
		v = &ir.Value{Kind: ir.AddrVal, Base: &ir.Value{Kind: ir.FieldVal, Base: v, Arrow: true, Field: api.Member, StructType: tag,
			Text: v.String() + "->" + api.Member}, Text: "&" + v.String() + "->" + api.Member}
	}
	var sub int64
	if api.SubclassArg >= 0 && api.SubclassArg < len(c.Args) {
		if s := c.Args[api.SubclassArg]; s.Kind == ir.ConstVal {
			sub = s.Const
		}
	}
	return fc.ref(v, sub), true
}

// ref builds the lockRef of pointer expression v.
func (fc *funcCtx) ref(v *ir.Value, sub int64) lockRef {
	r := lockRef{Val: v, Sub: sub}
	r.Class = fc.classOfPtr(v)
	if r.Class != nil && sub != 0 {
		r.Class = &lockClass{Key: fmt.Sprintf("%s/%d", r.Class.Key, sub), Approx: r.Class.Approx, Single: r.Class.Single}
	}
	return r
}

// classOfPtr returns the class of the lock v points to, or nil when it is
// only known as a pointer parameter (the caller resolves it).
func (fc *funcCtx) classOfPtr(v *ir.Value) *lockClass {
	if v == nil {
		return &lockClass{Key: "?", Approx: true}
	}
	if v.Kind == ir.AddrVal {
		return fc.classOfLvalue(v.Base)
	}
	if paramRooted(v) {
		return nil
	}
	if v.Kind == ir.FieldVal && v.StructType != "" {
		// A member that points to a lock (struct usb_hcd's
		// address0_mutex): every lock it points to is one class.
		return &lockClass{Key: "*struct " + v.StructType + "." + v.Field}
	}
	// A pointer held in a member or variable whose target we cannot see:
	// name the class by its spelling, scoped to the function for locals.
	sp := spelling(v)
	if r := v.Root(); r != nil && r.Kind == ir.LocalVal {
		sp = fc.fn.Name + ":" + sp
	}
	return &lockClass{Key: "?" + sp, Approx: true}
}

// paramRooted reports whether v is a parameter, possibly dereferenced or
// indexed, but not a member of one: its target is the caller's business.
func paramRooted(v *ir.Value) bool {
	for v != nil {
		switch v.Kind {
		case ir.ParamVal:
			return true
		case ir.DerefVal, ir.IndexVal:
			v = v.Base
		default:
			return false
		}
	}
	return false
}

// classOfLvalue names the class of the lock object l.
func (fc *funcCtx) classOfLvalue(l *ir.Value) *lockClass {
	switch l.Kind {
	case ir.FieldVal:
		// Drop the wrapper member: x->lock.rlock is x->lock.
		if m, ok := lockWrapperMembers[l.StructType]; ok && m == l.Field && l.Base != nil && !l.Arrow {
			return fc.classOfLvalue(l.Base)
		}
		path := l.Field
		top := l
		for top.Base != nil && top.Base.Kind == ir.FieldVal && !top.Arrow {
			top = top.Base
			path = top.Field + "." + path
		}
		base := top.Base
		if !top.Arrow && base != nil {
			switch base.Kind {
			case ir.GlobalVal:
				return &lockClass{Key: fc.globalName(base.Name) + "." + path, Single: true}
			case ir.AddrVal:
				if base.Base != nil && base.Base.Kind == ir.GlobalVal {
					return &lockClass{Key: fc.globalName(base.Base.Name) + "." + path, Single: true}
				}
			}
		}
		if top.StructType == "" {
			return &lockClass{Key: "?" + spelling(l), Approx: true}
		}
		return &lockClass{Key: "struct " + top.StructType + "." + path}
	case ir.GlobalVal:
		return &lockClass{Key: fc.globalName(l.Name), Single: true}
	case ir.IndexVal:
		// Elements of an array of locks share the array's class, but
		// are distinct objects.
		c := *fc.classOfLvalue(l.Base)
		c.Single = false
		return &c
	case ir.DerefVal:
		return fc.classOfPtr(l.Base)
	case ir.LocalVal:
		return &lockClass{Key: fc.fn.Name + ":" + l.Name}
	}
	return &lockClass{Key: "?" + spelling(l), Approx: true}
}

func (fc *funcCtx) globalName(name string) string {
	if fc.statics[name] {
		return fc.fn.Unit + ":" + name
	}
	return name
}

func spelling(v *ir.Value) string {
	if v.Text != "" {
		return strings.Join(strings.Fields(v.Text), "")
	}
	return v.Key()
}

// instKey is the canonical identity of the lock pointer v within one
// function: two acquisitions with the same non-empty instKey, on a path
// where the variable it is built on did not change, lock the same object.
// "" means the identity is unknown (an array element, an unknown value).
func instKey(v *ir.Value) string {
	s, ok := canon(v)
	if !ok {
		return ""
	}
	return s
}

func canon(v *ir.Value) (string, bool) {
	if v == nil {
		return "", false
	}
	switch v.Kind {
	case ir.ParamVal:
		return fmt.Sprintf("%%%d", v.Index), true
	case ir.LocalVal:
		return "$" + v.Name, true
	case ir.GlobalVal:
		return "@" + v.Name, true
	case ir.ConstVal:
		return fmt.Sprint(v.Const), true
	case ir.ResultVal:
		return fmt.Sprintf("#%d", v.Call), true
	case ir.FieldVal:
		b := v.Base
		if b != nil && b.Kind == ir.AddrVal {
			s, ok := canon(b.Base)
			return s + "." + v.Field, ok
		}
		if b != nil && b.Kind == ir.DerefVal {
			s, ok := canon(b.Base)
			return s + "->" + v.Field, ok
		}
		s, ok := canon(b)
		if v.Arrow {
			return s + "->" + v.Field, ok
		}
		return s + "." + v.Field, ok
	case ir.IndexVal:
		return "", false // ports[i] and ports[j] may differ
	case ir.DerefVal:
		if v.Base != nil && v.Base.Kind == ir.AddrVal {
			return canon(v.Base.Base)
		}
		s, ok := canon(v.Base)
		return "*" + s, ok
	case ir.AddrVal:
		if v.Base != nil && v.Base.Kind == ir.DerefVal {
			return canon(v.Base.Base)
		}
		s, ok := canon(v.Base)
		return "&" + s, ok
	}
	return "", false
}

// rootVar returns the variable key ("$x", "%0", "@g") v is built on.
func rootVar(v *ir.Value) string {
	r := v.Root()
	if r == nil {
		return ""
	}
	s, _ := canon(r)
	return s
}

// substitute rewrites a callee's lock pointer expression in the caller's
// terms: parameter i becomes the caller's argument i. It returns nil when
// the expression is built on something of the callee's own (a local, a
// call result) whose identity does not survive the return.
func substitute(v *ir.Value, args []*ir.Value) *ir.Value {
	if v == nil {
		return nil
	}
	switch v.Kind {
	case ir.ParamVal:
		if v.Index < len(args) {
			return args[v.Index]
		}
		return nil
	case ir.GlobalVal, ir.ConstVal:
		return v
	case ir.FieldVal, ir.IndexVal, ir.DerefVal, ir.AddrVal:
		b := substitute(v.Base, args)
		if b == nil {
			return nil
		}
		nv := *v
		nv.Base = b
		nv.Text = ""
		if v.Kind == ir.FieldVal {
			nv.Text = spelling(b) + map[bool]string{true: "->", false: "."}[v.Arrow] + v.Field
		}
		return &nv
	}
	return nil
}
