package callgraph

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"kcheck/frontend/ir"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// fn builds a function of unit unit defined in file with the given calls;
// a call spelled "s.f" goes through member f of struct s, "?.f" through a
// member of an unresolved struct and "*v" through variable v.
func fn(unit, file, name string, static bool, calls ...string) *ir.Func {
	f := &ir.Func{Name: name, Static: static, File: file, Unit: unit, Pos: ir.Pos{File: file, Line: 1, Col: 1}}
	for i, c := range calls {
		call := &ir.Call{ID: i, Pos: ir.Pos{File: file, Line: 10 + i, Col: 2}}
		switch {
		case strings.HasPrefix(c, "*"):
			call.Indirect = &ir.IndirectCallee{Var: c[1:], Text: c[1:]}
		case strings.Contains(c, "."):
			st, field, _ := strings.Cut(c, ".")
			if st == "?" {
				st = ""
			}
			call.Indirect = &ir.IndirectCallee{StructType: st, Field: field, Text: "ops->" + field}
		default:
			call.Callee = c
		}
		f.Calls = append(f.Calls, call)
	}
	return f
}

// testUnits is a small program with every resolution case: two static
// probe functions in two drivers, a static inline helper from a header in
// the analysed directories included by both, a pruned kernel inline
// (spin_lock) declared static, ops-struct calls resolved and unresolved, a
// two-function cycle and a self-recursive function.
func testUnits() []*ir.Unit {
	a := &ir.Unit{
		File: "drivers/a.c",
		Funcs: []*ir.Func{
			fn("drivers/a.c", "drivers/h.h", "helper", true, "spin_lock"),
			fn("drivers/a.c", "drivers/a.c", "probe", true, "helper", "mutex_lock", "mutex_unlock"),
			fn("drivers/a.c", "drivers/a.c", "a_init", false, "usb_register", "helper"),
		},
		FieldStores: []ir.FieldStore{{StructType: "usb_driver", Field: "probe", Func: "probe", Static: true}},
		StaticFuncs: []string{"helper", "probe", "spin_lock"},
	}
	b := &ir.Unit{
		File: "drivers/b.c",
		Funcs: []*ir.Func{
			fn("drivers/b.c", "drivers/h.h", "helper", true, "spin_lock"),
			fn("drivers/b.c", "drivers/b.c", "probe", true, "helper", "ping"),
			fn("drivers/b.c", "drivers/b.c", "b_init", false, "usb_register"),
		},
		FieldStores: []ir.FieldStore{
			{StructType: "usb_driver", Field: "probe", Func: "probe", Static: true},
			{StructType: "usb_driver", Field: "disconnect", Func: "core_disconnect"},
			{StructType: "", Field: "open", Func: "b_init"}, // unresolved struct: unusable
		},
		StaticFuncs: []string{"helper", "probe", "spin_lock"},
	}
	core := &ir.Unit{
		File: "drivers/core.c",
		Funcs: []*ir.Func{
			fn("drivers/core.c", "drivers/core.c", "bus_probe", false, "usb_driver.probe", "?.open", "*fn", "file_operations.open", "usb_driver.disconnect"),
			fn("drivers/core.c", "drivers/core.c", "core_disconnect", false, "mutex_lock"),
			fn("drivers/core.c", "drivers/core.c", "ping", false, "pong", "mutex_lock"),
			fn("drivers/core.c", "drivers/core.c", "pong", false, "ping", "spin_lock", "rec"),
			fn("drivers/core.c", "drivers/core.c", "rec", false, "rec"),
		},
		StaticFuncs: nil,
	}
	return []*ir.Unit{core, b, a} // out of order on purpose
}

func keys(ns []*Node) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Key.String())
	}
	return out
}

func TestStaticFunctionsOfOneNameStayApart(t *testing.T) {
	g := Build(testUnits())
	got := keys(g.Lookup("probe"))
	want := []string{"drivers/a.c:probe", "drivers/b.c:probe"}
	if !slices.Equal(got, want) {
		t.Fatalf("Lookup(probe) = %v, want %v", got, want)
	}
	pa := g.Node(FuncKey{File: "drivers/a.c", Name: "probe"})
	pb := g.Node(FuncKey{File: "drivers/b.c", Name: "probe"})
	if pa.Func == nil || pb.Func == nil || pa.Func == pb.Func {
		t.Fatal("the two static probe functions must be distinct defined nodes")
	}
	if got := keys(g.Callees(pb)); !slices.Equal(got, []string{"drivers/h.h:helper", "ping"}) {
		t.Errorf("Callees(b.c:probe) = %v", got)
	}
	if got := keys(g.Callees(pa)); !slices.Equal(got, []string{"drivers/h.h:helper", "mutex_lock", "mutex_unlock"}) {
		t.Errorf("Callees(a.c:probe) = %v", got)
	}
}

