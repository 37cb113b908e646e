package resource

import (
	"sort"
	"strings"

	"kcheck/frontend/ir"
)

// summarize derives what the function does to resources for its callers
// from its exits (see the package doc).
func (cx *fnCtx) summarize() *Summary {
	s := &Summary{}
	fn := cx.fn
	// Releases and hand-offs of parameters, sorted for determinism.
	var rk []string
	for k := range cx.paramReleases {
		rk = append(rk, k)
	}
	sort.Strings(rk)
	for _, k := range rk {
		s.Releases = append(s.Releases, cx.paramReleases[k])
	}
	var hk []int
	for i := range cx.paramHandoffs {
		hk = append(hk, i)
	}
	sort.Ints(hk)
	for _, i := range hk {
		s.Handoffs = append(s.Handoffs, &Handoff{Func: fn.Name, Arg: i, Learned: true})
	}
	if cx.fr.Capped {
		return s
	}
	// A resource returned to the caller: the function is an acquire with
	// Object Ret.
	for _, e := range cx.fr.Exits {
		for i := range e.State.res {
			t := &e.State.res[i]
			if t.State != Returned {
				continue
			}
			site := cx.fr.Sites[t.Site]
			a := &Acquire{Func: fn.Name, Family: site.Family.Name, Object: Ret, When: OnSuccess, Fail: FailNull,
				Drops: NoSlot, ReturnsArg: NoSlot, Learned: true}
			if cx.returnsErrPtr() {
				a.Fail = FailErrOrNull
			}
			if !cx.pointerResult {
				a.When, a.Fail = Always, FailNone
			}
			for _, al := range t.Aliases {
				if pi, ok := cx.params[al]; ok {
					a.ReturnsArg = Slot(pi)
				}
			}
			s.Acquire = a
			return s
		}
	}
	// A reference on a parameter stored into a new object the function
	// returns (sdev->udev = usb_get_dev(udev); return sdev): the caller
	// holds it when the result is non-NULL.
	for _, e := range cx.fr.Exits {
		if e.RetKey == "" || !cx.pointerResult {
			continue
		}
		for i := range e.State.res {
			t := &e.State.res[i]
			if t.State != Escaped || t.StoredIn != e.RetKey {
				continue
			}
			for _, al := range t.Aliases {
				if pi, ok := cx.params[al]; ok {
					s.Acquire = &Acquire{Func: fn.Name, Family: cx.fr.Sites[t.Site].Family.Name, Object: Arg(pi), When: OnSuccess,
						Fail: FailNull, Drops: NoSlot, ReturnsArg: NoSlot, Learned: true}
					return s
				}
			}
		}
	}
	// A count raised on an object reached from a parameter and left held:
	// the function is an acquire on that argument.
	var siteIDs []int
	for id := range cx.fr.Sites {
		siteIDs = append(siteIDs, id)
	}
	sort.Ints(siteIDs)
	for _, id := range siteIDs {
		site := cx.fr.Sites[id]
		a := site.Acquire
		if a.Object < 0 || int(a.Object) >= len(site.Call.Args) || a.Out {
			continue
		}
		arg := site.Call.Args[a.Object]
		root := arg.Root()
		if root == nil || root.Kind != ir.ParamVal {
			continue
		}
		pi, ok := cx.params[root.Name]
		if !ok {
			continue
		}
		key := arg.Key()
		if a.Path != "" {
			key = applyPath(a.Path, key)
		}
		tmpl := pathTemplate(key, root.Key())
		var held, notHeld, pendingRet, heldErr, notHeldErr, heldOK int
		for _, e := range cx.fr.Exits {
			var t *Tracked
			for i := range e.State.res {
				if e.State.res[i].Site == id {
					t = &e.State.res[i]
				}
			}
			switch {
			case t == nil, t.State == Held && t.Status == StatusFailure:
				// Held after the acquiring call failed is this function's
				// own leak (reported here), not its contract.
				notHeld++
				if e.Ret == RetError {
					notHeldErr++
				}
			case t.State == Held:
				held++
				if e.Ret == RetError {
					heldErr++
				} else {
					heldOK++
				}
			case t.State == Pending && e.RetKey != "" && e.RetKey == t.StatusKey:
				pendingRet++
			case t.State == Pending:
			default:
				notHeld++
				if e.Ret == RetError {
					notHeldErr++
				}
			}
		}
		acq := &Acquire{Func: fn.Name, Family: site.Family.Name, Object: Arg(pi), Path: tmpl,
			Drops: NoSlot, ReturnsArg: NoSlot, Learned: true}
		switch {
		case pendingRet > 0 && held == 0:
			acq.When, acq.Fail = a.When, a.Fail
		case held > 0 && notHeld == 0:
			acq.When, acq.Fail = Always, FailNegative
			if cx.pointerResult {
				acq.Fail = FailErrOrNull
			}
			if fn.Result == nil || fn.Result.Kind == ir.VoidType {
				acq.Fail = FailNone
			}
		case held > 0 && notHeld == notHeldErr && heldErr == 0:
			acq.When, acq.Fail = OnSuccess, FailNegative
			if cx.pointerResult {
				acq.Fail = FailErrOrNull
			}
		default:
			continue
		}
		_ = heldOK
		s.Acquire = acq
		return s
	}
	return s
}

// pathTemplate turns a handle key rooted at parameter root into a member
// path template: "&foo->dev" with root "foo" gives "&%->dev".
func pathTemplate(key, root string) string {
	switch {
	case key == root:
		return ""
	case strings.HasPrefix(key, "&"+root):
		return "&%" + key[len(root)+1:]
	case strings.HasPrefix(key, root):
		return "%" + key[len(root):]
	}
	return ""
}

// returnsErrPtr reports whether some exit returns ERR_PTR(...) (or a value
// built by ERR_CAST), so callers must test the result with IS_ERR too.
func (cx *fnCtx) returnsErrPtr() bool {
	for _, b := range cx.fn.Blocks {
		v := b.Term.Value
		if b.Term.Kind != ir.Return || v == nil || v.Kind != ir.ResultVal || v.Call < 0 || v.Call >= len(cx.fn.Calls) {
			continue
		}
		switch cx.fn.Calls[v.Call].Callee {
		case "ERR_PTR", "ERR_CAST":
			return true
		}
	}
	return false
}
