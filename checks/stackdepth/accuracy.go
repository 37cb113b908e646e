package stackdepth

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Accuracy compares the model's estimates with GCC's frames for every
// function that has both.
type Accuracy struct {
	Functions int
	// MedianRelErr and P90RelErr are percentiles of |estimate-gcc|/gcc.
	MedianRelErr, P90RelErr float64
	// Under counts estimates below GCC's number (they can hide overflows).
	Under int
	// Top50Overlap is how many of GCC's 50 largest frames are among the
	// model's 50 largest; Top50Spearman is the rank correlation of the
	// estimates over GCC's 50 largest.
	Top50Overlap  int
	Top50Spearman float64
	// InlinedButOutOfLine counts functions the model inlines that GCC
	// kept out of line (their locals are then counted in the caller).
	InlinedButOutOfLine int
	// Worst lists the largest misses, for tuning the model.
	Worst []Comparison
}

// Comparison is one function's estimate and GCC's number.
type Comparison struct {
	Key           string
	Estimate, GCC int64
}

// CompareWithGCC evaluates model m on facts against su.
func CompareWithGCC(facts map[string]*FuncFacts, su *StackUsage, m FrameModel) Accuracy {
	var a Accuracy
	var cs []Comparison
	keys := make([]string, 0, len(facts))
	for k := range facts {
		keys = append(keys, k)
	}
	sort.Strings(keys) // for determinism
	frames := m.Frames(facts)
	for _, k := range keys {
		ff := facts[k]
		file := ""
		if ff.Static {
			file = ff.File
		}
		e, ok := su.Lookup(file, ff.Name)
		if !ok || e.Bytes <= 0 {
			continue
		}
		if frames[k].Source == "inlined" {
			a.InlinedButOutOfLine++
		}
		cs = append(cs, Comparison{Key: k, Estimate: frames[k].Standalone, GCC: e.Bytes})
	}
	a.Functions = len(cs)
	if len(cs) == 0 {
		return a
	}
	errs := make([]float64, len(cs))
	for i, c := range cs {
		errs[i] = math.Abs(float64(c.Estimate-c.GCC)) / float64(c.GCC)
		if c.Estimate < c.GCC {
			a.Under++
		}
	}
	sorted := append([]float64(nil), errs...)
	sort.Float64s(sorted)
	a.MedianRelErr = sorted[len(sorted)/2]
	a.P90RelErr = sorted[len(sorted)*9/10]

	byGCC := append([]Comparison(nil), cs...)
	sort.SliceStable(byGCC, func(i, j int) bool { return byGCC[i].GCC > byGCC[j].GCC })
	byEst := append([]Comparison(nil), cs...)
	sort.SliceStable(byEst, func(i, j int) bool { return byEst[i].Estimate > byEst[j].Estimate })
	top := min(50, len(cs))
	inEst := map[string]bool{}
	for _, c := range byEst[:top] {
		inEst[c.Key] = true
	}
	for _, c := range byGCC[:top] {
		if inEst[c.Key] {
			a.Top50Overlap++
		}
	}
	a.Top50Spearman = spearman(byGCC[:top])

	worst := append([]Comparison(nil), cs...)
	sort.SliceStable(worst, func(i, j int) bool {
		return math.Abs(float64(worst[i].Estimate-worst[i].GCC)) > math.Abs(float64(worst[j].Estimate-worst[j].GCC))
	})
	a.Worst = worst[:min(25, len(worst))]
	return a
}

// spearman is the rank correlation of Estimate against GCC (ties get
// their average rank).
func spearman(cs []Comparison) float64 {
	n := len(cs)
	if n < 2 {
		return 1
	}
	rank := func(val func(Comparison) int64) []float64 {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(i, j int) bool { return val(cs[idx[i]]) > val(cs[idx[j]]) })
		r := make([]float64, n)
		for i := 0; i < n; {
			j := i
			for j+1 < n && val(cs[idx[j+1]]) == val(cs[idx[i]]) {
				j++
			}
			for k := i; k <= j; k++ {
				r[idx[k]] = float64(i+j)/2 + 1
			}
			i = j + 1
		}
		return r
	}
	rg := rank(func(c Comparison) int64 { return c.GCC })
	re := rank(func(c Comparison) int64 { return c.Estimate })
	var mg, me float64
	for i := range rg {
		mg += rg[i]
		me += re[i]
	}
	mg /= float64(n)
	me /= float64(n)
	var num, dg, de float64
	for i := range rg {
		num += (rg[i] - mg) * (re[i] - me)
		dg += (rg[i] - mg) * (rg[i] - mg)
		de += (re[i] - me) * (re[i] - me)
	}
	if dg == 0 || de == 0 {
		return 0
	}
	return num / math.Sqrt(dg*de)
}

func (a Accuracy) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "functions with both: %d\nmedian relative error: %.1f%%\np90 relative error: %.1f%%\nunderestimates: %d (%.1f%%)\ntop-50 by GCC also in the model's top 50: %d\ntop-50 Spearman rank correlation: %.2f\nmodelled as inlined but kept out of line by GCC: %d\n",
		a.Functions, 100*a.MedianRelErr, 100*a.P90RelErr, a.Under, 100*float64(a.Under)/float64(max(a.Functions, 1)), a.Top50Overlap, a.Top50Spearman, a.InlinedButOutOfLine)
	for _, c := range a.Worst {
		fmt.Fprintf(&b, "  %-60s est %6d gcc %6d\n", c.Key, c.Estimate, c.GCC)
	}
	return b.String()
}
