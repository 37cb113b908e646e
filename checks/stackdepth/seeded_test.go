package stackdepth

import (
	"path/filepath"
	"testing"

	"kcheck/checks/checktest"
)

// TestSeeded runs the checker with its default options over the seeded
// bugs of the miniature kernel tree.
func TestSeeded(t *testing.T) {
	checktest.Run(t, Checker, filepath.Join("..", "..", "testdata", "minikernel", "drivers", "seeded_stackdepth"), nil)
}
