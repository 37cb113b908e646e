package frontend

import (
	"bytes"
	"path"
	"strconv"
	"strings"
)

// pruneOptions says which function bodies the pruner keeps.
type pruneOptions struct {
	// keepFile reports whether function bodies in file (as the line
	// markers spell it) are kept. Bodies in other files become
	// declarations.
	keepFile func(file string) bool
	// dropUnused also drops file-scope declarations of functions and
	// variables in rejected files whose names the kept files never
	// mention (most of a kernel unit is prototypes it does not call).
	dropUnused bool
}

// pruneStats counts what prune did, for --stats.
type pruneStats struct {
	BodiesDropped int
	DeclsDropped  int
	Designators   int
	BytesIn       int
	BytesOut      int
}

// prune rewrites the compiler's preprocessed output for cc.Parse:
//
//   - GCC line markers (`# 12 "file" 1 3`) become `#line 12 "file"`, which
//     cc/v4 honours, so AST positions are source positions;
//   - other directives the compiler leaves (#pragma) become blank lines;
//   - bodies of file-scope function definitions in files keepFile rejects
//     become `;`, turning them into declarations (the kernel API layer is
//     modelled by the checkers' tables, and the parse is twice as fast);
//   - GNU's obsolete array designator `[IDX] {` gets its `=`.
//
// Newlines are preserved everywhere, so line numbers stay right without
// extra markers.
func prune(src []byte, opt pruneOptions) ([]byte, pruneStats) {
	st := pruneStats{BytesIn: len(src)}
	var used map[string]bool
	if opt.dropUnused {
		used = usedIdentifiers(src, opt.keepFile)
	}
	out := make([]byte, 0, len(src))
	// Tokens are substrings of one copy of src: no allocation per token.
	ssrc := string(src)
	declStart := 0 // offset in out where the current file-scope declaration starts
	declKeep := true
	declBrace := false
	var (
		file      string
		keep      = true
		keepCache = map[string]bool{}
		depth     int   // brace depth
		skipping  bool  // inside a dropped body
		skipDepth int   // depth at which the dropped body closes
		decl      []tok // significant tokens of the current file-scope declaration
		lastSig   string
	)
	setFile := func(f string) {
		file = f
		k, ok := keepCache[f]
		if !ok {
			k = opt.keepFile == nil || opt.keepFile(f)
			keepCache[f] = k
		}
		keep = k
	}
	i := 0
	atLineStart := true
	for i < len(src) {
		c := src[i]
		if atLineStart {
			// Skip leading blanks to find a directive.
			j := i
			for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
				j++
			}
			if j < len(src) && src[j] == '#' {
				end := bytes.IndexByte(src[j:], '\n')
				if end < 0 {
					end = len(src)
				} else {
					end += j
				}
				line := src[j:end]
				if ln, f, ok := parseLineMarker(line); ok {
					setFile(f)
					out = append(out, "#line "...)
					out = strconv.AppendInt(out, int64(ln), 10)
					out = append(out, ' ')
					out = strconv.AppendQuote(out, f)
				}
				// Other directives (#pragma, #ident) are dropped.
				i = end
				atLineStart = false
				continue
			}
		}
		switch {
		case c == '\n':
			out = append(out, c)
			i++
			atLineStart = true
			continue
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			if !skipping {
				out = append(out, c)
			}
			i++
			continue
		}
		atLineStart = false
		// Scan one token.
		start := i
		kind := tokPunct
		switch {
		case c == '"' || c == '\'':
			i = skipQuoted(src, i)
			kind = tokString
		case isIdentStart(c):
			for i < len(src) && isIdentChar(src[i]) {
				i++
			}
			kind = tokIdent
			// L"..", u8"..": a prefix glued to a literal.
			if i < len(src) && (src[i] == '"' || src[i] == '\'') && i-start <= 2 {
				i = skipQuoted(src, i)
				kind = tokString
			}
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			for i < len(src) && (isIdentChar(src[i]) || src[i] == '.' ||
				(src[i] == '+' || src[i] == '-') && (src[i-1] == 'e' || src[i-1] == 'E' || src[i-1] == 'p' || src[i-1] == 'P')) {
				i++
			}
			kind = tokNumber
		default:
			i++
		}
		text := src[start:i]
		if skipping {
			if kind == tokPunct && len(text) == 1 {
				switch text[0] {
				case '{':
					depth++
				case '}':
					depth--
					if depth == skipDepth {
						skipping = false
						if used != nil && droppable(decl, used) {
							out = blankOut(out, declStart)
							st.DeclsDropped++
						} else {
							out = append(out, ';')
						}
						decl = decl[:0]
						lastSig = ";"
						declStart, declKeep, declBrace = len(out), keep, false
					}
				}
			}
			continue
		}
		if kind == tokPunct && len(text) == 1 {
			switch text[0] {
			case '{':
				if lastSig == "]" {
					out = append(out, '=')
					st.Designators++
				}
				if depth == 0 {
					declBrace = true
				}
				if depth == 0 && !keep && isFunctionBody(decl) {
					skipping = true
					skipDepth = 0
					depth++
					st.BodiesDropped++
					continue
				}
				depth++
			case '}':
				depth--
				if depth == 0 && isFunctionBody(decl) {
					// The end of a kept function definition.
					out = append(out, '}')
					decl = decl[:0]
					lastSig = "}"
					declStart, declKeep, declBrace = len(out), keep, false
					continue
				}
			case ';':
				if depth == 0 {
					if used != nil && !declKeep && !declBrace && droppable(decl, used) {
						out = blankOut(out, declStart)
						st.DeclsDropped++
					} else {
						out = append(out, ';')
					}
					decl = decl[:0]
					lastSig = ";"
					declStart, declKeep, declBrace = len(out), keep, false
					continue
				}
			}
		}
		if depth == 0 && !(kind == tokPunct && len(text) == 1 && (text[0] == ';' || text[0] == '}')) {
			if len(decl) == 0 {
				declKeep = keep
			}
			decl = append(decl, tok{kind: kind, text: ssrc[start:i]})
		}
		lastSig = ssrc[start:i]
		out = append(out, text...)
	}
	_ = file
	st.BytesOut = len(out)
	return out, st
}

