package frontend

import (
	"strings"
	"testing"
)

func TestPrune(t *testing.T) {
	src := `# 0 "drivers/x/a.c"
# 1 "./include/linux/api.h" 1
typedef unsigned int u32;
struct api { int (*probe)(void); };
extern int api_used(int x);
extern int api_unused(int x);
extern int api_var_unused, api_var_used;
static inline int api_inline(int x)
{
	return x + 1;
}
static inline __attribute__((always_inline)) int api_attr(void) { return 2; }
struct api;
# 2 "drivers/x/a.c" 2
# 1 "drivers/x/local.h" 1
static inline int local_helper(void) { return 3; }
# 3 "drivers/x/a.c" 2
static int table[4] = { [0] { 1 }, };
int f(void)
{
	return api_used(api_var_used) + api_inline(1) + local_helper();
}
#pragma GCC diagnostic push
int g(void) { return 0; }
`
	out, st := prune([]byte(src), pruneOptions{dropUnused: true, keepFile: func(f string) bool { return strings.HasPrefix(cleanMarkerPath(f), "drivers/x/") }})
	got := string(out)
	if n, m := strings.Count(src, "\n"), strings.Count(got, "\n"); n != m {
		t.Errorf("prune changed the line count from %d to %d", n, m)
	}
	for _, want := range []string{
		`#line 1 "./include/linux/api.h"`,
		"typedef unsigned int u32;",
		"struct api { int (*probe)(void); };",
		"extern int api_used(int x);",
		"extern int api_var_unused, api_var_used;", // one of the two names is used
		"static inline int api_inline(int x) ;",    // body dropped, declaration kept: f calls it
		"static inline int local_helper(void) { return 3; }",
		"[0] ={ 1 }",
		"int g(void) { return 0; }",
		"struct api;",
	} {
		if !strings.Contains(got, want) && !strings.Contains(strings.Join(strings.Fields(got), " "), want) {
			t.Errorf("output lacks %q", want)
		}
	}
	for _, gone := range []string{"api_unused", "return x + 1", "api_attr", "#pragma"} {
		if strings.Contains(got, gone) {
			t.Errorf("output still has %q", gone)
		}
	}
	if st.BodiesDropped != 2 || st.Designators != 1 {
		t.Errorf("stats %+v, want 2 bodies dropped and 1 designator fixed", st)
	}
	// The result parses, and positions are source positions.
	ast, err := parseText("a.i", out)
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, got)
	}
	var pos []string
	for l := ast.TranslationUnit; l != nil; l = l.TranslationUnit {
		if fd := l.ExternalDeclaration.FunctionDefinition; fd != nil {
			pos = append(pos, fd.Position().String())
		}
	}
	if strings.Join(pos, " ") != "drivers/x/local.h:1:1 drivers/x/a.c:4:1 drivers/x/a.c:9:1" {
		t.Errorf("function positions %v", pos)
	}
}

func TestIsFunctionBody(t *testing.T) {
	toks := func(s string) []tok {
		var ts []tok
		for _, f := range strings.Fields(s) {
			k := tokPunct
			if isIdentStart(f[0]) {
				k = tokIdent
			}
			ts = append(ts, tok{kind: k, text: f})
		}
		return ts
	}
	for s, want := range map[string]bool{
		"int f ( void )": true,
		"static int f ( int a ) __attribute__ ( ( x ) )": true,
		"struct s":                            false,
		"struct __attribute__ ( ( packed ) )": false,
		"int a [ ] =":                         false,
		"void ( * f ( int ) ) ( int )":        true,
		"enum":                                false,
	} {
		if got := isFunctionBody(toks(s)); got != want {
			t.Errorf("isFunctionBody(%q) = %v, want %v", s, got, want)
		}
	}
}
