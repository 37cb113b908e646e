package frontend

import (
	"fmt"
	"sort"

	"kcheck/frontend/ir"

	"modernc.org/cc/v4"
	"modernc.org/token"
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
	u := &unitLowerer{
		env:        env,
		cfg:        cfg,
		unit:       &ir.Unit{File: cfg.unitFile},
		names:      map[string]fileName{},
		fileCache:  map[string]string{},
		staticUsed: map[string]bool{},
	}
	if ast == nil {
		return u.unit
	}
	for tu := ast.TranslationUnit; tu != nil; tu = tu.TranslationUnit {
		ed := tu.ExternalDeclaration
		if ed == nil {
			continue
		}
		u.external(ed)
	}
	for name := range u.staticUsed {
		if u.isStatic(name) {
			u.unit.StaticFuncs = append(u.unit.StaticFuncs, name)
		}
	}
	sort.Strings(u.unit.StaticFuncs) // for determinism
	return u.unit
}

// nameKind classifies a file-scope name by its declarator's syntax, so the
// lowering can tell a call through a function-pointer variable from a
// direct call even when the type layer cannot resolve the declaration.
type nameKind uint8

const (
	nameObject nameKind = iota + 1
	nameFunc
)

// fileName is what the lowering knows about one file-scope name.
type fileName struct {
	kind     nameKind
	static   bool
	noreturn bool
}

// unitLowerer holds the unit-wide state of one lowerUnit call.
type unitLowerer struct {
	env  *typeEnv
	cfg  lowerConfig
	unit *ir.Unit
	// names are the file-scope names declared so far (syntactic kinds).
	names map[string]fileName
	// fileCache memoises cfg.relPath per marker file name.
	fileCache map[string]string
	// staticUsed collects every function the unit's lowered code calls or
	// uses as a value, filtered to static ones at the end.
	staticUsed map[string]bool
}

func (u *unitLowerer) file(marker string) string {
	f, ok := u.fileCache[marker]
	if !ok {
		f = marker
		if u.cfg.relPath != nil {
			f = u.cfg.relPath(marker)
		}
		u.fileCache[marker] = f
	}
	return f
}

// pos converts a cc position to kcheck's.
func (u *unitLowerer) pos(p token.Position) ir.Pos {
	if !p.IsValid() {
		return ir.Pos{}
	}
	return ir.Pos{File: u.file(p.Filename), Line: p.Line, Col: p.Column}
}

func (u *unitLowerer) isStatic(fn string) bool {
	return u.env.isStaticFunc(fn) || u.names[fn].static
}

// external handles one external declaration: the type layer sees it
// first, then the lowering records names, globals and field stores, and
// lowers a function definition's body.
func (u *unitLowerer) external(ed *cc.ExternalDeclaration) {
	u.env.declare(ed)
	switch ed.Case {
	case cc.ExternalDeclarationFuncDef:
		fd := ed.FunctionDefinition
		if fd == nil || fd.Declarator == nil {
			return
		}
		name := fd.Declarator.Name()
		sc := scanSpecifiers(fd.DeclarationSpecifiers)
		fnm := u.names[name]
		fnm.kind = nameFunc
		fnm.static = fnm.static || sc.static
		fnm.noreturn = fnm.noreturn || sc.noreturn
		u.names[name] = fnm
		p := fd.Declarator.NameTok().Position()
		if u.cfg.lowerBodies != nil && !u.cfg.lowerBodies(u.file(p.Filename)) {
			return
		}
		if fd.CompoundStatement == nil {
			return
		}
		if f := u.lowerFuncSafe(fd, name, sc); f != nil {
			u.unit.Funcs = append(u.unit.Funcs, f)
		}
	case cc.ExternalDeclarationDecl:
		u.fileDeclaration(ed.Declaration)
	}
}

// lowerFuncSafe lowers one function, turning a panic into a Problem so
// one unsupported construct does not lose the rest of the unit.
func (u *unitLowerer) lowerFuncSafe(fd *cc.FunctionDefinition, name string, sc specInfo) (f *ir.Func) {
	defer func() {
		if r := recover(); r != nil {
			u.unit.Problems = append(u.unit.Problems, fmt.Sprintf("%s: panic: %v", name, r))
			f = nil
		}
	}()
	return u.lowerFunc(fd, name, sc)
}

// fileDeclaration records the names one file-scope declaration declares,
// its globals and the function pointers its initializers store.
func (u *unitLowerer) fileDeclaration(d *cc.Declaration) {
	if d == nil || d.Case != cc.DeclarationDecl {
		return
	}
	sc := scanSpecifiers(d.DeclarationSpecifiers)
	if sc.typedef {
		return
	}
	for l := d.InitDeclaratorList; l != nil; l = l.InitDeclaratorList {
		id := l.InitDeclarator
		if id == nil || id.Declarator == nil {
			continue
		}
		name := id.Declarator.Name()
		if name == "" {
			continue
		}
		if declaresFunction(id.Declarator) {
			fnm := u.names[name]
			fnm.kind = nameFunc
			fnm.static = fnm.static || sc.static
			fnm.noreturn = fnm.noreturn || sc.noreturn || attrsNoreturn(id.AttributeSpecifierList) || attrsNoreturn(d.AttributeSpecifierList)
			u.names[name] = fnm
			continue
		}
		u.names[name] = fileName{kind: nameObject, static: sc.static}
		u.fileObject(d.DeclarationSpecifiers, sc, id)
	}
}

