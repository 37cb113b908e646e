#include "kcheck_dma_test.h"
#include <linux/list.h>

/* Transfer descriptors allocated in a loop (the uhci-q.c and pch_udc.c
 * shapes): each one is handed off before the next allocation, so the
 * failure of a later allocation leaves nothing held. */

struct ttd {
	struct list_head list;
	dma_addr_t dma_handle;
	__le32 link;
	dma_addr_t next;
};

struct turb {
	struct list_head td_list;
	struct ttd *first;
	struct ttd *last;
	int chain_len;
};

struct thcd {
	struct dma_pool *pool;
};

static struct ttd *thcd_alloc_td(struct thcd *h)
{
	dma_addr_t dma_handle;
	struct ttd *td;

	td = dma_pool_alloc(h->pool, GFP_ATOMIC, &dma_handle);
	if (!td)
		return NULL;
	td->dma_handle = dma_handle;
	INIT_LIST_HEAD(&td->list);
	return td;
}

static void thcd_free_td(struct thcd *h, struct ttd *td)
{
	dma_pool_free(h->pool, td, td->dma_handle);
}

static void thcd_add_td(struct ttd *td, struct turb *u)
{
	list_add_tail(&td->list, &u->td_list);
}

/* uhci_submit_control: the td of iteration k is on the urb's list when
 * iteration k+1's allocation fails. */
int thcd_submit_loop_ok(struct thcd *h, struct turb *u, __le32 *plink, int len)
{
	struct ttd *td;

	while (len > 0) {
		td = thcd_alloc_td(h);
		if (!td)
			goto nomem;
		*plink = cpu_to_le32(td->dma_handle);
		thcd_add_td(td, u);
		plink = &td->link;
		len -= 64;
	}
	td = thcd_alloc_td(h);
	if (!td)
		goto nomem;
	*plink = cpu_to_le32(td->dma_handle);
	thcd_add_td(td, u);
	return 0;

nomem:
	return -ENOMEM;
}

/* The same loop that forgets to hand the td off: the td of iteration k
 * is leaked when iteration k+1's allocation fails (or at the end). */
int thcd_submit_loop_bad(struct thcd *h, struct turb *u, __le32 *plink, int len)
{
	struct ttd *td;

	while (len > 0) {
		td = thcd_alloc_td(h); // want "leak"
		if (!td)
			goto nomem;
		*plink = cpu_to_le32(td->dma_handle);
		len -= 64;
	}
	return 0;

nomem:
	return -ENOMEM;
}

/* pch_udc_create_dma_chain: each new descriptor is linked into the
 * previous one by its DMA address; the chain hangs off the request. */
int tchain_create_ok(struct thcd *h, struct turb *u, unsigned long bytes, unsigned long buf_len)
{
	struct ttd *td = u->first, *last;
	dma_addr_t dma_addr;
	int len = 1;

	for (;; bytes -= buf_len, ++len) {
		if (bytes <= buf_len)
			break;
		last = td;
		td = dma_pool_alloc(h->pool, GFP_ATOMIC, &dma_addr);
		if (!td)
			goto nomem;
		td->link = 0;
		last->next = dma_addr;
	}
	u->last = td;
	u->chain_len = len;
	return 0;

nomem:
	u->chain_len = len;
	return -ENOMEM;
}

/* A fresh allocation whose NULL test fails holds nothing on that branch. */
int talloc_null_ok(struct thcd *h, struct turb *u)
{
	struct ttd *td;

	td = thcd_alloc_td(h);
	if (td == NULL)
		return -ENOMEM;
	thcd_add_td(td, u);
	return 0;
}

/* Freed through the driver's own helper. */
int talloc_free_ok(struct thcd *h, int fail)
{
	struct ttd *td;

	td = thcd_alloc_td(h);
	if (!td)
		return -ENOMEM;
	if (fail) {
		thcd_free_td(h, td);
		return -EIO;
	}
	thcd_free_td(h, td);
	return 0;
}

/* The td of iteration k is handed off only in iteration k+1: when that
 * iteration's allocation fails, iteration k's td leaks. The witness
 * starts at iteration k's allocation, not at the failed one. */
int thcd_pair_bad(struct thcd *h, struct turb *u, int n)
{
	struct ttd *td, *prev = NULL;

	while (n-- > 0) {
		td = thcd_alloc_td(h); // want "td from thcd_alloc_td is neither released nor handed off"
		if (!td)
			goto nomem;
		if (prev)
			thcd_add_td(prev, u);
		prev = td;
	}
	if (prev)
		thcd_add_td(prev, u);
	return 0;

nomem:
	return -ENOMEM;
}
