/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __LINUX_SPINLOCK_H
#define __LINUX_SPINLOCK_H

#include <linux/compiler.h>
#include <linux/spinlock_types.h>

/* out-of-line lock primitives (kernel/locking/spinlock.c) */
extern void _raw_spin_lock(raw_spinlock_t *lock) __acquires(lock);
extern void _raw_spin_lock_nested(raw_spinlock_t *lock, int subclass) __acquires(lock);
extern void _raw_spin_lock_bh(raw_spinlock_t *lock) __acquires(lock);
extern void _raw_spin_lock_irq(raw_spinlock_t *lock) __acquires(lock);
extern unsigned long __must_check _raw_spin_lock_irqsave(raw_spinlock_t *lock) __acquires(lock);
extern int _raw_spin_trylock(raw_spinlock_t *lock);
extern void _raw_spin_unlock(raw_spinlock_t *lock) __releases(lock);
extern void _raw_spin_unlock_bh(raw_spinlock_t *lock) __releases(lock);
extern void _raw_spin_unlock_irq(raw_spinlock_t *lock) __releases(lock);
extern void _raw_spin_unlock_irqrestore(raw_spinlock_t *lock, unsigned long flags) __releases(lock);

#define raw_spin_lock_init(lock)	do { *(lock) = __RAW_SPIN_LOCK_UNLOCKED(lock); } while (0)

#define raw_spin_lock(lock)			_raw_spin_lock(lock)
#define raw_spin_lock_nested(lock, subclass)	_raw_spin_lock_nested(lock, subclass)
#define raw_spin_lock_bh(lock)			_raw_spin_lock_bh(lock)
#define raw_spin_lock_irq(lock)			_raw_spin_lock_irq(lock)
#define raw_spin_trylock(lock)			__cond_lock(lock, _raw_spin_trylock(lock))
#define raw_spin_unlock(lock)			_raw_spin_unlock(lock)
#define raw_spin_unlock_bh(lock)		_raw_spin_unlock_bh(lock)
#define raw_spin_unlock_irq(lock)		_raw_spin_unlock_irq(lock)

#define raw_spin_lock_irqsave(lock, flags)			\
	do {							\
		flags = _raw_spin_lock_irqsave(lock);		\
	} while (0)

#define raw_spin_unlock_irqrestore(lock, flags)			\
	do {							\
		_raw_spin_unlock_irqrestore(lock, flags);	\
	} while (0)

/* spinlock_t API: thin inline wrappers over the raw_spinlock_t one */

static __always_inline raw_spinlock_t *spinlock_check(spinlock_t *lock)
{
	return &lock->rlock;
}

#define spin_lock_init(_lock)				\
do {							\
	spinlock_check(_lock);				\
	*(_lock) = __SPIN_LOCK_UNLOCKED(_lock);		\
} while (0)

static __always_inline void spin_lock(spinlock_t *lock)
{
	raw_spin_lock(&lock->rlock);
}

static __always_inline void spin_lock_bh(spinlock_t *lock)
{
	raw_spin_lock_bh(&lock->rlock);
}

static __always_inline int spin_trylock(spinlock_t *lock)
{
	return raw_spin_trylock(&lock->rlock);
}

#define spin_lock_nested(lock, subclass)			\
do {								\
	raw_spin_lock_nested(spinlock_check(lock), subclass);	\
} while (0)

static __always_inline void spin_lock_irq(spinlock_t *lock)
{
	raw_spin_lock_irq(&lock->rlock);
}

#define spin_lock_irqsave(lock, flags)				\
do {								\
	raw_spin_lock_irqsave(spinlock_check(lock), flags);	\
} while (0)

static __always_inline void spin_unlock(spinlock_t *lock)
{
	raw_spin_unlock(&lock->rlock);
}

static __always_inline void spin_unlock_bh(spinlock_t *lock)
{
	raw_spin_unlock_bh(&lock->rlock);
}

static __always_inline void spin_unlock_irq(spinlock_t *lock)
{
	raw_spin_unlock_irq(&lock->rlock);
}

static __always_inline void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
{
	raw_spin_unlock_irqrestore(&lock->rlock, flags);
}

#endif /* __LINUX_SPINLOCK_H */
