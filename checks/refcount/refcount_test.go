package refcount

import (
	"os"
	"path/filepath"
	"strings"

	"kcheck/checks"
	"kcheck/checks/resource"
	"testing"

	"kcheck/checks/checktest"
)

func TestPM(t *testing.T)        { checktest.Run(t, Checker, "testdata/pm", nil) }
func TestOF(t *testing.T)        { checktest.Run(t, Checker, "testdata/of", nil) }
func TestDevices(t *testing.T)   { checktest.Run(t, Checker, "testdata/dev", nil) }
func TestInterproc(t *testing.T) { checktest.Run(t, Checker, "testdata/interproc", nil) }

func TestGotos(t *testing.T) {
	res := checktest.Run(t, Checker, "testdata/gotos", nil)
	for _, d := range res.Diagnostics {
		if len(d.Flows) != 1 || len(d.Flows[0].Steps) < 3 {
			t.Errorf("%s: want one flow with the acquisition, branches and exit, got %+v", d.Pos, d.Flows)
		}
	}
}

// TestRulesDocumented checks every rule carries what SARIF consumers show.
func TestRulesDocumented(t *testing.T) {
	if Checker.Doc == "" || checks.Lookup("refcount") != Checker {
		t.Fatal("refcount is not registered with its documentation")
	}
	for _, r := range Checker.Rules {
		if r.ID == "" || r.Name == "" || r.Short == "" || r.Full == "" || r.Help == "" || r.HelpMarkdown == "" || r.Level == "" {
			t.Errorf("rule %q lacks id, name, short, full, help, markdown or level", r.ID)
		}
		if !strings.HasPrefix(r.ID, "refcount/") || r.Name == r.ID {
			t.Errorf("rule %q: bad id or name %q", r.ID, r.Name)
		}
	}
}

// TestConfig checks that a config file's [refcount] section adds a
// driver's own get/put pair and that other sections are ignored.
func TestConfig(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "kcheck.conf")
	text := `# driver wrappers
[refcount]
family  acme_ref noun="acme reference" frees
acquire acme_lookup family=acme_ref object=ret when=success fail=null
release acme_release family=acme_ref arg=0
[dma]
acquire not_for_us family=dma_single object=ret
`
	if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	checktest.Run(t, Checker, "testdata/config", map[string]string{ConfigOption: cfg})
	if _, err := LoadTable(filepath.Join(t.TempDir(), "missing.conf")); err == nil {
		t.Error("a missing config file must be an error")
	}
	bad := filepath.Join(t.TempDir(), "bad.conf")
	os.WriteFile(bad, []byte("[refcount]\nacquire x family=nope object=ret\n"), 0o644)
	if _, err := LoadTable(bad); err == nil {
		t.Error("an unknown family must be an error")
	}
}

// TestCapped checks that a function cut short by the limits says so.
func TestCapped(t *testing.T) {
	res, _ := checktest.Analyse(t, nil, "testdata/gotos", nil)
	tbl, err := LoadTable("")
	if err != nil {
		t.Fatal(err)
	}
	a := &resource.Analyzer{Table: tbl, Graph: res.Graph, Limits: resource.Limits{MaxStatesPerBlock: 1, MaxSteps: 20}}
	capped := 0
	for _, fr := range a.Run() {
		if fr.Capped {
			capped++
			ds := funcDiagnostics(fr)
			if len(ds) == 0 || ds[len(ds)-1].Rule != "refcount/incomplete" {
				t.Errorf("%s: capped without a refcount/incomplete note", fr.Func.Name)
			}
		}
	}
	if capped != 2 {
		t.Errorf("%d functions capped, want 2", capped)
	}
}

// BenchmarkGotos measures the engine on the 22-label probe()s.
func BenchmarkGotos(b *testing.B) {
	res, _ := checktest.Analyse(b, nil, "testdata/gotos", nil)
	tbl, err := LoadTable("")
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	steps := 0
	for i := 0; i < b.N; i++ {
		a := &resource.Analyzer{Table: tbl, Graph: res.Graph}
		steps = 0
		for _, fr := range a.Run() {
			steps += fr.Steps
		}
	}
	b.ReportMetric(float64(steps), "blockvisits/op")
}

// TestSeeded runs the seeded bugs of the miniature tree.
func TestSeeded(t *testing.T) {
	checktest.Run(t, Checker, "../../testdata/minikernel/drivers/seeded_refcount", nil)
}

// TestTeardown runs counts on devices the function registers and the
// engine's shared hand-offs.
func TestTeardown(t *testing.T) { checktest.Run(t, Checker, "testdata/teardown", nil) }
