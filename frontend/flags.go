package frontend

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// FlagSource says where a unit's compile command came from.
type FlagSource string

const (
	FromCompileCommands FlagSource = "compile_commands.json"
	FromCmdFile         FlagSource = "kbuild .cmd file"
	FromSynthesized     FlagSource = "synthesized kbuild flags"
)

// compileCommand is the command that compiles one unit.
type compileCommand struct {
	file   string   // absolute path of the .c file
	dir    string   // working directory of the command
	argv   []string // the full command, argv[0] the compiler
	source FlagSource
}

// compileDBEntry is one entry of a JSON compilation database.
type compileDBEntry struct {
	Directory string   `json:"directory"`
	File      string   `json:"file"`
	Command   string   `json:"command"`
	Arguments []string `json:"arguments"`
}

// loadCompileCommands reads a compile_commands.json. An entry that cannot
// be split is an error naming the entry: the database is then malformed.
func loadCompileCommands(path string) (map[string]*compileCommand, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var entries []compileDBEntry
	if err := json.Unmarshal(data, &entries); err != nil {
		return nil, fmt.Errorf("%s: malformed compilation database: %v", path, err)
	}
	cmds := map[string]*compileCommand{}
	for i, e := range entries {
		if e.File == "" || (e.Command == "" && len(e.Arguments) == 0) {
			return nil, fmt.Errorf("%s: entry %d has no file or no command", path, i)
		}
		dir := e.Directory
		if dir == "" {
			dir = filepath.Dir(path)
		}
		file := e.File
		if !filepath.IsAbs(file) {
			file = filepath.Join(dir, file)
		}
		file = filepath.Clean(file)
		if r, err := filepath.EvalSymlinks(file); err == nil {
			file = r
		}
		argv := e.Arguments
		if len(argv) == 0 {
			argv, err = SplitCommand(e.Command)
			if err != nil {
				return nil, fmt.Errorf("%s: entry %d (%s): %v", path, i, e.File, err)
			}
		}
		if len(argv) == 0 {
			return nil, fmt.Errorf("%s: entry %d (%s): empty command", path, i, e.File)
		}
		cmds[file] = &compileCommand{file: file, dir: dir, argv: argv, source: FromCompileCommands}
	}
	return cmds, nil
}

// cmdFilePath is where kbuild writes the command that built file.o.
func cmdFilePath(file string) string {
	base := strings.TrimSuffix(filepath.Base(file), ".c")
	return filepath.Join(filepath.Dir(file), "."+base+".o.cmd")
}

// loadCmdFile reads kbuild's .<unit>.o.cmd for a unit: the `cmd_X.o :=`
// line, run from the tree root. It returns nil, nil when there is none.
func loadCmdFile(tree *Tree, file string) (*compileCommand, error) {
	p := cmdFilePath(file)
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "cmd_") {
			continue
		}
		_, cmd, ok := strings.Cut(line, " := ")
		if !ok {
			return nil, fmt.Errorf("%s: malformed cmd_ line", p)
		}
		// make escapes '#' as '\#' in .cmd files.
		cmd = strings.ReplaceAll(cmd, `\#`, "#")
		argv, err := SplitCommand(cmd)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", p, err)
		}
		if len(argv) == 0 {
			return nil, fmt.Errorf("%s: empty command", p)
		}
		return &compileCommand{file: file, dir: tree.Root, argv: argv, source: FromCmdFile}, nil
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %v", p, err)
	}
	return nil, fmt.Errorf("%s: no cmd_ line", p)
}

// hasCmdFile reports whether kbuild compiled file (a .o.cmd with a source_
// line exists next to it).
func hasCmdFile(file string) bool {
	_, err := os.Stat(cmdFilePath(file))
	return err == nil
}

