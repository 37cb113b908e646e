/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mini_bus.h - private interface of the miniature bus (drivers/mini).
 *
 * Found through ccflags-y (-I$(srctree)/drivers/mini/include), never
 * through include/.
 */
#ifndef _MINI_BUS_H
#define _MINI_BUS_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/kref.h>
#include <linux/spinlock.h>
#include <linux/device.h>

#if MINI_DEBUG
#define mini_dbg(fmt, ...)	pr_info("mini: " fmt, ##__VA_ARGS__)
#else
#define mini_dbg(fmt, ...)	no_printk("mini: " fmt, ##__VA_ARGS__)
#endif

struct mini_dev {
	struct device		dev;
	struct list_head	node;		/* on mini_bus_list */
	int			id;
};

#define to_mini_dev(d)	container_of(d, struct mini_dev, dev)

struct mini_chan;

struct mini_chan_ops {
	int	(*start)(struct mini_chan *ch);
	void	(*stop)(struct mini_chan *ch);
	void	(*kick)(struct mini_chan *ch, u32 bits);
};

struct mini_chan {
	struct kref			ref;
	struct mini_dev			*mdev;	/* holds a device reference */
	const struct mini_chan_ops	*ops;
	spinlock_t			lock;	/* protects pending */
	u32				pending;
};

/* mini_core.c */
struct mini_dev *mini_dev_create(struct device *parent, const char *name);
void mini_dev_destroy(struct mini_dev *mdev);
struct mini_dev *mini_dev_find(int id);
void mini_dev_put(struct mini_dev *mdev);

/* mini_chan.c */
struct mini_chan *mini_chan_open(int id, const struct mini_chan_ops *ops);
void mini_chan_close(struct mini_chan *ch);
void mini_chan_post(struct mini_chan *ch, u32 bits);

#endif /* _MINI_BUS_H */
