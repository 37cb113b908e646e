// Package dma is kcheck's dma checker: the static counterpart of
// CONFIG_DMA_API_DEBUG, which finds DMA API misuse only on paths that ran,
// on hardware that has the device.
//
// # Rules
//
//   - dma/unchecked-mapping: the handle dma_map_single, dma_map_page or
//     dma_map_resource returned reaches a use (stored into a descriptor or
//     struct, passed to a function, unmapped) on a path where
//     dma_mapping_error() was not called on it (nor the handle compared
//     with DMA_MAPPING_ERROR); or the count dma_map_sg returned is used
//     without a test for 0. `if (!handle)` is no test: 0 is a valid bus
//     address and the error value is DMA_MAPPING_ERROR.
//   - dma/leak: a mapping or a coherent/pool allocation made in the
//     function is neither unmapped/freed nor handed off (stored into a
//     struct member or global, returned, passed to a function whose
//     summary keeps it, or to one of the engine's shared hand-offs: list
//     insertion, driver data, an URB's buffer) on some path to a return,
//     typically an error path after a later failure. Storing an
//     allocation's DMA address (its dma_handle out argument) hands it off
//     too (descriptor chains linked by bus address). Managed allocations
//     (dmam_*) need no release.
//   - dma/mismatch: an unmap or free whose size or direction differs from
//     its map's, when the map is visible in the same function or stored
//     into a struct member that another function of the same driver
//     (directory) unmaps; or dma_unmap_sg given the count dma_map_sg
//     returned instead of the nents passed to it.
//   - dma/double-unmap: the same handle (the same variable or member path)
//     unmapped or freed twice on one path with no new mapping in between.
//
// # Model
//
// The API table (api.go) is data: each entry names the post-preprocessing
// function (dma_map_single_attrs for the dma_map_single macro), its kind,
// which argument is the handle, size, direction and nents, and how its
// failure is tested (dma_mapping_error for single/page/resource, 0 for
// dma_map_sg, -errno for dma_map_sgtable, NULL for the coherent and pool
// allocators). The [dma] section of the user API model file shared with
// the refcount checker (checker option "config", format of
// resource.ParseConfig) adds entries for a subsystem's own wrappers, in
// the engine's families dma_map, dma_sg, dma_sgtable and dma_coherent.
//
// Summaries are learned bottom-up over the call graph, so a driver's own
// helpers act like the API they wrap: a function that returns an untested
// mapping is a mapper (its callers must test the result), a function that
// calls dma_mapping_error on a parameter (or a member through it) is a
// check, and a function that releases a parameter's mapping on every path
// to its return is an unmap (for double-unmap).
//
// unchecked-mapping, mismatch and double-unmap are forward dataflow walks
// over the function's CFG: one per mapping site, following the handle
// through copies into locals and stores into memory, and one for released
// storage. dma/leak runs on the path engine shared with the refcount
// checker (package kcheck/checks/resource) with the DMA table converted to
// its Spec.
//
// # Sound and approximate
//
// Nothing here is sound. The walks join paths (a use is reported if it is
// reachable untested on some path of the CFG, without branch
// feasibility), so correlated branches can give false positives; the leak
// rule inherits the engine's interval feasibility. Handles are followed
// through plain copies and member stores; expressions the front end keeps
// only as text (handle + offset, lower_32_bits(handle)) are matched by
// spelling. Array elements are one storage for all indices, so neither a
// double unmap nor a store of an array element is followed. A mismatch is
// reported only between constants (directions, sizeof sizes): variable
// sizes that differ in spelling may be equal. The cross-function mismatch
// compares an unmap of a member with every map stored into that member in
// the driver and reports only when none agrees. A handle returned untested
// is the caller's to test; a mapper whose callers are outside the analysed
// code is therefore not checked. Recursive call cycles are summarised once
// (a member calling a later member sees no summary). Each walk is bounded
// (maxFlowSteps block visits); a capped walk keeps its findings so far and
// is counted in Stats.CappedWalks.
package dma

import "kcheck/checks"

const doc = `dma: DMA API misuse: unchecked mappings, leaked mappings, mismatched and double unmaps

The static counterpart of CONFIG_DMA_API_DEBUG. It reports dma_map_single /
dma_map_page / dma_map_resource handles used without dma_mapping_error(),
dma_map_sg counts used without a test for 0, mappings and coherent
allocations that an exit path neither releases nor hands off, unmaps whose
size or direction differs from the map (or dma_unmap_sg given the mapped
count instead of nents), and handles unmapped twice on one path. The API
table is data (extensible from the [dma] section of the config file); a driver's own map,
check and unmap helpers are learned bottom-up. Approximate: paths are
joined (no branch feasibility except in the leak rule), handles are
followed through copies and member stores, and mismatches are reported only
between constants.`

