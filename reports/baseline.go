package reports

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"kcheck/checks"
)

// Baseline states, as SARIF names them.
const (
	StateNew       = "new"
	StateUnchanged = "unchanged"
	StateUpdated   = "updated"
	StateAbsent    = "absent"
)

// Baseline is the results of an earlier kcheck SARIF report, which a run
// compares its findings with (Run.Baseline).
type Baseline struct {
	results []sarifResult
	rules   map[string]sarifRule
}

// ReadBaseline reads a SARIF log written by kcheck (any SARIF 2.1.0 log
// works as long as its results carry kcheck's fingerprints).
func ReadBaseline(r io.Reader) (*Baseline, error) {
	var log sarifLog
	if err := json.NewDecoder(r).Decode(&log); err != nil {
		return nil, fmt.Errorf("not a SARIF log: %w", err)
	}
	if log.Version != SARIFVersion {
		return nil, fmt.Errorf("SARIF version %q, want %s", log.Version, SARIFVersion)
	}
	b := &Baseline{rules: map[string]sarifRule{}}
	for _, run := range log.Runs {
		for _, rule := range run.Tool.Driver.Rules {
			if _, ok := b.rules[rule.ID]; !ok {
				b.rules[rule.ID] = rule
			}
		}
		for _, res := range run.Results {
			if res.BaselineState == StateAbsent {
				continue // fixed before the baseline was taken
			}
			res.BaselineState = ""
			res.Suppressions = nil
			b.results = append(b.results, res)
		}
	}
	return b, nil
}

// Len is the number of results in the baseline.
func (b *Baseline) Len() int { return len(b.results) }

// ruleOf describes a rule only the baseline knows (an absent result of a
// checker not enabled now) from the baseline's own rules[] entry.
func (b *Baseline) ruleOf(id string) *checks.Rule {
	sr, ok := b.rules[id]
	if !ok {
		return undeclaredRule(id)
	}
	return &checks.Rule{
		ID: id, Name: sr.Name, Short: sr.ShortDescription.Text, Full: sr.FullDescription.Text,
		Help: sr.Help.Text, HelpMarkdown: sr.Help.Markdown, Level: checks.Level(sr.DefaultConfiguration.Level),
		Tags: sr.Properties.Tags, Precision: sr.Properties.Precision, SecuritySeverity: sr.Properties.SecuritySeverity,
	}
}

func resultURI(res *sarifResult) string {
	if len(res.Locations) == 0 || res.Locations[0].PhysicalLocation == nil {
		return ""
	}
	return res.Locations[0].PhysicalLocation.ArtifactLocation.URI
}

// match sets each finding's baseline state and returns the baseline
// results no finding matched, which are absent now. Each baseline result
// matches at most one finding, in three passes over the findings in
// report order:
//
//  1. the same kcheck/v1 hash (ignoring the occurrence counter, which
//     shifts when an equal finding above is fixed) and the same
//     primaryLocationLineHash: unchanged;
//  2. the same rule, file and primaryLocationLineHash (the same line
//     text, but a reworded message or another function or key): updated,
//     or unchanged when the kcheck/v1 fingerprints are equal;
//  3. the same kcheck/v1 hash alone (the flagged line was edited or
//     moved): unchanged.
//
// Any other finding is new.
func (b *Baseline) match(root string, fs []finding) []sarifResult {
	used := make([]bool, len(b.results))
	index := func(key func(*sarifResult) string) map[string][]int {
		m := map[string][]int{}
		for i := range b.results {
			if k := key(&b.results[i]); k != "" {
				m[k] = append(m[k], i)
			}
		}
		return m
	}
	take := func(idx []int) int {
		for _, i := range idx {
			if !used[i] {
				used[i] = true
				return i
			}
		}
		return -1
	}
	withHash := func(fp, hash string) string {
		if fp == "" || hash == "" {
			return ""
		}
		return fpBase(fp) + "\x00" + hash
	}
	lineKey := func(rule, uri, hash string) string {
		if hash == "" {
			return ""
		}
		return rule + "\x00" + uri + "\x00" + hash
	}
	byBaseLine := index(func(r *sarifResult) string {
		return withHash(r.PartialFingerprints[FingerprintKey], r.PartialFingerprints[LineHashKey])
	})
	byLine := index(func(r *sarifResult) string {
		return lineKey(r.RuleID, resultURI(r), r.PartialFingerprints[LineHashKey])
	})
	byBase := index(func(r *sarifResult) string {
		if fp := r.PartialFingerprints[FingerprintKey]; fp != "" {
			return fpBase(fp)
		}
		return ""
	})
	for i := range fs {
		if k := withHash(fs[i].fingerprint, fs[i].lineHash); k != "" && take(byBaseLine[k]) >= 0 {
			fs[i].state = StateUnchanged
		}
	}
	for i := range fs {
		if fs[i].state != "" {
			continue
		}
		pl, _ := locate(root, fs[i].Pos.File)
		if k := lineKey(fs[i].Rule, pl.uri, fs[i].lineHash); k != "" {
			if j := take(byLine[k]); j >= 0 {
				fs[i].state = StateUpdated
				if fpBase(b.results[j].PartialFingerprints[FingerprintKey]) == fpBase(fs[i].fingerprint) {
					fs[i].state = StateUnchanged
				}
			}
		}
	}
	for i := range fs {
		if fs[i].state != "" {
			continue
		}
		fs[i].state = StateNew
		if take(byBase[fpBase(fs[i].fingerprint)]) >= 0 {
			fs[i].state = StateUnchanged
		}
	}
	var absent []sarifResult
	for i, u := range used {
		if !u {
			absent = append(absent, b.results[i])
		}
	}
	return absent
}

// fpBase is a kcheck/v1 fingerprint without its occurrence counter.
func fpBase(fp string) string {
	h, _, _ := strings.Cut(fp, ":")
	return h
}

// Suppressions are findings reviewed and accepted, keyed by kcheck/v1
// fingerprint, with the reason (Run.Suppressions).
type Suppressions struct {
	reasons map[string]string
}

// ReadSuppressions reads a suppressions file: one suppression a line,
//
//	<kcheck/v1 fingerprint> <reason...>
//
// The fingerprint is a result's partialFingerprints["kcheck/v1"] as
// written ("<hash>:<n>"), or just the hash before ":" to suppress every
// occurrence. The reason is required: it becomes the SARIF suppression's
// justification. Blank lines and lines starting with # are ignored. name
// is the file's name for error messages.
func ReadSuppressions(name string, r io.Reader) (*Suppressions, error) {
	s := &Suppressions{reasons: map[string]string{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fp := strings.Fields(line)[0]
		reason := strings.TrimSpace(line[len(fp):])
		if reason == "" {
			return nil, fmt.Errorf("%s:%d: suppression of %s has no reason (write: FINGERPRINT REASON...)", name, n, fp)
		}
		if h, occ, ok := strings.Cut(fp, ":"); h == "" || ok && !isNumber(occ) {
			return nil, fmt.Errorf("%s:%d: %q is not a kcheck/v1 fingerprint", name, n, fp)
		}
		s.reasons[fp] = reason
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return s, nil
}

func isNumber(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}

// reason returns why the finding with fingerprint fp is suppressed, if it
// is.
func (s *Suppressions) reason(fp string) (string, bool) {
	if s == nil || fp == "" {
		return "", false
	}
	if r, ok := s.reasons[fp]; ok {
		return r, true
	}
	r, ok := s.reasons[fpBase(fp)]
	return r, ok
}
