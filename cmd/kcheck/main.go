// Command kcheck is a static checker for Linux kernel C: lock-order cycles,
// reference-count leaks, DMA map/unmap pairing and worst-case stack depth,
// across call paths of the whole analysed program.
//
//	kcheck [--format text|sarif|json] [-o FILE] [--checks LIST] [-j N] [--stats]
//	       [--compile-commands FILE] [--kernel DIR] [--baseline OLD.sarif]
//	       [--fail-on error|warning|note|new] [--suppressions FILE]
//	       [--omit-suppressed] [--diff FILE] PATH...
//
// Exit status: 0 when nothing at or above the --fail-on level was found
// (with --fail-on new: nothing not in the --baseline report), 1 when
// something was, 2 for usage errors and tool failures (including: no unit
// could be analysed). Suppressed findings and findings left out by --diff
// never count.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"kcheck/callgraph"
	"kcheck/checks"
	"kcheck/frontend"
	"kcheck/reports"
)

// version is kcheck's semantic version, reported in SARIF.
const version = "0.1.0"

// informationURI is kcheck's home page, reported in SARIF.
const informationURI = "https://github.com/kcheck/kcheck"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// config is the parsed command line.
type config struct {
	format, output, checkList, compileCommands, kernelDir, cc string
	callgraphFormat, focus, failOn, category                  string
	configFile, frameWarn, stackBudget, stackUsage            string
	stackFunc, stackTrace                                     string
	baseline, suppressions, diff                              string
	omitSuppressed                                            bool
	jobs                                                      int
	stats, showVersion, noProgress                            bool
	paths                                                     []string
}

func usage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, `usage: kcheck [flags] PATH...
       kcheck help [CHECKER]
       kcheck stack (--function FUNCTION | --trace DMESG-FILE) [flags] PATH...

Analyses the kernel translation units under each PATH (a directory or .c
file inside a configured kernel tree) and reports lock-order, refcount, DMA
and stack-depth problems across call paths.

Flags:
`)
	fs.SetOutput(w)
	fs.PrintDefaults()
}

func newFlagSet(c *config) *flag.FlagSet {
	fs := flag.NewFlagSet("kcheck", flag.ContinueOnError)
	fs.StringVar(&c.format, "format", "text", "output format: text, sarif or json")
	fs.StringVar(&c.output, "o", "", "write the report to `FILE` instead of standard output")
	fs.StringVar(&c.checkList, "checks", "all", "comma-separated `LIST` of checkers to run, or all, or none")
	fs.IntVar(&c.jobs, "j", runtime.GOMAXPROCS(0), "translation units processed at once")
	fs.BoolVar(&c.stats, "stats", false, "print units found/parsed/failed, functions, call edges and time per phase to standard error")
	fs.StringVar(&c.compileCommands, "compile-commands", "", "use this compile_commands.json `FILE` (default: the tree root's, if any; none: use kbuild .cmd files or synthesized flags)")
	fs.StringVar(&c.kernelDir, "kernel", "", "kernel tree `DIR` for an out-of-tree module (default: found by walking up from PATH)")
	fs.StringVar(&c.cc, "cc", "", "run `PROGRAM` to preprocess every unit instead of the unit's own compiler (an explicit override: runs whatever it names)")
	fs.StringVar(&c.callgraphFormat, "callgraph", "", "write the call graph instead of findings; `FORMAT` is dot")
	fs.StringVar(&c.focus, "focus", "", "with --callgraph: restrict the graph to a `FUNCTION` (callers and callees) or a file")
	fs.StringVar(&c.failOn, "fail-on", "warning", "exit 1 when a finding at or above `LEVEL` (error, warning, note) is reported; new: when a finding not in the --baseline is")
	fs.StringVar(&c.baseline, "baseline", "", "compare with an earlier kcheck SARIF `FILE`: set baselineState on every result and report the fixed ones as absent")
	fs.StringVar(&c.suppressions, "suppressions", "", "suppress the findings listed in `FILE`, one \"FINGERPRINT REASON...\" a line (kcheck/v1 fingerprints)")
	fs.BoolVar(&c.omitSuppressed, "omit-suppressed", false, "leave suppressed findings out of the report (GitHub shows them as open alerts)")
	fs.StringVar(&c.diff, "diff", "", "report only findings on lines a unified diff `FILE` (e.g. git diff -U0) adds or modifies; - reads standard input")
	fs.StringVar(&c.category, "category", "kcheck/", "SARIF automationDetails id, to tell several configurations or subtrees apart")
	fs.BoolVar(&c.showVersion, "version", false, "print the version and exit")
	fs.BoolVar(&c.noProgress, "no-progress", false, "no progress bar, even on a terminal")
	fs.StringVar(&c.configFile, "config", "", "read extra API models (get/put, map/unmap wrappers) from `FILE` (see kcheck help refcount)")
	fs.StringVar(&c.frameWarn, "frame-warn", "", "stackdepth: report frames above `BYTES` (default 2048, like CONFIG_FRAME_WARN)")
	fs.StringVar(&c.stackBudget, "stack-budget", "", "stackdepth: report call paths above `BYTES` (default 8192)")
	fs.StringVar(&c.stackUsage, "stack-usage", "", "stackdepth: use GCC's -fstack-usage .su files under `DIR` for frames")
	return fs
}

