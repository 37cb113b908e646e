// SPDX-License-Identifier: GPL-2.0
/*
 * mini_core - device registry of the miniature bus (kcheck test tree).
 *
 * Devices live on mini_bus_list under mini_bus_rwsem; lookups return a
 * device with a reference held, which the caller drops with
 * mini_dev_put().
 */

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/err.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/device.h>

#include <mini_bus.h>

static DECLARE_RWSEM(mini_bus_rwsem);
static LIST_HEAD(mini_bus_list);

static DEFINE_MUTEX(mini_id_lock);
static int mini_next_id;

static void mini_dev_release(struct device *dev)
{
	struct mini_dev *mdev = to_mini_dev(dev);

	mini_dbg("release %d\n", mdev->id);
	kfree(mdev);
}

static int mini_alloc_id(void)
{
	int id;

	mutex_lock(&mini_id_lock);
	id = mini_next_id++;
	mutex_unlock(&mini_id_lock);

	return id;
}

struct mini_dev *mini_dev_create(struct device *parent, const char *name)
{
	struct mini_dev *mdev;
	int ret;

	mdev = kzalloc(sizeof(*mdev), GFP_KERNEL);
	if (!mdev)
		return ERR_PTR(-ENOMEM);

	mdev->id = mini_alloc_id();
	INIT_LIST_HEAD(&mdev->node);
	mdev->dev.parent = parent;
	mdev->dev.init_name = name;
	mdev->dev.release = mini_dev_release;

	ret = device_register(&mdev->dev);
	if (ret) {
		/* the device is initialized: put it, release() frees mdev */
		put_device(&mdev->dev);
		return ERR_PTR(ret);
	}

	down_write(&mini_bus_rwsem);
	list_add_tail(&mdev->node, &mini_bus_list);
	up_write(&mini_bus_rwsem);

	mini_dbg("created %s as %d\n", name, mdev->id);
	return mdev;
}
EXPORT_SYMBOL_GPL(mini_dev_create);

void mini_dev_destroy(struct mini_dev *mdev)
{
	down_write(&mini_bus_rwsem);
	list_del_init(&mdev->node);
	up_write(&mini_bus_rwsem);

	device_unregister(&mdev->dev);
}
EXPORT_SYMBOL_GPL(mini_dev_destroy);

/* Returns the device with @id and a reference on it, or NULL. */
struct mini_dev *mini_dev_find(int id)
{
	struct mini_dev *mdev, *found = NULL;

	down_read(&mini_bus_rwsem);
	list_for_each_entry(mdev, &mini_bus_list, node) {
		if (mdev->id == id) {
			get_device(&mdev->dev);
			found = mdev;
			break;
		}
	}
	up_read(&mini_bus_rwsem);

	return found;
}
EXPORT_SYMBOL_GPL(mini_dev_find);

void mini_dev_put(struct mini_dev *mdev)
{
	put_device(&mdev->dev);
}
EXPORT_SYMBOL_GPL(mini_dev_put);

static int __init mini_core_init(void)
{
	mini_dbg("bus ready\n");
	return 0;
}
subsys_initcall(mini_core_init);

MODULE_DESCRIPTION("Miniature bus core (kcheck test tree)");
MODULE_LICENSE("GPL");
