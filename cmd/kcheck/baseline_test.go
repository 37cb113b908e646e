package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// copyMinikernel copies the miniature tree to a temporary directory.
func copyMinikernel(t *testing.T) string {
	t.Helper()
	src, err := filepath.Abs(minikernel)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "linux")
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("cp", "-a", src+"/.", dst).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v\n%s", err, out)
	}
	return dst
}

// edit replaces old by new in a file of the tree, which must contain it.
func edit(t *testing.T, root, file, old, new string) {
	t.Helper()
	p := filepath.Join(root, file)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s does not contain %q", file, old)
	}
	if err := os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

type sarifOutcome struct {
	RuleID              string            `json:"ruleId"`
	BaselineState       string            `json:"baselineState"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Suppressions        []struct {
		Kind          string `json:"kind"`
		Justification string `json:"justification"`
	} `json:"suppressions"`
	Locations []struct {
		PhysicalLocation struct {
			ArtifactLocation struct {
				URI string `json:"uri"`
			} `json:"artifactLocation"`
		} `json:"physicalLocation"`
	} `json:"locations"`
}

func sarifResults(t *testing.T, text string) []sarifOutcome {
	t.Helper()
	var log struct {
		Runs []struct {
			Results []sarifOutcome `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(text), &log); err != nil {
		t.Fatalf("SARIF: %v", err)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(log.Runs))
	}
	return log.Runs[0].Results
}

// The patch of the baseline scenario: a new function takes the fixed
// twin's locks in the opposite order (a new AB-BA cycle), and the leaking
// loop in seeded_children_bad gets its missing of_node_put.
const (
	abbaFile = "drivers/seeded_lockorder/seeded_lock_abba.c"
	abbaNew  = `
void seedok_hub_port_flush(struct seedok_hub *hub)
{
	spin_lock(&hub->port_lock);
	mutex_lock(&hub->event_lock);
	hub->pending = 0;
	mutex_unlock(&hub->event_lock);
	spin_unlock(&hub->port_lock);
}
`
	leakFile  = "drivers/seeded_refcount/seeded_refcount.c"
	leakOld   = "\t\tif (of_property_read_u32(child, \"rate\", &p->rate))\n\t\t\treturn -EINVAL;\n"
	leakFixed = "\t\tif (of_property_read_u32(child, \"rate\", &p->rate)) {\n\t\t\tof_node_put(child);\n\t\t\treturn -EINVAL;\n\t\t}\n"
)

