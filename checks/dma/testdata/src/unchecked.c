#include "kcheck_dma_test.h"

/* The handle goes into a descriptor untested. */
int map_store_bad(struct tpriv *p, void *buf, size_t len)
{
	dma_addr_t dma = dma_map_single(p->dev, buf, len, DMA_TO_DEVICE); // want "DMA handle dma from dma_map_single is \[stored into p->ring->addr\]\(1\) without a dma_mapping_error"

	p->ring->addr = cpu_to_le64(dma);
	return 0;
}

int map_store_ok(struct tpriv *p, void *buf, size_t len)
{
	dma_addr_t dma = dma_map_single(p->dev, buf, len, DMA_TO_DEVICE);

	if (dma_mapping_error(p->dev, dma))
		return -ENOMEM;
	p->ring->addr = cpu_to_le64(dma);
	return 0;
}

/* The handle is written to a register (passed on) untested. */
int map_writel_bad(struct tpriv *p)
{
	dma_addr_t d = dma_map_single(p->dev, p->ring, sizeof(*p->ring), DMA_TO_DEVICE); // want "passed to writel"

	writel(d, p->regs);
	dma_unmap_single(p->dev, d, sizeof(*p->ring), DMA_TO_DEVICE);
	return 0;
}

int map_writel_ok(struct tpriv *p)
{
	dma_addr_t d = dma_map_single(p->dev, p->ring, sizeof(*p->ring), DMA_TO_DEVICE);
	int err;

	err = dma_mapping_error(p->dev, d);
	if (err)
		return err;
	writel(d, p->regs);
	dma_unmap_single(p->dev, d, sizeof(*p->ring), DMA_TO_DEVICE);
	return 0;
}

/* `!handle` is not a test: the error value is DMA_MAPPING_ERROR. */
int map_null_test_bad(struct tpriv *p, void *buf)
{
	dma_addr_t d;
	int ret;

	d = dma_map_single(p->dev, buf, 64, DMA_FROM_DEVICE); // want "passed to tdev_start"
	if (!d)
		return -ENOMEM;
	ret = tdev_start(p, d, 64);
	dma_unmap_single(p->dev, d, 64, DMA_FROM_DEVICE);
	return ret;
}

/*
 * The open-coded comparison with DMA_MAPPING_ERROR is a test for
 * unchecked-mapping, and the shared engine resolves the mapping's status
 * by it: the failure return holds nothing.
 */
int map_open_coded_ok(struct tpriv *p, void *buf)
{
	dma_addr_t d;
	int ret;

	d = dma_map_single(p->dev, buf, 64, DMA_FROM_DEVICE);
	if (d == DMA_MAPPING_ERROR)
		return -ENOMEM;
	ret = tdev_start(p, d, 64);
	dma_unmap_single(p->dev, d, 64, DMA_FROM_DEVICE);
	return ret;
}

/* Several buffers mapped, none tested, stored into the descriptor and
 * unmapped at the end (the shape of a crypto engine's run function). */
int map_three_bad(struct tpriv *p, void *key, void *in, void *out)
{
	struct tdesc *desc = p->ring;
	dma_addr_t key_phys = dma_map_single(p->dev, key, 32, DMA_TO_DEVICE); // want "key_phys from dma_map_single is \[unmapped by dma_unmap_single\]"
	dma_addr_t src_phys = dma_map_single(p->dev, in, 512, DMA_TO_DEVICE); // want "src_phys from dma_map_single is \[stored into desc->addr\]"
	dma_addr_t dst_phys = dma_map_single(p->dev, out, 512, DMA_FROM_DEVICE); // want "dst_phys from dma_map_single is \[stored into desc->ctrl\]"
	int ret;

	desc->addr = src_phys;
	desc->ctrl = dst_phys;
	ret = tdev_start(p, 0, 512);
	dma_unmap_single(p->dev, key_phys, 32, DMA_TO_DEVICE);
	dma_unmap_single(p->dev, src_phys, 512, DMA_TO_DEVICE);
	dma_unmap_single(p->dev, dst_phys, 512, DMA_FROM_DEVICE);
	return ret;
}

