package frontend

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
)

// #pragma pack changes struct layout (ACPI's headers wrap hundreds of
// tables in #pragma pack(1)), but cc.Parse keeps no pragmas in the AST and
// prune drops them. packMarkers turns each pack pragma into a file-scope
// declaration of a reserved name, on the same line, so the pragma reaches
// typeEnv.declare in source order:
//
//	#pragma pack(1)         extern int __kcheck_pack_1;
//	#pragma pack()          extern int __kcheck_pack_default;
//	#pragma pack(push, 2)   extern int __kcheck_pack_push_2;
//	#pragma pack(push)      extern int __kcheck_pack_push;
//	#pragma pack(pop)       extern int __kcheck_pack_pop;
//
// It must run before prune (which blanks the remaining #pragma lines).
func packMarkers(src []byte) []byte {
	if !bytes.Contains(src, []byte("pragma pack")) {
		return src
	}
	// Run the regexp only on the #pragma lines: over the whole text it
	// costs more than the rest of pruning.
	var out []byte
	rest := src
	for {
		i := bytes.Index(rest, []byte("#pragma"))
		if i < 0 {
			return append(out, rest...)
		}
		start := bytes.LastIndexByte(rest[:i], '\n') + 1
		end := bytes.IndexByte(rest[i:], '\n')
		if end < 0 {
			end = len(rest)
		} else {
			end += i
		}
		out = append(out, rest[:start]...)
		out = append(out, packLine(rest[start:end])...)
		rest = rest[end:]
	}
}

// packLine rewrites one #pragma pack line (see packMarkers).
func packLine(line []byte) []byte {
	return packPragmaRE.ReplaceAllFunc(line, func(m []byte) []byte {
		sub := packPragmaRE.FindSubmatch(m)
		lead := sub[1]
		args := strings.Fields(strings.ReplaceAll(string(sub[2]), ",", " "))
		var name string
		switch {
		case len(args) == 0:
			name = "default"
		case args[0] == "push":
			name = "push"
			if len(args) > 1 {
				if _, err := strconv.Atoi(args[len(args)-1]); err == nil {
					name += "_" + args[len(args)-1]
				}
			}
		case args[0] == "pop":
			name = "pop"
		default:
			if _, err := strconv.Atoi(args[0]); err != nil {
				return m
			}
			name = args[0]
		}
		return append(append([]byte{}, lead...), "extern int "+packMarkerPrefix+name+";"...)
	})
}

var packPragmaRE = regexp.MustCompile(`(?m)^([ \t]*)#[ \t]*pragma[ \t]+pack[ \t]*\(([^)\n]*)\)[ \t]*$`)

const packMarkerPrefix = "__kcheck_pack_"

// packMarker applies a marker declaration (see packMarkers) to the pack
// state; it reports whether name was one.
func (e *typeEnv) packMarker(name string) bool {
	arg, ok := strings.CutPrefix(name, packMarkerPrefix)
	if !ok {
		return false
	}
	switch {
	case arg == "default":
		e.pack = 0
	case arg == "pop":
		if n := len(e.packStack); n > 0 {
			e.pack = e.packStack[n-1]
			e.packStack = e.packStack[:n-1]
		} else {
			e.pack = 0
		}
	case strings.HasPrefix(arg, "push"):
		e.packStack = append(e.packStack, e.pack)
		if v, err := strconv.Atoi(strings.TrimPrefix(arg, "push_")); err == nil {
			e.pack = int64(v)
		}
	default:
		if v, err := strconv.Atoi(arg); err == nil {
			e.pack = int64(v)
		}
	}
	return true
}
