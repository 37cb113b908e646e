package stackdepth

import (
	"fmt"
	"sort"
	"strings"

	"kcheck/callgraph"
	"kcheck/checks"
	"kcheck/frontend/ir"
)

// Checker is the stackdepth checker.
var Checker = &checks.Checker{
	Name:  "stackdepth",
	Doc:   doc,
	URL:   "https://kcheck.dev/checks#stackdepth",
	Rules: []*checks.Rule{ruleFrame, rulePath, ruleRecursion, ruleUnbounded},
	Run:   run,
}

func init() { checks.Register(Checker) }

var (
	ruleFrame = &checks.Rule{
		ID: "stackdepth/frame", Name: "LargeStackFrame",
		Short: "A function's stack frame is larger than --frame-warn.",
		Full: "The function's frame (its locals that live in memory, the locals of the static functions GCC inlines into it, " +
			"saved registers and outgoing arguments) is above the per-function limit (--frame-warn, default 2048 like " +
			"CONFIG_FRAME_WARN on 64-bit). Large frames are the usual cause of kernel stack overflows.",
		Help: "Move large buffers and structures off the stack (kmalloc/kzalloc, a field of the device's private struct), " +
			"or mark a static helper with a big frame noinline_for_stack so its frame is not added to its caller's.",
		HelpMarkdown: "Move large buffers off the stack.\n\nBad:\n\n```c\nstatic int f(struct dev *d)\n{\n\tstruct urb *urbs[128];\t/* 1 KiB */\n\t...\n}\n```\n\n" +
			"Good:\n\n```c\nstatic int f(struct dev *d)\n{\n\tstruct urb **urbs = kcalloc(128, sizeof(*urbs), GFP_KERNEL);\n\tif (!urbs)\n\t\treturn -ENOMEM;\n\t...\n\tkfree(urbs);\n}\n```\n",
		Level: checks.LevelWarning, Tags: []string{"stack", "external/cwe/cwe-121"}, Precision: "high",
	}
	rulePath = &checks.Rule{
		ID: "stackdepth/path", Name: "DeepStackPath",
		Short: "A call path from an entry point uses more stack than --stack-budget.",
		Full: "Summing the frames along the deepest call path from an entry point (a function nothing in the analysed code " +
			"calls: a callback, an exported symbol, an init function) gives more than the stack budget the analysed code may " +
			"use (--stack-budget, default 8192 bytes: half of x86_64's 16 KiB THREAD_SIZE, the rest being used by the kernel " +
			"layers that call into a driver and by the kernel functions it calls, which are not analysed). " +
			"The code flow lists each call with the frame it adds and the running total.",
		Help: "Reduce the largest frames on the path (see the message), or break the chain (defer work to a workqueue).",
		HelpMarkdown: "Reduce the largest frames on the reported path, or move the deep part to a workqueue.\n\nBad: " +
			"`a()` (1.5 KiB of locals) calls `b()` (3 KiB) calls `c()` (4 KiB): 8.5 KiB on one path, each frame below --frame-warn.\n\n" +
			"Good: allocate the buffers of `b()` and `c()` with kmalloc.\n",
		Level: checks.LevelWarning, Tags: []string{"stack", "external/cwe/cwe-121"}, Precision: "medium",
	}
	ruleRecursion = &checks.Rule{
		ID: "stackdepth/recursion", Name: "RecursiveCall",
		Short: "Functions call each other recursively: the stack depth is unbounded.",
		Full: "A cycle in the call graph (a function that calls itself, or several functions that call each other) makes " +
			"the stack depth depend on run-time data. Kernel code avoids recursion because the stack is small and fixed.",
		Help: "Rewrite the recursion as a loop with an explicit (heap-allocated) work list, or bound its depth and say so.",
		HelpMarkdown: "Rewrite recursion as iteration.\n\nBad:\n\n```c\nstatic void walk(struct node *n)\n{\n\tif (n->child)\n\t\twalk(n->child);\n}\n```\n\n" +
			"Good:\n\n```c\nstatic void walk(struct node *n)\n{\n\tfor (; n; n = n->child)\n\t\tvisit(n);\n}\n```\n",
		Level: checks.LevelNote, Tags: []string{"stack"}, Precision: "high",
	}
	ruleUnbounded = &checks.Rule{
		ID: "stackdepth/unbounded", Name: "UnboundedStackFrame",
		Short: "A variable-length array or alloca makes a frame's size depend on run-time data.",
		Full: "The frame of the function grows with a run-time value (a VLA or alloca), so no static bound holds for any " +
			"path through it. The kernel builds with -Wvla and has removed VLAs for this reason.",
		Help: "Use a fixed-size array with a checked bound, or allocate the buffer with kmalloc.",
		HelpMarkdown: "Replace the VLA with a bounded array or a heap allocation.\n\nBad:\n\n```c\nchar buf[len];\n```\n\n" +
			"Good:\n\n```c\nchar buf[MAX_LEN];\nif (len > sizeof(buf))\n\treturn -EINVAL;\n```\n",
		Level: checks.LevelWarning, Tags: []string{"stack", "external/cwe/cwe-770"}, Precision: "high",
	}
)

