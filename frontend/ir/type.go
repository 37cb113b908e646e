package ir

import (
	"fmt"
	"strings"
)

// TypeKind classifies a Type.
type TypeKind uint8

const (
	// UnknownType is a type the front end could not resolve. Its Size is
	// -1; users must treat it as unknown, not as zero.
	UnknownType TypeKind = iota
	VoidType
	IntType // integer, bool, enum and char types; Signed tells the sign
	FloatType
	PointerType
	ArrayType
	StructType
	UnionType
	FuncType
)

func (k TypeKind) String() string {
	return [...]string{"unknown", "void", "int", "float", "pointer", "array", "struct", "union", "func"}[k]
}

// Type is a C type as kcheck's tolerant type layer resolves it, with the
// x86_64 LP64 layout (sizes and alignments in bytes).
type Type struct {
	Kind   TypeKind
	Size   int64 // -1 when unknown (incomplete struct, unknown type, VLA)
	Align  int64
	Signed bool
	// Name is the spelling: "int", "unsigned long", "struct usb_hub".
	Name string
	// Tag is the struct, union or enum tag ("" for an anonymous one).
	Tag string
	// Elem is the pointee (PointerType), element (ArrayType) or result
	// (FuncType) type.
	Elem *Type
	// Len is an array's element count; -1 for a flexible or unknown
	// bound.
	Len int64
	// Fields are a struct's or union's members in declaration order;
	// members of anonymous struct/union members are reached through the
	// anonymous member (Field.Name == "").
	Fields []Field
	// Incomplete is set for a struct or union whose definition the unit
	// does not contain.
	Incomplete bool
	Packed     bool
	Variadic   bool
	Params     []*Type
}

// Field is one member of a struct or union.
type Field struct {
	Name   string
	Type   *Type
	Offset int64 // byte offset of the member (of its storage unit for bit-fields)
	// BitOffset and BitWidth describe a bit-field: BitOffset counts bits
	// from the start of the struct; BitWidth is 0 for ordinary members.
	BitOffset  int64
	BitWidth   int64
	IsBitField bool
}

// UnknownT is the shared unknown type.
var UnknownT = &Type{Kind: UnknownType, Size: -1, Name: "?"}

// IsUnknown reports whether t is nil or unknown.
func (t *Type) IsUnknown() bool { return t == nil || t.Kind == UnknownType }

// Pointee returns the type a pointer or array points to, or nil.
func (t *Type) Pointee() *Type {
	if t == nil || (t.Kind != PointerType && t.Kind != ArrayType) {
		return nil
	}
	return t.Elem
}

// IsStructOrUnion reports whether t is a struct or union type.
func (t *Type) IsStructOrUnion() bool {
	return t != nil && (t.Kind == StructType || t.Kind == UnionType)
}

// FieldByName finds member name of a struct or union, looking through
// anonymous members. It returns the member and the byte offset of it from
// the start of t.
func (t *Type) FieldByName(name string) (*Field, int64, bool) {
	if !t.IsStructOrUnion() {
		return nil, 0, false
	}
	for i := range t.Fields {
		f := &t.Fields[i]
		if f.Name == name {
			return f, f.Offset, true
		}
	}
	for i := range t.Fields {
		f := &t.Fields[i]
		if f.Name == "" && f.Type.IsStructOrUnion() {
			if g, off, ok := f.Type.FieldByName(name); ok {
				return g, f.Offset + off, true
			}
		}
	}
	return nil, 0, false
}

// HasTag reports whether t is a struct or union with the given tag.
func (t *Type) HasTag(tag string) bool { return t.IsStructOrUnion() && t.Tag == tag }

func (t *Type) String() string {
	if t == nil {
		return "?"
	}
	if t.Name != "" {
		return t.Name
	}
	switch t.Kind {
	case PointerType:
		return t.Elem.String() + " *"
	case ArrayType:
		if t.Len < 0 {
			return t.Elem.String() + "[]"
		}
		return fmt.Sprintf("%s[%d]", t.Elem, t.Len)
	case StructType, UnionType:
		if t.Tag == "" {
			return t.Kind.String() + " <anonymous>"
		}
		return t.Kind.String() + " " + t.Tag
	case FuncType:
		var ps []string
		for _, p := range t.Params {
			ps = append(ps, p.String())
		}
		return fmt.Sprintf("%s (%s)", t.Elem, strings.Join(ps, ", "))
	}
	return t.Kind.String()
}
