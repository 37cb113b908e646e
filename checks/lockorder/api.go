package lockorder

// lockOp says what a lock API call does to its lock.
type lockOp uint8

const (
	opAcquire lockOp = iota + 1
	opRelease
)

// acquiredWhen says on which outcome of the call the lock is held.
type acquiredWhen uint8

const (
	// always: the call returns holding the lock (it may sleep or spin).
	always acquiredWhen = iota
	// onNonZero: trylock forms return non-zero (1, true) when they took
	// the lock and 0 on contention. A trylock never waits, so it adds no
	// lock-order edge and cannot self-deadlock; a failed one holds nothing.
	onNonZero
	// onZero: _interruptible and _killable forms return 0 when they took
	// the lock and -EINTR when a signal interrupted the wait. They do
	// wait, so the attempt itself is checked for ordering and recursion.
	onZero
)

// lockAPI is one entry of the acquire/release table: a function name as it
// survives preprocessing (Linux 6.1, x86_64, CONFIG_DEBUG_LOCK_ALLOC off
// and on) and its effect on the lock passed as argument LockArg.
type lockAPI struct {
	Op   lockOp
	When acquiredWhen
	// LockArg is the argument that points to the lock.
	LockArg int
	// SubclassArg is the argument holding a lockdep subclass (the
	// *_nested forms), -1 when there is none. A subclass that survives
	// preprocessing as a constant is part of the lock class key.
	SubclassArg int
	// Member names the lock inside the object LockArg points to, for APIs
	// that take the object rather than the lock: lock_sock(sk) locks
	// sk->sk_lock, device_lock(dev) locks dev->mutex.
	Member string
	// Read is set for the shared side of a reader/writer lock: two
	// readers of one class do not deadlock each other.
	Read bool
	// NoValidate mirrors lockdep_set_novalidate_class: the device core's
	// dev->mutex is nested parent -> child by design and lockdep does not
	// check its order. Such locks are tracked for balance (held-at-return,
	// double unlock, same-instance recursion) but add no order edges.
	NoValidate bool
}

// lockAPIs is the acquire/release table (KERNEL-APIS.md, "Locks"). Names
// are post-expansion: spin_lock_irqsave(l, f) reaches the IR as
// `f = _raw_spin_lock_irqsave(spinlock_check(l))`, read_lock(l) as
// _raw_read_lock(l), mutex_lock_nested(l, s) as mutex_lock(l) unless
// CONFIG_DEBUG_LOCK_ALLOC is set.
var lockAPIs = map[string]lockAPI{}

// lookThrough lists functions that return (a part of) their argument
// unchanged for the purpose of lock identity: spinlock_check(l) returns
// &l->rlock, which lockdep treats as the spinlock itself.
var lookThrough = map[string]int{
	"spinlock_check": 0,
}

// lockWrapperMembers are the members by which a lock type wraps its core
// lock (spinlock_t's rlock): `&x->lock.rlock` is the class of `x->lock`.
var lockWrapperMembers = map[string]string{
	"spinlock": "rlock",
}

func def(op lockOp, when acquiredWhen, names ...string) {
	for _, n := range names {
		lockAPIs[n] = lockAPI{Op: op, When: when, SubclassArg: -1}
	}
}

func defWith(api lockAPI, names ...string) {
	for _, n := range names {
		lockAPIs[n] = api
	}
}

