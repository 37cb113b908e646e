/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __LINUX_LOCKDEP_TYPES_H
#define __LINUX_LOCKDEP_TYPES_H

/* One static key per lock initialization site: the lockdep lock class. */
struct lock_class_key {
	char __one_byte;
};

#define SINGLE_DEPTH_NESTING	1

#endif /* __LINUX_LOCKDEP_TYPES_H */
