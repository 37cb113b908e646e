package frontend

import (
	"kcheck/frontend/ir"

	"modernc.org/cc/v4"
)

// noreturnFuncs end their block with ir.NoReturn: the compiler's own
// noreturn builtins and the kernel's panic paths. Functions declared with
// __attribute__((noreturn)) or _Noreturn in the unit are added per unit.
var noreturnFuncs = map[string]bool{
	"__builtin_unreachable": true, "__builtin_trap": true, "panic": true,
	"do_exit": true, "BUG": true, "__stack_chk_fail": true,
}

// unevaluatedBuiltins do not evaluate their arguments (GCC folds them at
// compile time), so neither their arguments' calls nor a call event of
// their own are emitted; their value is unknown.
var unevaluatedBuiltins = map[string]bool{
	"__builtin_constant_p": true, "__builtin_object_size": true,
	"__builtin_dynamic_object_size": true, "__builtin_classify_type": true,
}

func unknownVal(e cc.Node) *ir.Value {
	return &ir.Value{Kind: ir.Unknown, Text: exprText(e)}
}

func constVal(c int64, e cc.Node) *ir.Value {
	return &ir.Value{Kind: ir.ConstVal, Const: c, Text: exprText(e)}
}

func pointerTo(t *ir.Type) *ir.Type {
	if t.IsUnknown() {
		return nil
	}
	return &ir.Type{Kind: ir.PointerType, Size: 8, Align: 8, Elem: t}
}

// effect evaluates an expression for its events only.
func (l *funcLowerer) effect(e cc.ExpressionNode) { l.value(e) }

// value lowers an expression in value context, emitting its events in
// evaluation order, and returns its symbolic value (never nil).
func (l *funcLowerer) value(e cc.ExpressionNode) *ir.Value {
	switch x := e.(type) {
	case nil:
		return &ir.Value{Kind: ir.Unknown}
	case *cc.PrimaryExpression:
		return l.primary(x)
	case *cc.PostfixExpression:
		return l.postfix(x)
	case *cc.UnaryExpression:
		return l.unary(x)
	case *cc.CastExpression:
		if x.Case == cc.CastExpressionUnary {
			return l.value(x.UnaryExpression)
		}
		v := l.value(x.CastExpression)
		t := l.env.typeNameTypeIn(x.TypeName, l)
		w := *v
		if !t.IsUnknown() {
			w.Type = t
			if w.Kind == ir.ConstVal && t.Kind == ir.IntType {
				w.Const = truncInt(w.Const, t)
			}
		}
		return &w
	case *cc.MultiplicativeExpression:
		if x.Case == cc.MultiplicativeExpressionCast {
			return l.value(x.CastExpression)
		}
		return l.binary(x, x.Token, x.MultiplicativeExpression, x.CastExpression)
	case *cc.AdditiveExpression:
		if x.Case == cc.AdditiveExpressionMul {
			return l.value(x.MultiplicativeExpression)
		}
		return l.binary(x, x.Token, x.AdditiveExpression, x.MultiplicativeExpression)
	case *cc.ShiftExpression:
		if x.Case == cc.ShiftExpressionAdd {
			return l.value(x.AdditiveExpression)
		}
		return l.binary(x, x.Token, x.ShiftExpression, x.AdditiveExpression)
	case *cc.RelationalExpression:
		if x.Case == cc.RelationalExpressionShift {
			return l.value(x.ShiftExpression)
		}
		return l.binary(x, x.Token, x.RelationalExpression, x.ShiftExpression)
	case *cc.EqualityExpression:
		if x.Case == cc.EqualityExpressionRel {
			return l.value(x.RelationalExpression)
		}
		return l.binary(x, x.Token, x.EqualityExpression, x.RelationalExpression)
	case *cc.AndExpression:
		if x.Case == cc.AndExpressionEq {
			return l.value(x.EqualityExpression)
		}
		return l.binary(x, x.Token, x.AndExpression, x.EqualityExpression)
	case *cc.ExclusiveOrExpression:
		if x.Case == cc.ExclusiveOrExpressionAnd {
			return l.value(x.AndExpression)
		}
		return l.binary(x, x.Token, x.ExclusiveOrExpression, x.AndExpression)
	case *cc.InclusiveOrExpression:
		if x.Case == cc.InclusiveOrExpressionXor {
			return l.value(x.ExclusiveOrExpression)
		}
		return l.binary(x, x.Token, x.InclusiveOrExpression, x.ExclusiveOrExpression)
	case *cc.LogicalAndExpression:
		if x.Case == cc.LogicalAndExpressionOr {
			return l.value(x.InclusiveOrExpression)
		}
		return l.shortCircuit(x)
	case *cc.LogicalOrExpression:
		if x.Case == cc.LogicalOrExpressionLAnd {
			return l.value(x.LogicalAndExpression)
		}
		return l.shortCircuit(x)
	case *cc.ConditionalExpression:
		if x.Case == cc.ConditionalExpressionLOr {
			return l.value(x.LogicalOrExpression)
		}
		return l.conditional(x)
	case *cc.AssignmentExpression:
		if x.Case == cc.AssignmentExpressionCond {
			return l.value(x.ConditionalExpression)
		}
		return l.assignment(x)
	case *cc.ExpressionList:
		var v *ir.Value
		for li := x; li != nil; li = li.ExpressionList {
			v = l.value(li.AssignmentExpression)
		}
		if v == nil {
			v = &ir.Value{Kind: ir.Unknown}
		}
		return v
	case *cc.ConstantExpression:
		return l.value(x.ConditionalExpression)
	}
	return unknownVal(e)
}

