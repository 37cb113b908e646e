package resource

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ParseConfig reads the user API model file (kcheck.conf, see the
// refcount package documentation for the format) and returns the entries
// of the given section ("refcount", "dma"). Lines before any section
// header belong to every section.
//
//	[refcount]
//	family    foo_ref  noun="foo reference" frees
//	acquire   foo_get  family=foo_ref object=ret when=success fail=null drops=arg1 returns=arg0
//	acquire   foo_pm_get family=pm object=arg0 when=always fail=neg
//	acquire   foo_parse family=of_node object=arg2 out field=np when=success fail=nonzero
//	acquire   foo_map  family=dma_single object=ret fail=checker checker=dma_mapping_error:1
//	release   foo_put  family=foo_ref arg=0
//	handoff   foo_register arg=1
//	predicate foo_failed arg=0 [nulltoo]
func ParseConfig(r io.Reader, section string) (Spec, error) {
	var s Spec
	sc := bufio.NewScanner(r)
	cur := ""
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if i := strings.IndexByte(text, '#'); i >= 0 {
			text = strings.TrimSpace(text[:i])
		}
		if text == "" {
			continue
		}
		if strings.HasPrefix(text, "[") && strings.HasSuffix(text, "]") {
			cur = strings.TrimSpace(text[1 : len(text)-1])
			continue
		}
		if cur != "" && cur != section {
			continue
		}
		fields, err := splitFields(text)
		if err != nil {
			return s, fmt.Errorf("line %d: %v", line, err)
		}
		if len(fields) < 2 {
			return s, fmt.Errorf("line %d: want KIND NAME key=value...", line)
		}
		kind, name := fields[0], fields[1]
		kv := map[string]string{}
		for _, f := range fields[2:] {
			k, v, _ := strings.Cut(f, "=")
			kv[k] = v
		}
		if err := addEntry(&s, kind, name, kv); err != nil {
			return s, fmt.Errorf("line %d: %s %s: %v", line, kind, name, err)
		}
	}
	return s, sc.Err()
}

// splitFields splits on blanks, keeping key="quoted text" together.
func splitFields(s string) ([]string, error) {
	var out []string
	var b strings.Builder
	inq := false
	for _, r := range s {
		switch {
		case r == '"':
			inq = !inq
		case (r == ' ' || r == '\t') && !inq:
			if b.Len() > 0 {
				out = append(out, b.String())
				b.Reset()
			}
		default:
			b.WriteRune(r)
		}
	}
	if inq {
		return nil, fmt.Errorf("unterminated quote")
	}
	if b.Len() > 0 {
		out = append(out, b.String())
	}
	return out, nil
}

func parseSlot(v string) (Slot, error) {
	switch v {
	case "", "-", "none":
		return NoSlot, nil
	case "ret":
		return Ret, nil
	}
	if n, err := strconv.Atoi(strings.TrimPrefix(v, "arg")); err == nil && n >= 0 {
		return Arg(n), nil
	}
	return NoSlot, fmt.Errorf("bad slot %q (want ret or argN)", v)
}

var failNames = map[string]FailTest{
	"": FailNone, "none": FailNone, "neg": FailNegative, "<0": FailNegative, "nonzero": FailNonZero, "!=0": FailNonZero,
	"zero": FailZero, "==0": FailZero, "null": FailNull, "iserr": FailErrPtr, "iserrornull": FailErrOrNull,
	"nonpositive": FailNonPositive, "<=0": FailNonPositive, "checker": FailChecker,
}

func addEntry(s *Spec, kind, name string, kv map[string]string) error {
	argN := func(key string) (int, error) {
		n, err := strconv.Atoi(strings.TrimPrefix(kv[key], "arg"))
		if err != nil || n < 0 {
			return 0, fmt.Errorf("%s=%q: want a non-negative argument index", key, kv[key])
		}
		return n, nil
	}
	switch kind {
	case "family":
		_, frees := kv["frees"]
		noun := kv["noun"]
		if noun == "" {
			noun = "reference"
		}
		s.Families = append(s.Families, Family{Name: name, Noun: noun, PutFrees: frees})
	case "acquire":
		a := Acquire{Func: name, Family: kv["family"], Drops: NoSlot, ReturnsArg: NoSlot, OutField: kv["field"], Doc: "from the config file"}
		var err error
		if a.Object, err = parseSlot(kv["object"]); err != nil || a.Object == NoSlot {
			return fmt.Errorf("object=%q: want ret or argN", kv["object"])
		}
		_, a.Out = kv["out"]
		switch kv["when"] {
		case "", "always":
			a.When = Always
		case "success":
			a.When = OnSuccess
		case "failure":
			a.When = OnFailure
		default:
			return fmt.Errorf("when=%q: want always, success or failure", kv["when"])
		}
		f, ok := failNames[kv["fail"]]
		if !ok {
			return fmt.Errorf("fail=%q: want none, neg, nonzero, zero, null, iserr, iserrornull, nonpositive or checker", kv["fail"])
		}
		a.Fail = f
		if c := kv["checker"]; c != "" {
			fn, arg, _ := strings.Cut(c, ":")
			a.Checker = fn
			a.CheckerArg, _ = strconv.Atoi(strings.TrimPrefix(arg, "arg"))
			a.Fail = FailChecker
		}
		if a.Drops, err = parseSlot(kv["drops"]); err != nil {
			return err
		}
		if a.ReturnsArg, err = parseSlot(kv["returns"]); err != nil {
			return err
		}
		if a.Family == "" {
			return fmt.Errorf("family= missing")
		}
		s.Acquires = append(s.Acquires, a)
	case "release":
		n, err := argN("arg")
		if err != nil {
			return err
		}
		if kv["family"] == "" {
			return fmt.Errorf("family= missing")
		}
		s.Releases = append(s.Releases, Release{Func: name, Family: kv["family"], Arg: n, Doc: "from the config file"})
	case "handoff":
		n, err := argN("arg")
		if err != nil {
			return err
		}
		s.Handoffs = append(s.Handoffs, Handoff{Func: name, Arg: n, Doc: "from the config file"})
	case "predicate":
		n, err := argN("arg")
		if err != nil {
			return err
		}
		_, nt := kv["nulltoo"]
		s.Predicates = append(s.Predicates, Predicate{Func: name, Arg: n, NullToo: nt})
	default:
		return fmt.Errorf("unknown kind %q (want family, acquire, release, handoff or predicate)", kind)
	}
	return nil
}

// Merge returns base with extra's entries appended (extra's acquires
// override base's for the same function).
func Merge(base, extra Spec) Spec {
	out := Spec{
		Families:      append(append([]Family(nil), base.Families...), extra.Families...),
		Acquires:      append(append([]Acquire(nil), base.Acquires...), extra.Acquires...),
		Releases:      append(append([]Release(nil), base.Releases...), extra.Releases...),
		Handoffs:      append(append([]Handoff(nil), base.Handoffs...), extra.Handoffs...),
		Predicates:    append(append([]Predicate(nil), base.Predicates...), extra.Predicates...),
		Registrations: append(append([]Registration(nil), base.Registrations...), extra.Registrations...),
	}
	return out
}
