package main

import (
	"os"
	"strings"
	"testing"

	"kcheck/checks"
)

// TestEveryCheckerRegisteredAndDocumented: every checks/<name> package
// with a checker is imported by the binary and registered under its
// directory name, and every registered checker has the documentation that
// `kcheck help`, the SARIF rules and the README draw on.
func TestEveryCheckerRegisteredAndDocumented(t *testing.T) {
	entries, err := os.ReadDir("../../checks")
	if err != nil {
		t.Fatal(err)
	}
	infrastructure := map[string]bool{"checktest": true, "resource": true}
	for _, e := range entries {
		if !e.IsDir() || infrastructure[e.Name()] {
			continue
		}
		if checks.Lookup(e.Name()) == nil {
			t.Errorf("checks/%s is not registered in the kcheck binary (add cmd/kcheck/checker_%s.go)", e.Name(), e.Name())
		}
	}
	all := checks.All()
	if len(all) < 4 {
		t.Errorf("%d checkers registered, want lockorder, refcount, dma and stackdepth", len(all))
	}
	for _, c := range all {
		if strings.TrimSpace(c.Doc) == "" || c.URL == "" || len(c.Rules) == 0 {
			t.Errorf("checker %s lacks doc, URL or rules", c.Name)
		}
		for _, r := range c.Rules {
			if r.Name == "" || r.Name == r.ID || r.Short == "" || r.Full == "" || r.Help == "" || r.HelpMarkdown == "" || r.Level.Rank() == 0 {
				t.Errorf("rule %s lacks a name distinct from its id, a short or full description, help text or markdown, or a level", r.ID)
			}
		}
	}
}