func (l *funcLowerer) primary(x *cc.PrimaryExpression) *ir.Value {
	switch x.Case {
	case cc.PrimaryExpressionIdent:
		return l.ident(x)
	case cc.PrimaryExpressionInt:
		if c, ok := intLiteral(string(x.Token.Src())); ok {
			return constVal(c, x)
		}
	case cc.PrimaryExpressionChar:
		if c, ok := charLiteral(string(x.Token.Src())); ok {
			return constVal(c, x)
		}
	case cc.PrimaryExpressionString, cc.PrimaryExpressionLString:
		return &ir.Value{Kind: ir.StringVal, Text: exprText(x)}
	case cc.PrimaryExpressionExpr:
		return l.value(x.ExpressionList)
	case cc.PrimaryExpressionStmt:
		var v *ir.Value
		l.stmtExpr(x.CompoundStatement, func(last cc.ExpressionNode) {
			if last != nil {
				v = l.value(last)
			}
		})
		if v == nil {
			v = unknownVal(x)
		}
		return v
	}
	return unknownVal(x)
}

// ident resolves a name: block scope first, then the unit's file-scope
// names, enum constants, and what the type layer knows.
func (l *funcLowerer) ident(x *cc.PrimaryExpression) *ir.Value {
	name := string(x.Token.Src())
	if b, ok := l.lookupBinding(name); ok {
		switch b.kind {
		case bindParam:
			return &ir.Value{Kind: ir.ParamVal, Name: name, Index: b.index, Type: b.typ, Text: name}
		case bindLocal:
			return &ir.Value{Kind: ir.LocalVal, Name: name, Index: b.index, Type: b.typ, Text: name}
		case bindStatic:
			return &ir.Value{Kind: ir.GlobalVal, Name: name, Type: b.typ, Text: name}
		case bindFunc:
			l.u.staticUsed[name] = true
			return &ir.Value{Kind: ir.FuncVal, Name: name, Type: l.env.function(name), Text: name}
		}
	}
	switch l.u.names[name].kind {
	case nameObject:
		return &ir.Value{Kind: ir.GlobalVal, Name: name, Type: l.env.global(name), Text: name}
	case nameFunc:
		l.u.staticUsed[name] = true
		return &ir.Value{Kind: ir.FuncVal, Name: name, Type: l.env.function(name), Text: name}
	}
	if c, ok := l.env.constValue(x); ok {
		return constVal(c, x)
	}
	if t := l.env.global(name); t != nil {
		return &ir.Value{Kind: ir.GlobalVal, Name: name, Type: t, Text: name}
	}
	if t := l.env.function(name); t != nil {
		l.u.staticUsed[name] = true
		return &ir.Value{Kind: ir.FuncVal, Name: name, Type: t, Text: name}
	}
	return &ir.Value{Kind: ir.Unknown, Text: name}
}

func (l *funcLowerer) postfix(x *cc.PostfixExpression) *ir.Value {
	switch x.Case {
	case cc.PostfixExpressionPrimary:
		return l.value(x.PrimaryExpression)
	case cc.PostfixExpressionIndex:
		base := l.value(x.PostfixExpression)
		l.value(x.ExpressionList)
		if base.Type == nil || base.Type.Kind != ir.ArrayType {
			l.deref(base, x)
		}
		return &ir.Value{Kind: ir.IndexVal, Base: base, Type: base.Type.Pointee(), Text: exprText(x)}
	case cc.PostfixExpressionCall:
		return l.call(x)
	case cc.PostfixExpressionSelect, cc.PostfixExpressionPSelect:
		return l.member(x)
	case cc.PostfixExpressionInc, cc.PostfixExpressionDec:
		v := l.value(x.PostfixExpression)
		l.emit(ir.Event{Kind: ir.EvAssign, Pos: l.u.pos(x.Position()), Dst: v, Src: &ir.Value{Kind: ir.Unknown, Text: exprText(x), Type: v.Type}})
		return &ir.Value{Kind: ir.Unknown, Text: exprText(x), Type: v.Type}
	case cc.PostfixExpressionComplit:
		t := l.env.typeNameTypeIn(x.TypeName, l)
		l.initList(x.InitializerList)
		w := initWalker{u: l.u, isFunc: l.isFuncName}
		w.list(t, x.InitializerList)
		return &ir.Value{Kind: ir.Unknown, Text: exprText(x), Type: t}
	}
	return unknownVal(x)
}

// deref emits an EvDeref when a variable is dereferenced.
func (l *funcLowerer) deref(base *ir.Value, at cc.Node) {
	if base.IsVar() {
		l.emit(ir.Event{Kind: ir.EvDeref, Pos: l.u.pos(at.Position()), Src: base})
	}
}

// structOf returns the struct or union type whose member a.b (arrow
// false) or a->b (arrow true) selects, from the base value's type or, when
// that is unknown, from the type layer.
func (l *funcLowerer) structOf(base *ir.Value, baseExpr cc.ExpressionNode, arrow bool) *ir.Type {
	t := base.Type
	if t.IsUnknown() {
		t = l.env.exprType(baseExpr, l)
	}
	if arrow {
		t = t.Pointee()
	}
	if t.IsStructOrUnion() {
		return t
	}
	return nil
}

