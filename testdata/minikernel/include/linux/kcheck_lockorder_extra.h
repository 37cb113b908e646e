/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Extra lock API stubs for the lockorder checker's testdata: rwlock_t as
 * Linux 6.1 x86_64 (SMP, CONFIG_DEBUG_LOCK_ALLOC off) expands it.
 */
#ifndef __LINUX_KCHECK_LOCKORDER_EXTRA_H
#define __LINUX_KCHECK_LOCKORDER_EXTRA_H

#include <linux/spinlock_types.h>

typedef struct {
	volatile unsigned int raw_lock;
} rwlock_t;

extern void _raw_read_lock(rwlock_t *lock);
extern void _raw_write_lock(rwlock_t *lock);
extern unsigned long _raw_read_lock_irqsave(rwlock_t *lock);
extern unsigned long _raw_write_lock_irqsave(rwlock_t *lock);
extern void _raw_read_unlock(rwlock_t *lock);
extern void _raw_write_unlock(rwlock_t *lock);
extern void _raw_read_unlock_irqrestore(rwlock_t *lock, unsigned long flags);
extern void _raw_write_unlock_irqrestore(rwlock_t *lock, unsigned long flags);

#define read_lock(lock)		_raw_read_lock(lock)
#define write_lock(lock)	_raw_write_lock(lock)
#define read_unlock(lock)	_raw_read_unlock(lock)
#define write_unlock(lock)	_raw_write_unlock(lock)

#define read_lock_irqsave(lock, flags)			\
	do {						\
		flags = _raw_read_lock_irqsave(lock);	\
	} while (0)
#define write_lock_irqsave(lock, flags)			\
	do {						\
		flags = _raw_write_lock_irqsave(lock);	\
	} while (0)
#define read_unlock_irqrestore(lock, flags)			\
	do {							\
		_raw_read_unlock_irqrestore(lock, flags);	\
	} while (0)
#define write_unlock_irqrestore(lock, flags)			\
	do {							\
		_raw_write_unlock_irqrestore(lock, flags);	\
	} while (0)

#endif /* __LINUX_KCHECK_LOCKORDER_EXTRA_H */