// parseArgs parses flags and paths in any order (kcheck drivers/usb --stats
// works as well as kcheck --stats drivers/usb); "--" ends the flags.
func parseArgs(args []string, c *config, stderr io.Writer, stackMode bool) (*flag.FlagSet, error) {
	fs := newFlagSet(c)
	if stackMode {
		fs.StringVar(&c.stackFunc, "function", "", "kcheck stack: print the worst-case stack path below `FUNCTION` (name or file:name)")
		fs.StringVar(&c.stackTrace, "trace", "", "kcheck stack: print stack usage along the Call Trace of a dmesg log `FILE`")
	}
	fs.SetOutput(io.Discard)
	args = makeStyleJobs(args)
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				usage(stderr, fs)
				return fs, err
			}
			return fs, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if rest[0] == "--" {
			c.paths = append(c.paths, rest[1:]...)
			break
		}
		c.paths = append(c.paths, rest[0])
		args = rest[1:]
	}
	return fs, nil
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "help" {
		return help(args[1:], stdout, stderr)
	}
	var c config
	stackMode := len(args) > 0 && args[0] == "stack"
	if stackMode {
		args = args[1:]
	}
	fs, err := parseArgs(args, &c, stderr, stackMode)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "kcheck: %v\n", err)
		fmt.Fprintf(stderr, "run 'kcheck -h' for usage\n")
		return 2
	}
	if c.showVersion {
		fmt.Fprintf(stdout, "kcheck %s\n", version)
		return 0
	}
	if len(c.paths) == 0 {
		usage(stderr, fs)
		return 2
	}
	if stackMode && (c.stackFunc == "") == (c.stackTrace == "") {
		fmt.Fprintf(stderr, "kcheck stack: give exactly one of --function FUNCTION or --trace DMESG-FILE, then the PATHs to analyse\n")
		return 2
	}
	switch c.format {
	case "text", "sarif", "json":
	default:
		fmt.Fprintf(stderr, "kcheck: --format %q: must be text, sarif or json\n", c.format)
		return 2
	}
	if c.callgraphFormat != "" && c.callgraphFormat != "dot" {
		fmt.Fprintf(stderr, "kcheck: --callgraph %q: the only format is dot\n", c.callgraphFormat)
		return 2
	}
	failRank := checks.Level(c.failOn).Rank()
	if failRank == 0 && c.failOn != reports.StateNew {
		fmt.Fprintf(stderr, "kcheck: --fail-on %q: must be error, warning, note or new\n", c.failOn)
		return 2
	}
	gate, err := readGateInputs(&c)
	if err != nil {
		fmt.Fprintf(stderr, "kcheck: %v\n", err)
		return 2
	}
	enabled, err := selectCheckers(c.checkList)
	if err != nil {
		fmt.Fprintf(stderr, "kcheck: %v\n", err)
		return 2
	}
	if c.jobs < 1 {
		fmt.Fprintf(stderr, "kcheck: -j %d: must be at least 1\n", c.jobs)
		return 2
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	progress := newProgress(stderr, !c.noProgress && isTerminal(stderr))
	prog, err := frontend.Load(ctx, frontend.Options{
		Paths:           c.paths,
		KernelDir:       c.kernelDir,
		CompileCommands: c.compileCommands,
		Jobs:            c.jobs,
		Compiler:        c.cc,
		Progress:        progress.update,
	})
	progress.finish()
	if err != nil {
		var ue *frontend.UsageError
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "kcheck: %s\n", ue.Msg)
		} else {
			fmt.Fprintf(stderr, "kcheck: %v\n", err)
		}
		return 2
	}
	for _, w := range prog.Warnings {
		fmt.Fprintf(stderr, "kcheck: warning: %s\n", w)
	}

	t0 := time.Now()
	graph := callgraph.Build(prog.Units)
	graphTime := time.Since(t0)
	opts := checkerOptions(&c)

	if stackMode {
		return stackCommand(&c, prog, graph, opts, stdout, stderr)
	}

	if c.callgraphFormat == "dot" {
		out, closeOut, err := openOutput(c.output, stdout)
		if err != nil {
			fmt.Fprintf(stderr, "kcheck: %v\n", err)
			return 2
		}
		if err := graph.WriteDOT(out, c.focus); err != nil {
			fmt.Fprintf(stderr, "kcheck: %v\n", err)
			return 2
		}
		if err := closeOut(); err != nil {
			fmt.Fprintf(stderr, "kcheck: %v\n", err)
			return 2
		}
		return exitForUnits(prog, stderr)
	}

	t0 = time.Now()
	var (
		mu    sync.Mutex
		diags []checks.Diagnostic
	)
	checkerTimes := map[string]time.Duration{}
	for _, ch := range enabled {
		tc := time.Now()
		pass := checks.NewPass(ch, prog.Units, graph, opts, func(d checks.Diagnostic) {
			mu.Lock()
			diags = append(diags, d)
			mu.Unlock()
		})
		if err := runChecker(ch, pass); err != nil {
			prog.Failures = append(prog.Failures, frontend.Failure{File: ".", Reason: fmt.Sprintf("checker %s: %v", ch.Name, err)})
		}
		checkerTimes[ch.Name] = time.Since(tc)
	}
	checkTime := time.Since(t0)

	rep := &reports.Run{
		Root:           prog.Tree.Root,
		Checkers:       enabled,
		Diagnostics:    diags,
		Category:       c.category,
		ToolVersion:    version,
		InformationURI: informationURI,
		Units:          prog.Stats.Parsed,
		Source: func(f string) ([]byte, error) {
			return os.ReadFile(filepath.Join(prog.Tree.Root, filepath.FromSlash(f)))
		},
		Baseline:       gate.baseline,
		Suppressions:   gate.suppressions,
		OmitSuppressed: c.omitSuppressed,
		Changed:        gate.changed,
	}
	for _, f := range prog.Failures {
		rep.Failures = append(rep.Failures, reports.Failure{File: f.File, Reason: f.Reason})
	}
	out, closeOut, err := openOutput(c.output, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "kcheck: %v\n", err)
		return 2
	}
	switch c.format {
	case "sarif":
		err = reports.WriteSARIF(out, rep)
	case "json":
		err = reports.WriteJSON(out, rep)
	default:
		err = reports.WriteText(out, rep)
	}
	if err == nil {
		err = closeOut()
	}
	if err != nil {
		fmt.Fprintf(stderr, "kcheck: write report: %v\n", err)
		return 2
	}
	if c.format != "text" || c.output != "" {
		// The text report already lists failures; for the others, tell
		// the terminal too.
		for _, f := range prog.Failures {
			fmt.Fprintf(stderr, "%s: error: cannot analyse: %s\n", f.File, oneLine(f.Reason))
		}
	}
	if c.stats {
		printStats(stderr, prog, graph, graphTime, checkTime, checkerTimes)
	}
	if len(prog.Units) == 0 {
		fmt.Fprintf(stderr, "kcheck: no unit could be analysed (%d found, %d failed)\n", prog.Stats.Found, prog.Stats.Failed)
		return 2
	}
	outcomes, absent := reports.Outcomes(rep)
	if gate.baseline != nil {
		n := 0
		for _, o := range outcomes {
			if o.BaselineState == reports.StateNew {
				n++
			}
		}
		fmt.Fprintf(stderr, "kcheck: against the baseline: %d new, %d unchanged or updated, %d absent\n", n, len(outcomes)-n, absent)
	}
	for _, o := range outcomes {
		if o.Suppressed {
			continue
		}
		if c.failOn == reports.StateNew {
			// Without a baseline every finding is new.
			if o.BaselineState == "" || o.BaselineState == reports.StateNew {
				return 1
			}
			continue
		}
		if o.Level.Rank() >= failRank {
			return 1
		}
	}
	return 0
}

