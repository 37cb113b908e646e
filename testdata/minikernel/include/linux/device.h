/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DEVICE_H_
#define _DEVICE_H_

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/container_of.h>
#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/pm.h>
#include <linux/gfp.h>
#include <linux/printk.h>
#include <linux/device/driver.h>

struct device_node;
struct bus_type;

struct device {
	struct kobject		kobj;
	struct device		*parent;
	const char		*init_name;
	struct bus_type		*bus;
	struct device_driver	*driver;
	void			*platform_data;
	void			*driver_data;
	struct mutex		mutex;	/* serializes driver core calls */
	struct dev_pm_info	power;
	u64			*dma_mask;
	u64			coherent_dma_mask;
	struct device_node	*of_node;
	u32			id;
	void	(*release)(struct device *dev);
};

#define kobj_to_dev(__kobj)	container_of(__kobj, struct device, kobj)

static inline const char *dev_name(const struct device *dev)
{
	if (dev->init_name)
		return dev->init_name;
	return dev->kobj.name;
}

static inline void *dev_get_drvdata(const struct device *dev)
{
	return dev->driver_data;
}

static inline void dev_set_drvdata(struct device *dev, void *data)
{
	dev->driver_data = data;
}

extern int __must_check device_register(struct device *dev);
extern void device_unregister(struct device *dev);
extern void device_initialize(struct device *dev);
extern int __must_check device_add(struct device *dev);
extern void device_del(struct device *dev);
extern struct device *get_device(struct device *dev);
extern void put_device(struct device *dev);

/* managed (devres) allocations: released when the driver unbinds */
void *devm_kmalloc(struct device *dev, size_t size, gfp_t gfp) __alloc_size(2);
void devm_kfree(struct device *dev, const void *p);

static inline __alloc_size(2) void *devm_kzalloc(struct device *dev, size_t size, gfp_t gfp)
{
	return devm_kmalloc(dev, size, gfp | __GFP_ZERO);
}

__printf(2, 3) __cold void _dev_err(const struct device *dev, const char *fmt, ...);
__printf(2, 3) __cold void _dev_warn(const struct device *dev, const char *fmt, ...);
__printf(2, 3) __cold void _dev_info(const struct device *dev, const char *fmt, ...);

#ifndef dev_fmt
#define dev_fmt(fmt) fmt
#endif

#define dev_err(dev, fmt, ...)	_dev_err(dev, dev_fmt(fmt), ##__VA_ARGS__)
#define dev_warn(dev, fmt, ...)	_dev_warn(dev, dev_fmt(fmt), ##__VA_ARGS__)
#define dev_info(dev, fmt, ...)	_dev_info(dev, dev_fmt(fmt), ##__VA_ARGS__)
#ifdef DEBUG
#define dev_dbg(dev, fmt, ...)	_dev_info(dev, dev_fmt(fmt), ##__VA_ARGS__)
#else
#define dev_dbg(dev, fmt, ...)					\
({								\
	if (0)							\
		_dev_info(dev, dev_fmt(fmt), ##__VA_ARGS__);	\
})
#endif

#endif /* _DEVICE_H_ */
