package frontend

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"kcheck/frontend/ir"

	"modernc.org/cc/v4"
)

// Tests re-panic inside the type layer, so a bug is a failure and not a
// silently unknown type.
func init() { testingPanics = true }

// declareAll parses C text and feeds every external declaration to a new
// typeEnv, as the lowering does.
func declareAll(t testing.TB, src string) (*typeEnv, *cc.AST) {
	t.Helper()
	ast, err := parseText("t.c", packMarkers([]byte(src)))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	e := newTypeEnv()
	for tu := ast.TranslationUnit; tu != nil; tu = tu.TranslationUnit {
		e.declare(tu.ExternalDeclaration)
	}
	return e, ast
}

// gccAssertions turns everything the typeEnv knows about the snippet's own
// types into _Static_assert lines: sizes and alignments of complete
// structs, unions, enums and typedefs, offsets of named non-bit-field
// members (also through anonymous members), and enum constant values.
func gccAssertions(e *typeEnv) []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	var tags []string
	for tag, t := range e.tags {
		if !t.Incomplete && t.Size >= 0 && !strings.HasPrefix(tag, "__") {
			tags = append(tags, tag)
		}
	}
	sort.Strings(tags) // for determinism
	for _, tag := range tags {
		t := e.tags[tag]
		spell := t.Kind.String() + " " + tag
		if t.Name == tag { // anonymous, named by a typedef
			spell = tag
		}
		add("_Static_assert(sizeof(%s) == %d, \"sizeof %s\");", spell, t.Size, spell)
		add("_Static_assert(_Alignof(%s) == %d, \"alignof %s\");", spell, t.Align, spell)
		var walk func(t *ir.Type, prefix string, base int64)
		walk = func(t *ir.Type, prefix string, base int64) {
			for _, f := range t.Fields {
				switch {
				case f.Name == "" && f.Type.IsStructOrUnion():
					walk(f.Type, prefix, base+f.Offset)
				case f.Name != "" && !f.IsBitField:
					add("_Static_assert(__builtin_offsetof(%s, %s%s) == %d, \"offsetof %s.%s%s\");", spell, prefix, f.Name, base+f.Offset, spell, prefix, f.Name)
					if f.Type.IsStructOrUnion() && f.Type.Tag == "" {
						walk(f.Type, prefix+f.Name+".", base+f.Offset)
					}
				}
			}
		}
		walk(t, "", 0)
	}
	var enums []string
	for tag := range e.enumTags {
		enums = append(enums, tag)
	}
	sort.Strings(enums) // for determinism
	for _, tag := range enums {
		t := e.enumTags[tag]
		add("_Static_assert(sizeof(enum %s) == %d, \"sizeof enum %s\");", tag, t.Size, tag)
		if t.Signed {
			add("_Static_assert((enum %s)-1 < 0, \"enum %s signed\");", tag, tag)
		} else {
			add("_Static_assert((enum %s)-1 > 0, \"enum %s unsigned\");", tag, tag)
		}
	}
	var consts []string
	for name := range e.enumConsts {
		consts = append(consts, name)
	}
	sort.Strings(consts) // for determinism
	for _, name := range consts {
		add("_Static_assert(%s == %dLL, \"value %s\");", name, e.enumConsts[name], name)
	}
	var tds []string
	for name, t := range e.typedefs {
		if t.Size >= 0 && t.Kind != ir.FuncType && t.Kind != ir.VoidType && !strings.HasPrefix(name, "__") {
			tds = append(tds, name)
		}
	}
	sort.Strings(tds) // for determinism
	for _, name := range tds {
		t := e.typedefs[name]
		add("_Static_assert(sizeof(%s) == %d, \"sizeof %s\");", name, t.Size, name)
		add("_Static_assert(_Alignof(%s) == %d, \"alignof %s\");", name, t.Align, name)
	}
	return out
}

// gccAccepts compiles src followed by the assertions with the host gcc
// (x86_64) and returns gcc's complaints, "" when it accepts.
func gccAccepts(t testing.TB, src string, asserts []string) string {
	t.Helper()
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("no gcc")
	}
	text := src + "\n" + strings.Join(asserts, "\n") + "\n"
	cmd := exec.Command(gcc, "-fsyntax-only", "-m64", "-std=gnu11", "-w", "-x", "c", "-")
	cmd.Stdin = strings.NewReader(text)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out)
	}
	return ""
}

