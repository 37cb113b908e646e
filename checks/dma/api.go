package dma

import (
	"fmt"
	"os"
	"sort"

	"kcheck/checks/resource"
)

// Kind is what a DMA API function does to a mapping or allocation.
type Kind string

const (
	// Map creates a streaming mapping whose handle is the return value
	// (dma_map_single, dma_map_page, dma_map_resource).
	Map Kind = "map"
	// MapSG maps a scatterlist: Handle is the scatterlist argument and the
	// return value is the number of mapped entries, 0 on failure.
	MapSG Kind = "map_sg"
	// MapSGTable maps an sg_table: Handle is the table argument; it
	// returns 0 or -errno.
	MapSGTable Kind = "map_sgtable"
	// Alloc allocates DMA memory: the return value is the CPU address
	// (NULL on failure) and the device address is written through the
	// HandleOut argument.
	Alloc Kind = "alloc"
	// Unmap ends a streaming mapping.
	Unmap Kind = "unmap"
	// Free frees memory an Alloc returned.
	Free Kind = "free"
	// Check tests a handle for a mapping error (dma_mapping_error).
	Check Kind = "check"
	// Handoff takes ownership of the Handle argument: DMA memory attached
	// to an URB or linked into a driver list is released by whoever
	// completes or unlinks it, so the path no longer owns it.
	Handoff Kind = "handoff"
)

// Failure is how a mapping or allocation API reports failure, and so what
// its caller must test before using the result.
type Failure string

const (
	// FailMappingError: the handle must be tested with dma_mapping_error.
	FailMappingError Failure = "dma_mapping_error"
	// FailZero: the returned count is 0 on failure.
	FailZero Failure = "zero"
	// FailErrno: the return value is 0 or -errno.
	FailErrno Failure = "errno"
	// FailNull: the returned pointer is NULL on failure.
	FailNull Failure = "null"
)

// API is one entry of the DMA table. Argument positions are 0-based; -1
// means "not an argument" (for Handle: the return value).
type API struct {
	// Name is the function as the checker sees it after preprocessing
	// (dma_map_single_attrs for the dma_map_single macro).
	Name string
	// Spelling is the name developers write, for messages.
	Spelling string
	Kind     Kind
	// Handle is the argument that identifies the mapping (the handle to
	// unmap, the scatterlist, the CPU address to free), or -1 when the
	// return value is the handle (Map, Alloc).
	Handle int
	// HandleOut is, for Alloc, the dma_addr_t * argument the device
	// address is written through; -1 otherwise.
	HandleOut int
	// Size, Dir and Nents are the size, direction and scatterlist-length
	// arguments, -1 when the API has none. An unmap or free must pass the
	// same size and direction as its map; dma_unmap_sg must pass the nents
	// given to dma_map_sg, not the count it returned.
	Size  int
	Dir   int
	Nents int
	// Failure is how a Map, MapSG, MapSGTable or Alloc reports failure.
	Failure Failure
	// Managed marks a devres-managed allocation (dmam_*): released when the
	// driver unbinds, so it needs no release on any path.
	Managed bool
	// Releases names, for a mapping or allocation, the functions that end
	// it (post-preprocessing names).
	Releases []string
	// Family is the shared engine's family, set for entries from the
	// config file; for built-in entries it follows from Kind and from the
	// acquires that list a release.
	Family string
}

// IsAcquire reports whether a creates a mapping or allocation.
func (a *API) IsAcquire() bool {
	return a.Kind == Map || a.Kind == MapSG || a.Kind == MapSGTable || a.Kind == Alloc
}

// IsRelease reports whether a ends a mapping or allocation.
func (a *API) IsRelease() bool { return a.Kind == Unmap || a.Kind == Free }

func mapAPI(name, spelling string, size, dir int, releases ...string) API {
	return API{Name: name, Spelling: spelling, Kind: Map, Handle: -1, HandleOut: -1, Size: size, Dir: dir, Nents: -1, Failure: FailMappingError, Releases: releases}
}

func unmapAPI(name, spelling string, handle, size, dir int) API {
	return API{Name: name, Spelling: spelling, Kind: Unmap, Handle: handle, HandleOut: -1, Size: size, Dir: dir, Nents: -1}
}

func allocAPI(name, spelling string, size, out int, managed bool, releases ...string) API {
	return API{Name: name, Spelling: spelling, Kind: Alloc, Handle: -1, HandleOut: out, Size: size, Dir: -1, Nents: -1, Failure: FailNull, Managed: managed, Releases: releases}
}

func freeAPI(name, spelling string, handle, size int) API {
	return API{Name: name, Spelling: spelling, Kind: Free, Handle: handle, HandleOut: -1, Size: size, Dir: -1, Nents: -1}
}

