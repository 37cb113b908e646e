package frontend

import (
	mbits "math/bits"
	"strings"

	"kcheck/frontend/ir"

	"modernc.org/cc/v4"
)

// cval is an integer constant with its C type reduced to what the
// arithmetic needs: the size in bytes and the signedness. The value is
// kept normalised to that size (sign- or zero-extended to 64 bits), so
// ~0U is 0xffffffff and not -1.
type cval struct {
	v    int64
	size int64
	uns  bool
}

func (c cval) norm() cval {
	switch c.size {
	case 1, 2, 4:
		bits := uint(c.size * 8)
		if c.uns {
			c.v = int64(uint64(c.v) & (1<<bits - 1))
		} else {
			c.v = c.v << (64 - bits) >> (64 - bits)
		}
	}
	return c
}

func (c cval) promoted() cval {
	if c.size < 4 {
		return cval{v: c.v, size: 4}
	}
	if c.size > 8 {
		c.size = 8 // __int128 is evaluated in 64 bits
	}
	return c
}

// common is the type both operands convert to.
func tyCommon(a, b cval) (int64, bool) {
	a, b = a.promoted(), b.promoted()
	switch {
	case a.size > b.size:
		return a.size, a.uns
	case b.size > a.size:
		return b.size, b.uns
	}
	return a.size, a.uns || b.uns
}

func tyBoolVal(b bool) cval {
	if b {
		return cval{v: 1, size: 4}
	}
	return cval{v: 0, size: 4}
}

func typeCval(t *ir.Type, v int64) cval {
	return cval{v: v, size: t.Size, uns: !t.Signed}.norm()
}

// constValue evaluates an integer constant expression (enum constants,
// sizeof, casts, arithmetic): the value and whether it could.
func (e *typeEnv) constValue(x cc.ExpressionNode) (v int64, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			if testingPanics {
				panic(r)
			}
			v, ok = 0, false
		}
	}()
	c, ok := e.eval(x)
	return c.v, ok
}

