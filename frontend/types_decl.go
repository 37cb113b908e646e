package frontend

import (
	"strings"

	"kcheck/frontend/ir"

	"modernc.org/cc/v4"
)

// Base types of x86_64 LP64 (GCC): shared, never mutated.
var (
	tyVoid     = &ir.Type{Kind: ir.VoidType, Size: 1, Align: 1, Name: "void"} // GCC: sizeof(void) == 1
	tyBool     = newIntType("_Bool", 1, false)
	tyChar     = newIntType("char", 1, true) // char is signed on x86
	tySchar    = newIntType("signed char", 1, true)
	tyUchar    = newIntType("unsigned char", 1, false)
	tyShort    = newIntType("short", 2, true)
	tyUshort   = newIntType("unsigned short", 2, false)
	tyInt      = newIntType("int", 4, true)
	tyUint     = newIntType("unsigned int", 4, false)
	tyLong     = newIntType("long", 8, true)
	tyUlong    = newIntType("unsigned long", 8, false)
	tyLlong    = newIntType("long long", 8, true)
	tyUllong   = newIntType("unsigned long long", 8, false)
	tyInt128   = newIntType("__int128", 16, true)
	tyUint128  = newIntType("unsigned __int128", 16, false)
	tyFloat    = &ir.Type{Kind: ir.FloatType, Size: 4, Align: 4, Name: "float", Signed: true}
	tyDouble   = &ir.Type{Kind: ir.FloatType, Size: 8, Align: 8, Name: "double", Signed: true}
	tyLdouble  = &ir.Type{Kind: ir.FloatType, Size: 16, Align: 16, Name: "long double", Signed: true}
	tyFloat16  = &ir.Type{Kind: ir.FloatType, Size: 2, Align: 2, Name: "_Float16", Signed: true}
	tyFloat128 = &ir.Type{Kind: ir.FloatType, Size: 16, Align: 16, Name: "_Float128", Signed: true}
)

func newIntType(name string, size int64, signed bool) *ir.Type {
	return &ir.Type{Kind: ir.IntType, Size: size, Align: size, Signed: signed, Name: name}
}

// declSpecs is what a declaration's specifiers say.
type declSpecs struct {
	typ                    *ir.Type
	typedef, static, exter bool
	inline                 bool
	attrs                  attrInfo // attributes among the specifiers, _Alignas included
}

// specifiers resolves declaration specifiers: the base type, the storage
// class and the attributes written among them.
func (e *typeEnv) specifiers(ds *cc.DeclarationSpecifiers, sc typeScope) declSpecs {
	var si declSpecs
	var buf [4]*cc.TypeSpecifier // most declarations have one to three
	tss := buf[:0]
	for ; ds != nil; ds = ds.DeclarationSpecifiers {
		switch ds.Case {
		case cc.DeclarationSpecifiersStorage:
			if s := ds.StorageClassSpecifier; s != nil {
				switch s.Case {
				case cc.StorageClassSpecifierTypedef:
					si.typedef = true
				case cc.StorageClassSpecifierStatic:
					si.static = true
				case cc.StorageClassSpecifierExtern:
					si.exter = true
				}
			}
		case cc.DeclarationSpecifiersTypeSpec:
			if ds.TypeSpecifier != nil {
				tss = append(tss, ds.TypeSpecifier)
			}
		case cc.DeclarationSpecifiersTypeQual:
			if q := ds.TypeQualifier; q != nil && q.Case == cc.TypeQualifierAttr {
				si.attrs.merge(e.attrs(q.AttributeSpecifierList))
			}
		case cc.DeclarationSpecifiersFunc:
			if f := ds.FunctionSpecifier; f != nil && f.Case == cc.FunctionSpecifierInline {
				si.inline = true
			}
		case cc.DeclarationSpecifiersAlignSpec:
			si.attrs.alignas = max(si.attrs.alignas, e.alignas(ds.AlignmentSpecifier, sc))
		case cc.DeclarationSpecifiersAttr:
			si.attrs.merge(e.attrs(ds.AttributeSpecifierList))
		}
	}
	si.typ = e.baseType(tss, si.attrs, sc)
	return si
}

