package frontend

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"kcheck/frontend/ir"
)

// Options says what Load analyses and how.
type Options struct {
	// Paths are the directories and .c files to analyse.
	Paths []string
	// KernelDir is the kernel tree for an out-of-tree module (--kernel);
	// otherwise the tree is found by walking up from the paths.
	KernelDir string
	// CompileCommands is an explicit compile_commands.json; by default the
	// one at the tree root is used when it exists; "none" uses none.
	CompileCommands string
	// Jobs bounds the units processed at once (default GOMAXPROCS).
	Jobs int
	// Compiler, when set, runs instead of every unit's own compiler (the
	// explicit override: kcheck then runs it whatever its name).
	Compiler string
	// Progress, when set, is called after each unit with the number done.
	Progress func(done, total int)
	// RePanic makes a panic while handling a unit crash the run instead of
	// becoming a failure of that unit (tests use it so bugs are not hidden).
	RePanic bool
	// Timeout bounds the preprocessing of one unit (default 5 minutes).
	Timeout time.Duration
}

// Failure is a unit that could not be analysed, with the reason.
type Failure struct {
	File   string // relative to the tree root
	Reason string
}

// Phases are cumulative times spent per front-end phase, summed over
// units (so with -j2 they can add up to twice the wall time).
type Phases struct {
	Discover, Preprocess, Prune, Parse, Lower time.Duration
}

// Stats counts what the front end did.
type Stats struct {
	Found, Parsed, Failed int
	Sources               map[FlagSource]int
	Functions             int
	BodiesPruned          int
	BytesPreprocessed     int64
	Phases                Phases
	Wall                  time.Duration
}

// Program is the lowered IR of every analysed unit.
type Program struct {
	Tree *Tree
	// Targets are the analysed paths, relative to the tree root.
	Targets []string
	// Units are the lowered units, sorted by file.
	Units []*ir.Unit
	// Failures are the units that could not be analysed, sorted by file.
	Failures []Failure
	// Warnings are problems that did not stop any unit (an unreadable
	// compile_commands.json that was ignored, say).
	Warnings []string
	Stats    Stats
}

