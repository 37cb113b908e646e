/* Shared declarations of the dma checker's testdata. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/io.h>
#include <linux/dma-mapping.h>
#include <linux/scatterlist.h>
#include <asm/byteorder.h>

struct tdesc {
	__le64 addr;
	__le32 len;
	__le32 ctrl;
};

struct tpriv {
	struct device *dev;
	void __iomem *regs;
	struct tdesc *ring;
	dma_addr_t ring_dma;
	dma_addr_t buf_dma;
	void *buf;
	size_t len;
	int sg_count;
	struct scatterlist *sg;
	int sg_len;
};

int tdev_start(struct tpriv *p, dma_addr_t addr, size_t len);

/* DMA pools (include/linux/dmapool.h). */
struct dma_pool;
void *dma_pool_alloc(struct dma_pool *pool, gfp_t mem_flags, dma_addr_t *handle);
void dma_pool_free(struct dma_pool *pool, void *vaddr, dma_addr_t addr);

/* An URB filler the headers do not define (an external call). */
struct urb;
struct usb_device;
void usb_fill_bulk_urb(struct urb *urb, struct usb_device *dev, unsigned int pipe,
		void *transfer_buffer, int buffer_length, void (*complete_fn)(struct urb *),
		void *context);
void hlist_add_head(void *n, void *h);
