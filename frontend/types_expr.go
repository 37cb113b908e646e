package frontend

import (
	"strconv"
	"strings"

	"kcheck/frontend/ir"

	"modernc.org/cc/v4"
)

// exprType returns the static type of an expression: the declared type of
// a name (block scope first through sc, which may be nil), the member type
// of a.b and p->b, the pointee of *p and p[i], the pointer of &x, the cast
// type, the result type of a direct call, the type of a statement
// expression's last expression, the usual arithmetic conversions roughly.
// ir.UnknownT when it cannot tell.
//
// It allocates only for &x of a type never pointed to before and for the
// first visit of a statement expression or cast, so calling it on every
// expression of a function is cheap.
func (e *typeEnv) exprType(x cc.ExpressionNode, sc typeScope) (t *ir.Type) {
	defer func() {
		if r := recover(); r != nil {
			if testingPanics {
				panic(r)
			}
			t = ir.UnknownT
		}
		if t == nil {
			t = ir.UnknownT
		}
	}()
	return e.typeOf(x, sc)
}

func (e *typeEnv) typeOf(x cc.ExpressionNode, sc typeScope) *ir.Type {
	switch n := x.(type) {
	case *cc.PrimaryExpression:
		if n == nil {
			return ir.UnknownT
		}
		return e.primaryType(n, sc)
	case *cc.PostfixExpression:
		if n == nil {
			return ir.UnknownT
		}
		return e.postfixType(n, sc)
	case *cc.UnaryExpression:
		if n == nil {
			return ir.UnknownT
		}
		return e.unaryType(n, sc)
	case *cc.CastExpression:
		if n == nil {
			return ir.UnknownT
		}
		if n.Case == cc.CastExpressionUnary {
			return e.typeOf(n.UnaryExpression, sc)
		}
		return e.typeNameTypeIn(n.TypeName, sc)
	case *cc.MultiplicativeExpression:
		if n == nil {
			return ir.UnknownT
		}
		if n.Case == cc.MultiplicativeExpressionCast {
			return e.typeOf(n.CastExpression, sc)
		}
		return tyArithConv(e.typeOf(n.MultiplicativeExpression, sc), e.typeOf(n.CastExpression, sc))
	case *cc.AdditiveExpression:
		if n == nil {
			return ir.UnknownT
		}
		if n.Case == cc.AdditiveExpressionMul {
			return e.typeOf(n.MultiplicativeExpression, sc)
		}
		l, r := e.typeOf(n.AdditiveExpression, sc), e.typeOf(n.MultiplicativeExpression, sc)
		lp, rp := tyPtrLike(l), tyPtrLike(r)
		switch {
		case lp && rp && n.Case == cc.AdditiveExpressionSub:
			return tyLong
		case lp:
			return e.decay(l)
		case rp && n.Case == cc.AdditiveExpressionAdd:
			return e.decay(r)
		}
		return tyArithConv(l, r)
	case *cc.ShiftExpression:
		if n == nil {
			return ir.UnknownT
		}
		if n.Case == cc.ShiftExpressionAdd {
			return e.typeOf(n.AdditiveExpression, sc)
		}
		return tyPromote(e.typeOf(n.ShiftExpression, sc))
	case *cc.RelationalExpression:
		if n == nil {
			return ir.UnknownT
		}
		if n.Case == cc.RelationalExpressionShift {
			return e.typeOf(n.ShiftExpression, sc)
		}
		return tyInt
	case *cc.EqualityExpression:
		if n == nil {
			return ir.UnknownT
		}
		if n.Case == cc.EqualityExpressionRel {
			return e.typeOf(n.RelationalExpression, sc)
		}
		return tyInt
	case *cc.AndExpression:
		if n == nil {
			return ir.UnknownT
		}
		if n.Case == cc.AndExpressionEq {
			return e.typeOf(n.EqualityExpression, sc)
		}
		return tyArithConv(e.typeOf(n.AndExpression, sc), e.typeOf(n.EqualityExpression, sc))
	case *cc.ExclusiveOrExpression:
		if n == nil {
			return ir.UnknownT
		}
		if n.Case == cc.ExclusiveOrExpressionAnd {
			return e.typeOf(n.AndExpression, sc)
		}
		return tyArithConv(e.typeOf(n.ExclusiveOrExpression, sc), e.typeOf(n.AndExpression, sc))
	case *cc.InclusiveOrExpression:
		if n == nil {
			return ir.UnknownT
		}
		if n.Case == cc.InclusiveOrExpressionXor {
			return e.typeOf(n.ExclusiveOrExpression, sc)
		}
		return tyArithConv(e.typeOf(n.InclusiveOrExpression, sc), e.typeOf(n.ExclusiveOrExpression, sc))
	case *cc.LogicalAndExpression:
		if n == nil {
			return ir.UnknownT
		}
		if n.Case == cc.LogicalAndExpressionOr {
			return e.typeOf(n.InclusiveOrExpression, sc)
		}
		return tyInt
	case *cc.LogicalOrExpression:
		if n == nil {
			return ir.UnknownT
		}
		if n.Case == cc.LogicalOrExpressionLAnd {
			return e.typeOf(n.LogicalAndExpression, sc)
		}
		return tyInt
	case *cc.ConditionalExpression:
		if n == nil {
			return ir.UnknownT
		}
		if n.Case == cc.ConditionalExpressionLOr {
			return e.typeOf(n.LogicalOrExpression, sc)
		}
		var a *ir.Type
		if n.ExpressionList != nil {
			a = e.typeOf(n.ExpressionList, sc)
		} else {
			a = e.typeOf(n.LogicalOrExpression, sc) // GNU a ?: b
		}
		return tyCondType(a, e.typeOf(n.ConditionalExpression, sc))
	case *cc.AssignmentExpression:
		if n == nil {
			return ir.UnknownT
		}
		if n.Case == cc.AssignmentExpressionCond {
			return e.typeOf(n.ConditionalExpression, sc)
		}
		return e.typeOf(n.UnaryExpression, sc)
	case *cc.ExpressionList:
		if n == nil {
			return ir.UnknownT
		}
		for n.ExpressionList != nil {
			n = n.ExpressionList
		}
		return e.typeOf(n.AssignmentExpression, sc)
	case *cc.ConstantExpression:
		if n == nil {
			return ir.UnknownT
		}
		return e.typeOf(n.ConditionalExpression, sc)
	}
	return ir.UnknownT
}