// Load finds the units under opt.Paths, preprocesses, parses and lowers
// each of them in parallel, and returns the program. It returns an error
// (a *UsageError for the user's mistakes) only when nothing can be done;
// a unit that fails is a Failure, and the others go on.
func Load(ctx context.Context, opt Options) (*Program, error) {
	start := time.Now()
	tree, targets, err := resolveTargets(opt.Paths, opt.KernelDir)
	if err != nil {
		return nil, err
	}
	prog := &Program{Tree: tree, Stats: Stats{Sources: map[FlagSource]int{}}}
	for _, t := range targets {
		prog.Targets = append(prog.Targets, t.rel)
	}
	cmds, err := planUnits(tree, targets, opt, prog)
	if err != nil {
		return nil, err
	}
	prog.Stats.Found = len(cmds)
	prog.Stats.Phases.Discover = time.Since(start)

	jobs := opt.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	type result struct {
		unit    *ir.Unit
		failure string
		times   Phases
		pruned  int
		bytes   int64
	}
	results := make([]result, len(cmds))
	var done atomic.Int64
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(jobs)
	for i, uc := range cmds {
		g.Go(func() error {
			r := &results[i]
			func() {
				defer func() {
					if p := recover(); p != nil {
						if opt.RePanic {
							panic(p)
						}
						r.unit = nil
						r.failure = fmt.Sprintf("internal error: panic: %v\n%s", p, firstLines(string(debug.Stack()), 12))
					}
				}()
				r.unit, r.failure, r.times, r.pruned, r.bytes = analyseUnit(gctx, tree, targets, uc, opt)
			}()
			n := done.Add(1)
			if opt.Progress != nil {
				opt.Progress(int(n), len(cmds))
			}
			return gctx.Err()
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for i, r := range results {
		file := tree.Rel(cmds[i].cmd.file)
		ph := &prog.Stats.Phases
		ph.Preprocess += r.times.Preprocess
		ph.Prune += r.times.Prune
		ph.Parse += r.times.Parse
		ph.Lower += r.times.Lower
		prog.Stats.BodiesPruned += r.pruned
		prog.Stats.BytesPreprocessed += r.bytes
		if r.failure != "" {
			prog.Failures = append(prog.Failures, Failure{File: file, Reason: r.failure})
			continue
		}
		prog.Stats.Sources[cmds[i].cmd.source]++
		prog.Units = append(prog.Units, r.unit)
		prog.Stats.Functions += len(r.unit.Funcs)
	}
	sort.Slice(prog.Units, func(i, j int) bool { return prog.Units[i].File < prog.Units[j].File })          // for determinism
	sort.Slice(prog.Failures, func(i, j int) bool { return prog.Failures[i].File < prog.Failures[j].File }) // for determinism
	prog.Stats.Parsed = len(prog.Units)
	prog.Stats.Failed = len(prog.Failures)
	prog.Stats.Wall = time.Since(start)
	return prog, nil
}

// plannedUnit is a unit with its compile command, or the reason it has
// none.
type plannedUnit struct {
	cmd     *compileCommand
	failure string
}

// planUnits decides the units and their compile commands. For each target
// the build is the source of truth for what is a unit: the compilation
// database's entries under it; else the units kbuild compiled (.o.cmd
// files); else, in a configured tree, the units the directory Makefiles
// build with the configuration. A .c file named on the command line is
// always a unit. Each unit's flags come from the database, else its .cmd
// file, else are synthesized.
func planUnits(tree *Tree, targets []target, opt Options, prog *Program) ([]plannedUnit, error) {
	var db map[string]*compileCommand
	dbPath := opt.CompileCommands
	explicitDB := dbPath != ""
	if !explicitDB {
		dbPath = filepath.Join(tree.Root, "compile_commands.json")
	}
	if dbPath == "none" {
		// --compile-commands none: use .cmd files or synthesized flags.
	} else if d, err := loadCompileCommands(dbPath); err == nil {
		db = d
	} else if explicitDB {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, usageErrorf("--compile-commands %s: no such file", opt.CompileCommands)
		}
		return nil, usageErrorf("%v", err)
	} else if !errors.Is(err, fs.ErrNotExist) {
		prog.Warnings = append(prog.Warnings, fmt.Sprintf("%v; ignoring it and using kbuild .cmd files or synthesized flags", err))
	}
	kb := &kbuildDirs{tree: tree, dirs: map[string]*kbuildDir{}}

	var dbFiles []string
	for f := range db {
		dbFiles = append(dbFiles, f)
	}
	sort.Strings(dbFiles) // for determinism

	seen := map[string]bool{}
	var files []string
	add := func(f string) {
		if !seen[f] {
			seen[f] = true
			files = append(files, f)
		}
	}
	for _, t := range targets {
		if !t.isDir {
			add(t.abs)
			continue
		}
		n := len(files)
		for _, f := range dbFiles {
			if t.contains(f) && strings.HasSuffix(f, ".c") {
				add(f)
			}
		}
		if len(files) > n {
			continue
		}
		all, err := walkCFiles(tree, []target{t})
		if err != nil {
			return nil, err
		}
		for _, f := range all {
			if hasCmdFile(f) {
				add(f)
			}
		}
		if len(files) > n {
			continue
		}
		if !tree.Configured {
			return nil, usageErrorf("kernel tree %s is not configured (no include/generated/autoconf.h) and %s has no compile_commands.json entries or kbuild .cmd files: run `make defconfig prepare` (or your own config, then `make prepare`) in the tree, or pass --compile-commands FILE", tree.Root, t.rel)
		}
		for _, f := range all {
			if kb.builtBySynthesis(f) {
				add(f)
			}
		}
		if len(files) == n {
			prog.Warnings = append(prog.Warnings, fmt.Sprintf("%s: no translation unit is built there with this configuration", t.rel))
		}
	}
	sort.Strings(files) // for determinism
	var units []plannedUnit
	for _, f := range files {
		if c, ok := db[f]; ok {
			units = append(units, plannedUnit{cmd: c})
			continue
		}
		c, err := loadCmdFile(tree, f)
		if err != nil {
			units = append(units, plannedUnit{cmd: &compileCommand{file: f}, failure: err.Error()})
			continue
		}
		if c != nil {
			units = append(units, plannedUnit{cmd: c})
			continue
		}
		if !tree.Configured {
			units = append(units, plannedUnit{cmd: &compileCommand{file: f}, failure: "no compile command: not in compile_commands.json, no kbuild .cmd file, and the tree is not configured (run `make defconfig prepare`)"})
			continue
		}
		units = append(units, plannedUnit{cmd: kb.synthesize(f)})
	}
	return units, nil
}

// analyseUnit preprocesses, prunes, parses and lowers one unit.
func analyseUnit(ctx context.Context, tree *Tree, targets []target, pu plannedUnit, opt Options) (unit *ir.Unit, failure string, times Phases, pruned int, nbytes int64) {
	if pu.failure != "" {
		return nil, pu.failure, times, 0, 0
	}
	cmd := pu.cmd
	src, err := os.ReadFile(cmd.file)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, "no such file (named by " + string(cmd.source) + ")", times, 0, 0
		}
		return nil, err.Error(), times, 0, 0
	}
	if sniffBinary(src) {
		return nil, "binary file, not C source", times, 0, 0
	}
	t0 := time.Now()
	text, err := preprocess(ctx, cmd, opt)
	times.Preprocess = time.Since(t0)
	if err != nil {
		return nil, err.Error(), times, 0, 0
	}
	nbytes = int64(len(text))

	relCache := map[string]string{}
	relPath := func(marker string) string {
		if r, ok := relCache[marker]; ok {
			return r
		}
		var r string
		if marker == "" || strings.HasPrefix(marker, "<") {
			r = marker
		} else {
			p := marker
			if !filepath.IsAbs(p) {
				p = filepath.Join(cmd.dir, p)
			}
			r = tree.Rel(p)
		}
		relCache[marker] = r
		return r
	}
	unitRel := tree.Rel(cmd.file)
	inScope := func(rel string) bool {
		if rel == unitRel {
			return true
		}
		for _, t := range targets {
			if t.isDir && (t.rel == "." || strings.HasPrefix(rel, t.rel+"/")) {
				return true
			}
		}
		return false
	}
	t0 = time.Now()
	text, st := prune(packMarkers(text), pruneOptions{dropUnused: true, keepFile: func(f string) bool { return inScope(relPath(f)) }})
	times.Prune = time.Since(t0)

	t0 = time.Now()
	ast, err := parseText(unitRel, text)
	times.Parse = time.Since(t0)
	if err != nil {
		return nil, "parse: " + firstLines(err.Error(), 3), times, st.BodiesDropped, nbytes
	}
	text = nil
	t0 = time.Now()
	env := newTypeEnv()
	unit = lowerUnit(ast, env, lowerConfig{unitFile: unitRel, relPath: relPath, lowerBodies: inScope})
	times.Lower = time.Since(t0)
	return unit, "", times, st.BodiesDropped, nbytes
}