// gccBitOffsets compiles and runs a program that finds each named
// bit-field's first bit the way the hardware sees it (set the field to
// all ones in a zeroed object, scan for the lowest set bit), the only way
// to learn GCC's bit-field placement without trusting a formula.
func gccBitOffsets(t *testing.T, src string, e *typeEnv) map[string]int64 {
	t.Helper()
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("no gcc")
	}
	var b strings.Builder
	b.WriteString("#include <stdio.h>\n#include <string.h>\n" + src + "\nint main(void) {\n")
	n := 0
	for tag, st := range e.tags {
		if st.Incomplete || st.Size < 0 {
			continue
		}
		spell := st.Kind.String() + " " + tag
		if st.Name == tag {
			spell = tag
		}
		for _, f := range st.Fields {
			if !f.IsBitField || f.Name == "" {
				continue
			}
			n++
			fmt.Fprintf(&b, "{ %s x; unsigned char *p = (unsigned char *)&x; memset(&x, 0, sizeof x); x.%s = -1; int i; for (i = 0; i < (int)sizeof x * 8; i++) if (p[i/8] >> (i%%8) & 1) break; printf(\"%s.%s %%d\\n\", i); }\n", spell, f.Name, tag, f.Name)
		}
	}
	b.WriteString("return 0; }\n")
	res := map[string]int64{}
	if n == 0 {
		return res
	}
	dir := t.TempDir()
	cfile, bin := filepath.Join(dir, "b.c"), filepath.Join(dir, "b")
	if err := os.WriteFile(cfile, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(gcc, "-w", "-o", bin, cfile).CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	out, err := exec.Command(bin).Output()
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		k, v, _ := strings.Cut(line, " ")
		res[k], _ = strconv.ParseInt(v, 10, 64)
	}
	return res
}

