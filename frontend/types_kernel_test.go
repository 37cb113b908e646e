package frontend

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"kcheck/frontend/ir"

	"modernc.org/cc/v4"
)

// kernelTree is the configured Linux tree the kernel tests read, from
// KCHECK_LINUX or the default cache location.
func kernelTree() string {
	if d := os.Getenv("KCHECK_LINUX"); d != "" {
		return d
	}
	return "/root/.cache/kcheck/linux-6.1/linux-source-6.1"
}

// preprocessHub runs hub.c's own compile command with -E (no dependency
// file written into the tree) and returns the preprocessed text.
func preprocessHub(t testing.TB) []byte { return preprocessUnit(t, "drivers/usb/core/hub.c") }

// preprocessUnit preprocesses the unit whose file ends in suffix.
func preprocessUnit(t testing.TB, suffix string) []byte {
	t.Helper()
	tree := kernelTree()
	data, err := os.ReadFile(filepath.Join(tree, "compile_commands.json"))
	if err != nil {
		t.Skipf("no kernel tree: %v", err)
	}
	var cmds []struct{ Command, Directory, File string }
	if err := json.Unmarshal(data, &cmds); err != nil {
		t.Fatalf("compile_commands.json: %v", err)
	}
	for _, c := range cmds {
		if !strings.HasSuffix(c.File, suffix) {
			continue
		}
		// The command is a shell line (kbuild quotes -D values); drop the
		// dependency-file and object options and let the shell split it.
		line := mmdRE.ReplaceAllString(c.Command, " ")
		line = objRE.ReplaceAllString(line, " ")
		cmd := exec.Command("sh", "-c", line+" -E -o -")
		cmd.Dir = c.Directory
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("preprocess hub.c: %v\n%s", err, stderr.String())
		}
		return out
	}
	t.Skipf("%s not in compile_commands.json", suffix)
	return nil
}

// kernelStructs are the kernel types the checkers look at most, with the
// C spelling gcc checks them by.
var kernelStructs = []string{
	"struct usb_device", "struct urb", "struct device", "struct usb_hub",
	"struct mutex", "spinlock_t", "struct list_head", "struct kref",
	"struct usb_interface", "struct usb_hcd", "struct device_driver",
	"struct usb_driver", "struct work_struct", "struct delayed_work",
	"struct timer_list", "struct usb_ctrlrequest", "struct usb_device_descriptor",
	"struct file_operations", "struct completion", "struct kobject",
	"struct wait_queue_head", "struct usb_port", "struct usb_host_endpoint",
	"struct usb_bus", "struct page", "struct task_struct", "struct inode",
	"struct usb_tt", "struct rw_semaphore", "struct dev_pm_info",
	"struct usb_hub_descriptor", "struct usb_port_status", "struct usb_endpoint_descriptor",
	"struct usb_ss_ep_comp_descriptor", "struct usb_config_descriptor",
}

// lookupSpelling resolves "struct x" or a typedef name in e.
func lookupSpelling(e *typeEnv, spell string) *ir.Type {
	if tag, ok := strings.CutPrefix(spell, "struct "); ok {
		return e.tag(tag)
	}
	return e.typedef(spell)
}

var (
	mmdRE = regexp.MustCompile(`\s-Wp,\S+`)
	objRE = regexp.MustCompile(`\s-c(\s+-o\s+\S+)?\s`)
)

var failedAssertRE = regexp.MustCompile(`static assertion failed: "([^"]*)"`)