// defaultAPIs is the Linux 6.1 DMA API (see shared/docs/KERNEL-APIS.md,
// "DMA"). Macros are listed under the name they expand to
// (dma_map_single(d, a, s, r) is dma_map_single_attrs(d, a, s, r, 0)),
// and the developer's name is listed too, for trees or configurations
// where it survives as a call.
var defaultAPIs = []API{
	// Streaming mappings of one buffer: handle returned, test with
	// dma_mapping_error.
	mapAPI("dma_map_single_attrs", "dma_map_single", 2, 3, "dma_unmap_single_attrs", "dma_unmap_single", "dma_unmap_page_attrs", "dma_unmap_page"),
	mapAPI("dma_map_single", "dma_map_single", 2, 3, "dma_unmap_single_attrs", "dma_unmap_single", "dma_unmap_page_attrs", "dma_unmap_page"),
	mapAPI("dma_map_page_attrs", "dma_map_page", 3, 4, "dma_unmap_page_attrs", "dma_unmap_page", "dma_unmap_single_attrs", "dma_unmap_single"),
	mapAPI("dma_map_page", "dma_map_page", 3, 4, "dma_unmap_page_attrs", "dma_unmap_page", "dma_unmap_single_attrs", "dma_unmap_single"),
	mapAPI("dma_map_resource", "dma_map_resource", 2, 3, "dma_unmap_resource"),
	unmapAPI("dma_unmap_single_attrs", "dma_unmap_single", 1, 2, 3),
	unmapAPI("dma_unmap_single", "dma_unmap_single", 1, 2, 3),
	unmapAPI("dma_unmap_page_attrs", "dma_unmap_page", 1, 2, 3),
	unmapAPI("dma_unmap_page", "dma_unmap_page", 1, 2, 3),
	unmapAPI("dma_unmap_resource", "dma_unmap_resource", 1, 2, 3),

	// Scatterlists: the count returned is 0 on failure; unmap takes the
	// nents given to map.
	{Name: "dma_map_sg_attrs", Spelling: "dma_map_sg", Kind: MapSG, Handle: 1, HandleOut: -1, Size: -1, Dir: 3, Nents: 2, Failure: FailZero, Releases: []string{"dma_unmap_sg_attrs", "dma_unmap_sg"}},
	{Name: "dma_map_sg", Spelling: "dma_map_sg", Kind: MapSG, Handle: 1, HandleOut: -1, Size: -1, Dir: 3, Nents: 2, Failure: FailZero, Releases: []string{"dma_unmap_sg_attrs", "dma_unmap_sg"}},
	{Name: "dma_unmap_sg_attrs", Spelling: "dma_unmap_sg", Kind: Unmap, Handle: 1, HandleOut: -1, Size: -1, Dir: 3, Nents: 2},
	{Name: "dma_unmap_sg", Spelling: "dma_unmap_sg", Kind: Unmap, Handle: 1, HandleOut: -1, Size: -1, Dir: 3, Nents: 2},
	{Name: "dma_map_sgtable", Spelling: "dma_map_sgtable", Kind: MapSGTable, Handle: 1, HandleOut: -1, Size: -1, Dir: 2, Nents: -1, Failure: FailErrno, Releases: []string{"dma_unmap_sgtable"}},
	{Name: "dma_unmap_sgtable", Spelling: "dma_unmap_sgtable", Kind: Unmap, Handle: 1, HandleOut: -1, Size: -1, Dir: 2, Nents: -1},

	// Coherent and pool allocations: NULL on failure.
	allocAPI("dma_alloc_coherent", "dma_alloc_coherent", 1, 2, false, "dma_free_coherent", "dma_free_attrs"),
	allocAPI("dma_alloc_attrs", "dma_alloc_attrs", 1, 2, false, "dma_free_attrs", "dma_free_coherent"),
	allocAPI("dma_alloc_noncoherent", "dma_alloc_noncoherent", 1, 2, false, "dma_free_noncoherent"),
	allocAPI("dma_alloc_wc", "dma_alloc_wc", 1, 2, false, "dma_free_wc"),
	allocAPI("dma_pool_alloc", "dma_pool_alloc", -1, 2, false, "dma_pool_free"),
	allocAPI("dma_pool_zalloc", "dma_pool_zalloc", -1, 2, false, "dma_pool_free"),
	allocAPI("usb_alloc_coherent", "usb_alloc_coherent", 1, 3, false, "usb_free_coherent"),
	allocAPI("hcd_buffer_alloc", "hcd_buffer_alloc", 1, 3, false, "hcd_buffer_free"),
	freeAPI("dma_free_coherent", "dma_free_coherent", 2, 1),
	freeAPI("dma_free_attrs", "dma_free_attrs", 2, 1),
	freeAPI("dma_free_noncoherent", "dma_free_noncoherent", 2, 1),
	freeAPI("dma_free_wc", "dma_free_wc", 2, 1),
	freeAPI("dma_pool_free", "dma_pool_free", 1, -1),
	freeAPI("usb_free_coherent", "usb_free_coherent", 2, 1),
	freeAPI("hcd_buffer_free", "hcd_buffer_free", 2, 1),
	// Managed (devres) allocations: released when the driver unbinds.
	allocAPI("dmam_alloc_coherent", "dmam_alloc_coherent", 1, 2, true),
	allocAPI("dmam_alloc_attrs", "dmam_alloc_attrs", 1, 2, true),

	// The mapping-error test.
	{Name: "dma_mapping_error", Spelling: "dma_mapping_error", Kind: Check, Handle: 1, HandleOut: -1, Size: -1, Dir: -1, Nents: -1},
}

