// SPDX-License-Identifier: GPL-2.0
/*
 * minidma - a miniature DMA ring driver for the kcheck test tree.
 *
 * Transmit buffers are streaming-mapped (dma_map_single) into a ring of
 * descriptors that lives in coherent memory. The interrupt handler reaps
 * the descriptors the device has given back and unmaps their buffers with
 * the size and direction they were mapped with.
 */

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/spinlock.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/err.h>
#include <linux/dma-mapping.h>
#include <linux/scatterlist.h>
#include <linux/platform_device.h>
#include <linux/of.h>
#include <linux/dma/minidma.h>
#include <asm/byteorder.h>

#define MINIDMA_RING_SIZE	16
#define MINIDMA_MAX_LEN		2048

#define MINIDMA_REG_CTRL	0x00
#define MINIDMA_REG_STATUS	0x04
#define MINIDMA_REG_RING_LO	0x08
#define MINIDMA_REG_RING_HI	0x0c
#define MINIDMA_REG_HEAD	0x10
#define MINIDMA_REG_SG_ADDR	0x18
#define MINIDMA_REG_SG_LEN	0x20

#define MINIDMA_CTRL_ENABLE	BIT(0)
#define MINIDMA_CTRL_SG_GO	BIT(1)
#define MINIDMA_STATUS_DONE	BIT(0)
#define MINIDMA_STATUS_BUSY	BIT(1)

#define MINIDMA_DESC_OWN	BIT(31)		/* set: device owns it */

struct minidma_desc {
	__le64	addr;
	__le32	len;
	__le32	ctrl;
} __packed;

#define MINIDMA_RING_BYTES	(MINIDMA_RING_SIZE * sizeof(struct minidma_desc))

/* CPU-side state of one ring slot */
struct minidma_slot {
	void		*buf;
	dma_addr_t	dma;
	size_t		len;
};

struct minidma {
	struct device		*dev;
	void __iomem		*regs;
	int			irq;

	struct minidma_desc	*ring;		/* coherent */
	dma_addr_t		ring_dma;
	struct minidma_slot	slots[MINIDMA_RING_SIZE];
	unsigned int		head;		/* next slot to fill */
	unsigned int		tail;		/* next slot to reap */
	spinlock_t		lock;		/* protects ring, head, tail */
};

static int minidma_submit(struct minidma *md, void *buf, size_t len)
{
	struct minidma_slot *slot;
	struct minidma_desc *desc;
	unsigned long flags;
	unsigned int idx;
	dma_addr_t dma;

	dma = dma_map_single(md->dev, buf, len, DMA_TO_DEVICE);
	if (dma_mapping_error(md->dev, dma))
		return -ENOMEM;

	spin_lock_irqsave(&md->lock, flags);
	if (md->head - md->tail >= MINIDMA_RING_SIZE) {
		spin_unlock_irqrestore(&md->lock, flags);
		dma_unmap_single(md->dev, dma, len, DMA_TO_DEVICE);
		return -EBUSY;
	}

	idx = md->head % MINIDMA_RING_SIZE;
	slot = &md->slots[idx];
	slot->buf = buf;
	slot->dma = dma;
	slot->len = len;

	desc = &md->ring[idx];
	desc->addr = cpu_to_le64(dma);
	desc->len = cpu_to_le32(len);
	dma_wmb();
	desc->ctrl = cpu_to_le32(MINIDMA_DESC_OWN);

	md->head++;
	writel(md->head % MINIDMA_RING_SIZE, md->regs + MINIDMA_REG_HEAD);
	spin_unlock_irqrestore(&md->lock, flags);

	return 0;
}

int minidma_xmit(struct minidma *md, const void *data, size_t len)
{
	void *buf;
	int ret;

	if (!len || len > MINIDMA_MAX_LEN)
		return -EINVAL;

	buf = kmemdup(data, len, GFP_ATOMIC);
	if (!buf)
		return -ENOMEM;

	ret = minidma_submit(md, buf, len);
	if (ret)
		kfree(buf);
	return ret;
}
EXPORT_SYMBOL_GPL(minidma_xmit);

/* Reaps finished descriptors; @all also takes back those the device owns. */
static unsigned int minidma_complete(struct minidma *md, bool all)
{
	struct minidma_slot *slot;
	struct minidma_desc *desc;
	unsigned long flags;
	unsigned int done = 0;
	unsigned int idx;

	spin_lock_irqsave(&md->lock, flags);
	while (md->tail != md->head) {
		idx = md->tail % MINIDMA_RING_SIZE;
		desc = &md->ring[idx];
		if (!all && (le32_to_cpu(desc->ctrl) & MINIDMA_DESC_OWN))
			break;
		dma_rmb();

		slot = &md->slots[idx];
		dma_unmap_single(md->dev, slot->dma, slot->len, DMA_TO_DEVICE);
		kfree(slot->buf);
		slot->buf = NULL;
		desc->ctrl = 0;

		md->tail++;
		done++;
	}
	spin_unlock_irqrestore(&md->lock, flags);

	return done;
}