// layoutSnippets are C sources whose every type kcheck lays out must
// agree with GCC. Each exercises one layout rule; the names say which.
var layoutSnippets = map[string]string{
	"basic": `
struct basic { char c; int i; short s; long l; char tail; };
struct ptrs { char c; void *p; int (*fp)(int); char *q[3]; };
struct wide { char c; long double ld; __int128 x; _Bool b; float f; double d; };
struct nested { char c; struct basic b; char d; };
typedef unsigned long long u64; typedef u64 u64_t; typedef u64_t *u64p;
struct tdefs { char c; u64_t x; u64p p; };
`,
	"packed": `
struct __attribute__((packed)) p1 { char c; int i; short s; };
struct p2 { char c; int i; long l; } __attribute__((__packed__));
struct p3 { char c; int i __attribute__((packed)); long l; };
struct p4 { char c; struct p1 in; int x; };
struct p5 { char c; int i __attribute__((packed, aligned(2))); };
struct __attribute__((packed)) p6 { char c; int i __attribute__((aligned(2))); long l __attribute__((__aligned__(8))); };
typedef struct { unsigned char a; unsigned short b; unsigned int c; } __attribute__((packed)) p7_t;
struct p8 { char c; p7_t x; };
`,
	"aligned": `
struct a1 { char c; } __attribute__((aligned(8)));
struct a2 { char c; int x __attribute__((aligned(16))); char d; };
struct a3 { char c; struct a1 in; char d; };
typedef int aint __attribute__((aligned(8)));
struct a4 { char c; aint x; char d; };
struct a5 { char c; _Alignas(32) char x; };
struct a6 { char c; _Alignas(long) char x; };
struct __attribute__((aligned(64))) a7 { int x; };
struct a8 { long l; } __attribute__((aligned(2)));
typedef struct a8 a8lo __attribute__((aligned(2)));
struct a9 { char c; int x __attribute__((aligned)); };
typedef unsigned long long aligned_u64 __attribute__((aligned(8)));
struct a10 { char c; aligned_u64 v; };
struct a11 { char c; long l; } __attribute__((packed, aligned(4)));
`,
	"bitfields": `
struct b1 { unsigned a:3; unsigned b:5; unsigned c:24; unsigned d:1; };
struct b2 { char c; int x:20; int y:20; };
struct b3 { char c; int :0; char d; };
struct b4 { char c; long :0; char d; };
struct b5 { char a:3; char b:7; char c; };
struct b6 { unsigned long x:40; unsigned long y:30; };
struct b7 { char c; int :4; };
struct b8 { short s; int x:17; char c; };
struct b9 { unsigned a:1; unsigned long long b:63; unsigned c:2; };
struct b10 { char c; unsigned int x:8; unsigned int y:16; } ;
struct b11 { _Bool f:1; _Bool g:1; unsigned char h:4; };
struct b12 { char c; int :16; char d; };
struct b13 { long long x:3; char c; };
union ub { int x:3; char c; long y:33; };
struct bp1 { char c; int x:20; int y:20; } __attribute__((packed));
struct bp2 { char c; int x:4 __attribute__((packed)); int y:30; };
struct bp3 { unsigned a:4; unsigned :0; unsigned b:4; } __attribute__((packed));
struct bp4 { char c; unsigned short s:12; unsigned short t:12; } __attribute__((packed));
struct bp5 { char a:7; char b:3; unsigned char c:6; } __attribute__((packed));
enum be { BE0, BE1, BE2 };
struct b14 { enum be e:2; char c; };
`,
	"flex_anon": `
struct f1 { int n; char data[]; };
struct f2 { long n; int data[0]; };
struct f3 { char c; long data[]; };
struct an1 { int a; union { int b; long c; }; struct { char d; short e; }; char f; };
struct an2 { char c; struct { char x; struct { int deep; long deeper; }; }; };
union u1 { char c; int i; long l; char buf[13]; };
union u2 { struct { char a, b; } s; short x; } __attribute__((aligned(8)));
struct an3 { union { struct { int lo, hi; }; long all; } u; char tail; };
typedef struct { int x; int y; } point_t;
typedef union { int i; float f; } num_t;
struct an4 { char c; point_t p; num_t n; };
`,
	"enums": `
enum e1 { A1, B1, C1 };
enum e2 { A2 = -1, B2 };
enum e3 { A3 = 0x100000000, B3 };
enum e4 { A4 = 1 << 31 };
enum e5 { A5 = 5, B5, C5 = B5 + 10, D5, E5 = (C5 * 2) | 1, F5 = sizeof(int) * 3, G5 = 'a', H5 = ~0U >> 28 };
enum e6 { A6, B6 = 200 } __attribute__((__packed__));
enum e7 { A7 = -3, B7 = 100 } __attribute__((packed));
enum e8 { A8 = 70000 } __attribute__((packed));
enum e9 { A9 = -129 } __attribute__((packed));
enum e10 { A10 = 1 ? 7 : 9, B10 = 0 ? 7 : 9, C10 = (3 > 2) + (3 < 2) + !0, D10 = -8 >> 1, E10 = 17 % 5 - 7 / 2 };
enum e11 { A11 = (int)sizeof(long double), B11 = _Alignof(double), C11 = (unsigned char)0x1ff, D11 = (signed char)0xff };
struct es { char c; enum e6 e; enum e1 f; };
`,
	"bounds": `
struct sb1 { int x; char y; long z[3]; };
enum { NBUF = 4 };
struct sb2 { char a[sizeof(struct sb1)]; int b[NBUF * 2 + 1]; char c[sizeof(int) << 2]; short d[(sizeof(long) + 3) / 4]; };
struct sb3 { char c[__builtin_offsetof(struct sb1, z)]; long d[__builtin_offsetof(struct sb1, z[2]) / 8]; };
struct sb4 { char c[sizeof(((struct sb1 *)0)->z)]; char d[sizeof(((struct sb1 *)0)->z[0])]; };
unsigned long bm[(((100) + (8 * sizeof(long)) - 1) / (8 * sizeof(long)))];
struct sb5 { unsigned long bits[(((100) + (8 * sizeof(long)) - 1) / (8 * sizeof(long)))]; char c[1 ? 3 : 5]; int m[2][3]; };
struct sb6 { char c[(int)(-1 < 0) + 2]; char d[(unsigned)-1 > 0 ? 5 : 6]; char e[~0UL >> 62]; char f[sizeof(char[7])]; };
typedef char buf_t[sizeof(struct sb5)];
struct sb7 { buf_t b; __typeof__(((struct sb1 *)0)->y) t; typeof(int[5]) u; };
`,
	"pragma_pack": `
#pragma pack(1)
struct pk1 { char c; int i; long l; };
struct pk2 { char c; int x:20; int y:20; char d; };
struct pk3 { char c; long l __attribute__((aligned(8))); };
#pragma pack()
struct pk4 { char c; int i; };
#pragma pack(push, 2)
struct pk5 { char c; int i; long l; short s:12; short t:12; };
#pragma pack(push, 4)
struct pk6 { char c; long l; int x:4; long y:40; };
#pragma pack(pop)
struct pk7 { char c; long l; int :0; char d; };
#pragma pack(pop)
struct pk8 { char c; long l; };
enum { PK_CLZ = 63 - __builtin_clzll(8192), PK_POP = __builtin_popcount(0xf0f) };
struct pk9 { char c[PK_CLZ + PK_POP]; };
`,
	"typedefs": `
typedef struct tag_s { int a; } tag_t, *tag_p;
typedef tag_t tag2_t;
typedef int (*handler_t)(void *, int);
typedef handler_t handlers_t[4];
typedef struct { handler_t h; handlers_t hs; } ops_t;
struct td1 { char c; tag2_t t; tag_p p; ops_t o; };
typedef struct fwd fwd_t;
struct td2 { fwd_t *p; struct fwd *q; };
struct fwd { long x[3]; };
struct td3 { fwd_t f; };
typedef signed char s8; typedef unsigned short u16; typedef long long s64;
struct td4 { s8 a; u16 b; s64 c; s8 d; };
`,
}

