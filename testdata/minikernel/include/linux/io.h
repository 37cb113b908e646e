/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _LINUX_IO_H
#define _LINUX_IO_H

#include <linux/types.h>
#include <asm/io.h>

struct device;

void __iomem *devm_ioremap(struct device *dev, resource_size_t offset,
			   resource_size_t size);

#endif /* _LINUX_IO_H */
