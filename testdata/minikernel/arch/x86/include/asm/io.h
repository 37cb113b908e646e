/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_IO_H
#define _ASM_X86_IO_H

#include <linux/types.h>
#include <asm/barrier.h>

static inline u32 readl(const volatile void __iomem *addr)
{
	return *(const volatile u32 __force *)addr;
}

static inline void writel(u32 val, volatile void __iomem *addr)
{
	*(volatile u32 __force *)addr = val;
}

static inline u64 readq(const volatile void __iomem *addr)
{
	return *(const volatile u64 __force *)addr;
}

static inline void writeq(u64 val, volatile void __iomem *addr)
{
	*(volatile u64 __force *)addr = val;
}

#endif /* _ASM_X86_IO_H */
