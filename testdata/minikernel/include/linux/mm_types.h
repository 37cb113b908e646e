/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_MM_TYPES_H
#define _LINUX_MM_TYPES_H

#include <linux/types.h>

/* 64 bytes, like the real one; only the layout size matters here */
struct page {
	unsigned long flags;
	union {
		struct list_head lru;
		void *freelist;
	};
	void *mapping;
	unsigned long index;
	unsigned long private;
	atomic_t _mapcount;
	atomic_t _refcount;
	unsigned long memcg_data;
};

#endif /* _LINUX_MM_TYPES_H */