type tokKind uint8

const (
	tokPunct tokKind = iota
	tokIdent
	tokNumber
	tokString
)

type tok struct {
	kind tokKind
	text string
}

// isFunctionBody reports whether a '{' after the file-scope tokens decl
// opens a function body: the last token is the ')' of a parameter list,
// possibly followed by attributes.
func isFunctionBody(decl []tok) bool {
	i := len(decl) - 1
	for i >= 0 {
		if decl[i].text != ")" {
			return false
		}
		// Find the matching '('.
		n := 0
		j := i
		for ; j >= 0; j-- {
			switch decl[j].text {
			case ")":
				n++
			case "(":
				n--
			}
			if n == 0 {
				break
			}
		}
		if j <= 0 {
			return false
		}
		switch decl[j-1].text {
		case "__attribute__", "__attribute", "__asm__", "__asm", "asm":
			i = j - 2 // skip the attribute and look again
			continue
		case "=", ",":
			return false
		}
		return true
	}
	return false
}

// parseLineMarker parses `# 12 "file" 1 3` or `#line 12 "file"`.
func parseLineMarker(line []byte) (int, string, bool) {
	s := strings.TrimSpace(string(line[1:]))
	s = strings.TrimPrefix(s, "line")
	s = strings.TrimLeft(s, " \t")
	sp := strings.IndexAny(s, " \t")
	if sp < 0 {
		return 0, "", false
	}
	ln, err := strconv.Atoi(s[:sp])
	if err != nil {
		return 0, "", false
	}
	rest := strings.TrimLeft(s[sp:], " \t")
	if !strings.HasPrefix(rest, `"`) {
		return 0, "", false
	}
	end := 1
	for end < len(rest) && rest[end] != '"' {
		if rest[end] == '\\' {
			end++
		}
		end++
	}
	if end >= len(rest) {
		return 0, "", false
	}
	f, err := strconv.Unquote(rest[:end+1])
	if err != nil {
		f = rest[1:end]
	}
	return ln, f, true
}

func skipQuoted(src []byte, i int) int {
	q := src[i]
	i++
	for i < len(src) && src[i] != q && src[i] != '\n' {
		if src[i] == '\\' {
			i++
		}
		i++
	}
	if i < len(src) && src[i] == q {
		i++
	}
	return i
}

