package frontend

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeTree writes files (path -> content) under a new temporary directory
// and returns it.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for p, content := range files {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// fakeKernel is the least a directory needs to be a configured kernel tree.
func fakeKernel(extra map[string]string) map[string]string {
	files := map[string]string{
		"Makefile":                     "VERSION = 6\nPATCHLEVEL = 1\n",
		"Kbuild":                       "# test tree\n",
		"include/linux/types.h":        "typedef unsigned long size_t;\nstatic inline int helper(int x) { return x + 1; }\n",
		"include/generated/autoconf.h": "#define CONFIG_X86 1\n#define CONFIG_FOO 1\n#define CONFIG_BAR_MODULE 1\n",
		"drivers/foo/Makefile":         "obj-$(CONFIG_FOO) += good.o broken.o\nobj-$(CONFIG_BAR) += bar.o\nobj-$(CONFIG_NOPE) += off.o\nccflags-y += -DFOO_LEVEL=3 -Wall\n",
		"drivers/foo/good.c":           "#include <linux/types.h>\nint good(int a) { return helper(a) + FOO_LEVEL; }\n",
		"drivers/foo/broken.c":         "int broken(int a) { return a + ; }\n",
		"drivers/foo/bar.c":            "#ifndef MODULE\n#error bar is a module\n#endif\nint bar(void) { return 0; }\n",
		"drivers/foo/off.c":            "int off(void) { return 0; }\n",
	}
	for k, v := range extra {
		files[k] = v
	}
	return files
}

func failureFor(p *Program, file string) string {
	for _, f := range p.Failures {
		if f.File == file {
			return f.Reason
		}
	}
	return ""
}

func TestLoadSynthesizedFlags(t *testing.T) {
	root := writeTree(t, fakeKernel(nil))
	prog, err := Load(context.Background(), Options{Paths: []string{filepath.Join(root, "drivers/foo")}, RePanic: true})
	if err != nil {
		t.Fatal(err)
	}
	// off.c is not built with this configuration.
	if prog.Stats.Found != 3 {
		t.Fatalf("found %d units, want 3 (good, broken, bar): %+v", prog.Stats.Found, prog.Failures)
	}
	var parsed []string
	for _, u := range prog.Units {
		parsed = append(parsed, u.File)
	}
	if strings.Join(parsed, " ") != "drivers/foo/bar.c drivers/foo/good.c" {
		t.Errorf("parsed %v, want bar.c (built as a module: -DMODULE) and good.c (ccflags-y -D)", parsed)
	}
	if r := failureFor(prog, "drivers/foo/broken.c"); !strings.Contains(r, "preprocess") && !strings.Contains(r, "parse") {
		t.Errorf("broken.c: failure %q, want a parse or compiler error", r)
	}
	if prog.Stats.Sources[FromSynthesized] != 2 {
		t.Errorf("sources %v, want 2 synthesized", prog.Stats.Sources)
	}
}

