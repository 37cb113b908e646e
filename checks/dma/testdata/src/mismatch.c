#include "kcheck_dma_test.h"

int dir_mismatch_bad(struct tpriv *p, void *buf)
{
	dma_addr_t d = dma_map_single(p->dev, buf, 256, DMA_TO_DEVICE);
	int ret;

	if (dma_mapping_error(p->dev, d))
		return -ENOMEM;
	ret = tdev_start(p, d, 256);
	dma_unmap_single(p->dev, d, 256, DMA_FROM_DEVICE); // want "dma_unmap_single with direction DMA_FROM_DEVICE, but dma_map_single mapped it with DMA_TO_DEVICE"
	return ret;
}

int dir_mismatch_ok(struct tpriv *p, void *buf)
{
	dma_addr_t d = dma_map_single(p->dev, buf, 256, DMA_TO_DEVICE);
	int ret;

	if (dma_mapping_error(p->dev, d))
		return -ENOMEM;
	ret = tdev_start(p, d, 256);
	dma_unmap_single(p->dev, d, 256, DMA_TO_DEVICE);
	return ret;
}

int size_mismatch_bad(struct tpriv *p, void *buf)
{
	dma_addr_t d = dma_map_single(p->dev, buf, 256, DMA_BIDIRECTIONAL);
	int ret;

	if (dma_mapping_error(p->dev, d))
		return -ENOMEM;
	ret = tdev_start(p, d, 256);
	dma_unmap_single(p->dev, d, 128, DMA_BIDIRECTIONAL); // want "with size 128 \(128\), but dma_map_single mapped 256 \(256\)"
	return ret;
}

int size_mismatch_ok(struct tpriv *p, void *buf)
{
	dma_addr_t d = dma_map_single(p->dev, buf, 256, DMA_BIDIRECTIONAL);
	int ret;

	if (dma_mapping_error(p->dev, d))
		return -ENOMEM;
	ret = tdev_start(p, d, 256);
	dma_unmap_single(p->dev, d, 256, DMA_BIDIRECTIONAL);
	return ret;
}

/*
 * Known gap: sizeof(expression) reaches the checker unfolded (as text), so
 * sizeof(desc) against sizeof(*desc) is not compared and this bug is not
 * reported.
 */
int size_sizeof_gap(struct tpriv *p, struct tdesc *desc)
{
	dma_addr_t d = dma_map_single(p->dev, desc, sizeof(*desc), DMA_BIDIRECTIONAL);
	int ret;

	if (dma_mapping_error(p->dev, d))
		return -ENOMEM;
	ret = tdev_start(p, d, sizeof(*desc));
	dma_unmap_single(p->dev, d, sizeof(desc), DMA_BIDIRECTIONAL);
	return ret;
}

/* dma_unmap_sg takes the nents given to dma_map_sg, not its count. */
int sg_nents_bad(struct tpriv *p, struct scatterlist *sgl, int nents)
{
	int count, ret;

	count = dma_map_sg(p->dev, sgl, nents, DMA_TO_DEVICE);
	if (!count)
		return -EIO;
	ret = tdev_start(p, sg_dma_address(sgl), count);
	dma_unmap_sg(p->dev, sgl, count, DMA_TO_DEVICE); // want "dma_unmap_sg is given count, the count dma_map_sg returned, instead of the nents passed to it .nents."
	return ret;
}

int sg_nents_ok(struct tpriv *p, struct scatterlist *sgl, int nents)
{
	int count, ret;

	count = dma_map_sg(p->dev, sgl, nents, DMA_TO_DEVICE);
	if (!count)
		return -EIO;
	ret = tdev_start(p, sg_dma_address(sgl), count);
	dma_unmap_sg(p->dev, sgl, nents, DMA_TO_DEVICE);
	return ret;
}

/* A handle stored into a struct member by one function and unmapped by
 * another (the completion handler) with another direction. */
struct rx_ring {
	struct device *dev;
	dma_addr_t buf_dma;
	void *buf;
};

struct tx_ring {
	struct device *dev;
	dma_addr_t buf_dma;
	void *buf;
	int sg_count;
	struct scatterlist *sg;
	int sg_len;
};

int rx_refill(struct rx_ring *r)
{
	r->buf_dma = dma_map_single(r->dev, r->buf, 2048, DMA_FROM_DEVICE);
	if (dma_mapping_error(r->dev, r->buf_dma))
		return -ENOMEM;
	return 0;
}

void rx_complete_bad(struct rx_ring *r)
{
	dma_unmap_single(r->dev, r->buf_dma, 2048, DMA_TO_DEVICE); // want "dma_unmap_single unmaps r->buf_dma with direction DMA_TO_DEVICE, but rx_refill maps it with DMA_FROM_DEVICE"
}

int tx_queue(struct tx_ring *r, size_t len)
{
	dma_addr_t d = dma_map_single(r->dev, r->buf, 1024, DMA_TO_DEVICE);

	if (dma_mapping_error(r->dev, d))
		return -ENOMEM;
	r->buf_dma = d;
	return 0;
}

void tx_complete_ok(struct tx_ring *r)
{
	dma_unmap_single(r->dev, r->buf_dma, 1024, DMA_TO_DEVICE);
}

/* The count stored by the submit path must not be the unmap's nents. */
int tx_map_sg(struct tx_ring *r)
{
	r->sg_count = dma_map_sg(r->dev, r->sg, r->sg_len, DMA_TO_DEVICE);
	if (!r->sg_count)
		return -EIO;
	return 0;
}

void tx_unmap_sg_bad(struct tx_ring *r)
{
	dma_unmap_sg(r->dev, r->sg, r->sg_count, DMA_TO_DEVICE); // want "dma_unmap_sg is given r->sg_count, where tx_map_sg stores the count dma_map_sg returned"
}

void tx_unmap_sg_ok(struct tx_ring *r)
{
	dma_unmap_sg(r->dev, r->sg, r->sg_len, DMA_TO_DEVICE);
}

/* Coherent memory is freed with the size it was allocated with. */
int coherent_size_bad(struct tpriv *p)
{
	dma_addr_t h;
	void *v = dma_alloc_coherent(p->dev, 4096, &h, GFP_KERNEL);

	if (!v)
		return -ENOMEM;
	tdev_start(p, h, 4096);
	dma_free_coherent(p->dev, 2048, v, h); // want "dma_free_coherent with size 2048 .2048., but dma_alloc_coherent mapped 4096"
	return 0;
}

int coherent_size_ok(struct tpriv *p)
{
	dma_addr_t h;
	void *v = dma_alloc_coherent(p->dev, 4096, &h, GFP_KERNEL);

	if (!v)
		return -ENOMEM;
	tdev_start(p, h, 4096);
	dma_free_coherent(p->dev, 4096, v, h);
	return 0;
}
