// Package lockorder is kcheck's static lockdep: lock-order cycles (AB-BA),
// recursive acquisition (AA) and locks still held at return, across call
// paths of the whole analysed program.
//
// # Lock classes
//
// A lock class is what lockdep would call it. A lock that is a struct
// member is named by the struct type and the member path, from the type
// the front end gives the member access (`struct usb_hub.status_mutex`;
// members of embedded structs keep the outer struct: `struct foo.bar.lock`);
// array elements and list entries share the class of the member. A global
// lock is its variable, qualified by the unit's file when it is static. A
// constant subclass passed to a *_nested call is part of the key
// (`struct foo.lock/1`). A lock reached only through a pointer parameter
// gets its class in the caller, through the summary. When the type of the
// lock expression is unknown, the class is made from its spelling and the
// finding is reported at level note with a remark saying so.
//
// # What is modelled
//
// The acquire/release table (api.go) lists the post-preprocessing names of
// the spinlock, rwlock, mutex, rw_semaphore, rt_mutex, socket and device
// locks, with when the lock is held: always, when the result is non-zero
// (trylock forms) or when it is zero (_interruptible, _killable). The
// conditional forms are followed through the branch that tests the call's
// result (directly or through the variable it was stored in): a failed
// trylock holds nothing and adds no order edge. spin_lock_irqsave arrives
// as `flags = _raw_spin_lock_irqsave(spinlock_check(l))`: the lock is
// spinlock_check's argument.
//
// Each function is analysed over its CFG with one state per distinct held
// set (held locks, pending conditional acquisitions, locks released on the
// path): paths that hold the same locks are merged, so the cost is linear
// in the size of the function times the number of distinct lock states.
// A function gets a summary, computed bottom-up over the call graph's
// strongly connected components (recursive ones to a fixed point): the
// classes it acquires, directly or in callees, each with one witness call
// chain and the caller's locks it released before; the locks it releases
// without taking them (unlock helpers); the locks it holds on every return
// (lock helpers); and the locks it holds when its result says success
// (wrappers of trylock or _interruptible, and helpers that return 0 with
// the lock held and an error after unlocking). Callers apply summaries at
// their call sites; calls through ops-struct members reach every function
// stored into that member.
//
// # Path correlation
//
// A path remembers the outcome of the branches it took, so that a later
// test of the same condition goes the same way (`if (!PMSG_IS_AUTO(msg))
// mutex_lock(...)` ... `if (!PMSG_IS_AUTO(msg)) mutex_unlock(...)` is
// balanced). Conditions are normalised first: `x != 0` and `x == 0` are
// the truth test of x, the latter negated; a bit test the front end did
// not model, `m & MASK` with m a variable or a member path over one (as
// PMSG_IS_AUTO expands), is named by the path and the mask; and the
// result of a call tested directly by a branch is named by its callee
// and the keys of its arguments when the call is a predicate: called
// directly, not in the lock table, with an empty summary (it takes,
// releases and returns holding nothing), inline or named like one (is_,
// has_, test_, can_, _is_, _has_), and given only variables, constants,
// member paths and addresses of member paths. The rule is the one the
// code itself relies on when it writes the same test twice: between
// the tests nothing it can see changed the answer. So a fact is
// forgotten when the function assigns a variable the condition reads,
// stores to a member it reads (for a predicate call, also to a member
// below its argument), or passes the address of a local to a call, but
// not when a callee might change a member behind the function's back.
// Two calls given the address of a local (an output parameter) or that
// lock anything are not predicates: `usb_hub_port_status(hub, p, &st,
// &ch) == 0` twice are two questions. A constant assigned to a local, or
// learned from `x == c` on a local or parameter (an enum parameter
// tested `type == HUB_INIT2 || type == HUB_INIT3`), decides every later
// comparison of it with a constant.
//
// Only conditions tested at two or more branch sites are remembered.
// When a block gathers maxStatesPerBlock states, a new state is widened:
// it keeps the facts on conditions that control a lock operation (an
// acquire or release, or a call to a lock or unlock helper, in the
// branch's control-dependent region, found with postdominators) up to
// maxKeptFacts of them, and the constants of the variables such branches
// test, and forgets the rest; states that differ only in forgotten facts
// merge. Past 1.5 times the bound every path condition goes, and past
// twice the bound paths are cut (lockorder/analysis-capped).
//
// # Rules
//
// lockorder/abba: the lock-order graph has an edge A -> B when some path
// acquires B, directly or in a callee, while holding A. Each cycle is
// reported once, at the acquisition that closes it, with one code flow per
// edge: the chain to the acquisition of the held lock and the call chain
// down to the acquisition of the next one.
//
// lockorder/self: a class acquired while the same lock is held on the same
// path, directly or in a callee.
//
// lockorder/held-at-return: a return path still holds a lock the function
// took while another path of the function releases it (an error path that
// forgot to unlock), or a path releases a lock it already released (double
// unlock).
//
// lockorder/analysis-capped: a note that a function had more distinct lock
// states than the analysis bound, so some of its paths were not analysed.
//
// # Sound and approximate
//
// A silent run does not prove the absence of deadlocks. Path
// correlation trades some of it for precision: a fact is trusted across
// calls that might change a member it tests, and a predicate called
// twice is taken to answer the same both times; a path that depends on
// the answer changing is not analysed. What is missed:
// locks taken through calls the call graph does not resolve (function
// pointers in variables, members nothing stores into) and through APIs not
// in the table; lock identity through arbitrary pointer copies (only a local
// assigned once from an address is looked through); interrupt context
// (a spin_lock taken in process context without disabling interrupts and
// in an interrupt handler); reader/writer subtleties beyond "two readers do
// not deadlock". Recursion is reported only when both acquisitions provably
// name the same object (the same expression on a path where its variable
// did not change, or a global lock): two members of one class in different
// objects are not reported, because without CONFIG_DEBUG_LOCK_ALLOC the
// *_nested annotations that tell nesting from recursion vanish during
// preprocessing. The device core's dev->mutex is, as in lockdep, not
// ordered against other locks. What over-approximates: calls through an
// ops member reach every implementation stored into it, so an edge may
// combine a caller with an implementation it never reaches at run time; a
// held-at-return finding assumes every return path is feasible, except
// that conditional acquisitions are followed through tests of their
// result. A function whose states exceed the per-block or visit bound is
// analysed partially and flagged with a note.
package lockorder
