package lockorder

import "kcheck/checks"

// doc is the checker's documentation: the package doc's summary and rule
// descriptions, kept here as text for `kcheck help lockorder`.
const doc = `lockorder: lock-order cycles (AB-BA), recursive acquisition (AA) and locks held at return, across call paths.

A static lockdep. Lock classes are named as lockdep names them (struct type and
member path, or the global variable). Each function is analysed over its control
flow graph with the held set on every path; conditional acquisitions (trylock,
_interruptible, _killable) are followed through the branch on their result.
Summaries computed bottom-up over the call graph carry what each function
acquires (with a witness call chain), releases without taking, and returns
holding. Edges A -> B of the lock-order graph come from acquiring B while A is
held; each cycle is reported once with both witness paths.

Not proved by a silent run: locks behind unresolved function pointers or APIs
outside the table, interrupt-context inversions, recursion on two different
objects of one class (nesting annotations vanish without CONFIG_DEBUG_LOCK_ALLOC).`

var ruleABBA = &checks.Rule{
	ID:    "lockorder/abba",
	Name:  "LockOrderCycle",
	Short: "Two or more lock classes are acquired in opposite orders on different call paths (possible AB-BA deadlock).",
	Full: "The lock-order graph has an edge A -> B when a path acquires B, directly or in a callee, while holding A. " +
		"A cycle in that graph means two threads taking the locks along different paths can each wait for the other forever; " +
		"lockdep reports it as a possible circular locking dependency when both orders happen at run time.",
	Help: "Take the locks in one global order everywhere, or drop the first lock before calling code that takes the second. " +
		"The finding shows one call chain per edge of the cycle: where the first lock was taken and how the second is reached.",
	HelpMarkdown: "Take the locks in one global order everywhere, or drop the first lock before calling code that takes the second.\n\n" +
		"Bad:\n\n```c\nvoid a(struct dev *d) { mutex_lock(&d->x); mutex_lock(&d->y); ... }\nvoid b(struct dev *d) { mutex_lock(&d->y); mutex_lock(&d->x); ... }\n```\n\n" +
		"Good:\n\n```c\nvoid b(struct dev *d) { mutex_lock(&d->x); mutex_lock(&d->y); ... }\n```",
	Level:     checks.LevelWarning,
	Tags:      []string{"locking", "deadlock", "external/cwe/cwe-833"},
	Precision: "medium",
}

var ruleSelf = &checks.Rule{
	ID:    "lockorder/self",
	Name:  "RecursiveLocking",
	Short: "A lock is acquired while the same lock is already held (AA deadlock).",
	Full: "Kernel locks are not recursive: acquiring a lock that the same path already holds, directly or in a callee, " +
		"deadlocks (spinlocks spin forever, mutexes sleep forever). Lockdep reports it as possible recursive locking.",
	Help: "Release the lock before calling the function that takes it again, or split the callee into a locked and an unlocked variant " +
		"(the __foo_locked convention). If two different objects of one class are meant to nest, use the *_nested annotation.",
	HelpMarkdown: "Release the lock before calling the function that takes it again, or provide a variant that expects the lock held.\n\n" +
		"Bad:\n\n```c\nstatic void update(struct dev *d) { spin_lock(&d->lock); ... spin_unlock(&d->lock); }\n" +
		"void irq(struct dev *d) { spin_lock(&d->lock); update(d); spin_unlock(&d->lock); }\n```\n\n" +
		"Good:\n\n```c\nstatic void update_locked(struct dev *d) { ... }\nvoid irq(struct dev *d) { spin_lock(&d->lock); update_locked(d); spin_unlock(&d->lock); }\n```",
	Level:     checks.LevelWarning,
	Tags:      []string{"locking", "deadlock", "external/cwe/cwe-667"},
	Precision: "high",
}

var ruleHeld = &checks.Rule{
	ID:    "lockorder/held-at-return",
	Name:  "LockHeldAtReturn",
	Short: "A path returns with a lock held that another path of the function releases, or releases a lock twice.",
	Full: "When one return path of a function releases a lock it took and another returns with it still held, the second path " +
		"(usually an error path) forgot to unlock: the next acquisition deadlocks. A path that releases a lock it already released " +
		"corrupts the lock. Functions whose every path returns holding the lock are lock helpers and are not reported.",
	Help: "Release the lock on the error path too, typically by jumping to the common unlock label instead of returning directly.",
	HelpMarkdown: "Release the lock on every return path, typically with a goto to the common unlock label.\n\n" +
		"Bad:\n\n```c\nmutex_lock(&d->lock);\nif (!d->ready)\n\treturn -ENODEV;\n...\nmutex_unlock(&d->lock);\nreturn 0;\n```\n\n" +
		"Good:\n\n```c\nmutex_lock(&d->lock);\nif (!d->ready) {\n\tret = -ENODEV;\n\tgoto out;\n}\n...\nout:\nmutex_unlock(&d->lock);\nreturn ret;\n```",
	Level:     checks.LevelWarning,
	Tags:      []string{"locking", "external/cwe/cwe-667", "external/cwe/cwe-765"},
	Precision: "high",
}

var ruleCapped = &checks.Rule{
	ID:    "lockorder/analysis-capped",
	Name:  "LockAnalysisCapped",
	Short: "A function has more distinct lock states than the analysis bound; some of its paths were not analysed.",
	Full: "The per-function analysis keeps one state per distinct set of held locks at each block, bounded per block and per function " +
		"so that a pathological function finishes quickly. When the bound is hit the remaining paths are skipped and this note says so.",
	Help:         "Nothing to fix in the code necessarily; findings in this function may be missing.",
	HelpMarkdown: "Nothing to fix in the code necessarily; lockorder findings in this function may be missing.",
	Level:        checks.LevelNote,
	Tags:         []string{"locking", "analysis"},
	Precision:    "very-high",
}

var rules = []*checks.Rule{ruleABBA, ruleSelf, ruleHeld, ruleCapped}
