package frontend

import (
	"kcheck/frontend/ir"

	"modernc.org/cc/v4"
)

// typeEnv is kcheck's tolerant type layer for one translation unit. cc/v4's
// own type checker rejects every kernel unit (see ARCHITECTURE.md), so
// kcheck resolves the types its checkers need itself, from the AST that
// cc.Parse returns: typedefs, struct/union/enum definitions, enum constant
// values, the types of file-scope variables and functions, and the x86_64
// LP64 layout of every struct and union (packed, aligned, bit-fields,
// flexible arrays, constant-expression array bounds). What it cannot
// resolve is ir.UnknownT (Size -1) at that point, never an error.
//
// The parse driver feeds it every external declaration in source order
// (declare), so a typedef or tag is known from its definition on, as in C.
// Function bodies may define struct/union/enum tags and typedefs of their
// own; the lowering registers them through declType as it meets them.
type typeEnv struct {
	// (implementation: see types_impl.go once written)
}

// typeScope resolves the block-scope names (parameters and locals) visible
// at an expression; file-scope names are the typeEnv's own.
type typeScope interface {
	// lookup returns the declared type of a parameter or local, or nil if
	// name is not a block-scope name.
	lookup(name string) *ir.Type
}

func newTypeEnv() *typeEnv { return &typeEnv{} }

// declare records one file-scope declaration: typedefs, tags it defines,
// enum constants, variables and function declarations.
func (e *typeEnv) declare(ed *cc.ExternalDeclaration) {}

// declType returns the type a declarator declares with the given
// specifiers (for a local, a parameter or a file-scope object), registering
// any struct/union/enum tag or typedef the specifiers define. It returns
// ir.UnknownT when it cannot resolve it.
func (e *typeEnv) declType(ds *cc.DeclarationSpecifiers, d *cc.Declarator) *ir.Type {
	return ir.UnknownT
}

// typeNameType returns the type a type name (in a cast or sizeof) denotes.
func (e *typeEnv) typeNameType(tn *cc.TypeName) *ir.Type { return ir.UnknownT }

// exprType returns the static type of an expression: the declared type of
// a name (block scope first through sc, which may be nil), the member type
// of a.b and p->b, the pointee of *p and p[i], the pointer of &x, the cast
// type, the result type of a direct call, the type of a statement
// expression's last expression, the usual arithmetic conversions roughly.
// ir.UnknownT when it cannot tell.
func (e *typeEnv) exprType(x cc.ExpressionNode, sc typeScope) *ir.Type { return ir.UnknownT }

// constValue evaluates an integer constant expression (enum constants,
// sizeof, casts, arithmetic): the value and whether it could.
func (e *typeEnv) constValue(x cc.ExpressionNode) (int64, bool) { return 0, false }

// global returns the type of a file-scope variable, or nil.
func (e *typeEnv) global(name string) *ir.Type { return nil }

// function returns the type of a declared function (FuncType), or nil.
func (e *typeEnv) function(name string) *ir.Type { return nil }

// isStaticFunc reports whether a function of the unit is declared static.
func (e *typeEnv) isStaticFunc(name string) bool { return false }

// tag returns the struct or union type with the given tag ("struct usb_hub"
// is tag "usb_hub"), nil if the unit does not define or declare it.
func (e *typeEnv) tag(name string) *ir.Type { return nil }

// typedef returns the type a typedef name stands for, or nil.
func (e *typeEnv) typedef(name string) *ir.Type { return nil }
