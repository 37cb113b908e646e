package dma

import (
	"fmt"

	"kcheck/checks"
	"kcheck/checks/resource"
)

// leaks runs the path engine shared with the refcount checker over the
// whole program with the DMA table and turns its leak candidates into
// dma/leak findings. The engine learns the driver's own map and unmap
// helpers as summaries; the DMA-specific part is only the table and the
// message.
func (p *program) leaks(pass *checks.Pass) ([]checks.Diagnostic, error) {
	t, err := resource.NewTable(resourceSpec(p.table))
	if err != nil {
		return nil, fmt.Errorf("dma: engine table: %w", err)
	}
	an := &resource.Analyzer{Table: t, Graph: pass.Graph}
	var out []checks.Diagnostic
	for _, fr := range an.Run() {
		if fr.Capped {
			p.stats.CappedWalks++
		}
		for _, l := range resource.LeakCandidates(fr) {
			out = append(out, leakDiag(fr, l))
		}
	}
	return out, nil
}

// leakWhy explains the engine's reason in the message.
var leakWhy = map[string]string{
	"owned":              "",
	"failed":             " after the mapping call failed",
	"released-elsewhere": " although other paths release it",
	"error-return":       " on an error return",
}

func leakDiag(fr *resource.FuncResult, l resource.Leak) checks.Diagnostic {
	site := l.Site
	name := site.Call.Callee
	if a := DefaultTable().Lookup(name); a != nil {
		name = a.Spelling
	}
	handle := site.Handle
	if handle == "" {
		handle = "the result"
	}
	msg := fmt.Sprintf("%s leak: %s from %s is neither released nor handed off on the path to [this return](1)%s",
		site.Family.Noun, handle, name, leakWhy[l.Why])
	rel := []checks.Related{{ID: 1, Pos: l.Exit.Pos, Message: "returns with the " + site.Family.Noun + " held"}}
	for i, pos := range l.Related {
		rel = append(rel, checks.Related{ID: i + 2, Pos: pos, Message: "released here on another path"})
	}
	if len(l.Related) > 0 {
		msg += fmt.Sprintf(" ([released](2) on other paths)")
	}
	return checks.Diagnostic{
		Rule:     RuleLeak,
		Pos:      site.Call.Pos,
		Message:  msg,
		Function: fr.Func.Name,
		Key:      name + " " + handle,
		Related:  rel,
		Flows:    []checks.Flow{l.Flow},
	}
}
