package main

import (
	"fmt"
	"io"
	"os"

	"kcheck/callgraph"
	"kcheck/checks/stackdepth"
	"kcheck/frontend"
)

// checkerOptions gathers the checker options given on the command line
// (the keys are the checkers' documented Pass.Options keys).
func checkerOptions(c *config) map[string]string {
	opts := map[string]string{}
	for k, v := range map[string]string{
		"config":       c.configFile,
		"frame-warn":   c.frameWarn,
		"stack-budget": c.stackBudget,
		"stack-usage":  c.stackUsage,
	} {
		if v != "" {
			opts[k] = v
		}
	}
	return opts
}

// stackCommand implements `kcheck stack`: the worst-case stack path below
// one function, or the stack usage along a kernel oops's Call Trace, as a
// table.
func stackCommand(c *config, prog *frontend.Program, g *callgraph.Graph, opts map[string]string, stdout, stderr io.Writer) int {
	o, err := stackdepth.ParseOptions(opts)
	if err != nil {
		fmt.Fprintf(stderr, "kcheck stack: %v\n", err)
		return 2
	}
	a := stackdepth.NewAnalysis(g, prog.Units, o)
	var rows []stackdepth.PathRow
	if c.stackFunc != "" {
		rows, err = stackdepth.WorstPath(a, c.stackFunc)
		if err != nil {
			fmt.Fprintf(stderr, "kcheck stack: %v\n", err)
			return 2
		}
	} else {
		f, err := os.Open(c.stackTrace)
		if err != nil {
			fmt.Fprintf(stderr, "kcheck stack: %v\n", err)
			return 2
		}
		trace := stackdepth.ParseCallTrace(f)
		f.Close()
		if len(trace) == 0 {
			fmt.Fprintf(stderr, "kcheck stack: %s: no \"Call Trace:\" block found\n", c.stackTrace)
			return 2
		}
		rows = stackdepth.TraceUsage(a, trace)
	}
	if err := stackdepth.WriteTable(stdout, rows); err != nil {
		fmt.Fprintf(stderr, "kcheck stack: %v\n", err)
		return 2
	}
	return 0
}
