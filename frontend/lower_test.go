package frontend

import (
	"os"
	"strings"
	"testing"

	"kcheck/frontend/ir"
)

// lowerC parses a self-written C snippet and lowers it with every body
// kept; a panic in the lowering fails the test (Problems must be empty
// unless the test says otherwise).
func lowerC(t *testing.T, src string) *ir.Unit {
	t.Helper()
	ast, err := parseText("test.c", []byte(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	u := lowerUnit(ast, newTypeEnv(), lowerConfig{
		unitFile:    "test.c",
		relPath:     func(f string) string { return f },
		lowerBodies: func(string) bool { return true },
	})
	for _, p := range u.Problems {
		t.Errorf("problem: %s", p)
	}
	return u
}

func TestLowerScratch(t *testing.T) {
	if os.Getenv("KCHECK_SCRATCH") == "" {
		t.Skip()
	}
	src, _ := os.ReadFile(os.Getenv("KCHECK_SCRATCH"))
	u := lowerC(t, string(src))
	opts := os.Getenv("KCHECK_OPTS")
	t.Log("\n" + ir.DumpUnit(u, ir.DumpOptions{Pos: strings.Contains(opts, "pos"), Types: !strings.Contains(opts, "notypes")}))
}

// hubUnit lowers the real drivers/usb/core/hub.c (preprocessed at
// /tmp/hub.i) when it is there.
func hubUnit(t testing.TB) *ir.Unit {
	src, err := os.ReadFile("/tmp/hub.i")
	if err != nil {
		t.Skip("no /tmp/hub.i")
	}
	out, _ := prune(src, pruneOptions{keepFile: func(f string) bool { return strings.HasPrefix(f, "drivers/usb") }})
	ast, err := parseText("hub.i", out)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return lowerUnit(ast, newTypeEnv(), lowerConfig{
		unitFile:    "drivers/usb/core/hub.c",
		relPath:     func(f string) string { return strings.TrimPrefix(f, "./") },
		lowerBodies: func(f string) bool { return strings.HasPrefix(f, "drivers/usb") },
	})
}

func TestLowerHub(t *testing.T) {
	u := hubUnit(t)
	for _, p := range u.Problems {
		t.Errorf("problem: %s", p)
	}
	funcs := map[string]*ir.Func{}
	blocks, calls := 0, 0
	for _, f := range u.Funcs {
		funcs[f.Name] = f
		blocks += len(f.Blocks)
		calls += len(f.Calls)
	}
	t.Logf("%d funcs, %d blocks, %d calls, %d field stores, %d globals, %d static funcs",
		len(u.Funcs), blocks, calls, len(u.FieldStores), len(u.Globals), len(u.StaticFuncs))
	for _, name := range []string{"hub_event", "usb_port_resume", "hub_probe", "usb_new_device"} {
		if funcs[name] == nil {
			t.Errorf("%s not lowered", name)
		}
	}
	stores := map[string]bool{}
	for _, s := range u.FieldStores {
		stores[s.StructType+"."+s.Field+"="+s.Func] = true
	}
	for _, want := range []string{"usb_driver.probe=hub_probe", "usb_driver.disconnect=hub_disconnect"} {
		if !stores[want] {
			t.Errorf("no field store %s in %v", want, u.FieldStores)
		}
	}
	if f := funcs["hub_event"]; f != nil {
		seen := map[string]bool{}
		for _, c := range f.Calls {
			seen[c.Callee] = true
		}
		for _, want := range []string{"device_lock", "device_unlock", "usb_autopm_get_interface", "port_event"} {
			if !seen[want] {
				t.Errorf("hub_event: no call to %s", want)
			}
		}
		if f.File != "drivers/usb/core/hub.c" || f.Pos.Line == 0 {
			t.Errorf("hub_event position %v in %s", f.Pos, f.File)
		}
	}
}

func BenchmarkLowerHub(b *testing.B) {
	src, err := os.ReadFile("/tmp/hub.i")
	if err != nil {
		b.Skip("no /tmp/hub.i")
	}
	out, _ := prune(src, pruneOptions{keepFile: func(f string) bool { return strings.HasPrefix(f, "drivers/usb") }})
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		ast, err := parseText("hub.i", out)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		lowerUnit(ast, newTypeEnv(), lowerConfig{
			unitFile:    "drivers/usb/core/hub.c",
			relPath:     func(f string) string { return strings.TrimPrefix(f, "./") },
			lowerBodies: func(f string) bool { return strings.HasPrefix(f, "drivers/usb") },
		})
	}
}

func TestLowerHubDump(t *testing.T) {
	name := os.Getenv("KCHECK_DUMP")
	if name == "" {
		t.Skip()
	}
	u := hubUnit(t)
	for _, f := range u.Funcs {
		if f.Name == name {
			t.Log("\n" + ir.DumpFunc(f, ir.DumpOptions{Types: true, Pos: true}))
		}
	}
}

// goldenCases lower small self-written functions and compare the dump
// (without types and positions, so the goldens do not depend on the type
// layer). Each case is one construct of the lowering.
var goldenCases = []struct {
	name, doc, src, want string
}{
	{
		name: "If",
		doc:  "if/else with !p, == NULL and a constant on the left: successors swapped, NULL is 0, 0 > r is r < 0, a call result assigned in the else arm",
		src: `int f(int);
int g(void *p)
{
	int r = 0;
	if (!p)
		return -1;
	if (p == ((void *)0))
		r = 1;
	else
		r = f(2);
	if (0 > r)
		return r;
	return 0;
}
`,
		want: `unit test.c
func g
  param 0 p
  local 0 r scope 0
  b0:
    assign $r = 0
    branch %p ? b2 : b1
  b1:
    return -1
  b2:
    branch %p == 0 ? b3 : b5
  b3:
    assign $r = 1
    jump b4
  b4:
    branch $r < 0 ? b6 : b7
  b5:
    call#0 f(2) -> $r
    jump b4
  b6:
    return $r
  b7:
    return 0

`,
	},
	{
		name: "Switch",
		doc:  "cases, a range case, fallthrough, break, default; a switch on a constant keeps only the taken case (the other is dead code)",
		src: `int f(int);
int g(int x)
{
	int r;
	switch (x) {
	case 1:
		r = f(1);
		/* fallthrough */
	case 2 ... 5:
		r = 2;
		break;
	default:
		return -1;
	}
	switch (sizeof(int)) { case 4: r++; break; case 8: r--; break; }
	return r;
}
`,
		want: `unit test.c
func g
  param 0 x
  local 0 r scope 0
  scopes 0<-1 1<0 2<0
  b0:
    switch %x [1: b1, 2...5: b2, default: b3]
  b1:
    call#0 f(1) -> $r
    jump b2
  b2:
    assign $r = 2
    jump b4
  b3:
    return -1
  b4:
    assign $r = ?{r++}
    jump b5
  b5:
    return $r
  b6:
    assign $r = ?{r--}
    jump b5

`,
	},
	{
		name: "Loops",
		doc:  "for with continue, while with break, do-while with a back edge, do-while(0) inline with no back edge, for(;;) and while(1) with no exit but break",
		src: `int f(int);
void work(void);
void g(int n)
{
	int i;
	for (i = 0; i < n; i++) {
		if (f(i))
			continue;
		work();
	}
	while (n > 0) {
		if (f(n) == 3)
			break;
		n--;
	}
	do {
		work();
	} while (f(0));
	do { work(); } while (0);
	for (;;) {
		if (f(9))
			break;
	}
	while (1)
		work();
}
`,
		want: `unit test.c
func g
  param 0 n
  local 0 i scope 0
  scopes 0<-1 1<0 2<0 3<0 4<0 5<0
  b0:
    assign $i = 0
    jump b1
  b1 loop:
    branch $i < %n ? b2 : b5
  b2:
    call#0 f($i)
    branch call#0 ? b4 : b3
  b3:
    call#1 work()
    jump b4
  b4:
    assign $i = ?{i++}
    jump b1
  b5 loop:
    branch %n > 0 ? b6 : b8
  b6:
    call#2 f(%n)
    branch call#2 == 3 ? b8 : b7
  b7:
    assign %n = ?{n--}
    jump b5
  b8 loop:
    call#3 work()
    call#4 f(0)
    branch call#4 ? b8 : b9
  b9:
    call#5 work()
    jump b10
  b10 loop:
    call#6 f(9)
    branch call#6 ? b11 : b10
  b11 loop:
    call#7 work()
    jump b11

`,
	},
	{
		name: "Goto",
		doc:  "a backward goto marks its label a loop header; a forward goto joins the label",
		src: `int f(int);
void unlock(void);
int g(int n)
{
	int ret;
retry:
	ret = f(n);
	if (ret == -11)
		goto retry;
	if (ret)
		goto out;
	ret = f(1);
out:
	unlock();
	return ret;
}
`,
		want: `unit test.c
func g
  param 0 n
  local 0 ret scope 0
  b0:
    jump b1
  b1 loop:
    call#0 f(%n) -> $ret
    branch $ret == -11 ? b1 : b2
  b2:
    branch $ret ? b4 : b3
  b3:
    call#1 f(1) -> $ret
    jump b4
  b4:
    call#2 unlock()
    return $ret

`,
	},
	{
		name: "Expr",
		doc:  "deref events, ?: as a branch, && and || as short-circuit branches with the assignment's variable as the condition, statement expressions, comma, __builtin_expect",
		src: `int f(int);
int h(void);
struct s { int a; int *p; };
int g(struct s *sp, int *q)
{
	int x, y;
	x = sp->a + *q;
	y = q[2];
	x = h() ? f(1) : f(2);
	if (f(3) && (y = h()) || !!x)
		y = ({ int __t = f(4); __t + 1; });
	x = (f(5), f(6));
	if (__builtin_expect(!!(x < 0), 0))
		y += 2;
	return x && y;
}
`,
		want: `unit test.c
func g
  param 0 sp
  param 1 q
  local 0 x scope 0
  local 1 y scope 0
  local 2 __t scope 1
  scopes 0<-1 1<0
  b0:
    deref %sp
    deref %q
    assign $x = ?{sp->a + *q}
    deref %q
    assign $y = %q[]
    call#0 h()
    branch call#0 ? b1 : b2
  b1:
    call#1 f(1)
    jump b3
  b2:
    call#2 f(2)
    jump b3
  b3:
    assign $x = ?{h() ? f(1) : f(2)}
    call#3 f(3)
    branch call#3 ? b7 : b6
  b4:
    call#5 f(4) -> $__t
    assign $y = ?{__t + 1}
    jump b5
  b5:
    call#6 f(5)
    call#7 f(6) -> $x
    branch $x < 0 ? b8 : b9
  b6:
    branch $x ? b4 : b5
  b7:
    call#4 h() -> $y
    branch $y ? b4 : b6
  b8:
    assign $y = ?{y += 2}
    jump b9
  b9:
    return ?{x && y}

`,
	},
	{
		name: "NoReturn",
		doc:  "panic, a function declared noreturn and __builtin_unreachable end their blocks",
		src: `void panic(const char *fmt, ...);
void __attribute__((__noreturn__)) die(int);
int f(int);
int g(int x)
{
	if (x < 0)
		panic("bad %d", x);
	if (x == 7)
		die(x);
	if (x > 100)
		__builtin_unreachable();
	return f(x);
}
`,
		want: `unit test.c
func g
  param 0 x
  b0:
    branch %x < 0 ? b1 : b2
  b1:
    call#0 panic("bad %d", %x)
    noreturn
  b2:
    branch %x == 7 ? b3 : b4
  b3:
    call#1 die(%x)
    noreturn
  b4:
    branch %x > 100 ? b5 : b6
  b5:
    call#2 __builtin_unreachable()
    noreturn
  b6:
    call#3 f(%x)
    return call#3

`,
	},
	{
		name: "Calls",
		doc:  "direct, through a struct member, through a parameter and a global function pointer; nested calls first; Dst of call results",
		src: `struct ops { int (*probe)(int); void (*remove)(int); };
struct dev { const struct ops *ops; int id; };
int (*hook)(int);
int real(int);
int g(struct dev *d, int (*cb)(int))
{
	int r;
	r = d->ops->probe(d->id);
	(*cb)(r);
	hook(r);
	r = real(real(r));
	return r;
}
`,
		want: `unit test.c
func g
  param 0 d
  param 1 cb
  local 0 r scope 0
  b0:
    deref %d
    deref %d
    call#0 *[?.probe](%d->id) -> $r
    call#1 *cb($r)
    call#2 *hook($r)
    call#3 real($r)
    call#4 real(call#3) -> $r
    return $r
global hook

`,
	},
	{
		name: "OpsTable",
		doc:  "FieldStores from designated, positional, nested and array initializers and from assignments; static functions",
		src: `struct ops { int (*probe)(int); void (*remove)(int); int flags; };
struct drv { const char *name; struct ops ops; };
static int p1(int x) { return x; }
static void r1(int x) { }
int p2(int x);
static const struct ops a = { .probe = p1, .remove = &r1 };
static const struct ops b = { p2, r1, 3 };
static struct drv d = { .name = "d", .ops = { .probe = p2 } };
static struct ops arr[] = { { .probe = p1 }, { p2 } };
void set(struct ops *o, struct drv *dd)
{
	o->remove = r1;
	dd->ops.probe = &p1;
}
`,
		want: `unit test.c
func p1 static
  param 0 x
  b0:
    return %x
func r1 static
  param 0 x
  b0:
    return
func set
  param 0 o
  param 1 dd
  b0:
    deref %o
    assign %o->remove = fn:r1
    deref %dd
    assign %dd->ops.probe = fn:p1
    return
store ops.probe = p1 static
store ops.remove = r1 static
store ops.probe = p2
store ops.remove = r1 static
store ops.probe = p2
store ops.probe = p1 static
store ops.probe = p2
store ops.remove = r1 static
store ops.probe = p1 static
global a static
global b static
global d static
global arr static
static funcs p1 r1

`,
	},
	{
		name: "Locals",
		doc:  "locals with scopes, VLA, static locals not listed, alloca",
		src: `void *__builtin_alloca(unsigned long);
void use(void *);
void g(int n)
{
	char buf[16];
	char vla[n];
	{
		int inner = 1;
		static int st;
		use(&inner);
	}
	use(__builtin_alloca(n));
	use(buf);
	use(vla);
}
`,
		want: `unit test.c
func g alloca
  param 0 n
  local 0 buf scope 0
  local 1 vla scope 0 vla
  local 2 inner scope 1
  scopes 0<-1 1<0
  b0:
    assign $inner = 1
    call#0 use(&$inner)
    call#1 __builtin_alloca(%n)
    call#2 use(call#1)
    call#3 use($buf)
    call#4 use($vla)
    return

`,
	},
	{
		name: "Asm",
		doc:  "inline asm outputs are assigned; asm goto labels are successors",
		src: `int g(int x)
{
	asm volatile("nop" : "=r"(x) : "r"(x));
	asm goto("jmp %l0" : : : : out);
	return 0;
out:
	return 1;
}
`,
		want: `unit test.c
func g asm
  param 0 x
  b0:
    assign %x = ?{asm}
    branch opaque{asm goto} ? b1 : b2
  b1:
    return 1
  b2:
    return 0

`,
	},
}

func TestLowerGolden(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			u := lowerC(t, tc.src)
			got := strings.TrimSpace(ir.DumpUnit(u, ir.DumpOptions{}))
			if want := strings.TrimSpace(tc.want); got != want {
				t.Errorf("%s\ngot:\n%s\nwant:\n%s", tc.doc, got, want)
			}
		})
	}
}