func run(pass *checks.Pass) error {
	opts, err := ParseOptions(pass.Options)
	if err != nil {
		return err
	}
	a := NewAnalysis(pass.Graph, pass.Units, opts)
	a.reportFrames(pass)
	a.reportPaths(pass)
	a.reportRecursion(pass)
	a.reportUnbounded(pass)
	return nil
}

// bytesStr formats a byte count.
func bytesStr(n int64) string { return fmt.Sprintf("%d bytes", n) }

// frameWhat says where a frame number comes from, for messages.
func frameWhat(fr Frame) string {
	switch fr.Source {
	case "su":
		return "GCC -fstack-usage"
	case "estimate":
		return "estimate"
	}
	return fr.Source
}

func (a *Analysis) reportFrames(pass *checks.Pass) {
	for _, n := range a.Graph.Nodes() {
		fr := a.frames[n]
		if n.Func == nil || fr.Bytes <= a.Options.FrameWarn {
			continue
		}
		var parts []string
		var related []checks.Related
		for _, l := range a.biggestLocals(n, 3) {
			id := len(related) + 1
			related = append(related, checks.Related{ID: id, Pos: l.Pos, Message: fmt.Sprintf("%s: %d bytes", l.Name, l.Size)})
			parts = append(parts, fmt.Sprintf("[%s](%d) %d", l.Name, id, l.Size))
		}
		msg := fmt.Sprintf("stack frame of %s is %s (%s), above the frame-warn limit of %d", n.Name(), bytesStr(fr.Bytes), frameWhat(fr), a.Options.FrameWarn)
		if len(parts) > 0 {
			msg += "; largest locals: " + strings.Join(parts, ", ")
		}
		if len(fr.Inlined) > 0 {
			msg += fmt.Sprintf("; includes the locals of %d inlined static function(s): %s", len(fr.Inlined), shortNames(fr.Inlined, 3))
		}
		pass.Report(checks.Diagnostic{Rule: ruleFrame.ID, Pos: n.Func.Pos, Message: msg, Function: n.Name(), Key: "frame", Related: related})
	}
}

// localRef is a local for messages.
type localRef struct {
	Name string
	Size int64
	Pos  ir.Pos
}

// biggestLocals returns the k largest in-memory locals of n and of the
// callees inlined into it.
func (a *Analysis) biggestLocals(n *callgraph.Node, k int) []localRef {
	keys := append([]string{n.Key.String()}, a.frames[n].Inlined...)
	var ls []localRef
	for _, key := range keys {
		ff := a.facts[key]
		if ff == nil {
			continue
		}
		for _, l := range ff.Locals {
			if (l.Aggregate || l.AddrTaken) && l.Size > 0 {
				name := l.Name
				if key != n.Key.String() {
					name = ff.Name + "." + l.Name
				}
				ls = append(ls, localRef{Name: name, Size: l.Size, Pos: l.Pos})
			}
		}
	}
	sort.SliceStable(ls, func(i, j int) bool { return ls[i].Size > ls[j].Size })
	if len(ls) > k {
		ls = ls[:k]
	}
	return ls
}

func shortNames(keys []string, k int) string {
	var s []string
	for i, key := range keys {
		if i == k {
			s = append(s, fmt.Sprintf("and %d more", len(keys)-k))
			break
		}
		s = append(s, key[strings.LastIndexByte(key, ':')+1:])
	}
	return strings.Join(s, ", ")
}