func (l *funcLowerer) member(x *cc.PostfixExpression) *ir.Value {
	arrow := x.Case == cc.PostfixExpressionPSelect
	base := l.value(x.PostfixExpression)
	if arrow {
		l.deref(base, x)
	}
	field := string(x.Token2.Src())
	v := &ir.Value{Kind: ir.FieldVal, Base: base, Field: field, Arrow: arrow, Text: exprText(x)}
	if st := l.structOf(base, x.PostfixExpression, arrow); st != nil {
		v.StructType = st.Tag
		if f, _, ok := st.FieldByName(field); ok {
			v.Type = f.Type
		}
	}
	return v
}

func (l *funcLowerer) unary(x *cc.UnaryExpression) *ir.Value {
	switch x.Case {
	case cc.UnaryExpressionPostfix:
		return l.value(x.PostfixExpression)
	case cc.UnaryExpressionInc, cc.UnaryExpressionDec:
		v := l.value(x.UnaryExpression)
		l.emit(ir.Event{Kind: ir.EvAssign, Pos: l.u.pos(x.Position()), Dst: v, Src: &ir.Value{Kind: ir.Unknown, Text: exprText(x), Type: v.Type}})
		return &ir.Value{Kind: ir.Unknown, Text: exprText(x), Type: v.Type}
	case cc.UnaryExpressionAddrof:
		v := l.value(x.CastExpression)
		if v.Kind == ir.FuncVal {
			return v // &f is f
		}
		return &ir.Value{Kind: ir.AddrVal, Base: v, Type: pointerTo(v.Type), Text: exprText(x)}
	case cc.UnaryExpressionDeref:
		v := l.value(x.CastExpression)
		if v.Kind == ir.FuncVal {
			return v // *f is f
		}
		l.deref(v, x)
		return &ir.Value{Kind: ir.DerefVal, Base: v, Type: v.Type.Pointee(), Text: exprText(x)}
	case cc.UnaryExpressionPlus:
		return l.value(x.CastExpression)
	case cc.UnaryExpressionMinus, cc.UnaryExpressionCpl, cc.UnaryExpressionNot:
		v := l.value(x.CastExpression)
		if v.Kind == ir.ConstVal {
			switch x.Case {
			case cc.UnaryExpressionMinus:
				return constVal(-v.Const, x)
			case cc.UnaryExpressionCpl:
				return constVal(^v.Const, x)
			default:
				return constVal(b2i(v.Const == 0), x)
			}
		}
		return unknownVal(x)
	case cc.UnaryExpressionSizeofExpr, cc.UnaryExpressionSizeofType, cc.UnaryExpressionAlignofExpr, cc.UnaryExpressionAlignofType:
		// The operand is not evaluated.
		if c, ok := l.env.constValue(x); ok {
			return constVal(c, x)
		}
		return unknownVal(x)
	case cc.UnaryExpressionImag, cc.UnaryExpressionReal:
		l.value(x.UnaryExpression)
	}
	return unknownVal(x)
}

func (l *funcLowerer) binary(e cc.ExpressionNode, op cc.Token, a, b cc.ExpressionNode) *ir.Value {
	va := l.value(a)
	vb := l.value(b)
	if va.Kind == ir.ConstVal && vb.Kind == ir.ConstVal {
		if c, ok := foldBinary(string(op.Src()), va.Const, vb.Const); ok {
			return constVal(c, e)
		}
	}
	return unknownVal(e)
}

// shortCircuit lowers && and || in value context as branches (the right
// operand's events happen only on its path); the value is unknown unless
// the condition folds.
func (l *funcLowerer) shortCircuit(e cc.ExpressionNode) *ir.Value {
	t, f := l.newBlock(), l.newBlock()
	join := l.newBlock()
	l.cond(e, t, f)
	l.cur = t
	l.jump(join)
	l.cur = f
	l.jump(join)
	l.cur = join
	switch {
	case l.preds[t] == 0:
		return constVal(0, e)
	case l.preds[f] == 0:
		return constVal(1, e)
	}
	return unknownVal(e)
}

// conditional lowers c ? a : b (and GNU's c ?: b) as a branch.
func (l *funcLowerer) conditional(x *cc.ConditionalExpression) *ir.Value {
	t, f := l.newBlock(), l.newBlock()
	join := l.newBlock()
	var vt *ir.Value
	if x.ExpressionList == nil {
		c := l.value(x.LogicalOrExpression)
		l.branchOn(c, x.LogicalOrExpression, t, f)
		vt = c
		l.cur = t
	} else {
		l.cond(x.LogicalOrExpression, t, f)
		l.cur = t
		vt = l.value(x.ExpressionList)
	}
	l.jump(join)
	l.cur = f
	vf := l.value(x.ConditionalExpression)
	l.jump(join)
	l.cur = join
	switch {
	case l.preds[t] == 0:
		return vf
	case l.preds[f] == 0:
		return vt
	case vt.Kind != ir.Unknown && vt.Key() == vf.Key():
		return vt
	}
	return unknownVal(x)
}