// TestKernelLayouts lays out hub.c's types and has gcc check them
// against its own layout of the same preprocessed text.
func TestKernelLayouts(t *testing.T) {
	text := preprocessHub(t)
	// packMarkers keeps ACPI's #pragma pack(1) visible (prune drops
	// pragmas); the pipeline is expected to run it before prune too.
	pruned, _ := prune(packMarkers(text), pruneOptions{keepFile: func(f string) bool { return strings.HasPrefix(f, "drivers/usb") }})
	ast, err := parseText("hub.i", pruned)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	e := newTypeEnv()
	n := 0
	start := time.Now()
	for tu := ast.TranslationUnit; tu != nil; tu = tu.TranslationUnit {
		e.declare(tu.ExternalDeclaration)
		n++
	}
	t.Logf("declare: %d external declarations in %v; %d tags, %d typedefs, %d functions", n, time.Since(start), len(e.tags), len(e.typedefs), len(e.funcs))

	// The named structs, one assertion each so the count of matches is
	// exact.
	var asserts []string
	known := 0
	for _, spell := range kernelStructs {
		st := lookupSpelling(e, spell)
		if st == nil || st.Size < 0 {
			t.Logf("%s: not laid out (%v)", spell, st)
			continue
		}
		known++
		asserts = append(asserts, fmt.Sprintf("_Static_assert(sizeof(%s) == %d && _Alignof(%s) == %d, %q);", spell, st.Size, spell, st.Align, spell))
	}
	// Every complete struct and union of the unit, and the offsets of
	// their named members.
	var tags []string
	for tag, st := range e.tags {
		if !st.Incomplete && st.Size >= 0 {
			tags = append(tags, tag)
		}
	}
	sort.Strings(tags) // for determinism
	unknown := 0
	for tag, st := range e.tags {
		if !st.Incomplete && st.Size < 0 {
			unknown++
			t.Logf("unknown layout: %s", tag)
		}
	}
	offsets := 0
	for _, tag := range tags {
		st := e.tags[tag]
		spell := st.Kind.String() + " " + tag
		if st.Name == tag {
			spell = tag
		}
		asserts = append(asserts, fmt.Sprintf("_Static_assert(sizeof(%s) == %d && _Alignof(%s) == %d, %q);", spell, st.Size, spell, st.Align, "all: "+spell))
		for _, f := range st.Fields {
			if f.Name != "" && !f.IsBitField && f.Offset >= 0 {
				offsets++
				asserts = append(asserts, fmt.Sprintf("_Static_assert(__builtin_offsetof(%s, %s) == %d, %q);", spell, f.Name, f.Offset, "off: "+spell+"."+f.Name))
			}
		}
	}
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("no gcc")
	}
	src := append(append([]byte{}, text...), []byte("\n"+strings.Join(asserts, "\n")+"\n")...)
	cmd := exec.Command(gcc, "-fsyntax-only", "-m64", "-std=gnu11", "-w", "-fmax-errors=0", "-x", "c", "-")
	cmd.Stdin = bytes.NewReader(src)
	out, _ := cmd.CombinedOutput()
	failed := map[string]bool{}
	for _, m := range failedAssertRE.FindAllStringSubmatch(string(out), -1) {
		failed[m[1]] = true
	}
	if len(failed) == 0 && len(out) > 0 {
		t.Fatalf("gcc failed on the unit itself:\n%s", tyHead(string(out), 20))
	}
	match := 0
	for _, spell := range kernelStructs {
		st := lookupSpelling(e, spell)
		if st == nil || st.Size < 0 {
			continue
		}
		if failed[spell] {
			t.Errorf("%s: kcheck size %d align %d, gcc disagrees", spell, st.Size, st.Align)
		} else {
			match++
		}
	}
	allFailed, offFailed := 0, 0
	for k := range failed {
		switch {
		case strings.HasPrefix(k, "all: "):
			allFailed++
			t.Errorf("gcc disagrees: %s", k)
		case strings.HasPrefix(k, "off: "):
			offFailed++
			t.Errorf("gcc disagrees: %s", k)
		}
	}
	t.Logf("named kernel types: %d of %d laid out, %d of those match gcc", known, len(kernelStructs), match)
	t.Logf("all complete structs/unions: %d laid out (%d unknown), %d disagree; member offsets: %d checked, %d disagree", len(tags), unknown, allFailed, offsets, offFailed)
	if known < 20 {
		t.Errorf("only %d of the named kernel types were laid out", known)
	}
}

