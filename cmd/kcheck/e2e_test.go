package main

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"kcheck/checks/checktest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// minikernel is the miniature tree's path from this package.
const minikernel = "../../testdata/minikernel"

// runKcheck runs the binary in dir and returns stdout, stderr and the exit
// status.
func runKcheck(t *testing.T, bin, dir string, args ...string) (string, string, int) {
	t.Helper()
	var so, se bytes.Buffer
	c := exec.Command(bin, args...)
	c.Dir = dir
	c.Stdout = &so
	c.Stderr = &se
	err := c.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("kcheck %v: %v", args, err)
	}
	return so.String(), se.String(), code
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/kcheck -run TestMinikernel -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the output (rerun with -update if the change is intended):\n%s", path, lineDiff(string(want), got))
	}
}

// lineDiff shows the first lines that differ.
func lineDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			out = append(out, "-"+x, "+"+y)
			if len(out) > 20 {
				break
			}
		}
	}
	return strings.Join(out, "\n")
}

var rootURI = regexp.MustCompile(`"uri": "file://[^"]*"`)

// TestMinikernel runs the binary over the miniature tree, with its seeded
// bugs, and compares SARIF and text output with golden files; the output
// must be byte-identical at -j1 and -j8, and moving the tree must change
// nothing but originalUriBaseIds.
func TestMinikernel(t *testing.T) {
	bin := buildKcheck(t)
	root, err := filepath.Abs(minikernel)
	if err != nil {
		t.Fatal(err)
	}
	sarif1, se, code := runKcheck(t, bin, root, "--format", "sarif", "-j", "1", "drivers")
	if code != 1 {
		t.Fatalf("exit status %d, want 1 (the seeded bugs are findings)\n%s", code, se)
	}
	sarif8, _, _ := runKcheck(t, bin, root, "--format", "sarif", "-j", "8", "drivers")
	if sarif1 != sarif8 {
		t.Errorf("SARIF differs between -j1 and -j8:\n%s", lineDiff(sarif1, sarif8))
	}
	sarifPath := filepath.Join(t.TempDir(), "minikernel.sarif")
	if err := os.WriteFile(sarifPath, []byte(sarif1), 0o644); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, sarifPath)
	normalized := rootURI.ReplaceAllString(sarif1, `"uri": "file:///ROOT/"`)
	golden(t, "minikernel.sarif", normalized)

	text, _, _ := runKcheck(t, bin, root, "drivers")
	golden(t, "minikernel.txt", text)

	// The same tree somewhere else.
	moved := filepath.Join(t.TempDir(), "elsewhere", "linux")
	if err := os.MkdirAll(moved, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("cp", "-a", root+"/.", moved).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v\n%s", err, out)
	}
	sarifMoved, _, _ := runKcheck(t, bin, moved, "--format", "sarif", "drivers")
	if rootURI.ReplaceAllString(sarifMoved, `"uri": "file:///ROOT/"`) != normalized {
		t.Errorf("moving the tree changed more than originalUriBaseIds:\n%s", lineDiff(normalized, rootURI.ReplaceAllString(sarifMoved, `"uri": "file:///ROOT/"`)))
	}
	if strings.Contains(sarifMoved, root) {
		t.Errorf("SARIF of the moved tree mentions the original path %s", root)
	}
}

// TestSeededWants checks every seeded bug in the miniature tree against its
// `// want` comment through the real pipeline, with all checkers: each
// seeded bug is found where it is annotated, and nothing else in the
// seeded directories is reported.
func TestSeededWants(t *testing.T) {
	root, err := filepath.Abs(minikernel)
	if err != nil {
		t.Fatal(err)
	}
	dirs, _ := filepath.Glob(filepath.Join(root, "drivers", "seeded_*"))
	if len(dirs) < 4 {
		t.Fatalf("found %d seeded directories, want one per checker", len(dirs))
	}
	bin := buildKcheck(t)
	for _, dir := range dirs {
		rel, _ := filepath.Rel(root, dir)
		out, se, code := runKcheck(t, bin, root, rel)
		if code > 1 {
			t.Fatalf("%s: exit %d\n%s", rel, code, se)
		}
		checktest.MatchWants(t, root, rel, out)
	}
}

// TestExitStatus checks the contract CI scripts depend on.
func TestExitStatus(t *testing.T) {
	root, _ := filepath.Abs(minikernel)
	for _, tc := range []struct {
		name string
		args []string
		want int
		msg  string
	}{
		{"clean", []string{"--no-progress", filepath.Join(root, "drivers/platform")}, 0, ""},
		{"findings", []string{"--no-progress", filepath.Join(root, "drivers/seeded_dma")}, 1, ""},
		{"fail-on error ignores warnings", []string{"--no-progress", "--fail-on", "error", filepath.Join(root, "drivers/seeded_dma")}, 0, ""},
		{"missing path", []string{"/nonexistent/kcheck"}, 2, "no such file or directory"},
		{"outside a tree", []string{os.TempDir()}, 2, "not inside a kernel tree"},
		{"bad format", []string{"--format", "xml", root}, 2, "must be text, sarif or json"},
		{"unknown checker", []string{"--checks", "nosuch", root}, 2, "unknown checker"},
		{"no path", nil, 2, "usage"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var so, se bytes.Buffer
			if got := run(tc.args, &so, &se); got != tc.want {
				t.Errorf("exit %d, want %d\nstderr: %s", got, tc.want, se.String())
			}
			if tc.msg != "" && !strings.Contains(se.String(), tc.msg) {
				t.Errorf("stderr %q lacks %q", se.String(), tc.msg)
			}
		})
	}
}
