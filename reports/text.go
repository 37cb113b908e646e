package reports

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"kcheck/checks"
	"kcheck/frontend/ir"
)

// flowLines is how many steps of one flow the text output shows: enough for
// "taken here, error branch, returned here" without drowning the terminal;
// SARIF carries the whole path.
const flowLines = 6

// WriteText writes r in gcc's diagnostic format, which terminals, editors'
// quickfix lists and CI log matchers already understand:
//
//	path:line:col: severity: message [rule-id]
//	    path:line:col: note: related location message
//	    path:line:col: note: flow message
//	      path:line:col: note: step message
//	path: error: cannot analyse: reason [kcheck/unit]
//
// With a baseline, findings not in it end in " [new]"; suppressed findings
// (unless omitted) end in " [suppressed: reason]". Absent findings are not
// shown: the text is about the tree as it is.
//
// Message links "[text](id)" become "text (path:line)". Each flow shows
// its essential and important steps (all steps when none is marked), at
// most a few, indented by call depth. Positions are as the IR has them
// (paths relative to the tree root, byte columns), lines and columns
// clamped to 1.
func WriteText(w io.Writer, r *Run) error {
	p := prepare(r)
	bw := bufio.NewWriter(w)
	for i := range p.findings {
		writeTextFinding(bw, &p.findings[i])
	}
	for _, f := range p.unplaced {
		fmt.Fprintf(bw, "kcheck: warning: finding without a source position: %s [%s]\n", resolveLinks(f.Message, f.Related), f.Rule)
	}
	for _, f := range p.failures {
		fmt.Fprintf(bw, "%s: error: cannot analyse: %s [%s]\n", f.File, oneLine(f.Reason), UnitFailureID)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("reports: write: %w", err)
	}
	return nil
}

func writeTextFinding(w io.Writer, f *finding) {
	var marks string
	if f.state == StateNew {
		marks += " [new]"
	}
	if f.suppressed {
		marks += " [suppressed: " + oneLine(f.reason) + "]"
	}
	fmt.Fprintf(w, "%s: %s: %s [%s]%s\n", textPos(f.Pos), f.level, oneLine(resolveLinks(f.Message, f.Related)), f.Rule, marks)
	for _, rel := range f.Related {
		if rel.Pos.File == "" {
			continue
		}
		fmt.Fprintf(w, "    %s: note: %s\n", textPos(rel.Pos), oneLine(rel.Message))
	}
	for i, fl := range f.Flows {
		steps := shownSteps(fl.Steps)
		if len(steps) == 0 {
			continue
		}
		msg := fl.Message
		if msg == "" {
			msg = fmt.Sprintf("path %d", i+1)
		}
		fmt.Fprintf(w, "    %s: note: %s:\n", textPos(steps[0].Pos), oneLine(msg))
		for _, s := range steps {
			if s.Pos.File == "" { // the marker for steps left out
				fmt.Fprintf(w, "      %s\n", s.Message)
				continue
			}
			indent := strings.Repeat("  ", min(max(s.Nesting, 0), 4))
			fmt.Fprintf(w, "      %s%s: note: %s\n", indent, textPos(s.Pos), oneLine(s.Message))
		}
	}
}

// shownSteps picks the steps of a flow the text shows: the essential and
// important ones (every placed step when none is marked), and when there
// are more than flowLines the first and last few around a marker step.
func shownSteps(all []checks.Step) []checks.Step {
	var placed, marked []checks.Step
	for _, s := range all {
		if s.Pos.File == "" {
			continue
		}
		placed = append(placed, s)
		if s.Importance != checks.Unimportant {
			marked = append(marked, s)
		}
	}
	if len(marked) == 0 {
		marked = placed
	}
	if len(marked) <= flowLines {
		return marked
	}
	head, tail := flowLines/2, flowLines-flowLines/2-1
	out := append([]checks.Step(nil), marked[:head]...)
	out = append(out, checks.Step{Message: fmt.Sprintf("... %d more steps", len(marked)-head-tail)})
	return append(out, marked[len(marked)-tail:]...)
}

func textPos(p ir.Pos) string {
	return fmt.Sprintf("%s:%d:%d", p.File, clamp(p.Line), clamp(p.Col))
}

// oneLine keeps a message on its line, so each line of the output stays
// one parseable diagnostic.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
