package frontend

import (
	"kcheck/frontend/ir"

	"modernc.org/cc/v4"
)

// tagRef returns the one type object of a struct or union tag, creating an
// incomplete one at its first mention; the definition completes it in
// place, so every earlier pointer to it sees the layout.
func (e *typeEnv) tagRef(tag string, union bool) *ir.Type {
	if t := e.tags[tag]; t != nil {
		return t
	}
	t := newIncomplete(tag, union)
	e.tags[tag] = t
	return t
}

func newIncomplete(tag string, union bool) *ir.Type {
	k, kw := ir.StructType, "struct "
	if union {
		k, kw = ir.UnionType, "union "
	}
	return &ir.Type{Kind: k, Size: -1, Align: 1, Tag: tag, Name: kw + tag, Incomplete: true}
}

// structType resolves a struct or union specifier, laying out a
// definition the first time it is met (memoised per definition node).
func (e *typeEnv) structType(n *cc.StructOrUnionSpecifier, sc typeScope) *ir.Type {
	if n == nil || n.StructOrUnion == nil {
		return ir.UnknownT
	}
	union := n.StructOrUnion.Case == cc.StructOrUnionUnion
	tag := n.Token.SrcStr()
	if n.Case == cc.StructOrUnionSpecifierTag {
		if tag == "" {
			return ir.UnknownT
		}
		return e.tagRef(tag, union)
	}
	if t, ok := e.structDefs[n]; ok {
		return t
	}
	var t *ir.Type
	if tag == "" {
		t = &ir.Type{}
	} else {
		t = e.tagRef(tag, union)
		if !t.Incomplete {
			// A second definition of the tag (a block-scope struct, or
			// a struct and a union sharing a tag): a new type from here.
			t = newIncomplete(tag, union)
			e.tags[tag] = t
		}
	}
	e.structDefs[n] = t
	e.layout(t, n, union, sc)
	return t
}

