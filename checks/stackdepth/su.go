package stackdepth

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// SUEntry is one line of a GCC -fstack-usage (.su) file:
// file:line:col:function<TAB>bytes<TAB>static|dynamic|dynamic,bounded.
type SUEntry struct {
	File     string
	Line     int
	Function string // as GCC prints it, clone suffixes included
	Bytes    int64
	// Qualifier is "static", "dynamic" or "dynamic,bounded"; "dynamic"
	// alone means GCC could not bound the frame (a VLA or alloca).
	Qualifier string
}

// StackUsage holds GCC's frames, looked up the way call-graph keys are
// built: a static function by (file, name), any function by name.
type StackUsage struct {
	byFileName map[string]SUEntry // "file:name"
	byName     map[string]SUEntry
	// Files counts the .su files read, Entries their lines.
	Files, Entries int

	files map[string]bool // files with entries
}

// ParseSU reads the lines of one .su file into su. A function GCC split
// into clones (name.constprop.0, name.isra.0, name.part.0, name.cold) is
// recorded under its base name with the largest frame of its copies: a
// call reaches one of them, and .part pieces are called from the main
// copy, whose own frame is usually the larger (an approximation).
func (su *StackUsage) ParseSU(r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for ln := 1; sc.Scan(); ln++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		parts := strings.Split(line, "\t")
		if len(parts) < 2 {
			return fmt.Errorf("line %d: want file:line:col:function<TAB>bytes<TAB>qualifier, got %q", ln, line)
		}
		loc := strings.Split(parts[0], ":")
		if len(loc) < 4 {
			return fmt.Errorf("line %d: bad location %q", ln, parts[0])
		}
		n, err := strconv.ParseInt(strings.TrimSpace(parts[1]), 10, 64)
		if err != nil {
			return fmt.Errorf("line %d: bad byte count %q", ln, parts[1])
		}
		e := SUEntry{
			File:     strings.Join(loc[:len(loc)-3], ":"),
			Function: loc[len(loc)-1],
			Bytes:    n,
		}
		e.Line, _ = strconv.Atoi(loc[len(loc)-3])
		if len(parts) > 2 {
			e.Qualifier = strings.TrimSpace(parts[2])
		}
		su.add(e)
	}
	return sc.Err()
}

func (su *StackUsage) add(e SUEntry) {
	if su.byFileName == nil {
		su.byFileName = map[string]SUEntry{}
		su.byName = map[string]SUEntry{}
		su.files = map[string]bool{}
	}
	su.Entries++
	name := e.Function
	if i := strings.IndexByte(name, '.'); i > 0 {
		name = name[:i]
	}
	e.File = filepath.ToSlash(filepath.Clean(e.File))
	su.files[e.File] = true
	k := e.File + ":" + name
	if old, ok := su.byFileName[k]; !ok || e.Bytes > old.Bytes {
		su.byFileName[k] = e
	}
	if old, ok := su.byName[name]; !ok || e.Bytes > old.Bytes {
		su.byName[name] = e
	}
}

// ReadStackUsage reads every .su file under dir. File names in the
// entries are taken as GCC wrote them: relative to the directory the
// compiler ran in (the kernel tree root for a kbuild build).
func ReadStackUsage(dir string) (*StackUsage, error) {
	su := &StackUsage{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".su") {
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := su.ParseSU(f); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		su.Files++
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read stack usage %s: %w", dir, err)
	}
	return su, nil
}

// Lookup returns GCC's frame of a function: a static one (file != "")
// only from that file's entries, a global one by name.
func (su *StackUsage) Lookup(file, name string) (SUEntry, bool) {
	if su == nil {
		return SUEntry{}, false
	}
	if file != "" {
		e, ok := su.byFileName[filepath.ToSlash(filepath.Clean(file))+":"+name]
		return e, ok
	}
	e, ok := su.byName[name]
	return e, ok
}

// HasFile reports whether any entry comes from file: then a static
// function of that file missing from the .su data was inlined by GCC
// everywhere (or dropped as unused) and has no frame of its own.
func (su *StackUsage) HasFile(file string) bool {
	if su == nil {
		return false
	}
	return su.files[filepath.ToSlash(filepath.Clean(file))]
}
