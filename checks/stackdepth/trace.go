package stackdepth

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strings"
	"text/tabwriter"

	"kcheck/callgraph"
	"kcheck/frontend/ir"
)

// lookupFunc finds a function by "name" or "file:name" (a static one),
// preferring a defined one.
func lookupFunc(g *callgraph.Graph, fn string) (*callgraph.Node, error) {
	name, file := fn, ""
	if i := strings.LastIndexByte(fn, ':'); i >= 0 {
		file, name = fn[:i], fn[i+1:]
	}
	var found []*callgraph.Node
	for _, n := range g.Lookup(name) {
		if file == "" || n.Key.File == file {
			found = append(found, n)
		}
	}
	if len(found) == 0 {
		return nil, fmt.Errorf("function %s is not in the analysed code", fn)
	}
	for _, n := range found {
		if n.Func != nil {
			if len(found) > 1 && file == "" && n.Key.File != "" {
				var alts []string
				for _, m := range found {
					alts = append(alts, m.Key.String())
				}
				return nil, fmt.Errorf("function %s is ambiguous: %s", fn, strings.Join(alts, ", "))
			}
			return n, nil
		}
	}
	return found[0], nil
}

// WorstPath returns the worst-case stack path below fn ("name" or
// "file:name"), fn first, for `kcheck stack FUNCTION`.
func WorstPath(a *Analysis, fn string) ([]PathRow, error) {
	n, err := lookupFunc(a.Graph, fn)
	if err != nil {
		return nil, err
	}
	return a.Path(n), nil
}

// callTraceFrame matches one frame of a kernel call trace:
// "[  12.3] ? foo_bar.constprop.0+0x1c/0x40 [mod]". Group 1 is "? " for
// a frame the unwinder only guessed; group 2 the function.
var callTraceFrame = regexp.MustCompile(`^(?:\[[ \d.]+\]\s*)?(?:\S+:\s+)?\s*(\?\s+)?([A-Za-z_][\w.]*)\+0x[0-9a-fA-F]+/0x[0-9a-fA-F]+`)

// ParseCallTrace reads a dmesg log and returns the functions of its first
// "Call Trace:" block, innermost first as the kernel prints them. Frames
// marked "?" (stale return addresses the unwinder is unsure of) are left
// out, as are the <TASK>, <IRQ> markers; clone suffixes (.constprop.0,
// .isra.0, .part.0, .cold) are stripped. The block ends at the first line
// that is neither a frame nor a marker, once a frame has been seen.
func ParseCallTrace(r io.Reader) []string {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	in := false
	var out []string
	for sc.Scan() {
		line := sc.Text()
		if !in {
			if strings.Contains(line, "Call Trace:") {
				in = true
			}
			continue
		}
		text := strings.TrimSpace(stripTimestamp(line))
		if text == "" || strings.HasPrefix(text, "<") && strings.HasSuffix(text, ">") {
			continue // <TASK>, </IRQ>, ...
		}
		m := callTraceFrame.FindStringSubmatch(text)
		if m == nil {
			if len(out) > 0 {
				break
			}
			continue
		}
		if m[1] != "" {
			continue
		}
		name := m[2]
		if i := strings.IndexByte(name, '.'); i > 0 {
			name = name[:i]
		}
		out = append(out, name)
	}
	return out
}

var timestamp = regexp.MustCompile(`^\s*\[\s*[\d.]+\]\s*`)

func stripTimestamp(s string) string { return timestamp.ReplaceAllString(s, "") }

// TraceUsage returns the stack used along a call trace given innermost
// first (as ParseCallTrace returns it): rows outermost first with the
// running total. Functions not in the analysed code get their .su frame
// if known, else 0 with Source "unknown".
func TraceUsage(a *Analysis, trace []string) []PathRow {
	var rows []PathRow
	var total int64
	for i := len(trace) - 1; i >= 0; i-- {
		name := trace[i]
		row := PathRow{Func: name, Source: "unknown"}
		if n, err := lookupFunc(a.Graph, name); err == nil {
			fr := a.frames[n]
			row.Func, row.Frame, row.Source, row.Note = n.Key.String(), fr.Bytes, fr.Source, a.note(n)
			if n.Func != nil {
				row.Pos = n.Func.Pos
			}
		} else if e, ok := a.Options.StackUsage.Lookup("", name); ok {
			row.Frame, row.Source = e.Bytes, "su"
		}
		total += row.Frame
		row.Total = total
		rows = append(rows, row)
	}
	return rows
}

// WriteTable prints path rows as an aligned table.
func WriteTable(w io.Writer, rows []PathRow) error {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "depth\tframe\ttotal\tsource\t\tfunction\tlocation\t")
	for i, r := range rows {
		loc := "-"
		if r.Pos != (ir.Pos{}) {
			loc = r.Pos.String()
		}
		fn := r.Func
		if r.Note != "" {
			fn += " (" + r.Note + ")"
		}
		fmt.Fprintf(tw, "%d\t%d\t%d\t%s\t\t%s\t%s\t\n", i, r.Frame, r.Total, r.Source, fn, loc)
	}
	return tw.Flush()
}
