package frontend

import (
	"kcheck/frontend/ir"

	"modernc.org/cc/v4"
)

// bindKind says what a block-scope name denotes.
type bindKind uint8

const (
	bindParam  bindKind = iota + 1
	bindLocal           // automatic variable: ir.LocalVal
	bindStatic          // static or extern object declared in the body: ir.GlobalVal
	bindFunc            // function declared in the body
)

type binding struct {
	kind  bindKind
	index int
	typ   *ir.Type
}

// funcLowerer lowers one function body. Blocks are created lazily: cur is
// -1 while no code is reachable (after a return, goto, break), and the
// next event starts a fresh (unreachable) block, so dead code is kept but
// no empty blocks pile up.
type funcLowerer struct {
	u   *unitLowerer
	env *typeEnv
	fn  *ir.Func
	cur int

	scope int // index of the innermost open ir.Scope
	// bindings maps a block-scope name to its visible declarations,
	// innermost last; scopeNames lists what each open scope bound, for
	// popping.
	bindings   map[string][]binding
	scopeNames [][]string

	preds       []int           // number of jumps into each block so far
	labels      map[string]int  // label -> block
	labelPlaced map[string]bool // label seen (a later goto is a back edge)
	brk, cont   []*lazyBlock
	sw          *switchCtx
}

// lazyBlock is a jump target created on first use (break and continue
// targets of loops whose condition may make them unnecessary).
type lazyBlock struct {
	id   int
	used bool
}

func (l *funcLowerer) target(b *lazyBlock) int {
	if b.id < 0 {
		b.id = l.newBlock()
	}
	b.used = true
	return b.id
}

// switchCtx collects the case labels of the switch being lowered.
type switchCtx struct {
	cases, caseHi []int64
	succs         []int
	dflt          int
	// constant is set when the switch operand is a constant: only the
	// matching case (or the default) is a successor.
	constant bool
	value    int64
}

// lowerFunc lowers one function definition to an ir.Func.
func (u *unitLowerer) lowerFunc(fd *cc.FunctionDefinition, name string, sc specInfo) *ir.Func {
	d := fd.Declarator
	pos := u.pos(d.NameTok().Position())
	fn := &ir.Func{
		Name:         name,
		Static:       u.isStatic(name),
		Inline:       sc.inline,
		NoInline:     sc.noinline,
		AlwaysInline: sc.alwaysInline,
		File:         pos.File,
		Unit:         u.cfg.unitFile,
		Pos:          pos,
		Result:       ir.UnknownT,
		Scopes:       []ir.Scope{{Parent: -1}},
	}
	if cs := fd.CompoundStatement; cs != nil {
		fn.EndPos = u.pos(cs.Token2.Position())
	}
	l := &funcLowerer{
		u:           u,
		env:         u.env,
		fn:          fn,
		cur:         -1,
		bindings:    map[string][]binding{},
		scopeNames:  [][]string{nil},
		labels:      map[string]int{},
		labelPlaced: map[string]bool{},
	}
	if ft := u.env.declType(fd.DeclarationSpecifiers, d); ft != nil && ft.Kind == ir.FuncType && ft.Elem != nil {
		fn.Result = ft.Elem
	}
	l.params(d)
	l.cur = l.newBlock()
	if fd.CompoundStatement != nil {
		l.blockItems(fd.CompoundStatement.BlockItemList)
	}
	if l.cur >= 0 {
		l.setTerm(ir.Terminator{Kind: ir.Return, Pos: fn.EndPos})
	}
	compactCFG(fn)
	return fn
}

