#include "kcheck_dma_test.h"

/* A later allocation fails and the error path returns with the buffer
 * still mapped. */
int leak_later_failure_bad(struct tpriv *p, void *buf, size_t len)
{
	struct tdesc *desc;
	dma_addr_t d;

	d = dma_map_single(p->dev, buf, len, DMA_TO_DEVICE); // want "leak"
	if (dma_mapping_error(p->dev, d))
		return -ENOMEM;
	desc = kzalloc(sizeof(*desc), GFP_KERNEL);
	if (!desc)
		return -ENOMEM;
	desc->addr = cpu_to_le64(d);
	tdev_start(p, d, len);
	kfree(desc);
	dma_unmap_single(p->dev, d, len, DMA_TO_DEVICE);
	return 0;
}

int leak_later_failure_ok(struct tpriv *p, void *buf, size_t len)
{
	struct tdesc *desc;
	dma_addr_t d;

	d = dma_map_single(p->dev, buf, len, DMA_TO_DEVICE);
	if (dma_mapping_error(p->dev, d))
		return -ENOMEM;
	desc = kzalloc(sizeof(*desc), GFP_KERNEL);
	if (!desc) {
		dma_unmap_single(p->dev, d, len, DMA_TO_DEVICE);
		return -ENOMEM;
	}
	desc->addr = cpu_to_le64(d);
	tdev_start(p, d, len);
	kfree(desc);
	dma_unmap_single(p->dev, d, len, DMA_TO_DEVICE);
	return 0;
}

/* Stored into the ring: the completion handler unmaps it (handed off). */
int ring_submit_ok(struct tpriv *p, void *buf, size_t len)
{
	dma_addr_t d = dma_map_single(p->dev, buf, len, DMA_TO_DEVICE);

	if (dma_mapping_error(p->dev, d))
		return -ENOMEM;
	p->buf_dma = d;
	p->len = len;
	p->ring->addr = cpu_to_le64(d);
	return 0;
}

void ring_complete_ok(struct tpriv *p)
{
	dma_unmap_single(p->dev, p->buf_dma, p->len, DMA_TO_DEVICE);
}

/* A scatterlist mapped and not unmapped when the device refuses it. */
int sg_leak_bad(struct tpriv *p, struct scatterlist *sgl, int nents)
{
	int count, ret;

	count = dma_map_sg(p->dev, sgl, nents, DMA_FROM_DEVICE); // want "leak"
	if (!count)
		return -EIO;
	ret = tdev_start(p, sg_dma_address(sgl), count);
	if (ret)
		return ret;
	dma_unmap_sg(p->dev, sgl, nents, DMA_FROM_DEVICE);
	return 0;
}

int sg_leak_ok(struct tpriv *p, struct scatterlist *sgl, int nents)
{
	int count, ret;

	count = dma_map_sg(p->dev, sgl, nents, DMA_FROM_DEVICE);
	if (!count)
		return -EIO;
	ret = tdev_start(p, sg_dma_address(sgl), count);
	dma_unmap_sg(p->dev, sgl, nents, DMA_FROM_DEVICE);
	return ret;
}

/* Coherent memory leaked on an error path... */
int coherent_leak_bad(struct tpriv *p)
{
	dma_addr_t h;
	void *v;
	int ret;

	v = dma_alloc_coherent(p->dev, 4096, &h, GFP_KERNEL); // want "leak"
	if (!v)
		return -ENOMEM;
	ret = tdev_start(p, h, 4096);
	if (ret)
		return ret;
	p->buf = v;
	p->buf_dma = h;
	return 0;
}

/* ...but managed memory is freed when the driver unbinds. */
int coherent_managed_ok(struct tpriv *p)
{
	dma_addr_t h;
	void *v;
	int ret;

	v = dmam_alloc_coherent(p->dev, 4096, &h, GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	ret = tdev_start(p, h, 4096);
	if (ret)
		return ret;
	p->buf = v;
	p->buf_dma = h;
	return 0;
}
