package reports

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kcheck/checks"
	"kcheck/frontend/ir"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// fakeChecker is handed to the writers directly, never registered: the
// reports must describe exactly the checkers they are given.
func fakeChecker() *checks.Checker {
	return &checks.Checker{
		Name: "fake",
		Doc:  "fake: a checker for testing the report writers.",
		URL:  "https://example.org/kcheck/fake",
		Rules: []*checks.Rule{
			{
				ID: "fake/order", Name: "FakeOrder",
				Short: "Locks taken in two orders.", Full: "Two paths take the same two locks in opposite orders.",
				Help: "Take the locks in one order.", HelpMarkdown: "Take the locks in **one** order.",
				Level: checks.LevelError, Tags: []string{"locking", "external/cwe/cwe-833"}, Precision: "high",
			},
			{
				ID: "fake/leak", Name: "FakeLeak",
				Short: "A reference is not released.", Full: "A path to the function's exit neither releases nor hands off a reference it took.",
				Help: "Release the reference on every path.", Level: checks.LevelWarning,
				Tags: []string{"refcount", "external/cwe/cwe-911"}, Precision: "medium", SecuritySeverity: "5.0",
			},
		},
		Run: func(*checks.Pass) error { return nil },
	}
}

func pos(file string, line, col int) ir.Pos { return ir.Pos{File: file, Line: line, Col: col} }

const root = "/src/linux"

// sources are the files Run.Source serves: line 20 of a.c has a two-byte
// character before the call, so its byte column 11 is UTF-16 column 10.
var sources = map[string]string{
	"drivers/usb/a.c": strings.Repeat("\n", 19) + "\t/* \u00e9 */ put(np);\n",
}

func testRun() *Run {
	return &Run{
		Root:        root,
		Checkers:    []*checks.Checker{fakeChecker()},
		Category:    "kcheck/x86_64-defconfig/",
		ToolVersion: "0.1.0",
		Units:       3,
		Source: func(file string) ([]byte, error) {
			if s, ok := sources[file]; ok {
				return []byte(s), nil
			}
			return nil, errors.New("no such file")
		},
		Diagnostics: []checks.Diagnostic{
			{
				Rule: "fake/leak", Pos: pos("drivers/usb/a.c", 20, 11),
				Message:  "reference from [of_node_get](1) is not released on this path",
				Function: "probe", Key: "np",
				Related: []checks.Related{{ID: 1, Pos: pos("drivers/usb/a.c", 10, 7), Message: "reference taken here"}},
				Flows: []checks.Flow{{Message: "error path", Steps: []checks.Step{
					{Pos: pos("drivers/usb/a.c", 10, 7), Message: "np = of_node_get(...)", Importance: checks.Essential},
					{Pos: pos("drivers/usb/a.c", 12, 2), Message: "ret < 0 taken", Importance: checks.Important},
					{Pos: pos("", 0, 0), Message: "a step with no place", Importance: checks.Unimportant},
					{Pos: pos("drivers/usb/a.c", 14, 2), Message: "plain step", Importance: checks.Unimportant},
					{Pos: pos("drivers/usb/a.c", 20, 11), Message: "return without of_node_put", Importance: checks.Essential},
				}}},
			},
			// The same finding again further down: the fingerprints differ
			// only by the occurrence counter.
			{
				Rule: "fake/leak", Pos: pos("drivers/usb/a.c", 31, 3),
				Message:  "reference from [of_node_get](1) is not released on this path",
				Function: "probe", Key: "np",
				Related: []checks.Related{{ID: 1, Pos: pos("drivers/usb/a.c", 25, 7), Message: "reference taken here"}},
			},
			// Line and column 0 must be clamped; the related location is a
			// compiler header outside the tree; the flow is deep.
			{
				Rule: "fake/order", Pos: pos("drivers/usb/b.c", 0, 0),
				Message:  "lock [&hub->lock](1) taken after [&dev->mutex](2) here, and in the opposite order in [hub_event](3)",
				Function: "hub_port_reset", Key: "hub->lock,dev->mutex",
				Related: []checks.Related{
					{ID: 1, Pos: pos("drivers/usb/b.c", 40, 2), Message: "hub->lock taken here"},
					{ID: 2, Pos: pos("/usr/lib/gcc/x86_64-linux-gnu/12/include/stddef.h", 5, 1), Message: "dev->mutex taken here"},
					{ID: 3, Pos: pos("drivers/usb/c.c", 0, 0), Message: "opposite order"},
				},
				Flows: []checks.Flow{{Steps: []checks.Step{
					{Pos: pos("drivers/usb/b.c", 1, 1), Message: "s1", Importance: checks.Essential},
					{Pos: pos("drivers/usb/b.c", 2, 1), Message: "s2", Nesting: 1},
					{Pos: pos("drivers/usb/b.c", 3, 1), Message: "s3", Nesting: 2},
					{Pos: pos("drivers/usb/b.c", 4, 1), Message: "s4", Nesting: 3},
					{Pos: pos("drivers/usb/b.c", 5, 1), Message: "s5", Nesting: 2},
					{Pos: pos("drivers/usb/b.c", 6, 1), Message: "s6", Nesting: 1},
					{Pos: pos("drivers/usb/b.c", 7, 1), Message: "s7", Importance: checks.Essential},
				}}},
			},
			// A rule no enabled checker declares, with a level override.
			{Rule: "other/thing", Pos: pos("drivers/usb/a.c", 5, 1), Message: "something", Level: checks.LevelNote},
			// No position at all: a notification, not a result.
			{Rule: "fake/leak", Message: "lost its position", Function: "f"},
		},
		Failures: []Failure{{File: "drivers/usb/bad.c", Reason: "parse: unexpected '{'"}},
	}
}