// kbuildDir is what kcheck reads from one directory's Makefile (or Kbuild).
type kbuildDir struct {
	// objects maps an object name ("hub.o") to the module it is linked
	// into ("usbcore") and whether it is built at all with the config, and
	// as a module.
	objects map[string]kbuildObject
	// ccflags are the simple -I/-D/-U flags of ccflags-y (and
	// subdir-ccflags-y of the parents), with $(srctree) and $(src)
	// substituted.
	ccflags []string
	// subdirCCFlags are subdir-ccflags-y, inherited by subdirectories.
	subdirCCFlags []string
	// unitFlags are CFLAGS_<unit>.o.
	unitFlags map[string][]string
	// subdirs are the subdirectories the Makefile descends into with this
	// configuration ("cdns3/"); mentioned are all it names in obj- lines,
	// enabled or not.
	subdirs, mentioned map[string]bool
}

type kbuildObject struct {
	module   string
	isModule bool
}

var makeVarRef = regexp.MustCompile(`\$\((CONFIG_[A-Za-z0-9_]+)\)`)

// readKbuildDir parses the assignments of a kbuild Makefile that matter
// for synthesizing flags. It is an approximation of make: conditionals
// (ifeq/ifdef) are ignored, so both branches count, and only
// $(CONFIG_*), $(srctree), $(src) and $(obj) are expanded.
func readKbuildDir(tree *Tree, dir string, parentSubdirFlags []string) *kbuildDir {
	kd := &kbuildDir{objects: map[string]kbuildObject{}, unitFlags: map[string][]string{}, subdirs: map[string]bool{}, mentioned: map[string]bool{}}
	kd.ccflags = append(kd.ccflags, parentSubdirFlags...)
	kd.subdirCCFlags = append(kd.subdirCCFlags, parentSubdirFlags...)
	var data []byte
	for _, name := range []string{"Kbuild", "Makefile"} {
		if b, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
			data = b
			break
		}
	}
	if data == nil {
		return kd
	}
	relDir := tree.Rel(dir)
	expand := func(s string) string {
		s = makeVarRef.ReplaceAllStringFunc(s, func(m string) string {
			return tree.Config[m[2:len(m)-1]]
		})
		s = strings.NewReplacer("$(srctree)", tree.Root, "$(src)", filepath.Join(tree.Root, relDir), "$(obj)", filepath.Join(tree.Root, relDir)).Replace(s)
		return s
	}
	text := strings.ReplaceAll(string(data), "\\\n", " ")
	composite := map[string][]string{} // module -> objects
	var lines [][2]string
	var conds []condState // the enclosing ifeq/ifdef blocks
	for _, line := range strings.Split(text, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		if f := strings.Fields(line); len(f) > 0 {
			switch f[0] {
			case "ifeq", "ifneq", "ifdef", "ifndef":
				conds = append(conds, evalMakeCond(tree, f[0], strings.TrimSpace(line[len(f[0]):])))
				continue
			case "else":
				if n := len(conds); n > 0 && conds[n-1] != condUnknown {
					conds[n-1] = condTrue - conds[n-1]
				}
				// "else ifeq ..." is approximated as a plain else.
				continue
			case "endif":
				if n := len(conds); n > 0 {
					conds = conds[:n-1]
				}
				continue
			}
		}
		active := true
		for _, c := range conds {
			if c == condFalse {
				active = false
			}
		}
		if !active {
			continue
		}
		var lhs, rhs string
		for _, op := range []string{":=", "+=", "?=", "="} {
			if i := strings.Index(line, op); i > 0 {
				lhs, rhs = strings.TrimSpace(line[:i]), line[i+len(op):]
				break
			}
		}
		if lhs == "" {
			continue
		}
		lines = append(lines, [2]string{expand(lhs), expand(rhs)})
	}
	simpleFlags := func(rhs string) []string {
		var fl []string
		words := strings.Fields(rhs)
		for i := 0; i < len(words); i++ {
			w := words[i]
			switch {
			case (w == "-I" || w == "-D" || w == "-U" || w == "-include") && i+1 < len(words):
				fl = append(fl, w, words[i+1])
				i++
			case strings.HasPrefix(w, "-I") || strings.HasPrefix(w, "-D") || strings.HasPrefix(w, "-U"):
				fl = append(fl, w)
			}
		}
		return fl
	}
	for _, l := range lines {
		lhs, rhs := l[0], l[1]
		if strings.HasPrefix(lhs, "obj-") {
			for _, w := range strings.Fields(rhs) {
				if strings.HasSuffix(w, "/") {
					kd.mentioned[w] = true
					if lhs == "obj-y" || lhs == "obj-m" {
						kd.subdirs[w] = true
					}
				}
			}
		}
		switch {
		case lhs == "obj-y" || lhs == "obj-m":
			for _, w := range strings.Fields(rhs) {
				if strings.HasSuffix(w, ".o") {
					mod := strings.TrimSuffix(w, ".o")
					if _, ok := kd.objects[w]; !ok {
						kd.objects[w] = kbuildObject{module: mod, isModule: lhs == "obj-m"}
					}
				}
			}
		case lhs == "ccflags-y" || lhs == "EXTRA_CFLAGS":
			kd.ccflags = append(kd.ccflags, simpleFlags(rhs)...)
		case lhs == "subdir-ccflags-y":
			f := simpleFlags(rhs)
			kd.ccflags = append(kd.ccflags, f...)
			kd.subdirCCFlags = append(kd.subdirCCFlags, f...)
		case strings.HasPrefix(lhs, "CFLAGS_") && strings.HasSuffix(lhs, ".o"):
			u := strings.TrimPrefix(lhs, "CFLAGS_")
			kd.unitFlags[u] = append(kd.unitFlags[u], simpleFlags(rhs)...)
		case strings.HasSuffix(lhs, "-y") || strings.HasSuffix(lhs, "-objs") || strings.HasSuffix(lhs, "-m"):
			mod := lhs[:strings.LastIndexByte(lhs, '-')]
			if kbuildVars[mod] {
				continue
			}
			for _, w := range strings.Fields(rhs) {
				if strings.HasSuffix(w, ".o") {
					composite[mod] = append(composite[mod], w)
				}
			}
		}
	}
	// Objects of composite modules take the module's name, and are built
	// when the module is.
	mods := make([]string, 0, len(composite))
	for m := range composite {
		mods = append(mods, m)
	}
	sort.Strings(mods) // for determinism
	for _, m := range mods {
		parent, built := kd.objects[m+".o"]
		if !built {
			continue
		}
		for _, o := range composite[m] {
			kd.objects[o] = kbuildObject{module: m, isModule: parent.isModule}
		}
	}
	return kd
}

