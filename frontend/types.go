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
//
// Identity: every struct or union tag has exactly one *ir.Type, created at
// its first mention (Incomplete) and completed in place when the definition
// is seen, so a pointer member to a struct defined later knows its tag and,
// once the unit is declared, its layout. A typedef name resolves to the
// type it names (spinlock_t is the struct spinlock type itself); an
// anonymous struct or union named by a typedef takes the typedef name as
// its Tag and Name, the way C++ names such types for linkage, so checkers
// and the call graph can key it.
//
// #pragma pack reaches declare as marker declarations that packMarkers
// writes in place of the pragmas; the pipeline must run packMarkers on
// the preprocessed text before prune, which drops pragmas.
//
// Approximations: tags are one namespace for the unit (a struct defined in
// a function body replaces a file-scope one of the same tag from then on);
// attributes cc.Parse does not keep in the AST (inside a parenthesised
// declarator, between the declarators of one declaration, all but the
// first and last of a comma-separated __attribute__ list) are not seen.
type typeEnv struct {
	typedefs   map[string]*ir.Type
	tags       map[string]*ir.Type // struct and union tags
	enumTags   map[string]*ir.Type
	enumConsts map[string]int64
	globals    map[string]*lazyDecl
	funcs      map[string]*lazyDecl
	statics    map[string]bool

	// Memos keep repeated questions cheap and keep type identity: a
	// definition met twice (declare, then declType from the lowering)
	// is laid out once.
	structDefs map[*cc.StructOrUnionSpecifier]*ir.Type
	enumDefs   map[*cc.EnumSpecifier]*ir.Type
	typeNames  map[*cc.TypeName]*ir.Type
	ptrs       map[*ir.Type]*ir.Type
	vlas       map[*ir.Type]bool

	// pack is the #pragma pack value in effect (0: none), packStack the
	// values saved by push; see packMarkers.
	pack      int64
	packStack []int64
}

// lazyDecl is a file-scope variable or function whose full type is built
// on first use: a unit declares ~10k functions of which it uses few, and
// a prototype's parameter types cost allocations.
type lazyDecl struct {
	base *ir.Type
	d    *cc.Declarator
	t    *ir.Type
}

// typeScope resolves the block-scope names (parameters and locals) visible
// at an expression; file-scope names are the typeEnv's own.
type typeScope interface {
	// lookup returns the declared type of a parameter or local, or nil if
	// name is not a block-scope name.
	lookup(name string) *ir.Type
}

func newTypeEnv() *typeEnv {
	return &typeEnv{
		typedefs:   map[string]*ir.Type{},
		tags:       map[string]*ir.Type{},
		enumTags:   map[string]*ir.Type{},
		enumConsts: map[string]int64{},
		globals:    map[string]*lazyDecl{},
		funcs:      map[string]*lazyDecl{},
		statics:    map[string]bool{},
		structDefs: map[*cc.StructOrUnionSpecifier]*ir.Type{},
		enumDefs:   map[*cc.EnumSpecifier]*ir.Type{},
		typeNames:  map[*cc.TypeName]*ir.Type{},
		ptrs:       map[*ir.Type]*ir.Type{},
		vlas:       map[*ir.Type]bool{},
	}
}

// declare records one file-scope declaration: typedefs, tags it defines,
// enum constants, variables and function declarations.
func (e *typeEnv) declare(ed *cc.ExternalDeclaration) {
	if ed == nil {
		return
	}
	defer func() {
		// A construct the layer does not foresee must not cost the unit;
		// what was registered before the panic stays.
		if r := recover(); r != nil && testingPanics {
			panic(r)
		}
	}()
	switch ed.Case {
	case cc.ExternalDeclarationFuncDef:
		fd := ed.FunctionDefinition
		if fd == nil || fd.Declarator == nil {
			return
		}
		si := e.specifiers(fd.DeclarationSpecifiers, nil)
		e.declareFunc(fd.Declarator.Name(), si, fd.Declarator)
	case cc.ExternalDeclarationDecl:
		e.declareDeclaration(ed.Declaration, nil)
	}
}

