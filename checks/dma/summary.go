package dma

import (
	"sort"

	"kcheck/callgraph"
	"kcheck/frontend/ir"
)

// Summary is what the checker learns about one of the analysed functions,
// bottom-up over the call graph, so that a driver's own map, check and
// unmap helpers act like the kernel API they wrap.
type Summary struct {
	// Returns is set when the function returns a mapping result nobody
	// tested yet (a handle from dma_map_single, a dma_map_sg count): its
	// callers get the obligation to test it. The API is the one mapped.
	Returns *API
	// Checks are the parameters (or members through them) the function
	// tests with dma_mapping_error.
	Checks []paramPath
	// Unmaps are the parameters (or members through them) the function
	// unmaps or frees on every path to its return, with the API used.
	Unmaps []unmapFact
}

// unmapFact is storage a helper always releases.
type unmapFact struct {
	At  paramPath
	API *API
}

// program is the checker's state over the whole pass.
type program struct {
	table     *Table
	graph     *callgraph.Graph
	summaries map[*callgraph.Node]*Summary
	// callees maps each call site to the analysed functions it may call.
	callees map[*ir.Call][]*callgraph.Node
	stats   Stats
}

// Stats counts what the checker did, for --stats and for judging how much
// a silent run proves.
type Stats struct {
	Functions   int
	MapSites    int
	UnmapSites  int
	CappedWalks int // dataflow walks stopped at the step bound
}

// calleeSummary returns the summary of the analysed function a call goes
// to, when all its resolved callees are one function with a summary.
func (p *program) calleeSummary(c *ir.Call) *Summary {
	ns := p.callees[c]
	if len(ns) != 1 {
		return nil
	}
	return p.summaries[ns[0]]
}

// apiOf returns the table entry a call is to (a direct call by name), or
// the learned mapper API when the callee returns an untested mapping.
func (p *program) apiOf(c *ir.Call) *API {
	if c.Callee != "" {
		if a := p.table.Lookup(c.Callee); a != nil {
			return a
		}
	}
	return nil
}

// learnedMap returns the API a call to a learned mapper maps with.
func (p *program) learnedMap(c *ir.Call) *API {
	if s := p.calleeSummary(c); s != nil && s.Returns != nil {
		return s.Returns
	}
	return nil
}

// checksKey reports whether call c tests storage key for a mapping error:
// dma_mapping_error on it, or a learned helper that does.
func (p *program) checksKey(c *ir.Call, key string) bool {
	if a := p.apiOf(c); a != nil && a.Kind == Check {
		return mentions(arg(c, a.Handle), key)
	}
	if s := p.calleeSummary(c); s != nil {
		for _, pp := range s.Checks {
			a := arg(c, pp.Param)
			if pp.Path == "" && mentions(a, key) {
				return true
			}
			if substituteParam(pp.Path, a) == key {
				return true
			}
		}
	}
	return false
}

// release is one unmap or free at a call site: the API's own call, or a
// learned helper's.
type release struct {
	API    *API
	Handle *ir.Value // the handle argument of a direct API call
	Key    string    // the storage released
	Size   *ir.Value
	Dir    *ir.Value
	Nents  *ir.Value
	Helper bool // through a learned helper: size and direction unknown
}

// releases returns the unmaps and frees call c performs.
func (p *program) releases(c *ir.Call) []release {
	if a := p.apiOf(c); a != nil {
		if !a.IsRelease() {
			return nil
		}
		h := arg(c, a.Handle)
		return []release{{API: a, Handle: h, Key: h.Key(), Size: arg(c, a.Size), Dir: arg(c, a.Dir), Nents: arg(c, a.Nents)}}
	}
	s := p.calleeSummary(c)
	if s == nil {
		return nil
	}
	var rs []release
	for _, u := range s.Unmaps {
		k := substituteParam(u.At.Path, arg(c, u.At.Param))
		if k == "" {
			continue
		}
		rs = append(rs, release{API: u.API, Key: k, Helper: true})
	}
	return rs
}

// summarize computes fn's summary from its body and its callees'
// summaries; the results of the walks (a handle that reaches a return
// untested) are recorded by the analysis itself.
func (p *program) summarize(fn *ir.Func, s *Summary) {
	seen := map[paramPath]bool{}
	for _, c := range fn.Calls {
		for _, pp := range p.checkedParams(fn, c) {
			if !seen[pp] {
				seen[pp] = true
				s.Checks = append(s.Checks, pp)
			}
		}
	}
	sort.Slice(s.Checks, func(i, j int) bool { // for determinism
		a, b := s.Checks[i], s.Checks[j]
		if a.Param != b.Param {
			return a.Param < b.Param
		}
		return a.Path < b.Path
	})
	s.Unmaps = mustReleasedParams(p, fn)
}

// checkedParams returns the parameter paths call c tests.
func (p *program) checkedParams(fn *ir.Func, c *ir.Call) []paramPath {
	var out []paramPath
	if a := p.apiOf(c); a != nil && a.Kind == Check {
		if pp, ok := relativeToParam(fn, arg(c, a.Handle).Key()); ok {
			out = append(out, pp)
		}
		return out
	}
	if s := p.calleeSummary(c); s != nil {
		for _, q := range s.Checks {
			if k := substituteParam(q.Path, arg(c, q.Param)); k != "" {
				if pp, ok := relativeToParam(fn, k); ok {
					out = append(out, pp)
				}
			}
		}
	}
	return out
}