func (e *typeEnv) eval(x cc.ExpressionNode) (cval, bool) {
	switch n := x.(type) {
	case *cc.PrimaryExpression:
		if n == nil {
			return cval{}, false
		}
		switch n.Case {
		case cc.PrimaryExpressionIdent:
			if v, ok := e.enumConsts[n.Token.SrcStr()]; ok {
				return cval{v: v, size: 4}.norm(), true
			}
		case cc.PrimaryExpressionInt:
			if v, t, ok := tyIntLiteral(n.Token.SrcStr()); ok {
				return typeCval(t, int64(v)), true
			}
		case cc.PrimaryExpressionChar:
			if v, ok := tyCharLiteral(n.Token.SrcStr()); ok {
				return cval{v: int64(int8(v)), size: 4}, true
			}
		case cc.PrimaryExpressionExpr:
			return e.eval(n.ExpressionList)
		case cc.PrimaryExpressionGeneric:
			if g := n.GenericSelection; g != nil {
				ct := e.typeOf(g.AssignmentExpression, nil)
				var def cc.ExpressionNode
				for l := g.GenericAssociationList; l != nil; l = l.GenericAssociationList {
					ga := l.GenericAssociation
					switch {
					case ga == nil:
					case ga.Case == cc.GenericAssociationDefault || ga.TypeName == nil:
						def = ga.AssignmentExpression
					case tySameType(ct, e.typeNameTypeIn(ga.TypeName, nil)):
						return e.eval(ga.AssignmentExpression)
					}
				}
				if def != nil {
					return e.eval(def)
				}
			}
		}
	case *cc.PostfixExpression:
		if n == nil {
			return cval{}, false
		}
		switch n.Case {
		case cc.PostfixExpressionPrimary:
			return e.eval(n.PrimaryExpression)
		case cc.PostfixExpressionCall:
			return e.evalBuiltin(n)
		}
	case *cc.UnaryExpression:
		if n == nil {
			return cval{}, false
		}
		return e.evalUnary(n)
	case *cc.CastExpression:
		if n == nil {
			return cval{}, false
		}
		if n.Case == cc.CastExpressionUnary {
			return e.eval(n.UnaryExpression)
		}
		c, ok := e.eval(n.CastExpression)
		if !ok {
			return c, false
		}
		t := e.typeNameTypeIn(n.TypeName, nil)
		switch t.Kind {
		case ir.IntType:
			if t.Name == "_Bool" {
				return cval{v: tyB2i(c.v != 0), size: 1, uns: true}, true
			}
			return typeCval(t, c.v), true
		case ir.PointerType:
			return cval{v: c.v, size: 8, uns: true}, true
		}
		return c, false
	case *cc.MultiplicativeExpression:
		if n == nil {
			return cval{}, false
		}
		if n.Case == cc.MultiplicativeExpressionCast {
			return e.eval(n.CastExpression)
		}
		return e.binary(n.MultiplicativeExpression, n.CastExpression, n.Token.SrcStr())
	case *cc.AdditiveExpression:
		if n == nil {
			return cval{}, false
		}
		if n.Case == cc.AdditiveExpressionMul {
			return e.eval(n.MultiplicativeExpression)
		}
		return e.binary(n.AdditiveExpression, n.MultiplicativeExpression, n.Token.SrcStr())
	case *cc.ShiftExpression:
		if n == nil {
			return cval{}, false
		}
		if n.Case == cc.ShiftExpressionAdd {
			return e.eval(n.AdditiveExpression)
		}
		a, ok1 := e.eval(n.ShiftExpression)
		b, ok2 := e.eval(n.AdditiveExpression)
		if !ok1 || !ok2 || b.v < 0 || b.v >= 64 {
			return cval{}, false
		}
		a = a.promoted()
		if n.Case == cc.ShiftExpressionLsh {
			a.v <<= uint(b.v)
		} else if a.uns {
			a.v = int64(uint64(a.v) >> uint(b.v))
		} else {
			a.v >>= uint(b.v)
		}
		return a.norm(), true
	case *cc.RelationalExpression:
		if n == nil {
			return cval{}, false
		}
		if n.Case == cc.RelationalExpressionShift {
			return e.eval(n.ShiftExpression)
		}
		return e.binary(n.RelationalExpression, n.ShiftExpression, n.Token.SrcStr())
	case *cc.EqualityExpression:
		if n == nil {
			return cval{}, false
		}
		if n.Case == cc.EqualityExpressionRel {
			return e.eval(n.RelationalExpression)
		}
		return e.binary(n.EqualityExpression, n.RelationalExpression, n.Token.SrcStr())
	case *cc.AndExpression:
		if n == nil {
			return cval{}, false
		}
		if n.Case == cc.AndExpressionEq {
			return e.eval(n.EqualityExpression)
		}
		return e.binary(n.AndExpression, n.EqualityExpression, "&")
	case *cc.ExclusiveOrExpression:
		if n == nil {
			return cval{}, false
		}
		if n.Case == cc.ExclusiveOrExpressionAnd {
			return e.eval(n.AndExpression)
		}
		return e.binary(n.ExclusiveOrExpression, n.AndExpression, "^")
	case *cc.InclusiveOrExpression:
		if n == nil {
			return cval{}, false
		}
		if n.Case == cc.InclusiveOrExpressionXor {
			return e.eval(n.ExclusiveOrExpression)
		}
		return e.binary(n.InclusiveOrExpression, n.ExclusiveOrExpression, "|")
	case *cc.LogicalAndExpression:
		if n == nil {
			return cval{}, false
		}
		if n.Case == cc.LogicalAndExpressionOr {
			return e.eval(n.InclusiveOrExpression)
		}
		a, ok := e.eval(n.LogicalAndExpression)
		if !ok {
			return a, false
		}
		if a.v == 0 {
			return tyBoolVal(false), true
		}
		b, ok := e.eval(n.InclusiveOrExpression)
		return tyBoolVal(b.v != 0), ok
	case *cc.LogicalOrExpression:
		if n == nil {
			return cval{}, false
		}
		if n.Case == cc.LogicalOrExpressionLAnd {
			return e.eval(n.LogicalAndExpression)
		}
		a, ok := e.eval(n.LogicalOrExpression)
		if !ok {
			return a, false
		}
		if a.v != 0 {
			return tyBoolVal(true), true
		}
		b, ok := e.eval(n.LogicalAndExpression)
		return tyBoolVal(b.v != 0), ok
	case *cc.ConditionalExpression:
		if n == nil {
			return cval{}, false
		}
		if n.Case == cc.ConditionalExpressionLOr {
			return e.eval(n.LogicalOrExpression)
		}
		c, ok := e.eval(n.LogicalOrExpression)
		if !ok {
			return c, false
		}
		if c.v != 0 {
			if n.ExpressionList == nil {
				return c, true
			}
			return e.eval(n.ExpressionList)
		}
		return e.eval(n.ConditionalExpression)
	case *cc.AssignmentExpression:
		if n != nil && n.Case == cc.AssignmentExpressionCond {
			return e.eval(n.ConditionalExpression)
		}
	case *cc.ExpressionList:
		if n == nil {
			return cval{}, false
		}
		for n.ExpressionList != nil {
			n = n.ExpressionList
		}
		return e.eval(n.AssignmentExpression)
	case *cc.ConstantExpression:
		if n == nil {
			return cval{}, false
		}
		return e.eval(n.ConditionalExpression)
	}
	return cval{}, false
}