// pathFlow turns a path into a code flow: each call with the frame it
// adds and the running total.
func pathFlow(rows []PathRow, msg string) checks.Flow {
	f := checks.Flow{Message: msg}
	big := map[string]bool{}
	for _, r := range biggest(rows, 3) {
		big[r.Func] = true
	}
	for i, r := range rows {
		imp := checks.Unimportant
		if big[r.Func] {
			imp = checks.Essential
		} else if r.Frame > 0 {
			imp = checks.Important
		}
		text := fmt.Sprintf("%s: frame %d (%s), total %d", shortNames([]string{r.Func}, 1), r.Frame, r.Source, r.Total)
		if i > 0 {
			text = "calls " + text
		}
		if r.Note != "" {
			text += " [" + r.Note + "]"
		}
		f.Steps = append(f.Steps, checks.Step{Pos: r.Pos, Message: text, Nesting: i, Importance: imp})
	}
	return f
}

func (a *Analysis) reportPaths(pass *checks.Pass) {
	for _, n := range a.Graph.Entries() {
		if a.worst[n] <= a.Options.Budget {
			continue
		}
		rows := a.Path(n)
		var parts []string
		var related []checks.Related
		for _, r := range biggest(rows, 3) {
			id := len(related) + 1
			related = append(related, checks.Related{ID: id, Pos: r.Pos, Message: fmt.Sprintf("%s adds %d bytes", r.Func, r.Frame)})
			parts = append(parts, fmt.Sprintf("[%s](%d) %d", shortNames([]string{r.Func}, 1), id, r.Frame))
		}
		last := rows[len(rows)-1]
		msg := fmt.Sprintf("worst-case stack path from %s is %s over %d calls (to %s), above the stack budget of %d; largest frames: %s",
			n.Name(), bytesStr(a.worst[n]), len(rows)-1, shortNames([]string{last.Func}, 1), a.Options.Budget, strings.Join(parts, ", "))
		pass.Report(checks.Diagnostic{Rule: rulePath.ID, Pos: n.Func.Pos, Message: msg, Function: n.Name(), Key: "path",
			Related: related, Flows: []checks.Flow{pathFlow(rows, msg)}})
	}
}

func (a *Analysis) reportRecursion(pass *checks.Pass) {
	for _, scc := range a.Graph.SCCs() {
		if !a.Graph.Recursive(scc) {
			continue
		}
		head := scc[0]
		if head.Func == nil {
			continue
		}
		cycle := findCycle(head, scc)
		var names []string
		var related []checks.Related
		var steps []checks.Step
		for i, e := range cycle {
			names = append(names, e.Caller.Name())
			related = append(related, checks.Related{ID: i + 1, Pos: e.Call.Pos, Message: fmt.Sprintf("%s calls %s", e.Caller.Name(), e.Callee.Name())})
			steps = append(steps, checks.Step{Pos: e.Call.Pos, Message: fmt.Sprintf("%s calls %s (frame %d)", e.Caller.Name(), e.Callee.Name(), a.frames[e.Caller].Bytes), Nesting: i, Importance: checks.Essential})
		}
		names = append(names, head.Name())
		msg := fmt.Sprintf("recursion %s: stack depth is unbounded", linkChain(names))
		if len(scc) > len(cycle) {
			msg += fmt.Sprintf(" (%d functions in the cycle's component)", len(scc))
		}
		var members []string
		for _, n := range scc {
			members = append(members, n.Name())
		}
		sort.Strings(members) // for determinism
		pass.Report(checks.Diagnostic{Rule: ruleRecursion.ID, Pos: head.Func.Pos, Message: msg, Function: head.Name(),
			Key: strings.Join(members, ","), Related: related, Flows: []checks.Flow{{Message: msg, Steps: steps}}})
	}
}

// linkChain spells a -> b -> a with links to the call sites (Related ids
// 1..n-1).
func linkChain(names []string) string {
	var b strings.Builder
	for i, n := range names {
		if i > 0 {
			b.WriteString(fmt.Sprintf(" [->](%d) ", i))
		}
		b.WriteString(n)
	}
	return b.String()
}