// TestBaselineScenario is the pre-merge CI story: a baseline on a tree,
// a patch that adds one lock-order bug and fixes one refcount leak, then
// a run against the baseline.
func TestBaselineScenario(t *testing.T) {
	bin := buildKcheck(t)
	root := copyMinikernel(t)
	base := filepath.Join(t.TempDir(), "base.sarif")
	if _, se, code := runKcheck(t, bin, root, "--no-progress", "--format", "sarif", "-o", base, "drivers"); code != 1 {
		t.Fatalf("baseline run: exit %d\n%s", code, se)
	}
	baseText, err := os.ReadFile(base)
	if err != nil {
		t.Fatal(err)
	}
	baseResults := sarifResults(t, string(baseText))
	for _, r := range baseResults {
		if r.PartialFingerprints["primaryLocationLineHash"] == "" || r.PartialFingerprints["kcheck/v1"] == "" {
			t.Errorf("baseline result %s lacks a fingerprint: %v", r.RuleID, r.PartialFingerprints)
		}
	}

	// An unchanged rerun: everything unchanged, and the gate passes.
	out, se, code := runKcheck(t, bin, root, "--no-progress", "--format", "sarif", "--baseline", base, "--fail-on", "new", "drivers")
	if code != 0 {
		t.Errorf("unchanged rerun with --fail-on new: exit %d, want 0\n%s", code, se)
	}
	for _, r := range sarifResults(t, out) {
		if r.BaselineState != "unchanged" {
			t.Errorf("unchanged rerun: %s is %q", r.RuleID, r.BaselineState)
		}
	}

	// The patch.
	b, err := os.ReadFile(filepath.Join(root, abbaFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, abbaFile), append(b, abbaNew...), 0o644); err != nil {
		t.Fatal(err)
	}
	edit(t, root, leakFile, leakOld, leakFixed)

	out, se, code = runKcheck(t, bin, root, "--no-progress", "--format", "sarif", "--baseline", base, "drivers")
	if code != 1 {
		t.Errorf("patched run: exit %d, want 1\n%s", code, se)
	}
	counts := map[string]int{}
	results := sarifResults(t, out)
	for _, r := range results {
		counts[r.BaselineState]++
		uri := ""
		if len(r.Locations) > 0 {
			uri = r.Locations[0].PhysicalLocation.ArtifactLocation.URI
		}
		switch r.BaselineState {
		case "new":
			if r.RuleID != "lockorder/abba" || uri != abbaFile {
				t.Errorf("new result %s in %s, want the lockorder/abba in %s", r.RuleID, uri, abbaFile)
			}
		case "absent":
			if r.RuleID != "refcount/leak" || uri != leakFile {
				t.Errorf("absent result %s in %s, want the refcount/leak in %s", r.RuleID, uri, leakFile)
			}
		case "unchanged":
		default:
			t.Errorf("result %s in %s has baselineState %q", r.RuleID, uri, r.BaselineState)
		}
	}
	if counts["new"] != 1 || counts["absent"] != 1 || counts["unchanged"] != len(baseResults)-1 || len(results) != len(baseResults)+1 {
		t.Errorf("baseline states %v over %d results, want 1 new, 1 absent and %d unchanged", counts, len(results), len(baseResults)-1)
	}

	text, _, code := runKcheck(t, bin, root, "--no-progress", "--baseline", base, "--fail-on", "new", "drivers")
	if code != 1 {
		t.Errorf("patched run with --fail-on new: exit %d, want 1", code)
	}
	if n := strings.Count(text, "[new]"); n != 1 || !strings.Contains(text, "seedok_hub_port_flush") {
		t.Errorf("text output marks %d findings [new], want the new cycle only:\n%s", n, text)
	}

	// The new cycle suppressed: the gate passes again.
	var fp string
	for _, r := range results {
		if r.BaselineState == "new" {
			fp = r.PartialFingerprints["kcheck/v1"]
		}
	}
	supp := filepath.Join(t.TempDir(), "suppressions")
	if err := os.WriteFile(supp, []byte("# reviewed\n"+fp+" the flush runs before the hub is registered\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, se, code = runKcheck(t, bin, root, "--no-progress", "--format", "sarif", "--baseline", base, "--fail-on", "new", "--suppressions", supp, "drivers")
	if code != 0 {
		t.Errorf("suppressed new finding still fails --fail-on new: exit %d\n%s", code, se)
	}
	suppressed := 0
	for _, r := range sarifResults(t, out) {
		if r.Suppressions == nil {
			t.Errorf("%s: no suppressions array although a suppressions file is in use", r.RuleID)
		}
		if len(r.Suppressions) > 0 {
			suppressed++
			if r.PartialFingerprints["kcheck/v1"] != fp || r.Suppressions[0].Kind != "external" || r.Suppressions[0].Justification != "the flush runs before the hub is registered" {
				t.Errorf("unexpected suppression %+v on %v", r.Suppressions, r.PartialFingerprints)
			}
		}
	}
	if suppressed != 1 {
		t.Errorf("%d suppressed results, want 1", suppressed)
	}
	out, _, _ = runKcheck(t, bin, root, "--no-progress", "--format", "sarif", "--baseline", base, "--suppressions", supp, "--omit-suppressed", "drivers")
	if strings.Contains(out, fp) {
		t.Errorf("--omit-suppressed kept the suppressed result")
	}

	// --diff: only the finding on the added lines is reported.
	diff := filepath.Join(t.TempDir(), "patch.diff")
	lines := strings.Count(string(b), "\n")
	hunk := "--- a/" + abbaFile + "\n+++ b/" + abbaFile + "\n@@ -" + itoa(lines) + ",0 +" + itoa(lines+1) + "," + itoa(strings.Count(abbaNew, "\n")) + " @@\n"
	for _, l := range strings.SplitAfter(abbaNew, "\n") {
		if l != "" {
			hunk += "+" + l
		}
	}
	if err := os.WriteFile(diff, []byte(hunk), 0o644); err != nil {
		t.Fatal(err)
	}
	out, se, code = runKcheck(t, bin, root, "--no-progress", "--format", "sarif", "--diff", diff, "drivers")
	if code != 1 {
		t.Errorf("--diff run: exit %d, want 1\n%s", code, se)
	}
	if rs := sarifResults(t, out); len(rs) != 1 || rs[0].RuleID != "lockorder/abba" {
		t.Errorf("--diff reported %+v, want only the new lockorder/abba", rs)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestSuppressionsNeedReason checks that a suppression without a reason is
// a usage error naming the file and line.
func TestSuppressionsNeedReason(t *testing.T) {
	root, _ := filepath.Abs(minikernel)
	supp := filepath.Join(t.TempDir(), "supp")
	if err := os.WriteFile(supp, []byte("# comment\n\n0123abcd:1 known\n0123abce:1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var so, se strings.Builder
	if code := run([]string{"--no-progress", "--suppressions", supp, filepath.Join(root, "drivers/platform")}, &so, &se); code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	if want := supp + ":4: suppression of 0123abce:1 has no reason"; !strings.Contains(se.String(), want) {
		t.Errorf("stderr %q lacks %q", se.String(), want)
	}
}