func tyB2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func (e *typeEnv) binary(l, r cc.ExpressionNode, op string) (cval, bool) {
	a, ok := e.eval(l)
	if !ok {
		return a, false
	}
	b, ok := e.eval(r)
	if !ok {
		return b, false
	}
	size, uns := tyCommon(a, b)
	res := cval{size: size, uns: uns}
	x, y := a.v, b.v
	ux, uy := uint64(x), uint64(y)
	if size == 4 && uns {
		ux, uy = ux&0xffffffff, uy&0xffffffff
	}
	switch op {
	case "*":
		res.v = x * y
	case "/", "%":
		if y == 0 {
			return res, false
		}
		switch {
		case uns && op == "/":
			res.v = int64(ux / uy)
		case uns:
			res.v = int64(ux % uy)
		case op == "/":
			res.v = x / y
		default:
			res.v = x % y
		}
	case "+":
		res.v = x + y
	case "-":
		res.v = x - y
	case "&":
		res.v = x & y
	case "^":
		res.v = x ^ y
	case "|":
		res.v = x | y
	case "<", ">", "<=", ">=":
		var lt, eq bool
		if uns {
			lt, eq = ux < uy, ux == uy
		} else {
			lt, eq = x < y, x == y
		}
		switch op {
		case "<":
			return tyBoolVal(lt), true
		case ">":
			return tyBoolVal(!lt && !eq), true
		case "<=":
			return tyBoolVal(lt || eq), true
		}
		return tyBoolVal(!lt), true
	case "==":
		return tyBoolVal(ux == uy), true
	case "!=":
		return tyBoolVal(ux != uy), true
	default:
		return res, false
	}
	return res.norm(), true
}

func (e *typeEnv) evalUnary(n *cc.UnaryExpression) (cval, bool) {
	switch n.Case {
	case cc.UnaryExpressionPostfix:
		return e.eval(n.PostfixExpression)
	case cc.UnaryExpressionPlus, cc.UnaryExpressionMinus, cc.UnaryExpressionCpl, cc.UnaryExpressionNot:
		c, ok := e.eval(n.CastExpression)
		if !ok {
			return c, false
		}
		c = c.promoted()
		switch n.Case {
		case cc.UnaryExpressionMinus:
			c.v = -c.v
		case cc.UnaryExpressionCpl:
			c.v = ^c.v
		case cc.UnaryExpressionNot:
			return tyBoolVal(c.v == 0), true
		}
		return c.norm(), true
	case cc.UnaryExpressionSizeofType, cc.UnaryExpressionAlignofType:
		t := e.typeNameTypeIn(n.TypeName, nil)
		return tySizeOrAlign(t, n.Case == cc.UnaryExpressionAlignofType)
	case cc.UnaryExpressionSizeofExpr, cc.UnaryExpressionAlignofExpr:
		t := e.typeOf(n.UnaryExpression, nil)
		return tySizeOrAlign(t, n.Case == cc.UnaryExpressionAlignofExpr)
	case cc.UnaryExpressionAddrof:
		if v, ok := e.constAddr(n.CastExpression); ok {
			return cval{v: v, size: 8, uns: true}, true
		}
	}
	return cval{}, false
}

func tySizeOrAlign(t *ir.Type, align bool) (cval, bool) {
	v := t.Size
	if align {
		v = t.Align
	}
	if t.IsUnknown() || v < 0 || (t.IsStructOrUnion() && t.Incomplete) {
		return cval{}, false
	}
	return cval{v: v, size: 8, uns: true}, true
}

