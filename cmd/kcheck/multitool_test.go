package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// validateSARIF runs Microsoft's SARIF Multitool (`validate --rule-kind
// "Sarif;Ghas"`: the SARIF spec rules and GitHub's ingestion rules) on a
// SARIF file when KCHECK_SARIF_MULTITOOL names its binary (.ci/run installs
// it from npm), and fails the test on any error-level result.
func validateSARIF(t *testing.T, path string) {
	t.Helper()
	tool := os.Getenv("KCHECK_SARIF_MULTITOOL")
	if tool == "" {
		t.Logf("SARIF Multitool not run on %s: KCHECK_SARIF_MULTITOOL not set", path)
		return
	}
	out := filepath.Join(t.TempDir(), "validation.sarif")
	if b, err := exec.Command(tool, "validate", "--rule-kind", "Sarif;Ghas", "--log", "ForceOverwrite", "-o", out, path).CombinedOutput(); err != nil {
		t.Fatalf("multitool validate %s: %v\n%s", path, err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID  string `json:"ruleId"`
				Level   string `json:"level"`
				Message struct {
					Text string `json:"text"`
				} `json:"message"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatalf("multitool output: %v", err)
	}
	errs, warns := 0, 0
	for _, r := range log.Runs {
		for _, res := range r.Results {
			switch res.Level {
			case "error":
				errs++
				t.Errorf("multitool: %s: %s", res.RuleID, res.Message.Text)
			default:
				warns++
				t.Logf("multitool %s: %s: %s", res.Level, res.RuleID, res.Message.Text)
			}
		}
	}
	t.Logf("SARIF Multitool on %s: %d errors, %d warnings/notes", filepath.Base(path), errs, warns)
}
