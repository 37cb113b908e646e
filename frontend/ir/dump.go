package ir

import (
	"fmt"
	"strings"
)

// DumpOptions selects what a dump shows. Golden tests usually leave
// positions and types out so they do not change with unrelated edits or
// with how much the type layer resolves.
type DumpOptions struct {
	// Pos adds source positions to functions, locals, events and
	// terminators.
	Pos bool
	// Types adds parameter, local and result types, and the struct type of
	// member accesses and indirect calls.
	Types bool
}

// DumpUnit returns a deterministic textual form of a unit: its functions
// in order, then field stores, globals, static functions and problems.
// The same IR always gives the same bytes, for golden tests and for
// --dump-ir.
func DumpUnit(u *Unit, opt DumpOptions) string {
	var b strings.Builder
	fmt.Fprintf(&b, "unit %s\n", u.File)
	for _, f := range u.Funcs {
		b.WriteString(DumpFunc(f, opt))
	}
	for _, s := range u.FieldStores {
		st := s.StructType
		if st == "" {
			st = "?"
		}
		fmt.Fprintf(&b, "store %s.%s = %s", st, s.Field, s.Func)
		if s.Static {
			b.WriteString(" static")
		}
		if opt.Pos {
			fmt.Fprintf(&b, " @%s", s.Pos)
		}
		b.WriteByte('\n')
	}
	for _, g := range u.Globals {
		fmt.Fprintf(&b, "global %s", g.Name)
		if g.Static {
			b.WriteString(" static")
		}
		if opt.Types {
			fmt.Fprintf(&b, " %s", g.Type)
		}
		if opt.Pos {
			fmt.Fprintf(&b, " @%s", g.Pos)
		}
		b.WriteByte('\n')
	}
	if len(u.StaticFuncs) > 0 {
		fmt.Fprintf(&b, "static funcs %s\n", strings.Join(u.StaticFuncs, " "))
	}
	for _, p := range u.Problems {
		fmt.Fprintf(&b, "problem %s\n", p)
	}
	return b.String()
}

