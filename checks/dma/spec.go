package dma

import (
	"strconv"

	"kcheck/checks/resource"
)

// Families of the shared engine's table: one per way a DMA resource is
// acquired, so that a release only ends resources it can end.
var families = []resource.Family{
	{Name: "dma_map", Noun: "DMA mapping"},
	{Name: "dma_sg", Noun: "scatterlist DMA mapping"},
	{Name: "dma_sgtable", Noun: "sg_table DMA mapping"},
	{Name: "dma_coherent", Noun: "DMA allocation", PutFrees: true},
}

// family returns the engine family of an acquire or release.
func family(k Kind) string {
	switch k {
	case Map:
		return "dma_map"
	case MapSG:
		return "dma_sg"
	case MapSGTable:
		return "dma_sgtable"
	}
	return "dma_coherent"
}

// resourceSpec converts the DMA table into the shared engine's Spec: the
// same data, in the engine's terms. A Map holds its returned handle when
// dma_mapping_error says it succeeded; dma_map_sg and dma_map_sgtable hold
// the scatterlist (table) argument when their result says so; an Alloc
// holds its returned CPU address when it is not NULL. Managed allocations
// are not acquires at all.
func resourceSpec(t *Table) resource.Spec {
	s := resource.Spec{Families: families, Handoffs: resource.DefaultHandoffs()}
	var check *API
	for _, n := range t.Names() {
		if a := t.Lookup(n); a.Kind == Handoff {
			s.Handoffs = append(s.Handoffs, resource.Handoff{Func: a.Name, Arg: a.Handle, Doc: a.Spelling + " takes ownership of argument " + strconv.Itoa(a.Handle)})
		}
		if a := t.Lookup(n); a.Kind == Check {
			check = a
			s.Predicates = append(s.Predicates, resource.Predicate{Func: a.Name, Arg: a.Handle})
		}
	}
	for _, n := range t.Names() {
		a := t.Lookup(n)
		switch a.Kind {
		case Map:
			acq := resource.Acquire{Func: a.Name, Family: family(a.Kind), Object: resource.Ret, When: resource.OnSuccess,
				Fail: resource.FailChecker, Drops: resource.NoSlot, ReturnsArg: resource.NoSlot,
				Doc: a.Spelling + " returns a handle that holds a mapping unless dma_mapping_error() says it failed"}
			if check != nil {
				acq.Checker, acq.CheckerArg = check.Name, check.Handle
			}
			s.Acquires = append(s.Acquires, acq)
		case MapSG:
			s.Acquires = append(s.Acquires, resource.Acquire{Func: a.Name, Family: family(a.Kind), Object: resource.Arg(a.Handle),
				When: resource.OnSuccess, Fail: resource.FailZero, Drops: resource.NoSlot, ReturnsArg: resource.NoSlot,
				Doc: a.Spelling + " maps the scatterlist unless it returns 0"})
		case MapSGTable:
			s.Acquires = append(s.Acquires, resource.Acquire{Func: a.Name, Family: family(a.Kind), Object: resource.Arg(a.Handle),
				When: resource.OnSuccess, Fail: resource.FailNonZero, Drops: resource.NoSlot, ReturnsArg: resource.NoSlot,
				Doc: a.Spelling + " maps the sg_table unless it returns -errno"})
		case Alloc:
			if a.Managed {
				continue
			}
			acq := resource.Acquire{Func: a.Name, Family: family(a.Kind), Object: resource.Ret,
				When: resource.OnSuccess, Fail: resource.FailNull, Drops: resource.NoSlot, ReturnsArg: resource.NoSlot,
				Doc: a.Spelling + " returns memory to free unless it returns NULL"}
			if a.HandleOut >= 0 {
				acq.OutHandles = []int{a.HandleOut}
			}
			s.Acquires = append(s.Acquires, acq)
		}
	}
	// A release belongs to the family of the acquires that name it in
	// their Releases (dma_unmap_sg_attrs ends dma_map_sg_attrs' mapping).
	relFamily := map[string]string{}
	for _, n := range t.Names() {
		if a := t.Lookup(n); a.IsAcquire() {
			for _, r := range a.Releases {
				relFamily[r] = family(a.Kind)
			}
		} else if a.Family != "" {
			relFamily[a.Name] = a.Family
		}
	}
	for _, n := range t.Names() {
		a := t.Lookup(n)
		if !a.IsRelease() || relFamily[a.Name] == "" {
			continue
		}
		s.Releases = append(s.Releases, resource.Release{Func: a.Name, Family: relFamily[a.Name], Arg: a.Handle,
			Doc: a.Spelling + " releases argument " + strconv.Itoa(a.Handle)})
	}
	return s
}