func tyPtrLike(t *ir.Type) bool {
	return t != nil && (t.Kind == ir.PointerType || t.Kind == ir.ArrayType || t.Kind == ir.FuncType)
}

// tyCondType is the type of c ? a : b, roughly: a pointer wins over an
// integer (NULL), arithmetic operands convert.
func tyCondType(a, b *ir.Type) *ir.Type {
	switch {
	case a.IsUnknown():
		return b
	case b.IsUnknown():
		return a
	case a.Kind == ir.PointerType && b.Kind == ir.PointerType:
		if a.Elem != nil && a.Elem.Kind == ir.VoidType {
			return b
		}
		return a
	case a.Kind == ir.PointerType:
		return a
	case b.Kind == ir.PointerType:
		return b
	case (a.Kind == ir.IntType || a.Kind == ir.FloatType) && (b.Kind == ir.IntType || b.Kind == ir.FloatType):
		return tyArithConv(a, b)
	}
	return a
}

// tyPromote applies the integer promotions.
func tyPromote(t *ir.Type) *ir.Type {
	if t.IsUnknown() || t.Kind != ir.IntType {
		return t
	}
	if t.Size < 4 {
		return tyInt
	}
	return tyCanonicalInt(t.Size, t.Signed, t)
}

func tyCanonicalInt(size int64, signed bool, orig *ir.Type) *ir.Type {
	switch {
	case size == 4 && signed:
		return tyInt
	case size == 4:
		return tyUint
	case size == 8 && signed:
		return tyLong
	case size == 8:
		return tyUlong
	case size == 16 && signed:
		return tyInt128
	case size == 16:
		return tyUint128
	}
	return orig
}

// tyArithConv applies the usual arithmetic conversions.
func tyArithConv(a, b *ir.Type) *ir.Type {
	if a.IsUnknown() || b.IsUnknown() {
		return ir.UnknownT
	}
	if a.Kind == ir.FloatType || b.Kind == ir.FloatType {
		switch {
		case a.Kind != ir.FloatType:
			return b
		case b.Kind != ir.FloatType:
			return a
		case b.Size > a.Size:
			return b
		}
		return a
	}
	if a.Kind != ir.IntType || b.Kind != ir.IntType {
		return ir.UnknownT
	}
	a, b = tyPromote(a), tyPromote(b)
	switch {
	case a.Size > b.Size:
		return a
	case b.Size > a.Size:
		return b
	case !a.Signed:
		return a
	}
	return b
}