func TestLayoutsAgreeWithGCC(t *testing.T) {
	names := make([]string, 0, len(layoutSnippets))
	for name := range layoutSnippets {
		names = append(names, name)
	}
	sort.Strings(names) // for determinism
	for _, name := range names {
		src := layoutSnippets[name]
		t.Run(name, func(t *testing.T) {
			e, _ := declareAll(t, src)
			asserts := gccAssertions(e)
			if len(asserts) == 0 {
				t.Fatal("no assertions generated")
			}
			if msg := gccAccepts(t, src, asserts); msg != "" {
				t.Errorf("gcc disagrees with kcheck's layout:\n%s", tyHead(msg, 20))
			}
			want := gccBitOffsets(t, src, e)
			for tag, st := range e.tags {
				for _, f := range st.Fields {
					if !f.IsBitField || f.Name == "" {
						continue
					}
					if w, ok := want[tag+"."+f.Name]; !ok || w != f.BitOffset {
						t.Errorf("%s.%s: bit offset %d, gcc %d (found %v)", tag, f.Name, f.BitOffset, w, ok)
					}
				}
			}
		})
	}
}

// TestGCCCatchesWrongLayout checks the harness itself: a deliberately
// wrong size must be rejected, or the differential tests prove nothing.
func TestGCCCatchesWrongLayout(t *testing.T) {
	src := "struct w { char c; int i; };"
	if msg := gccAccepts(t, src, []string{`_Static_assert(sizeof(struct w) == 5, "w");`}); msg == "" {
		t.Fatal("gcc accepted a wrong size")
	}
	if msg := gccAccepts(t, src, []string{`_Static_assert(sizeof(struct w) == 8, "w");`}); msg != "" {
		t.Fatalf("gcc rejected the right size: %s", msg)
	}
}