// gateInputs are the files that decide which findings are reported and
// which fail the run.
type gateInputs struct {
	baseline     *reports.Baseline
	suppressions *reports.Suppressions
	changed      reports.ChangedLines
}

// readGateInputs reads --baseline, --suppressions and --diff before the
// analysis, so that a typo fails fast.
func readGateInputs(c *config) (gateInputs, error) {
	var g gateInputs
	if c.baseline != "" {
		f, err := os.Open(c.baseline)
		if err != nil {
			return g, fmt.Errorf("--baseline: %w", err)
		}
		g.baseline, err = reports.ReadBaseline(f)
		f.Close()
		if err != nil {
			return g, fmt.Errorf("--baseline %s: %w", c.baseline, err)
		}
	}
	if c.suppressions != "" {
		f, err := os.Open(c.suppressions)
		if err != nil {
			return g, fmt.Errorf("--suppressions: %w", err)
		}
		g.suppressions, err = reports.ReadSuppressions(c.suppressions, f)
		f.Close()
		if err != nil {
			return g, fmt.Errorf("--suppressions: %w", err)
		}
	}
	if c.diff != "" {
		var r io.Reader = os.Stdin
		if c.diff != "-" {
			f, err := os.Open(c.diff)
			if err != nil {
				return g, fmt.Errorf("--diff: %w", err)
			}
			defer f.Close()
			r = f
		}
		var err error
		if g.changed, err = reports.ParseDiff(r); err != nil {
			return g, fmt.Errorf("--diff %s: %w", c.diff, err)
		}
	}
	return g, nil
}

