package reports

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMultitool validates the golden run and an empty run with Microsoft's
// SARIF Multitool (SARIF spec rules and GitHub's ingestion rules) when
// KCHECK_SARIF_MULTITOOL names its binary (npm @microsoft/sarif-multitool,
// node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool). Zero
// errors is the bar; warnings are logged.
func TestMultitool(t *testing.T) {
	tool := os.Getenv("KCHECK_SARIF_MULTITOOL")
	if tool == "" {
		t.Skip("KCHECK_SARIF_MULTITOOL not set")
	}
	empty := &Run{Root: root, InformationURI: "https://example.org/kcheck", Failures: []Failure{{File: "drivers/usb/bad.c", Reason: "parse error"}}}
	full := testRun()
	full.InformationURI = "https://example.org/kcheck"
	for name, r := range map[string]*Run{"empty": empty, "full": full} {
		dir := t.TempDir()
		in := filepath.Join(dir, name+".sarif")
		if err := os.WriteFile(in, render(t, r, WriteSARIF), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(tool, "validate", "--rule-kind", "Sarif;Ghas", in, "-o", filepath.Join(dir, "out.sarif")).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: multitool: %v\n%s", name, err, out)
		}
		for _, line := range strings.Split(string(out), "\n") {
			switch {
			case strings.Contains(line, ": error "):
				t.Errorf("%s: %s", name, line)
			case strings.Contains(line, ": warning "), strings.Contains(line, ": note "):
				t.Logf("%s: %s", name, line)
			}
		}
	}
}