func TestHeaderStaticInlineMerged(t *testing.T) {
	g := Build(testUnits())
	hs := g.Lookup("helper")
	if len(hs) != 1 {
		t.Fatalf("Lookup(helper) = %v, want one merged node", keys(hs))
	}
	h := hs[0]
	if h.Key != (FuncKey{File: "drivers/h.h", Name: "helper"}) {
		t.Errorf("helper key = %v", h.Key)
	}
	if h.Unit != "drivers/a.c" || h.Func.Unit != "drivers/a.c" {
		t.Errorf("helper kept the copy of %q, want the first unit drivers/a.c", h.Unit)
	}
	if got := keys(g.Callers(h)); !slices.Equal(got, []string{"a_init", "drivers/a.c:probe", "drivers/b.c:probe"}) {
		t.Errorf("Callers(helper) = %v", got)
	}
	// Only the kept copy's calls are edges: one call to spin_lock.
	if len(h.Out) != 1 || h.Out[0].Callee.Key != (FuncKey{Name: "spin_lock"}) {
		t.Errorf("helper out edges = %v", h.Out)
	}
}

func TestPrunedStaticInlineIsOneExternalNode(t *testing.T) {
	g := Build(testUnits())
	sl := g.Lookup("spin_lock")
	if len(sl) != 1 || !sl[0].External || sl[0].Func != nil || sl[0].Unit != "" {
		t.Fatalf("spin_lock nodes = %+v, want one external node", sl)
	}
	if got := keys(g.Callers(sl[0])); !slices.Equal(got, []string{"drivers/h.h:helper", "pong"}) {
		t.Errorf("Callers(spin_lock) = %v", got)
	}
}

func TestIndirectCallsThroughOpsStruct(t *testing.T) {
	g := Build(testUnits())
	bp := g.Node(FuncKey{Name: "bus_probe"})
	var got []string
	for _, e := range bp.Out {
		if !e.Indirect {
			t.Errorf("bus_probe has a direct edge to %s", e.Callee)
		}
		got = append(got, fmt.Sprintf("%d->%s", e.Call.ID, e.Callee))
	}
	want := []string{"0->drivers/a.c:probe", "0->drivers/b.c:probe", "4->core_disconnect"}
	if !slices.Equal(got, want) {
		t.Errorf("bus_probe edges = %v, want %v", got, want)
	}
	var unres []int
	for _, c := range bp.Unresolved {
		unres = append(unres, c.ID)
	}
	// ?.open (no struct type), *fn (variable), file_operations.open (nothing stored).
	if !slices.Equal(unres, []int{1, 2, 3}) {
		t.Errorf("unresolved call ids = %v, want [1 2 3]", unres)
	}
	if e := bp.Out[0]; e.Call.Pos.Line != 10 || e.Caller != bp {
		t.Errorf("edge does not record its call site: %+v", e)
	}
}

func TestStats(t *testing.T) {
	g := Build(testUnits())
	want := Stats{
		Functions:     10, // a_init b_init bus_probe core_disconnect helper ping pong a:probe b:probe rec
		External:      4,  // mutex_lock mutex_unlock spin_lock usb_register
		DirectEdges:   16,
		IndirectEdges: 3,
		IndirectSites: 2,
		Unresolved:    3,
	}
	if got := g.Stats(); got != want {
		t.Errorf("Stats = %+v\nwant    %+v", got, want)
	}
	if len(g.Nodes()) != 14 {
		t.Errorf("%d nodes, want 14", len(g.Nodes()))
	}
}