// TestLowerTypedFacts checks what comes from the type layer: the struct
// tag of member accesses, of indirect calls and of field stores made by
// assignment. Assertions marked "types:" hold once frontend/types.go
// resolves struct types; with an unresolved type they accept "".
func TestLowerTypedFacts(t *testing.T) {
	u := lowerC(t, `
typedef struct ops ops_t;
struct ops { int (*probe)(int); };
struct dev { ops_t *ops; int id; };
static int p(int x) { return x; }
int g(struct dev *d)
{
	d->ops->probe = p;
	return d->ops->probe(d->id);
}
`)
	var g *ir.Func
	for _, f := range u.Funcs {
		if f.Name == "g" {
			g = f
		}
	}
	if g == nil {
		t.Fatal("g not lowered")
	}
	if len(g.Calls) != 1 || g.Calls[0].Indirect == nil {
		t.Fatalf("want one indirect call, got %+v", g.Calls)
	}
	ic := g.Calls[0].Indirect
	if ic.Field != "probe" || ic.Text != "d->ops->probe" {
		t.Errorf("indirect callee = %+v", ic)
	}
	// types: the typedef ops_t resolves to struct ops.
	if ic.StructType != "ops" && ic.StructType != "" {
		t.Errorf("indirect StructType = %q, want ops", ic.StructType)
	}
	if len(u.FieldStores) != 1 {
		t.Fatalf("FieldStores = %+v", u.FieldStores)
	}
	fs := u.FieldStores[0]
	if fs.Field != "probe" || fs.Func != "p" || !fs.Static || (fs.StructType != "ops" && fs.StructType != "") {
		t.Errorf("field store = %+v", fs)
	}
	if fs.Pos.Line != 8 {
		t.Errorf("field store line %d, want 8", fs.Pos.Line)
	}
	// The member access d->id: a FieldVal on parameter 0.
	arg := g.Calls[0].Args[0]
	if arg.Kind != ir.FieldVal || !arg.Arrow || arg.Base.Kind != ir.ParamVal || arg.Base.Index != 0 || arg.Field != "id" {
		t.Errorf("arg = %+v", arg)
	}
	if arg.StructType != "dev" && arg.StructType != "" { // types: dev
		t.Errorf("arg StructType = %q", arg.StructType)
	}
	if u.StaticFuncs == nil || u.StaticFuncs[0] != "p" {
		t.Errorf("StaticFuncs = %v", u.StaticFuncs)
	}
}