// testingPanics makes declare re-panic, so tests see bugs that production
// runs swallow.
var testingPanics = false

// declareDeclaration registers what one declaration declares; sc is nil at
// file scope.
func (e *typeEnv) declareDeclaration(d *cc.Declaration, sc typeScope) {
	if d == nil || d.Case != cc.DeclarationDecl {
		return
	}
	si := e.specifiers(d.DeclarationSpecifiers, sc)
	endAttrs := e.attrs(d.AttributeSpecifierList)
	for l := d.InitDeclaratorList; l != nil; l = l.InitDeclaratorList {
		id := l.InitDeclarator
		if id == nil || id.Declarator == nil {
			continue
		}
		decl := id.Declarator
		name := decl.Name()
		switch {
		case si.typedef:
			t := e.declarator(si.typ, decl, sc)
			a := si.attrs
			a.merge(e.attrs(l.AttributeSpecifierList))
			a.merge(e.attrs(id.AttributeSpecifierList))
			if l.InitDeclaratorList == nil {
				a.merge(endAttrs)
			}
			e.typedefs[name] = e.typedefType(name, t, a)
		case isFuncDeclarator(decl):
			e.declareFunc(name, si, decl)
		default:
			if name == "" || e.packMarker(name) {
				continue
			}
			e.globals[name] = &lazyDecl{base: si.typ, d: decl}
		}
	}
}

func (e *typeEnv) declareFunc(name string, si declSpecs, d *cc.Declarator) {
	if name == "" {
		return
	}
	if si.static {
		e.statics[name] = true
	}
	if old, ok := e.funcs[name]; ok && old.t != nil {
		return // keep the first resolved prototype
	}
	e.funcs[name] = &lazyDecl{base: si.typ, d: d}
}

// typedefType applies a typedef's own attributes: aligned on a typedef
// changes the alignment but not the size (GCC), packed is meaningless,
// mode and vector_size make a new integer or vector type. An anonymous
// struct or union gets the typedef name.
func (e *typeEnv) typedefType(name string, t *ir.Type, a attrInfo) *ir.Type {
	if t.IsStructOrUnion() && t.Tag == "" && t.Name == "" {
		t.Tag = name
		t.Name = name
	}
	if t.Kind == ir.IntType && t.Tag == "" && t.Name != "" && a.mode == "" && a.vectorSize == 0 && a.aligned == 0 {
		return t
	}
	return applyTypeAttrs(t, a, name)
}

// declType returns the type a declarator declares with the given
// specifiers (for a local, a parameter or a file-scope object), registering
// any struct/union/enum tag or typedef the specifiers define. It returns
// ir.UnknownT when it cannot resolve it.
func (e *typeEnv) declType(ds *cc.DeclarationSpecifiers, d *cc.Declarator) *ir.Type {
	return e.declTypeIn(ds, d, nil)
}

// declTypeIn is declType with a block scope, so typeof(local) in the
// specifiers (the min/max and container_of macros declare such locals)
// resolves.
func (e *typeEnv) declTypeIn(ds *cc.DeclarationSpecifiers, d *cc.Declarator, sc typeScope) (t *ir.Type) {
	defer func() {
		if r := recover(); r != nil {
			if testingPanics {
				panic(r)
			}
			t = ir.UnknownT
		}
	}()
	si := e.specifiers(ds, sc)
	if d == nil {
		return si.typ
	}
	t = e.declarator(si.typ, d, sc)
	if si.typedef {
		e.typedefs[d.Name()] = e.typedefType(d.Name(), t, si.attrs)
	}
	return t
}

