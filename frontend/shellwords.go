package frontend

import (
	"fmt"
	"strings"
)

// SplitCommand splits a compile command the way a POSIX shell would split
// its first simple command into words (quotes, backslash escapes), without
// running anything: kcheck never executes a command line through a shell,
// since compile_commands.json and .cmd files may come from a patch under
// review. Splitting stops at the first unquoted ';', '&&', '||' or '|'
// (kbuild's .cmd files chain objtool after the compiler). Substitutions
// ($(...), backquotes) and redirections are rejected.
func SplitCommand(s string) ([]string, error) {
	var (
		words []string
		cur   strings.Builder
		inTok bool
	)
	flush := func() {
		if inTok {
			words = append(words, cur.String())
			cur.Reset()
			inTok = false
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			flush()
		case c == ';' || c == '|' || c == '&':
			flush()
			return words, nil
		case c == '<' || c == '>':
			return nil, fmt.Errorf("command has a redirection at offset %d", i)
		case c == '`' || c == '$' && i+1 < len(s) && s[i+1] == '(':
			return nil, fmt.Errorf("command has a shell substitution at offset %d", i)
		case c == '\\':
			inTok = true
			if i+1 < len(s) {
				i++
				if s[i] != '\n' {
					cur.WriteByte(s[i])
				}
			}
		case c == '\'':
			inTok = true
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, fmt.Errorf("unterminated single quote")
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
		case c == '"':
			inTok = true
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("$`\"\\\n", s[i+1]) >= 0 {
					i++
				}
				cur.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, fmt.Errorf("unterminated double quote")
			}
		default:
			inTok = true
			cur.WriteByte(c)
		}
	}
	flush()
	return words, nil
}