func isIdentStart(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isIdentChar(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' }

// cleanMarkerPath normalises a file name from a line marker: "./include/x.h"
// and "././include/x.h" become "include/x.h".
func cleanMarkerPath(f string) string {
	if f == "" || strings.HasPrefix(f, "<") {
		return f
	}
	return path.Clean(f)
}

// usedIdentifiers collects the identifiers that appear in the parts of the
// preprocessed text whose file keepFile accepts.
func usedIdentifiers(src []byte, keepFile func(string) bool) map[string]bool {
	used := map[string]bool{}
	keep := true
	cache := map[string]bool{}
	for len(src) > 0 {
		nl := bytes.IndexByte(src, '\n')
		var line []byte
		if nl < 0 {
			line, src = src, nil
		} else {
			line, src = src[:nl], src[nl+1:]
		}
		t := bytes.TrimLeft(line, " \t")
		if len(t) > 0 && t[0] == '#' {
			if _, f, ok := parseLineMarker(t); ok {
				k, seen := cache[f]
				if !seen {
					k = keepFile == nil || keepFile(f)
					cache[f] = k
				}
				keep = k
			}
			continue
		}
		if !keep {
			continue
		}
		for i := 0; i < len(line); {
			c := line[i]
			switch {
			case c == '"' || c == '\'':
				i = skipQuoted(line, i)
			case isIdentStart(c):
				j := i
				for j < len(line) && isIdentChar(line[j]) {
					j++
				}
				if _, ok := used[string(line[i:j])]; !ok {
					used[string(line[i:j])] = true
				}
				i = j
			case c >= '0' && c <= '9':
				for i < len(line) && isIdentChar(line[i]) {
					i++
				}
			default:
				i++
			}
		}
	}
	return used
}

// declKeywords are identifiers that never name what a declaration declares.
var declKeywords = map[string]bool{
	"extern": true, "static": true, "inline": true, "__inline": true, "__inline__": true,
	"const": true, "volatile": true, "__volatile__": true, "restrict": true, "__restrict": true,
	"int": true, "char": true, "short": true, "long": true, "unsigned": true, "signed": true,
	"__signed__": true, "void": true, "float": true, "double": true, "_Bool": true,
	"struct": true, "union": true, "enum": true, "typeof": true, "__typeof__": true, "__typeof": true,
	"__attribute__": true, "__attribute": true, "__asm__": true, "asm": true, "__asm": true,
	"_Alignas": true, "__extension__": true, "_Noreturn": true, "__auto_type": true,
	"_Static_assert": true, "sizeof": true, "__int128": true, "_Atomic": true,
}

// droppable reports whether a file-scope declaration (tokens up to its
// ';', with no braces) declares only functions or variables whose names
// are not in used. Typedefs, tag declarations and static asserts are kept:
// the type layer needs them.
func droppable(decl []tok, used map[string]bool) bool {
	var names []string
	depth := 0
	for i := 0; i < len(decl); i++ {
		t := decl[i]
		switch t.text {
		case "typedef", "_Static_assert", "struct", "union", "enum":
			if t.text != "struct" && t.text != "union" && t.text != "enum" {
				return false
			}
			// A tag declaration alone ("struct foo;") is kept.
			if len(decl) <= 2 {
				return false
			}
		case "__attribute__", "__attribute", "__asm__", "__asm", "asm", "typeof", "__typeof__", "__typeof", "_Alignas":
			// Skip the parenthesised group that follows.
			if i+1 < len(decl) && decl[i+1].text == "(" {
				n := 0
				for i++; i < len(decl); i++ {
					if decl[i].text == "(" {
						n++
					} else if decl[i].text == ")" {
						n--
						if n == 0 {
							break
						}
					}
				}
			}
			continue
		case "(":
			depth++
			continue
		case ")":
			depth--
			continue
		}
		if t.kind != tokIdent || declKeywords[t.text] {
			continue
		}
		// A declarator name: at depth 0, or in (*name) at depth 1.
		if depth == 0 || depth == 1 && i > 0 && decl[i-1].text == "*" && i+1 < len(decl) && decl[i+1].text == ")" {
			if i+1 < len(decl) {
				switch decl[i+1].text {
				case "(", "[", ",", "=", ")", "__attribute__", "__asm__", "asm":
					names = append(names, t.text)
					continue
				}
			} else {
				names = append(names, t.text)
			}
		}
	}
	if len(names) == 0 {
		return false
	}
	for _, n := range names {
		// packMarkers' declarations carry #pragma pack to the type layer.
		if used[n] || strings.HasPrefix(n, "__kcheck_") {
			return false
		}
	}
	return true
}

// blankOut removes what was written to out since start, keeping its
// newlines and #line directives so positions after it stay right.
func blankOut(out []byte, start int) []byte {
	seg := out[start:]
	var keep []byte
	for len(seg) > 0 {
		nl := bytes.IndexByte(seg, '\n')
		var line []byte
		if nl < 0 {
			line, seg = seg, nil
		} else {
			line, seg = seg[:nl+1], seg[nl+1:]
		}
		if bytes.HasPrefix(line, []byte("#line ")) {
			keep = append(keep, line...)
		} else if line[len(line)-1] == '\n' {
			keep = append(keep, '\n')
		}
	}
	return append(out[:start], keep...)
}