// constAddr evaluates the address of an lvalue built on a constant
// pointer: &((T *)0)->a.b[2], the expansion of offsetof.
func (e *typeEnv) constAddr(x cc.ExpressionNode) (int64, bool) {
	switch n := x.(type) {
	case *cc.PrimaryExpression:
		if n != nil && n.Case == cc.PrimaryExpressionExpr {
			return e.constAddr(n.ExpressionList)
		}
	case *cc.CastExpression:
		if n != nil && n.Case == cc.CastExpressionUnary {
			return e.constAddr(n.UnaryExpression)
		}
	case *cc.UnaryExpression:
		if n == nil {
			return 0, false
		}
		switch n.Case {
		case cc.UnaryExpressionPostfix:
			return e.constAddr(n.PostfixExpression)
		case cc.UnaryExpressionDeref:
			c, ok := e.eval(n.CastExpression)
			return c.v, ok
		}
	case *cc.PostfixExpression:
		if n == nil {
			return 0, false
		}
		switch n.Case {
		case cc.PostfixExpressionPrimary:
			return e.constAddr(n.PrimaryExpression)
		case cc.PostfixExpressionPSelect:
			base, ok := e.eval(n.PostfixExpression)
			if !ok {
				return 0, false
			}
			pt := e.typeOf(n.PostfixExpression, nil)
			if pt.Kind != ir.PointerType {
				return 0, false
			}
			off, ok := tyFieldOffset(pt.Elem, n.Token2.SrcStr())
			return base.v + off, ok
		case cc.PostfixExpressionSelect:
			base, ok := e.constAddr(n.PostfixExpression)
			if !ok {
				return 0, false
			}
			off, ok := tyFieldOffset(e.typeOf(n.PostfixExpression, nil), n.Token2.SrcStr())
			return base + off, ok
		case cc.PostfixExpressionIndex:
			bt := e.typeOf(n.PostfixExpression, nil)
			idx, ok := e.eval(n.ExpressionList)
			if !ok || !tyPtrLike(bt) || bt.Elem == nil || bt.Elem.Size < 0 {
				return 0, false
			}
			var base int64
			if bt.Kind == ir.ArrayType {
				base, ok = e.constAddr(n.PostfixExpression)
			} else {
				var c cval
				c, ok = e.eval(n.PostfixExpression)
				base = c.v
			}
			return base + idx.v*bt.Elem.Size, ok
		}
	}
	return 0, false
}

func tyFieldOffset(t *ir.Type, name string) (int64, bool) {
	if !t.IsStructOrUnion() {
		return 0, false
	}
	f, off, ok := t.FieldByName(name)
	if !ok || f.Offset < 0 {
		return 0, false
	}
	return off, true
}

// evalBuiltin folds the GCC builtins that appear in constant expressions.
func (e *typeEnv) evalBuiltin(n *cc.PostfixExpression) (cval, bool) {
	p, ok := n.PostfixExpression.(*cc.PrimaryExpression)
	if !ok || p == nil || p.Case != cc.PrimaryExpressionIdent {
		return cval{}, false
	}
	var args []cc.ExpressionNode
	for l := n.ArgumentExpressionList; l != nil; l = l.ArgumentExpressionList {
		args = append(args, l.AssignmentExpression)
	}
	switch p.Token.SrcStr() {
	case "__builtin_constant_p":
		if len(args) == 1 {
			_, ok := e.eval(args[0])
			return tyBoolVal(ok), true
		}
	case "__builtin_choose_expr":
		if len(args) == 3 {
			c, ok := e.eval(args[0])
			if !ok {
				return c, false
			}
			if c.v != 0 {
				return e.eval(args[1])
			}
			return e.eval(args[2])
		}
	case "__builtin_clz", "__builtin_clzl", "__builtin_clzll", "__builtin_ctz", "__builtin_ctzl", "__builtin_ctzll",
		"__builtin_popcount", "__builtin_popcountl", "__builtin_popcountll", "__builtin_ffs", "__builtin_ffsl", "__builtin_ffsll":
		// ilog2() and friends fold these in array bounds.
		if len(args) != 1 {
			break
		}
		c, ok := e.eval(args[0])
		if !ok {
			return c, false
		}
		name := p.Token.SrcStr()
		bits := 32
		if strings.HasSuffix(name, "l") {
			bits = 64
		}
		u := uint64(c.v)
		if bits == 32 {
			u &= 0xffffffff
		}
		var r int
		switch {
		case strings.HasPrefix(name, "__builtin_clz"):
			if u == 0 {
				return c, false // undefined
			}
			r = bits - mbits.Len64(u)
		case strings.HasPrefix(name, "__builtin_ctz"):
			if u == 0 {
				return c, false
			}
			r = mbits.TrailingZeros64(u)
		case strings.HasPrefix(name, "__builtin_popcount"):
			r = mbits.OnesCount64(u)
		default: // ffs
			if u != 0 {
				r = mbits.TrailingZeros64(u) + 1
			}
		}
		return cval{v: int64(r), size: 4}, true
	case "__builtin_expect":
		if len(args) == 2 {
			c, ok := e.eval(args[0])
			return cval{v: c.v, size: 8}, ok
		}
	}
	return cval{}, false
}

// tyCharLiteral decodes a character constant's value ('a', '\n', '\x1f',
// '\0'), as the lowering's charLiteral does.
func tyCharLiteral(s string) (byte, bool) {
	if len(s) < 3 || s[0] != '\'' {
		return 0, false
	}
	v, ok := charLiteral(s)
	return byte(v), ok
}
