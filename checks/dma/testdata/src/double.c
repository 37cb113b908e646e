#include "kcheck_dma_test.h"

/* The error path unmaps and then falls into the label that unmaps again. */
int double_goto_bad(struct tpriv *p, void *buf)
{
	dma_addr_t d = dma_map_single(p->dev, buf, 64, DMA_TO_DEVICE);
	int ret;

	if (dma_mapping_error(p->dev, d))
		return -ENOMEM;
	ret = tdev_start(p, d, 64);
	if (ret) {
		dma_unmap_single(p->dev, d, 64, DMA_TO_DEVICE);
		goto out;
	}
	ret = tdev_start(p, d, 0);
out:
	dma_unmap_single(p->dev, d, 64, DMA_TO_DEVICE); // want "dma_unmap_single releases d a second time on this path"
	return ret;
}

int double_goto_ok(struct tpriv *p, void *buf)
{
	dma_addr_t d = dma_map_single(p->dev, buf, 64, DMA_TO_DEVICE);
	int ret;

	if (dma_mapping_error(p->dev, d))
		return -ENOMEM;
	ret = tdev_start(p, d, 64);
	if (ret)
		goto out;
	ret = tdev_start(p, d, 0);
out:
	dma_unmap_single(p->dev, d, 64, DMA_TO_DEVICE);
	return ret;
}

/* A driver's own unmap helper is learned. */
static void tpriv_unmap_buf(struct tpriv *p)
{
	dma_unmap_single(p->dev, p->buf_dma, p->len, DMA_TO_DEVICE);
}

void teardown_bad(struct tpriv *p)
{
	tpriv_unmap_buf(p);
	dma_unmap_single(p->dev, p->buf_dma, p->len, DMA_TO_DEVICE); // want "releases p->buf_dma a second time"
}

/* Clearing the member after the unmap, and testing it, is the usual guard. */
static void tpriv_unmap_buf_once(struct tpriv *p)
{
	if (p->buf_dma) {
		dma_unmap_single(p->dev, p->buf_dma, p->len, DMA_TO_DEVICE);
		p->buf_dma = 0;
	}
}

void teardown_ok(struct tpriv *p)
{
	tpriv_unmap_buf_once(p);
	tpriv_unmap_buf_once(p);
}

/* Every ring slot once: one array element is not the next one. */
void ring_unmap_ok(struct tpriv *p, dma_addr_t *slots, int n)
{
	int i;

	for (i = 0; i < n; i++)
		dma_unmap_single(p->dev, slots[i], 2048, DMA_FROM_DEVICE);
}

/* The member is mapped again between the two unmaps. */
void remap_ok(struct tpriv *p)
{
	dma_unmap_single(p->dev, p->buf_dma, p->len, DMA_TO_DEVICE);
	p->buf_dma = dma_map_single(p->dev, p->buf, p->len, DMA_TO_DEVICE);
	if (dma_mapping_error(p->dev, p->buf_dma))
		return;
	dma_unmap_single(p->dev, p->buf_dma, p->len, DMA_TO_DEVICE);
}

void coherent_double_free_bad(struct tpriv *p)
{
	dma_free_coherent(p->dev, 4096, p->ring, p->ring_dma);
	dma_free_coherent(p->dev, 4096, p->ring, p->ring_dma); // want "dma_free_coherent releases p->ring a second time"
}
