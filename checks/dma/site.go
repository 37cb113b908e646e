package dma

import (
	"fmt"
	"sort"

	"kcheck/frontend/ir"
)

// mapSite is one call that creates a mapping or allocation: a table API or
// a learned helper that returns an untested one.
type mapSite struct {
	fn    *ir.Func
	block int
	event int
	call  *ir.Call
	api   *API
	// learned is set for a call to a driver helper: its size and
	// direction are not visible here.
	learned bool
}

// resultName spells the mapping's result for messages.
func (s *mapSite) resultName() string {
	if s.call.Dst != nil {
		return s.call.Dst.String()
	}
	return "the result"
}

// what names the call for messages: the developer's spelling for a table
// API, the helper's name for a learned one.
func (s *mapSite) what() string {
	if s.learned {
		return s.call.Callee + " (which returns a " + s.api.Spelling + " result)"
	}
	return s.api.Spelling
}

// siteState is the state of one mapping's result along a path: the
// storage that holds it, whether it may still be untested there, and the
// stores of the untested result into memory (descriptors, structs) that
// are reported if the path ends untested.
type siteState struct {
	alias   map[string]bool // storage key -> may still be untested
	pending map[ir.Pos]string
}

func (s siteState) clone() siteState {
	c := siteState{alias: make(map[string]bool, len(s.alias)), pending: make(map[ir.Pos]string, len(s.pending))}
	for k, v := range s.alias {
		c.alias[k] = v
	}
	for k, v := range s.pending {
		c.pending[k] = v
	}
	return c
}

func joinSite(dst, src siteState) (siteState, bool) {
	changed := false
	for k, v := range src.alias {
		if old, ok := dst.alias[k]; !ok || (v && !old) {
			dst.alias[k] = old || v
			changed = true
		}
	}
	for k, v := range src.pending {
		if _, ok := dst.pending[k]; !ok {
			dst.pending[k] = v
			changed = true
		}
	}
	return dst, changed
}

func (s siteState) untested() bool {
	for _, v := range s.alias {
		if v {
			return true
		}
	}
	return false
}

func (s siteState) markTested() {
	for k := range s.alias {
		s.alias[k] = false
	}
	for k := range s.pending {
		delete(s.pending, k)
	}
}

// holding returns the alias that v reads, or "".
func (s siteState) holding(v *ir.Value) string {
	if v == nil {
		return ""
	}
	if _, ok := s.alias[v.Key()]; ok && v.Kind != ir.Unknown {
		return v.Key()
	}
	keys := make([]string, 0, len(s.alias))
	for k := range s.alias {
		keys = append(keys, k)
	}
	sort.Strings(keys) // for determinism
	for _, k := range keys {
		if mentions(v, k) {
			return k
		}
	}
	return ""
}

func (s siteState) kill(key string) {
	if key == "" {
		return
	}
	for k := range s.alias {
		if rootedAt(k, key) {
			delete(s.alias, k)
		}
	}
}

// use is where an untested result is used.
type use struct {
	pos  ir.Pos
	what string
}

// siteResult is what one mapping's walk found.
type siteResult struct {
	uses             []use
	returnedUntested bool
	mismatches       []mismatch
	// homes are the struct members the handle (or, for dma_map_sg, the
	// count) was stored into, for the cross-function mismatch check.
	homes      []home
	countHomes []home
	capped     bool
}

// home is a struct member a mapping's handle lives in.
type home struct {
	structType, field string
}

// mismatch is an unmap or free that does not match its map.
type mismatch struct {
	call *ir.Call
	msg  string
}

// testsResult reports whether branch condition c tests the result held
// in alias key for failure, by the site's failure convention.
func testsResult(a *API, c *ir.Cond, key string) bool {
	if c == nil || !mentions(c.X, key) {
		return false
	}
	y, yconst := constOf(c.Y)
	switch a.Failure {
	case FailMappingError:
		// handle == DMA_MAPPING_ERROR, the open-coded dma_mapping_error.
		return (c.Op == ir.Eq || c.Op == ir.Ne) && yconst && y == -1
	case FailZero:
		if c.Op == ir.Truth {
			return true
		}
		if !yconst {
			return false
		}
		switch c.Op {
		case ir.Eq, ir.Ne, ir.Le, ir.Gt:
			return y == 0
		case ir.Lt, ir.Ge:
			return y == 1
		}
	case FailErrno, FailNull:
		return true
	}
	return false
}

