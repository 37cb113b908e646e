// Package checktest runs a checker over self-written kernel-style C files
// and compares its findings with the expectations written next to the code,
// the way golang.org/x/tools/go/analysis/analysistest does for Go:
//
//	mutex_lock(&a->lock);   // want "possible circular locking dependency"
//
// Each `// want "re" ["re"...]` comment expects, on its line, one
// diagnostic per regexp whose "message [rule-id]" matches it. A diagnostic
// nothing expected fails the test, and so does an expectation that nothing
// matched, so a test of a fixed twin (no want comment) asserts silence.
//
// The C files are analysed as units of a temporary copy of the miniature
// kernel tree testdata/minikernel (its include/ and arch/ stub headers, with
// synthesized kbuild flags), through the real front end, call graph and
// checker: what the tests check is what kcheck does.
package checktest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"kcheck/callgraph"
	"kcheck/checks"
	"kcheck/frontend"
)

// Result is what Run found, for tests that assert more than want comments
// (related locations, flows).
type Result struct {
	Program     *frontend.Program
	Graph       *callgraph.Graph
	Diagnostics []checks.Diagnostic
}

// moduleRoot finds the directory holding go.mod above the working
// directory (the test's package directory).
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

// copyDir copies a directory tree.
func copyDir(src, dst string) error {
	return filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if fi.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

// NewTree makes a temporary kernel tree from testdata/minikernel's
// skeleton (top Makefile, Kbuild, include/, arch/) and copies the .c and .h
// files of dir into drivers/checktest/ of it. It returns the tree root and
// the copied .c files (absolute, sorted).
func NewTree(t testing.TB, dir string) (string, []string) {
	t.Helper()
	mod, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	mini := filepath.Join(mod, "testdata", "minikernel")
	root := t.TempDir()
	for _, p := range []string{"Makefile", "Kbuild", "include", "arch"} {
		if err := copyDir(filepath.Join(mini, p), filepath.Join(root, p)); err != nil {
			t.Fatalf("copy minikernel %s: %v", p, err)
		}
	}
	dst := filepath.Join(root, "drivers", "checktest")
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var cfiles, objs []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !(strings.HasSuffix(name, ".c") || strings.HasSuffix(name, ".h")) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, ".c") {
			cfiles = append(cfiles, filepath.Join(dst, name))
			objs = append(objs, strings.TrimSuffix(name, ".c")+".o")
		}
	}
	if len(cfiles) == 0 {
		t.Fatalf("no .c files in %s", dir)
	}
	mk := "obj-y += " + strings.Join(objs, " ") + "\n"
	if err := os.WriteFile(filepath.Join(dst, "Makefile"), []byte(mk), 0o644); err != nil {
		t.Fatal(err)
	}
	sort.Strings(cfiles)
	return root, cfiles
}

// Analyse runs the front end, the call graph and checker c over the C
// files of dir (see NewTree) and returns the findings, failing the test if
// a unit could not be analysed.
func Analyse(t testing.TB, c *checks.Checker, dir string, opts map[string]string) (*Result, string) {
	t.Helper()
	root, cfiles := NewTree(t, dir)
	prog, err := frontend.Load(context.Background(), frontend.Options{Paths: []string{filepath.Join(root, "drivers", "checktest")}, RePanic: true})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	for _, f := range prog.Failures {
		t.Errorf("unit %s failed: %s", f.File, f.Reason)
	}
	if len(prog.Units) != len(cfiles) {
		t.Fatalf("%d units analysed, want %d", len(prog.Units), len(cfiles))
	}
	for _, u := range prog.Units {
		for _, p := range u.Problems {
			t.Errorf("%s: lowering problem: %s", u.File, p)
		}
	}
	g := callgraph.Build(prog.Units)
	res := &Result{Program: prog, Graph: g}
	if c != nil {
		pass := checks.NewPass(c, prog.Units, g, opts, func(d checks.Diagnostic) {
			res.Diagnostics = append(res.Diagnostics, d)
		})
		if err := c.Run(pass); err != nil {
			t.Fatalf("checker %s: %v", c.Name, err)
		}
	}
	return res, root
}

