// Package stackdepth is kcheck's stackdepth checker: worst-case kernel
// stack usage per call path, not only per function.
//
// Kernel stacks are small and fixed (THREAD_SIZE is 16 KiB on x86_64).
// The kernel's own tools (CONFIG_FRAME_WARN, checkstack.pl, -fstack-usage)
// look at one function at a time; an overflow comes from a path. The
// checker computes each function's frame, then the deepest call path below
// every entry point of the analysed code, and reports:
//
//   - stackdepth/frame: a frame above frame-warn (default 2048 bytes, like
//     CONFIG_FRAME_WARN on 64-bit), with its largest locals;
//   - stackdepth/path: an entry point whose worst-case path is above
//     stack-budget (default 8192 bytes, see below); the code flow lists
//     each call with the frame it adds and the running total, and the
//     message gives the total and the largest frames;
//   - stackdepth/recursion: a cycle of calls (a function calling itself,
//     or functions calling each other), with the cycle;
//   - stackdepth/unbounded: a frame whose size depends on run-time data (a
//     variable-length array, alloca, or a frame GCC reports as "dynamic"),
//     with a call path from an entry point to it.
//
// # Options
//
// The checker reads these keys of checks.Pass.Options (the command line
// passes --frame-warn, --stack-budget and --stack-usage through):
//
//	frame-warn   = bytes   per-function limit; default 2048
//	stack-budget = bytes   per-path limit; default 8192
//	stack-usage  = DIR     read GCC's .su files under DIR; default "" (estimate every frame)
//
// # Frames
//
// With stack-usage, a function that has a line in GCC's .su files (from a
// build with KCFLAGS=-fstack-usage) gets exactly GCC's number (clones such
// as name.constprop.0 or name.isra.0 count under their base name, with the
// largest of their frames). A static function of a file GCC compiled that
// has no .su line was inlined into its callers (or dropped): its frame is
// counted as 0, because its locals are already in its callers' frames.
// Every other function gets the estimate below.
//
// The estimate (FrameModel) is: 8 bytes of return address; saved
// callee-saved registers and spill slots as a step function of the number
// of call sites (0 below 3 calls, 16 from 3, 24 from 6, 32 from 10, 48
// from 20, 56 from 40: the medians GCC shows on drivers/usb); the outgoing
// argument area of calls with more than six arguments; an 8-byte canary
// when a local is an array or has its address taken
// (CONFIG_STACKPROTECTOR_STRONG); and the locals that live in memory:
// arrays, structs and unions, and scalars whose address is taken (other
// scalars are assumed to live in registers at -O2). Locals are sized and
// aligned by kcheck's type layer; a local of unknown size counts 0.
//
// Scopes: a scope needs its own locals plus the largest of its child
// scopes, so sibling scopes share space. That is GCC's model at -O2
// (-fstack-reuse=all: variables whose lexical scopes do not overlap may
// share a stack slot); it is exact for GCC's partitioning only when the
// variables are not live beyond their scope.
//
// Inlining: GCC at -O2 inlines a static function that is called from one
// call site (-finline-functions-called-once) and static inline functions.
// The model does the same for a static function never used as a value
// (not stored in a struct, not passed as a callback) that is declared
// inline or called from exactly one call site, unless GCC's stack-growth
// limit refuses it (--param large-stack-frame=256 and
// large-stack-frame-growth=1000: the caller's stack would exceed 256 bytes
// and grow more than elevenfold over its own locals). An inlined
// function's locals go into its caller's frame (several inlined bodies
// share space like sibling scopes) and its own frame counts 0 on paths.
// This is why a large-frame helper called once shows up in its caller's
// frame, as it does in GCC's warnings; noinline_for_stack is not visible
// in kcheck's IR yet, so a helper marked with it is still modelled as
// inlined (a known false-positive source).
//
// Accuracy on Linux 6.1 drivers/usb (Debian config, 4973 functions with
// both an estimate and a GCC frame; TestCalibrateDriversUSB recomputes
// these): median relative error 25%, 90th percentile 133%, 1324
// estimates (26.6%) below GCC's number, 33 of GCC's 50 largest frames in
// the model's 50 largest, Spearman rank correlation 0.73 over GCC's top
// 50. Summing inlined bodies instead of sharing gives the same median and
// 0.72; never inlining callees with locals gives 0.67. Large functions are
// underestimated (GCC spills more than the step function says), and
// functions with structs GCC scalarises or helpers it declines to inline
// for code size are overestimated.
//
// # Paths
//
// The worst path below a function is its frame plus the largest worst path
// of its callees, memoised bottom-up over the call graph's strongly
// connected components, so the cost is linear in the size of the graph,
// not in the number of paths. Entry points are functions nothing in the
// analysed code calls (ops callbacks, exported symbols, module init/exit,
// interrupt handlers, work functions). Indirect calls are followed
// wherever the call graph resolved them (by struct member, to every
// function stored into it: an over-approximation). Calls inside a cycle
// are not followed (each member counted once, a lower bound); the cycle is
// reported by stackdepth/recursion instead.
//
// Default budget: 8192 bytes for what the analysed code itself uses, half
// of THREAD_SIZE. The other half is for what runs below a driver on the
// same stack and is not in the analysed code: the system call or kthread
// entry and pt_regs, the core layers that call into the driver (VFS, block
// and SCSI for usb-storage, the network stack for a USB NIC, the USB core
// hub thread), typically 3-5 KiB on the deep paths the kernel's stack
// tracer shows, and the kernel functions the driver calls, counted here as
// 0 (printk, the allocator with direct reclaim, locking slow paths),
// another 2-3 KiB. Interrupts run on separate IRQ stacks on x86_64 and do
// not count.
//
// # What is sound and what is approximate
//
// Nothing here is a proof. Frames are estimates unless GCC's .su data is
// given; external functions (kernel API outside the analysed code) count 0
// unless the .su data has them; unresolved indirect calls (through a plain
// function pointer variable) are not followed; a function-pointer member
// resolves to every function stored into it, which may join unrelated
// drivers on one path. A silent run means no path the call graph knows
// exceeds the budget under the model, not that the stack cannot overflow.
//
// # kcheck stack
//
// WorstPath prints the worst path below one function as a table, and
// ParseCallTrace with TraceUsage read a kernel oops "Call Trace:" block
// and print the stack used along that chain.
package stackdepth

// doc is the checker's documentation for kcheck help and SARIF: the
// package doc above in short form.
const doc = `stackdepth: worst-case kernel stack usage per call path

Reports frames above frame-warn (default 2048), call paths from entry points
whose summed frames exceed stack-budget (default 8192: half of the 16 KiB
x86_64 THREAD_SIZE, the other half left to the callers below a driver and
to the unanalysed kernel functions it calls), recursion cycles, and frames
made unbounded by VLAs or alloca.

Frames come from GCC's -fstack-usage .su files (option stack-usage=DIR)
where available, and otherwise from an estimate: return address, saved
registers by number of calls, outgoing stack arguments, stack canary, and
the locals that live in memory (aggregates and address-taken scalars),
with sibling scopes sharing space and static functions GCC inlines
(called once, or declared inline, within GCC's stack-growth limit) placed
in their callers' frames. Paths are the longest paths over the call graph,
memoised over its strongly connected components (linear cost), following
resolved indirect calls. External kernel functions count 0; calls inside
a recursion cycle are not followed (the cycle is reported).

Options: frame-warn=BYTES (2048), stack-budget=BYTES (8192),
stack-usage=DIR (none).`