// walkSite follows one mapping's result from its call to the function's
// returns.
func (p *program) walkSite(s *mapSite) *siteResult {
	res := &siteResult{}
	a := s.api
	init := siteState{alias: map[string]bool{}, pending: map[ir.Pos]string{}}
	testable := a.Failure == FailMappingError || a.Failure == FailZero
	init.alias[fmt.Sprintf("call#%d", s.call.ID)] = testable
	if s.call.Dst != nil {
		init.alias[s.call.Dst.Key()] = testable
		res.addHome(a, s.call.Dst)
	}
	sgKey := ""
	if a.Kind == MapSG || a.Kind == MapSGTable {
		if h := arg(s.call, a.Handle); h != nil {
			sgKey = stableKey(h)
			if st, f, ok := memberHome(h); ok && !s.learned {
				res.homes = append(res.homes, home{st, f})
			}
		}
	}
	transfer := func(b *ir.Block, start int, st siteState) []siteState {
		for i := start; i < len(b.Events); i++ {
			ev := b.Events[i]
			switch ev.Kind {
			case ir.EvCall:
				c := ev.Call
				if c == s.call {
					return nil // mapped again (a loop): a new instance
				}
				if p.handleCall(s, res, st, c, sgKey) {
					return nil // released: the mapping ends on this path
				}
				if c.Dst != nil {
					st.kill(stableKey(c.Dst))
				}
			case ir.EvAssign:
				if k := st.holding(ev.Src); k != "" {
					unt := st.alias[k]
					dk := ev.Dst.Key()
					if sk := stableKey(ev.Dst); sk != "" {
						dk = sk
					}
					st.alias[dk] = unt
					if !ev.Dst.IsVar() {
						res.addHome(a, ev.Dst)
						if unt {
							st.pending[ev.Pos] = "stored into " + ev.Dst.String()
						}
					}
					continue
				}
				st.kill(stableKey(ev.Dst))
			}
		}
		switch b.Term.Kind {
		case ir.Return:
			if st.holding(b.Term.Value) != "" && st.untested() {
				res.returnedUntested = true
				return nil
			}
			if st.untested() {
				for pos, what := range st.pending {
					res.uses = append(res.uses, use{pos, what})
				}
			}
			return nil
		case ir.NoReturn:
			return nil
		case ir.Branch:
			outs := succStates(b, st, siteState.clone)
			for _, k := range sortedKeys(st.alias) {
				if testsResult(a, b.Term.Cond, k) {
					for _, o := range outs {
						o.markTested()
					}
					break
				}
			}
			return outs
		}
		return succStates(b, st, siteState.clone)
	}
	init2 := init.clone()
	res.capped = !forward(s.fn, s.block, s.event+1, init2, transfer, joinSite)
	return res
}

// addHome records that the site's result was stored into member v (a
// dma_map_sg count, or a handle).
func (r *siteResult) addHome(a *API, v *ir.Value) {
	st, f, ok := memberHome(v)
	if !ok {
		return
	}
	if a.Kind == MapSG {
		r.countHomes = append(r.countHomes, home{st, f})
		return
	}
	r.homes = append(r.homes, home{st, f})
}

// handleCall processes call c on one path of site s: a test, a release of
// the mapping, or a use. It returns true when c releases the mapping.
func (p *program) handleCall(s *mapSite, res *siteResult, st siteState, c *ir.Call, sgKey string) bool {
	a := s.api
	for _, k := range sortedKeys(st.alias) {
		if a.Failure == FailMappingError && p.checksKey(c, k) {
			st.markTested()
			return false
		}
	}
	for _, r := range p.releases(c) {
		matched := false
		switch a.Kind {
		case MapSG, MapSGTable:
			matched = sgKey != "" && r.Key == sgKey
		default:
			_, matched = st.alias[r.Key]
			if !matched && r.Handle != nil {
				matched = st.holding(r.Handle) != ""
			}
		}
		if !matched {
			continue
		}
		if a.Kind == Map && st.untested() {
			// CONFIG_DMA_API_DEBUG checks at unmap time; the stores
			// before it were uses too.
			res.uses = append(res.uses, use{c.Pos, "unmapped by " + r.API.Spelling})
			for pos, what := range st.pending {
				res.uses = append(res.uses, use{pos, what})
			}
		}
		if !r.Helper && !s.learned {
			res.mismatches = append(res.mismatches, compareRelease(s, r, c, st)...)
		}
		return true
	}
	if !st.untested() {
		return false
	}
	for _, v := range c.Args {
		if k := st.holding(v); k != "" && st.alias[k] {
			name := c.Callee
			if name == "" && c.Indirect != nil {
				name = c.Indirect.Text
			}
			res.uses = append(res.uses, use{c.Pos, "passed to " + name})
			break
		}
	}
	return false
}

// compareRelease compares an unmap or free with the map it ends.
func compareRelease(s *mapSite, r release, c *ir.Call, st siteState) []mismatch {
	var out []mismatch
	a := s.api
	mapDir, unmapDir := arg(s.call, a.Dir), r.Dir
	if x, ok := constOf(mapDir); ok {
		if y, ok := constOf(unmapDir); ok && x != y {
			out = append(out, mismatch{c, fmt.Sprintf("%s with direction %s, but %s mapped it with %s", r.API.Spelling, dirName(unmapDir), a.Spelling, dirName(mapDir))})
		}
	}
	mapSize, unmapSize := arg(s.call, a.Size), r.Size
	if x, ok := constOf(mapSize); ok {
		if y, ok := constOf(unmapSize); ok && x != y {
			out = append(out, mismatch{c, fmt.Sprintf("%s with size %s (%d), but %s mapped %s (%d)", r.API.Spelling, unmapSize, y, a.Spelling, mapSize, x)})
		}
	}
	if a.Kind == MapSG && r.Nents != nil {
		if k := st.holding(r.Nents); k != "" {
			out = append(out, mismatch{c, fmt.Sprintf("%s is given %s, the count %s returned, instead of the nents passed to it (%s)", r.API.Spelling, r.Nents, a.Spelling, arg(s.call, a.Nents))})
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks) // for determinism
	return ks
}
