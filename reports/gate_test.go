package reports

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

func TestParseDiff(t *testing.T) {
	diff := `diff --git a/drivers/usb/a.c b/drivers/usb/a.c
--- a/drivers/usb/a.c
+++ b/drivers/usb/a.c
@@ -10,4 +10,5 @@ static int f(void)
 	int x;
-	x = 1;
+	x = 2;
+	y = 3;
 	return x;
\ No newline at end of file
@@ -40,0 +42 @@
+added
--- a/drivers/usb/gone.c
+++ /dev/null
@@ -1 +0,0 @@
-gone
`
	got, err := ParseDiff(strings.NewReader(diff))
	if err != nil {
		t.Fatal(err)
	}
	want := ChangedLines{"drivers/usb/a.c": {11: true, 12: true, 42: true}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseDiff = %v, want %v", got, want)
	}
	if _, err := ParseDiff(strings.NewReader("+++ b/x.c\n@@ nonsense @@\n")); err == nil {
		t.Error("malformed hunk header accepted")
	}
}

func TestSuppressionsFile(t *testing.T) {
	s, err := ReadSuppressions("s.txt", strings.NewReader("# c\n\nabc:2 reason one\nfff\t tab reason\n"))
	if err != nil {
		t.Fatal(err)
	}
	for fp, want := range map[string]string{"abc:2": "reason one", "abc:1": "", "fff:7": "tab reason"} {
		if got, _ := s.reason(fp); got != want {
			t.Errorf("reason(%s) = %q, want %q", fp, got, want)
		}
	}
	if _, err := ReadSuppressions("s.txt", strings.NewReader("abc:1 ok\nabc:x y\n")); err == nil || !strings.Contains(err.Error(), "s.txt:2:") {
		t.Errorf("bad fingerprint: err %v", err)
	}
	if _, err := ReadSuppressions("s.txt", strings.NewReader("abc:1\n")); err == nil || !strings.Contains(err.Error(), "s.txt:1: suppression of abc:1 has no reason") {
		t.Errorf("missing reason: err %v", err)
	}
}

// TestBaselineRoundTrip reads a report back as a baseline: everything is
// unchanged; a baseline with an extra result gives it back as absent, and
// a finding whose message changed on the same line is updated.
func TestBaselineRoundTrip(t *testing.T) {
	r := testRun()
	var first bytes.Buffer
	if err := WriteSARIF(&first, r); err != nil {
		t.Fatal(err)
	}
	b, err := ReadBaseline(bytes.NewReader(first.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	r.Baseline = b
	outs, absent := Outcomes(r)
	if absent != 0 || len(outs) == 0 {
		t.Fatalf("round trip: %d outcomes, %d absent", len(outs), absent)
	}
	for _, o := range outs {
		if o.BaselineState != StateUnchanged && o.Fingerprint != "" {
			t.Errorf("round trip: %s is %s", o.Rule, o.BaselineState)
		}
	}

	// Change the first placed finding's message: its kcheck/v1
	// fingerprint changes, its line does not.
	r2 := testRun()
	changed := -1
	for i, d := range r2.Diagnostics {
		if d.Pos.File == "drivers/usb/a.c" {
			r2.Diagnostics[i].Message += " (reworded)"
			changed = i
			break
		}
	}
	if changed < 0 {
		t.Fatal("testRun has no finding in drivers/usb/a.c")
	}
	r2.Baseline = b
	var out bytes.Buffer
	if err := WriteSARIF(&out, r2); err != nil {
		t.Fatal(err)
	}
	log := decodeSARIF(t, out.Bytes())
	states := map[string]int{}
	for _, res := range at(log, "runs", 0, "results").([]any) {
		states[res.(map[string]any)["baselineState"].(string)]++
	}
	if states[StateUpdated] != 1 || states[StateAbsent] != 0 || states[StateNew] != 0 {
		t.Errorf("reworded finding: states %v, want one updated", states)
	}
}