// Table is the DMA API table the checker runs with, by post-preprocessing
// name.
type Table struct {
	byName map[string]*API
}

// DefaultTable returns the built-in table.
func DefaultTable() *Table {
	t := &Table{byName: map[string]*API{}}
	for i := range defaultAPIs {
		a := defaultAPIs[i]
		t.byName[a.Name] = &a
	}
	return t
}

// Lookup returns the entry for a callee name, or nil.
func (t *Table) Lookup(name string) *API { return t.byName[name] }

// Names returns the table's names, sorted.
func (t *Table) Names() []string {
	var ns []string
	for n := range t.byName {
		ns = append(ns, n)
	}
	sort.Strings(ns) // for determinism
	return ns
}

// Add adds or replaces entries after validating them.
func (t *Table) Add(apis []API) error {
	for i := range apis {
		a := apis[i]
		if a.Name == "" {
			return fmt.Errorf("dma api entry %d: no name", i)
		}
		switch a.Kind {
		case Map, MapSG, MapSGTable, Alloc, Unmap, Free, Check, Handoff:
		default:
			return fmt.Errorf("dma api %s: unknown kind %q", a.Name, a.Kind)
		}
		if a.Spelling == "" {
			a.Spelling = a.Name
		}
		t.byName[a.Name] = &a
	}
	return nil
}

// OptionConfig is the checker option naming the user API model file
// shared with the refcount checker (resource.ParseConfig's format); its
// [dma] section adds entries to the table. Families there are the DMA
// families of the shared engine: dma_map (a handle returned, tested by a
// checker predicate), dma_sg (a scatterlist argument, count 0 on failure),
// dma_sgtable (0 or -errno) and dma_coherent (memory returned, NULL on
// failure).
const OptionConfig = "config"

// tableFor returns the default table extended from the options.
func tableFor(opts map[string]string) (*Table, error) {
	t := DefaultTable()
	path := opts[OptionConfig]
	if path == "" {
		return t, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("dma config: %w", err)
	}
	defer f.Close()
	spec, err := resource.ParseConfig(f, "dma")
	if err != nil {
		return nil, fmt.Errorf("dma config %s: %w", path, err)
	}
	apis, err := apisFromSpec(spec)
	if err != nil {
		return nil, fmt.Errorf("dma config %s: %w", path, err)
	}
	if err := t.Add(apis); err != nil {
		return nil, fmt.Errorf("dma config %s: %w", path, err)
	}
	return t, nil
}

// apisFromSpec turns the config file's engine entries into table entries
// (sizes, directions and nents unknown: -1).
func apisFromSpec(s resource.Spec) ([]API, error) {
	kinds := map[string]Kind{"dma_map": Map, "dma_sg": MapSG, "dma_sgtable": MapSGTable, "dma_coherent": Alloc}
	failures := map[Kind]Failure{Map: FailMappingError, MapSG: FailZero, MapSGTable: FailErrno, Alloc: FailNull}
	none := API{Handle: -1, HandleOut: -1, Size: -1, Dir: -1, Nents: -1}
	var out []API
	for _, a := range s.Acquires {
		k, ok := kinds[a.Family]
		if !ok {
			return nil, fmt.Errorf("acquire %s: family %q is not a DMA family (dma_map, dma_sg, dma_sgtable, dma_coherent)", a.Func, a.Family)
		}
		e := none
		e.Name, e.Spelling, e.Kind, e.Failure, e.Family = a.Func, a.Func, k, failures[k], a.Family
		if a.Object != resource.Ret {
			e.Handle = int(a.Object)
		}
		out = append(out, e)
	}
	for _, r := range s.Releases {
		k, ok := kinds[r.Family]
		if !ok {
			return nil, fmt.Errorf("release %s: family %q is not a DMA family", r.Func, r.Family)
		}
		e := none
		e.Name, e.Spelling, e.Kind, e.Handle, e.Family = r.Func, r.Func, Unmap, r.Arg, r.Family
		if k == Alloc {
			e.Kind = Free
		}
		out = append(out, e)
	}
	for _, h := range s.Handoffs {
		e := none
		e.Name, e.Spelling, e.Kind, e.Handle = h.Func, h.Func, Handoff, h.Arg
		out = append(out, e)
	}
	for _, p := range s.Predicates {
		e := none
		e.Name, e.Spelling, e.Kind, e.Handle = p.Func, p.Func, Check, p.Arg
		out = append(out, e)
	}
	return out, nil
}
