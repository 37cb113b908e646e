package dma

import (
	"testing"

	"kcheck/checks"
	"kcheck/checks/checktest"
)

func TestDMA(t *testing.T) {
	checktest.Run(t, Checker, "testdata/src", nil)
}

// TestRulesDocumented checks every rule carries what SARIF and `kcheck
// help` show.
func TestRulesDocumented(t *testing.T) {
	if checks.Lookup("dma") != Checker {
		t.Fatal("dma checker not registered")
	}
	want := map[string]bool{RuleUnchecked: true, RuleLeak: true, RuleMismatch: true, RuleDouble: true}
	for _, r := range Checker.Rules {
		if !want[r.ID] {
			t.Errorf("unexpected rule %s", r.ID)
		}
		delete(want, r.ID)
		if r.Name == "" || r.Name == r.ID || r.Short == "" || r.Full == "" || r.Help == "" || r.HelpMarkdown == "" || r.Level == "" || r.Precision == "" {
			t.Errorf("rule %s lacks documentation: %+v", r.ID, r)
		}
	}
	for id := range want {
		t.Errorf("rule %s missing", id)
	}
}

// TestSeeded runs the checker over the bugs seeded into the miniature
// kernel tree (and their fixed twins).
func TestSeeded(t *testing.T) {
	checktest.Run(t, Checker, "../../testdata/minikernel/drivers/seeded_dma", nil)
}
