/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_TYPES_H
#define _LINUX_TYPES_H

#include <asm-generic/int-ll64.h>
#include <linux/stddef.h>

#ifndef __ASSEMBLY__

typedef __s8  s8;
typedef __u8  u8;
typedef __s16 s16;
typedef __u16 u16;
typedef __s32 s32;
typedef __u32 u32;
typedef __s64 s64;
typedef __u64 u64;

typedef __u8  uint8_t;
typedef __u16 uint16_t;
typedef __u32 uint32_t;
typedef __u64 uint64_t;
typedef __s32 int32_t;

typedef __u16 __bitwise __le16;
typedef __u32 __bitwise __le32;
typedef __u64 __bitwise __le64;
typedef __u32 __bitwise __be32;

typedef unsigned long	size_t;
typedef long		ssize_t;
typedef long		ptrdiff_t;
typedef unsigned long	uintptr_t;
typedef long long	loff_t;
typedef int		pid_t;

typedef _Bool		bool;

#ifdef CONFIG_ARCH_DMA_ADDR_T_64BIT
typedef u64 dma_addr_t;
#else
typedef u32 dma_addr_t;
#endif
typedef u64 phys_addr_t;
typedef phys_addr_t resource_size_t;

typedef unsigned int __bitwise gfp_t;

typedef struct {
	int counter;
} atomic_t;

typedef struct {
	s64 counter;
} atomic64_t;

typedef atomic64_t atomic_long_t;

struct list_head {
	struct list_head *next, *prev;
};

struct hlist_head {
	struct hlist_node *first;
};

struct hlist_node {
	struct hlist_node *next, **pprev;
};

#endif /* __ASSEMBLY__ */
#endif /* _LINUX_TYPES_H */