func TestKnownLayouts(t *testing.T) {
	src := layoutSnippets["basic"] + layoutSnippets["packed"] + layoutSnippets["bitfields"] + layoutSnippets["flex_anon"] + layoutSnippets["aligned"]
	e, _ := declareAll(t, src)
	type sz struct {
		tag         string
		size, align int64
	}
	for _, c := range []sz{
		{"basic", 32, 8}, {"ptrs", 48, 8}, {"wide", 64, 16},
		{"p1", 7, 1}, {"p2", 13, 1}, {"p3", 16, 8}, {"p4", 12, 4},
		{"a1", 8, 8}, {"a2", 32, 16}, {"a5", 64, 32}, {"a7", 64, 64}, {"a11", 12, 4},
		{"b1", 8, 4}, {"b2", 8, 4}, {"b3", 5, 1}, {"b6", 16, 8},
		{"f1", 4, 4}, {"f3", 8, 8}, {"an1", 24, 8}, {"u1", 16, 8},
	} {
		st := e.tag(c.tag)
		if st == nil {
			t.Errorf("no struct %s", c.tag)
			continue
		}
		if st.Size != c.size || st.Align != c.align {
			t.Errorf("struct %s: size %d align %d, want %d %d", c.tag, st.Size, st.Align, c.size, c.align)
		}
	}
	offs := []struct {
		tag, field string
		off        int64
	}{
		{"basic", "i", 4}, {"basic", "l", 16}, {"basic", "tail", 24},
		{"p1", "i", 1}, {"p1", "s", 5}, {"p3", "i", 1}, {"p3", "l", 8},
		{"an1", "b", 8}, {"an1", "c", 8}, {"an1", "d", 16}, {"an1", "e", 18}, {"an1", "f", 20},
		{"f1", "data", 4}, {"f3", "data", 8}, {"a2", "x", 16}, {"a2", "d", 20},
	}
	for _, c := range offs {
		f, off, ok := e.tag(c.tag).FieldByName(c.field)
		if !ok || off != c.off {
			t.Errorf("%s.%s: offset %d (found %v), want %d", c.tag, c.field, off, ok, c.off)
			continue
		}
		_ = f
	}
	b2 := e.tag("b2")
	if f, _, _ := b2.FieldByName("y"); !f.IsBitField || f.BitWidth != 20 || f.BitOffset != 32 || f.Offset != 4 {
		t.Errorf("b2.y = %+v, want bit-field width 20 at bit 32 (it would straddle its int), unit offset 4", *f)
	}
	if f, _, _ := e.tag("f1").FieldByName("data"); f.Type.Kind != ir.ArrayType || f.Type.Len != -1 {
		t.Errorf("flexible array member type %v len %d", f.Type, f.Type.Len)
	}
	if !e.tag("p1").Packed || e.tag("basic").Packed {
		t.Error("Packed flag wrong")
	}
}

func TestEnumsAndTypedefs(t *testing.T) {
	e, _ := declareAll(t, layoutSnippets["enums"]+layoutSnippets["typedefs"])
	for name, want := range map[string]int64{"B2": 0, "C5": 16, "D5": 17, "E5": 33, "F5": 12, "G5": 97, "H5": 15, "B3": 0x100000001, "A4": -2147483648, "A10": 7, "B10": 9, "C10": 2, "D10": -4, "E10": -1, "A11": 16, "C11": 0xff, "D11": -1} {
		if v, ok := e.enumConst(name); !ok || v != want {
			t.Errorf("%s = %d (%v), want %d", name, v, ok, want)
		}
	}
	for tag, want := range map[string][2]int64{"e1": {4, 0}, "e2": {4, 1}, "e3": {8, 0}, "e6": {1, 0}, "e7": {1, 1}, "e8": {4, 0}, "e9": {2, 1}} {
		et := e.enumTag(tag)
		if et == nil || et.Size != want[0] || et.Signed != (want[1] == 1) || et.Tag != tag || et.Kind != ir.IntType {
			t.Errorf("enum %s = %+v, want size %d signed %v", tag, et, want[0], want[1] == 1)
		}
	}
	tagT := e.typedef("tag2_t")
	if tagT == nil || tagT != e.tag("tag_s") || tagT.Name != "struct tag_s" {
		t.Errorf("tag2_t = %v, want struct tag_s itself", tagT)
	}
	if p := e.typedef("tag_p"); p.Kind != ir.PointerType || p.Elem != e.tag("tag_s") {
		t.Errorf("tag_p = %v", p)
	}
	h := e.typedef("handler_t")
	if h.Kind != ir.PointerType || h.Elem.Kind != ir.FuncType || h.Elem.Elem != tyInt || len(h.Elem.Params) != 2 || h.Elem.Params[0].Kind != ir.PointerType {
		t.Errorf("handler_t = %v", h)
	}
	if hs := e.typedef("handlers_t"); hs.Kind != ir.ArrayType || hs.Len != 4 || hs.Size != 32 {
		t.Errorf("handlers_t = %v size %d", hs, hs.Size)
	}
	ops := e.typedef("ops_t")
	if ops.Tag != "ops_t" || ops.Name != "ops_t" || ops.Size != 40 {
		t.Errorf("anonymous typedef'd struct: tag %q name %q size %d", ops.Tag, ops.Name, ops.Size)
	}
	// A pointer member to a struct defined later knows its tag and, once
	// the definition is seen, its layout.
	td2 := e.tag("td2")
	if f, _, _ := td2.FieldByName("p"); f.Type.Elem != e.tag("fwd") || f.Type.Elem.Incomplete || f.Type.Elem.Size != 24 {
		t.Errorf("td2.p points to %+v", f.Type.Elem)
	}
	if e.tag("td3").Size != 24 {
		t.Errorf("td3 size %d", e.tag("td3").Size)
	}
}