func TestDuplicateGlobalDefinitionKeepsFirst(t *testing.T) {
	u1 := &ir.Unit{File: "x/one.c", Funcs: []*ir.Func{fn("x/one.c", "x/one.c", "arch_setup", false, "one")}}
	u2 := &ir.Unit{File: "x/two.c", Funcs: []*ir.Func{fn("x/two.c", "x/two.c", "arch_setup", false, "two")}}
	g := Build([]*ir.Unit{u2, u1})
	n := g.Node(FuncKey{Name: "arch_setup"})
	if n.Unit != "x/one.c" || g.Stats().DuplicateDefinitions != 1 {
		t.Errorf("kept %s, duplicates %d", n.Unit, g.Stats().DuplicateDefinitions)
	}
	if g.Node(FuncKey{Name: "two"}) != nil {
		t.Error("the dropped definition's calls must not be edges")
	}
}

func TestEntries(t *testing.T) {
	g := Build(testUnits())
	// rec calls itself but pong calls it too.
	want := []string{"a_init", "b_init", "bus_probe"}
	if got := keys(g.Entries()); !slices.Equal(got, want) {
		t.Errorf("Entries = %v, want %v", got, want)
	}
}

func sccStrings(g *Graph) []string {
	var out []string
	for _, scc := range g.SCCs() {
		out = append(out, strings.Join(keys(scc), " "))
	}
	return out
}

func TestSCCsBottomUp(t *testing.T) {
	g := Build(testUnits())
	pos := make(map[*Node]int)
	for i, scc := range g.SCCs() {
		for _, n := range scc {
			if _, dup := pos[n]; dup {
				t.Fatalf("%s in two SCCs", n)
			}
			pos[n] = i
		}
	}
	if len(pos) != len(g.Nodes()) {
		t.Fatalf("SCCs cover %d of %d nodes", len(pos), len(g.Nodes()))
	}
	for _, n := range g.Nodes() {
		for _, e := range n.Out {
			if pos[e.Callee] > pos[e.Caller] {
				t.Errorf("callee %s comes after caller %s", e.Callee, e.Caller)
			}
		}
	}
	var cycle []*Node
	for _, scc := range g.SCCs() {
		if len(scc) > 1 {
			if cycle != nil {
				t.Fatalf("two multi-node SCCs")
			}
			cycle = scc
		}
	}
	if got := keys(cycle); !slices.Equal(got, []string{"ping", "pong"}) {
		t.Errorf("cycle = %v, want [ping pong]", got)
	}
	if !g.Recursive(cycle) {
		t.Error("ping/pong not recursive")
	}
	rec := g.SCCs()[pos[g.Node(FuncKey{Name: "rec"})]]
	if !g.Recursive(rec) {
		t.Error("self-recursive rec not recursive")
	}
	leaf := g.SCCs()[pos[g.Node(FuncKey{Name: "mutex_lock"})]]
	if g.Recursive(leaf) {
		t.Error("mutex_lock recursive")
	}
	// The exact order, fixed by the depth-first walk in node order.
	want := []string{
		"usb_register", "spin_lock", "drivers/h.h:helper", "a_init", "b_init",
		"mutex_lock", "mutex_unlock", "drivers/a.c:probe", "rec", "ping pong",
		"drivers/b.c:probe", "core_disconnect", "bus_probe",
	}
	if got := sccStrings(g); !slices.Equal(got, want) {
		t.Errorf("SCCs = %q\nwant   %q", got, want)
	}
}

func TestSCCsDeterministic(t *testing.T) {
	want := sccStrings(Build(testUnits()))
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 50; i++ {
		us := testUnits()
		r.Shuffle(len(us), func(i, j int) { us[i], us[j] = us[j], us[i] })
		if got := sccStrings(Build(us)); !slices.Equal(got, want) {
			t.Fatalf("run %d: SCCs = %q, want %q", i, got, want)
		}
	}
}

