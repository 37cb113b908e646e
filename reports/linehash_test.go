package reports

import (
	"math/big"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
)

// slowLineHashes is an independent, direct reading of the recipe in
// LineHashes' doc: normalise the text into one sequence of UTF-16 units,
// then hash the 100 units from each line start with exact big-integer
// arithmetic reduced modulo 2^64 at the end.
func slowLineHashes(text string) []string {
	var units []uint16
	for _, u := range utf16.Encode([]rune(text)) {
		units = append(units, u)
	}
	var norm []uint64
	for i := 0; i < len(units); i++ {
		switch u := units[i]; u {
		case ' ', '\t':
		case '\r':
			norm = append(norm, '\n')
			// "\r\n" is one newline; spaces between them do not count.
			j := i + 1
			for j < len(units) && (units[j] == ' ' || units[j] == '\t') {
				j++
			}
			if j < len(units) && units[j] == '\n' && j == i+1 {
				i = j
			}
		default:
			norm = append(norm, uint64(u))
		}
	}
	norm = append(norm, 0xFFFF)
	var starts []int
	for i := range norm {
		if i == 0 || norm[i-1] == '\n' {
			starts = append(starts, i)
		}
	}
	mod := new(big.Int).Lsh(big.NewInt(1), 64)
	counts := map[string]int{}
	out := []string{""}
	for _, s := range starts {
		h := new(big.Int)
		for i := 0; i < 100; i++ {
			h.Mul(h, big.NewInt(37))
			if s+i < len(norm) {
				h.Add(h, new(big.Int).SetUint64(norm[s+i]))
			}
		}
		v := h.Mod(h, mod).Text(16)
		counts[v]++
		out = append(out, v+":"+strconv.Itoa(counts[v]))
	}
	return out
}

// TestLineHashesKnownValues pins the values github/codeql-action's own
// tests expect from its fingerprinting for these inputs.
func TestLineHashesKnownValues(t *testing.T) {
	greetings := []string{"e9496ae3ebfced30:1", "fb7c023a8b9ccb3f:1", "ce8ba1a563dcdaca:1", "e20e36e16fcb0cc8:1", "b3edc88f2938467e:1", "c8e28b0b4002a3a0:1", "c129715d7a2bc9a3:1"}
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"", []string{"c129715d7a2bc9a3:1"}},
		{" a\nb\n  \t\tc\n d", []string{"271789c17abda88f:1", "54703d4cd895b18:1", "180aee12dab6264:1", "a23a3dc5e078b07b:1"}},
		{" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End", []string{"8b7cf3e952e7aeb2:1", "b1ae1287ec4718d9:1", "bff680108adb0fcc:1", "c6805c5e1288b612:1", "b86d3392aea1be30:1", "e6ceba753e1a442:1"}},
		{" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n", greetings},
		{" hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r", greetings},
		{" hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n", greetings},
		{" hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n", greetings},
		{strings.Repeat("Lorem ipsum dolor sit amet.\n", 10), []string{
			"a7f2ff13bc495cf2:1", "a7f2ff13bc495cf2:2", "a7f2ff13bc495cf2:3", "a7f2ff13bc495cf2:4",
			"a7f2ff13bc495cf2:5", "a7f2ff13bc495cf2:6", "a7f2ff1481e87703:1", "a9cf91f7bbf1862b:1",
			"55ec222b86bcae53:1", "cc97dc7b1d7d8f7b:1", "c129715d7a2bc9a3:1"}},
	} {
		got := LineHashes([]byte(tc.text))[1:]
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("LineHashes(%q)\n got %q\nwant %q", tc.text, got, tc.want)
		}
	}
}

// TestLineHashesSlow cross-checks the rolling hash against the direct
// computation on kernel-like text, long lines, CRLF and non-BMP text.
func TestLineHashesSlow(t *testing.T) {
	long := strings.Repeat("x", 250)
	for _, text := range []string{
		"a",
		"\n",
		"\n\n\n",
		"static int f(void)\n{\n\tspin_lock(&a);\n\tspin_unlock(&a);\n\treturn 0;\n}\n",
		long + "\n" + long + "\n" + long,
		"a\r\n\r\nb\r \nc\r\r\n",
		"/* \u00e9 \U0001F600 */ put(np);\n\tx = 1;\n",
		strings.Repeat("\tmutex_unlock(&dev->lock);\n", 30),
	} {
		got, want := LineHashes([]byte(text)), slowLineHashes(text)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("LineHashes(%q)\n got %q\nwant %q", text, got, want)
		}
	}
}