func render(t *testing.T, r *Run, write func(io.Writer, *Run) error) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := write(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var writers = []struct {
	name  string
	write func(io.Writer, *Run) error
}{
	{"report.sarif", WriteSARIF},
	{"report.txt", WriteText},
	{"report.json", WriteJSON},
}

func TestGolden(t *testing.T) {
	for _, w := range writers {
		got := render(t, testRun(), w.write)
		path := filepath.Join("testdata", w.name)
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the golden file; got:\n%s", w.name, got)
		}
	}
}

func decodeSARIF(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var log map[string]any
	if err := json.Unmarshal(b, &log); err != nil {
		t.Fatalf("invalid JSON: %v", err)
	}
	return log
}

// at walks a decoded JSON document: string keys index objects, ints arrays.
func at(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			a, _ := v.([]any)
			if k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

func TestEmptyRunIsMinimalValidSARIF(t *testing.T) {
	r := &Run{Root: root, Failures: []Failure{{File: "drivers/usb/bad.c", Reason: "parse error"}}}
	out := render(t, r, WriteSARIF)
	if !bytes.Contains(out, []byte(`"results": []`)) {
		t.Errorf("results must be an empty array:\n%s", out)
	}
	if !bytes.HasSuffix(out, []byte("}\n")) {
		t.Error("no trailing newline")
	}
	log := decodeSARIF(t, out)
	if at(log, "version") != "2.1.0" || !strings.HasSuffix(at(log, "$schema").(string), "sarif-2.1.0.json") {
		t.Errorf("bad version or schema")
	}
	if n := len(at(log, "runs").([]any)); n != 1 {
		t.Errorf("%d runs", n)
	}
	run := at(log, "runs", 0)
	if rules := at(run, "tool", "driver", "rules").([]any); len(rules) != 0 {
		t.Errorf("rules = %v, want []", rules)
	}
	notes := at(run, "invocations", 0, "toolExecutionNotifications").([]any)
	if len(notes) != 1 {
		t.Fatalf("%d notifications, want 1", len(notes))
	}
	if at(notes[0], "level") != "error" || !strings.Contains(at(notes[0], "message", "text").(string), "drivers/usb/bad.c") {
		t.Errorf("notification = %v", notes[0])
	}
	if at(notes[0], "locations", 0, "physicalLocation", "artifactLocation", "uri") != "drivers/usb/bad.c" {
		t.Errorf("notification location = %v", at(notes[0], "locations"))
	}
	// Nothing analysed: the run failed.
	if at(run, "invocations", 0, "executionSuccessful") != false {
		t.Error("a run whose only unit failed must not be successful")
	}
	if at(run, "automationDetails", "id") != DefaultCategory || at(run, "columnKind") != "utf16CodeUnits" {
		t.Errorf("automationDetails or columnKind wrong")
	}
	if at(run, "originalUriBaseIds", "%SRCROOT%", "uri") != "file:///src/linux/" {
		t.Errorf("originalUriBaseIds = %v", at(run, "originalUriBaseIds"))
	}

	// Some units analysed: a partial but successful run.
	r.Units = 2
	log = decodeSARIF(t, render(t, r, WriteSARIF))
	if at(log, "runs", 0, "invocations", 0, "executionSuccessful") != true {
		t.Error("a partial run with analysed units must be successful")
	}
}

// walk calls fn on every object member of a decoded JSON document.
func walk(v any, fn func(key string, val any)) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			fn(k, e)
			walk(e, fn)
		}
	case []any:
		for _, e := range x {
			walk(e, fn)
		}
	}
}