// fileObject records a file-scope variable: as a Global when it is a
// definition in the unit's own file or its type holds a lock, and the
// function pointers its initializer stores.
func (u *unitLowerer) fileObject(ds *cc.DeclarationSpecifiers, sc specInfo, id *cc.InitDeclarator) {
	d := id.Declarator
	p := u.pos(d.NameTok().Position())
	isDef := !sc.extern || id.Initializer != nil
	var t *ir.Type
	ownFile := isDef && p.File == u.cfg.unitFile
	if ownFile || id.Initializer != nil || sc.maybeLock {
		t = u.env.declType(ds, d)
	}
	if ownFile || (t != nil && hasLock(t, 0)) {
		u.unit.Globals = append(u.unit.Globals, ir.Global{Name: d.Name(), Static: sc.static, Type: t, Pos: p})
	}
	if id.Initializer != nil && id.Initializer.Case == cc.InitializerInitList {
		if t.IsUnknown() {
			t = syntacticType(sc.tag, sc.tagKind, d)
		}
		w := initWalker{u: u, isFunc: func(name string) bool { return u.names[name].kind == nameFunc }}
		w.list(t, id.Initializer.InitializerList)
	}
}

// lockTags are the kernel's lock types by struct tag; a global holding one
// is kept in Unit.Globals for the lock checkers.
var lockTags = map[string]bool{
	"spinlock": true, "raw_spinlock": true, "mutex": true, "rw_semaphore": true,
	"semaphore": true, "percpu_rw_semaphore": true, "rt_mutex": true, "ww_mutex": true,
	"rt_mutex_base": true, "qrwlock": true, "seqcount": true, "seqcount_spinlock": true,
	"seqcount_raw_spinlock": true, "seqcount_mutex": true, "srcu_struct": true,
}

// lockTypeNames are lock typedefs of anonymous structs.
var lockTypeNames = map[string]bool{
	"spinlock_t": true, "raw_spinlock_t": true, "rwlock_t": true, "seqlock_t": true,
	"arch_spinlock_t": true, "arch_rwlock_t": true, "local_lock_t": true,
}

// hasLock reports whether a value of type t contains a lock (by value, not
// through a pointer). depth bounds the walk over nested members.
func hasLock(t *ir.Type, depth int) bool {
	if t == nil || depth > 8 {
		return false
	}
	if lockTypeNames[t.Name] {
		return true
	}
	switch t.Kind {
	case ir.ArrayType:
		return hasLock(t.Elem, depth+1)
	case ir.StructType, ir.UnionType:
		if t.Tag != "" && lockTags[t.Tag] {
			return true
		}
		for i := range t.Fields {
			if hasLock(t.Fields[i].Type, depth+1) {
				return true
			}
		}
	}
	return false
}

// specInfo is what the lowering reads from declaration specifiers
// itself: storage class, inline, noreturn and the struct/union tag (a
// fallback when the type layer cannot resolve the type).
type specInfo struct {
	typedef, extern, static, inline, noreturn bool
	// noinline and alwaysInline are GCC's __attribute__((noinline)) and
	// ((always_inline)): the stack model needs to know what cannot be or
	// must be inlined (noinline_for_stack exists to split frames).
	noinline, alwaysInline bool
	// maybeLock is set when the specifiers name a struct or a typedef,
	// i.e. the object could contain a lock.
	maybeLock bool
	tag       string
	tagKind   ir.TypeKind
}