func (e *typeEnv) primaryType(n *cc.PrimaryExpression, sc typeScope) *ir.Type {
	switch n.Case {
	case cc.PrimaryExpressionIdent:
		return e.identType(n.Token.SrcStr(), sc)
	case cc.PrimaryExpressionInt:
		if _, t, ok := tyIntLiteral(n.Token.SrcStr()); ok {
			return t
		}
		return ir.UnknownT
	case cc.PrimaryExpressionFloat:
		s := strings.ToLower(n.Token.SrcStr())
		switch {
		case strings.HasSuffix(s, "f") && !strings.HasPrefix(s, "0x"):
			return tyFloat
		case strings.HasSuffix(s, "l"):
			return tyLdouble
		}
		return tyDouble
	case cc.PrimaryExpressionChar, cc.PrimaryExpressionLChar:
		return tyInt
	case cc.PrimaryExpressionString:
		s := n.Token.SrcStr()
		t := &ir.Type{Kind: ir.ArrayType, Elem: tyChar, Align: 1, Len: -1, Size: -1}
		if u, err := strconv.Unquote(s); err == nil {
			t.Len, t.Size = int64(len(u)+1), int64(len(u)+1)
		}
		return t
	case cc.PrimaryExpressionLString:
		return &ir.Type{Kind: ir.ArrayType, Elem: tyInt, Align: 4, Len: -1, Size: -1}
	case cc.PrimaryExpressionExpr:
		return e.typeOf(n.ExpressionList, sc)
	case cc.PrimaryExpressionStmt:
		return e.stmtExprType(n.CompoundStatement, sc)
	case cc.PrimaryExpressionGeneric:
		return e.genericType(n.GenericSelection, sc)
	}
	return ir.UnknownT
}

// identType resolves a name used as an expression: block scope, then
// file-scope variables, functions and enum constants.
func (e *typeEnv) identType(name string, sc typeScope) *ir.Type {
	if sc != nil {
		if t := sc.lookup(name); t != nil {
			return t
		}
	}
	if t := e.global(name); t != nil {
		return t
	}
	if t := e.function(name); t != nil {
		return t
	}
	if _, ok := e.enumConsts[name]; ok {
		return tyInt
	}
	return ir.UnknownT
}

// tyBuiltinResults are the result types of GCC builtins that kernel macros
// wrap around the expressions checkers look at (likely/unlikely, ...).
var tyBuiltinResults = map[string]*ir.Type{
	"__builtin_expect":              tyLong,
	"__builtin_constant_p":          tyInt,
	"__builtin_clz":                 tyInt,
	"__builtin_ctz":                 tyInt,
	"__builtin_ffs":                 tyInt,
	"__builtin_popcount":            tyInt,
	"__builtin_clzl":                tyInt,
	"__builtin_ctzl":                tyInt,
	"__builtin_popcountl":           tyInt,
	"__builtin_bswap16":             tyUshort,
	"__builtin_bswap32":             tyUint,
	"__builtin_bswap64":             tyUlong,
	"__builtin_strlen":              tyUlong,
	"__builtin_va_arg_impl":         &ir.Type{Kind: ir.PointerType, Size: 8, Align: 8, Elem: tyVoid},
	"__builtin_memcpy":              &ir.Type{Kind: ir.PointerType, Size: 8, Align: 8, Elem: tyVoid},
	"__builtin_memset":              &ir.Type{Kind: ir.PointerType, Size: 8, Align: 8, Elem: tyVoid},
	"__builtin_return_address":      &ir.Type{Kind: ir.PointerType, Size: 8, Align: 8, Elem: tyVoid},
	"__builtin_frame_address":       &ir.Type{Kind: ir.PointerType, Size: 8, Align: 8, Elem: tyVoid},
	"__builtin_object_size":         tyUlong,
	"__builtin_dynamic_object_size": tyUlong,
}

