package dma

import (
	"strings"

	"kcheck/frontend/ir"
)

// mentions reports whether value v reads the storage named by key: v is
// that value, or an expression the front end kept only as text (handle +
// offset, lower_32_bits(handle)) that spells it. Taking the address of the
// storage (&handle, an out-parameter) is not a read.
func mentions(v *ir.Value, key string) bool {
	if v == nil || key == "" {
		return false
	}
	switch v.Kind {
	case ir.AddrVal, ir.ConstVal, ir.StringVal, ir.FuncVal:
		return false
	case ir.Unknown:
		return textMentions(v.Text, key)
	}
	return v.Key() == key
}

// textMentions reports whether the C spelling text contains key as a
// whole operand: not as part of a longer identifier, not as the member of
// another object (x->dma does not mention dma) and not extended into a
// member of it (dma.field), and not with its address taken.
func textMentions(text, key string) bool {
	if strings.Contains(key, "[]") || strings.HasPrefix(key, "call#") || strings.HasPrefix(key, "?") {
		return false
	}
	t := strings.Join(strings.Fields(text), "")
	k := strings.Join(strings.Fields(key), "")
	for i := 0; ; {
		j := strings.Index(t[i:], k)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(k)
		before := byte(' ')
		if j > 0 {
			before = t[j-1]
		}
		var after byte = ' '
		if end < len(t) {
			after = t[end]
		}
		okBefore := !isIdent(before) && before != '.' && before != '&' && !(before == '>' && j >= 2 && t[j-2] == '-')
		okAfter := !isIdent(after) && after != '.' && after != '[' && !(after == '-' && end+1 < len(t) && t[end+1] == '>')
		if okBefore && okAfter {
			return true
		}
		i = j + 1
	}
}

func isIdent(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// stableKey returns v's key when it names one piece of storage that stays
// the same while the function runs (a variable or a member path through
// one), or "" for array elements (one key for every index), unknown
// expressions and call results.
func stableKey(v *ir.Value) string {
	if v == nil {
		return ""
	}
	for w := v; w != nil; w = w.Base {
		switch w.Kind {
		case ir.ParamVal, ir.LocalVal, ir.GlobalVal:
			return v.Key()
		case ir.FieldVal, ir.DerefVal:
			continue
		default:
			return ""
		}
	}
	return ""
}

// rootedAt reports whether key is the storage base or a member path
// through it (base, base->f, base.f.g), so that assigning base changes it.
func rootedAt(key, base string) bool {
	if key == base {
		return true
	}
	return strings.HasPrefix(key, base+"->") || strings.HasPrefix(key, base+".")
}

// substituteParam rewrites a key relative to parameter name (pname,
// pname->f) as the key of the same storage at a call site whose argument
// is arg, or "" when it cannot be expressed.
func substituteParam(path string, arg *ir.Value) string {
	if arg == nil {
		return ""
	}
	if arg.Kind == ir.AddrVal && strings.HasPrefix(path, "->") {
		b := stableKey(arg.Base)
		if b == "" {
			return ""
		}
		return b + "." + path[2:]
	}
	b := stableKey(arg)
	if b == "" {
		return ""
	}
	return b + path
}

// paramPath is storage reached from a parameter: Param's value itself
// (Path "") or a member path through it ("->dma", "->buf.dma").
type paramPath struct {
	Param int
	Path  string
}

// relativeToParam expresses key as a path from one of fn's parameters.
func relativeToParam(fn *ir.Func, key string) (paramPath, bool) {
	for i, p := range fn.Params {
		if p.Name == "" {
			continue
		}
		if key == p.Name {
			return paramPath{i, ""}, true
		}
		if strings.HasPrefix(key, p.Name+"->") || strings.HasPrefix(key, p.Name+".") {
			return paramPath{i, key[len(p.Name):]}, true
		}
	}
	return paramPath{}, false
}

// constOf returns a constant value (direction, size folded by the front
// end) and whether v is one.
func constOf(v *ir.Value) (int64, bool) {
	if v != nil && v.Kind == ir.ConstVal {
		return v.Const, true
	}
	return 0, false
}

// dirName spells a DMA direction constant (enum dma_data_direction).
func dirName(v *ir.Value) string {
	if c, ok := constOf(v); ok {
		switch c {
		case 0:
			return "DMA_BIDIRECTIONAL"
		case 1:
			return "DMA_TO_DEVICE"
		case 2:
			return "DMA_FROM_DEVICE"
		case 3:
			return "DMA_NONE"
		}
	}
	return v.String()
}

func arg(c *ir.Call, i int) *ir.Value {
	if i < 0 || i >= len(c.Args) {
		return nil
	}
	return c.Args[i]
}

// memberHome returns the struct member a value names, as the outermost
// struct reached through a pointer and the member path inside it
// (s->rx.dma is ("sdma", "rx.dma")), so that two embedded instances of one
// struct (rx and tx slots) stay apart. ok is false for other values.
func memberHome(v *ir.Value) (structType, path string, ok bool) {
	if v == nil || v.Kind != ir.FieldVal {
		return "", "", false
	}
	path = v.Field
	for !v.Arrow && v.Base != nil && v.Base.Kind == ir.FieldVal {
		v = v.Base
		path = v.Field + "." + path
	}
	if v.StructType == "" {
		return "", "", false
	}
	return v.StructType, path, true
}