// params binds the parameters of the function declarator.
func (l *funcLowerer) params(d *cc.Declarator) {
	k, dd := nearestDerivation(d)
	if k != derivFunc || dd == nil {
		return
	}
	if dd.Case == cc.DirectDeclaratorFuncIdent {
		for il := dd.IdentifierList; il != nil; il = il.IdentifierList {
			name := string(il.Token2.Src())
			if name == "" {
				name = string(il.Token.Src())
			}
			l.addParam(name, ir.UnknownT)
		}
		return
	}
	if dd.ParameterTypeList == nil {
		return
	}
	for pl := dd.ParameterTypeList.ParameterList; pl != nil; pl = pl.ParameterList {
		pd := pl.ParameterDeclaration
		if pd == nil {
			continue
		}
		if pd.Declarator == nil {
			// An unnamed parameter; (void) declares none.
			if pd.AbstractDeclarator == nil && pl.ParameterList == nil && len(l.fn.Params) == 0 && isVoidSpec(pd.DeclarationSpecifiers) {
				return
			}
			l.fn.Params = append(l.fn.Params, ir.Param{Type: ir.UnknownT})
			continue
		}
		l.addParam(pd.Declarator.Name(), l.env.declType(pd.DeclarationSpecifiers, pd.Declarator))
	}
}

func (l *funcLowerer) addParam(name string, t *ir.Type) {
	if t == nil {
		t = ir.UnknownT
	}
	l.fn.Params = append(l.fn.Params, ir.Param{Name: name, Type: t})
	l.bind(name, binding{kind: bindParam, index: len(l.fn.Params) - 1, typ: t})
}

func isVoidSpec(ds *cc.DeclarationSpecifiers) bool {
	void := false
	for ; ds != nil; ds = ds.DeclarationSpecifiers {
		switch ds.Case {
		case cc.DeclarationSpecifiersTypeSpec:
			if ds.TypeSpecifier == nil || ds.TypeSpecifier.Case != cc.TypeSpecifierVoid {
				return false
			}
			void = true
		case cc.DeclarationSpecifiersTypeQual, cc.DeclarationSpecifiersAttr:
		default:
			return false
		}
	}
	return void
}

// --- scopes and bindings -------------------------------------------------

func (l *funcLowerer) bind(name string, b binding) {
	if name == "" {
		return
	}
	l.bindings[name] = append(l.bindings[name], b)
	top := len(l.scopeNames) - 1
	l.scopeNames[top] = append(l.scopeNames[top], name)
}

func (l *funcLowerer) lookupBinding(name string) (binding, bool) {
	if bs := l.bindings[name]; len(bs) > 0 {
		return bs[len(bs)-1], true
	}
	return binding{}, false
}

// lookup implements typeScope for env.exprType.
func (l *funcLowerer) lookup(name string) *ir.Type {
	if b, ok := l.lookupBinding(name); ok && b.kind != bindFunc {
		return b.typ
	}
	return nil
}

// pushScope opens a new lexical scope (a compound statement, a statement
// expression, a for declaration) and returns the parent to restore.
func (l *funcLowerer) pushScope() int {
	parent := l.scope
	l.fn.Scopes = append(l.fn.Scopes, ir.Scope{Parent: parent})
	l.scope = len(l.fn.Scopes) - 1
	l.scopeNames = append(l.scopeNames, nil)
	return parent
}

func (l *funcLowerer) popScope(parent int) {
	top := len(l.scopeNames) - 1
	for _, name := range l.scopeNames[top] {
		bs := l.bindings[name]
		if len(bs) == 1 {
			delete(l.bindings, name)
		} else {
			l.bindings[name] = bs[:len(bs)-1]
		}
	}
	l.scopeNames = l.scopeNames[:top]
	l.scope = parent
}

// --- blocks --------------------------------------------------------------

func (l *funcLowerer) newBlock() int {
	id := len(l.fn.Blocks)
	l.fn.Blocks = append(l.fn.Blocks, &ir.Block{ID: id})
	l.preds = append(l.preds, 0)
	return id
}

// block returns the current block, starting an unreachable one if none.
func (l *funcLowerer) block() *ir.Block {
	if l.cur < 0 {
		l.cur = l.newBlock()
	}
	return l.fn.Blocks[l.cur]
}

func (l *funcLowerer) emit(ev ir.Event) {
	b := l.block()
	b.Events = append(b.Events, ev)
}

