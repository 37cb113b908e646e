// Package callgraph builds kcheck's whole-program call graph over the
// lowered translation units. (Being written: see the package's other files.)
package callgraph

// Graph is the whole-program call graph.
type Graph struct{}
