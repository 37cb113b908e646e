package resource

import (
	"fmt"
	"sort"

	"kcheck/checks"
	"kcheck/frontend/ir"
)

// Leak is one acquisition site that some path to exit leaves held.
type Leak struct {
	Site *Site
	Exit *Exit
	// Why says what makes the path a leak: "owned" (a new object held
	// through a local), "failed" (the acquiring call failed and the path
	// left with its reference), "released-elsewhere" (other paths release
	// it), "error-return" (the path returns an error holding it).
	Why string
	// Flow is the leaking path from the acquisition to the exit.
	Flow checks.Flow
	// Related are the releases of the same site on other paths.
	Related []ir.Pos
	// acq is the path step of the leaked instance's acquisition.
	acq int
}

// LeakCandidates applies the common leak policy to a function's exits
// and returns at most one Leak per acquisition site (the shortest
// witness path), sorted by the site's position.
//
// A resource held at an exit is a leak when it is a new object held
// through a local (Owned: of_find_*, dma_map_*), or, for a count raised
// on an object passed in (pm_runtime_get_sync(dev), kobject_init_and_add),
// when the path is the acquiring call's own failure path, or when the path
// returns an error ("released-elsewhere" when another path of the function
// releases the same acquisition: the developer knew to release, RID's
// inconsistency insight, high confidence; "error-return" otherwise). A
// count held on a success return is the function's intent (a get wrapper,
// an open() whose release() puts) and becomes its summary instead.
func LeakCandidates(fr *FuncResult) []Leak {
	best := map[int]*Leak{}
	for _, e := range fr.Exits {
		for i := range e.State.res {
			t := &e.State.res[i]
			site := fr.Sites[t.Site]
			if site == nil {
				continue
			}
			// A new object whose result the path never tested may be
			// held (of_node_put(NULL) is a no-op, so code often does not
			// test before using and putting).
			untested := t.State == Pending && t.Owned && site.Acquire.When == OnSuccess
			if t.State != Held && !untested {
				continue
			}
			if !t.Owned && t.Status != StatusFailure && e.Ret == RetError && fr.constructs(t) {
				// A count on the object the function constructs: its
				// caller discards the unregistered object.
				continue
			}
			why := ""
			switch {
			case t.Owned:
				why = "owned"
			case t.Status == StatusFailure:
				why = "failed"
			case e.Ret == RetError && len(fr.Releases[t.Site]) > 0:
				why = "released-elsewhere"
			case e.Ret == RetError && site.Family.Scoped:
				why = "error-return"
			default:
				continue
			}
			if b := best[t.Site]; b != nil && b.Exit.Path.Len() <= e.Path.Len() {
				continue
			}
			best[t.Site] = &Leak{Site: site, Exit: e, Why: why, acq: t.acq}
		}
	}
	// One finding per acquisition spelled once in the source: a
	// for_each loop's two of_get_next_child calls on one line are one
	// acquisition for the developer.
	type spelled struct {
		callee, handle string
		line           int
	}
	var ids []int
	for id := range best {
		ids = append(ids, id)
	}
	sort.Ints(ids) // for determinism
	seen := map[spelled]bool{}
	var out []Leak
	for _, id := range ids {
		l := best[id]
		sp := spelled{l.Site.Call.Callee, l.Site.Handle, l.Site.Call.Pos.Line}
		if seen[sp] {
			continue
		}
		seen[sp] = true
		l.Related = fr.Releases[id]
		l.Flow = checks.Flow{
			Message: fmt.Sprintf("path on which the %s from %s is not released", l.Site.Family.Noun, callName(l.Site.Call)),
			Steps:   l.Exit.Path.stepsFrom(id, l.acq),
		}
		out = append(out, *l)
	}
	sort.Slice(out, func(i, j int) bool { return posLess(out[i].Site.Call.Pos, out[j].Site.Call.Pos) }) // for determinism
	return out
}

// constructs reports whether the function registers the object t's
// handle names (see Registration).
func (fr *FuncResult) constructs(t *Tracked) bool {
	for _, a := range t.Aliases {
		if fr.registered[a] {
			return true
		}
	}
	return false
}
