package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

// buildKcheck builds the kcheck binary once per test binary run.
func buildKcheck(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "kcheck")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

var unitsLine = regexp.MustCompile(`units: (\d+) found, (\d+) parsed, (\d+) failed`)

// runStats runs kcheck --stats in dir and returns found, parsed, failed and
// the stderr text.
func runStats(t *testing.T, bin, dir string, args ...string) (found, parsed, failed int, stderr string) {
	t.Helper()
	var so, se bytes.Buffer
	c := exec.Command(bin, append([]string{"--stats", "--no-progress"}, args...)...)
	c.Dir = dir
	c.Stdout = &so
	c.Stderr = &se
	err := c.Run()
	if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() > 1) {
		t.Fatalf("kcheck %v: %v\n%s", args, err, se.String())
	}
	m := unitsLine.FindStringSubmatch(se.String())
	if m == nil {
		t.Fatalf("kcheck %v: no units line in --stats output:\n%s", args, se.String())
	}
	found, _ = strconv.Atoi(m[1])
	parsed, _ = strconv.Atoi(m[2])
	failed, _ = strconv.Atoi(m[3])
	return found, parsed, failed, se.String()
}

// TestE2ELinux runs kcheck on Linux 6.1 drivers/usb (Debian amd64 config)
// three ways: flags from compile_commands.json, from kbuild's .cmd files
// alone, and synthesized in a tree where only `make prepare` ran. Set
// KCHECK_LINUX (and KCHECK_LINUX_PREPARED) to run it; make e2e-linux does.
func TestE2ELinux(t *testing.T) {
	tree := os.Getenv("KCHECK_LINUX")
	if tree == "" {
		t.Skip("KCHECK_LINUX not set (make e2e-linux sets it)")
	}
	bin := buildKcheck(t)
	const want = 237
	check := func(name string, found, parsed, failed int, stderr string, exactFound bool) {
		t.Logf("%s: %d found, %d parsed, %d failed\n%s", name, found, parsed, failed, stderr)
		if exactFound && found != want {
			t.Errorf("%s: %d units found, want %d", name, found, want)
		}
		if parsed < want-1 {
			t.Errorf("%s: %d units parsed, want at least %d", name, parsed, want-1)
		}
		if parsed+failed != found {
			t.Errorf("%s: parsed %d + failed %d != found %d: a unit disappeared", name, parsed, failed, found)
		}
	}
	t.Run("compile_commands", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "usb.sarif")
		found, parsed, failed, se := runStats(t, bin, tree, "--format", "sarif", "-o", out, "drivers/usb")
		check("compile_commands.json", found, parsed, failed, se, true)
		if fi, err := os.Stat(out); err != nil || fi.Size() == 0 {
			t.Fatalf("no SARIF written: %v", err)
		}
		validateSARIF(t, out)
	})
	t.Run("cmd_files", func(t *testing.T) {
		found, parsed, failed, se := runStats(t, bin, tree, "--compile-commands", "none", "-o", os.DevNull, "drivers/usb")
		check("kbuild .cmd files", found, parsed, failed, se, true)
	})
	t.Run("synthesized", func(t *testing.T) {
		prepared := os.Getenv("KCHECK_LINUX_PREPARED")
		if prepared == "" {
			t.Skip("KCHECK_LINUX_PREPARED not set")
		}
		found, parsed, failed, se := runStats(t, bin, prepared, "-o", os.DevNull, "drivers/usb")
		check("synthesized flags", found, parsed, failed, se, false)
	})
}
