// Package reports writes kcheck's findings: SARIF 2.1.0 for code-scanning
// services and review bots (GitHub, GitLab, reviewdog, the VS Code SARIF
// viewer), gcc-style text for a terminal or an editor's quickfix list, and a
// plain JSON for scripts.
//
// Every writer takes a Run and orders its findings the same way (file,
// line, column, rule, message, then the rest), removes exact duplicates
// and gives each finding the same kcheck/v1 fingerprint, so the same
// findings give byte-identical output whatever order the checkers reported
// them in and whatever the parallelism of the run was.
package reports

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"kcheck/checks"
	"kcheck/frontend/ir"
)

// Run is everything a report says about one kcheck invocation.
type Run struct {
	// Root is the absolute kernel tree root. Positions are relative to it;
	// SARIF carries it as originalUriBaseIds["%SRCROOT%"].
	Root string
	// Checkers are the enabled checkers: their rules are described in the
	// report even when they found nothing, so a consumer can tell "checked
	// and clean" from "not checked".
	Checkers []*checks.Checker
	// Diagnostics are the findings, in any order.
	Diagnostics []checks.Diagnostic
	// Failures are the translation units that could not be analysed.
	Failures []Failure
	// Category is SARIF's automationDetails.id, which tells apart uploads
	// of several configurations or subtrees for one commit
	// ("kcheck/x86_64-defconfig/"); DefaultCategory when empty.
	Category string
	// ToolVersion is kcheck's semantic version; InformationURI its home
	// page. Both are left out of SARIF when empty.
	ToolVersion    string
	InformationURI string
	// Units is how many translation units were analysed successfully.
	Units int
	// Source returns the text of a file named relative to Root. When set,
	// SARIF columns are converted from the IR's byte columns to UTF-16
	// code units as run.columnKind promises; when nil (or a file cannot be
	// read) byte columns are written, which is the same for ASCII lines.
	Source func(file string) ([]byte, error)
	// Baseline, when set, is an earlier report: every result gets a
	// baselineState (see Baseline.match), and the baseline's results no
	// finding matches are reported again as absent.
	Baseline *Baseline
	// Suppressions mark reviewed findings suppressed (SARIF suppressions
	// of kind external with the reason as justification); OmitSuppressed
	// leaves them out of the report altogether.
	Suppressions   *Suppressions
	OmitSuppressed bool
	// Changed, when set, restricts the report to findings whose primary
	// location or a flow step is on one of these lines (--diff).
	Changed ChangedLines
}

// Failure is a translation unit kcheck could not analyse.
type Failure struct {
	File   string `json:"file"` // the unit's .c file, relative to the tree root
	Reason string `json:"reason"`
}

// DefaultCategory is the automationDetails.id of a run that names none.
const DefaultCategory = "kcheck/"

// FingerprintKey is the partialFingerprints key of kcheck's own semantic
// fingerprint. Bump the version when the recipe changes: consumers then
// see new keys instead of matching old alerts wrongly.
const FingerprintKey = "kcheck/v1"

// UnitFailureID is the id under which unit failures are reported (the
// SARIF notification descriptor and the text output's rule tag).
const UnitFailureID = "kcheck/unit"

// finding is a diagnostic as every writer shows it.
type finding struct {
	checks.Diagnostic
	level       checks.Level // the diagnostic's level, else its rule's, else warning
	rule        int          // index into the report's rules
	fingerprint string
	lineHash    string // primaryLocationLineHash, "" when the source is unknown
	state       string // baseline state, "" without a baseline
	suppressed  bool
	reason      string // why it is suppressed
	order       string // everything else, for a total order
}

// ruleEntry is a rule with the checker that declares it.
type ruleEntry struct {
	*checks.Rule
	checker *checks.Checker
}

// prepared is the run in the order and form every writer uses.
type prepared struct {
	rules    []ruleEntry
	findings []finding
	// unplaced are findings without a source file: a checker bug, kept out
	// of SARIF results (a result without a location makes an upload fail)
	// and reported as notifications instead.
	unplaced []finding
	failures []Failure
	// absent are the baseline's results no finding matched, with
	// ruleIndex pointing into rules.
	absent []sarifResult
}

