package dma

import (
	"fmt"
	"os"
	"testing"

	"kcheck/checks/checktest"
)

func TestProbeDiags(t *testing.T) {
	dir := os.Getenv("DMA_PROBE")
	if dir == "" {
		t.Skip()
	}
	res, _ := checktest.Analyse(t, Checker, dir, nil)
	for _, d := range res.Diagnostics {
		fmt.Println(d.Pos, d.Message, d.Rule)
	}
}