// setTerm ends the current block (if code is reachable or the block has
// events) with t.
func (l *funcLowerer) setTerm(t ir.Terminator) {
	if l.cur < 0 {
		return
	}
	l.termOn(l.cur, t)
	l.cur = -1
}

// termOn sets block b's terminator, counting the edges it adds.
func (l *funcLowerer) termOn(b int, t ir.Terminator) {
	for _, s := range t.Succs {
		l.preds[s]++
	}
	l.fn.Blocks[b].Term = t
}

func (l *funcLowerer) jump(to int) {
	l.setTerm(ir.Terminator{Kind: ir.Jump, Succs: []int{to}})
}

// startBlock continues at block b, falling through from the current one.
func (l *funcLowerer) startBlock(b int) {
	if l.cur >= 0 && l.cur != b {
		l.jump(b)
	}
	l.cur = b
}

func (l *funcLowerer) truncated(n cc.Node, what string) {
	l.fn.Truncated = append(l.fn.Truncated, l.u.pos(n.Position()).String()+": "+what)
}

// --- statements ----------------------------------------------------------

func (l *funcLowerer) compound(cs *cc.CompoundStatement) {
	if cs == nil {
		return
	}
	parent := l.pushScope()
	l.blockItems(cs.BlockItemList)
	l.popScope(parent)
}

func (l *funcLowerer) blockItems(list *cc.BlockItemList) {
	for ; list != nil; list = list.BlockItemList {
		l.blockItem(list.BlockItem)
	}
}

func (l *funcLowerer) blockItem(bi *cc.BlockItem) {
	if bi == nil {
		return
	}
	switch bi.Case {
	case cc.BlockItemDecl:
		l.declaration(bi.Declaration)
	case cc.BlockItemStmt:
		l.stmt(bi.Statement)
	case cc.BlockItemFuncDef:
		l.truncated(bi.Declarator, "nested function "+bi.Declarator.Name()+" not lowered")
		l.bind(bi.Declarator.Name(), binding{kind: bindFunc})
	case cc.BlockItemLabel:
		// __label__ declarations only scope label names.
	}
}

func (l *funcLowerer) stmt(s *cc.Statement) {
	if s == nil {
		return
	}
	switch s.Case {
	case cc.StatementLabeled:
		l.labeled(s.LabeledStatement)
	case cc.StatementCompound:
		l.compound(s.CompoundStatement)
	case cc.StatementExpr:
		if es := s.ExpressionStatement; es != nil && es.ExpressionList != nil {
			l.effect(es.ExpressionList)
		}
	case cc.StatementSelection:
		l.selection(s.SelectionStatement)
	case cc.StatementIteration:
		l.iteration(s.IterationStatement)
	case cc.StatementJump:
		l.jumpStmt(s.JumpStatement)
	case cc.StatementAsm:
		if s.AsmStatement != nil {
			l.asm(s.AsmStatement.Asm)
		}
	}
}

func (l *funcLowerer) labeled(ls *cc.LabeledStatement) {
	if ls == nil {
		return
	}
	switch ls.Case {
	case cc.LabeledStatementLabel:
		name := string(ls.Token.Src())
		b := l.labelBlock(name)
		l.startBlock(b)
		l.labelPlaced[name] = true
	case cc.LabeledStatementCaseLabel, cc.LabeledStatementRange, cc.LabeledStatementDefault:
		b := l.newBlock()
		l.startBlock(b)
		if l.sw == nil {
			l.truncated(ls, "case label outside switch")
			break
		}
		if ls.Case == cc.LabeledStatementDefault {
			l.sw.dflt = b
			break
		}
		lo, ok := l.constExpr(ls.ConstantExpression)
		hi := lo
		if ls.Case == cc.LabeledStatementRange {
			var ok2 bool
			hi, ok2 = l.constExpr(ls.ConstantExpression2)
			ok = ok && ok2
		}
		if !ok {
			l.truncated(ls, "case value "+exprText(ls.ConstantExpression)+" not constant to kcheck")
		}
		l.sw.cases = append(l.sw.cases, lo)
		l.sw.caseHi = append(l.sw.caseHi, hi)
		l.sw.succs = append(l.sw.succs, b)
	}
	l.stmt(ls.Statement)
}

