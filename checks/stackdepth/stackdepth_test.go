package stackdepth

import (
	"path/filepath"
	"strings"
	"testing"

	"kcheck/checks"
	"kcheck/checks/checktest"
)

func TestCases(t *testing.T) {
	for _, tc := range []struct {
		dir  string
		opts map[string]string
	}{
		{"frame", nil},
		{"path", map[string]string{OptStackBudget: "4096"}},
		{"recursion", nil},
		{"vla", nil},
		{"ops", map[string]string{OptStackBudget: "3072"}},
		{"devshapes", map[string]string{OptFrameWarn: "1024"}},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			checktest.Run(t, Checker, filepath.Join("testdata", tc.dir), tc.opts)
		})
	}
}

// TestPathFlow checks that the path finding lists each call with the
// frame it adds and the running total.
func TestPathFlow(t *testing.T) {
	res := checktest.Run(t, Checker, filepath.Join("testdata", "path"), map[string]string{OptStackBudget: "4096"})
	var d *checks.Diagnostic
	for i := range res.Diagnostics {
		if res.Diagnostics[i].Rule == "stackdepth/path" {
			d = &res.Diagnostics[i]
		}
	}
	if d == nil || len(d.Flows) != 1 {
		t.Fatalf("no path diagnostic with one flow: %+v", res.Diagnostics)
	}
	steps := d.Flows[0].Steps
	if len(steps) != 3 {
		t.Fatalf("flow has %d steps, want 3 (chain_bad, stage_b, stage_c)", len(steps))
	}
	for i, want := range []string{"chain_bad: frame", "calls stage_b: frame", "calls stage_c: frame"} {
		if !strings.HasPrefix(steps[i].Message, want) || !strings.Contains(steps[i].Message, "total ") || steps[i].Nesting != i {
			t.Errorf("step %d = %q (nesting %d), want prefix %q with a running total", i, steps[i].Message, steps[i].Nesting, want)
		}
	}
}

func TestRulesDocumented(t *testing.T) {
	if checks.Lookup("stackdepth") != Checker {
		t.Fatal("stackdepth is not registered")
	}
	ids := map[string]bool{}
	for _, r := range Checker.Rules {
		if r.ID == "" || r.Name == "" || r.Short == "" || r.Full == "" || r.Help == "" || r.HelpMarkdown == "" || r.Level == "" {
			t.Errorf("rule %q lacks id, name, short, full, help, markdown or level", r.ID)
		}
		if r.Name == r.ID {
			t.Errorf("rule %q: name must differ from id", r.ID)
		}
		ids[r.ID] = true
	}
	for _, id := range []string{"stackdepth/frame", "stackdepth/path", "stackdepth/recursion", "stackdepth/unbounded"} {
		if !ids[id] {
			t.Errorf("rule %s missing", id)
		}
	}
	for _, key := range []string{OptFrameWarn, OptStackBudget, OptStackUsage, "2048", "8192"} {
		if !strings.Contains(doc, key) {
			t.Errorf("checker doc does not mention %q", key)
		}
	}
}