// preprocess runs the unit's compiler with -E, directly (never through a
// shell), in the command's directory, and returns its output.
func preprocess(ctx context.Context, cmd *compileCommand, opt Options) ([]byte, error) {
	compiler := cmd.argv[0]
	if opt.Compiler != "" {
		compiler = opt.Compiler
	} else if !knownCompiler(compiler) {
		return nil, fmt.Errorf("compiler %q (from %s) is not a known C compiler (gcc, cc, clang, *-gcc); kcheck does not run it. Pass --cc PROGRAM to run a compiler of another name", compiler, cmd.source)
	}
	timeout := opt.Timeout
	if timeout <= 0 {
		timeout = 5 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	c := exec.CommandContext(ctx, compiler, preprocessArgs(cmd)...)
	c.Dir = cmd.dir
	c.Env = append(os.Environ(), "LC_ALL=C")
	var stdout bytes.Buffer
	stderr := &limitedBuffer{max: 8 << 10}
	c.Stdout = &stdout
	c.Stderr = stderr
	if err := c.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if ctx.Err() == context.DeadlineExceeded {
			return nil, fmt.Errorf("preprocess: %s timed out after %v", compiler, timeout)
		}
		if msg == "" {
			return nil, fmt.Errorf("preprocess: %s: %v", compiler, err)
		}
		return nil, fmt.Errorf("preprocess: %s: %v: %s", compiler, err, firstErrorLines(msg, 3))
	}
	return stdout.Bytes(), nil
}

// limitedBuffer keeps the first max bytes written to it.
type limitedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	max int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if room := b.max - b.buf.Len(); room > 0 {
		if len(p) > room {
			b.buf.Write(p[:room])
		} else {
			b.buf.Write(p)
		}
	}
	return len(p), nil
}

func (b *limitedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// firstErrorLines returns the first n lines of compiler output that say
// "error" (or the first n lines when none does), joined with "; ".
func firstErrorLines(s string, n int) string {
	var picked []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, "error") {
			picked = append(picked, strings.TrimSpace(l))
			if len(picked) == n {
				break
			}
		}
	}
	if len(picked) == 0 {
		return strings.Join(strings.Split(firstLines(s, n), "\n"), "; ")
	}
	return strings.Join(picked, "; ")
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}
