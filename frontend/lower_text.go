package frontend

import (
	"strconv"
	"strings"

	"modernc.org/cc/v4"
)

// maxText caps the spelling kept in ir.Value.Text and ir.Call.Text: the
// kernel's macros expand into expressions kilobytes long, and messages
// need only a recognisable prefix.
const maxText = 80

// exprText spells an expression compactly from its tokens: one space
// around binary operators, none elsewhere, statement expressions as
// ({...}), capped at maxText bytes with a trailing "...".
func exprText(n cc.Node) string {
	p := textPrinter{}
	p.node(n)
	s := p.b.String()
	if p.full {
		s += "..."
	}
	return s
}

type textPrinter struct {
	b    strings.Builder
	full bool
}

func (p *textPrinter) s(s string) {
	if p.full {
		return
	}
	if p.b.Len()+len(s) > maxText {
		if room := maxText - p.b.Len(); room > 0 {
			p.b.WriteString(s[:room])
		}
		p.full = true
		return
	}
	p.b.WriteString(s)
}

func (p *textPrinter) tok(t cc.Token) { p.s(string(t.Src())) }

func (p *textPrinter) bin(a cc.Node, op cc.Token, b cc.Node) {
	p.node(a)
	p.s(" ")
	p.tok(op)
	p.s(" ")
	p.node(b)
}

func (p *textPrinter) node(n cc.Node) {
	if p.full || n == nil {
		return
	}
	switch x := n.(type) {
	case *cc.PrimaryExpression:
		switch x.Case {
		case cc.PrimaryExpressionExpr:
			p.s("(")
			p.node(x.ExpressionList)
			p.s(")")
		case cc.PrimaryExpressionStmt:
			p.s("({...})")
		case cc.PrimaryExpressionGeneric:
			p.s("_Generic(...)")
		default:
			p.tok(x.Token)
		}
	case *cc.PostfixExpression:
		switch x.Case {
		case cc.PostfixExpressionPrimary:
			p.node(x.PrimaryExpression)
		case cc.PostfixExpressionIndex:
			p.node(x.PostfixExpression)
			p.s("[")
			p.node(x.ExpressionList)
			p.s("]")
		case cc.PostfixExpressionCall:
			p.node(x.PostfixExpression)
			p.s("(")
			for a := x.ArgumentExpressionList; a != nil && !p.full; a = a.ArgumentExpressionList {
				p.node(a.AssignmentExpression)
				if a.ArgumentExpressionList != nil {
					p.s(", ")
				}
			}
			p.s(")")
		case cc.PostfixExpressionSelect, cc.PostfixExpressionPSelect:
			p.node(x.PostfixExpression)
			p.tok(x.Token)
			p.tok(x.Token2)
		case cc.PostfixExpressionInc, cc.PostfixExpressionDec:
			p.node(x.PostfixExpression)
			p.tok(x.Token)
		case cc.PostfixExpressionComplit:
			p.s("(")
			p.typeName(x.TypeName)
			p.s("){...}")
		}
	case *cc.UnaryExpression:
		switch x.Case {
		case cc.UnaryExpressionPostfix:
			p.node(x.PostfixExpression)
		case cc.UnaryExpressionInc, cc.UnaryExpressionDec:
			p.tok(x.Token)
			p.node(x.UnaryExpression)
		case cc.UnaryExpressionSizeofExpr, cc.UnaryExpressionAlignofExpr:
			p.tok(x.Token)
			p.s("(")
			p.node(x.UnaryExpression)
			p.s(")")
		case cc.UnaryExpressionSizeofType, cc.UnaryExpressionAlignofType:
			p.tok(x.Token)
			p.s("(")
			p.typeName(x.TypeName)
			p.s(")")
		case cc.UnaryExpressionLabelAddr:
			p.s("&&")
			p.tok(x.Token2)
		case cc.UnaryExpressionImag, cc.UnaryExpressionReal:
			p.tok(x.Token)
			p.s(" ")
			p.node(x.UnaryExpression)
		default:
			p.tok(x.Token)
			p.node(x.CastExpression)
		}
	case *cc.CastExpression:
		if x.Case == cc.CastExpressionUnary {
			p.node(x.UnaryExpression)
			return
		}
		p.s("(")
		p.typeName(x.TypeName)
		p.s(")")
		p.node(x.CastExpression)
	case *cc.MultiplicativeExpression:
		if x.Case == cc.MultiplicativeExpressionCast {
			p.node(x.CastExpression)
			return
		}
		p.bin(x.MultiplicativeExpression, x.Token, x.CastExpression)
	case *cc.AdditiveExpression:
		if x.Case == cc.AdditiveExpressionMul {
			p.node(x.MultiplicativeExpression)
			return
		}
		p.bin(x.AdditiveExpression, x.Token, x.MultiplicativeExpression)
	case *cc.ShiftExpression:
		if x.Case == cc.ShiftExpressionAdd {
			p.node(x.AdditiveExpression)
			return
		}
		p.bin(x.ShiftExpression, x.Token, x.AdditiveExpression)
	case *cc.RelationalExpression:
		if x.Case == cc.RelationalExpressionShift {
			p.node(x.ShiftExpression)
			return
		}
		p.bin(x.RelationalExpression, x.Token, x.ShiftExpression)
	case *cc.EqualityExpression:
		if x.Case == cc.EqualityExpressionRel {
			p.node(x.RelationalExpression)
			return
		}
		p.bin(x.EqualityExpression, x.Token, x.RelationalExpression)
	case *cc.AndExpression:
		if x.Case == cc.AndExpressionEq {
			p.node(x.EqualityExpression)
			return
		}
		p.bin(x.AndExpression, x.Token, x.EqualityExpression)
	case *cc.ExclusiveOrExpression:
		if x.Case == cc.ExclusiveOrExpressionAnd {
			p.node(x.AndExpression)
			return
		}
		p.bin(x.ExclusiveOrExpression, x.Token, x.AndExpression)
	case *cc.InclusiveOrExpression:
		if x.Case == cc.InclusiveOrExpressionXor {
			p.node(x.ExclusiveOrExpression)
			return
		}
		p.bin(x.InclusiveOrExpression, x.Token, x.ExclusiveOrExpression)
	case *cc.LogicalAndExpression:
		if x.Case == cc.LogicalAndExpressionOr {
			p.node(x.InclusiveOrExpression)
			return
		}
		p.bin(x.LogicalAndExpression, x.Token, x.InclusiveOrExpression)
	case *cc.LogicalOrExpression:
		if x.Case == cc.LogicalOrExpressionLAnd {
			p.node(x.LogicalAndExpression)
			return
		}
		p.bin(x.LogicalOrExpression, x.Token, x.LogicalAndExpression)
	case *cc.ConditionalExpression:
		if x.Case == cc.ConditionalExpressionLOr {
			p.node(x.LogicalOrExpression)
			return
		}
		p.node(x.LogicalOrExpression)
		p.s(" ? ")
		p.node(x.ExpressionList)
		p.s(" : ")
		p.node(x.ConditionalExpression)
	case *cc.AssignmentExpression:
		if x.Case == cc.AssignmentExpressionCond {
			p.node(x.ConditionalExpression)
			return
		}
		p.bin(x.UnaryExpression, x.Token, x.AssignmentExpression)
	case *cc.ExpressionList:
		for l := x; l != nil && !p.full; l = l.ExpressionList {
			p.node(l.AssignmentExpression)
			if l.ExpressionList != nil {
				p.s(", ")
			}
		}
	case *cc.ConstantExpression:
		p.node(x.ConditionalExpression)
	default:
		p.s(cc.NodeSource(n))
	}
}