// runChecker runs one checker, turning a panic into an error so that the
// other checkers still run.
func runChecker(ch *checks.Checker, pass *checks.Pass) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return ch.Run(pass)
}

func exitForUnits(prog *frontend.Program, stderr io.Writer) int {
	for _, f := range prog.Failures {
		fmt.Fprintf(stderr, "%s: error: cannot analyse: %s\n", f.File, oneLine(f.Reason))
	}
	if len(prog.Units) == 0 {
		fmt.Fprintf(stderr, "kcheck: no unit could be analysed (%d found, %d failed)\n", prog.Stats.Found, prog.Stats.Failed)
		return 2
	}
	return 0
}

// selectCheckers resolves --checks.
func selectCheckers(list string) ([]*checks.Checker, error) {
	switch list {
	case "all", "":
		return checks.All(), nil
	case "none":
		return nil, nil
	}
	var cs []*checks.Checker
	seen := map[string]bool{}
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" || seen[name] {
			continue
		}
		seen[name] = true
		c := checks.Lookup(name)
		if c == nil {
			var names []string
			for _, c := range checks.All() {
				names = append(names, c.Name)
			}
			return nil, fmt.Errorf("--checks: unknown checker %q (known: %s)", name, strings.Join(names, ", "))
		}
		cs = append(cs, c)
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].Name < cs[j].Name }) // for determinism
	return cs, nil
}

func help(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stdout, "kcheck checkers (kcheck help NAME for one):")
		for _, c := range checks.All() {
			fmt.Fprintf(stdout, "  %-12s %s\n", c.Name, firstLines(c.Doc))
		}
		return 0
	}
	c := checks.Lookup(args[0])
	if c == nil {
		fmt.Fprintf(stderr, "kcheck help: unknown checker %q\n", args[0])
		return 2
	}
	fmt.Fprintf(stdout, "%s: %s\n", c.Name, strings.TrimSpace(c.Doc))
	for _, r := range c.Rules {
		fmt.Fprintf(stdout, "\n%s (%s, %s)\n  %s\n", r.ID, r.Name, r.Level, r.Short)
	}
	return 0
}

func firstLines(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func oneLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func openOutput(path string, stdout io.Writer) (io.Writer, func() error, error) {
	if path == "" || path == "-" {
		return stdout, func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, err
	}
	return f, f.Close, nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progress draws "units done / total, rate, elapsed" on a terminal.
type progress struct {
	mu      sync.Mutex
	w       io.Writer
	on      bool
	start   time.Time
	last    time.Time
	drew    bool
	lastLen int
}

func newProgress(w io.Writer, on bool) *progress {
	return &progress{w: w, on: on, start: time.Now()}
}

func (p *progress) update(done, total int) {
	if !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if done != total && now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	el := now.Sub(p.start)
	rate := float64(done) / el.Seconds()
	const width = 30
	filled := width * done / max(total, 1)
	line := fmt.Sprintf("\r[%s%s] %d/%d units  %.1f/s  %s", strings.Repeat("=", filled), strings.Repeat(" ", width-filled), done, total, rate, el.Truncate(time.Second))
	fmt.Fprint(p.w, line)
	p.drew = true
	p.lastLen = len(line)
}

func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drew {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", p.lastLen))
	}
}

// makeStyleJobs accepts make's -j8 spelling as well as -j 8 and -j=8.
func makeStyleJobs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if len(a) > 2 && strings.HasPrefix(a, "-j") && a[2] >= '0' && a[2] <= '9' {
			a = "-j=" + a[2:]
		}
		out[i] = a
	}
	return out
}