func (l *funcLowerer) labelBlock(name string) int {
	b, ok := l.labels[name]
	if !ok {
		b = l.newBlock()
		l.labels[name] = b
	}
	return b
}

func (l *funcLowerer) selection(ss *cc.SelectionStatement) {
	if ss == nil {
		return
	}
	switch ss.Case {
	case cc.SelectionStatementIf, cc.SelectionStatementIfElse:
		then := l.newBlock()
		join := l.newBlock()
		els := join
		if ss.Case == cc.SelectionStatementIfElse {
			els = l.newBlock()
		}
		l.cond(ss.ExpressionList, then, els)
		l.cur = then
		l.stmt(ss.Statement)
		l.jump(join)
		if ss.Case == cc.SelectionStatementIfElse {
			l.cur = els
			l.stmt(ss.Statement2)
			l.jump(join)
		}
		l.cur = join
	case cc.SelectionStatementSwitch:
		v := l.value(ss.ExpressionList)
		l.block()
		headID := l.cur
		pos := l.u.pos(ss.Token.Position())
		l.cur = -1
		ctx := &switchCtx{dflt: -1}
		if v.Kind == ir.ConstVal {
			ctx.constant, ctx.value = true, v.Const
		}
		exit := &lazyBlock{id: -1}
		saved := l.sw
		l.sw = ctx
		l.brk = append(l.brk, exit)
		l.stmt(ss.Statement)
		l.brk = l.brk[:len(l.brk)-1]
		l.sw = saved
		if l.cur >= 0 {
			l.jump(l.target(exit))
		}
		dflt := ctx.dflt
		if dflt < 0 {
			dflt = l.target(exit)
		}
		if ctx.constant {
			to := dflt
			for i := range ctx.cases {
				if ctx.cases[i] <= ctx.value && ctx.value <= ctx.caseHi[i] {
					to = ctx.succs[i]
					break
				}
			}
			l.termOn(headID, ir.Terminator{Kind: ir.Jump, Succs: []int{to}, Pos: pos})
		} else {
			l.termOn(headID, ir.Terminator{
				Kind:   ir.Switch,
				Succs:  append(ctx.succs, dflt),
				Value:  v,
				Cases:  ctx.cases,
				CaseHi: ctx.caseHi,
				Pos:    pos,
			})
		}
		if exit.id >= 0 {
			l.cur = exit.id
		}
	}
}

func (l *funcLowerer) iteration(is *cc.IterationStatement) {
	if is == nil {
		return
	}
	switch is.Case {
	case cc.IterationStatementWhile:
		l.loop(is.ExpressionList, nil, is.Statement)
	case cc.IterationStatementFor:
		if is.ExpressionList != nil {
			l.effect(is.ExpressionList)
		}
		l.loop(is.ExpressionList2, is.ExpressionList3, is.Statement)
	case cc.IterationStatementForDecl:
		parent := l.pushScope()
		l.declaration(is.Declaration)
		l.loop(is.ExpressionList, is.ExpressionList2, is.Statement)
		l.popScope(parent)
	case cc.IterationStatementDo:
		l.doWhile(is)
	}
}

// loop lowers while and for loops: header (condition, Loop flag when a
// back edge reaches it), body, step. A constant-true condition leaves the
// loop only through break; a constant-false one makes the body dead code
// with no back edge.
func (l *funcLowerer) loop(cond, step cc.ExpressionNode, body *cc.Statement) {
	header := l.newBlock()
	l.startBlock(header)
	bodyB := l.newBlock()
	exit := &lazyBlock{id: -1}
	if cond == nil {
		l.jump(bodyB)
	} else {
		l.cond(cond, bodyB, l.target(exit))
	}
	cont := &lazyBlock{id: -1}
	l.brk = append(l.brk, exit)
	l.cont = append(l.cont, cont)
	l.cur = bodyB
	l.stmt(body)
	l.brk = l.brk[:len(l.brk)-1]
	l.cont = l.cont[:len(l.cont)-1]
	bodyReached := l.preds[bodyB] > 0
	if l.cur >= 0 || cont.used {
		if cont.used {
			l.startBlock(cont.id)
		}
		if step != nil {
			l.effect(step)
		}
		if l.cur >= 0 && bodyReached {
			l.jump(header)
			l.fn.Blocks[header].Loop = true
		} else {
			// Dead body (constant-false condition): no back edge.
			l.jump(l.target(exit))
		}
	}
	l.cur = -1
	if exit.id >= 0 {
		l.cur = exit.id
	}
}