var (
	wantComment = regexp.MustCompile(`//\s*want\s+(.*)$`)
	wantString  = regexp.MustCompile(`"((?:[^"\\]|\\.)*)"`)
)

type expectation struct {
	file string // relative to the tree root
	line int
	re   *regexp.Regexp
	met  bool
}

// Run analyses dir with checker c and checks the findings against the
// `// want` comments of its C files. Diagnostics located outside the
// copied files (in the stub headers) are errors too.
func Run(t *testing.T, c *checks.Checker, dir string, opts map[string]string) *Result {
	t.Helper()
	res, root := Analyse(t, c, dir, opts)
	var found []Finding
	for _, d := range res.Diagnostics {
		found = append(found, Finding{File: d.Pos.File, Line: d.Pos.Line, Text: d.Message + " [" + d.Rule + "]"})
	}
	match(t, wants(t, root, filepath.Join("drivers", "checktest")), found)
	return res
}

// Finding is a reported diagnostic as the want matching sees it: its
// primary location and "message [rule-id]".
type Finding struct {
	File string // relative to the tree root
	Line int
	Text string
}

// textLine is one top-level line of kcheck's text output.
var textLine = regexp.MustCompile(`^([^\s:][^:]*):(\d+):\d+: (?:error|warning|note): (.*)$`)

// MatchWants checks kcheck's text output (the top-level finding lines)
// against the `// want` comments of the C files in dir (relative to the
// tree root): the end-to-end form of Run, for the miniature tree's seeded
// bugs.
func MatchWants(t *testing.T, root, dir, textOutput string) {
	t.Helper()
	var found []Finding
	for _, line := range strings.Split(textOutput, "\n") {
		m := textLine.FindStringSubmatch(line)
		if m == nil || strings.HasSuffix(m[3], "[kcheck/unit]") {
			continue
		}
		n, _ := strconv.Atoi(m[2])
		found = append(found, Finding{File: m[1], Line: n, Text: m[3]})
	}
	match(t, wants(t, root, dir), found)
}

// wants collects the `// want` expectations of the .c and .h files in dir.
func wants(t *testing.T, root, dir string) []*expectation {
	t.Helper()
	var exps []*expectation
	files, _ := filepath.Glob(filepath.Join(root, dir, "*.[ch]"))
	sort.Strings(files)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, f)
		rel = filepath.ToSlash(rel)
		for i, line := range strings.Split(string(data), "\n") {
			m := wantComment.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			for _, s := range wantString.FindAllStringSubmatch(m[1], -1) {
				pat := strings.ReplaceAll(s[1], `\"`, `"`)
				re, err := regexp.Compile(pat)
				if err != nil {
					t.Fatalf("%s:%d: bad want regexp %q: %v", rel, i+1, pat, err)
				}
				exps = append(exps, &expectation{file: rel, line: i + 1, re: re})
			}
		}
	}
	return exps
}

// match pairs findings with expectations: an unexpected finding and an
// unmet expectation both fail the test.
func match(t *testing.T, exps []*expectation, found []Finding) {
	t.Helper()
	sort.SliceStable(found, func(i, j int) bool { // for determinism
		if found[i].File != found[j].File {
			return found[i].File < found[j].File
		}
		return found[i].Line < found[j].Line
	})
	for _, d := range found {
		matched := false
		for _, e := range exps {
			if !e.met && e.file == d.File && e.line == d.Line && e.re.MatchString(d.Text) {
				e.met = true
				matched = true
				break
			}
		}
		if !matched {
			t.Errorf("%s:%d: unexpected diagnostic: %s", d.File, d.Line, d.Text)
		}
	}
	for _, e := range exps {
		if !e.met {
			t.Errorf("%s:%d: no diagnostic matched %q", e.file, e.line, e.re)
		}
	}
}
