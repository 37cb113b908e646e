package main

import (
	"fmt"
	"io"
	"sort"
	"time"

	"kcheck/callgraph"
	"kcheck/frontend"
)

// printStats writes --stats: what the front end found and did, the call
// graph's size, and time per phase.
func printStats(w io.Writer, prog *frontend.Program, g *callgraph.Graph, graphTime, checkTime time.Duration, checkerTimes map[string]time.Duration) {
	st := prog.Stats
	fmt.Fprintf(w, "kcheck: tree %s\n", prog.Tree.Root)
	fmt.Fprintf(w, "units: %d found, %d parsed, %d failed\n", st.Found, st.Parsed, st.Failed)
	var srcs []string
	for s := range st.Sources {
		srcs = append(srcs, string(s))
	}
	sort.Strings(srcs) // for determinism
	for _, s := range srcs {
		fmt.Fprintf(w, "  flags from %s: %d\n", s, st.Sources[frontend.FlagSource(s)])
	}
	for _, f := range prog.Failures {
		fmt.Fprintf(w, "  failed: %s: %s\n", f.File, oneLine(f.Reason))
	}
	problems := 0
	for _, u := range prog.Units {
		problems += len(u.Problems)
	}
	fmt.Fprintf(w, "functions: %d lowered (%d lowering problems), %d header bodies pruned, %.1f MB preprocessed\n",
		st.Functions, problems, st.BodiesPruned, float64(st.BytesPreprocessed)/1e6)
	cs := g.Stats()
	fmt.Fprintf(w, "call graph: %d functions defined, %d external callees, %d direct edges, %d indirect edges resolved, %d indirect call sites unresolved\n",
		cs.Functions, cs.External, cs.DirectEdges, cs.IndirectEdges, cs.Unresolved)
	ph := st.Phases
	fmt.Fprintf(w, "time: wall %v (front end %v, call graph %v, checkers %v)\n",
		(st.Wall + graphTime + checkTime).Round(time.Millisecond), st.Wall.Round(time.Millisecond), graphTime.Round(time.Millisecond), checkTime.Round(time.Millisecond))
	fmt.Fprintf(w, "  front end, summed over units: discover %v, preprocess %v, prune %v, parse %v, lower %v\n",
		ph.Discover.Round(time.Millisecond), ph.Preprocess.Round(time.Millisecond), ph.Prune.Round(time.Millisecond), ph.Parse.Round(time.Millisecond), ph.Lower.Round(time.Millisecond))
	var names []string
	for n := range checkerTimes {
		names = append(names, n)
	}
	sort.Strings(names) // for determinism
	for _, n := range names {
		fmt.Fprintf(w, "  checker %s: %v\n", n, checkerTimes[n].Round(time.Millisecond))
	}
}
