package dma

import (
	"fmt"
	"os"
	"testing"

	"kcheck/checks/checktest"
	"kcheck/frontend/ir"
)

// TestDumpIR prints the IR of testdata/$DMA_DUMP, for writing testdata
// against the shapes the front end produces. Skipped unless DMA_DUMP is set.
func TestDumpIR(t *testing.T) {
	dir := os.Getenv("DMA_DUMP")
	if dir == "" {
		t.Skip("set DMA_DUMP=<testdata subdirectory> to dump its IR")
	}
	res, _ := checktest.Analyse(t, nil, "testdata/"+dir, nil)
	for _, u := range res.Program.Units {
		fmt.Println(ir.DumpUnit(u, ir.DumpOptions{Pos: os.Getenv("DMA_DUMP_POS") != ""}))
	}
}
