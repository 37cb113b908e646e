package dma

import (
	"kcheck/frontend/ir"
)

// unmapped is the state of the double-unmap walk: storage whose mapping
// was already released on the path, with the releasing call.
type unmapped map[string]*ir.Call

func (u unmapped) clone() unmapped {
	c := make(unmapped, len(u))
	for k, v := range u {
		c[k] = v
	}
	return c
}

// joinMay merges two paths' states for "released on some path" (the
// double-unmap rule), keeping the earliest call for determinism.
func joinMay(dst, src unmapped) (unmapped, bool) {
	changed := false
	for k, v := range src {
		if old, ok := dst[k]; !ok || v.ID < old.ID {
			dst[k] = v
			changed = true
		}
	}
	return dst, changed
}

// joinMust merges for "released on every path" (the learned unmap
// summaries).
func joinMust(dst, src unmapped) (unmapped, bool) {
	changed := false
	for k := range dst {
		if _, ok := src[k]; !ok {
			delete(dst, k)
			changed = true
		}
	}
	return dst, changed
}

func (u unmapped) kill(key string) {
	if key == "" {
		return
	}
	for k := range u {
		if rootedAt(k, key) {
			delete(u, k)
		}
	}
}

// killThrough forgets storage reached through a pointer handed to a call
// the checker knows nothing about (it may map it again).
func (u unmapped) killThrough(v *ir.Value) {
	switch {
	case v == nil:
	case v.Kind == ir.AddrVal:
		u.kill(stableKey(v.Base))
	default:
		if k := stableKey(v); k != "" {
			for key := range u {
				if len(key) > len(k) && rootedAt(key, k) {
					delete(u, key)
				}
			}
		}
	}
}

// releaseKey is the storage a release names, when it is one stable place
// (array elements and expressions are not followed: one key would stand
// for every element).
func releaseKey(r release) string {
	if r.Helper {
		if r.Key == "" || stableKeyString(r.Key) {
			return r.Key
		}
		return ""
	}
	return stableKey(r.Handle)
}

// stableKeyString reports whether a key built by substituteParam names
// one stable place.
func stableKeyString(k string) bool {
	for i := 0; i+1 < len(k); i++ {
		if k[i] == '[' && k[i+1] == ']' {
			return false
		}
	}
	return k != "" && k[0] != '?' && k[0] != '&'
}

// doubleUnmap is one release of storage already released on the path.
type doubleUnmap struct {
	first, second *ir.Call
	api           *API
	key           string
}

// unmapWalk walks fn's CFG tracking released storage. With may joins it
// returns the double releases; with must joins the storage released on
// every path to a return (the states at returns, intersected).
func (p *program) unmapWalk(fn *ir.Func, must bool) (doubles []doubleUnmap, atReturn unmapped, capped bool) {
	returned := false
	transfer := func(b *ir.Block, start int, st unmapped) []unmapped {
		for i := start; i < len(b.Events); i++ {
			ev := b.Events[i]
			switch ev.Kind {
			case ir.EvCall:
				c := ev.Call
				rels := p.releases(c)
				for _, r := range rels {
					k := releaseKey(r)
					if k == "" {
						continue
					}
					if first, ok := st[k]; ok && first != c {
						doubles = append(doubles, doubleUnmap{first, c, r.API, k})
					}
					st[k] = c
				}
				if len(rels) == 0 && p.apiOf(c) == nil {
					for _, v := range c.Args {
						st.killThrough(v)
					}
				}
				if c.Dst != nil {
					st.kill(stableKey(c.Dst))
				}
			case ir.EvAssign:
				st.kill(stableKey(ev.Dst))
			}
		}
		switch b.Term.Kind {
		case ir.Return:
			if !returned {
				atReturn, returned = st.clone(), true
			} else {
				atReturn, _ = joinMust(atReturn, st)
			}
			return nil
		case ir.NoReturn:
			return nil
		}
		return succStates(b, st, unmapped.clone)
	}
	join := joinMay
	if must {
		join = joinMust
	}
	capped = !forward(fn, 0, 0, unmapped{}, transfer, join)
	if !returned {
		atReturn = unmapped{}
	}
	return doubles, atReturn, capped
}

// mustReleasedParams returns the parameter storage fn releases on every
// path to a return: its learned unmap summary.
func mustReleasedParams(p *program, fn *ir.Func) []unmapFact {
	if len(fn.Blocks) == 0 {
		return nil
	}
	_, at, _ := p.unmapWalk(fn, true)
	var out []unmapFact
	for _, k := range sortedKeys(at) {
		pp, ok := relativeToParam(fn, k)
		if !ok {
			continue
		}
		c := at[k]
		var api *API
		for _, r := range p.releases(c) {
			if releaseKey(r) == k {
				api = r.API
			}
		}
		if api != nil {
			out = append(out, unmapFact{At: pp, API: api})
		}
	}
	return out
}