// typeName spells a type name; a struct definition inside one is elided.
func (p *textPrinter) typeName(tn *cc.TypeName) {
	if tn == nil {
		return
	}
	s := cc.NodeSource(tn)
	if i := strings.IndexByte(s, '{'); i >= 0 {
		s = strings.TrimSpace(s[:i]) + "{...}"
	}
	p.s(s)
}

// intLiteral parses a C integer constant (decimal, octal, hex, binary,
// with u/l suffixes).
func intLiteral(s string) (int64, bool) {
	s = strings.TrimRight(s, "uUlL")
	if len(s) > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B') {
		u, err := strconv.ParseUint(s[2:], 2, 64)
		return int64(u), err == nil
	}
	if len(s) > 1 && s[0] == '0' && s[1] != 'x' && s[1] != 'X' {
		u, err := strconv.ParseUint(s[1:], 8, 64)
		return int64(u), err == nil
	}
	u, err := strconv.ParseUint(s, 0, 64)
	return int64(u), err == nil
}

// charLiteral evaluates a C character constant ('a', '\n', '\0', '\x1f').
func charLiteral(s string) (int64, bool) {
	i := strings.IndexByte(s, '\'')
	if i < 0 || len(s) < i+3 || s[len(s)-1] != '\'' {
		return 0, false
	}
	body := s[i+1 : len(s)-1]
	if body == "" {
		return 0, false
	}
	if body[0] != '\\' {
		if len(body) == 1 {
			return int64(int8(body[0])), true
		}
		return 0, false
	}
	if len(body) < 2 {
		return 0, false
	}
	switch c := body[1]; c {
	case 'n':
		return '\n', true
	case 't':
		return '\t', true
	case 'r':
		return '\r', true
	case 'a':
		return 7, true
	case 'b':
		return 8, true
	case 'f':
		return 12, true
	case 'v':
		return 11, true
	case 'e':
		return 27, true
	case 'x':
		u, err := strconv.ParseUint(body[2:], 16, 8)
		return int64(int8(u)), err == nil
	case '0', '1', '2', '3', '4', '5', '6', '7':
		u, err := strconv.ParseUint(body[1:], 8, 16)
		return int64(int8(u)), err == nil
	default:
		if len(body) == 2 {
			return int64(c), true
		}
	}
	return 0, false
}