func (l *funcLowerer) assignment(x *cc.AssignmentExpression) *ir.Value {
	lhs := l.value(x.UnaryExpression)
	rhs := l.value(x.AssignmentExpression)
	pos := l.u.pos(x.Token.Position())
	if x.Case == cc.AssignmentExpressionAssign {
		l.assign(lhs, rhs, pos)
	} else {
		l.emit(ir.Event{Kind: ir.EvAssign, Pos: pos, Dst: lhs, Src: &ir.Value{Kind: ir.Unknown, Text: exprText(x), Type: lhs.Type}})
	}
	return lhs
}

// assign records dst = src: a call result just computed becomes the
// call's Dst; anything else an EvAssign. A function stored into a struct
// member is a FieldStore.
func (l *funcLowerer) assign(dst, src *ir.Value, pos ir.Pos) {
	if src.Kind == ir.ResultVal && l.lastCallPending(src.Call) {
		l.fn.Calls[src.Call].Dst = dst
		return
	}
	l.emit(ir.Event{Kind: ir.EvAssign, Pos: pos, Dst: dst, Src: src})
	if dst.Kind == ir.FieldVal && src.Kind == ir.FuncVal {
		l.u.unit.FieldStores = append(l.u.unit.FieldStores, ir.FieldStore{
			StructType: dst.StructType,
			Field:      dst.Field,
			Func:       src.Name,
			Static:     l.u.isStatic(src.Name),
			Pos:        pos,
		})
	}
}

// lastCallPending reports whether call id is the last event emitted and
// its result is not yet assigned.
func (l *funcLowerer) lastCallPending(id int) bool {
	c := l.fn.Calls[id]
	if c.Dst != nil || l.cur < 0 {
		return false
	}
	evs := l.fn.Blocks[l.cur].Events
	return len(evs) > 0 && evs[len(evs)-1].Kind == ir.EvCall && evs[len(evs)-1].Call == c
}

// call lowers a call: callee and arguments first (their events come
// before this call's), then the EvCall. Calls to noreturn functions end
// the block.
func (l *funcLowerer) call(x *cc.PostfixExpression) *ir.Value {
	ce := stripParensCasts(x.PostfixExpression)
	if u, ok := ce.(*cc.UnaryExpression); ok && u.Case == cc.UnaryExpressionDeref {
		ce = stripParensCasts(u.CastExpression) // (*fp)(...)
	}
	c := &ir.Call{Pos: l.u.pos(x.Position()), Text: exprText(x)}
	var result *ir.Type
	if id, ok := ce.(*cc.PrimaryExpression); ok && id.Case == cc.PrimaryExpressionIdent {
		name := string(id.Token.Src())
		b, bound := l.lookupBinding(name)
		switch {
		case bound && b.kind != bindFunc,
			!bound && (l.u.names[name].kind == nameObject || (l.u.names[name].kind == 0 && l.env.global(name) != nil)):
			c.Indirect = &ir.IndirectCallee{Var: name, Text: name}
			if v := l.value(ce); v.Type != nil {
				result = funcResult(v.Type)
			}
		default:
			c.Callee = name
			switch {
			case name == "__builtin_expect" || name == "__builtin_expect_with_probability":
				return l.builtinExpect(x)
			case name == "__builtin_choose_expr":
				return l.chooseExpr(x)
			case unevaluatedBuiltins[name]:
				return unknownVal(x)
			case name == "__builtin_alloca" || name == "alloca" || name == "__builtin_alloca_with_align":
				l.fn.HasAlloca = true
			}
			l.u.staticUsed[name] = true
			result = funcResult(l.env.function(name))
		}
	} else if sel, ok := ce.(*cc.PostfixExpression); ok && (sel.Case == cc.PostfixExpressionSelect || sel.Case == cc.PostfixExpressionPSelect) {
		fv := l.member(sel)
		c.Indirect = &ir.IndirectCallee{StructType: fv.StructType, Field: fv.Field, Text: exprText(sel)}
		result = funcResult(fv.Type)
	} else {
		v := l.value(ce)
		c.Indirect = &ir.IndirectCallee{Text: exprText(x.PostfixExpression)}
		if v.Kind == ir.FuncVal {
			c.Indirect, c.Callee = nil, v.Name
		}
		result = funcResult(v.Type)
	}
	for a := x.ArgumentExpressionList; a != nil; a = a.ArgumentExpressionList {
		c.Args = append(c.Args, l.value(a.AssignmentExpression))
	}
	c.ID = len(l.fn.Calls)
	l.fn.Calls = append(l.fn.Calls, c)
	l.emit(ir.Event{Kind: ir.EvCall, Pos: c.Pos, Call: c})
	v := &ir.Value{Kind: ir.ResultVal, Call: c.ID, Type: result, Text: c.Text}
	if c.Callee != "" && (noreturnFuncs[c.Callee] || l.u.names[c.Callee].noreturn) {
		l.setTerm(ir.Terminator{Kind: ir.NoReturn, Pos: c.Pos})
	}
	return v
}

// funcResult returns the result type of a function or function pointer
// type, nil when unknown.
func funcResult(t *ir.Type) *ir.Type {
	if t != nil && t.Kind == ir.PointerType {
		t = t.Elem
	}
	if t != nil && t.Kind == ir.FuncType {
		return t.Elem
	}
	return nil
}