var rules = []*checks.Rule{
	{
		ID:    RuleUnchecked,
		Name:  "DMAUncheckedMapping",
		Short: "A DMA mapping is used without testing it for failure.",
		Full: "The handle returned by dma_map_single, dma_map_page or dma_map_resource reaches a use " +
			"(a descriptor, a register, another function, an unmap) on a path where dma_mapping_error() " +
			"was not called on it, or the count dma_map_sg returned is used without a test for 0. " +
			"A mapping can fail (IOMMU or swiotlb exhaustion); the device is then programmed with " +
			"DMA_MAPPING_ERROR and CONFIG_DMA_API_DEBUG reports \"device driver failed to check map error\".",
		Help: "Test every streaming mapping before use:\n\n" +
			"    dma = dma_map_single(dev, buf, len, DMA_TO_DEVICE);\n" +
			"    if (dma_mapping_error(dev, dma))\n" +
			"        return -ENOMEM;\n\n" +
			"`if (!dma)` is not a test: 0 can be a valid bus address. For dma_map_sg, test the count for 0.",
		HelpMarkdown: "Test every streaming mapping before use.\n\n" +
			"Bad:\n\n```c\ndma = dma_map_single(dev, buf, len, DMA_TO_DEVICE);\ndesc->addr = cpu_to_le64(dma);\n```\n\n" +
			"Good:\n\n```c\ndma = dma_map_single(dev, buf, len, DMA_TO_DEVICE);\nif (dma_mapping_error(dev, dma))\n\treturn -ENOMEM;\ndesc->addr = cpu_to_le64(dma);\n```\n\n" +
			"`if (!dma)` is not a test: the error value is `DMA_MAPPING_ERROR`. For `dma_map_sg`, test the returned count for 0.",
		Level:     checks.LevelWarning,
		Tags:      []string{"dma", "reliability", "external/cwe/cwe-252"},
		Precision: "high",
	},
	{
		ID:    RuleLeak,
		Name:  "DMAMappingLeak",
		Short: "A DMA mapping or coherent allocation is not released on some path.",
		Full: "A mapping (dma_map_*) or a coherent or pool allocation made in the function is neither " +
			"unmapped/freed nor handed off (stored into a struct member or global, returned, passed to a " +
			"function that keeps it) on some path to a return, typically an error path after a later " +
			"failure. Managed allocations (dmam_*) need no release.",
		Help: "Unwind every mapping on the error paths that follow it:\n\n" +
			"    dma = dma_map_single(dev, buf, len, DMA_TO_DEVICE);\n" +
			"    if (dma_mapping_error(dev, dma))\n" +
			"        return -ENOMEM;\n" +
			"    desc = kzalloc(sizeof(*desc), GFP_KERNEL);\n" +
			"    if (!desc) {\n" +
			"        dma_unmap_single(dev, dma, len, DMA_TO_DEVICE);\n" +
			"        return -ENOMEM;\n" +
			"    }",
		HelpMarkdown: "Unwind every mapping on the error paths that follow it.\n\n" +
			"Bad:\n\n```c\ndma = dma_map_single(dev, buf, len, DMA_TO_DEVICE);\nif (dma_mapping_error(dev, dma))\n\treturn -ENOMEM;\ndesc = kzalloc(sizeof(*desc), GFP_KERNEL);\nif (!desc)\n\treturn -ENOMEM;\t/* mapping leaked */\n```\n\n" +
			"Good:\n\n```c\nif (!desc) {\n\tdma_unmap_single(dev, dma, len, DMA_TO_DEVICE);\n\treturn -ENOMEM;\n}\n```\n\n" +
			"Or allocate with `dmam_alloc_coherent`, which the driver core frees on unbind.",
		Level:     checks.LevelWarning,
		Tags:      []string{"dma", "resource-leak", "external/cwe/cwe-401"},
		Precision: "medium",
	},
	{
		ID:    RuleMismatch,
		Name:  "DMAUnmapMismatch",
		Short: "An unmap or free does not match its map's size, direction or nents.",
		Full: "An unmap of a handle whose map is visible in the same function, or stored into a struct " +
			"member that another function of the driver unmaps, passes a different size or direction; or " +
			"dma_unmap_sg is given the count dma_map_sg returned instead of the nents passed to it. " +
			"CONFIG_DMA_API_DEBUG reports \"device driver frees DMA memory with different size\" / " +
			"\"with different direction\"; with an IOMMU the wrong size or nents leaves entries mapped.",
		Help: "Unmap with the size and direction of the map; give dma_unmap_sg the nents passed to dma_map_sg:\n\n" +
			"    count = dma_map_sg(dev, sgl, nents, DMA_TO_DEVICE);\n" +
			"    ...\n" +
			"    dma_unmap_sg(dev, sgl, nents, DMA_TO_DEVICE);   /* not count */",
		HelpMarkdown: "Unmap with the size and direction of the map, and give `dma_unmap_sg` the `nents` passed to `dma_map_sg`.\n\n" +
			"Bad:\n\n```c\ncount = dma_map_sg(dev, sgl, nents, DMA_TO_DEVICE);\n...\ndma_unmap_sg(dev, sgl, count, DMA_FROM_DEVICE);\n```\n\n" +
			"Good:\n\n```c\ndma_unmap_sg(dev, sgl, nents, DMA_TO_DEVICE);\n```",
		Level:     checks.LevelWarning,
		Tags:      []string{"dma", "correctness"},
		Precision: "high",
	},
	{
		ID:    RuleDouble,
		Name:  "DMADoubleUnmap",
		Short: "A DMA handle is unmapped or freed twice on one path.",
		Full: "The same handle (variable or member path) is unmapped or freed twice on one path with no new " +
			"mapping in between, directly or through a driver helper that always unmaps it. " +
			"CONFIG_DMA_API_DEBUG reports \"device driver tries to free DMA memory it has not allocated\".",
		Help: "Release each mapping once; after an unwind path releases it, do not fall through to a label that releases it again.",
		HelpMarkdown: "Release each mapping once.\n\n" +
			"Bad:\n\n```c\nif (err) {\n\tdma_unmap_single(dev, dma, len, DMA_TO_DEVICE);\n\tgoto out;\n}\n...\nout:\n\tdma_unmap_single(dev, dma, len, DMA_TO_DEVICE);\n```\n\n" +
			"Good: unmap in one place, on the unwind label.",
		Level:     checks.LevelWarning,
		Tags:      []string{"dma", "correctness", "external/cwe/cwe-415"},
		Precision: "medium",
	},
}