// layout computes a struct's or union's members, offsets, size and
// alignment with GCC's x86_64 rules (System V psABI, PCC_BITFIELD_TYPE_MATTERS):
//
//   - a member is placed at the next multiple of its alignment: its type's,
//     raised by aligned(N) or _Alignas on the member; packed (on the struct
//     or the member) makes it 1, or exactly N when the member also says
//     aligned(N);
//   - a non-packed bit-field moves to the next boundary of its type's
//     alignment only when it would otherwise span more alignment units of
//     its declared type than the type itself has; packed bit-fields are
//     laid end to end;
//   - a zero-width bit-field aligns the next member to its type's
//     alignment, packed or not; unnamed bit-fields do not raise the
//     struct's alignment, named ones raise it to their type's;
//   - a flexible array member takes no space but its element's alignment;
//   - #pragma pack(N) caps the alignment of members at N, aligned(N)
//     members included, and lays bit-fields end to end (zero-width ones
//     still align to their type);
//   - the size is rounded up to the alignment, which is the largest member
//     alignment raised by aligned(N) on the struct.
//
// A member whose type is unknown makes the struct's size unknown (-1) and
// the offsets of the members after it -1.
func (e *typeEnv) layout(t *ir.Type, n *cc.StructOrUnionSpecifier, union bool, sc typeScope) {
	pack := e.pack // #pragma pack caps member alignment (GCC's maximum_field_alignment)
	sa := e.attrs(n.AttributeSpecifierList)
	sa.merge(e.attrs(n.AttributeSpecifierList2))
	var (
		bitpos   int64 // next free bit (struct) or largest extent (union)
		maxAlign int64 = 1
		unknown  bool
		fields   []ir.Field
	)
	place := func(name string, ft *ir.Type, fa attrInfo, bitfield bool, width int64) {
		if unknown {
			fields = append(fields, ir.Field{Name: name, Type: ft, Offset: -1, BitOffset: -1, BitWidth: width, IsBitField: bitfield})
			return
		}
		packed := sa.packed || fa.packed
		if bitfield {
			tbits := ft.Size * 8
			talign := ft.Align * 8
			if ft.Kind != ir.IntType || ft.Size <= 0 || talign <= 0 || width < 0 || width > tbits {
				unknown = true
				fields = append(fields, ir.Field{Name: name, Type: ft, Offset: -1, BitOffset: -1, BitWidth: width, IsBitField: true})
				return
			}
			start := bitpos
			if union {
				start = 0
			}
			switch {
			case width == 0:
				// Not influenced by packed or #pragma pack (GCC).
				start = tyAlignUp(start, talign)
			case pack > 0:
				// Under #pragma pack GCC's x86 layout skips the
				// straddle rule: bit-fields are laid end to end.
				talign = min(talign, pack*8)
			case !packed:
				if excessUnitSpan(start, width, talign, tbits) {
					start = tyAlignUp(start, talign)
				}
			}
			if ua := fa.userAlign(); ua > 0 && width > 0 {
				start = tyAlignUp(start, ua*8)
				maxAlign = max(maxAlign, ua)
			}
			if name != "" && width > 0 {
				a := talign / 8
				if packed {
					a = 1
				}
				maxAlign = max(maxAlign, a)
			}
			if width > 0 || name != "" {
				fields = append(fields, ir.Field{Name: name, Type: ft, Offset: tyAlignDown(start, talign) / 8, BitOffset: start, BitWidth: width, IsBitField: true})
			}
			if union {
				bitpos = max(bitpos, start+width)
			} else {
				bitpos = start + width
			}
			return
		}
		size := ft.Size
		if ft.Kind == ir.ArrayType && ft.Len < 0 && !e.vlas[ft] && !ft.Elem.IsUnknown() && ft.Elem.Size >= 0 {
			size = 0 // flexible array member
		}
		if ft.IsUnknown() || size < 0 || ft.Kind == ir.FuncType {
			unknown = true
			fields = append(fields, ir.Field{Name: name, Type: ft, Offset: -1, BitOffset: -1})
			return
		}
		align := ft.Align
		ua := fa.userAlign()
		switch {
		case packed && ua > 0:
			align = ua
		case packed:
			align = 1
		default:
			align = max(align, ua)
		}
		if pack > 0 {
			align = min(align, pack) // even below an aligned(N)
		}
		align = max(align, 1)
		off := int64(0)
		if !union {
			off = tyAlignUp(bitpos, align*8) / 8
		}
		fields = append(fields, ir.Field{Name: name, Type: ft, Offset: off, BitOffset: off * 8})
		maxAlign = max(maxAlign, align)
		if union {
			bitpos = max(bitpos, size*8)
		} else {
			bitpos = (off + size) * 8
		}
	}

	for sdl := n.StructDeclarationList; sdl != nil; sdl = sdl.StructDeclarationList {
		sd := sdl.StructDeclaration
		if sd == nil || sd.Case != cc.StructDeclarationDecl {
			continue
		}
		base, specAttrs := e.specQualList(sd.SpecifierQualifierList, sc)
		endAttrs := e.attrs(sd.AttributeSpecifierList)
		if sd.StructDeclaratorList == nil {
			// An anonymous struct or union member; anything else
			// declares nothing.
			if base.IsStructOrUnion() {
				fa := specAttrs
				fa.merge(endAttrs)
				place("", base, fa, false, 0)
			}
			continue
		}
		for l := sd.StructDeclaratorList; l != nil; l = l.StructDeclaratorList {
			sdr := l.StructDeclarator
			if sdr == nil {
				continue
			}
			fa := specAttrs
			if l.StructDeclaratorList == nil {
				fa.merge(endAttrs)
			}
			ft, name := base, ""
			if sdr.Declarator != nil {
				ft = e.declarator(base, sdr.Declarator, sc)
				name = sdr.Declarator.Name()
			}
			if sdr.Case == cc.StructDeclaratorBitField {
				w, ok := e.constValue(sdr.ConstantExpression)
				if !ok {
					w = -1
				}
				place(name, ft, fa, true, w)
				continue
			}
			place(name, ft, fa, false, 0)
		}
	}

	if sa.userAlign() > 0 {
		maxAlign = max(maxAlign, sa.userAlign())
	}
	t.Kind = ir.StructType
	if union {
		t.Kind = ir.UnionType
	}
	t.Fields = fields
	t.Align = maxAlign
	t.Packed = sa.packed
	t.Incomplete = false
	if unknown {
		t.Size = -1
	} else {
		t.Size = tyAlignUp((bitpos+7)/8, maxAlign)
	}
	if t.Name == "" && t.Tag != "" {
		t.Name = t.Kind.String() + " " + t.Tag
	}
}