func callArgs(x *cc.PostfixExpression) []cc.ExpressionNode {
	var args []cc.ExpressionNode
	for a := x.ArgumentExpressionList; a != nil; a = a.ArgumentExpressionList {
		args = append(args, a.AssignmentExpression)
	}
	return args
}

// builtinExpect is __builtin_expect(x, c): the value of x (likely() and
// unlikely() expand to it).
func (l *funcLowerer) builtinExpect(x *cc.PostfixExpression) *ir.Value {
	args := callArgs(x)
	if len(args) == 0 {
		return unknownVal(x)
	}
	v := l.value(args[0])
	for _, a := range args[1:] {
		l.value(a)
	}
	return v
}

// chooseExpr is __builtin_choose_expr(c, a, b): a compile-time selection;
// only the chosen operand is evaluated.
func (l *funcLowerer) chooseExpr(x *cc.PostfixExpression) *ir.Value {
	args := callArgs(x)
	if len(args) != 3 {
		return unknownVal(x)
	}
	c, ok := l.constExpr(args[0])
	if !ok {
		if v := l.value(args[0]); v.Kind == ir.ConstVal {
			c, ok = v.Const, true
		}
	}
	if !ok {
		l.truncated(x, "__builtin_choose_expr with a condition kcheck cannot evaluate")
		return unknownVal(x)
	}
	if c != 0 {
		return l.value(args[1])
	}
	return l.value(args[2])
}

// stmtExpr lowers a statement expression ({ ...; last; }): every item but
// a trailing expression statement is lowered as a statement; k gets the
// trailing expression (nil if none) while the block's names are still in
// scope, to evaluate it in its own context (value or condition).
func (l *funcLowerer) stmtExpr(cs *cc.CompoundStatement, k func(last cc.ExpressionNode)) {
	if cs == nil {
		k(nil)
		return
	}
	parent := l.pushScope()
	var last cc.ExpressionNode
	for list := cs.BlockItemList; list != nil; list = list.BlockItemList {
		bi := list.BlockItem
		if list.BlockItemList == nil && bi != nil && bi.Case == cc.BlockItemStmt && bi.Statement != nil &&
			bi.Statement.Case == cc.StatementExpr && bi.Statement.ExpressionStatement != nil {
			last = bi.Statement.ExpressionStatement.ExpressionList
			break
		}
		l.blockItem(bi)
	}
	k(last)
	l.popScope(parent)
}

// --- conditions ----------------------------------------------------------