func TestFunctionsAndGlobals(t *testing.T) {
	e, _ := declareAll(t, `
struct dev { int id; };
static int probe(struct dev *d, unsigned long flags);
int probe(struct dev *d, unsigned long flags) { return 0; }
extern void *alloc(unsigned long n, ...);
static inline int helper(int a[4], void (*cb)(void)) { return 0; }
int (*pick(int which))(struct dev *);
struct dev devices[8], *current_dev;
static const char name[] = "x";
int later(void);
`)
	f := e.function("probe")
	if f == nil || f.Kind != ir.FuncType || f.Elem != tyInt || len(f.Params) != 2 || f.Params[0].Elem != e.tag("dev") || f.Params[1] != tyUlong {
		t.Fatalf("probe = %v", f)
	}
	if !e.isStaticFunc("probe") || !e.isStaticFunc("helper") || e.isStaticFunc("alloc") || e.isStaticFunc("later") {
		t.Error("static functions wrong")
	}
	if a := e.function("alloc"); a == nil || !a.Variadic || a.Elem.Kind != ir.PointerType {
		t.Errorf("alloc = %v", a)
	}
	if h := e.function("helper"); h == nil || h.Params[0].Kind != ir.PointerType || h.Params[1].Kind != ir.PointerType || h.Params[1].Elem.Kind != ir.FuncType {
		t.Errorf("helper params = %v (arrays and functions decay)", h)
	}
	if p := e.function("pick"); p == nil || p.Elem.Kind != ir.PointerType || p.Elem.Elem.Kind != ir.FuncType || len(p.Params) != 1 {
		t.Errorf("pick = %v", p)
	}
	if l := e.function("later"); l == nil || len(l.Params) != 0 {
		t.Errorf("later(void) = %v", l)
	}
	if d := e.global("devices"); d == nil || d.Kind != ir.ArrayType || d.Len != 8 || d.Size != 32 {
		t.Errorf("devices = %v", d)
	}
	if c := e.global("current_dev"); c == nil || c.Kind != ir.PointerType || c.Elem != e.tag("dev") {
		t.Errorf("current_dev = %v", c)
	}
	if e.function("devices") != nil || e.global("probe") != nil || e.global("nosuch") != nil || e.tag("nosuch") != nil {
		t.Error("name kinds mixed up")
	}
}

// mapScope is a typeScope for tests.
type mapScope map[string]*ir.Type

func (m mapScope) lookup(name string) *ir.Type { return m[name] }

// exprOf finds the initializer expression of the file-scope variable
// name (the test sources write the expressions to type as initializers).
func exprOf(t *testing.T, ast *cc.AST, name string) cc.ExpressionNode {
	t.Helper()
	for tu := ast.TranslationUnit; tu != nil; tu = tu.TranslationUnit {
		ed := tu.ExternalDeclaration
		if ed == nil || ed.Case != cc.ExternalDeclarationDecl || ed.Declaration.InitDeclaratorList == nil {
			continue
		}
		id := ed.Declaration.InitDeclaratorList.InitDeclarator
		if id.Declarator.Name() == name && id.Initializer != nil {
			return id.Initializer.AssignmentExpression
		}
	}
	t.Fatalf("no initializer for %s", name)
	return nil
}

