// Package refcount is the refcount checker: references taken (runtime PM
// usage counts, device tree nodes, devices, kobjects, usb devices, pci
// devices, fwnodes, ...) that some path to function exit neither releases
// nor hands off, references released twice on one path, and objects used
// after their release.
package refcount

// doc is the checker's documentation (kcheck help refcount, SARIF help).
const doc = `refcount: references taken and not released on some path, with the path

Rules:
  refcount/leak            a reference the function took is neither released nor handed off on some path to exit
  refcount/put-unowned     a release of a reference the path already released or dropped (of_node_put after of_find_*(from) dropped it)
  refcount/use-after-put   a dereference of an object after its release on the same path
  refcount/incomplete      (note) the function's path exploration was bounded

What it models. The reference API table (checks/refcount/api.go, the
References table of docs/KERNEL-APIS.md) says for each API which value holds
the reference (the result, or the object passed), when it is taken (always;
only on success: of_find_* non-NULL, pm_runtime_resume_and_get == 0; only on
failure: a failed device_register or kobject_init_and_add leaves a reference
to put, a successful one belongs to the driver core), how failure is tested,
and which argument a call drops (of_find_*(from), of_get_next_child(prev):
the for_each_child_of_node loops). The path engine (checks/resource) follows
each reference over every CFG path with branch feasibility: after
ret = pm_runtime_get_sync(dev); if (ret < 0) the failure branch still holds
the reference; after np = of_find_*(); if (!np) the NULL branch holds none.

A reference is fine when it is released, returned, stored into a struct
field, a global or an array element, passed to a list insertion or a
drvdata setter, to a function whose summary stores or releases it, or to an
indirect call (conservatively: an unknown function pointer may keep it).

Which held references are leaks. A new object held through a local (of_find_*,
usb_get_dev assigned to a local, of_get_next_child) is a leak on any path that
keeps it. A count raised on an object passed in (pm_runtime_get_sync(dev),
kobject_init_and_add(&x->kobj)) is reported on the path where the acquiring
call itself failed (the pm_runtime_get_sync classic), where other paths of the
function release it (the developer knew to release: high confidence), or where
the path returns an error; a count held on every path is the function's
purpose (a get wrapper) and becomes its summary.

Interprocedural. Summaries are computed bottom-up over the call graph's SCCs:
a function returning a reference it took becomes an acquire for its callers
(a driver's foo_get()/of_find wrapper), one leaving a count raised on a
parameter becomes an acquire on that argument (when and how it fails inferred
from its return values), one releasing or storing a parameter becomes a
release or a hand-off. No configuration is needed for a driver's own
wrappers.

User configuration. Pass.Options["config"] (cmd/kcheck --config FILE) names a
line-oriented model file whose [refcount] section adds APIs (the dma checker
reads the [dma] section of the same file):

  [refcount]
  family  foo_ref noun="foo reference" frees
  acquire foo_get family=foo_ref object=ret when=success fail=null
  acquire foo_get_next family=foo_ref object=ret when=success fail=null drops=arg1
  acquire foo_pm_get family=pm object=arg0 when=always fail=neg
  release foo_put family=foo_ref arg=0
  handoff foo_attach arg=1

object is ret or argN (with "out" and field=F for an out argument: *argN or
argN->F receives the reference); when is always, success or failure; fail is
none, neg (< 0), nonzero, zero, null, iserr, iserrornull, nonpositive, or
checker=FUNC:argN; drops=argN names an argument whose reference the call
drops; returns=argN the argument the result aliases.

Sound and approximate. Findings are per path and feasible under the modelled
conditions (integer intervals on tested values, IS_ERR/IS_ERR_OR_NULL,
NULL tests of the handle); conditions relating two variables, loop counters
and switch ranges are not decided, so an infeasible path can be reported.
Aliases are followed through plain assignments to locals only; a store
through a pointer is a hand-off, so a reference stored and leaked later is
missed. Unknown external functions borrow their arguments (no effect).
Recursive SCCs are analysed once. Exploration merges identical states per
block (bounded, see refcount/incomplete); use-after-put needs a dereference
of the very pointer after the release on one path. devm_* managed variants
need no release and are not tracked.
`