// kbuildDirs caches readKbuildDir per directory, with subdir-ccflags-y
// inherited from the parents up to the tree root.
type kbuildDirs struct {
	tree *Tree
	dirs map[string]*kbuildDir
}

func (k *kbuildDirs) get(dir string) *kbuildDir {
	if kd, ok := k.dirs[dir]; ok {
		return kd
	}
	var inherited []string
	if dir != k.tree.Root && strings.HasPrefix(dir, k.tree.Root) {
		inherited = k.get(filepath.Dir(dir)).subdirCCFlags
	}
	kd := readKbuildDir(k.tree, dir, inherited)
	k.dirs[dir] = kd
	return kd
}

// builtBySynthesis reports whether the configuration builds file (its
// object appears in the directory Makefile under an enabled obj- line).
func (k *kbuildDirs) builtBySynthesis(file string) bool {
	if !k.dirEnabled(filepath.Dir(file)) {
		return false
	}
	kd := k.get(filepath.Dir(file))
	_, ok := kd.objects[strings.TrimSuffix(filepath.Base(file), ".c")+".o"]
	return ok
}

// synthesize builds the gcc command kbuild would use for file in a
// configured tree: the arch and generated include paths, the forced
// includes, __KERNEL__, KBUILD_MODNAME/BASENAME, MODULE for modules, and
// the directory's simple ccflags.
func (k *kbuildDirs) synthesize(file string) *compileCommand {
	t := k.tree
	a := t.Arch
	argv := []string{"gcc", "-nostdinc",
		"-I./arch/" + a + "/include", "-I./arch/" + a + "/include/generated", "-I./include",
		"-I./arch/" + a + "/include/uapi", "-I./arch/" + a + "/include/generated/uapi",
		"-I./include/uapi", "-I./include/generated/uapi"}
	for _, inc := range []string{"include/linux/compiler-version.h", "include/linux/kconfig.h", "include/linux/compiler_types.h"} {
		if _, err := os.Stat(filepath.Join(t.Root, inc)); err == nil {
			argv = append(argv, "-include", "./"+inc)
		}
	}
	argv = append(argv, "-D__KERNEL__", "-std=gnu11", "-fno-strict-aliasing", "-fshort-wchar", "-fno-PIE", "-O2")
	if a == "x86" {
		argv = append(argv, "-m64", "-mno-sse", "-mno-mmx", "-mno-sse2", "-mno-3dnow", "-mno-avx",
			"-mno-80387", "-mno-fp-ret-in-387", "-mno-red-zone", "-mcmodel=kernel")
	}
	// Function tracing flags change what headers accept (asm/ftrace.h
	// insists on -mfentry when tracing is configured), as in the top
	// Makefile.
	if t.Config["CONFIG_FUNCTION_TRACER"] != "" {
		argv = append(argv, "-pg")
		if t.Config["CONFIG_FTRACE_MCOUNT_USE_CC"] != "" {
			argv = append(argv, "-mrecord-mcount")
		}
		if t.Config["CONFIG_HAVE_FENTRY"] != "" {
			argv = append(argv, "-mfentry", "-DCC_USING_FENTRY")
		}
	}
	kd := k.get(filepath.Dir(file))
	base := strings.TrimSuffix(filepath.Base(file), ".c")
	obj, ok := kd.objects[base+".o"]
	mod := base
	if ok {
		mod = obj.module
		if obj.isModule {
			argv = append(argv, "-DMODULE")
		}
	}
	modName := strings.ReplaceAll(mod, "-", "_")
	argv = append(argv, kd.ccflags...)
	argv = append(argv, kd.unitFlags[base+".o"]...)
	argv = append(argv,
		`-DKBUILD_BASENAME="`+strings.ReplaceAll(base, "-", "_")+`"`,
		`-DKBUILD_MODNAME="`+modName+`"`,
		"-D__KBUILD_MODNAME=kmod_"+modName,
		"-c", "-o", strings.TrimSuffix(t.Rel(file), ".c")+".o", t.Rel(file))
	return &compileCommand{file: file, dir: t.Root, argv: argv, source: FromSynthesized}
}