// excessUnitSpan is GCC's test (stor-layout.cc) whether a bit-field of
// width bits at bit position pos spans more units of its type's alignment
// than its type's size holds.
func excessUnitSpan(pos, width, align, typeBits int64) bool {
	off := pos % align
	return (off+width+align-1)/align > typeBits/align
}

func tyAlignUp(x, a int64) int64 {
	if a <= 1 {
		return x
	}
	return (x + a - 1) / a * a
}

func tyAlignDown(x, a int64) int64 {
	if a <= 1 {
		return x
	}
	return x / a * a
}

// enumType resolves an enum specifier. A definition registers its
// constants (implicit values count on from the previous one) and gets
// GCC's underlying type: unsigned int when no value is negative and all
// fit, int when some are negative, 64 bits when a value needs it, and with
// packed the smallest of char, short, int, long that holds every value.
func (e *typeEnv) enumType(n *cc.EnumSpecifier, packed bool, sc typeScope) *ir.Type {
	if n == nil {
		return ir.UnknownT
	}
	tag := n.Token2.SrcStr()
	if n.Case == cc.EnumSpecifierTag || n.EnumeratorList == nil {
		if t := e.enumTags[tag]; t != nil && tag != "" {
			return t
		}
		if n.EnumTypeSpecifier != nil {
			t, _ := e.specQualList(n.EnumTypeSpecifier.SpecifierQualifierList, sc)
			return t
		}
		// A forward-declared enum: GCC gives it unsigned int.
		t := &ir.Type{Kind: ir.IntType, Size: 4, Align: 4, Name: "enum " + tag, Tag: tag}
		if tag != "" {
			e.enumTags[tag] = t
		}
		return t
	}
	if t, ok := e.enumDefs[n]; ok {
		return t
	}
	var (
		next     int64
		lo, hi   int64
		first    = true
		resolved = true
	)
	for l := n.EnumeratorList; l != nil; l = l.EnumeratorList {
		en := l.Enumerator
		if en == nil {
			continue
		}
		v := next
		if en.Case == cc.EnumeratorExpr {
			if x, ok := e.constValue(en.ConstantExpression); ok {
				v = x
			} else {
				resolved = false
			}
		}
		e.enumConsts[en.Token.SrcStr()] = v
		if first || v < lo {
			lo = v
		}
		if first || v > hi {
			hi = v
		}
		first = false
		next = v + 1
	}
	t := &ir.Type{Kind: ir.IntType, Name: "enum " + tag, Tag: tag}
	if tag == "" {
		t.Name = "enum <anonymous>"
	}
	var under *ir.Type
	if n.EnumTypeSpecifier != nil {
		under, _ = e.specQualList(n.EnumTypeSpecifier.SpecifierQualifierList, sc)
	} else {
		under = enumUnderlying(lo, hi, packed)
	}
	if !resolved && n.EnumTypeSpecifier == nil && !packed {
		under = tyUint // best guess when a value could not be computed
	}
	t.Size, t.Align, t.Signed = under.Size, under.Align, under.Signed
	e.enumDefs[n] = t
	if tag != "" {
		e.enumTags[tag] = t
	}
	return t
}

func enumUnderlying(lo, hi int64, packed bool) *ir.Type {
	if packed {
		if lo >= 0 {
			switch {
			case hi <= 0xff:
				return tyUchar
			case hi <= 0xffff:
				return tyUshort
			case hi <= 0xffffffff:
				return tyUint
			}
			return tyUlong
		}
		switch {
		case lo >= -0x80 && hi <= 0x7f:
			return tySchar
		case lo >= -0x8000 && hi <= 0x7fff:
			return tyShort
		case lo >= -0x80000000 && hi <= 0x7fffffff:
			return tyInt
		}
		return tyLong
	}
	if lo >= 0 {
		if hi <= 0xffffffff {
			return tyUint
		}
		return tyUlong
	}
	if lo >= -0x80000000 && hi <= 0x7fffffff {
		return tyInt
	}
	return tyLong
}