// doWhile lowers do { } while (c). The kernel's do { } while (0) macro
// wrapper continues in the current block: no body block, no back edge,
// break and continue targets created only if used.
func (l *funcLowerer) doWhile(is *cc.IterationStatement) {
	if v, ok := l.constExpr(is.ExpressionList); ok && v == 0 {
		exit := &lazyBlock{id: -1}
		l.brk = append(l.brk, exit)
		l.cont = append(l.cont, exit)
		l.stmt(is.Statement)
		l.brk = l.brk[:len(l.brk)-1]
		l.cont = l.cont[:len(l.cont)-1]
		if exit.id >= 0 {
			l.startBlock(exit.id)
		}
		return
	}
	body := l.newBlock()
	l.startBlock(body)
	exit := &lazyBlock{id: -1}
	cont := &lazyBlock{id: -1}
	l.brk = append(l.brk, exit)
	l.cont = append(l.cont, cont)
	l.stmt(is.Statement)
	l.brk = l.brk[:len(l.brk)-1]
	l.cont = l.cont[:len(l.cont)-1]
	if cont.used {
		l.startBlock(cont.id)
	}
	if l.cur >= 0 {
		before := l.preds[body]
		l.cond(is.ExpressionList, body, l.target(exit))
		if l.preds[body] > before {
			l.fn.Blocks[body].Loop = true
		}
	}
	l.cur = -1
	if exit.id >= 0 {
		l.cur = exit.id
	}
}

func (l *funcLowerer) jumpStmt(js *cc.JumpStatement) {
	if js == nil {
		return
	}
	pos := l.u.pos(js.Token.Position())
	switch js.Case {
	case cc.JumpStatementGoto:
		name := string(js.Token2.Src())
		b := l.labelBlock(name)
		if l.cur >= 0 && l.labelPlaced[name] {
			l.fn.Blocks[b].Loop = true
		}
		l.setTerm(ir.Terminator{Kind: ir.Jump, Succs: []int{b}, Pos: pos})
	case cc.JumpStatementGotoExpr:
		l.value(js.ExpressionList)
		l.truncated(js, "computed goto")
		l.block()
		l.setTerm(ir.Terminator{Kind: ir.Jump, Pos: pos})
	case cc.JumpStatementBreak:
		if len(l.brk) == 0 {
			l.truncated(js, "break outside loop or switch")
			l.setTerm(ir.Terminator{Kind: ir.Jump, Pos: pos})
			return
		}
		if l.cur >= 0 {
			l.setTerm(ir.Terminator{Kind: ir.Jump, Succs: []int{l.target(l.brk[len(l.brk)-1])}, Pos: pos})
		}
	case cc.JumpStatementContinue:
		if len(l.cont) == 0 {
			l.truncated(js, "continue outside loop")
			l.setTerm(ir.Terminator{Kind: ir.Jump, Pos: pos})
			return
		}
		if l.cur >= 0 {
			l.setTerm(ir.Terminator{Kind: ir.Jump, Succs: []int{l.target(l.cont[len(l.cont)-1])}, Pos: pos})
		}
	case cc.JumpStatementReturn:
		var v *ir.Value
		if js.ExpressionList != nil {
			v = l.value(js.ExpressionList)
		}
		l.block()
		l.setTerm(ir.Terminator{Kind: ir.Return, Value: v, Pos: pos})
	}
}