// findCycle returns the edges of a shortest cycle from head back to head
// inside its component (breadth-first, so linear in the component).
func findCycle(head *callgraph.Node, scc []*callgraph.Node) []*callgraph.Edge {
	in := map[*callgraph.Node]bool{}
	for _, n := range scc {
		in[n] = true
	}
	prev := map[*callgraph.Node]*callgraph.Edge{}
	queue := []*callgraph.Node{head}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, e := range n.Out {
			if !in[e.Callee] {
				continue
			}
			if e.Callee == head {
				var path []*callgraph.Edge
				for x := e; ; x = prev[x.Caller] {
					path = append([]*callgraph.Edge{x}, path...)
					if x.Caller == head {
						return path
					}
				}
			}
			if _, seen := prev[e.Callee]; !seen {
				prev[e.Callee] = e
				queue = append(queue, e.Callee)
			}
		}
	}
	return nil
}

func (a *Analysis) reportUnbounded(pass *checks.Pass) {
	for _, n := range a.Graph.Nodes() {
		if n.Func == nil || !a.unbounded[n] {
			continue
		}
		pos, what := n.Func.Pos, "alloca"
		if ff := a.facts[n.Key.String()]; ff != nil {
			for _, l := range ff.Locals {
				if l.VLA {
					pos, what = l.Pos, "variable-length array "+l.Name
					break
				}
			}
		} else if a.frames[n].Source == "su" {
			what = "a dynamic frame (GCC -fstack-usage)"
		}
		msg := fmt.Sprintf("%s makes the stack frame of %s unbounded", what, n.Name())
		d := checks.Diagnostic{Rule: ruleUnbounded.ID, Pos: pos, Message: msg, Function: n.Name(), Key: what}
		if entry := a.entryReaching(n); entry != nil && entry != n {
			rows := a.pathTo(entry, n)
			if rows != nil {
				d.Message += fmt.Sprintf(", on a path from %s", entry.Name())
				d.Flows = []checks.Flow{pathFlow(rows, d.Message)}
			}
		}
		pass.Report(d)
	}
}

// entryReaching finds an entry point from which n is reachable (walking
// callers breadth-first; the first entry in node order at the smallest
// distance).
func (a *Analysis) entryReaching(n *callgraph.Node) *callgraph.Node {
	seen := map[*callgraph.Node]bool{n: true}
	level := []*callgraph.Node{n}
	for len(level) > 0 {
		var nextLevel []*callgraph.Node
		for _, x := range level {
			callers := a.Graph.Callers(x)
			isEntry := true
			for _, c := range callers {
				if c != x {
					isEntry = false
				}
			}
			if isEntry {
				return x
			}
			for _, c := range callers {
				if !seen[c] {
					seen[c] = true
					nextLevel = append(nextLevel, c)
				}
			}
		}
		level = nextLevel
	}
	return nil
}

// pathTo returns a shortest call path from entry to n as path rows.
func (a *Analysis) pathTo(entry, n *callgraph.Node) []PathRow {
	prev := map[*callgraph.Node]*callgraph.Edge{}
	queue := []*callgraph.Node{entry}
	seen := map[*callgraph.Node]bool{entry: true}
	for len(queue) > 0 && !seen[n] {
		x := queue[0]
		queue = queue[1:]
		for _, e := range x.Out {
			if !seen[e.Callee] {
				seen[e.Callee] = true
				prev[e.Callee] = e
				queue = append(queue, e.Callee)
			}
		}
	}
	if !seen[n] {
		return nil
	}
	var edges []*callgraph.Edge
	for x := n; x != entry; x = prev[x].Caller {
		edges = append([]*callgraph.Edge{prev[x]}, edges...)
	}
	return a.rowsAlong(entry, edges)
}

// rowsAlong makes path rows for entry followed by the given calls.
func (a *Analysis) rowsAlong(entry *callgraph.Node, edges []*callgraph.Edge) []PathRow {
	fr := a.frames[entry]
	total := fr.Bytes
	rows := []PathRow{{Func: entry.Key.String(), Pos: entry.Func.Pos, Frame: fr.Bytes, Total: total, Source: fr.Source, Note: a.note(entry)}}
	for _, e := range edges {
		fr := a.frames[e.Callee]
		total += fr.Bytes
		rows = append(rows, PathRow{Func: e.Callee.Key.String(), Pos: e.Call.Pos, Frame: fr.Bytes, Total: total, Source: fr.Source, Note: a.note(e.Callee), Edge: e})
	}
	return rows
}