func (e *typeEnv) postfixType(n *cc.PostfixExpression, sc typeScope) *ir.Type {
	switch n.Case {
	case cc.PostfixExpressionPrimary:
		return e.typeOf(n.PrimaryExpression, sc)
	case cc.PostfixExpressionIndex:
		if t := e.typeOf(n.PostfixExpression, sc); tyPtrLike(t) && t.Kind != ir.FuncType {
			return t.Elem
		}
		if t := e.typeOf(n.ExpressionList, sc); tyPtrLike(t) && t.Kind != ir.FuncType {
			return t.Elem // i[p]
		}
		return ir.UnknownT
	case cc.PostfixExpressionCall:
		if p, ok := n.PostfixExpression.(*cc.PrimaryExpression); ok && p != nil && p.Case == cc.PrimaryExpressionIdent {
			name := p.Token.SrcStr()
			if sc == nil || sc.lookup(name) == nil {
				if f := e.function(name); f != nil {
					return f.Elem
				}
				if t, ok := tyBuiltinResults[name]; ok {
					return t
				}
			}
		}
		t := e.typeOf(n.PostfixExpression, sc)
		if t.Kind == ir.PointerType && t.Elem != nil {
			t = t.Elem
		}
		if t.Kind == ir.FuncType && t.Elem != nil {
			return t.Elem
		}
		return ir.UnknownT
	case cc.PostfixExpressionSelect:
		return tyFieldType(e.typeOf(n.PostfixExpression, sc), n.Token2.SrcStr())
	case cc.PostfixExpressionPSelect:
		t := e.typeOf(n.PostfixExpression, sc)
		if !tyPtrLike(t) || t.Kind == ir.FuncType {
			return ir.UnknownT
		}
		return tyFieldType(t.Elem, n.Token2.SrcStr())
	case cc.PostfixExpressionInc, cc.PostfixExpressionDec:
		return e.typeOf(n.PostfixExpression, sc)
	case cc.PostfixExpressionComplit:
		return e.typeNameTypeIn(n.TypeName, sc)
	}
	return ir.UnknownT
}

// tyFieldType is the type of member name of struct or union t; UnknownT
// for an incomplete or unknown type or a missing member.
func tyFieldType(t *ir.Type, name string) *ir.Type {
	if t == nil || !t.IsStructOrUnion() {
		return ir.UnknownT
	}
	if f, _, ok := t.FieldByName(name); ok && f.Type != nil {
		return f.Type
	}
	return ir.UnknownT
}

func (e *typeEnv) unaryType(n *cc.UnaryExpression, sc typeScope) *ir.Type {
	switch n.Case {
	case cc.UnaryExpressionPostfix:
		return e.typeOf(n.PostfixExpression, sc)
	case cc.UnaryExpressionInc, cc.UnaryExpressionDec:
		return e.typeOf(n.UnaryExpression, sc)
	case cc.UnaryExpressionAddrof:
		return e.pointerTo(e.typeOf(n.CastExpression, sc))
	case cc.UnaryExpressionDeref:
		t := e.typeOf(n.CastExpression, sc)
		switch t.Kind {
		case ir.PointerType, ir.ArrayType:
			return t.Elem
		case ir.FuncType:
			return t
		}
		return ir.UnknownT
	case cc.UnaryExpressionPlus, cc.UnaryExpressionMinus, cc.UnaryExpressionCpl:
		return tyPromote(e.typeOf(n.CastExpression, sc))
	case cc.UnaryExpressionNot:
		return tyInt
	case cc.UnaryExpressionSizeofExpr, cc.UnaryExpressionSizeofType, cc.UnaryExpressionAlignofExpr, cc.UnaryExpressionAlignofType:
		return tyUlong
	case cc.UnaryExpressionLabelAddr:
		return e.pointerTo(tyVoid)
	}
	return ir.UnknownT
}

// stmtExprType is the type of ({ ...; x; }): the type of x, with the
// statement expression's own declarations visible.
func (e *typeEnv) stmtExprType(cs *cc.CompoundStatement, sc typeScope) *ir.Type {
	if cs == nil {
		return ir.UnknownT
	}
	var last *cc.BlockItem
	for l := cs.BlockItemList; l != nil; l = l.BlockItemList {
		last = l.BlockItem
	}
	if last == nil || last.Case != cc.BlockItemStmt || last.Statement == nil ||
		last.Statement.Case != cc.StatementExpr || last.Statement.ExpressionStatement == nil ||
		last.Statement.ExpressionStatement.ExpressionList == nil {
		return tyVoid
	}
	return e.typeOf(last.Statement.ExpressionStatement.ExpressionList, &tyBlockScope{e: e, cs: cs, parent: sc})
}

// tyBlockScope makes the declarations of a compound statement visible to
// exprType, resolving only the names asked for.
type tyBlockScope struct {
	e      *typeEnv
	cs     *cc.CompoundStatement
	parent typeScope
	cache  map[string]*ir.Type
}