// specQualList resolves a specifier-qualifier list (struct members, type
// names): the base type and the attributes among the specifiers.
func (e *typeEnv) specQualList(l *cc.SpecifierQualifierList, sc typeScope) (*ir.Type, attrInfo) {
	var a attrInfo
	var buf [4]*cc.TypeSpecifier // most declarations have one to three
	tss := buf[:0]
	for ; l != nil; l = l.SpecifierQualifierList {
		switch l.Case {
		case cc.SpecifierQualifierListTypeSpec:
			if l.TypeSpecifier != nil {
				tss = append(tss, l.TypeSpecifier)
			}
		case cc.SpecifierQualifierListTypeQual:
			if q := l.TypeQualifier; q != nil && q.Case == cc.TypeQualifierAttr {
				a.merge(e.attrs(q.AttributeSpecifierList))
			}
		case cc.SpecifierQualifierListAlignSpec:
			a.alignas = max(a.alignas, e.alignas(l.AlignmentSpecifier, sc))
		}
		a.merge(e.attrs(l.AttributeSpecifierList))
	}
	return e.baseType(tss, a, sc), a
}

func (e *typeEnv) alignas(as *cc.AlignmentSpecifier, sc typeScope) int64 {
	if as == nil {
		return 0
	}
	if as.Case == cc.AlignmentSpecifierType {
		return max(e.typeNameTypeIn(as.TypeName, sc).Align, 0)
	}
	v, ok := e.constValue(as.ConstantExpression)
	if !ok || v < 0 {
		return 0
	}
	return v
}

// baseType combines type specifiers into a type: one struct, union, enum,
// typedef name or typeof, or a multiset of keywords (unsigned long long).
// Attributes among the specifiers matter for an enum defined there
// (packed) and for mode/vector_size.
func (e *typeEnv) baseType(tss []*cc.TypeSpecifier, a attrInfo, sc typeScope) *ir.Type {
	var (
		nlong                                          int
		signed, unsigned, short, char, isInt, isVoid   bool
		isBool, isFloat, isDouble, i128, u128, complex bool
		f16, f128                                      bool
	)
	for _, ts := range tss {
		switch ts.Case {
		case cc.TypeSpecifierStructOrUnion:
			return e.structType(ts.StructOrUnionSpecifier, sc)
		case cc.TypeSpecifierEnum:
			return e.enumType(ts.EnumSpecifier, a.packed, sc)
		case cc.TypeSpecifierTypeName:
			if t := e.typedefs[ts.Token.SrcStr()]; t != nil {
				return t
			}
			return ir.UnknownT
		case cc.TypeSpecifierTypeofExpr:
			return e.exprType(ts.ExpressionList, sc)
		case cc.TypeSpecifierTypeofType:
			return e.typeNameTypeIn(ts.TypeName, sc)
		case cc.TypeSpecifierAtomic:
			if ts.AtomicTypeSpecifier != nil {
				return e.typeNameTypeIn(ts.AtomicTypeSpecifier.TypeName, sc)
			}
			return ir.UnknownT
		case cc.TypeSpecifierVoid:
			isVoid = true
		case cc.TypeSpecifierChar:
			char = true
		case cc.TypeSpecifierShort:
			short = true
		case cc.TypeSpecifierInt:
			isInt = true
		case cc.TypeSpecifierInt128:
			i128 = true
		case cc.TypeSpecifierUint128:
			u128 = true
		case cc.TypeSpecifierLong:
			nlong++
		case cc.TypeSpecifierFloat, cc.TypeSpecifierFloat32, cc.TypeSpecifierDecimal32:
			isFloat = true
		case cc.TypeSpecifierDouble, cc.TypeSpecifierFloat64, cc.TypeSpecifierDecimal64, cc.TypeSpecifierFloat32x:
			isDouble = true
		case cc.TypeSpecifierFloat16, cc.TypeSpecifierBFloat16:
			f16 = true
		case cc.TypeSpecifierFloat128, cc.TypeSpecifierFloat128x, cc.TypeSpecifierDecimal128, cc.TypeSpecifierFloat64x:
			f128 = true
		case cc.TypeSpecifierSigned:
			signed = true
		case cc.TypeSpecifierUnsigned:
			unsigned = true
		case cc.TypeSpecifierBool:
			isBool = true
		case cc.TypeSpecifierComplex, cc.TypeSpecifierImaginary:
			complex = true
		}
	}
	_ = isInt
	var t *ir.Type
	switch {
	case isVoid:
		t = tyVoid
	case isBool:
		t = tyBool
	case char:
		switch {
		case unsigned:
			t = tyUchar
		case signed:
			t = tySchar
		default:
			t = tyChar
		}
	case short:
		t = tyPick(unsigned, tyUshort, tyShort)
	case i128:
		t = tyPick(unsigned, tyUint128, tyInt128)
	case u128:
		t = tyUint128
	case f16:
		t = tyFloat16
	case f128:
		t = tyFloat128
	case isFloat:
		t = tyFloat
	case isDouble:
		if nlong > 0 {
			t = tyLdouble
		} else {
			t = tyDouble
		}
	case nlong >= 2:
		t = tyPick(unsigned, tyUllong, tyLlong)
	case nlong == 1:
		t = tyPick(unsigned, tyUlong, tyLong)
	default: // int, signed, unsigned, or (implicit int) nothing at all
		if len(tss) == 0 {
			return ir.UnknownT
		}
		t = tyPick(unsigned, tyUint, tyInt)
	}
	if complex && t.Kind == ir.FloatType {
		return &ir.Type{Kind: ir.FloatType, Size: 2 * t.Size, Align: t.Align, Signed: true, Name: "_Complex " + t.Name}
	}
	if a.mode != "" || a.vectorSize != 0 {
		return applyTypeAttrs(t, attrInfo{mode: a.mode, vectorSize: a.vectorSize}, "")
	}
	return t
}

