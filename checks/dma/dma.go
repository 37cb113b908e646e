package dma

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"kcheck/callgraph"
	"kcheck/checks"
	"kcheck/frontend/ir"
)

// Rule ids.
const (
	RuleUnchecked = "dma/unchecked-mapping"
	RuleLeak      = "dma/leak"
	RuleMismatch  = "dma/mismatch"
	RuleDouble    = "dma/double-unmap"
)

// Checker is the dma checker.
var Checker = &checks.Checker{
	Name:  "dma",
	Doc:   doc,
	URL:   "https://github.com/kcheck/kcheck/blob/main/docs/checkers.md#dma",
	Rules: rules,
	Run:   run,
}

func init() { checks.Register(Checker) }

// driverOf is the unit of "the same driver" for the cross-function
// mismatch check: the directory of the translation unit.
func driverOf(fn *ir.Func) string { return path.Dir(fn.Unit) }

func run(pass *checks.Pass) error {
	table, err := tableFor(pass.Options)
	if err != nil {
		return err
	}
	p := &program{
		table:     table,
		graph:     pass.Graph,
		summaries: map[*callgraph.Node]*Summary{},
		callees:   map[*ir.Call][]*callgraph.Node{},
	}
	for _, n := range pass.Graph.Nodes() {
		for _, e := range n.Out {
			if e.Callee.Func != nil {
				p.callees[e.Call] = append(p.callees[e.Call], e.Callee)
			}
		}
	}
	var diags []checks.Diagnostic
	fieldMaps := map[string][]*mapSite{} // driver + struct.field -> maps stored there
	countFields := map[string]*mapSite{} // driver + struct.field -> a dma_map_sg count stored there
	reported := map[string]bool{}        // rule + call position, to report an unmap once
	pass.Graph.BottomUp(func(scc []*callgraph.Node) {
		for _, n := range scc {
			if n.Func == nil || len(n.Func.Blocks) == 0 {
				continue
			}
			p.stats.Functions++
			s := &Summary{}
			p.summaries[n] = s
			ds, homes, counts := p.analyse(n.Func, s)
			for _, d := range ds {
				key := d.Rule + "@" + d.Pos.String()
				if !reported[key] {
					reported[key] = true
					diags = append(diags, d)
				}
			}
			for _, h := range homes {
				k := driverOf(n.Func) + "|" + h.home.structType + "." + h.home.field
				fieldMaps[k] = append(fieldMaps[k], h.site)
			}
			for _, h := range counts {
				k := driverOf(n.Func) + "|" + h.home.structType + "." + h.home.field
				if countFields[k] == nil {
					countFields[k] = h.site
				}
			}
		}
	})
	for _, d := range p.fieldMismatches(pass.Graph, fieldMaps, countFields) {
		key := d.Rule + "@" + d.Pos.String()
		if !reported[key] {
			reported[key] = true
			diags = append(diags, d)
		}
	}
	leaks, err := p.leaks(pass)
	if err != nil {
		return err
	}
	diags = append(diags, leaks...)
	sort.SliceStable(diags, func(i, j int) bool { // for determinism
		a, b := diags[i], diags[j]
		if a.Pos.File != b.Pos.File {
			return a.Pos.File < b.Pos.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		if a.Pos.Col != b.Pos.Col {
			return a.Pos.Col < b.Pos.Col
		}
		return a.Rule < b.Rule
	})
	for _, d := range diags {
		pass.Report(d)
	}
	return nil
}

// siteHome is a struct member a site's result was stored into.
type siteHome struct {
	site *mapSite
	home home
}

// analyse runs the per-function rules over fn and fills its summary.
func (p *program) analyse(fn *ir.Func, sum *Summary) (diags []checks.Diagnostic, homes, counts []siteHome) {
	for _, b := range fn.Blocks {
		for i, ev := range b.Events {
			if ev.Kind != ir.EvCall {
				continue
			}
			c := ev.Call
			site := &mapSite{fn: fn, block: b.ID, event: i, call: c}
			if a := p.apiOf(c); a != nil {
				if !a.IsAcquire() || a.Managed {
					if a.IsRelease() {
						p.stats.UnmapSites++
					}
					continue
				}
				site.api = a
			} else if a := p.learnedMap(c); a != nil {
				site.api, site.learned = a, true
			} else {
				continue
			}
			p.stats.MapSites++
			res := p.walkSite(site)
			if res.capped {
				p.stats.CappedWalks++
			}
			if res.returnedUntested && (site.api.Kind == Map || site.api.Kind == MapSG) {
				sum.Returns = site.api
			}
			if d, ok := uncheckedDiag(site, res); ok {
				diags = append(diags, d)
			}
			for _, m := range res.mismatches {
				diags = append(diags, mismatchDiag(fn, site, m.call, m.msg))
			}
			if !site.learned {
				for _, h := range res.homes {
					homes = append(homes, siteHome{site, h})
				}
				for _, h := range res.countHomes {
					counts = append(counts, siteHome{site, h})
				}
			}
		}
	}
	p.summarize(fn, sum)
	doubles, _, capped := p.unmapWalk(fn, false)
	if capped {
		p.stats.CappedWalks++
	}
	seen := map[*ir.Call]bool{}
	sort.SliceStable(doubles, func(i, j int) bool { return doubles[i].second.ID < doubles[j].second.ID }) // for determinism
	for _, du := range doubles {
		if seen[du.second] {
			continue
		}
		seen[du.second] = true
		diags = append(diags, doubleDiag(fn, du))
	}
	return diags, homes, counts
}

func uncheckedDiag(s *mapSite, res *siteResult) (checks.Diagnostic, bool) {
	if len(res.uses) == 0 {
		return checks.Diagnostic{}, false
	}
	uses := append([]use(nil), res.uses...)
	sort.Slice(uses, func(i, j int) bool { return posLess(uses[i].pos, uses[j].pos) }) // for determinism
	u := uses[0]
	var msg string
	switch s.api.Failure {
	case FailZero:
		msg = fmt.Sprintf("the count %s returned (%s) is [%s](1) without a test for 0, its failure value", s.what(), s.resultName(), u.what)
	default:
		msg = fmt.Sprintf("DMA handle %s from %s is [%s](1) without a dma_mapping_error() check", s.resultName(), s.what(), u.what)
	}
	return checks.Diagnostic{
		Rule:     RuleUnchecked,
		Pos:      s.call.Pos,
		Message:  msg,
		Function: s.fn.Name,
		Key:      s.what() + " " + s.resultName(),
		Related:  []checks.Related{{ID: 1, Pos: u.pos, Message: u.what}},
		Flows: []checks.Flow{{Message: "the mapping reaches a use untested", Steps: []checks.Step{
			{Pos: s.call.Pos, Message: "mapped by " + s.what(), Importance: checks.Essential},
			{Pos: u.pos, Message: u.what + " untested", Importance: checks.Essential},
		}}},
	}, true
}

func mismatchDiag(fn *ir.Func, s *mapSite, c *ir.Call, msg string) checks.Diagnostic {
	return checks.Diagnostic{
		Rule:     RuleMismatch,
		Pos:      c.Pos,
		Message:  msg + " [here](1)",
		Function: fn.Name,
		Key:      c.Text,
		Related:  []checks.Related{{ID: 1, Pos: s.call.Pos, Message: "mapped here"}},
		Flows: []checks.Flow{{Message: "map and mismatching unmap", Steps: []checks.Step{
			{Pos: s.call.Pos, Message: "mapped by " + s.what(), Importance: checks.Essential},
			{Pos: c.Pos, Message: "released with different arguments", Importance: checks.Essential},
		}}},
	}
}

func doubleDiag(fn *ir.Func, du doubleUnmap) checks.Diagnostic {
	return checks.Diagnostic{
		Rule:     RuleDouble,
		Pos:      du.second.Pos,
		Message:  fmt.Sprintf("%s releases %s a second time on this path; it was already released [here](1)", du.api.Spelling, du.key),
		Function: fn.Name,
		Key:      du.key,
		Related:  []checks.Related{{ID: 1, Pos: du.first.Pos, Message: "first release"}},
		Flows: []checks.Flow{{Message: "released twice", Steps: []checks.Step{
			{Pos: du.first.Pos, Message: "released", Importance: checks.Essential},
			{Pos: du.second.Pos, Message: "released again", Importance: checks.Essential},
		}}},
	}
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

// fieldMismatches compares every unmap of a struct member with the maps
// stored into that member by other functions of the same driver. A
// direction or size is reported only when every such map passed a
// constant and none equals the unmap's constant: a member mapped with
// several directions (chosen per request) matches any of them.
func (p *program) fieldMismatches(g *callgraph.Graph, fieldMaps map[string][]*mapSite, countFields map[string]*mapSite) []checks.Diagnostic {
	var out []checks.Diagnostic
	for _, n := range g.Nodes() {
		fn := n.Func
		if fn == nil {
			continue
		}
		for _, c := range fn.Calls {
			for _, r := range p.releases(c) {
				if r.Helper || r.Handle == nil {
					continue
				}
				if st, f, ok := memberHome(r.Handle); ok {
					k := driverOf(fn) + "|" + st + "." + f
					if d, ok := compareFieldMaps(fn, c, r, fieldMaps[k]); ok {
						out = append(out, d)
					}
				}
				if st, f, ok := memberHome(r.Nents); ok && r.API.Nents >= 0 {
					k := driverOf(fn) + "|" + st + "." + f
					if s := countFields[k]; s != nil && s.fn != fn {
						msg := fmt.Sprintf("%s is given %s, where %s stores the count %s returned, instead of the nents passed to it (%s)",
							r.API.Spelling, r.Nents, s.fn.Name, s.api.Spelling, arg(s.call, s.api.Nents))
						out = append(out, mismatchDiag(fn, s, c, msg))
					}
				}
			}
		}
	}
	return out
}

func compareFieldMaps(fn *ir.Func, c *ir.Call, r release, sites []*mapSite) (checks.Diagnostic, bool) {
	var same []*mapSite
	for _, s := range sites {
		if s.fn == fn || !compatible(s.api, r.API) {
			continue
		}
		same = append(same, s)
	}
	if len(same) == 0 {
		return checks.Diagnostic{}, false
	}
	if msg, ok := differs(same, r.Dir, func(s *mapSite) *ir.Value { return arg(s.call, s.api.Dir) }); ok {
		return mismatchDiag(fn, same[0], c, fmt.Sprintf("%s unmaps %s with direction %s, but %s maps it with %s", r.API.Spelling, r.Handle, dirName(r.Dir), same[0].fn.Name, msg)), true
	}
	if msg, ok := differs(same, r.Size, func(s *mapSite) *ir.Value { return arg(s.call, s.api.Size) }); ok {
		return mismatchDiag(fn, same[0], c, fmt.Sprintf("%s releases %s with size %s, but %s maps it with size %s", r.API.Spelling, r.Handle, r.Size, same[0].fn.Name, msg)), true
	}
	return checks.Diagnostic{}, false
}

// compatible reports whether release r can end a mapping made by a.
func compatible(a, r *API) bool {
	if r.Family != "" {
		return r.Family == family(a.Kind)
	}
	for _, n := range a.Releases {
		if n == r.Name {
			return true
		}
	}
	return false
}

// differs reports whether constant v differs from the constant every site
// passed (via get), and spells the sites' value.
func differs(sites []*mapSite, v *ir.Value, get func(*mapSite) *ir.Value) (string, bool) {
	x, ok := constOf(v)
	if !ok {
		return "", false
	}
	var spell []string
	for _, s := range sites {
		w := get(s)
		y, ok := constOf(w)
		if !ok || y == x {
			return "", false
		}
		sp := w.String()
		if w == arg(s.call, s.api.Dir) {
			sp = dirName(w)
		}
		spell = append(spell, sp)
	}
	sort.Strings(spell)
	return strings.Join(dedupe(spell), " or "), true
}

func dedupe(ss []string) []string {
	var out []string
	for i, s := range ss {
		if i == 0 || s != ss[i-1] {
			out = append(out, s)
		}
	}
	return out
}
