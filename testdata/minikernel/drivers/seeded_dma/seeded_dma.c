// SPDX-License-Identifier: GPL-2.0
/*
 * seeded_dma - a miniature DMA ring driver with one seeded instance of each
 * bug the dma checker finds, each next to its fixed twin (the *_fixed
 * functions). `// want` marks the lines the checker must flag.
 */

#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/io.h>
#include <linux/dma-mapping.h>
#include <linux/scatterlist.h>
#include <linux/platform_device.h>
#include <asm/byteorder.h>

#define SDMA_RING	8
#define SDMA_BUF	2048

struct sdma_desc {
	__le64 addr;
	__le32 len;
	__le32 ctrl;
};

struct sdma_slot {
	void *buf;
	dma_addr_t dma;
};

struct sdma {
	struct device *dev;
	void __iomem *regs;
	struct sdma_desc *ring;
	dma_addr_t ring_dma;
	struct sdma_slot rx;
	struct sdma_slot tx;
	struct scatterlist *sg;
	int sg_len;
	int sg_count;
};

/* dma/unchecked-mapping: the tx buffer goes to the device untested. */
static int sdma_xmit(struct sdma *s, void *buf, size_t len)
{
	dma_addr_t dma = dma_map_single(s->dev, buf, len, DMA_TO_DEVICE); // want "DMA handle dma from dma_map_single is .?stored into s->ring->addr.* without a dma_mapping_error"

	s->ring->addr = cpu_to_le64(dma);
	s->tx.dma = dma;
	return 0;
}

static int sdma_xmit_fixed(struct sdma *s, void *buf, size_t len)
{
	dma_addr_t dma = dma_map_single(s->dev, buf, len, DMA_TO_DEVICE);

	if (dma_mapping_error(s->dev, dma))
		return -ENOMEM;
	s->ring->addr = cpu_to_le64(dma);
	s->tx.dma = dma;
	return 0;
}

/* The rx buffer is mapped from the device by the refill path... */
static int sdma_rx_refill(struct sdma *s)
{
	s->rx.dma = dma_map_single(s->dev, s->rx.buf, SDMA_BUF, DMA_FROM_DEVICE);
	if (dma_mapping_error(s->dev, s->rx.dma))
		return -ENOMEM;
	return 0;
}

/* ...dma/mismatch: and unmapped with the other direction on completion. */
static void sdma_rx_done(struct sdma *s)
{
	dma_unmap_single(s->dev, s->rx.dma, SDMA_BUF, DMA_TO_DEVICE); // want "unmaps s->rx.dma with direction DMA_TO_DEVICE, but sdma_rx_refill maps it with DMA_FROM_DEVICE"
}

static void sdma_rx_done_fixed(struct sdma *s)
{
	dma_unmap_single(s->dev, s->rx.dma, SDMA_BUF, DMA_FROM_DEVICE);
}

/* dma/mismatch: dma_unmap_sg given dma_map_sg's count. */
static int sdma_sg_xfer(struct sdma *s)
{
	int count;

	count = dma_map_sg(s->dev, s->sg, s->sg_len, DMA_TO_DEVICE);
	if (!count)
		return -EIO;
	writel(count, s->regs);
	dma_unmap_sg(s->dev, s->sg, count, DMA_TO_DEVICE); // want "dma_unmap_sg is given count, the count dma_map_sg returned"
	return 0;
}

static int sdma_sg_xfer_fixed(struct sdma *s)
{
	int count;

	count = dma_map_sg(s->dev, s->sg, s->sg_len, DMA_TO_DEVICE);
	if (!count)
		return -EIO;
	writel(count, s->regs);
	dma_unmap_sg(s->dev, s->sg, s->sg_len, DMA_TO_DEVICE);
	return 0;
}

/* dma/double-unmap: the error path unmaps, then the exit label again. */
static int sdma_selftest(struct sdma *s, void *buf)
{
	dma_addr_t d = dma_map_single(s->dev, buf, 64, DMA_FROM_DEVICE);
	int ret = 0;

	if (dma_mapping_error(s->dev, d))
		return -ENOMEM;
	writel(lower_32_bits(d), s->regs);
	if (readl(s->regs) != 0) {
		dma_unmap_single(s->dev, d, 64, DMA_FROM_DEVICE);
		ret = -EIO;
		goto out;
	}
out:
	dma_unmap_single(s->dev, d, 64, DMA_FROM_DEVICE); // want "releases d a second time on this path"
	return ret;
}

static int sdma_selftest_fixed(struct sdma *s, void *buf)
{
	dma_addr_t d = dma_map_single(s->dev, buf, 64, DMA_FROM_DEVICE);
	int ret = 0;

	if (dma_mapping_error(s->dev, d))
		return -ENOMEM;
	writel(lower_32_bits(d), s->regs);
	if (readl(s->regs) != 0)
		ret = -EIO;
	dma_unmap_single(s->dev, d, 64, DMA_FROM_DEVICE);
	return ret;
}

/* dma/leak: the ring leaks when the self test fails. */
static int sdma_probe(struct platform_device *pdev)
{
	struct sdma_desc *ring;
	dma_addr_t ring_dma;
	struct sdma *s;
	int ret;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->dev = &pdev->dev;
	ring = dma_alloc_coherent(s->dev, SDMA_RING * sizeof(*ring), &ring_dma, GFP_KERNEL); // want "leak"
	if (!ring) {
		kfree(s);
		return -ENOMEM;
	}
	ret = sdma_selftest_fixed(s, s->rx.buf);
	if (ret) {
		kfree(s);
		return ret;
	}
	s->ring = ring;
	s->ring_dma = ring_dma;
	platform_set_drvdata(pdev, s);
	return 0;
}

static int sdma_probe_fixed(struct platform_device *pdev)
{
	struct sdma_desc *ring;
	dma_addr_t ring_dma;
	struct sdma *s;
	int ret;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->dev = &pdev->dev;
	ring = dmam_alloc_coherent(s->dev, SDMA_RING * sizeof(*ring), &ring_dma, GFP_KERNEL);
	if (!ring) {
		kfree(s);
		return -ENOMEM;
	}
	ret = sdma_selftest_fixed(s, s->rx.buf);
	if (ret) {
		kfree(s);
		return ret;
	}
	s->ring = ring;
	s->ring_dma = ring_dma;
	platform_set_drvdata(pdev, s);
	return 0;
}

int sdma_entry(struct platform_device *pdev, struct sdma *s, void *buf, int mode)
{
	switch (mode) {
	case 0:
		sdma_rx_refill(s);
		sdma_rx_done(s);
		break;
	case 1:
		sdma_rx_refill(s);
		sdma_rx_done_fixed(s);
		break;
	case 2:
		sdma_sg_xfer(s);
		return sdma_sg_xfer_fixed(s);
	case 3:
		sdma_selftest(s, buf);
		return sdma_xmit(s, buf, 64) ?: sdma_xmit_fixed(s, buf, 64);
	}
	return sdma_probe(pdev) ?: sdma_probe_fixed(pdev);
}
