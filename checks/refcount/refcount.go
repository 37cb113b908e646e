package refcount

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"kcheck/checks"
	"kcheck/checks/resource"
)

// ConfigOption is the Pass.Options key naming the user API model file
// (cmd/kcheck's --config FILE): its [refcount] section extends the
// built-in table.
const ConfigOption = "config"

// Checker is the refcount checker.
var Checker = &checks.Checker{
	Name:  "refcount",
	Doc:   doc,
	URL:   "https://kcheck.dev/checks/refcount",
	Rules: rules,
	Run:   run,
}

func init() { checks.Register(Checker) }

// LoadTable returns the built-in reference table extended by the
// [refcount] section of the config file at path ("" for none).
func LoadTable(path string) (*resource.Table, error) {
	spec := builtinSpec()
	if path != "" {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("refcount config: %w", err)
		}
		defer f.Close()
		extra, err := resource.ParseConfig(f, "refcount")
		if err != nil {
			return nil, fmt.Errorf("refcount config %s: %w", path, err)
		}
		spec = resource.Merge(spec, extra)
	}
	return resource.NewTable(spec)
}

func run(pass *checks.Pass) error {
	tbl, err := LoadTable(pass.Options[ConfigOption])
	if err != nil {
		return err
	}
	a := &resource.Analyzer{Table: tbl, Graph: pass.Graph}
	var diags []checks.Diagnostic
	for _, fr := range a.Run() {
		diags = append(diags, funcDiagnostics(fr)...)
	}
	sort.SliceStable(diags, func(i, j int) bool { // for determinism
		a, b := diags[i], diags[j]
		if a.Pos.File != b.Pos.File {
			return a.Pos.File < b.Pos.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		return a.Rule < b.Rule
	})
	for _, d := range diags {
		pass.Report(d)
	}
	return nil
}

var whyText = map[string]string{
	"owned":              "",
	"failed":             " on the path where %s fails (it takes the reference even then)",
	"released-elsewhere": "",
	"error-return":       " on an error path",
}

func funcDiagnostics(fr *resource.FuncResult) []checks.Diagnostic {
	var out []checks.Diagnostic
	fn := fr.Func
	for _, l := range resource.LeakCandidates(fr) {
		site := l.Site
		call := site.Call.Callee
		if call == "" {
			call = site.Call.Text
		}
		msg := fmt.Sprintf("%s from %s() on %s is not released", site.Family.Noun, call, site.Handle)
		if w := whyText[l.Why]; w != "" {
			if strings.Contains(w, "%s") {
				msg += fmt.Sprintf(w, call+"()")
			} else {
				msg += w
			}
		}
		msg += fmt.Sprintf(" before the return at line %d", l.Exit.Pos.Line)
		d := checks.Diagnostic{
			Rule:     "refcount/leak",
			Pos:      site.Call.Pos,
			Function: fn.Name,
			Key:      site.Family.Name + ":" + call + ":" + site.Handle,
			Flows:    []checks.Flow{l.Flow},
		}
		if len(l.Related) > 0 {
			var links []string
			for i, p := range l.Related {
				d.Related = append(d.Related, checks.Related{ID: i + 1, Pos: p, Message: "released here on another path"})
				links = append(links, fmt.Sprintf("[line %d](%d)", p.Line, i+1))
			}
			msg += "; other paths release it (" + strings.Join(links, ", ") + ")"
		}
		if l.Why == "owned" || l.Why == "failed" || len(l.Related) > 0 {
			d.Level = checks.LevelWarning
		} else {
			d.Level = checks.LevelNote
		}
		d.Message = msg
		out = append(out, d)
	}
	for _, f := range fr.Findings {
		call := f.Site.Call.Callee
		var d checks.Diagnostic
		switch f.Kind {
		case resource.DoubleRelease:
			d = checks.Diagnostic{
				Rule:    "refcount/put-unowned",
				Pos:     f.Pos,
				Message: fmt.Sprintf("releases the %s from %s() on %s that this path already released or dropped [here](1)", f.Site.Family.Noun, call, f.Site.Handle),
			}
		case resource.UseAfterRelease:
			d = checks.Diagnostic{
				Rule:    "refcount/use-after-put",
				Pos:     f.Pos,
				Message: fmt.Sprintf("dereferences %s after its %s was released [here](1)", f.Site.Handle, f.Site.Family.Noun),
			}
		default:
			continue
		}
		d.Function = fn.Name
		d.Key = f.Site.Family.Name + ":" + call + ":" + f.Site.Handle
		d.Related = []checks.Related{{ID: 1, Pos: f.Prev, Message: "released here"}}
		steps := f.Path.Steps(f.Site.Call.ID)
		steps = append(steps, checks.Step{Pos: f.Pos, Message: "used or released again here", Importance: checks.Essential})
		d.Flows = []checks.Flow{{Message: "path releasing the reference and then using it", Steps: steps}}
		out = append(out, d)
	}
	if fr.Capped {
		out = append(out, checks.Diagnostic{
			Rule:     "refcount/incomplete",
			Pos:      fn.Pos,
			Function: fn.Name,
			Level:    checks.LevelNote,
			Message:  fmt.Sprintf("%s: path exploration was bounded after %d steps; references may be leaked on paths not explored", fn.Name, fr.Steps),
		})
	}
	return out
}
