// Package checks defines what a kcheck checker is (a Checker value, like
// golang.org/x/tools/go/analysis.Analyzer), the diagnostics checkers report,
// and the registry that cmd/kcheck and the reports read. Each checker lives
// in its own package under checks/ and registers itself with Register from
// an init function; cmd/kcheck imports them all.
package checks

import (
	"fmt"
	"sort"
	"sync"

	"kcheck/callgraph"
	"kcheck/frontend/ir"
)

// Level is a SARIF result level.
type Level string

const (
	LevelError   Level = "error"
	LevelWarning Level = "warning"
	LevelNote    Level = "note"
)

// Rank orders levels: error 3, warning 2, note 1, anything else 0.
func (l Level) Rank() int {
	switch l {
	case LevelError:
		return 3
	case LevelWarning:
		return 2
	case LevelNote:
		return 1
	}
	return 0
}

// Rule is one kind of finding of a checker, a SARIF rule. ID is
// "<checker>/<kind>", stable and opaque once published.
type Rule struct {
	ID   string // "lockorder/abba"
	Name string // "LockOrderCycle": differs from ID, as SARIF consumers want
	// Short is one sentence; Full a paragraph; Help the plain-text help and
	// HelpMarkdown the same with a bad and a good example.
	Short, Full, Help, HelpMarkdown string
	Level                           Level
	Tags                            []string // "locking", "external/cwe/cwe-833"
	// Precision is SARIF's properties.precision: very-high, high, medium,
	// low.
	Precision string
	// SecuritySeverity, when set, is GitHub's properties.security-severity.
	SecuritySeverity string
}

// Checker is one checker: a named value with its rules and a run function.
type Checker struct {
	// Name is a valid identifier, used by --checks, as the rule id prefix
	// and as the doc anchor.
	Name string
	// Doc is the checker's documentation: first line a summary, the rest
	// what it finds, what it models and what it does not.
	Doc string
	// URL is the help page.
	URL   string
	Rules []*Rule
	// Run reports the checker's findings for the whole program.
	Run func(*Pass) error
}

// Pass is what a checker is given: the whole program and a way to report.
type Pass struct {
	Checker *Checker
	// Units are the lowered translation units, sorted by file.
	Units []*ir.Unit
	// Graph is the whole-program call graph over Units.
	Graph *callgraph.Graph
	// Options are checker options from the command line and config file
	// ("frame-warn" -> "2048").
	Options map[string]string
	report  func(Diagnostic)
}

// NewPass returns a pass for c whose Report calls report.
func NewPass(c *Checker, units []*ir.Unit, g *callgraph.Graph, opts map[string]string, report func(Diagnostic)) *Pass {
	return &Pass{Checker: c, Units: units, Graph: g, Options: opts, report: report}
}

// Report records a diagnostic. Rule must be one of the checker's rules.
func (p *Pass) Report(d Diagnostic) { p.report(d) }

// Diagnostic is one finding.
type Diagnostic struct {
	Rule string // full rule id, "lockorder/abba"
	Pos  ir.Pos // primary location
	// Message is the text; it may link related locations as "[text](id)",
	// SARIF's only way to show them on GitHub.
	Message string
	// Level overrides the rule's default level when set.
	Level Level
	// Function is the enclosing function's name (for fingerprints).
	Function string
	// Key is the semantic identity of the finding besides rule, file and
	// function: a lock class pair, the object's spelling. It goes into
	// kcheck's own fingerprint, so it must not contain line numbers.
	Key     string
	Related []Related
	// Flows are the paths that show the finding (one SARIF threadFlow
	// each).
	Flows []Flow
}

// Related is a secondary location, linked from the message by ID.
type Related struct {
	ID      int
	Pos     ir.Pos
	Message string
}

// Flow is one path: a call chain or a path through a function's CFG.
type Flow struct {
	Message string
	Steps   []Step
}

// Importance of a step in a flow, as SARIF names it.
const (
	Essential   = "essential"
	Important   = "important"
	Unimportant = "unimportant"
)

// Step is one location on a flow.
type Step struct {
	Pos        ir.Pos
	Message    string
	Nesting    int    // call depth
	Importance string // Essential, Important or Unimportant
}

var (
	registryMu sync.Mutex
	registry   = map[string]*Checker{}
)

// Register adds a checker; it panics on a duplicate name, a rule id not
// under the checker's name, or a missing doc, since those are programming
// errors.
func Register(c *Checker) {
	registryMu.Lock()
	defer registryMu.Unlock()
	if c.Name == "" || c.Doc == "" || c.Run == nil {
		panic(fmt.Sprintf("checks.Register: checker %q lacks a name, doc or run function", c.Name))
	}
	if _, dup := registry[c.Name]; dup {
		panic("checks.Register: duplicate checker " + c.Name)
	}
	for _, r := range c.Rules {
		if len(r.ID) <= len(c.Name)+1 || r.ID[:len(c.Name)+1] != c.Name+"/" {
			panic(fmt.Sprintf("checks.Register: rule %q of checker %q is not named %s/...", r.ID, c.Name, c.Name))
		}
	}
	registry[c.Name] = c
}

// All returns the registered checkers sorted by name.
func All() []*Checker {
	registryMu.Lock()
	defer registryMu.Unlock()
	var cs []*Checker
	for _, c := range registry {
		cs = append(cs, c)
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].Name < cs[j].Name }) // for determinism
	return cs
}

// Lookup returns the checker with the given name, or nil.
func Lookup(name string) *Checker {
	registryMu.Lock()
	defer registryMu.Unlock()
	return registry[name]
}