func prepare(r *Run) *prepared {
	p := &prepared{}
	byID := make(map[string]int)
	for _, c := range r.Checkers {
		if c == nil {
			continue
		}
		for _, rule := range c.Rules {
			if rule == nil || rule.ID == "" {
				continue
			}
			if _, dup := byID[rule.ID]; !dup {
				byID[rule.ID] = len(p.rules)
				p.rules = append(p.rules, ruleEntry{rule, c})
			}
		}
	}
	// A finding under a rule no enabled checker declares still needs a
	// rules[] entry, or consumers drop it: describe it minimally.
	for _, d := range r.Diagnostics {
		if _, ok := byID[d.Rule]; !ok {
			byID[d.Rule] = len(p.rules)
			p.rules = append(p.rules, ruleEntry{undeclaredRule(d.Rule), nil})
		}
	}
	sort.Slice(p.rules, func(i, j int) bool { return p.rules[i].ID < p.rules[j].ID }) // for determinism
	for i, e := range p.rules {
		byID[e.ID] = i
	}

	all := make([]finding, 0, len(r.Diagnostics))
	for _, d := range r.Diagnostics {
		f := finding{Diagnostic: d, rule: byID[d.Rule]}
		f.level = d.Level
		if f.level.Rank() == 0 {
			f.level = p.rules[f.rule].Level
		}
		if f.level.Rank() == 0 {
			f.level = checks.LevelWarning
		}
		if strings.TrimSpace(f.Message) == "" {
			f.Message = p.rules[f.rule].Short
		}
		f.order = fmt.Sprintf("%s\x00%s\x00%s\x00%+v\x00%+v", f.Function, f.Key, f.level, f.Related, f.Flows)
		all = append(all, f)
	}
	sort.Slice(all, func(i, j int) bool { return findingLess(&all[i], &all[j]) }) // for determinism
	// Drop exact duplicates: two reports of one finding help nobody and
	// would get two fingerprints.
	k := 0
	for i := range all {
		if k > 0 && sameFinding(&all[k-1], &all[i]) {
			continue
		}
		all[k] = all[i]
		k++
	}
	all = all[:k]

	occurrence := make(map[string]int)
	hashes := &lineHashes{source: r.Source}
	for i := range all {
		f := &all[i]
		if f.Pos.File == "" {
			p.unplaced = append(p.unplaced, *f)
			continue
		}
		base := semanticHash(f)
		occurrence[base]++
		f.fingerprint = fmt.Sprintf("%s:%d", base, occurrence[base])
		f.lineHash = hashes.at(f.Pos.File, clamp(f.Pos.Line))
		f.reason, f.suppressed = r.Suppressions.reason(f.fingerprint)
		p.findings = append(p.findings, *f)
	}
	if r.Baseline != nil {
		// Match before filtering, so that a finding left out by --diff
		// or as suppressed does not come back as absent.
		p.absent = r.Baseline.match(r.Root, p.findings)
		added := false
		for i := range p.absent {
			if _, ok := byID[p.absent[i].RuleID]; !ok {
				byID[p.absent[i].RuleID] = len(p.rules)
				p.rules = append(p.rules, ruleEntry{r.Baseline.ruleOf(p.absent[i].RuleID), nil})
				added = true
			}
		}
		if added {
			sort.Slice(p.rules, func(i, j int) bool { return p.rules[i].ID < p.rules[j].ID }) // for determinism
			for i, e := range p.rules {
				byID[e.ID] = i
			}
			for _, fs := range [][]finding{p.findings, p.unplaced} {
				for i := range fs {
					fs[i].rule = byID[fs[i].Rule]
				}
			}
		}
		for i := range p.absent {
			p.absent[i].RuleIndex = byID[p.absent[i].RuleID]
			p.absent[i].BaselineState = StateAbsent
		}
	}
	if r.Changed != nil || r.OmitSuppressed {
		kept := p.findings[:0]
		for _, f := range p.findings {
			if r.Changed != nil && !r.Changed.touches(&f) || r.OmitSuppressed && f.suppressed {
				continue
			}
			kept = append(kept, f)
		}
		p.findings = kept
	}

	p.failures = append([]Failure(nil), r.Failures...)
	sort.Slice(p.failures, func(i, j int) bool { // for determinism
		a, b := p.failures[i], p.failures[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Reason < b.Reason
	})
	return p
}

// findingLess orders findings by file, line, column, rule and message, as
// SARIF consumers and readers of the text expect, then by everything else
// so the order never depends on the input order.
func findingLess(a, b *finding) bool {
	if a.Pos.File != b.Pos.File {
		return a.Pos.File < b.Pos.File
	}
	if a.Pos.Line != b.Pos.Line {
		return a.Pos.Line < b.Pos.Line
	}
	if a.Pos.Col != b.Pos.Col {
		return a.Pos.Col < b.Pos.Col
	}
	if a.Rule != b.Rule {
		return a.Rule < b.Rule
	}
	if a.Message != b.Message {
		return a.Message < b.Message
	}
	return a.order < b.order
}

func sameFinding(a, b *finding) bool {
	return a.Pos == b.Pos && a.Rule == b.Rule && a.Message == b.Message && a.order == b.order
}

// digits matches what semanticHash leaves out of a message: numbers (line
// numbers, sizes, link ids) change when unrelated code moves.
var digits = regexp.MustCompile(`[0-9]+`)

// semanticHash is the stable part of the kcheck/v1 fingerprint: rule, file,
// enclosing function, the checker's key and the message without numbers.
// No line numbers go in, so a finding keeps its fingerprint when code above
// it moves; prepare appends an occurrence counter to tell apart equal
// findings in one file.
func semanticHash(f *finding) string {
	msg := strings.Join(strings.FieldsFunc(digits.ReplaceAllString(f.Message, ""), unicode.IsSpace), " ")
	h := sha256.New()
	for _, s := range []string{f.Rule, f.Pos.File, f.Function, f.Key, msg} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// undeclaredRule describes a rule id that no enabled checker declares.
func undeclaredRule(id string) *checks.Rule {
	var name strings.Builder
	up := true
	for _, r := range id {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			up = true
			continue
		}
		if up {
			r = unicode.ToUpper(r)
			up = false
		}
		name.WriteRune(r)
	}
	text := fmt.Sprintf("Finding of kcheck rule %s, which no enabled checker declares.", id)
	return &checks.Rule{ID: id, Name: name.String(), Short: text, Full: text, Help: text, Level: checks.LevelWarning}
}

// clamp makes a line or column 1-based: consumers reject 0.
func clamp(n int) int {
	if n < 1 {
		return 1
	}
	return n
}

// link matches a message link to a related location, "[text](id)".
var link = regexp.MustCompile(`\[([^\]]*)\]\(([0-9]+)\)`)

// resolveLinks rewrites the message links for plain text: "[here](1)"
// becomes "here (file:line)" when related location 1 has a position, and
// "here" otherwise.
func resolveLinks(msg string, related []checks.Related) string {
	return link.ReplaceAllStringFunc(msg, func(m string) string {
		sub := link.FindStringSubmatch(m)
		for _, r := range related {
			if fmt.Sprint(r.ID) == sub[2] {
				if r.Pos.File == "" {
					break
				}
				return fmt.Sprintf("%s (%s:%d)", sub[1], r.Pos.File, clamp(r.Pos.Line))
			}
		}
		return sub[1]
	})
}

// place is where a position goes in SARIF.
type place struct {
	uri, baseID string
}

// locate turns a position's file into a SARIF artifact location. A file
// inside the tree becomes a URI relative to the root under %SRCROOT%, as
// GitHub needs; a file outside it (a compiler header) becomes an absolute
// file: URI without a base id, valid SARIF that viewers can open though
// GitHub cannot link it. ok is false when there is no usable file at all.
func locate(root, file string) (place, bool) {
	if file == "" {
		return place{}, false
	}
	p := filepath.ToSlash(file)
	rootSlash := strings.TrimSuffix(filepath.ToSlash(root), "/")
	if path.IsAbs(p) {
		p = path.Clean(p)
		if rootSlash != "" && strings.HasPrefix(p, rootSlash+"/") {
			return place{uri: escapePath(p[len(rootSlash)+1:]), baseID: "%SRCROOT%"}, true
		}
		return place{uri: "file://" + escapePath(p)}, true
	}
	p = path.Clean(p)
	if p == ".." || strings.HasPrefix(p, "../") {
		if rootSlash == "" || !path.IsAbs(rootSlash) {
			return place{}, false
		}
		return place{uri: "file://" + escapePath(path.Join(rootSlash, p))}, true
	}
	if p == "." {
		return place{}, false
	}
	return place{uri: escapePath(p), baseID: "%SRCROOT%"}, true
}

// escapePath percent-encodes a slash-separated path for a URI: everything
// but unreserved characters and "/" (":" too, so that a relative path's
// first segment is never read as a scheme).
func escapePath(p string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~/", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

// columns converts byte columns to UTF-16 code units with the file text
// from Run.Source, caching each file's lines.
type columns struct {
	source func(string) ([]byte, error)
	files  map[string][]string
}

func (c *columns) utf16(pos ir.Pos) int {
	col := clamp(pos.Col)
	if c.source == nil || col == 1 {
		return col
	}
	lines, ok := c.files[pos.File]
	if !ok {
		if text, err := c.source(pos.File); err == nil {
			lines = strings.Split(string(text), "\n")
		}
		if c.files == nil {
			c.files = make(map[string][]string)
		}
		c.files[pos.File] = lines
	}
	if pos.Line < 1 || pos.Line > len(lines) {
		return col
	}
	line := lines[pos.Line-1]
	if col-1 > len(line) {
		return col
	}
	n := 0
	for _, r := range line[:col-1] {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n + 1
}

// lineHashes computes primaryLocationLineHash values with the file text
// from Run.Source, caching each file's hashes.
type lineHashes struct {
	source func(string) ([]byte, error)
	files  map[string][]string
}

// at returns the hash of a line of a file relative to the tree root, or ""
// when the file is outside the tree or cannot be read (upload-sarif then
// computes it, or leaves it out, itself).
func (h *lineHashes) at(file string, line int) string {
	p := filepath.ToSlash(file)
	if h.source == nil || path.IsAbs(p) || p == ".." || strings.HasPrefix(p, "../") {
		return ""
	}
	hashes, ok := h.files[file]
	if !ok {
		if text, err := h.source(file); err == nil {
			hashes = LineHashes(text)
		}
		if h.files == nil {
			h.files = make(map[string][]string)
		}
		h.files[file] = hashes
	}
	if line < len(hashes) {
		return hashes[line]
	}
	return ""
}

// Outcome is how one reported finding counts for a CI gate.
type Outcome struct {
	Rule        string
	Level       checks.Level
	Fingerprint string
	// BaselineState is new, unchanged or updated with a baseline, "" without.
	BaselineState string
	Suppressed    bool
}

// Outcomes lists the findings a report of r shows (after --diff and
// --omit-suppressed), in report order, with what a gate needs to decide
// the exit status; absent baseline results are not among them. Absent is
// how many baseline results no finding matched.
func Outcomes(r *Run) (out []Outcome, absent int) {
	p := prepare(r)
	for _, fs := range [][]finding{p.findings, p.unplaced} {
		for _, f := range fs {
			if r.OmitSuppressed && f.suppressed {
				continue
			}
			out = append(out, Outcome{Rule: f.Rule, Level: f.level, Fingerprint: f.fingerprint, BaselineState: f.state, Suppressed: f.suppressed})
		}
	}
	return out, len(p.absent)
}