func TestLoadBadInput(t *testing.T) {
	ctx := context.Background()
	t.Run("missing path", func(t *testing.T) {
		_, err := Load(ctx, Options{Paths: []string{"/nonexistent/kcheck/dir"}})
		var ue *UsageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), "no such file or directory") {
			t.Fatalf("err = %v, want a usage error naming the missing path", err)
		}
	})
	t.Run("outside a tree", func(t *testing.T) {
		dir := writeTree(t, map[string]string{"a.c": "int a;\n"})
		_, err := Load(ctx, Options{Paths: []string{dir}})
		var ue *UsageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), "not inside a kernel tree") {
			t.Fatalf("err = %v, want 'not inside a kernel tree'", err)
		}
	})
	t.Run("unconfigured tree", func(t *testing.T) {
		files := fakeKernel(nil)
		delete(files, "include/generated/autoconf.h")
		root := writeTree(t, files)
		_, err := Load(ctx, Options{Paths: []string{filepath.Join(root, "drivers/foo")}})
		var ue *UsageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), "make defconfig prepare") {
			t.Fatalf("err = %v, want a usage error saying what to run", err)
		}
	})
	t.Run("malformed compile_commands.json given explicitly", func(t *testing.T) {
		root := writeTree(t, fakeKernel(map[string]string{"cc.json": "[{\"file\": "}))
		_, err := Load(ctx, Options{Paths: []string{filepath.Join(root, "drivers/foo")}, CompileCommands: filepath.Join(root, "cc.json")})
		var ue *UsageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), "cc.json") || !strings.Contains(err.Error(), "malformed") {
			t.Fatalf("err = %v, want a usage error naming cc.json as malformed", err)
		}
	})
	t.Run("malformed compile_commands.json at the root", func(t *testing.T) {
		root := writeTree(t, fakeKernel(map[string]string{"compile_commands.json": "{not json"}))
		prog, err := Load(ctx, Options{Paths: []string{filepath.Join(root, "drivers/foo")}})
		if err != nil {
			t.Fatal(err)
		}
		if len(prog.Warnings) != 1 || !strings.Contains(prog.Warnings[0], "compile_commands.json") {
			t.Errorf("warnings %q, want one about compile_commands.json", prog.Warnings)
		}
		if prog.Stats.Parsed != 2 {
			t.Errorf("parsed %d units, want 2 with synthesized flags", prog.Stats.Parsed)
		}
	})
	t.Run("compile_commands.json names a non-compiler and a missing unit", func(t *testing.T) {
		root := writeTree(t, fakeKernel(nil))
		db := `[
 {"directory": "` + root + `", "file": "drivers/foo/good.c", "command": "gcc -DFOO_LEVEL=1 -c -o drivers/foo/good.o drivers/foo/good.c -Iinclude"},
 {"directory": "` + root + `", "file": "drivers/foo/bar.c", "arguments": ["rm", "-rf", "drivers/foo/bar.c"]},
 {"directory": "` + root + `", "file": "drivers/foo/gone.c", "command": "gcc -c drivers/foo/gone.c"}
]`
		if err := os.WriteFile(filepath.Join(root, "compile_commands.json"), []byte(db), 0o644); err != nil {
			t.Fatal(err)
		}
		prog, err := Load(ctx, Options{Paths: []string{filepath.Join(root, "drivers/foo")}})
		if err != nil {
			t.Fatal(err)
		}
		if r := failureFor(prog, "drivers/foo/bar.c"); !strings.Contains(r, `"rm"`) || !strings.Contains(r, "not a known C compiler") {
			t.Errorf("bar.c failure %q, want it to refuse running rm", r)
		}
		if _, err := os.Stat(filepath.Join(root, "drivers/foo/bar.c")); err != nil {
			t.Errorf("bar.c is gone: kcheck ran the command: %v", err)
		}
		if r := failureFor(prog, "drivers/foo/gone.c"); !strings.Contains(r, "no such file") {
			t.Errorf("gone.c failure %q, want 'no such file'", r)
		}
		if prog.Stats.Parsed != 1 || prog.Units[0].File != "drivers/foo/good.c" {
			t.Errorf("parsed %d units, want good.c alone", prog.Stats.Parsed)
		}
	})
	t.Run("binary file named .c", func(t *testing.T) {
		root := writeTree(t, fakeKernel(map[string]string{"drivers/foo/good.c": "\x7fELF\x00\x01\x02"}))
		prog, err := Load(ctx, Options{Paths: []string{filepath.Join(root, "drivers/foo")}})
		if err != nil {
			t.Fatal(err)
		}
		if r := failureFor(prog, "drivers/foo/good.c"); !strings.Contains(r, "binary file") {
			t.Errorf("failure %q, want 'binary file'", r)
		}
		if prog.Stats.Parsed != 1 {
			t.Errorf("parsed %d, want the other unit (bar.c) still analysed", prog.Stats.Parsed)
		}
	})
	t.Run("unit fails to preprocess", func(t *testing.T) {
		root := writeTree(t, fakeKernel(map[string]string{"drivers/foo/good.c": "#include <linux/missing.h>\nint x;\n"}))
		prog, err := Load(ctx, Options{Paths: []string{filepath.Join(root, "drivers/foo")}})
		if err != nil {
			t.Fatal(err)
		}
		if r := failureFor(prog, "drivers/foo/good.c"); !strings.Contains(r, "preprocess") || !strings.Contains(r, "missing.h") {
			t.Errorf("failure %q, want the compiler's error naming missing.h", r)
		}
	})
	t.Run("named .c file outside the Makefile", func(t *testing.T) {
		root := writeTree(t, fakeKernel(nil))
		prog, err := Load(ctx, Options{Paths: []string{filepath.Join(root, "drivers/foo/off.c")}})
		if err != nil {
			t.Fatal(err)
		}
		if prog.Stats.Parsed != 1 {
			t.Errorf("parsed %d, want the named unit analysed: %+v", prog.Stats.Parsed, prog.Failures)
		}
	})
}