int map_three_ok(struct tpriv *p, void *key, void *in, void *out)
{
	struct tdesc *desc = p->ring;
	dma_addr_t key_phys, src_phys, dst_phys;
	int ret;

	key_phys = dma_map_single(p->dev, key, 32, DMA_TO_DEVICE);
	ret = dma_mapping_error(p->dev, key_phys);
	if (ret)
		return ret;
	src_phys = dma_map_single(p->dev, in, 512, DMA_TO_DEVICE);
	ret = dma_mapping_error(p->dev, src_phys);
	if (ret)
		goto err_src;
	dst_phys = dma_map_single(p->dev, out, 512, DMA_FROM_DEVICE);
	ret = dma_mapping_error(p->dev, dst_phys);
	if (ret)
		goto err_dst;

	desc->addr = src_phys;
	desc->ctrl = dst_phys;
	ret = tdev_start(p, 0, 512);
	dma_unmap_single(p->dev, dst_phys, 512, DMA_FROM_DEVICE);
err_dst:
	dma_unmap_single(p->dev, src_phys, 512, DMA_TO_DEVICE);
err_src:
	dma_unmap_single(p->dev, key_phys, 32, DMA_TO_DEVICE);
	return ret;
}

/* A mapping made on one branch only, stored untested. */
int map_cond_bad(struct tpriv *p, void *out, int fini)
{
	dma_addr_t digest = 0;

	if (fini) {
		digest = dma_map_single(p->dev, out, 32, DMA_FROM_DEVICE); // want "stored into p->ring->len"
		p->ring->len = digest;
	}
	return tdev_start(p, 0, 0);
}

/* Tested on one path only. */
int map_one_path_bad(struct tpriv *p, void *buf, int careful)
{
	dma_addr_t d = dma_map_single(p->dev, buf, 64, DMA_TO_DEVICE); // want "stored into p->buf_dma"

	if (careful && dma_mapping_error(p->dev, d))
		return -ENOMEM;
	p->buf_dma = d;
	return tdev_start(p, d, 64);
}

/* A driver's own check helper is learned. */
static int tpriv_map_failed(struct tpriv *p)
{
	return dma_mapping_error(p->dev, p->buf_dma);
}

int map_helper_check_ok(struct tpriv *p)
{
	p->buf_dma = dma_map_single(p->dev, p->buf, p->len, DMA_TO_DEVICE);
	if (tpriv_map_failed(p))
		return -ENOMEM;
	writel(p->buf_dma, p->regs);
	return 0;
}

/* A driver's own map helper is learned: its callers must test. */
static dma_addr_t tpriv_map(struct tpriv *p, void *buf)
{
	return dma_map_single(p->dev, buf, p->len, DMA_TO_DEVICE);
}

int map_helper_bad(struct tpriv *p, void *buf)
{
	dma_addr_t d = tpriv_map(p, buf); // want "DMA handle d from tpriv_map .which returns a dma_map_single result. is \[stored into p->buf_dma\]"

	p->buf_dma = d;
	return tdev_start(p, d, p->len);
}

int map_helper_ok(struct tpriv *p, void *buf)
{
	dma_addr_t d = tpriv_map(p, buf);

	if (dma_mapping_error(p->dev, d))
		return -ENOMEM;
	p->buf_dma = d;
	return tdev_start(p, d, p->len);
}

/* dma_map_sg's count must be tested for 0. */
int map_sg_count_bad(struct tpriv *p, struct scatterlist *sgl, int nents)
{
	int count = dma_map_sg(p->dev, sgl, nents, DMA_TO_DEVICE); // want "the count dma_map_sg returned .count. is \[passed to tdev_start\]\(1\) without a test for 0"

	return tdev_start(p, sg_dma_address(sgl), count);
}

int map_sg_count_ok(struct tpriv *p, struct scatterlist *sgl, int nents)
{
	int count = dma_map_sg(p->dev, sgl, nents, DMA_TO_DEVICE);

	if (!count)
		return -EIO;
	return tdev_start(p, sg_dma_address(sgl), count);
}

int map_sg_count_field_ok(struct tpriv *p)
{
	p->sg_count = dma_map_sg(p->dev, p->sg, p->sg_len, DMA_FROM_DEVICE);
	if (p->sg_count == 0)
		return -EIO;
	writel(p->sg_count, p->regs);
	return 0;
}
