/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_CACHE_H
#define _ASM_X86_CACHE_H

#define L1_CACHE_SHIFT	6
#define L1_CACHE_BYTES	(1 << L1_CACHE_SHIFT)

#define ____cacheline_aligned __attribute__((__aligned__(L1_CACHE_BYTES)))

#endif /* _ASM_X86_CACHE_H */
