package frontend

import (
	"kcheck/frontend/ir"

	"modernc.org/cc/v4"
)

// initWalker finds the function pointers an initializer list stores into
// struct members (`.probe = hub_probe`, `{ f, g }` in member order, nested
// `.ops = { .x = f }`, arrays of structs) and records them as FieldStores:
// the call graph resolves ops->probe(...) through them.
type initWalker struct {
	u *unitLowerer
	// isFunc reports whether an identifier names a function (not shadowed
	// by a variable) where the initializer is.
	isFunc func(name string) bool
}

// list walks one brace-enclosed list initialising an object of type t
// (ir.UnknownT when unresolved: designated members are still recorded,
// with StructType "").
func (w *initWalker) list(t *ir.Type, il *cc.InitializerList) {
	if t == nil {
		t = ir.UnknownT
	}
	next := 0 // positional member (struct) index
	for ; il != nil; il = il.InitializerList {
		init := il.Initializer
		if init == nil {
			continue
		}
		var (
			container *ir.Type // struct or union holding the member, when one is
			field     string
			ft        = ir.UnknownT
		)
		if il.Designation != nil && il.Designation.DesignatorList != nil {
			ct := t
			for dl := il.Designation.DesignatorList; dl != nil; dl = dl.DesignatorList {
				d := dl.Designator
				if d == nil {
					continue
				}
				switch d.Case {
				case cc.DesignatorField, cc.DesignatorField2:
					name := string(d.Token2.Src())
					if d.Case == cc.DesignatorField2 {
						name = string(d.Token.Src())
					}
					container, field = ct, name
					ft = ir.UnknownT
					if ct.IsStructOrUnion() {
						if f, _, ok := ct.FieldByName(name); ok && f.Type != nil {
							ft = f.Type
						}
						if ct == t {
							next = fieldIndex(t, name) + 1
						}
					}
				case cc.DesignatorIndex, cc.DesignatorIndex2:
					container, field = nil, ""
					ft = ir.UnknownT
					if ct.Kind == ir.ArrayType && ct.Elem != nil {
						ft = ct.Elem
					}
				}
				ct = ft
			}
		} else {
			switch t.Kind {
			case ir.StructType, ir.UnionType:
				for next < len(t.Fields) && t.Fields[next].IsBitField && t.Fields[next].Name == "" {
					next++ // unnamed bit-fields take no initializer
				}
				if next < len(t.Fields) && (t.Kind == ir.StructType || next == 0) {
					f := &t.Fields[next]
					container, field, ft = t, f.Name, f.Type
					if ft == nil {
						ft = ir.UnknownT
					}
				}
				next++
			case ir.ArrayType:
				if t.Elem != nil {
					ft = t.Elem
				}
			}
		}
		switch init.Case {
		case cc.InitializerInitList:
			w.list(ft, init.InitializerList)
		case cc.InitializerExpr:
			w.expr(container, field, ft, init.AssignmentExpression)
		}
	}
}

// expr handles one initializer expression for member field of container.
func (w *initWalker) expr(container *ir.Type, field string, ft *ir.Type, e cc.ExpressionNode) {
	e = stripParensCasts(e)
	if pe, ok := e.(*cc.PostfixExpression); ok && pe.Case == cc.PostfixExpressionComplit {
		// .ops = (struct foo_ops){ ... }
		w.list(w.u.env.typeNameType(pe.TypeName), pe.InitializerList)
		return
	}
	if ue, ok := e.(*cc.UnaryExpression); ok && ue.Case == cc.UnaryExpressionAddrof {
		if pe, ok := stripParensCasts(ue.CastExpression).(*cc.PostfixExpression); ok && pe.Case == cc.PostfixExpressionComplit {
			// .ops = &(struct foo_ops){ ... }
			w.list(w.u.env.typeNameType(pe.TypeName), pe.InitializerList)
			return
		}
	}
	if field == "" || (container != nil && !container.IsUnknown() && !container.IsStructOrUnion()) {
		return
	}
	// A positional expression for an aggregate member is brace elision;
	// the expression then belongs to a sub-member, not to field.
	if container != nil && container.IsStructOrUnion() && (ft.IsStructOrUnion() || ft.Kind == ir.ArrayType) {
		return
	}
	name := funcNameOf(e)
	if name == "" || !w.isFunc(name) {
		return
	}
	tag := ""
	if container != nil {
		tag = container.Tag
	}
	w.u.staticUsed[name] = true
	w.u.unit.FieldStores = append(w.u.unit.FieldStores, ir.FieldStore{
		StructType: tag,
		Field:      field,
		Func:       name,
		Static:     w.u.isStatic(name),
		Pos:        w.u.pos(e.Position()),
	})
}

// fieldIndex returns the index of member name in t.Fields, or
// len(t.Fields) when it is not a direct member (then positional
// initializers after it are not attributed).
func fieldIndex(t *ir.Type, name string) int {
	for i := range t.Fields {
		if t.Fields[i].Name == name {
			return i
		}
	}
	return len(t.Fields)
}

// funcNameOf returns the identifier an initializer expression names,
// looking through parentheses, casts and &: the candidate function.
func funcNameOf(e cc.ExpressionNode) string {
	e = stripParensCasts(e)
	if ue, ok := e.(*cc.UnaryExpression); ok && ue.Case == cc.UnaryExpressionAddrof {
		e = stripParensCasts(ue.CastExpression)
	}
	if pe, ok := e.(*cc.PrimaryExpression); ok && pe.Case == cc.PrimaryExpressionIdent {
		return string(pe.Token.Src())
	}
	return ""
}

// stripParens removes redundant parentheses.
func stripParens(e cc.ExpressionNode) cc.ExpressionNode {
	for {
		pe, ok := e.(*cc.PrimaryExpression)
		if !ok || pe.Case != cc.PrimaryExpressionExpr || pe.ExpressionList == nil {
			return e
		}
		if _, isList := pe.ExpressionList.(*cc.ExpressionList); isList {
			return e
		}
		e = pe.ExpressionList
	}
}

// stripParensCasts removes parentheses and casts.
func stripParensCasts(e cc.ExpressionNode) cc.ExpressionNode {
	for {
		e = stripParens(e)
		ce, ok := e.(*cc.CastExpression)
		if !ok || ce.Case != cc.CastExpressionCast {
			return e
		}
		e = ce.CastExpression
	}
}