// TestKernelLayoutsOtherUnits runs the all-structs check of
// TestKernelLayouts on units with other headers (xHCI, storage, gadget).
func TestKernelLayoutsOtherUnits(t *testing.T) {
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("no gcc")
	}
	for _, unit := range []string{"drivers/usb/host/xhci.c", "drivers/usb/storage/usb.c", "drivers/usb/gadget/composite.c"} {
		t.Run(filepath.Base(unit), func(t *testing.T) {
			text := preprocessUnit(t, unit)
			pruned, _ := prune(packMarkers(text), pruneOptions{keepFile: func(f string) bool { return strings.HasPrefix(f, "drivers/usb") }})
			ast, err := parseText(unit, pruned)
			if err != nil {
				t.Skipf("parse: %v", err)
			}
			e := newTypeEnv()
			for tu := ast.TranslationUnit; tu != nil; tu = tu.TranslationUnit {
				e.declare(tu.ExternalDeclaration)
			}
			var asserts []string
			structs, offsets, unknown := 0, 0, 0
			for tag, st := range e.tags {
				if st.Incomplete {
					continue
				}
				if st.Size < 0 {
					unknown++
					t.Logf("unknown layout: %s", tag)
					continue
				}
				structs++
				spell := st.Kind.String() + " " + tag
				asserts = append(asserts, fmt.Sprintf("_Static_assert(sizeof(%s) == %d && _Alignof(%s) == %d, %q);", spell, st.Size, spell, st.Align, spell))
				for _, f := range st.Fields {
					if f.Name != "" && !f.IsBitField && f.Offset >= 0 {
						offsets++
						asserts = append(asserts, fmt.Sprintf("_Static_assert(__builtin_offsetof(%s, %s) == %d, %q);", spell, f.Name, f.Offset, spell+"."+f.Name))
					}
				}
			}
			sort.Strings(asserts) // for determinism
			cmd := exec.Command("gcc", "-fsyntax-only", "-m64", "-std=gnu11", "-w", "-fmax-errors=0", "-x", "c", "-")
			cmd.Stdin = bytes.NewReader(append(append([]byte{}, text...), []byte("\n"+strings.Join(asserts, "\n")+"\n")...))
			out, _ := cmd.CombinedOutput()
			fails := failedAssertRE.FindAllStringSubmatch(string(out), -1)
			for _, m := range fails {
				t.Errorf("gcc disagrees: %s", m[1])
			}
			if len(fails) == 0 && len(out) > 0 {
				t.Fatalf("gcc failed on the unit itself:\n%s", tyHead(string(out), 20))
			}
			t.Logf("%d structs/unions laid out (%d unknown), %d member offsets; %d disagree with gcc", structs, unknown, offsets, len(fails))
		})
	}
}

// BenchmarkDeclareHub measures declare over all of hub.c's external
// declarations (parse excluded).
func BenchmarkDeclareHub(b *testing.B) {
	text := preprocessHub(b)
	pruned, _ := prune(packMarkers(text), pruneOptions{keepFile: func(f string) bool { return strings.HasPrefix(f, "drivers/usb") }})
	ast, err := parseText("hub.i", pruned)
	if err != nil {
		b.Fatalf("parse: %v", err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e := newTypeEnv()
		for tu := ast.TranslationUnit; tu != nil; tu = tu.TranslationUnit {
			e.declare(tu.ExternalDeclaration)
		}
	}
}

// TestKernelExprTypes asks exprType and constValue about every expression
// in hub.c's function bodies: no panic (tests re-panic), and it reports
// how many got a type without a block scope (locals are then unknown).
func TestKernelExprTypes(t *testing.T) {
	text := preprocessHub(t)
	pruned, _ := prune(packMarkers(text), pruneOptions{keepFile: func(f string) bool { return strings.HasPrefix(f, "drivers/usb") }})
	ast, err := parseText("hub.i", pruned)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	e := newTypeEnv()
	var bodies []*cc.FunctionDefinition
	for tu := ast.TranslationUnit; tu != nil; tu = tu.TranslationUnit {
		e.declare(tu.ExternalDeclaration)
		if ed := tu.ExternalDeclaration; ed.Case == cc.ExternalDeclarationFuncDef {
			bodies = append(bodies, ed.FunctionDefinition)
		}
	}
	var exprs []cc.ExpressionNode
	for _, fd := range bodies {
		collectExprs(reflect.ValueOf(fd.CompoundStatement), &exprs)
	}
	start := time.Now()
	known := 0
	for _, x := range exprs {
		if !e.exprType(x, nil).IsUnknown() {
			known++
		}
		e.constValue(x)
	}
	t.Logf("%d functions, %d expressions: %d typed without block scope, %v for exprType+constValue on all", len(bodies), len(exprs), known, time.Since(start))
	if len(exprs) < 10000 || known == 0 {
		t.Errorf("expected many expressions, some typed: %d, %d", len(exprs), known)
	}
}

var exprNodeType = reflect.TypeOf((*cc.ExpressionNode)(nil)).Elem()

// collectExprs gathers every expression node below v.
func collectExprs(v reflect.Value, out *[]cc.ExpressionNode) {
	switch v.Kind() {
	case reflect.Interface:
		if !v.IsNil() {
			collectExprs(v.Elem(), out)
		}
	case reflect.Pointer:
		if v.IsNil() || v.Elem().Kind() != reflect.Struct {
			return
		}
		if v.Type().Implements(exprNodeType) {
			*out = append(*out, v.Interface().(cc.ExpressionNode))
		}
		collectExprs(v.Elem(), out)
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(cc.Token{}) {
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				collectExprs(v.Field(i), out)
			}
		}
	}
}