// asm records inline assembly: its operands are evaluated (outputs are
// assigned an unknown value), and asm goto's labels become successors.
func (l *funcLowerer) asm(a *cc.Asm) {
	if a == nil {
		return
	}
	l.fn.Asm = true
	isGoto := false
	for q := a.AsmQualifierList; q != nil; q = q.AsmQualifierList {
		if q.AsmQualifier != nil && q.AsmQualifier.Case == cc.AsmQualifierGoto {
			isGoto = true
		}
	}
	pos := l.u.pos(a.Token.Position())
	var labels []int
	section := 0
	for al := a.AsmArgList; al != nil; al = al.AsmArgList {
		for el := al.AsmExpressionList; el != nil; el = el.AsmExpressionList {
			e := asmOperand(el.AssignmentExpression)
			if e == nil {
				continue
			}
			switch section {
			case 0: // outputs
				dst := l.value(e)
				l.emit(ir.Event{Kind: ir.EvAssign, Pos: pos, Dst: dst, Src: &ir.Value{Kind: ir.Unknown, Text: "asm"}})
			case 1: // inputs
				l.value(e)
			case 3: // goto labels
				if name := funcNameOf(e); name != "" && isGoto {
					labels = append(labels, l.labelBlock(name))
				}
			}
		}
		section++
	}
	if len(labels) == 0 {
		return
	}
	l.block()
	next := l.newBlock()
	if len(labels) == 1 {
		l.setTerm(ir.Terminator{Kind: ir.Branch, Succs: []int{labels[0], next}, Pos: pos,
			Cond: &ir.Cond{Op: ir.Opaque, X: &ir.Value{Kind: ir.Unknown, Text: "asm goto"}, Pos: pos, Text: "asm goto"}})
	} else {
		cases := make([]int64, len(labels))
		for i := range cases {
			cases[i] = int64(i + 1)
		}
		l.setTerm(ir.Terminator{Kind: ir.Switch, Succs: append(labels, next), Cases: cases, CaseHi: cases,
			Value: &ir.Value{Kind: ir.Unknown, Text: "asm goto"}, Pos: pos})
	}
	l.cur = next
}

// asmOperand returns the C expression of an asm operand: cc.Parse reads
// `"=r" (x)` as a call of the constraint string; the operand is its
// argument. Goto labels come as plain identifiers.
func asmOperand(e cc.ExpressionNode) cc.ExpressionNode {
	pe, ok := e.(*cc.PostfixExpression)
	if !ok || pe.Case != cc.PostfixExpressionCall {
		return e
	}
	if s, ok := stripParens(pe.PostfixExpression).(*cc.PrimaryExpression); ok && s.Case == cc.PrimaryExpressionString {
		if pe.ArgumentExpressionList == nil {
			return nil
		}
		return pe.ArgumentExpressionList.AssignmentExpression
	}
	return e
}

// --- declarations ----------------------------------------------------------