// knownCompiler reports whether argv0 names a C compiler kcheck runs
// without an explicit override: gcc, cc, clang, versioned forms (gcc-12,
// clang-16) and cross compilers (x86_64-linux-gnu-gcc).
func knownCompiler(argv0 string) bool {
	base := filepath.Base(argv0)
	if i := strings.LastIndexByte(base, '-'); i > 0 && isDigits(base[i+1:]) {
		base = base[:i] // gcc-12 -> gcc
	}
	switch {
	case base == "gcc" || base == "cc" || base == "clang":
		return true
	case strings.HasSuffix(base, "-gcc") || strings.HasSuffix(base, "-clang"):
		return true
	}
	return false
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			if c != '.' {
				return false
			}
		}
	}
	return true
}

// preprocessArgs turns a compile command into the arguments of a -E run:
// the same flags minus -c, -o FILE, dependency generation (-MD, -MF, -Wp,-MMD,...)
// and the source file itself (which is appended last), plus -E -P-less line
// markers on stdout.
func preprocessArgs(cmd *compileCommand) []string {
	args := []string{}
	in := cmd.argv[1:]
	src := cmd.file
	for i := 0; i < len(in); i++ {
		a := in[i]
		switch {
		case a == "-c" || a == "-E" || a == "-S" || a == "-MD" || a == "-MMD" || a == "-MP" || a == "-M" || a == "-MM" || a == "-pipe":
			continue
		case a == "-o" || a == "-MF" || a == "-MT" || a == "-MQ":
			i++
			continue
		case strings.HasPrefix(a, "-o") || strings.HasPrefix(a, "-MF") || strings.HasPrefix(a, "-MT") || strings.HasPrefix(a, "-MQ"):
			continue
		case strings.HasPrefix(a, "-Wp,-M"):
			continue
		case !strings.HasPrefix(a, "-") && (a == src || filepath.Join(cmd.dir, a) == src || strings.HasSuffix(a, ".c") && sameFile(filepath.Join(cmd.dir, a), src)):
			continue
		}
		args = append(args, a)
	}
	return append(args, "-E", src)
}