static irqreturn_t minidma_irq(int irq, void *data)
{
	struct minidma *md = data;
	u32 status;

	status = readl(md->regs + MINIDMA_REG_STATUS);
	if (!(status & MINIDMA_STATUS_DONE))
		return IRQ_NONE;
	writel(status, md->regs + MINIDMA_REG_STATUS);	/* write 1 to clear */

	minidma_complete(md, false);
	return IRQ_HANDLED;
}

#ifdef MINIDMA_SELFTEST
static int minidma_wait_idle(struct minidma *md)
{
	int tries;

	for (tries = 0; tries < 1000; tries++) {
		if (!(readl(md->regs + MINIDMA_REG_STATUS) & MINIDMA_STATUS_BUSY))
			return 0;
		barrier();
	}
	return -ETIMEDOUT;
}

static int minidma_xfer_sg(struct minidma *md, struct scatterlist *sgl, int nents)
{
	struct scatterlist *sg;
	int count, i, ret;

	count = dma_map_sg(md->dev, sgl, nents, DMA_FROM_DEVICE);
	if (count == 0)
		return -EIO;

	for_each_sg(sgl, sg, count, i) {
		writeq(sg_dma_address(sg), md->regs + MINIDMA_REG_SG_ADDR);
		writel(sg_dma_len(sg), md->regs + MINIDMA_REG_SG_LEN);
	}
	writel(MINIDMA_CTRL_ENABLE | MINIDMA_CTRL_SG_GO, md->regs + MINIDMA_REG_CTRL);

	ret = minidma_wait_idle(md);
	dma_unmap_sg(md->dev, sgl, nents, DMA_FROM_DEVICE);

	return ret;
}

static int minidma_selftest(struct minidma *md)
{
	static const u8 pattern[] = { 0x5a, 0xa5, 0x0f, 0xf0 };
	struct scatterlist sg[2];
	u8 *a, *b;
	int ret;

	a = kzalloc(64, GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	b = kzalloc(64, GFP_KERNEL);
	if (!b) {
		ret = -ENOMEM;
		goto out_free_a;
	}

	sg_init_table(sg, ARRAY_SIZE(sg));
	sg_set_buf(&sg[0], a, 64);
	sg_set_buf(&sg[1], b, 64);

	ret = minidma_xfer_sg(md, sg, ARRAY_SIZE(sg));
	if (!ret)
		ret = minidma_xmit(md, pattern, sizeof(pattern));

	kfree(b);
out_free_a:
	kfree(a);
	return ret;
}
#endif /* MINIDMA_SELFTEST */

static int minidma_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct minidma *md;
	int ret;

	md = devm_kzalloc(dev, sizeof(*md), GFP_KERNEL);
	if (!md)
		return -ENOMEM;
	md->dev = dev;
	spin_lock_init(&md->lock);

	md->regs = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(md->regs))
		return PTR_ERR(md->regs);

	md->irq = platform_get_irq(pdev, 0);
	if (md->irq < 0)
		return md->irq;

	ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;

	md->ring = dma_alloc_coherent(dev, MINIDMA_RING_BYTES, &md->ring_dma,
				      GFP_KERNEL);
	if (!md->ring)
		return -ENOMEM;

	writel(lower_32_bits(md->ring_dma), md->regs + MINIDMA_REG_RING_LO);
	writel(upper_32_bits(md->ring_dma), md->regs + MINIDMA_REG_RING_HI);

	ret = request_irq(md->irq, minidma_irq, 0, dev_name(dev), md);
	if (ret) {
		dev_err(dev, "cannot request irq %d: %d\n", md->irq, ret);
		goto err_free_ring;
	}

	writel(MINIDMA_CTRL_ENABLE, md->regs + MINIDMA_REG_CTRL);

#ifdef MINIDMA_SELFTEST
	ret = minidma_selftest(md);
	if (ret) {
		dev_err(dev, "self test failed: %d\n", ret);
		goto err_disable;
	}
#endif

	platform_set_drvdata(pdev, md);
	return 0;

#ifdef MINIDMA_SELFTEST
err_disable:
	writel(0, md->regs + MINIDMA_REG_CTRL);
	free_irq(md->irq, md);
	minidma_complete(md, true);
#endif
err_free_ring:
	dma_free_coherent(dev, MINIDMA_RING_BYTES, md->ring, md->ring_dma);
	return ret;
}

static int minidma_remove(struct platform_device *pdev)
{
	struct minidma *md = platform_get_drvdata(pdev);

	writel(0, md->regs + MINIDMA_REG_CTRL);
	free_irq(md->irq, md);
	minidma_complete(md, true);
	dma_free_coherent(md->dev, MINIDMA_RING_BYTES, md->ring, md->ring_dma);

	return 0;
}

static const struct of_device_id minidma_of_match[] = {
	{ .compatible = "kcheck,minidma" },
	{ }
};
MODULE_DEVICE_TABLE(of, minidma_of_match);

static struct platform_driver minidma_driver = {
	.probe		= minidma_probe,
	.remove		= minidma_remove,
	.driver		= {
		.name		= "minidma",
		.of_match_table	= of_match_ptr(minidma_of_match),
	},
};
module_platform_driver(minidma_driver);

MODULE_DESCRIPTION("Miniature DMA ring driver (kcheck test tree)");
MODULE_LICENSE("GPL");