// declaration lowers a block-scope declaration: locals get an ir.Local
// (automatic storage only) and their initializers become assignment or
// call events.
func (l *funcLowerer) declaration(d *cc.Declaration) {
	if d == nil {
		return
	}
	switch d.Case {
	case cc.DeclarationAssert:
		return
	case cc.DeclarationAuto:
		if d.Declarator == nil {
			return
		}
		var v *ir.Value
		if d.Initializer != nil && d.Initializer.Case == cc.InitializerExpr {
			v = l.value(d.Initializer.AssignmentExpression)
		}
		t := ir.UnknownT
		if v != nil && v.Type != nil {
			t = v.Type
		}
		dst := l.addLocal(d.Declarator, t, false)
		if v != nil {
			l.assign(dst, v, l.u.pos(d.Declarator.NameTok().Position()))
		}
		return
	}
	sc := scanSpecifiers(d.DeclarationSpecifiers)
	for list := d.InitDeclaratorList; list != nil; list = list.InitDeclaratorList {
		id := list.InitDeclarator
		if id == nil || id.Declarator == nil {
			continue
		}
		decl := id.Declarator
		name := decl.Name()
		switch {
		case sc.typedef:
			l.env.declTypeIn(d.DeclarationSpecifiers, decl, l)
			continue
		case declaresFunction(decl):
			l.bind(name, binding{kind: bindFunc})
			continue
		}
		t := l.env.declTypeIn(d.DeclarationSpecifiers, decl, l)
		if t == nil {
			t = ir.UnknownT
		}
		if sc.static || sc.extern {
			l.bind(name, binding{kind: bindStatic, typ: t})
			if id.Initializer != nil && id.Initializer.Case == cc.InitializerInitList {
				it := t
				if it.IsUnknown() {
					it = syntacticType(sc.tag, sc.tagKind, decl)
				}
				w := initWalker{u: l.u, isFunc: l.isFuncName}
				w.list(it, id.Initializer.InitializerList)
			}
			continue
		}
		dst := l.addLocal(decl, t, l.isVLA(decl))
		if id.Initializer == nil {
			continue
		}
		pos := l.u.pos(decl.NameTok().Position())
		switch id.Initializer.Case {
		case cc.InitializerExpr:
			l.assign(dst, l.value(id.Initializer.AssignmentExpression), pos)
		case cc.InitializerInitList:
			l.initList(id.Initializer.InitializerList)
			it := t
			if it.IsUnknown() {
				it = syntacticType(sc.tag, sc.tagKind, decl)
			}
			w := initWalker{u: l.u, isFunc: l.isFuncName}
			w.list(it, id.Initializer.InitializerList)
			l.emit(ir.Event{Kind: ir.EvAssign, Pos: pos, Dst: dst, Src: &ir.Value{Kind: ir.Unknown, Text: "{...}", Type: t}})
		}
	}
}

func (l *funcLowerer) addLocal(decl *cc.Declarator, t *ir.Type, vla bool) *ir.Value {
	name := decl.Name()
	idx := len(l.fn.Locals)
	l.fn.Locals = append(l.fn.Locals, ir.Local{
		Name:  name,
		Type:  t,
		Scope: l.scope,
		Pos:   l.u.pos(decl.NameTok().Position()),
		VLA:   vla,
	})
	l.bind(name, binding{kind: bindLocal, index: idx, typ: t})
	return &ir.Value{Kind: ir.LocalVal, Name: name, Index: idx, Type: t, Text: name}
}

// initList evaluates the expressions of a brace initializer for their
// events (calls in initializers happen at the declaration).
func (l *funcLowerer) initList(il *cc.InitializerList) {
	for ; il != nil; il = il.InitializerList {
		if in := il.Initializer; in != nil {
			switch in.Case {
			case cc.InitializerExpr:
				l.value(in.AssignmentExpression)
			case cc.InitializerInitList:
				l.initList(in.InitializerList)
			}
		}
	}
}

// isFuncName reports whether name denotes a function at the current
// point of the body (not shadowed by a variable).
func (l *funcLowerer) isFuncName(name string) bool {
	if b, ok := l.lookupBinding(name); ok {
		return b.kind == bindFunc
	}
	return l.u.names[name].kind == nameFunc || (l.u.names[name].kind == 0 && l.env.function(name) != nil)
}

// isVLA reports whether a local's declarator has an array bound that is
// not a constant: one that reads a parameter or local (outside sizeof) or
// calls a function.
func (l *funcLowerer) isVLA(d *cc.Declarator) bool {
	for dd := d.DirectDeclarator; dd != nil; {
		switch dd.Case {
		case cc.DirectDeclaratorArr, cc.DirectDeclaratorStaticArr, cc.DirectDeclaratorArrStatic:
			if e := dd.AssignmentExpression; e != nil {
				if _, ok := l.constExpr(e); !ok && l.readsVariable(e) {
					return true
				}
			}
		case cc.DirectDeclaratorStar:
			return true
		case cc.DirectDeclaratorDecl:
			if dd.Declarator == nil {
				return false
			}
			return l.isVLA(dd.Declarator)
		case cc.DirectDeclaratorIdent:
			return false
		}
		dd = dd.DirectDeclarator
	}
	return false
}