// DumpFunc returns a deterministic textual form of one function:
//
//	func NAME [static] [inline] [alloca] [asm]
//	  param 0 NAME
//	  local 0 NAME scope 1 [vla]
//	  b0 [loop]:
//	    call#0 f(%p, $x) -> $ret
//	    assign $x = 0
//	    deref %p
//	    branch $ret < 0 ? b1 : b2
//
// Values are spelled with their kind: %param, $local, @global, fn:func,
// call#N for a call result, plain integers for constants, "string" for
// literals, ?{text} for an unknown value; members, indexing, * and & are
// built on those (%p->f, $a[], *%p, &$x).
func DumpFunc(f *Func, opt DumpOptions) string {
	var b strings.Builder
	fmt.Fprintf(&b, "func %s", f.Name)
	if f.Static {
		b.WriteString(" static")
	}
	if f.Inline {
		b.WriteString(" inline")
	}
	if f.HasAlloca {
		b.WriteString(" alloca")
	}
	if f.Asm {
		b.WriteString(" asm")
	}
	if opt.Types {
		fmt.Fprintf(&b, " -> %s", f.Result)
	}
	if opt.Pos {
		fmt.Fprintf(&b, " @%s..%s", f.Pos, f.EndPos)
	}
	b.WriteByte('\n')
	for i, p := range f.Params {
		fmt.Fprintf(&b, "  param %d %s", i, p.Name)
		if opt.Types {
			fmt.Fprintf(&b, " %s", p.Type)
		}
		b.WriteByte('\n')
	}
	for i, l := range f.Locals {
		fmt.Fprintf(&b, "  local %d %s scope %d", i, l.Name, l.Scope)
		if l.VLA {
			b.WriteString(" vla")
		}
		if opt.Types {
			fmt.Fprintf(&b, " %s", l.Type)
		}
		if opt.Pos {
			fmt.Fprintf(&b, " @%s", l.Pos)
		}
		b.WriteByte('\n')
	}
	if len(f.Scopes) > 1 {
		b.WriteString("  scopes")
		for i, s := range f.Scopes {
			fmt.Fprintf(&b, " %d<%d", i, s.Parent)
		}
		b.WriteByte('\n')
	}
	for _, t := range f.Truncated {
		fmt.Fprintf(&b, "  truncated %s\n", t)
	}
	for _, bl := range f.Blocks {
		fmt.Fprintf(&b, "  b%d", bl.ID)
		if bl.Loop {
			b.WriteString(" loop")
		}
		b.WriteString(":\n")
		for _, ev := range bl.Events {
			b.WriteString("    ")
			b.WriteString(dumpEvent(ev, opt))
			if opt.Pos {
				fmt.Fprintf(&b, " @%s", ev.Pos)
			}
			b.WriteByte('\n')
		}
		b.WriteString("    ")
		b.WriteString(dumpTerm(bl.Term, opt))
		if opt.Pos && bl.Term.Pos.IsValid() {
			fmt.Fprintf(&b, " @%s", bl.Term.Pos)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func dumpEvent(ev Event, opt DumpOptions) string {
	switch ev.Kind {
	case EvCall:
		return DumpCall(ev.Call, opt)
	case EvAssign:
		return "assign " + DumpValue(ev.Dst, opt) + " = " + DumpValue(ev.Src, opt)
	case EvDeref:
		return "deref " + DumpValue(ev.Src, opt)
	}
	return fmt.Sprintf("event(%d)", ev.Kind)
}

// DumpCall spells a call event: call#ID callee(args) [-> dst]. An
// indirect callee is *[struct.field], *%var or *{text}.
func DumpCall(c *Call, opt DumpOptions) string {
	if c == nil {
		return "call <nil>"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "call#%d ", c.ID)
	switch ic := c.Indirect; {
	case ic == nil:
		b.WriteString(c.Callee)
	case ic.Field != "":
		st := "?"
		if opt.Types && ic.StructType != "" {
			st = ic.StructType
		}
		fmt.Fprintf(&b, "*[%s.%s]", st, ic.Field)
	case ic.Var != "":
		fmt.Fprintf(&b, "*%s", ic.Var)
	default:
		fmt.Fprintf(&b, "*{%s}", ic.Text)
	}
	b.WriteByte('(')
	for i, a := range c.Args {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(DumpValue(a, opt))
	}
	b.WriteByte(')')
	if c.Dst != nil {
		b.WriteString(" -> ")
		b.WriteString(DumpValue(c.Dst, opt))
	}
	return b.String()
}

func dumpTerm(t Terminator, opt DumpOptions) string {
	succ := func(i int) string {
		if i < len(t.Succs) {
			return fmt.Sprintf("b%d", t.Succs[i])
		}
		return "b?"
	}
	switch t.Kind {
	case Jump:
		if len(t.Succs) == 0 {
			return "end"
		}
		return "jump " + succ(0)
	case Branch:
		return "branch " + DumpCond(t.Cond, opt) + " ? " + succ(0) + " : " + succ(1)
	case Switch:
		var b strings.Builder
		b.WriteString("switch " + DumpValue(t.Value, opt) + " [")
		for i, c := range t.Cases {
			if i < len(t.CaseHi) && t.CaseHi[i] != c {
				fmt.Fprintf(&b, "%d...%d: %s, ", c, t.CaseHi[i], succ(i))
			} else {
				fmt.Fprintf(&b, "%d: %s, ", c, succ(i))
			}
		}
		b.WriteString("default: " + succ(len(t.Cases)) + "]")
		return b.String()
	case Return:
		if t.Value == nil {
			return "return"
		}
		return "return " + DumpValue(t.Value, opt)
	case NoReturn:
		return "noreturn"
	}
	return t.Kind.String()
}

// DumpCond spells a condition: truth X, X op Y, or opaque{text}.
func DumpCond(c *Cond, opt DumpOptions) string {
	if c == nil {
		return "<nil>"
	}
	switch c.Op {
	case Truth:
		return DumpValue(c.X, opt)
	case Opaque:
		return "opaque{" + c.Text + "}"
	}
	return DumpValue(c.X, opt) + " " + c.Op.String() + " " + DumpValue(c.Y, opt)
}

// DumpValue spells a value with its kind (see DumpFunc).
func DumpValue(v *Value, opt DumpOptions) string {
	if v == nil {
		return "<nil>"
	}
	switch v.Kind {
	case ParamVal:
		return "%" + v.Name
	case LocalVal:
		return "$" + v.Name
	case GlobalVal:
		return "@" + v.Name
	case FieldVal:
		sep := "."
		if v.Arrow {
			sep = "->"
		}
		s := DumpValue(v.Base, opt) + sep + v.Field
		if opt.Types && v.StructType != "" {
			s += "{" + v.StructType + "}"
		}
		return s
	case IndexVal:
		return DumpValue(v.Base, opt) + "[]"
	case DerefVal:
		return "*" + DumpValue(v.Base, opt)
	case AddrVal:
		return "&" + DumpValue(v.Base, opt)
	case ConstVal:
		return fmt.Sprint(v.Const)
	case StringVal:
		return v.Text
	case FuncVal:
		return "fn:" + v.Name
	case ResultVal:
		return fmt.Sprintf("call#%d", v.Call)
	}
	return "?{" + v.Text + "}"
}
