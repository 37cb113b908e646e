/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __LINUX_SPINLOCK_TYPES_H
#define __LINUX_SPINLOCK_TYPES_H

#include <linux/types.h>

typedef struct raw_spinlock {
	volatile unsigned int raw_lock;
} raw_spinlock_t;

typedef struct spinlock {
	union {
		struct raw_spinlock rlock;
	};
} spinlock_t;

#define __RAW_SPIN_LOCK_UNLOCKED(lockname)	(raw_spinlock_t) { .raw_lock = 0 }
#define __SPIN_LOCK_UNLOCKED(lockname)		(spinlock_t) { { .rlock = { .raw_lock = 0 } } }

#define DEFINE_RAW_SPINLOCK(x)	raw_spinlock_t x = { .raw_lock = 0 }
#define DEFINE_SPINLOCK(x)	spinlock_t x = { { .rlock = { .raw_lock = 0 } } }

#endif /* __LINUX_SPINLOCK_TYPES_H */
