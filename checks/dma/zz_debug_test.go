package dma

import (
	"fmt"
	"os"
	"testing"

	"kcheck/checks/checktest"
	"kcheck/frontend/ir"
)

func TestZZDebug(t *testing.T) {
	dir := os.Getenv("ZZ_DIR")
	if dir == "" {
		t.Skip()
	}
	res, _ := checktest.Analyse(t, Checker, dir, nil)
	if os.Getenv("ZZ_IR") != "" {
		for _, u := range res.Program.Units {
			fmt.Println(ir.DumpUnit(u, ir.DumpOptions{}))
		}
	}
	for _, d := range res.Diagnostics {
		fmt.Printf("%s %s %s: %s\n", d.Pos, d.Rule, d.Function, d.Message)
		for _, f := range d.Flows {
			for _, s := range f.Steps {
				fmt.Printf("    %d: %s\n", s.Pos.Line, s.Message)
			}
		}
	}
}
