package reports

import (
	"bufio"
	"fmt"
	"io"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// ChangedLines are the lines a change added or modified, by file (relative
// to the tree root, slash-separated) and 1-based line number in the new
// version of the file.
type ChangedLines map[string]map[int]bool

// hunkHeader matches a unified diff hunk header's new-file range.
var hunkHeader = regexp.MustCompile(`^@@ -[0-9]+(?:,[0-9]+)? \+([0-9]+)(?:,([0-9]+))? @@`)

// ParseDiff reads a unified diff (git diff, with any -U context, or diff
// -u) and returns the lines it adds or modifies in the new files. A
// modified line is a removed line replaced by an added one, so both are
// simply the "+" lines; removals alone change no line of the new file.
// Paths lose git's "b/" prefix; deleted files are left out.
func ParseDiff(r io.Reader) (ChangedLines, error) {
	out := ChangedLines{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	var (
		file      string
		line, end int // the next new-file line, and one past the hunk's
		inHunk    bool
	)
	for n := 1; sc.Scan(); n++ {
		text := sc.Text()
		if inHunk && line < end {
			switch {
			case strings.HasPrefix(text, "+"):
				if file != "" {
					if out[file] == nil {
						out[file] = map[int]bool{}
					}
					out[file][line] = true
				}
				line++
				continue
			case strings.HasPrefix(text, " "), text == "":
				line++
				continue
			case strings.HasPrefix(text, "-"), strings.HasPrefix(text, `\`):
				continue
			}
		}
		inHunk = false
		switch {
		case strings.HasPrefix(text, "+++ "):
			file = diffPath(strings.TrimPrefix(text, "+++ "))
		case strings.HasPrefix(text, "@@ "):
			m := hunkHeader.FindStringSubmatch(text)
			if m == nil {
				return nil, fmt.Errorf("diff line %d: malformed hunk header %q", n, text)
			}
			start, _ := strconv.Atoi(m[1])
			count := 1
			if m[2] != "" {
				count, _ = strconv.Atoi(m[2])
			}
			line, end, inHunk = start, start+count, true
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// diffPath turns a "+++" header's path into a tree-relative path, "" for
// /dev/null.
func diffPath(p string) string {
	if i := strings.IndexByte(p, '\t'); i >= 0 { // diff -u appends a timestamp
		p = p[:i]
	}
	p = strings.TrimSpace(p)
	if p == "/dev/null" {
		return ""
	}
	if strings.HasPrefix(p, `"`) {
		if u, err := strconv.Unquote(p); err == nil {
			p = u
		}
	}
	if strings.HasPrefix(p, "b/") {
		p = p[2:]
	}
	return path.Clean(p)
}

// touches reports whether the finding's primary location or a step of one
// of its flows is on a changed line.
func (c ChangedLines) touches(f *finding) bool {
	if c.has(f.Pos.File, f.Pos.Line) {
		return true
	}
	for _, fl := range f.Flows {
		for _, s := range fl.Steps {
			if c.has(s.Pos.File, s.Pos.Line) {
				return true
			}
		}
	}
	return false
}

func (c ChangedLines) has(file string, line int) bool {
	if file == "" {
		return false
	}
	return c[path.Clean(strings.ReplaceAll(file, "\\", "/"))][line]
}