func tyPick(c bool, a, b *ir.Type) *ir.Type {
	if c {
		return a
	}
	return b
}

// declarator builds the type a declarator gives base: pointers first,
// then the direct declarator inside out (int (*fp[2])(void): array of
// pointers to functions).
func (e *typeEnv) declarator(base *ir.Type, d *cc.Declarator, sc typeScope) *ir.Type {
	if d == nil {
		return base
	}
	t := e.pointers(base, d.Pointer)
	return e.directDeclarator(t, d.DirectDeclarator, sc)
}

func (e *typeEnv) pointers(t *ir.Type, p *cc.Pointer) *ir.Type {
	for ; p != nil; p = p.Pointer {
		t = e.pointerTo(t)
	}
	return t
}

func (e *typeEnv) directDeclarator(t *ir.Type, dd *cc.DirectDeclarator, sc typeScope) *ir.Type {
	for dd != nil {
		switch dd.Case {
		case cc.DirectDeclaratorIdent:
			return t
		case cc.DirectDeclaratorDecl:
			return e.declarator(t, dd.Declarator, sc)
		case cc.DirectDeclaratorArr, cc.DirectDeclaratorStaticArr, cc.DirectDeclaratorArrStatic, cc.DirectDeclaratorStar:
			t = e.arrayOf(t, dd.AssignmentExpression, dd.Case == cc.DirectDeclaratorStar)
		case cc.DirectDeclaratorFuncParam:
			t = e.funcType(t, dd.ParameterTypeList, sc)
		case cc.DirectDeclaratorFuncIdent:
			t = &ir.Type{Kind: ir.FuncType, Size: 1, Align: 1, Elem: t}
		default:
			return ir.UnknownT
		}
		dd = dd.DirectDeclarator
	}
	return t
}

func (e *typeEnv) abstractDeclarator(base *ir.Type, ad *cc.AbstractDeclarator, sc typeScope) *ir.Type {
	if ad == nil {
		return base
	}
	t := e.pointers(base, ad.Pointer)
	for dad := ad.DirectAbstractDeclarator; dad != nil; dad = dad.DirectAbstractDeclarator {
		switch dad.Case {
		case cc.DirectAbstractDeclaratorDecl:
			return e.abstractDeclarator(t, dad.AbstractDeclarator, sc)
		case cc.DirectAbstractDeclaratorArr, cc.DirectAbstractDeclaratorStaticArr, cc.DirectAbstractDeclaratorArrStatic, cc.DirectAbstractDeclaratorArrStar:
			t = e.arrayOf(t, dad.AssignmentExpression, dad.Case == cc.DirectAbstractDeclaratorArrStar)
		case cc.DirectAbstractDeclaratorFunc:
			t = e.funcType(t, dad.ParameterTypeList, sc)
		default:
			return ir.UnknownT
		}
	}
	return t
}