func TestExprType(t *testing.T) {
	src := `
struct list_head { struct list_head *next, *prev; };
struct opaque;
struct hub { int n; struct list_head list; struct hub *parent; struct opaque *o; char name[16]; int (*ops)(struct hub *); unsigned long flags; };
struct hub *get_hub(int);
struct hub *g;
struct opaque *op;
long v1 = ({ const typeof(((struct hub *)0)->list) *__mptr = (&g->list); (struct hub *)((char *)__mptr - ((unsigned long)&(((struct hub*)0)->list))); });
long v2 = g->parent->list.next;
long v3 = *g->name;
long v4 = &g->list;
long v5 = get_hub(1)->n;
long v6 = g->ops(g);
long v7 = op->whatever;
long v8 = g->name[3] + 1;
long v9 = g->flags | 1;
long v10 = g->n ? g : 0;
long v11 = (char)1 + (short)2;
long v12 = ({ int __a = 1; long __b = 2; __a > __b ? __a : __b; });
long v13 = g->name;
long v14 = local->n;
long v15 = sizeof(g->name);
long v16 = _Generic(g->flags, char: (char)0, unsigned long: (unsigned long)0, default: g->flags);
long v17 = (g + 1)->parent;
long v18 = &g->name[2] - g->name;
long v19 = ({ __auto_type p = g; p; });
long v20 = 1UL << 3;
`
	e, ast := declareAll(t, src)
	hub := e.tag("hub")
	sc := mapScope{"local": e.pointerTo(hub)}
	check := func(v string, want string) {
		t.Helper()
		got := e.exprType(exprOf(t, ast, v), sc)
		if got.String() != want {
			t.Errorf("%s: type %s, want %s", v, got, want)
		}
	}
	check("v1", "struct hub *")
	check("v2", "struct list_head *")
	check("v3", "char")
	check("v4", "struct list_head *")
	check("v5", "int")
	check("v6", "int")
	check("v7", "?") // member of an incomplete struct: unknown, no crash
	check("v8", "int")
	check("v9", "unsigned long")
	check("v10", "struct hub *")
	check("v11", "int")
	check("v12", "long")
	check("v13", "char[16]")
	check("v14", "int")
	check("v15", "unsigned long")
	check("v16", "unsigned long")
	check("v17", "struct hub *")
	check("v18", "long")
	check("v19", "struct hub *")
	check("v20", "unsigned long")
	if got := e.exprType(exprOf(t, ast, "v14"), nil); !got.IsUnknown() {
		t.Errorf("v14 without scope: %s, want unknown", got)
	}
	if got := e.exprType(exprOf(t, ast, "v1"), nil); got.Elem != hub {
		t.Errorf("container_of result points to %v, want the struct hub type itself", got.Elem)
	}
	if v, ok := e.constValue(exprOf(t, ast, "v15")); !ok || v != 16 {
		t.Errorf("sizeof(g->name) = %d %v", v, ok)
	}
}

func TestOffsetofConst(t *testing.T) {
	src := `
struct in { char a; int b[4]; };
struct out { long x; struct in i; union { char u1; long u2; }; };
long o1 = __builtin_offsetof(struct out, i.b[2]);
long o2 = __builtin_offsetof(struct out, u2);
long o3 = ((unsigned long)&((struct out *)0)->i.a) + 1;
`
	e, ast := declareAll(t, src)
	for name, want := range map[string]int64{"o1": 20, "o2": 32, "o3": 9} {
		if v, ok := e.constValue(exprOf(t, ast, name)); !ok || v != want {
			t.Errorf("%s = %d (%v), want %d", name, v, ok, want)
		}
	}
}

