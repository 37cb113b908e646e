package frontend

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// UsageError is an error in what the user asked for (a missing path, no
// kernel tree, an unconfigured tree): cmd/kcheck exits with status 2 and
// prints it as is.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func usageErrorf(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// Tree is a kernel source tree.
type Tree struct {
	// Root is the absolute path of the tree's top directory.
	Root string
	// Configured is set when include/generated/autoconf.h exists (make
	// prepare, or at least make *config syncconfig, was run).
	Configured bool
	// Config holds the CONFIG_ options from include/generated/autoconf.h:
	// "y" for built-in or boolean, "m" for modules, the value otherwise.
	Config map[string]string
	// Arch is the kbuild SRCARCH the configuration is for (x86, arm64, ...).
	Arch string
}

// isTreeRoot reports whether dir looks like the top of a kernel tree: a
// Makefile that sets VERSION, a Kbuild file and include/linux.
func isTreeRoot(dir string) bool {
	if st, err := os.Stat(filepath.Join(dir, "include", "linux")); err != nil || !st.IsDir() {
		return false
	}
	if _, err := os.Stat(filepath.Join(dir, "Kbuild")); err != nil {
		return false
	}
	mk, err := os.ReadFile(filepath.Join(dir, "Makefile"))
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(mk), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VERSION" && (f[1] == "=" || f[1] == ":=") {
			return true
		}
	}
	return false
}

// findTreeRoot walks up from dir to the kernel tree root.
func findTreeRoot(dir string) (string, bool) {
	for {
		if isTreeRoot(dir) {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// OpenTree reads a kernel tree's configuration.
func OpenTree(root string) (*Tree, error) {
	t := &Tree{Root: root, Config: map[string]string{}, Arch: "x86"}
	data, err := os.ReadFile(filepath.Join(root, "include", "generated", "autoconf.h"))
	if errors.Is(err, fs.ErrNotExist) {
		return t, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read kernel configuration: %w", err)
	}
	t.Configured = true
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 3 || f[0] != "#define" || !strings.HasPrefix(f[1], "CONFIG_") {
			continue
		}
		name, val := f[1], strings.Join(f[2:], " ")
		if strings.HasSuffix(name, "_MODULE") && val == "1" {
			t.Config[strings.TrimSuffix(name, "_MODULE")] = "m"
			continue
		}
		if val == "1" {
			if _, isMod := t.Config[name]; !isMod {
				t.Config[name] = "y"
			}
			continue
		}
		t.Config[name] = val
	}
	for _, a := range []struct{ opt, arch string }{
		{"CONFIG_X86", "x86"}, {"CONFIG_ARM64", "arm64"}, {"CONFIG_ARM", "arm"},
		{"CONFIG_RISCV", "riscv"}, {"CONFIG_PPC", "powerpc"}, {"CONFIG_S390", "s390"},
		{"CONFIG_MIPS", "mips"}, {"CONFIG_LOONGARCH", "loongarch"},
	} {
		if t.Config[a.opt] != "" {
			t.Arch = a.arch
			break
		}
	}
	return t, nil
}

// Rel returns path relative to the tree root with forward slashes, or the
// cleaned absolute path when it is outside the tree.
func (t *Tree) Rel(path string) string {
	if !filepath.IsAbs(path) {
		path = filepath.Join(t.Root, path)
	}
	path = filepath.Clean(path)
	rel, err := filepath.Rel(t.Root, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		return filepath.ToSlash(path)
	}
	return filepath.ToSlash(rel)
}

// target is one PATH argument, resolved.
type target struct {
	abs   string // absolute, cleaned
	rel   string // relative to the tree root (or absolute outside it)
	isDir bool
}

// resolveTargets checks the PATH arguments and finds the kernel tree they
// are in (or uses kernelDir).
func resolveTargets(paths []string, kernelDir string) (*Tree, []target, error) {
	if len(paths) == 0 {
		return nil, nil, usageErrorf("no PATH given: name a directory or .c file inside a kernel tree")
	}
	var ts []target
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, nil, usageErrorf("%s: %v", p, err)
		}
		if r, err := filepath.EvalSymlinks(abs); err == nil {
			abs = r
		}
		st, err := os.Stat(abs)
		if err != nil {
			return nil, nil, usageErrorf("%s: no such file or directory", p)
		}
		if !st.IsDir() && !strings.HasSuffix(abs, ".c") {
			return nil, nil, usageErrorf("%s: not a directory or .c file", p)
		}
		ts = append(ts, target{abs: abs, isDir: st.IsDir()})
	}
	var root string
	if kernelDir != "" {
		abs, err := filepath.Abs(kernelDir)
		if err != nil {
			return nil, nil, usageErrorf("--kernel %s: %v", kernelDir, err)
		}
		if r, err := filepath.EvalSymlinks(abs); err == nil {
			abs = r
		}
		if !isTreeRoot(abs) {
			return nil, nil, usageErrorf("--kernel %s: not a kernel tree (no top Makefile with VERSION, Kbuild and include/linux)", kernelDir)
		}
		root = abs
	} else {
		for i, t := range ts {
			dir := t.abs
			if !t.isDir {
				dir = filepath.Dir(dir)
			}
			r, ok := findTreeRoot(dir)
			if !ok {
				return nil, nil, usageErrorf("%s: not inside a kernel tree (no parent directory has a Makefile with VERSION, Kbuild and include/linux); for an out-of-tree module, pass --kernel DIR", paths[i])
			}
			if root != "" && r != root {
				return nil, nil, usageErrorf("%s and %s are in different kernel trees (%s, %s)", paths[0], paths[i], root, r)
			}
			root = r
		}
	}
	tree, err := OpenTree(root)
	if err != nil {
		return nil, nil, err
	}
	for i := range ts {
		ts[i].rel = tree.Rel(ts[i].abs)
	}
	return tree, ts, nil
}

// contains reports whether file (absolute) is the target or inside it.
func (t target) contains(file string) bool {
	if !t.isDir {
		return file == t.abs
	}
	return file == t.abs || strings.HasPrefix(file, t.abs+string(filepath.Separator))
}

// walkCFiles lists the .c files under the targets (absolute, sorted),
// skipping hidden directories and the tree's tools/ and scripts/ host code
// only when a target is the tree root itself.
func walkCFiles(tree *Tree, ts []target) ([]string, error) {
	seen := map[string]bool{}
	var files []string
	for _, t := range ts {
		if !t.isDir {
			if !seen[t.abs] {
				seen[t.abs] = true
				files = append(files, t.abs)
			}
			continue
		}
		err := filepath.WalkDir(t.abs, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				name := d.Name()
				if p != t.abs && (strings.HasPrefix(name, ".") || p == filepath.Join(tree.Root, "tools") || p == filepath.Join(tree.Root, "scripts")) {
					return filepath.SkipDir
				}
				return nil
			}
			if strings.HasSuffix(p, ".c") && d.Type().IsRegular() && !seen[p] {
				seen[p] = true
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("walk %s: %w", t.abs, err)
		}
	}
	sort.Strings(files) // for determinism
	return files, nil
}
