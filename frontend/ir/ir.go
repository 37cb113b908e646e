// Package ir is kcheck's intermediate representation of a kernel translation
// unit: what every checker reads. It is produced by package frontend from the
// cc/v4 AST and imports nothing from cc/v4, so checkers and the call graph
// depend only on this package.
//
// A function is a control-flow graph of basic blocks. Each block holds a
// sequence of events (calls, assignments, dereferences) and ends in one
// terminator (jump, two-way branch on a condition, switch, return). Values in
// events are symbolic: a parameter, a local, a field path through either, a
// constant, the address of one of those, or the result of an earlier call.
// What the front end could not resolve is a Value of kind Unknown (with its
// spelling kept in Text), never a dropped function.
//
// Positions are source positions: the file relative to the kernel tree root
// (as the compiler's line markers name it), 1-based line and column.
package ir

import "fmt"

// Pos is a position in a source file. File is relative to the kernel tree
// root when the file is inside it, absolute otherwise. Col is 1-based and
// counts bytes from the start of the line as the preprocessor kept it.
type Pos struct {
	File string
	Line int
	Col  int
}

// IsValid reports whether p names a place.
func (p Pos) IsValid() bool { return p.File != "" && p.Line > 0 }

func (p Pos) String() string {
	if !p.IsValid() {
		return "-"
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Unit is one translation unit lowered to IR: the .c file, its functions and
// the unit-level facts the whole-program phase needs.
type Unit struct {
	// File is the .c file relative to the tree root.
	File string
	// Funcs are the function definitions that survived pruning (bodies in
	// headers outside the analysed directories are dropped), in source order.
	Funcs []*Func
	// FieldStores are function pointers stored into struct fields by
	// designated (or positional) initializers and by assignments.
	FieldStores []FieldStore
	// Globals are file-scope variable definitions and declarations of this
	// unit whose type is a lock or contains one, and every definition of
	// this unit's own file (not headers).
	Globals []Global
	// StaticFuncs are the functions declared static in the unit that it
	// calls or stores (sorted), for keying them by file in the call graph.
	StaticFuncs []string
	// Problems are functions (or declarations) the lowering could not
	// handle, one line each ("hub_event: panic: ..."); the rest of the unit
	// is still lowered.
	Problems []string
}

// Global is a file-scope variable.
type Global struct {
	Name   string
	Static bool
	Type   *Type
	Pos    Pos
}

// FieldStore records that function Func is stored into field Field of
// struct (or union) StructType, for resolving indirect calls through that
// field.
type FieldStore struct {
	StructType string // tag, e.g. "usb_driver"; typedef names are resolved to the tag
	Field      string
	Func       string
	// Static is true when Func is a static function of this unit.
	Static bool
	Pos    Pos
}

// Func is one function definition.
type Func struct {
	Name   string
	Static bool
	Inline bool
	// NoInline and AlwaysInline record __attribute__((noinline)) (also
	// what noinline_for_stack expands to) and ((always_inline)).
	NoInline, AlwaysInline bool
	// File is the file the definition is in (a .c file or a header inside
	// the analysed directories), relative to the tree root.
	File string
	// Unit is the translation unit's .c file; for a static function in a
	// header it differs from File.
	Unit   string
	Pos    Pos // the function name in the definition
	EndPos Pos // closing brace
	Result *Type
	Params []Param
	Locals []Local
	// Scopes are the lexical block scopes; Scopes[0] is the function body.
	Scopes []Scope
	// Blocks are the CFG's basic blocks; Blocks[0] is the entry block.
	// Blocks unreachable from the entry may exist (code after a return).
	Blocks []*Block
	// Calls lists every call event in the function, indexed by Call.ID.
	Calls []*Call
	// HasAlloca is set when __builtin_alloca (alloca) is called; together
	// with a VLA local it makes the frame unbounded.
	HasAlloca bool
	// Asm is set when the body contains inline assembly.
	Asm bool
	// Truncated is set when lowering gave up on part of the body (a
	// construct it does not model); the CFG is then approximate there.
	Truncated []string
}

// Param is a function parameter.
type Param struct {
	Name string
	Type *Type
}

// Local is an automatic (block-scope, non-static) variable.
type Local struct {
	Name  string
	Type  *Type
	Scope int // index into Func.Scopes
	Pos   Pos
	// VLA is set for a variable-length array: its size is not known.
	VLA bool
	// Static locals live in .data/.bss, not on the stack; they are not listed.
}

// Scope is a lexical block ({ ... }) of a function body.
type Scope struct {
	Parent int // -1 for the function body
}

// Block is a basic block.
type Block struct {
	ID     int
	Events []Event
	Term   Terminator
	// Loop is set on the header block of a loop (the block a back edge
	// enters).
	Loop bool
}

// TermKind is the kind of a block terminator.
type TermKind uint8

const (
	// Jump continues at Succs[0]. A block with no successor and kind Jump
	// ends in a call to a noreturn function (BUG(), panic) or falls off.
	Jump TermKind = iota
	// Branch continues at Succs[0] when Cond holds and at Succs[1] when it
	// does not.
	Branch
	// Switch continues at Succs[i] for Cases[i]; Succs[len(Cases)] is the
	// default (or the block after the switch when there is none).
	Switch
	// Return leaves the function, with Value when the return has one.
	Return
	// NoReturn ends in a call that does not return (BUG, panic, do_exit).
	NoReturn
)

func (k TermKind) String() string {
	switch k {
	case Jump:
		return "jump"
	case Branch:
		return "branch"
	case Switch:
		return "switch"
	case Return:
		return "return"
	case NoReturn:
		return "noreturn"
	}
	return fmt.Sprintf("TermKind(%d)", k)
}

// Terminator ends a block.
type Terminator struct {
	Kind  TermKind
	Succs []int
	// Cond is the branch condition (Kind == Branch).
	Cond *Cond
	// Value is the switch operand (Kind == Switch) or the returned value
	// (Kind == Return; nil for a plain return).
	Value *Value
	// Cases are the case labels of a switch; a range case lo ... hi is
	// recorded as lo with CaseHi hi.
	Cases  []int64
	CaseHi []int64
	Pos    Pos
}

// EventKind is the kind of an event.
type EventKind uint8

const (
	// EvCall is a call; Event.Call is set.
	EvCall EventKind = iota
	// EvAssign is an assignment Dst = Src that is not the result of a call
	// (those are EvCall with Call.Dst set).
	EvAssign
	// EvDeref is a dereference of a variable: p->f, *p, p[i] (Src is the
	// pointer). Emitted once per expression, for use-after-release checks.
	EvDeref
)

// Event is one thing that happens in a block, in evaluation order (calls in
// arguments come before the call that takes them).
type Event struct {
	Kind EventKind
	Pos  Pos
	Call *Call
	Dst  *Value // EvAssign
	Src  *Value // EvAssign, EvDeref
}

// Call is one call site.
type Call struct {
	ID int // index into Func.Calls
	// Callee is the called function's name for a direct call ("" when
	// indirect).
	Callee string
	// Indirect is set for a call through a function pointer.
	Indirect *IndirectCallee
	Args     []*Value
	// Dst is where the result is assigned (ret = f(...), or the initialised
	// local of a declaration), nil when the result is discarded or used
	// only inside an expression (then a Value of kind Result refers to it).
	Dst *Value
	Pos Pos
	// Text is the call's spelling as the preprocessed source has it,
	// shortened; for messages.
	Text string
}

// IndirectCallee describes the function pointer an indirect call goes
// through.
type IndirectCallee struct {
	// StructType and Field are set for a call through a struct member
	// (ops->probe(...)): the tag of the struct and the member name. An
	// unresolved struct type is "".
	StructType string
	Field      string
	// Var is set for a call through a variable or parameter (fn(...)).
	Var string
	// Text is the spelling of the callee expression.
	Text string
}

// ValueKind is the kind of a symbolic value.
type ValueKind uint8

const (
	Unknown ValueKind = iota
	// ParamVal is parameter Name (index Index).
	ParamVal
	// LocalVal is local variable Name (Local index Index).
	LocalVal
	// GlobalVal is a file-scope variable Name.
	GlobalVal
	// FieldVal is member Field of Base (Base->Field when Arrow, else
	// Base.Field); StructType is the tag of the struct that has the member.
	FieldVal
	// IndexVal is Base[...] (any index): an element of an array.
	IndexVal
	// DerefVal is *Base.
	DerefVal
	// AddrVal is &Base.
	AddrVal
	// ConstVal is an integer constant Const (NULL is 0).
	ConstVal
	// StringVal is a string literal.
	StringVal
	// FuncVal is the function Name used as a value (a function pointer).
	FuncVal
	// ResultVal is the result of call Call (an index into Func.Calls).
	ResultVal
)

// Value is a symbolic value.
type Value struct {
	Kind  ValueKind
	Name  string
	Index int
	Base  *Value
	Field string
	Arrow bool
	// StructType is the tag of the struct or union that has Field
	// (FieldVal), "" when the front end could not resolve it.
	StructType string
	Const      int64
	Call       int
	// Type is the static type of the value, nil when unknown.
	Type *Type
	// Text is the value's spelling in the source, for messages and as the
	// fallback identity of an unknown value.
	Text string
}

// Root returns the variable a value is built on (following Field, Index,
// Deref and Addr), or nil.
func (v *Value) Root() *Value {
	for v != nil {
		switch v.Kind {
		case FieldVal, IndexVal, DerefVal, AddrVal:
			v = v.Base
		default:
			return v
		}
	}
	return nil
}

// IsVar reports whether v is a parameter, local or global variable.
func (v *Value) IsVar() bool {
	return v != nil && (v.Kind == ParamVal || v.Kind == LocalVal || v.Kind == GlobalVal)
}

// Key is a canonical spelling of v for comparing values within one
// function: two values with the same Key denote the same storage (or the
// same constant) on paths where no assignment in between changed it.
func (v *Value) Key() string {
	if v == nil {
		return "<nil>"
	}
	switch v.Kind {
	case ParamVal, LocalVal, GlobalVal:
		return v.Name
	case FieldVal:
		if v.Arrow {
			return v.Base.Key() + "->" + v.Field
		}
		return v.Base.Key() + "." + v.Field
	case IndexVal:
		return v.Base.Key() + "[]"
	case DerefVal:
		return "*" + v.Base.Key()
	case AddrVal:
		return "&" + v.Base.Key()
	case ConstVal:
		return fmt.Sprint(v.Const)
	case FuncVal:
		return "func " + v.Name
	case ResultVal:
		return fmt.Sprintf("call#%d", v.Call)
	case StringVal:
		return v.Text
	}
	return "?" + v.Text
}

func (v *Value) String() string {
	if v == nil {
		return "<nil>"
	}
	if v.Text != "" {
		return v.Text
	}
	return v.Key()
}

// CondOp is the operator of a branch condition.
type CondOp uint8

const (
	// Truth: X != 0 (a pointer is non-NULL, a call result is true).
	Truth CondOp = iota
	Eq           // X == Y
	Ne           // X != Y
	Lt           // X < Y
	Le           // X <= Y
	Gt           // X > Y
	Ge           // X >= Y
	// Opaque is a condition the front end did not model (X may be nil).
	Opaque
)

func (op CondOp) String() string {
	return [...]string{"truth", "==", "!=", "<", "<=", ">", ">=", "opaque"}[op]
}

// Cond is a branch condition. The front end normalises conditions: `!x`
// becomes Truth with the successors swapped, unlikely()/likely() and `!!`
// are looked through, a constant on the left is moved to the right (`0 > r`
// is `r < 0`), and && and || become separate branches.
type Cond struct {
	Op   CondOp
	X, Y *Value
	Pos  Pos
	Text string
}