// TestOddInputIsUnknown feeds constructs the layer does not model; the
// answer must be unknown (or right), never a panic (testingPanics makes
// a recovered panic fail here).
func TestOddInputIsUnknown(t *testing.T) {
	src := `
typedef struct undefined_s undef_t;
struct uses_undef { int a; undef_t u; int b; };
struct vla_like { int n; char c[nosuch]; };
struct fnmember { int a; };
enum { BIG = nosuch_const + 1, NEXT };
extern int arr[];
struct selfref { struct selfref *next; struct selfref2 *other; };
int x1 = sizeof(struct undefined_s);
typedef __typeof__(nosuchvar) weird_t;
union uu { struct undefined_s *p; };
`
	e, ast := declareAll(t, src)
	u := e.tag("uses_undef")
	if u.Size != -1 {
		t.Errorf("struct with an incomplete member: size %d, want -1", u.Size)
	}
	if f, off, _ := u.FieldByName("a"); off != 0 || f == nil {
		t.Errorf("member before the unknown one: offset %d", off)
	}
	if f, _, _ := u.FieldByName("b"); f.Offset != -1 {
		t.Errorf("member after the unknown one: offset %d, want -1", f.Offset)
	}
	if e.tag("vla_like").Size != -1 {
		t.Error("non-constant bound must make the size unknown")
	}
	if _, ok := e.constValue(exprOf(t, ast, "x1")); ok {
		t.Error("sizeof an incomplete struct must not be constant")
	}
	if w := e.typedef("weird_t"); !w.IsUnknown() {
		t.Errorf("typeof(unknown) = %v", w)
	}
	if a := e.global("arr"); a.Kind != ir.ArrayType || a.Len != -1 || a.Size != -1 {
		t.Errorf("int arr[] = %v size %d", a, a.Size)
	}
	if s := e.tag("selfref2"); s == nil || !s.Incomplete || s.Size != -1 {
		t.Errorf("forward-only tag = %+v", s)
	}
	if uu := e.tag("uu"); uu.Size != 8 {
		t.Errorf("union of pointer to incomplete: size %d", uu.Size)
	}
	// Nil and garbage inputs.
	if !e.exprType(nil, nil).IsUnknown() || !e.typeNameType(nil).IsUnknown() {
		t.Error("nil input must be unknown")
	}
	if _, ok := e.constValue(nil); ok {
		t.Error("nil constant")
	}
	e.declare(nil)
}

// TestDeclTypeLocals covers what the lowering asks for inside bodies:
// locals, block-scope tags and typedefs, typeof of a local.
func TestDeclTypeLocals(t *testing.T) {
	src := `
struct dev { int id; long x; };
void f(struct dev *d) {
	struct local_s { char a; long b; } ls;
	typedef struct dev *devp;
	devp p;
	typeof(d) q;
	int arr[sizeof(struct local_s)];
}
`
	e, ast := declareAll(t, src)
	var fd *cc.FunctionDefinition
	for tu := ast.TranslationUnit; tu != nil; tu = tu.TranslationUnit {
		if tu.ExternalDeclaration.Case == cc.ExternalDeclarationFuncDef {
			fd = tu.ExternalDeclaration.FunctionDefinition
		}
	}
	sc := mapScope{"d": e.pointerTo(e.tag("dev"))}
	got := map[string]*ir.Type{}
	for l := fd.CompoundStatement.BlockItemList; l != nil; l = l.BlockItemList {
		d := l.BlockItem.Declaration
		if d == nil {
			continue
		}
		id := d.InitDeclaratorList.InitDeclarator
		got[id.Declarator.Name()] = e.declTypeIn(d.DeclarationSpecifiers, id.Declarator, sc)
	}
	if ls := got["ls"]; ls.Size != 16 || ls.Tag != "local_s" {
		t.Errorf("ls = %v size %d", ls, ls.Size)
	}
	if p := got["p"]; p.Kind != ir.PointerType || p.Elem != e.tag("dev") {
		t.Errorf("p = %v", p)
	}
	if q := got["q"]; q.Kind != ir.PointerType || q.Elem != e.tag("dev") {
		t.Errorf("typeof(d) q = %v", q)
	}
	if a := got["arr"]; a.Len != 16 || a.Size != 64 {
		t.Errorf("arr = %v size %d", a, a.Size)
	}
}

func TestIntLiterals(t *testing.T) {
	for lit, want := range map[string]string{"0": "int", "2147483647": "int", "2147483648": "long", "0x80000000": "unsigned int", "1U": "unsigned int", "1UL": "unsigned long", "1ull": "unsigned long", "0xffffffffffffffff": "unsigned long", "010": "int", "1LL": "long"} {
		_, ty, ok := tyIntLiteral(lit)
		if !ok || ty.Name != want {
			t.Errorf("%s: %v, want %s", lit, ty, want)
		}
	}
	if v, _, _ := tyIntLiteral("010"); v != 8 {
		t.Errorf("octal 010 = %d", v)
	}
}

// tyHead is the first n lines of s (gcc can print many errors).
func tyHead(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}