func TestNoZeroLinesOrColumns(t *testing.T) {
	log := decodeSARIF(t, render(t, testRun(), WriteSARIF))
	n := 0
	walk(log, func(k string, v any) {
		if k == "startLine" || k == "startColumn" {
			n++
			if f, ok := v.(float64); !ok || f < 1 {
				t.Errorf("%s = %v", k, v)
			}
		}
	})
	if n == 0 {
		t.Fatal("no regions found")
	}
	text := string(render(t, testRun(), WriteText))
	if !strings.Contains(text, "drivers/usb/b.c:1:1: error: ") || strings.Contains(text, ":0:") {
		t.Errorf("text positions not clamped:\n%s", text)
	}
}

func TestOrderIndependent(t *testing.T) {
	want := make(map[string][]byte)
	for _, w := range writers {
		want[w.name] = render(t, testRun(), w.write)
	}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 20; i++ {
		r := testRun()
		rng.Shuffle(len(r.Diagnostics), func(i, j int) { r.Diagnostics[i], r.Diagnostics[j] = r.Diagnostics[j], r.Diagnostics[i] })
		r.Failures = append(r.Failures, Failure{File: "drivers/usb/another.c", Reason: "x"})
		rng.Shuffle(len(r.Failures), func(i, j int) { r.Failures[i], r.Failures[j] = r.Failures[j], r.Failures[i] })
		base := testRun()
		base.Failures = append(base.Failures, Failure{File: "drivers/usb/another.c", Reason: "x"})
		// Duplicated diagnostics are reported once.
		r.Diagnostics = append(r.Diagnostics, r.Diagnostics[0])
		for _, w := range writers {
			if got, exp := render(t, r, w.write), render(t, base, w.write); !bytes.Equal(got, exp) {
				t.Fatalf("%s depends on the input order:\n%s\nwant:\n%s", w.name, got, exp)
			}
		}
	}
}

func TestEveryRuleIDDeclared(t *testing.T) {
	log := decodeSARIF(t, render(t, testRun(), WriteSARIF))
	run := at(log, "runs", 0)
	rules := at(run, "tool", "driver", "rules").([]any)
	var ids []string
	for _, r := range rules {
		id := at(r, "id").(string)
		ids = append(ids, id)
		for _, k := range []any{[]any{"shortDescription", "text"}, []any{"fullDescription", "text"}, []any{"help", "text"}, []any{"name"}} {
			if s, _ := at(r, k.([]any)...).(string); s == "" {
				t.Errorf("rule %s lacks %v", id, k)
			}
		}
		if at(r, "name") == id {
			t.Errorf("rule %s: name equals id", id)
		}
	}
	if want := "fake/leak fake/order other/thing"; strings.Join(ids, " ") != want {
		t.Errorf("rules = %v, want %s (sorted, with the undeclared one)", ids, want)
	}
	results := at(run, "results").([]any)
	if len(results) != 4 {
		t.Fatalf("%d results, want 4 (the one without a position is a notification)", len(results))
	}
	for _, res := range results {
		id := at(res, "ruleId").(string)
		idx := int(at(res, "ruleIndex").(float64))
		if ids[idx] != id {
			t.Errorf("result of %s has ruleIndex %d (%s)", id, idx, ids[idx])
		}
		if n := len(at(res, "locations").([]any)); n != 1 {
			t.Errorf("result of %s has %d locations", id, n)
		}
		if at(res, "locations", 0, "physicalLocation", "artifactLocation", "uri") == "" || at(res, "message", "text") == "" {
			t.Errorf("result of %s lacks uri or message", id)
		}
	}
	if lvl := at(results[0], "level"); at(results[0], "ruleId") != "other/thing" || lvl != "note" {
		t.Errorf("first result %v level %v: want the note at a.c:5", at(results[0], "ruleId"), lvl)
	}
}