// TestFixedPointSummaries computes, bottom-up, the set of external
// functions each function reaches, the shape of a lock-acquisition summary;
// the ping/pong cycle needs more than one round.
func TestFixedPointSummaries(t *testing.T) {
	g := Build(testUnits())
	sum := make(map[*Node]map[string]bool)
	var order []string
	g.BottomUp(func(scc []*Node) {
		for _, n := range scc {
			sum[n] = map[string]bool{}
		}
		ok := g.FixedPoint(scc, 10, func(n *Node) bool {
			order = append(order, n.Key.String())
			if n.External {
				return false
			}
			before := len(sum[n])
			for _, c := range g.Callees(n) {
				if c.External {
					sum[n][c.Name()] = true
				}
				for k := range sum[c] {
					sum[n][k] = true
				}
			}
			return len(sum[n]) != before
		})
		if !ok {
			t.Errorf("%v did not converge", keys(scc))
		}
	})
	got := func(name string) []string {
		var s []string
		for k := range sum[g.Node(FuncKey{Name: name})] {
			s = append(s, k)
		}
		slices.Sort(s)
		return s
	}
	if !slices.Equal(got("ping"), []string{"mutex_lock", "spin_lock"}) {
		t.Errorf("ping reaches %v", got("ping"))
	}
	if !slices.Equal(got("bus_probe"), []string{"mutex_lock", "mutex_unlock", "spin_lock"}) {
		t.Errorf("bus_probe reaches %v", got("bus_probe"))
	}
	// ping and pong are updated in rounds until nothing changes (3 rounds
	// of 2), the others once.
	n := 0
	for _, o := range order {
		if o == "ping" {
			n++
		}
	}
	if n < 2 {
		t.Errorf("ping updated %d times, want rounds to a fixed point", n)
	}
}

func TestFixedPointGivesUp(t *testing.T) {
	g := Build(testUnits())
	cycle := g.SCCs()[9]
	rounds := 0
	if g.FixedPoint(cycle, 3, func(*Node) bool { rounds++; return true }) {
		t.Error("a summary that always changes must not converge")
	}
	if rounds != 6 {
		t.Errorf("%d updates, want 3 rounds of 2", rounds)
	}
}

func TestWriteDOTGolden(t *testing.T) {
	g := Build(testUnits())
	for _, tc := range []struct{ focus, golden string }{
		{"", "all.dot"},
		{"ping", "ping.dot"},
		{"drivers/b.c", "b.dot"},
	} {
		var buf bytes.Buffer
		if err := g.WriteDOT(&buf, tc.focus); err != nil {
			t.Fatalf("WriteDOT(%q): %v", tc.focus, err)
		}
		path := filepath.Join("testdata", tc.golden)
		if *update {
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("WriteDOT(%q) differs from %s:\n%s", tc.focus, path, buf.String())
		}
		// Byte-identical on a rebuild from shuffled units.
		us := testUnits()
		us[0], us[2] = us[2], us[0]
		var again bytes.Buffer
		if err := Build(us).WriteDOT(&again, tc.focus); err != nil || !bytes.Equal(again.Bytes(), buf.Bytes()) {
			t.Errorf("WriteDOT(%q) not deterministic", tc.focus)
		}
	}
	if err := g.WriteDOT(&bytes.Buffer{}, "no_such_thing"); err == nil {
		t.Error("WriteDOT with an unknown focus must fail")
	}
}

// BenchmarkBuild measures Build and SCCs at the size of a large subsystem:
// 20k functions, 100k call sites (a tenth indirect), to keep them linear.
func BenchmarkBuild(b *testing.B) {
	const nfuncs, ncalls, perUnit = 20000, 100000, 100
	r := rand.New(rand.NewSource(1))
	var units []*ir.Unit
	for u := 0; u < nfuncs/perUnit; u++ {
		file := fmt.Sprintf("drivers/u%03d.c", u)
		unit := &ir.Unit{File: file}
		for i := 0; i < perUnit; i++ {
			name := fmt.Sprintf("f%d", u*perUnit+i)
			var calls []string
			for c := 0; c < ncalls/nfuncs; c++ {
				switch {
				case c == 0 && i%2 == 0:
					calls = append(calls, fmt.Sprintf("ops%d.op", r.Intn(50)))
				case c == 1:
					calls = append(calls, fmt.Sprintf("api%d", r.Intn(500)))
				default:
					calls = append(calls, fmt.Sprintf("f%d", r.Intn(nfuncs)))
				}
			}
			unit.Funcs = append(unit.Funcs, fn(file, file, name, false, calls...))
			if i%10 == 0 {
				unit.FieldStores = append(unit.FieldStores, ir.FieldStore{StructType: fmt.Sprintf("ops%d", r.Intn(50)), Field: "op", Func: name})
			}
		}
		units = append(units, unit)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		g := Build(units)
		g.SCCs()
	}
}