// cond lowers e as a branch condition: control continues at t when e is
// true and at f otherwise. It normalises as ir.Cond documents and folds
// constant conditions into a jump.
func (l *funcLowerer) cond(e cc.ExpressionNode, t, f int) {
	e = stripParens(e)
	switch x := e.(type) {
	case *cc.UnaryExpression:
		switch x.Case {
		case cc.UnaryExpressionNot:
			l.cond(x.CastExpression, f, t)
			return
		case cc.UnaryExpressionPostfix:
			l.cond(x.PostfixExpression, t, f)
			return
		}
	case *cc.CastExpression:
		if x.Case == cc.CastExpressionUnary {
			l.cond(x.UnaryExpression, t, f)
		} else {
			l.cond(x.CastExpression, t, f)
		}
		return
	case *cc.PostfixExpression:
		if x.Case == cc.PostfixExpressionPrimary {
			l.cond(x.PrimaryExpression, t, f)
			return
		}
		if x.Case == cc.PostfixExpressionCall {
			if id, ok := stripParens(x.PostfixExpression).(*cc.PrimaryExpression); ok && id.Case == cc.PrimaryExpressionIdent {
				if n := string(id.Token.Src()); (n == "__builtin_expect" || n == "__builtin_expect_with_probability") && x.ArgumentExpressionList != nil {
					if _, bound := l.lookupBinding(n); !bound {
						l.cond(x.ArgumentExpressionList.AssignmentExpression, t, f)
						return
					}
				}
			}
		}
	case *cc.PrimaryExpression:
		if x.Case == cc.PrimaryExpressionStmt {
			l.stmtExpr(x.CompoundStatement, func(last cc.ExpressionNode) {
				if last == nil {
					l.branchOn(unknownVal(x), x, t, f)
					return
				}
				l.cond(last, t, f)
			})
			return
		}
	case *cc.LogicalAndExpression:
		if x.Case == cc.LogicalAndExpressionLAnd {
			mid := l.newBlock()
			l.cond(x.LogicalAndExpression, mid, f)
			l.cur = mid
			l.cond(x.InclusiveOrExpression, t, f)
			return
		}
		l.cond(x.InclusiveOrExpression, t, f)
		return
	case *cc.LogicalOrExpression:
		if x.Case == cc.LogicalOrExpressionLOr {
			mid := l.newBlock()
			l.cond(x.LogicalOrExpression, t, mid)
			l.cur = mid
			l.cond(x.LogicalAndExpression, t, f)
			return
		}
		l.cond(x.LogicalAndExpression, t, f)
		return
	case *cc.ConditionalExpression:
		if x.Case == cc.ConditionalExpressionCond && x.ExpressionList != nil {
			bt, bf := l.newBlock(), l.newBlock()
			l.cond(x.LogicalOrExpression, bt, bf)
			l.cur = bt
			l.cond(x.ExpressionList, t, f)
			l.cur = bf
			l.cond(x.ConditionalExpression, t, f)
			return
		}
		if x.Case == cc.ConditionalExpressionLOr {
			l.cond(x.LogicalOrExpression, t, f)
			return
		}
	case *cc.ExpressionList:
		for li := x; li != nil; li = li.ExpressionList {
			if li.ExpressionList == nil {
				l.cond(li.AssignmentExpression, t, f)
				return
			}
			l.value(li.AssignmentExpression)
		}
		return
	case *cc.AssignmentExpression:
		if x.Case == cc.AssignmentExpressionCond {
			l.cond(x.ConditionalExpression, t, f)
			return
		}
	case *cc.InclusiveOrExpression:
		if x.Case == cc.InclusiveOrExpressionXor {
			l.cond(x.ExclusiveOrExpression, t, f)
			return
		}
	case *cc.ExclusiveOrExpression:
		if x.Case == cc.ExclusiveOrExpressionAnd {
			l.cond(x.AndExpression, t, f)
			return
		}
	case *cc.AndExpression:
		if x.Case == cc.AndExpressionEq {
			l.cond(x.EqualityExpression, t, f)
			return
		}
	case *cc.EqualityExpression:
		switch x.Case {
		case cc.EqualityExpressionRel:
			l.cond(x.RelationalExpression, t, f)
		case cc.EqualityExpressionEq:
			l.compare(x, ir.Eq, x.EqualityExpression, x.RelationalExpression, t, f)
		default:
			l.compare(x, ir.Ne, x.EqualityExpression, x.RelationalExpression, t, f)
		}
		return
	case *cc.RelationalExpression:
		switch x.Case {
		case cc.RelationalExpressionShift:
			l.cond(x.ShiftExpression, t, f)
		case cc.RelationalExpressionLt:
			l.compare(x, ir.Lt, x.RelationalExpression, x.ShiftExpression, t, f)
		case cc.RelationalExpressionGt:
			l.compare(x, ir.Gt, x.RelationalExpression, x.ShiftExpression, t, f)
		case cc.RelationalExpressionLeq:
			l.compare(x, ir.Le, x.RelationalExpression, x.ShiftExpression, t, f)
		case cc.RelationalExpressionGeq:
			l.compare(x, ir.Ge, x.RelationalExpression, x.ShiftExpression, t, f)
		}
		return
	case *cc.ShiftExpression:
		if x.Case == cc.ShiftExpressionAdd {
			l.cond(x.AdditiveExpression, t, f)
			return
		}
	case *cc.AdditiveExpression:
		if x.Case == cc.AdditiveExpressionMul {
			l.cond(x.MultiplicativeExpression, t, f)
			return
		}
	case *cc.MultiplicativeExpression:
		if x.Case == cc.MultiplicativeExpressionCast {
			l.cond(x.CastExpression, t, f)
			return
		}
	case *cc.ConstantExpression:
		l.cond(x.ConditionalExpression, t, f)
		return
	}
	l.branchOn(l.value(e), e, t, f)
}

// mirror swaps a comparison's operands: c < x is x > c.
var mirror = [...]ir.CondOp{ir.Truth: ir.Truth, ir.Eq: ir.Eq, ir.Ne: ir.Ne, ir.Lt: ir.Gt, ir.Le: ir.Ge, ir.Gt: ir.Lt, ir.Ge: ir.Le, ir.Opaque: ir.Opaque}

func (l *funcLowerer) compare(e cc.ExpressionNode, op ir.CondOp, a, b cc.ExpressionNode, t, f int) {
	va := l.value(a)
	vb := l.value(b)
	if va.Kind == ir.ConstVal && vb.Kind == ir.ConstVal {
		if evalCmp(op, va.Const, vb.Const) {
			l.jump(t)
		} else {
			l.jump(f)
		}
		return
	}
	if va.Kind == ir.ConstVal {
		va, vb, op = vb, va, mirror[op]
	}
	l.branch(&ir.Cond{Op: op, X: va, Y: vb, Pos: l.u.pos(e.Position()), Text: exprText(e)}, t, f)
}

func evalCmp(op ir.CondOp, a, b int64) bool {
	switch op {
	case ir.Eq:
		return a == b
	case ir.Ne:
		return a != b
	case ir.Lt:
		return a < b
	case ir.Le:
		return a <= b
	case ir.Gt:
		return a > b
	case ir.Ge:
		return a >= b
	}
	return a != 0
}

// branchOn branches on the truth of a value: folded when constant, Truth
// for a variable, member, call result and the like, Opaque for computed
// values the IR does not model (x & FLAG).
func (l *funcLowerer) branchOn(v *ir.Value, e cc.Node, t, f int) {
	if v.Kind == ir.ConstVal {
		if v.Const != 0 {
			l.jump(t)
		} else {
			l.jump(f)
		}
		return
	}
	op := ir.Truth
	if v.Kind == ir.Unknown {
		op = ir.Opaque
	}
	l.branch(&ir.Cond{Op: op, X: v, Pos: l.u.pos(e.Position()), Text: exprText(e)}, t, f)
}

func (l *funcLowerer) branch(c *ir.Cond, t, f int) {
	if t == f {
		l.block()
		l.jump(t)
		return
	}
	l.block()
	l.setTerm(ir.Terminator{Kind: ir.Branch, Succs: []int{t, f}, Cond: c, Pos: c.Pos})
}

