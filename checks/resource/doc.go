// Package resource is kcheck's shared path engine for the rule "a resource
// acquired on a path must be released or handed off on every path to
// function exit". The refcount checker (references: pm_runtime, of_node,
// get_device, kobject, ...) and the dma checker (mappings and coherent
// allocations) are two tables over this one engine.
//
// # API (stable: clients build on exactly this)
//
// A client describes its APIs as data in a Spec:
//
//   - Acquire: a function that acquires a resource. Object says which
//     value holds it: Ret (the returned value, e.g. of_find_node_by_name,
//     dma_map_single_attrs), Arg(i) (the object passed, e.g.
//     pm_runtime_get_sync(dev) raises dev's usage count) or an out argument
//     (Out: *Args[i], or (*Args[i]).OutField). When says when the
//     acquisition holds: Always, OnSuccess or OnFailure (device_register:
//     only a failed registration leaves the caller a reference to put);
//     Fail says how the call's failure is tested: FailNegative (< 0),
//     FailNonZero (!= 0), FailZero (== 0, !ret), FailNull, FailErrPtr
//     (IS_ERR), FailErrOrNull, FailNonPositive (<= 0), or FailChecker with
//     Checker naming a predicate call such as dma_mapping_error whose
//     CheckerArg is the handle. Drops names an argument whose reference the
//     call drops (of_get_next_child(parent, prev) drops prev, of_find_*
//     drop from). ReturnsArg names the argument the result aliases
//     (of_node_get(np) returns np), so a discarded result still tracks np.
//   - Release: a function releasing the resource of Family held by
//     Args[Arg] (of_node_put, pm_runtime_put_noidle, dma_unmap_single_attrs).
//   - Handoff: a function that takes ownership of Args[Arg] (list_add,
//     platform_set_drvdata): the path no longer owns the resource.
//   - Predicate: a call whose non-zero result means Args[Arg] failed
//     (IS_ERR, IS_ERR_OR_NULL, dma_mapping_error).
//   - Registration: a function registering Args[Arg] (device_add,
//     device_register): a function that registers an object constructs
//     it, and a count on that object left held on an error return is the
//     state of an object its caller discards, not a leak (usb_new_device's
//     pm_runtime_get_noresume); a failed acquisition is still reported.
//
// OutHandles lists the pointer arguments through which a Ret acquisition
// stores a second handle of the same resource (dma_alloc_coherent's
// dma_handle, dma_pool_alloc's): a local it points to is an alias, so
// storing the DMA address into a descriptor chain hands the memory off.
// DefaultHandoffs is the hand-off list shared by every client (list
// insertion, driver data, xarray/idr, work items and threads, URB
// buffers and contexts); clients add their own entries after it.
//
// Every entry names a Family ("of_node", "pm", "dma_single", ...): a
// release only releases resources of its own family.
//
// Analyzer.Run(units) walks the call graph bottom up (callee SCCs first),
// analyses every defined function once (recursive SCCs: once, in order,
// with the summaries available so far) and returns one FuncResult per
// function, in graph order. Each function's Summary is turned into table
// entries for its callers: a function that returns a resource it acquired
// becomes an Acquire with Object Ret (so callers of a driver's own
// foo_get() are checked like of_find_*), a function that leaves a
// resource acquired on an argument becomes an Acquire on that argument
// (with When and Fail inferred from its return values), one that releases
// a parameter on some path becomes a Release, one that stores a parameter
// into a struct field or global (or hands it to a Handoff) becomes a
// Handoff. Table entries take precedence over summaries, so a stub body of
// an API in the analysed code does not override its declared semantics.
//
// A FuncResult lists the function's Exits (each with the resources
// tracked at that exit, their State, the returned value's classification
// and the Path that reached it), the Releases seen (for related
// locations), and the Findings the engine makes itself: DoubleRelease (a
// release of a new object (Owned) this path already released or dropped;
// counts on objects passed in may have been raised elsewhere too),
// UseAfterRelease (a dereference of the handle after its release, for
// families with PutFrees, of a new object (Owned) only: a count raised
// on an object passed in leaves the caller's reference keeping it
// alive) and Capped (the exploration bound was hit).
// LeakCandidates(fr) applies the common leak policy and returns one Leak
// per acquisition site, each with a Flow (the acquisition essential, each
// branch decision important, the exit essential) and Related locations of
// the releases of that site on other paths. Clients turn those into their
// own diagnostics; Hooks.OnCall lets a client inspect each call in each
// explored state (dma/unchecked-mapping, dma/mismatch) through the State
// methods Tracked and Refers.
//
// # Path exploration
//
// Exploration is a worklist dataflow over (block, abstract state): a state
// is the set of tracked resources (site, aliases, state, status key and
// status) plus interval facts on values tested by branches. Identical
// states reaching a block are merged (the first path that reached it is
// kept as the witness), so the common probe() with many sequential
// `if (err) goto errN;` labels costs the number of distinct resource sets,
// not 2^n paths. Limits bound the work: past MaxStatesPerBlock distinct
// states at one block the facts are dropped (states merge further), past
// 2*MaxStatesPerBlock more states at the block are not explored, and past
// MaxSteps block visits in one function the function is abandoned; either
// way FuncResult.Capped is set and the client reports it.
//
// # Branch feasibility
//
// Branch conditions (normalised by the front end) are evaluated against
// per-value integer intervals: after `ret = f(); if (ret < 0)` the taken
// branch knows ret in [min,-1], so a later `if (ret)` on the same path is
// decided and `if (ret >= 0)` is infeasible; assignments and calls that may
// change a value forget its facts. A resource whose status value is tested
// is resolved by its Fail test (pm_runtime_get_sync's failure branch still
// holds the reference, of_find_*'s NULL branch holds none); IS_ERR and
// checker predicates are interpreted through the Predicate table; a
// FailChecker handle compared with the all-ones error value directly
// (d == DMA_MAPPING_ERROR, d != ~0) is resolved as the checker would. A
// NULL test of any pointer handle resolves its resource as not acquired.
//
// # Loops and witnesses
//
// Each tracked instance remembers the path step of its own acquisition:
// when a loop's call acquires again, the earlier iteration's instance
// keeps its state (handed off, or still held through another alias) and
// the new instance is resolved by its own test, so a failed allocation in
// iteration k+1 holds nothing and reports only what iteration k really
// left held, with a witness starting at iteration k's call.
//
// # Hand-offs (what stops tracking)
//
// A resource is handed off (state Escaped) when its handle is returned,
// stored into a struct field reached through a pointer (other than one of
// its own: td->dma_handle = dma_handle keeps td held), a global or an
// array element, passed to a Handoff, to a function whose summary stores
// it or hands it (or &it->member, as list_add(&td->list, ..) does) on,
// or to an indirect call (an unknown function pointer may store it:
// conservative, no report). Passing it to a defined function with no
// effect on that argument, or to an external function not in the table,
// is a borrow: the caller still owns it.
//
// # Sound and approximate
//
// Approximate: aliases are tracked through plain assignments to locals and
// local struct members only; stores through pointers are hand-offs; facts
// relate a value to constants only (x < y between variables is not
// decided); switch cases add no facts; loops are explored until the
// states repeat (a counter's facts are forgotten at its assignment);
// recursive SCCs are analysed once, so a member calling a later member
// sees no summary for it. The engine under-reports rather than over-reports
// where it cannot tell (pending acquisitions whose status is never tested
// are not leaks; capped functions may miss findings).
package resource