func init() {
	// spinlock_t and raw_spinlock_t.
	def(opAcquire, always,
		"spin_lock", "spin_lock_bh", "spin_lock_irq",
		"_raw_spin_lock", "_raw_spin_lock_bh", "_raw_spin_lock_irq", "_raw_spin_lock_irqsave")
	defWith(lockAPI{Op: opAcquire, When: always, SubclassArg: 1},
		"_raw_spin_lock_nested", "_raw_spin_lock_irqsave_nested")
	def(opAcquire, onNonZero,
		"spin_trylock", "spin_trylock_bh", "spin_trylock_irq",
		"_raw_spin_trylock", "_raw_spin_trylock_bh")
	def(opRelease, always,
		"spin_unlock", "spin_unlock_bh", "spin_unlock_irq", "spin_unlock_irqrestore",
		"_raw_spin_unlock", "_raw_spin_unlock_bh", "_raw_spin_unlock_irq", "_raw_spin_unlock_irqrestore")

	// rwlock_t: read side shared.
	defWith(lockAPI{Op: opAcquire, When: always, SubclassArg: -1, Read: true},
		"_raw_read_lock", "_raw_read_lock_bh", "_raw_read_lock_irq", "_raw_read_lock_irqsave")
	defWith(lockAPI{Op: opAcquire, When: onNonZero, SubclassArg: -1, Read: true}, "_raw_read_trylock")
	def(opAcquire, always, "_raw_write_lock", "_raw_write_lock_bh", "_raw_write_lock_irq", "_raw_write_lock_irqsave")
	defWith(lockAPI{Op: opAcquire, When: always, SubclassArg: 1}, "_raw_write_lock_nested")
	def(opAcquire, onNonZero, "_raw_write_trylock")
	def(opRelease, always,
		"_raw_read_unlock", "_raw_read_unlock_bh", "_raw_read_unlock_irq", "_raw_read_unlock_irqrestore",
		"_raw_write_unlock", "_raw_write_unlock_bh", "_raw_write_unlock_irq", "_raw_write_unlock_irqrestore")

	// struct mutex.
	def(opAcquire, always, "mutex_lock", "mutex_lock_io")
	defWith(lockAPI{Op: opAcquire, When: always, SubclassArg: 1}, "mutex_lock_nested", "mutex_lock_io_nested")
	def(opAcquire, onZero, "mutex_lock_interruptible", "mutex_lock_killable")
	defWith(lockAPI{Op: opAcquire, When: onZero, SubclassArg: 1},
		"mutex_lock_interruptible_nested", "mutex_lock_killable_nested")
	def(opAcquire, onNonZero, "mutex_trylock")
	def(opRelease, always, "mutex_unlock")

	// struct rw_semaphore.
	defWith(lockAPI{Op: opAcquire, When: always, SubclassArg: -1, Read: true}, "down_read")
	defWith(lockAPI{Op: opAcquire, When: always, SubclassArg: 1, Read: true}, "down_read_nested")
	defWith(lockAPI{Op: opAcquire, When: onNonZero, SubclassArg: -1, Read: true}, "down_read_trylock")
	defWith(lockAPI{Op: opAcquire, When: onZero, SubclassArg: -1, Read: true}, "down_read_interruptible", "down_read_killable")
	def(opAcquire, always, "down_write")
	defWith(lockAPI{Op: opAcquire, When: always, SubclassArg: 1}, "down_write_nested")
	def(opAcquire, onNonZero, "down_write_trylock")
	def(opAcquire, onZero, "down_write_killable")
	def(opRelease, always, "up_read", "up_write")

	// struct rt_mutex.
	def(opAcquire, always, "rt_mutex_lock")
	defWith(lockAPI{Op: opAcquire, When: always, SubclassArg: 1}, "rt_mutex_lock_nested")
	def(opAcquire, onZero, "rt_mutex_lock_interruptible", "rt_mutex_lock_killable")
	def(opAcquire, onNonZero, "rt_mutex_trylock")
	def(opRelease, always, "rt_mutex_unlock")

	// The socket lock: lock_sock(sk) takes sk->sk_lock (bh_lock_sock is a
	// macro over spin_lock(&sk->sk_lock.slock) and needs no entry).
	defWith(lockAPI{Op: opAcquire, When: always, SubclassArg: -1, Member: "sk_lock"}, "lock_sock")
	defWith(lockAPI{Op: opAcquire, When: always, SubclassArg: 1, Member: "sk_lock"}, "lock_sock_nested")
	defWith(lockAPI{Op: opRelease, When: always, SubclassArg: -1, Member: "sk_lock"}, "release_sock")

	// The device core's mutex (usb_lock_device is a macro over these).
	dev := lockAPI{Op: opAcquire, When: always, SubclassArg: -1, Member: "mutex", NoValidate: true}
	defWith(dev, "device_lock")
	dev.When = onZero
	defWith(dev, "device_lock_interruptible")
	dev.When = onNonZero
	defWith(dev, "device_trylock")
	dev.Op, dev.When = opRelease, always
	defWith(dev, "device_unlock")
}