func TestSplitCommand(t *testing.T) {
	got, err := SplitCommand(`gcc -DKBUILD_MODNAME='"usbcore"' -D"A=b c" x\ y.c -c -o hub.o hub.c ; ./tools/objtool/objtool --orc hub.o`)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"gcc", `-DKBUILD_MODNAME="usbcore"`, "-DA=b c", "x y.c", "-c", "-o", "hub.o", "hub.c"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q\nwant %q", got, want)
	}
	for _, bad := range []string{"gcc $(rm -rf /) x.c", "gcc `id` x.c", "gcc x.c > out", "gcc 'x.c"} {
		if _, err := SplitCommand(bad); err == nil {
			t.Errorf("SplitCommand(%q) accepted it", bad)
		}
	}
}

func TestKnownCompiler(t *testing.T) {
	for _, c := range []string{"gcc", "/usr/bin/gcc-12", "cc", "clang", "clang-16", "x86_64-linux-gnu-gcc", "aarch64-linux-gnu-gcc-12"} {
		if !knownCompiler(c) {
			t.Errorf("%s not accepted", c)
		}
	}
	for _, c := range []string{"rm", "sh", "bash", "python3", "/tmp/gcc-evil.sh", "make"} {
		if knownCompiler(c) {
			t.Errorf("%s accepted", c)
		}
	}
}

func TestPreprocessArgs(t *testing.T) {
	cmd := &compileCommand{file: "/k/drivers/usb/core/hub.c", dir: "/k", argv: []string{"gcc", "-Wp,-MMD,drivers/usb/core/.hub.o.d", "-nostdinc", "-I./include", "-DX=1", "-c", "-o", "drivers/usb/core/hub.o", "drivers/usb/core/hub.c", "-MF", "x.d"}}
	got := strings.Join(preprocessArgs(cmd), " ")
	if got != "-nostdinc -I./include -DX=1 -E /k/drivers/usb/core/hub.c" {
		t.Errorf("got %q", got)
	}
}

func TestSynthesizedUnitSelection(t *testing.T) {
	root := writeTree(t, fakeKernel(map[string]string{
		"drivers/Makefile":      "obj-$(CONFIG_FOO) += foo/\nobj-$(CONFIG_NOPE) += off/\n",
		"drivers/off/Makefile":  "obj-y += skipped.o\n",
		"drivers/off/skipped.c": "int skipped;\n",
		"drivers/foo/Makefile":  "ifeq ($(CONFIG_FOO),y)\nobj-y += cond.o\nelse\nobj-y += notcond.o\nendif\nifdef CONFIG_NOPE\nobj-y += nope.o\nendif\ncomp-y := part1.o\nobj-$(CONFIG_BAR) += comp.o\n",
		"drivers/foo/cond.c":    "int cond;\n",
		"drivers/foo/notcond.c": "int notcond;\n",
		"drivers/foo/nope.c":    "int nope;\n",
		"drivers/foo/part1.c":   "#ifndef MODULE\n#error part of a module\n#endif\nint part1;\n",
	}))
	prog, err := Load(context.Background(), Options{Paths: []string{filepath.Join(root, "drivers")}, RePanic: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range prog.Units {
		got = append(got, u.File)
	}
	want := "drivers/foo/cond.c drivers/foo/part1.c"
	if strings.Join(got, " ") != want {
		t.Errorf("units %v, want %s (ifeq/else/ifdef evaluated, composite object part of module comp, drivers/off not descended into)", got, want)
	}
}

func TestLoadOutOfTreeModule(t *testing.T) {
	root := writeTree(t, fakeKernel(nil))
	mod := writeTree(t, map[string]string{
		"Makefile": "obj-m += mymod.o\n",
		"mymod.c":  "#include <linux/types.h>\nint mymod_init(void) { return helper(1); }\n",
	})
	if _, err := Load(context.Background(), Options{Paths: []string{mod}}); err == nil {
		t.Fatal("a module outside any tree loaded without --kernel")
	}
	prog, err := Load(context.Background(), Options{Paths: []string{mod}, KernelDir: root, RePanic: true})
	if err != nil {
		t.Fatal(err)
	}
	if prog.Stats.Parsed != 1 || len(prog.Units[0].Funcs) != 1 || prog.Units[0].Funcs[0].Name != "mymod_init" {
		t.Fatalf("parsed %d units, failures %+v; want mymod.c with mymod_init", prog.Stats.Parsed, prog.Failures)
	}
	if !strings.HasSuffix(prog.Units[0].File, "/mymod.c") {
		t.Errorf("unit file %q", prog.Units[0].File)
	}
}