func (b *tyBlockScope) lookup(name string) *ir.Type {
	if t, ok := b.cache[name]; ok {
		return t
	}
	for l := b.cs.BlockItemList; l != nil; l = l.BlockItemList {
		bi := l.BlockItem
		if bi == nil || bi.Case != cc.BlockItemDecl || bi.Declaration == nil {
			continue
		}
		d := bi.Declaration
		switch d.Case {
		case cc.DeclarationAuto:
			if d.Declarator.Name() == name && d.Initializer != nil {
				return b.remember(name, b.e.typeOf(d.Initializer.AssignmentExpression, b))
			}
		case cc.DeclarationDecl:
			for il := d.InitDeclaratorList; il != nil; il = il.InitDeclaratorList {
				if id := il.InitDeclarator; id != nil && id.Declarator != nil && id.Declarator.Name() == name {
					si := b.e.specifiers(d.DeclarationSpecifiers, b)
					if si.typedef {
						return nil
					}
					return b.remember(name, b.e.declarator(si.typ, id.Declarator, b))
				}
			}
		}
	}
	if b.parent != nil {
		return b.parent.lookup(name)
	}
	return nil
}

func (b *tyBlockScope) remember(name string, t *ir.Type) *ir.Type {
	if b.cache == nil {
		b.cache = map[string]*ir.Type{}
	}
	b.cache[name] = t
	return t
}

// genericType picks the _Generic association matching the controlling
// expression's type (READ_ONCE's __unqual_scalar_typeof relies on it).
func (e *typeEnv) genericType(g *cc.GenericSelection, sc typeScope) *ir.Type {
	if g == nil {
		return ir.UnknownT
	}
	ct := e.typeOf(g.AssignmentExpression, sc)
	if ct.Kind == ir.ArrayType || ct.Kind == ir.FuncType {
		ct = e.decay(ct)
	}
	var def cc.ExpressionNode
	for l := g.GenericAssociationList; l != nil; l = l.GenericAssociationList {
		ga := l.GenericAssociation
		if ga == nil {
			continue
		}
		if ga.Case == cc.GenericAssociationDefault || ga.TypeName == nil {
			def = ga.AssignmentExpression
			continue
		}
		if tySameType(ct, e.typeNameTypeIn(ga.TypeName, sc)) {
			return e.typeOf(ga.AssignmentExpression, sc)
		}
	}
	if def != nil && !ct.IsUnknown() {
		return e.typeOf(def, sc)
	}
	return ir.UnknownT
}

// tySameType is type compatibility as far as kcheck's types tell.
func tySameType(a, b *ir.Type) bool {
	if a == b {
		return !a.IsUnknown()
	}
	if a.IsUnknown() || b.IsUnknown() || a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case ir.IntType, ir.FloatType, ir.VoidType:
		return a.Name == b.Name && a.Size == b.Size && a.Signed == b.Signed
	case ir.PointerType:
		return tySameType(a.Elem, b.Elem)
	case ir.StructType, ir.UnionType:
		return a.Tag != "" && a.Tag == b.Tag
	}
	return false
}

// tyIntLiteral parses a C integer constant and gives its type by C's
// rules (decimal: int, long; octal and hex also unsigned int, unsigned
// long).
func tyIntLiteral(s string) (uint64, *ir.Type, bool) {
	lower := strings.ToLower(s)
	end := len(lower)
	for end > 0 && (lower[end-1] == 'u' || lower[end-1] == 'l') {
		end--
	}
	suffix := lower[end:]
	digits := lower[:end]
	unsigned := strings.Contains(suffix, "u")
	long := strings.Contains(suffix, "l")
	var v uint64
	var err error
	switch {
	case strings.HasPrefix(digits, "0x"):
		v, err = strconv.ParseUint(digits[2:], 16, 64)
	case strings.HasPrefix(digits, "0b"):
		v, err = strconv.ParseUint(digits[2:], 2, 64)
	case len(digits) > 1 && digits[0] == '0':
		v, err = strconv.ParseUint(digits[1:], 8, 64)
	default:
		v, err = strconv.ParseUint(digits, 10, 64)
	}
	if err != nil {
		return 0, nil, false
	}
	decimal := !(len(digits) > 1 && digits[0] == '0')
	var t *ir.Type
	switch {
	case !long && !unsigned && v <= 0x7fffffff:
		t = tyInt
	case !long && unsigned && v <= 0xffffffff:
		t = tyUint
	case !long && !unsigned && !decimal && v <= 0xffffffff:
		t = tyUint
	case !unsigned && v <= 0x7fffffffffffffff:
		t = tyLong
	default:
		t = tyUlong
	}
	if unsigned && t == tyLong {
		t = tyUlong
	}
	return v, t, true
}