// TestLowerPositions checks that positions are source positions through
// #line markers, and which file's bodies are lowered.
func TestLowerPositions(t *testing.T) {
	src := `#line 1 "include/h.h"
static inline int hdr(int x) { return x; }
struct mutex { int owner; };
extern struct mutex hdr_lock;
#line 10 "test.c"
static struct mutex own_lock;
int counter;
static int g(int a)
{
	int b = hdr(a);
	return b;
}
`
	ast, err := parseText("test.c", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	u := lowerUnit(ast, newTypeEnv(), lowerConfig{
		unitFile:    "test.c",
		relPath:     func(f string) string { return f },
		lowerBodies: func(f string) bool { return f == "test.c" },
	})
	if len(u.Funcs) != 1 || u.Funcs[0].Name != "g" {
		t.Fatalf("funcs %v: the header body must not be lowered", u.Funcs)
	}
	g := u.Funcs[0]
	if !g.Static || g.Inline || g.File != "test.c" || g.Unit != "test.c" {
		t.Errorf("g: static %v inline %v file %q unit %q", g.Static, g.Inline, g.File, g.Unit)
	}
	if want := (ir.Pos{File: "test.c", Line: 12, Col: 12}); g.Pos != want {
		t.Errorf("g.Pos = %v, want %v", g.Pos, want)
	}
	if g.EndPos.Line != 16 || g.EndPos.Col != 1 {
		t.Errorf("g.EndPos = %v", g.EndPos)
	}
	if c := g.Calls[0]; c.Callee != "hdr" || c.Pos.Line != 14 || c.Pos.Col != 10 || c.Dst == nil || c.Dst.Name != "b" {
		t.Errorf("call = %+v at %v", c, c.Pos)
	}
	if l := g.Locals[0]; l.Pos.Line != 14 || l.Pos.Col != 6 {
		t.Errorf("local b at %v", l.Pos)
	}
	if r := g.Blocks[0].Term; r.Kind != ir.Return || r.Pos.Line != 15 {
		t.Errorf("return term %+v", r)
	}
	globals := map[string]ir.Global{}
	for _, gl := range u.Globals {
		globals[gl.Name] = gl
	}
	if gl, ok := globals["own_lock"]; !ok || !gl.Static || gl.Pos.Line != 10 {
		t.Errorf("own_lock global %+v", gl)
	}
	if _, ok := globals["counter"]; !ok {
		t.Error("counter: a definition in the unit's own file is a Global")
	}
	// types: a header declaration is a Global only because its type holds
	// a lock.
	if gl, ok := globals["hdr_lock"]; ok && gl.Type.IsUnknown() {
		t.Errorf("hdr_lock listed without a type")
	}
	if !strings.Contains(ir.DumpUnit(u, ir.DumpOptions{Pos: true}), "call#0 hdr(%a) -> $b @test.c:14:10") {
		t.Errorf("dump with positions:\n%s", ir.DumpUnit(u, ir.DumpOptions{Pos: true}))
	}
}

// TestLowerConditionNormalisation checks the Cond operands directly.
func TestLowerConditionNormalisation(t *testing.T) {
	u := lowerC(t, `
int f(void);
void g(int *p, int r)
{
	if (!!p) f();
	if (((void *)0) == p) f();
	if (0 > r) f();
	if (5 <= r) f();
	if (r & 4) f();
	if (__builtin_expect(!!(f()), 1)) f();
	if (1) f();
}
`)
	g := u.Funcs[0]
	var conds []*ir.Cond
	for _, b := range g.Blocks {
		if b.Term.Kind == ir.Branch {
			conds = append(conds, b.Term.Cond)
		}
	}
	type want struct {
		op   ir.CondOp
		x    ir.ValueKind
		y    string
		text string
	}
	wants := []want{
		{ir.Truth, ir.ParamVal, "<nil>", "p"},
		{ir.Eq, ir.ParamVal, "0", "((void *)0) == p"},
		{ir.Lt, ir.ParamVal, "0", "0 > r"},
		{ir.Ge, ir.ParamVal, "5", "5 <= r"},
		{ir.Opaque, ir.Unknown, "<nil>", "r & 4"},
		{ir.Truth, ir.ResultVal, "<nil>", "f()"},
	}
	if len(conds) != len(wants) {
		t.Fatalf("%d branches, want %d (if (1) folds):\n%s", len(conds), len(wants), ir.DumpFunc(g, ir.DumpOptions{}))
	}
	for i, w := range wants {
		c := conds[i]
		if c.Op != w.op || c.X.Kind != w.x || ir.DumpValue(c.Y, ir.DumpOptions{}) != w.y || c.Text != w.text {
			t.Errorf("cond %d (%s): op %v x %v y %s; want %v %v %s", i, c.Text, c.Op, c.X.Kind, ir.DumpValue(c.Y, ir.DumpOptions{}), w.op, w.x, w.y)
		}
	}
}
