package reports

import (
	"encoding/json"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"strings"

	"kcheck/checks"
	"kcheck/frontend/ir"
)

// SARIF constants kcheck writes.
const (
	SARIFSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	SARIFVersion = "2.1.0"
	toolName     = "kcheck"
)

// maxTags is GitHub's limit of tags per rule; more rejects the upload.
const maxTags = 20

// The SARIF subset kcheck writes, as structs so that encoding/json writes
// the members in one fixed order. Optional members are omitted when empty;
// members consumers require (results, rules) are always written.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool               sarifTool                   `json:"tool"`
		Invocations        []sarifInvocation           `json:"invocations"`
		OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds,omitempty"`
		AutomationDetails  sarifAutomation             `json:"automationDetails"`
		ColumnKind         string                      `json:"columnKind"`
		Results            []sarifResult               `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name            string            `json:"name"`
		SemanticVersion string            `json:"semanticVersion,omitempty"`
		InformationURI  string            `json:"informationUri,omitempty"`
		Rules           []sarifRule       `json:"rules"`
		Notifications   []sarifDescriptor `json:"notifications,omitempty"`
	}
	sarifRule struct {
		ID                   string          `json:"id"`
		Name                 string          `json:"name"`
		ShortDescription     sarifMessage    `json:"shortDescription"`
		FullDescription      sarifMessage    `json:"fullDescription"`
		Help                 sarifMultiText  `json:"help"`
		HelpURI              string          `json:"helpUri,omitempty"`
		DefaultConfiguration sarifRuleConfig `json:"defaultConfiguration"`
		Properties           sarifRuleProps  `json:"properties"`
	}
	sarifDescriptor struct {
		ID               string         `json:"id"`
		Name             string         `json:"name"`
		ShortDescription sarifMessage   `json:"shortDescription"`
		FullDescription  sarifMessage   `json:"fullDescription"`
		Help             sarifMultiText `json:"help"`
	}
	sarifMessage struct {
		Text string `json:"text"`
	}
	sarifMultiText struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown,omitempty"`
	}
	sarifRuleConfig struct {
		Level string `json:"level"`
	}
	sarifRuleProps struct {
		Tags             []string `json:"tags,omitempty"`
		Precision        string   `json:"precision,omitempty"`
		ProblemSeverity  string   `json:"problem.severity,omitempty"`
		SecuritySeverity string   `json:"security-severity,omitempty"`
	}
	sarifInvocation struct {
		ExecutionSuccessful        bool                `json:"executionSuccessful"`
		ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications"`
		Properties                 sarifInvocationProp `json:"properties"`
	}
	sarifInvocationProp struct {
		UnitsAnalysed int `json:"unitsAnalysed"`
		UnitsFailed   int `json:"unitsFailed"`
	}
	sarifNotification struct {
		Descriptor *sarifDescriptorRef `json:"descriptor,omitempty"`
		Level      string              `json:"level"`
		Message    sarifMessage        `json:"message"`
		Locations  []sarifLocation     `json:"locations,omitempty"`
	}
	sarifDescriptorRef struct {
		ID string `json:"id"`
	}
	sarifAutomation struct {
		ID string `json:"id"`
	}
	sarifResult struct {
		RuleID              string            `json:"ruleId"`
		RuleIndex           int               `json:"ruleIndex"`
		Level               string            `json:"level"`
		Message             sarifMessage      `json:"message"`
		Locations           []sarifLocation   `json:"locations"`
		RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
		CodeFlows           []sarifCodeFlow   `json:"codeFlows,omitempty"`
		PartialFingerprints map[string]string `json:"partialFingerprints"`
		BaselineState       string            `json:"baselineState,omitempty"`
		// Suppressions is a pointer so that an empty array ("checked, not
		// suppressed") is written while a missing one ("unknown") is not.
		Suppressions *[]sarifSuppression `json:"suppressions,omitempty"`
	}
	sarifSuppression struct {
		Kind          string `json:"kind"`
		Justification string `json:"justification,omitempty"`
	}
	sarifLocation struct {
		ID               *int                   `json:"id,omitempty"`
		PhysicalLocation *sarifPhysicalLocation `json:"physicalLocation,omitempty"`
		Message          *sarifMessage          `json:"message,omitempty"`
	}
	sarifPhysicalLocation struct {
		ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
		Region           *sarifRegion     `json:"region,omitempty"`
	}
	sarifArtifactLoc struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId,omitempty"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn"`
	}
	sarifCodeFlow struct {
		ThreadFlows []sarifThreadFlow `json:"threadFlows"`
	}
	sarifThreadFlow struct {
		Message   *sarifMessage             `json:"message,omitempty"`
		Locations []sarifThreadFlowLocation `json:"locations"`
	}
	sarifThreadFlowLocation struct {
		Location     sarifLocation `json:"location"`
		NestingLevel int           `json:"nestingLevel"`
		Importance   string        `json:"importance,omitempty"`
	}
)

// WriteSARIF writes r as one SARIF 2.1.0 log with one run.
//
// Choices a consumer may care about:
//   - results is always an array, [] when clean: that is how GitHub learns
//     that earlier alerts are fixed.
//   - Every rule of every enabled checker is in tool.driver.rules, sorted
//     by id, so rules whose findings disappeared are still known.
//   - invocations[0].executionSuccessful is true when the run completed,
//     even if some units could not be analysed: those are error-level
//     toolExecutionNotifications (and counted in the invocation's
//     properties), which is what tells a partial run from a clean one. It
//     is false only when units failed and none was analysed, since such a
//     run's empty results say nothing.
//   - Positions outside the tree root are written as absolute file: URIs
//     without uriBaseId (viewers can open them, GitHub cannot link them);
//     a related location without any file keeps its id and message, so
//     message links still resolve, and a flow step without a file is
//     dropped. A finding without a file becomes a warning notification,
//     as a result without a location makes GitHub reject the upload.
//   - Lines and columns are clamped to 1; columns are UTF-16 code units
//     when Run.Source is set (see Run).
//   - partialFingerprints holds kcheck's own kcheck/v1 fingerprint and,
//     when Run.Source can read the file, primaryLocationLineHash computed
//     as upload-sarif does (LineHashes).
//   - With Run.Baseline every result has a baselineState, and the
//     baseline's unmatched results follow the findings as absent ones,
//     as they were in the baseline. With Run.Suppressions every result
//     has a suppressions array: empty, or one external suppression with
//     the reason as justification.
func WriteSARIF(w io.Writer, r *Run) error {
	p := prepare(r)
	cols := &columns{source: r.Source}

	driver := sarifDriver{
		Name:            toolName,
		SemanticVersion: r.ToolVersion,
		InformationURI:  r.InformationURI,
		Rules:           make([]sarifRule, 0, len(p.rules)),
		Notifications: []sarifDescriptor{{
			ID:               UnitFailureID,
			Name:             "UnitNotAnalysed",
			ShortDescription: sarifMessage{"A translation unit could not be analysed; its findings are missing."},
			FullDescription: sarifMessage{"kcheck could not preprocess, parse or lower this translation unit. " +
				"The rest of the run went on, but nothing in this unit was checked, so no finding in it means nothing."},
			Help: sarifMultiText{Text: "The notification's message gives the reason. A unit the kernel's own " +
				"build compiles but kcheck cannot parse is a kcheck limitation worth reporting."},
		}},
	}
	for _, e := range p.rules {
		driver.Rules = append(driver.Rules, sarifRuleOf(e))
	}

	results := make([]sarifResult, 0, len(p.findings)+len(p.absent))
	for i := range p.findings {
		res := sarifResultOf(r.Root, cols, &p.findings[i])
		if r.Suppressions != nil && !r.OmitSuppressed && res.Suppressions == nil {
			// Say "not suppressed" rather than leave it unknown.
			res.Suppressions = &[]sarifSuppression{}
		}
		results = append(results, res)
	}
	for _, res := range p.absent {
		if r.Suppressions != nil && !r.OmitSuppressed {
			res.Suppressions = &[]sarifSuppression{}
		}
		results = append(results, res)
	}

	notes := make([]sarifNotification, 0, len(p.failures)+len(p.unplaced))
	for _, f := range p.failures {
		n := sarifNotification{
			Descriptor: &sarifDescriptorRef{UnitFailureID},
			Level:      "error",
			Message:    sarifMessage{fmt.Sprintf("cannot analyse %s: %s", f.File, f.Reason)},
		}
		if pl, ok := locate(r.Root, f.File); ok {
			n.Locations = []sarifLocation{{PhysicalLocation: &sarifPhysicalLocation{
				ArtifactLocation: sarifArtifactLoc{URI: pl.uri, URIBaseID: pl.baseID},
			}}}
		}
		notes = append(notes, n)
	}
	for _, f := range p.unplaced {
		notes = append(notes, sarifNotification{
			Level:   "warning",
			Message: sarifMessage{fmt.Sprintf("finding of rule %s without a source position left out: %s", f.Rule, f.Message)},
		})
	}

	category := r.Category
	if category == "" {
		category = DefaultCategory
	}
	run := sarifRun{
		Tool: sarifTool{Driver: driver},
		Invocations: []sarifInvocation{{
			ExecutionSuccessful:        len(p.failures) == 0 || r.Units > 0,
			ToolExecutionNotifications: notes,
			Properties:                 sarifInvocationProp{UnitsAnalysed: r.Units, UnitsFailed: len(p.failures)},
		}},
		AutomationDetails: sarifAutomation{ID: category},
		ColumnKind:        "utf16CodeUnits",
		Results:           results,
	}
	if root := filepath.ToSlash(r.Root); path.IsAbs(root) {
		run.OriginalURIBaseIDs = map[string]sarifArtifactLoc{
			"%SRCROOT%": {URI: "file://" + escapePath(strings.TrimSuffix(path.Clean(root), "/")+"/")},
		}
	}
	return encodeJSON(w, sarifLog{Schema: SARIFSchema, Version: SARIFVersion, Runs: []sarifRun{run}})
}

// sarifRuleOf describes one rule, filling texts a consumer requires from
// the others when a checker left them empty.
func sarifRuleOf(e ruleEntry) sarifRule {
	short := firstNonEmpty(e.Short, e.Name, e.ID)
	full := firstNonEmpty(e.Full, short)
	name := e.Name
	if name == "" || name == e.ID {
		name = undeclaredRule(e.ID).Name // consumers want name != id
	}
	level := e.Level
	if level.Rank() == 0 {
		level = checks.LevelWarning
	}
	sr := sarifRule{
		ID:                   e.ID,
		Name:                 name,
		ShortDescription:     sarifMessage{short},
		FullDescription:      sarifMessage{full},
		Help:                 sarifMultiText{Text: firstNonEmpty(e.Help, full), Markdown: e.HelpMarkdown},
		DefaultConfiguration: sarifRuleConfig{Level: string(level)},
		Properties: sarifRuleProps{
			Precision:        e.Precision,
			ProblemSeverity:  problemSeverity(level),
			SecuritySeverity: e.SecuritySeverity,
		},
	}
	if e.checker != nil {
		sr.HelpURI = e.checker.URL
	}
	tags := e.Tags
	if len(tags) > maxTags {
		tags = tags[:maxTags]
	}
	sr.Properties.Tags = append([]string(nil), tags...)
	return sr
}

// problemSeverity is GitHub's properties.problem.severity for a level.
func problemSeverity(l checks.Level) string {
	if l == checks.LevelNote {
		return "recommendation"
	}
	return string(l)
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

func sarifResultOf(root string, cols *columns, f *finding) sarifResult {
	pl, _ := locate(root, f.Pos.File) // findings without a file were set aside by prepare
	res := sarifResult{
		RuleID:    f.Rule,
		RuleIndex: f.rule,
		Level:     string(f.level),
		Message:   sarifMessage{f.Message},
		Locations: []sarifLocation{{PhysicalLocation: physical(pl, cols, f.Pos)}},
		PartialFingerprints: map[string]string{
			FingerprintKey: f.fingerprint,
		},
		BaselineState: f.state,
	}
	if f.lineHash != "" {
		res.PartialFingerprints[LineHashKey] = f.lineHash
	}
	if f.suppressed {
		res.Suppressions = &[]sarifSuppression{{Kind: "external", Justification: f.reason}}
	}
	for _, rel := range f.Related {
		id := rel.ID
		loc := sarifLocation{ID: &id, Message: &sarifMessage{firstNonEmpty(rel.Message, "related location")}}
		if pl, ok := locate(root, rel.Pos.File); ok {
			loc.PhysicalLocation = physical(pl, cols, rel.Pos)
		}
		res.RelatedLocations = append(res.RelatedLocations, loc)
	}
	var flows []sarifThreadFlow
	for _, fl := range f.Flows {
		tf := sarifThreadFlow{}
		if fl.Message != "" {
			tf.Message = &sarifMessage{fl.Message}
		}
		for _, s := range fl.Steps {
			pl, ok := locate(root, s.Pos.File)
			if !ok {
				continue
			}
			nesting := s.Nesting
			if nesting < 0 {
				nesting = 0
			}
			tf.Locations = append(tf.Locations, sarifThreadFlowLocation{
				Location: sarifLocation{
					PhysicalLocation: physical(pl, cols, s.Pos),
					Message:          &sarifMessage{firstNonEmpty(s.Message, "step")},
				},
				NestingLevel: nesting,
				Importance:   s.Importance,
			})
		}
		if len(tf.Locations) > 0 { // SARIF requires at least one step
			flows = append(flows, tf)
		}
	}
	if len(flows) > 0 {
		res.CodeFlows = []sarifCodeFlow{{ThreadFlows: flows}}
	}
	return res
}

func physical(pl place, cols *columns, pos ir.Pos) *sarifPhysicalLocation {
	col := clamp(pos.Col)
	if pl.baseID != "" {
		col = cols.utf16(pos) // Source reads files relative to the root
	}
	return &sarifPhysicalLocation{
		ArtifactLocation: sarifArtifactLoc{URI: pl.uri, URIBaseID: pl.baseID},
		Region:           &sarifRegion{StartLine: clamp(pos.Line), StartColumn: col},
	}
}

// encodeJSON writes v with two-space indentation and a trailing newline,
// without HTML escaping (messages quote C code: "a < b", "&dev->lock").
func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("reports: write: %w", err)
	}
	return nil
}
