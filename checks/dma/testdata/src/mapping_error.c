#include <linux/usb.h>
#include "kcheck_dma_test.h"

/* The mapping tested against DMA_MAPPING_ERROR directly (what
 * dma_mapping_error does without CONFIG_DMA_API_DEBUG): its failure
 * branch holds nothing. */
int map_cmp_ok(struct tpriv *p, void *buf, size_t len)
{
	dma_addr_t d;
	int ret;

	d = dma_map_single(p->dev, buf, len, DMA_TO_DEVICE);
	if (d == DMA_MAPPING_ERROR)
		return -ENOMEM;
	ret = tdev_start(p, d, len);
	dma_unmap_single(p->dev, d, len, DMA_TO_DEVICE);
	return ret;
}

/* The same test spelled the other way round. */
int map_cmp_ne_ok(struct tpriv *p, void *buf, size_t len)
{
	dma_addr_t d;
	int ret = -ENOMEM;

	d = dma_map_single(p->dev, buf, len, DMA_TO_DEVICE);
	if (d != DMA_MAPPING_ERROR) {
		ret = tdev_start(p, d, len);
		dma_unmap_single(p->dev, d, len, DMA_TO_DEVICE);
	}
	return ret;
}

/* A later failure still leaks the successful mapping. */
int map_cmp_bad(struct tpriv *p, void *buf, size_t len)
{
	dma_addr_t d;
	int ret;

	d = dma_map_single(p->dev, buf, len, DMA_TO_DEVICE); // want "leak"
	if (d == DMA_MAPPING_ERROR)
		return -ENOMEM;
	ret = tdev_start(p, d, len);
	if (ret)
		return ret;
	dma_unmap_single(p->dev, d, len, DMA_TO_DEVICE);
	return 0;
}

/* Hand-offs from the engine's shared default list: the buffer belongs to
 * the URB, the CPU address to the hash list. */
int fill_urb_ok(struct tpriv *p, struct urb *urb, struct usb_device *udev)
{
	dma_addr_t h;
	void *v;

	v = usb_alloc_coherent(udev, 64, GFP_KERNEL, &h);
	if (!v)
		return -ENOMEM;
	usb_fill_bulk_urb(urb, udev, 0, v, 64, NULL, p);
	return 0;
}

int hlist_ok(struct tpriv *p, void *head)
{
	dma_addr_t h;
	void *v;

	v = dma_alloc_coherent(p->dev, 64, &h, GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	hlist_add_head(v, head);
	return 0;
}