// arrayOf makes elem[bound]. No bound gives Len -1 and Size -1 (a
// flexible array member, or an array sized by its initializer); a bound
// that is not a constant (a VLA, or one kcheck cannot evaluate) gives the
// same and is remembered (isVLA).
func (e *typeEnv) arrayOf(elem *ir.Type, bound cc.ExpressionNode, star bool) *ir.Type {
	t := &ir.Type{Kind: ir.ArrayType, Elem: elem, Len: -1, Size: -1, Align: elem.Align}
	if elem.IsUnknown() {
		t.Align = 1
	}
	if bound == nil || star {
		return t
	}
	n, ok := e.constValue(bound)
	if !ok || n < 0 {
		e.vlas[t] = true
		return t
	}
	t.Len = n
	if elem.Size >= 0 {
		t.Size = n * elem.Size
	}
	return t
}

// funcType builds a function type. Parameters of array and function
// type decay to pointers, as the callee sees them.
func (e *typeEnv) funcType(result *ir.Type, ptl *cc.ParameterTypeList, sc typeScope) *ir.Type {
	t := &ir.Type{Kind: ir.FuncType, Size: 1, Align: 1, Elem: result} // GCC: sizeof of a function is 1
	if ptl == nil {
		return t
	}
	t.Variadic = ptl.Case == cc.ParameterTypeListVar
	for pl := ptl.ParameterList; pl != nil; pl = pl.ParameterList {
		pd := pl.ParameterDeclaration
		if pd == nil {
			t.Params = append(t.Params, ir.UnknownT)
			continue
		}
		si := e.specifiers(pd.DeclarationSpecifiers, sc)
		var pt *ir.Type
		if pd.Case == cc.ParameterDeclarationDecl {
			pt = e.declarator(si.typ, pd.Declarator, sc)
		} else {
			pt = e.abstractDeclarator(si.typ, pd.AbstractDeclarator, sc)
		}
		if pt.Kind == ir.VoidType && pl == ptl.ParameterList && pl.ParameterList == nil && pd.Declarator == nil && pd.AbstractDeclarator == nil {
			break // f(void)
		}
		t.Params = append(t.Params, e.decay(pt))
	}
	return t
}

// decay turns an array into a pointer to its element and a function into
// a pointer to it, as for a parameter or an rvalue.
func (e *typeEnv) decay(t *ir.Type) *ir.Type {
	switch t.Kind {
	case ir.ArrayType:
		return e.pointerTo(t.Elem)
	case ir.FuncType:
		return e.pointerTo(t)
	}
	return t
}

// paramType is the type a parameter has inside the function: declared
// arrays and functions decay to pointers.
func (e *typeEnv) paramType(ds *cc.DeclarationSpecifiers, d *cc.Declarator) *ir.Type {
	return e.decay(e.declType(ds, d))
}

func isFuncDeclarator(d *cc.Declarator) bool { return declKind(d) == ir.FuncType }

// declKind is the outermost constructor of the type a declarator gives
// its name, read from the syntax without building the type: the suffix
// nearest the name binds first (int *f(void) is a function, int (*f)(void)
// a pointer). VoidType stands for "none": the name has the base type.
func declKind(d *cc.Declarator) ir.TypeKind {
	if d == nil {
		return ir.VoidType
	}
	var nearest *cc.DirectDeclarator
	dd := d.DirectDeclarator
	for dd != nil && dd.Case != cc.DirectDeclaratorIdent && dd.Case != cc.DirectDeclaratorDecl {
		nearest = dd
		dd = dd.DirectDeclarator
	}
	if dd != nil && dd.Case == cc.DirectDeclaratorDecl {
		if k := declKind(dd.Declarator); k != ir.VoidType {
			return k
		}
	}
	if nearest != nil {
		switch nearest.Case {
		case cc.DirectDeclaratorFuncParam, cc.DirectDeclaratorFuncIdent:
			return ir.FuncType
		default:
			return ir.ArrayType
		}
	}
	if d.Pointer != nil {
		return ir.PointerType
	}
	return ir.VoidType
}

