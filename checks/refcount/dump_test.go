package refcount

import (
	"fmt"
	"os"
	"testing"

	"kcheck/checks/checktest"
	"kcheck/checks/resource"
	"kcheck/frontend/ir"
)

// TestDumpIR prints the IR and the engine's summaries for
// testdata/$REFCOUNT_DUMP, for writing testdata against the shapes the
// front end produces. Skipped unless REFCOUNT_DUMP is set.
func TestDumpIR(t *testing.T) {
	dir := os.Getenv("REFCOUNT_DUMP")
	if dir == "" {
		t.Skip("set REFCOUNT_DUMP=<testdata subdirectory> to dump its IR")
	}
	res, _ := checktest.Analyse(t, nil, "testdata/"+dir, nil)
	for _, u := range res.Program.Units {
		fmt.Println(ir.DumpUnit(u, ir.DumpOptions{Pos: os.Getenv("REFCOUNT_DUMP_POS") != ""}))
	}
	tbl, err := LoadTable("")
	if err != nil {
		t.Fatal(err)
	}
	a := &resource.Analyzer{Table: tbl, Graph: res.Graph}
	for _, fr := range a.Run() {
		s := fr.Summary
		fmt.Printf("%s: steps %d capped %v exits %d", fr.Func.Name, fr.Steps, fr.Capped, len(fr.Exits))
		if s.Acquire != nil {
			fmt.Printf(" acquire %+v", *s.Acquire)
		}
		for _, r := range s.Releases {
			fmt.Printf(" release %+v", *r)
		}
		for _, h := range s.Handoffs {
			fmt.Printf(" handoff %+v", *h)
		}
		fmt.Println()
	}
}