// declareLocal registers a block-scope declaration's typedefs and tags
// (the lowering may call it for a whole cc.Declaration instead of
// declType per declarator).
func (e *typeEnv) declareLocal(d *cc.Declaration, sc typeScope) {
	defer func() {
		if r := recover(); r != nil && testingPanics {
			panic(r)
		}
	}()
	if d == nil || d.Case != cc.DeclarationDecl {
		return
	}
	si := e.specifiers(d.DeclarationSpecifiers, sc)
	if !si.typedef {
		return
	}
	for l := d.InitDeclaratorList; l != nil; l = l.InitDeclaratorList {
		if id := l.InitDeclarator; id != nil && id.Declarator != nil {
			name := id.Declarator.Name()
			e.typedefs[name] = e.typedefType(name, e.declarator(si.typ, id.Declarator, sc), si.attrs)
		}
	}
}

// typeNameType returns the type a type name (in a cast or sizeof) denotes.
func (e *typeEnv) typeNameType(tn *cc.TypeName) *ir.Type {
	return e.typeNameTypeIn(tn, nil)
}

func (e *typeEnv) typeNameTypeIn(tn *cc.TypeName, sc typeScope) (t *ir.Type) {
	if tn == nil {
		return ir.UnknownT
	}
	if t, ok := e.typeNames[tn]; ok {
		return t
	}
	defer func() {
		if r := recover(); r != nil {
			if testingPanics {
				panic(r)
			}
			t = ir.UnknownT
		}
		if sc == nil || !tyDependsOnScope(t) {
			e.typeNames[tn] = t
		}
	}()
	base, _ := e.specQualList(tn.SpecifierQualifierList, sc)
	return e.abstractDeclarator(base, tn.AbstractDeclarator, sc)
}

// tyDependsOnScope is conservative: a type name resolved with a block
// scope may have come from typeof(local) and must not be memoised for
// other scopes. Only unknown types are not cached; a resolved typeof in
// one scope names the same local in every lowering of that node.
func tyDependsOnScope(t *ir.Type) bool { return t.IsUnknown() }

// global returns the type of a file-scope variable, or nil.
func (e *typeEnv) global(name string) *ir.Type {
	ld := e.globals[name]
	if ld == nil {
		return nil
	}
	return e.resolveLazy(ld)
}

// function returns the type of a declared function (FuncType), or nil.
func (e *typeEnv) function(name string) *ir.Type {
	ld := e.funcs[name]
	if ld == nil {
		return nil
	}
	t := e.resolveLazy(ld)
	if t.Kind != ir.FuncType {
		return nil
	}
	return t
}

func (e *typeEnv) resolveLazy(ld *lazyDecl) (t *ir.Type) {
	if ld.t != nil {
		return ld.t
	}
	defer func() {
		if r := recover(); r != nil {
			if testingPanics {
				panic(r)
			}
			t = ir.UnknownT
		}
		ld.t = t
	}()
	return e.declarator(ld.base, ld.d, nil)
}

// isStaticFunc reports whether a function of the unit is declared static.
func (e *typeEnv) isStaticFunc(name string) bool { return e.statics[name] }

// tag returns the struct or union type with the given tag ("struct usb_hub"
// is tag "usb_hub"), nil if the unit does not define or declare it.
func (e *typeEnv) tag(name string) *ir.Type { return e.tags[name] }

// enumTag returns the enum type with the given tag, nil if unknown.
func (e *typeEnv) enumTag(name string) *ir.Type { return e.enumTags[name] }

// enumConst returns the value of an enumeration constant.
func (e *typeEnv) enumConst(name string) (int64, bool) {
	v, ok := e.enumConsts[name]
	return v, ok
}

// typedef returns the type a typedef name stands for, or nil.
func (e *typeEnv) typedef(name string) *ir.Type { return e.typedefs[name] }

// pointerTo returns the (shared) pointer type to t.
func (e *typeEnv) pointerTo(t *ir.Type) *ir.Type {
	if p, ok := e.ptrs[t]; ok {
		return p
	}
	p := &ir.Type{Kind: ir.PointerType, Size: 8, Align: 8, Elem: t}
	e.ptrs[t] = p
	return p
}