func scanSpecifiers(ds *cc.DeclarationSpecifiers) specInfo {
	var s specInfo
	for ; ds != nil; ds = ds.DeclarationSpecifiers {
		switch ds.Case {
		case cc.DeclarationSpecifiersStorage:
			if ds.StorageClassSpecifier == nil {
				continue
			}
			switch ds.StorageClassSpecifier.Case {
			case cc.StorageClassSpecifierTypedef:
				s.typedef = true
			case cc.StorageClassSpecifierExtern:
				s.extern = true
			case cc.StorageClassSpecifierStatic:
				s.static = true
			}
		case cc.DeclarationSpecifiersFunc:
			if ds.FunctionSpecifier == nil {
				continue
			}
			switch ds.FunctionSpecifier.Case {
			case cc.FunctionSpecifierInline:
				s.inline = true
			case cc.FunctionSpecifierNoreturn:
				s.noreturn = true
			}
		case cc.DeclarationSpecifiersAttr:
			if attrsNoreturn(ds.AttributeSpecifierList) {
				s.noreturn = true
			}
			s.noinline = s.noinline || hasAttr(ds.AttributeSpecifierList, "noinline")
			s.alwaysInline = s.alwaysInline || hasAttr(ds.AttributeSpecifierList, "always_inline")
		case cc.DeclarationSpecifiersTypeSpec:
			ts := ds.TypeSpecifier
			if ts == nil {
				continue
			}
			switch ts.Case {
			case cc.TypeSpecifierStructOrUnion:
				s.maybeLock = true
				if su := ts.StructOrUnionSpecifier; su != nil {
					s.tag = su.Token.SrcStr()
					s.tagKind = ir.StructType
					if su.StructOrUnion != nil && su.StructOrUnion.Case == cc.StructOrUnionUnion {
						s.tagKind = ir.UnionType
					}
				}
			case cc.TypeSpecifierTypeName:
				s.maybeLock = true
			}
		}
	}
	return s
}

// attrsNoreturn reports whether an attribute list says noreturn.
// hasAttr reports whether an attribute list names attribute name (with or
// without the __name__ underscores).
func hasAttr(l *cc.AttributeSpecifierList, name string) bool {
	for ; l != nil; l = l.AttributeSpecifierList {
		if l.AttributeSpecifier == nil {
			continue
		}
		for v := l.AttributeSpecifier.AttributeValueList; v != nil; v = v.AttributeValueList {
			if v.AttributeValue == nil {
				continue
			}
			if n := string(v.AttributeValue.Token.Src()); n == name || n == "__"+name+"__" {
				return true
			}
		}
	}
	return false
}

func attrsNoreturn(l *cc.AttributeSpecifierList) bool {
	for ; l != nil; l = l.AttributeSpecifierList {
		if l.AttributeSpecifier == nil {
			continue
		}
		for v := l.AttributeSpecifier.AttributeValueList; v != nil; v = v.AttributeValueList {
			if v.AttributeValue == nil {
				continue
			}
			switch string(v.AttributeValue.Token.Src()) {
			case "noreturn", "__noreturn__":
				return true
			}
		}
	}
	return false
}

// declaresFunction reports whether a declarator declares a function (not
// a pointer to one): the derivation nearest the name is a parameter list.
func declaresFunction(d *cc.Declarator) bool {
	k, _ := nearestDerivation(d)
	return k == derivFunc
}

type derivation uint8

const (
	derivNone derivation = iota
	derivFunc
	derivArray
	derivPointer
)

// nearestDerivation returns the type derivation applied first to the
// declared name (its type's outermost constructor) and, for a function,
// the direct declarator holding its parameters. Postfix derivations of a
// declarator bind before its pointer; a parenthesised inner declarator
// binds before both.
func nearestDerivation(d *cc.Declarator) (derivation, *cc.DirectDeclarator) {
	if d == nil {
		return derivNone, nil
	}
	var chain []*cc.DirectDeclarator
	for dd := d.DirectDeclarator; dd != nil; dd = dd.DirectDeclarator {
		chain = append(chain, dd)
		if dd.Case == cc.DirectDeclaratorIdent || dd.Case == cc.DirectDeclaratorDecl {
			break
		}
	}
	if len(chain) == 0 {
		return derivNone, nil
	}
	if last := chain[len(chain)-1]; last.Case == cc.DirectDeclaratorDecl {
		if k, p := nearestDerivation(last.Declarator); k != derivNone {
			return k, p
		}
	}
	if len(chain) >= 2 {
		switch dd := chain[len(chain)-2]; dd.Case {
		case cc.DirectDeclaratorFuncParam, cc.DirectDeclaratorFuncIdent:
			return derivFunc, dd
		default:
			return derivArray, nil
		}
	}
	if d.Pointer != nil {
		return derivPointer, nil
	}
	return derivNone, nil
}

// syntacticType is the fallback type of an initialised object when the
// type layer cannot resolve it: the struct tag from the specifiers,
// wrapped in one array per array derivation. It has no members, so only
// designated initializers can be attributed.
func syntacticType(tag string, kind ir.TypeKind, d *cc.Declarator) *ir.Type {
	if tag == "" {
		return ir.UnknownT
	}
	t := &ir.Type{Kind: kind, Tag: tag, Size: -1, Incomplete: true}
	for dd := d.DirectDeclarator; dd != nil; {
		switch dd.Case {
		case cc.DirectDeclaratorArr, cc.DirectDeclaratorStaticArr, cc.DirectDeclaratorArrStatic, cc.DirectDeclaratorStar:
			t = &ir.Type{Kind: ir.ArrayType, Elem: t, Size: -1, Len: -1}
			dd = dd.DirectDeclarator
		case cc.DirectDeclaratorIdent:
			dd = nil
		default:
			return ir.UnknownT
		}
	}
	return t
}
