package reports

import (
	"io"

	"kcheck/checks"
)

// JSONFormatVersion is the "format" of WriteJSON's output; it changes only
// when a member is removed or changes meaning.
const JSONFormatVersion = 1

// The JSON report: flat, always-present arrays, field names that say what
// they hold, for jq and scripts that would rather not walk SARIF.
type (
	jsonReport struct {
		Format      int           `json:"format"`
		Tool        string        `json:"tool"`
		ToolVersion string        `json:"toolVersion,omitempty"`
		Units       int           `json:"units"`
		Diagnostics []jsonFinding `json:"diagnostics"`
		Failures    []Failure     `json:"failures"`
	}
	jsonFinding struct {
		Rule        string        `json:"rule"`
		Level       string        `json:"level"`
		File        string        `json:"file"`
		Line        int           `json:"line"`
		Column      int           `json:"column"`
		Function    string        `json:"function,omitempty"`
		Key         string        `json:"key,omitempty"`
		Message     string        `json:"message"`
		Fingerprint string        `json:"fingerprint,omitempty"`
		LineHash    string        `json:"primaryLocationLineHash,omitempty"`
		Baseline    string        `json:"baselineState,omitempty"`
		Suppressed  string        `json:"suppressed,omitempty"` // the reason
		Related     []jsonRelated `json:"related"`
		Flows       []jsonFlow    `json:"flows"`
	}
	jsonRelated struct {
		ID      int    `json:"id"`
		File    string `json:"file"`
		Line    int    `json:"line"`
		Column  int    `json:"column"`
		Message string `json:"message"`
	}
	jsonFlow struct {
		Message string     `json:"message,omitempty"`
		Steps   []jsonStep `json:"steps"`
	}
	jsonStep struct {
		File       string `json:"file"`
		Line       int    `json:"line"`
		Column     int    `json:"column"`
		Message    string `json:"message"`
		Nesting    int    `json:"nesting"`
		Importance string `json:"importance,omitempty"`
	}
)

// WriteJSON writes r as a simple stable JSON document: the diagnostics in
// the report order with their kcheck/v1 fingerprints (findings without a
// source position last, without a fingerprint), and the failed units.
// Positions are as the IR has them: paths relative to the tree root, byte
// columns, lines and columns clamped to 1.
func WriteJSON(w io.Writer, r *Run) error {
	p := prepare(r)
	out := jsonReport{
		Format:      JSONFormatVersion,
		Tool:        toolName,
		ToolVersion: r.ToolVersion,
		Units:       r.Units,
		Diagnostics: make([]jsonFinding, 0, len(p.findings)+len(p.unplaced)),
		Failures:    p.failures,
	}
	if out.Failures == nil {
		out.Failures = []Failure{}
	}
	for _, fs := range [][]finding{p.findings, p.unplaced} {
		for i := range fs {
			out.Diagnostics = append(out.Diagnostics, jsonFindingOf(&fs[i]))
		}
	}
	return encodeJSON(w, out)
}

func jsonFindingOf(f *finding) jsonFinding {
	j := jsonFinding{
		Rule:        f.Rule,
		Level:       string(f.level),
		File:        f.Pos.File,
		Line:        clamp(f.Pos.Line),
		Column:      clamp(f.Pos.Col),
		Function:    f.Function,
		Key:         f.Key,
		Message:     f.Message,
		Fingerprint: f.fingerprint,
		LineHash:    f.lineHash,
		Baseline:    f.state,
		Related:     make([]jsonRelated, 0, len(f.Related)),
		Flows:       make([]jsonFlow, 0, len(f.Flows)),
	}
	if f.suppressed {
		j.Suppressed = f.reason
	}
	for _, r := range f.Related {
		j.Related = append(j.Related, jsonRelated{ID: r.ID, File: r.Pos.File, Line: clamp(r.Pos.Line), Column: clamp(r.Pos.Col), Message: r.Message})
	}
	for _, fl := range f.Flows {
		jf := jsonFlow{Message: fl.Message, Steps: make([]jsonStep, 0, len(fl.Steps))}
		for _, s := range fl.Steps {
			jf.Steps = append(jf.Steps, jsonStepOf(s))
		}
		j.Flows = append(j.Flows, jf)
	}
	return j
}

func jsonStepOf(s checks.Step) jsonStep {
	return jsonStep{File: s.Pos.File, Line: clamp(s.Pos.Line), Column: clamp(s.Pos.Col), Message: s.Message, Nesting: max(s.Nesting, 0), Importance: s.Importance}
}
