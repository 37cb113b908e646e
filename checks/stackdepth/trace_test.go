package stackdepth

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"kcheck/checks/checktest"
)

const dmesg = `[ 1234.567890] BUG: stack guard page was hit at 000000001f6f7d1e (stack is 00000000a0b5c3f4..00000000c1d2e3f4)
[ 1234.567901] kernel stack overflow (double-fault): 0000 [#1] PREEMPT SMP NOPTI
[ 1234.567950] RIP: 0010:stage_c+0x1f/0x90
[ 1234.568000] Call Trace:
[ 1234.568001]  <TASK>
[ 1234.568002]  stage_c.constprop.0+0x2a/0x90
[ 1234.568003]  ? memset+0x10/0x20
[ 1234.568004]  stage_b+0x44/0xa0 [checktest]
[ 1234.568005]  chain_bad+0x31/0x80 [checktest]
[ 1234.568006]  usb_probe_interface+0xdd/0x2e0
[ 1234.568007]  </TASK>
[ 1234.568008] Modules linked in: checktest
[ 1234.568009] Call Trace:
[ 1234.568010]  other+0x1/0x2
`

func TestParseCallTrace(t *testing.T) {
	got := ParseCallTrace(strings.NewReader(dmesg))
	want := []string{"stage_c", "stage_b", "chain_bad", "usb_probe_interface"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseCallTrace = %q, want %q", got, want)
	}
	if got := ParseCallTrace(strings.NewReader("no trace here\n")); len(got) != 0 {
		t.Errorf("no trace: got %q", got)
	}
}

func TestWorstPathAndTrace(t *testing.T) {
	res, _ := checktest.Analyse(t, nil, filepath.Join("testdata", "path"), nil)
	a := NewAnalysis(res.Graph, res.Program.Units, Options{FrameWarn: 2048, Budget: 8192, Model: DefaultModel})
	rows, err := WorstPath(a, "chain_bad")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	var sum int64
	for _, r := range rows {
		names = append(names, r.Func)
		sum += r.Frame
		if r.Total != sum {
			t.Errorf("%s: total %d, want running sum %d", r.Func, r.Total, sum)
		}
	}
	if want := []string{"chain_bad", "stage_b", "stage_c"}; !reflect.DeepEqual(names, want) {
		t.Errorf("WorstPath = %q, want %q", names, want)
	}
	if _, err := WorstPath(a, "no_such_function"); err == nil {
		t.Error("WorstPath of an unknown function: no error")
	}
	var buf bytes.Buffer
	if err := WriteTable(&buf, rows); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "stage_c") || strings.Count(buf.String(), "\n") != 4 {
		t.Errorf("table:\n%s", buf.String())
	}

	tr := TraceUsage(a, ParseCallTrace(strings.NewReader(dmesg)))
	if len(tr) != 4 || tr[0].Func != "usb_probe_interface" || tr[0].Source != "unknown" || tr[3].Func != "stage_c" {
		t.Fatalf("TraceUsage = %+v", tr)
	}
	if tr[3].Total != rows[2].Total {
		t.Errorf("trace total %d, want the path total %d", tr[3].Total, rows[2].Total)
	}
}

// TestStackUsage checks that GCC's frames replace the estimate exactly,
// and that a static function of a compiled file with no .su line counts
// as inlined (0).
func TestStackUsage(t *testing.T) {
	dir := t.TempDir()
	su := "drivers/checktest/chain.c:9:5:stage_c\t1234\tstatic\n" +
		"drivers/checktest/chain.c:17:5:stage_b.constprop.0\t2000\tstatic\n" +
		"drivers/checktest/chain.c:17:5:stage_b\t1500\tdynamic,bounded\n" +
		"drivers/checktest/chain.c:26:5:chain_bad\t900\tstatic\n"
	if err := os.WriteFile(filepath.Join(dir, "chain.su"), []byte(su), 0o644); err != nil {
		t.Fatal(err)
	}
	res, _ := checktest.Analyse(t, Checker, filepath.Join("testdata", "path"), map[string]string{OptStackBudget: "4096", OptStackUsage: dir})
	if len(res.Diagnostics) != 1 || !strings.Contains(res.Diagnostics[0].Message, "is 4134 bytes") {
		t.Errorf("want one path finding of 900+2000+1234 bytes, got %+v", res.Diagnostics)
	}
	o, err := ParseOptions(map[string]string{OptStackUsage: dir})
	if err != nil {
		t.Fatal(err)
	}
	a := NewAnalysis(res.Graph, res.Program.Units, o)
	rows, _ := WorstPath(a, "chain_bad")
	got := map[string]int64{}
	for _, r := range rows {
		got[r.Func] = r.Frame
		if r.Source != "su" {
			t.Errorf("%s: source %s, want su", r.Func, r.Source)
		}
	}
	if want := map[string]int64{"chain_bad": 900, "stage_b": 2000, "stage_c": 1234}; !reflect.DeepEqual(got, want) {
		t.Errorf("frames %v, want %v", got, want)
	}
	if _, err := ParseOptions(map[string]string{OptFrameWarn: "lots"}); err == nil {
		t.Error("bad frame-warn accepted")
	}
}
