package dma

import (
	"strings"
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

// TestLoopWitness checks that a leak of iteration k's allocation on the
// failure of iteration k+1's is witnessed from iteration k's call: the
// flow holds both allocations, the first one succeeding.
func TestLoopWitness(t *testing.T) {
	res := checktest.Run(t, Checker, "testdata/src", nil)
	found := false
	for _, d := range res.Diagnostics {
		if d.Function != "thcd_pair_bad" || d.Rule != RuleLeak {
			continue
		}
		found = true
		steps := d.Flows[0].Steps
		acqs := 0
		for _, s := range steps {
			if strings.Contains(s.Message, "acquires") {
				acqs++
			}
		}
		if acqs != 2 || len(steps) < 2 || steps[1].Message != "'td' is true" && steps[1].Message != "'!td' is false" {
			var msgs []string
			for _, s := range steps {
				msgs = append(msgs, s.Message)
			}
			t.Errorf("witness of thcd_pair_bad: want two allocations, the first succeeding; got %q", msgs)
		}
	}
	if !found {
		t.Error("no dma/leak in thcd_pair_bad")
	}
}