// attrInfo is what kcheck reads from __attribute__ lists.
type attrInfo struct {
	packed     bool
	aligned    int64 // __attribute__((aligned(N))); 16 for a bare aligned
	alignas    int64 // _Alignas(N)
	mode       string
	vectorSize int64
}

func (a *attrInfo) merge(b attrInfo) {
	a.packed = a.packed || b.packed
	a.aligned = max(a.aligned, b.aligned)
	a.alignas = max(a.alignas, b.alignas)
	if b.mode != "" {
		a.mode = b.mode
	}
	if b.vectorSize != 0 {
		a.vectorSize = b.vectorSize
	}
}

// userAlign is the alignment the user asked for, 0 for none.
func (a attrInfo) userAlign() int64 { return max(a.aligned, a.alignas) }

// attrs reads an attribute list; names are compared without the GNU
// underscores (__aligned__ is aligned).
func (e *typeEnv) attrs(l *cc.AttributeSpecifierList) attrInfo {
	var a attrInfo
	for ; l != nil; l = l.AttributeSpecifierList {
		if l.AttributeSpecifier == nil {
			continue
		}
		for vl := l.AttributeSpecifier.AttributeValueList; vl != nil; vl = vl.AttributeValueList {
			av := vl.AttributeValue
			if av == nil {
				continue
			}
			name := strings.TrimSuffix(strings.TrimPrefix(av.Token.SrcStr(), "__"), "__")
			var arg cc.ExpressionNode
			if av.ArgumentExpressionList != nil {
				arg = av.ArgumentExpressionList.AssignmentExpression
			}
			switch name {
			case "packed":
				a.packed = true
			case "aligned":
				if arg == nil {
					a.aligned = max(a.aligned, 16) // the target's biggest alignment
				} else if v, ok := e.constValue(arg); ok && v > 0 {
					a.aligned = max(a.aligned, v)
				}
			case "mode":
				if p, ok := arg.(*cc.PrimaryExpression); ok {
					a.mode = strings.TrimSuffix(strings.TrimPrefix(p.Token.SrcStr(), "__"), "__")
				}
			case "vector_size":
				if v, ok := e.constValue(arg); ok && v > 0 {
					a.vectorSize = v
				}
			}
		}
	}
	return a
}

// applyTypeAttrs makes the variant of t that a typedef's attributes
// describe. name, if set, becomes the variant's spelling.
func applyTypeAttrs(t *ir.Type, a attrInfo, name string) *ir.Type {
	if t.IsUnknown() {
		return t
	}
	nt := t
	if a.mode != "" && t.Kind == ir.IntType {
		var size int64
		switch a.mode {
		case "QI", "byte":
			size = 1
		case "HI":
			size = 2
		case "SI":
			size = 4
		case "DI", "word", "pointer":
			size = 8
		case "TI":
			size = 16
		}
		if size > 0 {
			c := *t
			c.Size, c.Align = size, size
			nt = &c
		}
	}
	if a.vectorSize > 0 {
		nt = &ir.Type{Kind: ir.ArrayType, Elem: nt, Size: a.vectorSize, Align: a.vectorSize, Len: -1}
		if nt.Elem.Size > 0 {
			nt.Len = a.vectorSize / nt.Elem.Size
		}
	}
	if ua := a.userAlign(); ua > 0 {
		c := *nt
		c.Align = ua // a typedef's aligned may lower alignment too (GCC)
		nt = &c
	}
	if nt != t && name != "" && !nt.IsStructOrUnion() {
		nt.Name = name
	}
	return nt
}

// isVLA reports whether t is an array type whose bound was written but is
// not a constant kcheck could evaluate: a variable-length array, whose size
// is only known at run time, as opposed to a flexible array member (no
// bound at all).
func (e *typeEnv) isVLA(t *ir.Type) bool { return e.vlas[t] }
