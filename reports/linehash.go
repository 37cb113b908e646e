package reports

import (
	"strconv"
	"unicode/utf16"
)

// LineHashKey is the partialFingerprints key GitHub code scanning uses to
// track an alert across commits when the tool gives no fingerprint of its
// own that GitHub understands.
const LineHashKey = "primaryLocationLineHash"

// lineHashBlock is how many characters of the text from a line's start go
// into its hash, and lineHashMod the base of the rolling hash: the values
// github/codeql-action's upload step uses.
const (
	lineHashBlock = 100
	lineHashMod   = 37
	lineHashEOF   = 0xFFFF // the character the upload step appends at the end of a file
)

// LineHashes computes, for every line of a file's text, the value
// github/codeql-action's upload-sarif step stores as
// partialFingerprints.primaryLocationLineHash for a result starting on
// that line, so kcheck can write it itself (upload-sarif warns when a
// value a tool wrote differs from its own, and keeps the tool's).
//
// The recipe, reimplemented from the action's fingerprints.ts: the text is
// read as UTF-16 code units; spaces and tabs are dropped, "\r\n" and "\r"
// become "\n"; one 0xFFFF unit marks the end of the file, followed by
// zeros. A line's hash is the polynomial hash, base 37 and modulo 2^64, of
// the 100 units from the line's first kept unit:
// sum c[i]*37^(99-i), written as unsigned hex. Lines whose hashes are
// equal are told apart by ":n", counting equal hashes from the top of
// the file.
//
// The result is indexed by 1-based line number (index 0 is unused). A
// file ending in a newline has one more line, the empty one after it,
// as in the action.
func LineHashes(text []byte) []string {
	var first uint64 = 1 // 37^100, what leaves the window
	for i := 0; i < lineHashBlock; i++ {
		first *= lineHashMod
	}
	var (
		window   [lineHashBlock]uint64
		lineAt   [lineHashBlock]int // line starting at this window slot, or 0
		hash     uint64
		index    int
		line     int
		start    = true
		prevCR   bool
		counts   = map[uint64]int{}
		hashes   = []string{""}
		emitLine = func() {
			counts[hash]++
			for len(hashes) <= lineAt[index] {
				hashes = append(hashes, "")
			}
			hashes[lineAt[index]] = strconv.FormatUint(hash, 16) + ":" + strconv.Itoa(counts[hash])
			lineAt[index] = 0
		}
		push = func(c uint64) {
			hash = lineHashMod*hash + c - first*window[index]
			window[index] = c
			index = (index + 1) % lineHashBlock
		}
	)
	process := func(c uint16) {
		if c == ' ' || c == '\t' || (prevCR && c == '\n') {
			prevCR = false
			return
		}
		prevCR = c == '\r'
		if prevCR {
			c = '\n'
		}
		if lineAt[index] != 0 {
			emitLine()
		}
		if start {
			start = false
			line++
			lineAt[index] = line
		}
		if c == '\n' {
			start = true
		}
		push(uint64(c))
	}
	for _, r := range string(text) { // invalid UTF-8 reads as U+FFFD, as in Node
		if r >= 0x10000 {
			hi, lo := utf16.EncodeRune(r)
			process(uint16(hi))
			process(uint16(lo))
			continue
		}
		process(uint16(r))
	}
	process(lineHashEOF)
	for i := 0; i < lineHashBlock; i++ {
		if lineAt[index] != 0 {
			emitLine()
		}
		push(0)
	}
	return hashes
}