// --- constants -----------------------------------------------------------

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func foldBinary(op string, a, b int64) (int64, bool) {
	switch op {
	case "+":
		return a + b, true
	case "-":
		return a - b, true
	case "*":
		return a * b, true
	case "/":
		if b == 0 {
			return 0, false
		}
		return a / b, true
	case "%":
		if b == 0 {
			return 0, false
		}
		return a % b, true
	case "<<":
		if b < 0 || b > 63 {
			return 0, false
		}
		return a << uint(b), true
	case ">>":
		if b < 0 || b > 63 {
			return 0, false
		}
		return a >> uint(b), true
	case "&":
		return a & b, true
	case "|":
		return a | b, true
	case "^":
		return a ^ b, true
	case "<":
		return b2i(a < b), true
	case ">":
		return b2i(a > b), true
	case "<=":
		return b2i(a <= b), true
	case ">=":
		return b2i(a >= b), true
	case "==":
		return b2i(a == b), true
	case "!=":
		return b2i(a != b), true
	case "&&":
		return b2i(a != 0 && b != 0), true
	case "||":
		return b2i(a != 0 || b != 0), true
	}
	return 0, false
}

// truncInt converts a constant to an integer type of the given size.
func truncInt(c int64, t *ir.Type) int64 {
	if t.Size <= 0 || t.Size >= 8 {
		return c
	}
	bits := uint(t.Size * 8)
	c &= (1 << bits) - 1
	if t.Signed && c&(1<<(bits-1)) != 0 {
		c -= 1 << bits
	}
	return c
}

// constExpr evaluates an integer constant expression without emitting
// events: the type layer first (enum constants, sizeof), then kcheck's
// own folding of literals and operators.
func (l *funcLowerer) constExpr(e cc.ExpressionNode) (int64, bool) {
	if e == nil {
		return 0, false
	}
	if c, ok := l.env.constValue(e); ok {
		return c, true
	}
	return l.fold(e)
}

func (l *funcLowerer) fold(e cc.ExpressionNode) (int64, bool) {
	bin := func(op cc.Token, a, b cc.ExpressionNode) (int64, bool) {
		x, ok := l.fold(a)
		if !ok {
			return 0, false
		}
		y, ok := l.fold(b)
		if !ok {
			return 0, false
		}
		return foldBinary(string(op.Src()), x, y)
	}
	switch x := e.(type) {
	case *cc.PrimaryExpression:
		switch x.Case {
		case cc.PrimaryExpressionInt:
			return intLiteral(string(x.Token.Src()))
		case cc.PrimaryExpressionChar:
			return charLiteral(string(x.Token.Src()))
		case cc.PrimaryExpressionExpr:
			if _, isList := x.ExpressionList.(*cc.ExpressionList); !isList {
				return l.fold(x.ExpressionList)
			}
		case cc.PrimaryExpressionIdent:
			if _, bound := l.lookupBinding(string(x.Token.Src())); !bound {
				return l.env.constValue(x)
			}
		}
	case *cc.PostfixExpression:
		if x.Case == cc.PostfixExpressionPrimary {
			return l.fold(x.PrimaryExpression)
		}
	case *cc.UnaryExpression:
		switch x.Case {
		case cc.UnaryExpressionPostfix:
			return l.fold(x.PostfixExpression)
		case cc.UnaryExpressionPlus:
			return l.fold(x.CastExpression)
		case cc.UnaryExpressionMinus, cc.UnaryExpressionCpl, cc.UnaryExpressionNot:
			c, ok := l.fold(x.CastExpression)
			if !ok {
				return 0, false
			}
			switch x.Case {
			case cc.UnaryExpressionMinus:
				return -c, true
			case cc.UnaryExpressionCpl:
				return ^c, true
			}
			return b2i(c == 0), true
		case cc.UnaryExpressionSizeofExpr, cc.UnaryExpressionSizeofType, cc.UnaryExpressionAlignofExpr, cc.UnaryExpressionAlignofType:
			return l.env.constValue(x)
		}
	case *cc.CastExpression:
		if x.Case == cc.CastExpressionUnary {
			return l.fold(x.UnaryExpression)
		}
		return l.fold(x.CastExpression)
	case *cc.MultiplicativeExpression:
		if x.Case == cc.MultiplicativeExpressionCast {
			return l.fold(x.CastExpression)
		}
		return bin(x.Token, x.MultiplicativeExpression, x.CastExpression)
	case *cc.AdditiveExpression:
		if x.Case == cc.AdditiveExpressionMul {
			return l.fold(x.MultiplicativeExpression)
		}
		return bin(x.Token, x.AdditiveExpression, x.MultiplicativeExpression)
	case *cc.ShiftExpression:
		if x.Case == cc.ShiftExpressionAdd {
			return l.fold(x.AdditiveExpression)
		}
		return bin(x.Token, x.ShiftExpression, x.AdditiveExpression)
	case *cc.RelationalExpression:
		if x.Case == cc.RelationalExpressionShift {
			return l.fold(x.ShiftExpression)
		}
		return bin(x.Token, x.RelationalExpression, x.ShiftExpression)
	case *cc.EqualityExpression:
		if x.Case == cc.EqualityExpressionRel {
			return l.fold(x.RelationalExpression)
		}
		return bin(x.Token, x.EqualityExpression, x.RelationalExpression)
	case *cc.AndExpression:
		if x.Case == cc.AndExpressionEq {
			return l.fold(x.EqualityExpression)
		}
		return bin(x.Token, x.AndExpression, x.EqualityExpression)
	case *cc.ExclusiveOrExpression:
		if x.Case == cc.ExclusiveOrExpressionAnd {
			return l.fold(x.AndExpression)
		}
		return bin(x.Token, x.ExclusiveOrExpression, x.AndExpression)
	case *cc.InclusiveOrExpression:
		if x.Case == cc.InclusiveOrExpressionXor {
			return l.fold(x.ExclusiveOrExpression)
		}
		return bin(x.Token, x.InclusiveOrExpression, x.ExclusiveOrExpression)
	case *cc.LogicalAndExpression:
		if x.Case == cc.LogicalAndExpressionOr {
			return l.fold(x.InclusiveOrExpression)
		}
		return bin(x.Token, x.LogicalAndExpression, x.InclusiveOrExpression)
	case *cc.LogicalOrExpression:
		if x.Case == cc.LogicalOrExpressionLAnd {
			return l.fold(x.LogicalAndExpression)
		}
		return bin(x.Token, x.LogicalOrExpression, x.LogicalAndExpression)
	case *cc.ConditionalExpression:
		if x.Case == cc.ConditionalExpressionLOr {
			return l.fold(x.LogicalOrExpression)
		}
		c, ok := l.fold(x.LogicalOrExpression)
		if !ok || x.ExpressionList == nil {
			return 0, false
		}
		if c != 0 {
			return l.fold(x.ExpressionList)
		}
		return l.fold(x.ConditionalExpression)
	case *cc.ConstantExpression:
		return l.fold(x.ConditionalExpression)
	case *cc.AssignmentExpression:
		if x.Case == cc.AssignmentExpressionCond {
			return l.fold(x.ConditionalExpression)
		}
	}
	return 0, false
}

