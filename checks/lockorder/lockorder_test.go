package lockorder

import (
	"strings"
	"testing"

	"kcheck/checks"
	"kcheck/checks/checktest"
)

var opts = map[string]string{"repanic": "1"}

func TestABBA(t *testing.T) {
	res := checktest.Run(t, Checker, "testdata/abba", opts)
	for _, d := range res.Diagnostics {
		if d.Rule != ruleABBA.ID {
			continue
		}
		if len(d.Flows) < 2 || len(d.Related) < 4 {
			t.Errorf("%s: cycle has %d flows and %d related locations, want one flow and two locations per edge", d.Pos, len(d.Flows), len(d.Related))
		}
		for _, f := range d.Flows {
			last := f.Steps[len(f.Steps)-1]
			if last.Importance != checks.Essential {
				t.Errorf("%s: flow %q does not end in an essential acquisition step", d.Pos, f.Message)
			}
		}
	}
}

// TestABBACallbackFlow checks that the cycle through the ops callback
// names the call chain down to the callback's acquisition, with nesting.
func TestABBACallbackFlow(t *testing.T) {
	res, _ := checktest.Analyse(t, Checker, "testdata/abba", opts)
	for _, d := range res.Diagnostics {
		if !strings.Contains(d.Key, "struct cb_core.lock") {
			continue
		}
		var msgs []string
		deep := 0
		for _, f := range d.Flows {
			for _, s := range f.Steps {
				msgs = append(msgs, s.Message)
				deep = max(deep, s.Nesting)
			}
		}
		all := strings.Join(msgs, "|")
		if !strings.Contains(all, "calls client_notify") || deep < 1 {
			t.Errorf("callback cycle flows %q (max nesting %d) do not show the call into client_notify", all, deep)
		}
		return
	}
	t.Errorf("no cycle through the ops callback")
}

func TestSelf(t *testing.T)   { checktest.Run(t, Checker, "testdata/self", opts) }
func TestHeld(t *testing.T)   { checktest.Run(t, Checker, "testdata/held", opts) }
func TestShapes(t *testing.T) { checktest.Run(t, Checker, "testdata/shapes", opts) }

func TestRulesDocumented(t *testing.T) {
	if Checker.Doc == "" || Checker.Name != "lockorder" {
		t.Fatal("checker lacks a name or doc")
	}
	ids := map[string]bool{}
	for _, r := range Checker.Rules {
		if r.ID == "" || r.Name == "" || r.Short == "" || r.Full == "" || r.Help == "" || r.HelpMarkdown == "" || r.Level == "" {
			t.Errorf("rule %q lacks id, name, short, full, help, markdown or level", r.ID)
		}
		if !strings.HasPrefix(r.ID, "lockorder/") || r.Name == r.ID {
			t.Errorf("rule %q: bad id or name %q", r.ID, r.Name)
		}
		ids[r.ID] = true
	}
	for _, id := range []string{"lockorder/abba", "lockorder/self", "lockorder/held-at-return"} {
		if !ids[id] {
			t.Errorf("rule %s missing", id)
		}
	}
	if checks.Lookup("lockorder") != Checker {
		t.Error("lockorder is not registered")
	}
}

// TestSeeded runs the checker over the seeded bugs of the miniature tree.
func TestSeeded(t *testing.T) {
	checktest.Run(t, Checker, "../../testdata/minikernel/drivers/seeded_lockorder", opts)
}

// TestCorrel checks path correlation: conditions tested twice (bit-and
// tests on members, enum comparisons, pure predicate calls, member
// pointers, flag locals) in functions big enough to need widening.
func TestCorrel(t *testing.T) { checktest.Run(t, Checker, "testdata/correl", opts) }
