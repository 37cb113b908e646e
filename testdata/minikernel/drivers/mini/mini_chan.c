// SPDX-License-Identifier: GPL-2.0
/*
 * mini_chan - channels on the miniature bus (kcheck test tree).
 *
 * A channel pins its bus device for its whole lifetime and drives the
 * hardware through an ops table supplied by its opener.
 */

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/err.h>
#include <linux/kref.h>
#include <linux/spinlock.h>

#include <mini_bus.h>

struct mini_chan *mini_chan_open(int id, const struct mini_chan_ops *ops)
{
	struct mini_dev *mdev;
	struct mini_chan *ch;
	int ret;

	mdev = mini_dev_find(id);
	if (!mdev)
		return ERR_PTR(-ENODEV);

	ch = kzalloc(sizeof(*ch), GFP_KERNEL);
	if (!ch) {
		ret = -ENOMEM;
		goto err_put_dev;
	}

	kref_init(&ch->ref);
	spin_lock_init(&ch->lock);
	ch->ops = ops;

	ret = ch->ops->start(ch);
	if (ret)
		goto err_free;

	ch->mdev = mdev;	/* the channel keeps the lookup reference */
	return ch;

err_free:
	kfree(ch);
err_put_dev:
	mini_dev_put(mdev);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(mini_chan_open);

static void mini_chan_release(struct kref *ref)
{
	struct mini_chan *ch = container_of(ref, struct mini_chan, ref);

	ch->ops->stop(ch);
	mini_dev_put(ch->mdev);
	kfree(ch);
}

void mini_chan_close(struct mini_chan *ch)
{
	kref_put(&ch->ref, mini_chan_release);
}
EXPORT_SYMBOL_GPL(mini_chan_close);

/* May be called from softirq context. */
void mini_chan_post(struct mini_chan *ch, u32 bits)
{
	u32 pending;

	spin_lock_bh(&ch->lock);
	ch->pending |= bits;
	pending = ch->pending;
	ch->pending = 0;
	spin_unlock_bh(&ch->lock);

	if (pending)
		ch->ops->kick(ch, pending);
}
EXPORT_SYMBOL_GPL(mini_chan_post);

/* loopback channel used by the self test */

static int mini_loop_start(struct mini_chan *ch)
{
	mini_dbg("loop start\n");
	return 0;
}

static void mini_loop_stop(struct mini_chan *ch)
{
	mini_dbg("loop stop\n");
}

static void mini_loop_kick(struct mini_chan *ch, u32 bits)
{
	mini_dbg("loop kick %08x\n", bits);
}

static const struct mini_chan_ops mini_loop_ops = {
	.start	= mini_loop_start,
	.stop	= mini_loop_stop,
	.kick	= mini_loop_kick,
};

static int __init mini_chan_selftest(void)
{
	struct mini_dev *mdev;
	struct mini_chan *ch;
	int ret = 0;

	mdev = mini_dev_create(NULL, "mini-loop");
	if (IS_ERR(mdev))
		return PTR_ERR(mdev);

	ch = mini_chan_open(mdev->id, &mini_loop_ops);
	if (IS_ERR(ch)) {
		ret = PTR_ERR(ch);
		goto out_destroy;
	}

	mini_chan_post(ch, BIT(0) | BIT(3));
	mini_chan_close(ch);

out_destroy:
	mini_dev_destroy(mdev);
	return ret;
}
late_initcall(mini_chan_selftest);

MODULE_DESCRIPTION("Miniature bus channels (kcheck test tree)");
MODULE_LICENSE("GPL");
