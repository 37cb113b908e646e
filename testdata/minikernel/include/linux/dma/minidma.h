/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_DMA_MINIDMA_H
#define _LINUX_DMA_MINIDMA_H

#include <linux/types.h>

struct minidma;

/* Queues a copy of @data for transmission; 0 or -errno. */
int minidma_xmit(struct minidma *md, const void *data, size_t len);

#endif /* _LINUX_DMA_MINIDMA_H */