// readsVariable reports whether an expression reads a parameter or local
// outside sizeof/alignof, or calls something: then it is not a constant
// (a VLA bound).
func (l *funcLowerer) readsVariable(e cc.Node) bool {
	found := false
	var walk func(n cc.Node)
	walk = func(n cc.Node) {
		if found || n == nil {
			return
		}
		switch x := n.(type) {
		case *cc.PrimaryExpression:
			switch x.Case {
			case cc.PrimaryExpressionIdent:
				if b, ok := l.lookupBinding(string(x.Token.Src())); ok && (b.kind == bindParam || b.kind == bindLocal) {
					found = true
				}
			case cc.PrimaryExpressionExpr:
				walk(x.ExpressionList)
			case cc.PrimaryExpressionStmt:
				found = true
			}
		case *cc.PostfixExpression:
			if x.Case == cc.PostfixExpressionCall {
				found = true
				return
			}
			walk(x.PrimaryExpression)
			walk(x.PostfixExpression)
			walk(x.ExpressionList)
		case *cc.UnaryExpression:
			switch x.Case {
			case cc.UnaryExpressionSizeofExpr, cc.UnaryExpressionSizeofType, cc.UnaryExpressionAlignofExpr, cc.UnaryExpressionAlignofType:
				return
			}
			walk(x.PostfixExpression)
			walk(x.UnaryExpression)
			walk(x.CastExpression)
		case *cc.CastExpression:
			walk(x.UnaryExpression)
			walk(x.CastExpression)
		case *cc.MultiplicativeExpression:
			walk(x.MultiplicativeExpression)
			walk(x.CastExpression)
		case *cc.AdditiveExpression:
			walk(x.AdditiveExpression)
			walk(x.MultiplicativeExpression)
		case *cc.ShiftExpression:
			walk(x.ShiftExpression)
			walk(x.AdditiveExpression)
		case *cc.RelationalExpression:
			walk(x.RelationalExpression)
			walk(x.ShiftExpression)
		case *cc.EqualityExpression:
			walk(x.EqualityExpression)
			walk(x.RelationalExpression)
		case *cc.AndExpression:
			walk(x.AndExpression)
			walk(x.EqualityExpression)
		case *cc.ExclusiveOrExpression:
			walk(x.ExclusiveOrExpression)
			walk(x.AndExpression)
		case *cc.InclusiveOrExpression:
			walk(x.InclusiveOrExpression)
			walk(x.ExclusiveOrExpression)
		case *cc.LogicalAndExpression:
			walk(x.LogicalAndExpression)
			walk(x.InclusiveOrExpression)
		case *cc.LogicalOrExpression:
			walk(x.LogicalOrExpression)
			walk(x.LogicalAndExpression)
		case *cc.ConditionalExpression:
			walk(x.LogicalOrExpression)
			walk(x.ExpressionList)
			walk(x.ConditionalExpression)
		case *cc.AssignmentExpression:
			walk(x.ConditionalExpression)
			walk(x.UnaryExpression)
			walk(x.AssignmentExpression)
		case *cc.ExpressionList:
			for li := x; li != nil; li = li.ExpressionList {
				walk(li.AssignmentExpression)
			}
		case *cc.ConstantExpression:
			walk(x.ConditionalExpression)
		}
	}
	walk(e)
	return found
}