func TestLocationsAndFlows(t *testing.T) {
	log := decodeSARIF(t, render(t, testRun(), WriteSARIF))
	results := at(log, "runs", 0, "results").([]any)
	leak := results[1] // a.c:20
	if at(leak, "locations", 0, "physicalLocation", "region", "startColumn") != 10.0 {
		t.Errorf("byte column 11 after a two-byte character must be UTF-16 column 10, got %v",
			at(leak, "locations", 0, "physicalLocation", "region", "startColumn"))
	}
	steps := at(leak, "codeFlows", 0, "threadFlows", 0, "locations").([]any)
	if len(steps) != 4 {
		t.Fatalf("%d steps, want 4 (the one without a file dropped)", len(steps))
	}
	if at(steps[0], "importance") != "essential" || at(steps[0], "location", "message", "text") != "np = of_node_get(...)" {
		t.Errorf("step 0 = %v", steps[0])
	}
	order := results[3] // b.c:0 clamped to 1 sorts first in b.c
	if at(order, "ruleId") != "fake/order" {
		t.Fatalf("results[3] is %v", at(order, "ruleId"))
	}
	rel := at(order, "relatedLocations").([]any)
	if at(rel[1], "id") != 2.0 || at(rel[1], "physicalLocation", "artifactLocation", "uri") != "file:///usr/lib/gcc/x86_64-linux-gnu/12/include/stddef.h" ||
		at(rel[1], "physicalLocation", "artifactLocation", "uriBaseId") != nil {
		t.Errorf("outside-tree related location = %v", rel[1])
	}
	if at(rel[0], "physicalLocation", "artifactLocation", "uriBaseId") != "%SRCROOT%" {
		t.Errorf("in-tree related location = %v", rel[0])
	}
	if n := at(steps[2], "nestingLevel"); n != 0.0 {
		t.Errorf("nestingLevel = %v", n)
	}
}

func TestFingerprints(t *testing.T) {
	fps := func(r *Run) []string {
		log := decodeSARIF(t, render(t, r, WriteSARIF))
		var out []string
		for _, res := range at(log, "runs", 0, "results").([]any) {
			out = append(out, at(res, "partialFingerprints", FingerprintKey).(string))
		}
		return out
	}
	base := fps(testRun())
	seen := map[string]bool{}
	for _, f := range base {
		if seen[f] {
			t.Errorf("fingerprint %s not unique", f)
		}
		seen[f] = true
	}
	// The two equal leaks in a.c differ only by the occurrence counter.
	a, b := base[1], base[2]
	if !strings.HasSuffix(a, ":1") || !strings.HasSuffix(b, ":2") || a[:len(a)-2] != b[:len(b)-2] {
		t.Errorf("equal findings in one file: %s, %s", a, b)
	}
	// Code moving by ten lines changes no fingerprint.
	moved := testRun()
	for i := range moved.Diagnostics {
		d := &moved.Diagnostics[i]
		if d.Pos.File != "" {
			d.Pos.Line += 10
		}
	}
	if got := fps(moved); strings.Join(got, " ") != strings.Join(base, " ") {
		t.Errorf("fingerprints changed when code moved:\n%v\n%v", got, base)
	}
	// A different object is a different finding.
	other := testRun()
	other.Diagnostics[0].Key = "child"
	if got := fps(other); got[1] == base[1] {
		t.Error("fingerprint ignores the key")
	}
}

func TestText(t *testing.T) {
	text := string(render(t, testRun(), WriteText))
	for _, want := range []string{
		"drivers/usb/a.c:20:11: warning: reference from of_node_get (drivers/usb/a.c:10) is not released on this path [fake/leak]\n" +
			"    drivers/usb/a.c:10:7: note: reference taken here\n" +
			"    drivers/usb/a.c:10:7: note: error path:\n" +
			"      drivers/usb/a.c:10:7: note: np = of_node_get(...)\n" +
			"      drivers/usb/a.c:12:2: note: ret < 0 taken\n" +
			"      drivers/usb/a.c:20:11: note: return without of_node_put\n",
		"drivers/usb/bad.c: error: cannot analyse: parse: unexpected '{' [kcheck/unit]\n",
		"      ... 2 more steps\n",
		"kcheck: warning: finding without a source position: lost its position [fake/leak]\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks\n%s\ngot:\n%s", want, text)
		}
	}
}

func TestLocate(t *testing.T) {
	for _, tc := range []struct {
		file, uri, base string
		ok              bool
	}{
		{"drivers/usb/a.c", "drivers/usb/a.c", "%SRCROOT%", true},
		{"./drivers//usb/a.c", "drivers/usb/a.c", "%SRCROOT%", true},
		{"/src/linux/include/linux/x.h", "include/linux/x.h", "%SRCROOT%", true},
		{"/src/linuxextra/x.h", "file:///src/linuxextra/x.h", "", true},
		{"../outside.h", "file:///src/outside.h", "", true},
		{"drivers/a b:c.c", "drivers/a%20b%3Ac.c", "%SRCROOT%", true},
		{"", "", "", false},
	} {
		pl, ok := locate(root, tc.file)
		if ok != tc.ok || pl.uri != tc.uri || pl.baseID != tc.base {
			t.Errorf("locate(%q) = %+v, %v; want %q %q %v", tc.file, pl, ok, tc.uri, tc.base, tc.ok)
		}
	}
}