func sameFile(a, b string) bool {
	if a == b {
		return true
	}
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}

// sniffBinary reports whether data looks like a binary file, not C text.
func sniffBinary(data []byte) bool {
	n := len(data)
	if n > 8192 {
		n = 8192
	}
	return bytes.IndexByte(data[:n], 0) >= 0
}

// kbuildVars are the kbuild variables of the X-y form that are not
// composite objects.
var kbuildVars = map[string]bool{
	"obj": true, "lib": true, "subdir": true, "hostprogs": true, "always": true,
	"ccflags": true, "asflags": true, "ldflags": true, "subdir-ccflags": true,
	"subdir-asflags": true, "userprogs": true, "extra": true, "targets": true,
	"header-test": true, "userccflags": true,
}

// condState is the value of a Makefile conditional as kcheck can tell it.
type condState int8

const (
	condFalse condState = iota
	condTrue
	condUnknown // depends on something other than CONFIG_ options: both branches count
)

// evalMakeCond evaluates ifeq/ifneq/ifdef/ifndef over CONFIG_ options.
func evalMakeCond(tree *Tree, kind, arg string) condState {
	expand := func(s string) (string, bool) {
		s = makeVarRef.ReplaceAllStringFunc(s, func(m string) string {
			return tree.Config[m[2:len(m)-1]]
		})
		return strings.TrimSpace(s), !strings.Contains(s, "$")
	}
	neg := func(c condState) condState {
		switch c {
		case condTrue:
			return condFalse
		case condFalse:
			return condTrue
		}
		return condUnknown
	}
	switch kind {
	case "ifdef", "ifndef":
		name := strings.TrimSpace(arg)
		if !strings.HasPrefix(name, "CONFIG_") {
			return condUnknown
		}
		c := condFalse
		if tree.Config[name] != "" {
			c = condTrue
		}
		if kind == "ifndef" {
			c = neg(c)
		}
		return c
	}
	var a, b string
	switch {
	case strings.HasPrefix(arg, "(") && strings.HasSuffix(arg, ")"):
		inner := arg[1 : len(arg)-1]
		// Split at the comma outside $(...).
		depth, cut := 0, -1
		for i, r := range inner {
			switch r {
			case '(':
				depth++
			case ')':
				depth--
			case ',':
				if depth == 0 && cut < 0 {
					cut = i
				}
			}
		}
		if cut < 0 {
			return condUnknown
		}
		a, b = inner[:cut], inner[cut+1:]
	default:
		f := strings.Fields(arg)
		if len(f) != 2 {
			return condUnknown
		}
		a, b = strings.Trim(f[0], `"'`), strings.Trim(f[1], `"'`)
	}
	ea, okA := expand(a)
	eb, okB := expand(b)
	if !okA || !okB {
		return condUnknown
	}
	c := condFalse
	if ea == eb {
		c = condTrue
	}
	if kind == "ifneq" {
		c = neg(c)
	}
	return c
}

// dirEnabled reports whether kbuild descends into dir with this
// configuration: no parent Makefile up to the tree root names it in an
// obj- line whose option is off. (The top-level Makefile's drivers-y and
// core-y lists are not read: a directory they do not name is assumed
// built.)
func (k *kbuildDirs) dirEnabled(dir string) bool {
	for dir != k.tree.Root && strings.HasPrefix(dir, k.tree.Root) {
		parent := filepath.Dir(dir)
		pk := k.get(parent)
		name := filepath.Base(dir) + "/"
		if pk.mentioned[name] && !pk.subdirs[name] {
			return false
		}
		dir = parent
	}
	return true
}
