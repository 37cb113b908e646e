package lockorder

import (
	"fmt"
	"os"
	"testing"

	"kcheck/checks/checktest"
	"kcheck/frontend/ir"
)

func TestDumpProbe(t *testing.T) {
	if os.Getenv("LOCKORDER_DUMP") == "" {
		t.Skip()
	}
	res, _ := checktest.Analyse(t, nil, "testdata/"+os.Getenv("LOCKORDER_DUMP"), nil)
	for _, u := range res.Program.Units {
		fmt.Println(ir.DumpUnit(u, ir.DumpOptions{Types: true}))
	}
}
