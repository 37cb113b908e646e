/* SPDX-License-Identifier: GPL-2.0 */
/* Reference APIs the refcount checker's tests need beyond the shared stubs
 * (declarations as in Linux 6.1). */
#ifndef _LINUX_KCHECK_REFCOUNT_EXTRA_H
#define _LINUX_KCHECK_REFCOUNT_EXTRA_H

#include <linux/types.h>
#include <linux/device.h>
#include <linux/kobject.h>
#include <linux/kref.h>
#include <linux/of.h>

struct pci_dev {
	struct device	dev;
	unsigned short	vendor;
	unsigned short	device;
	u8		revision;
};

#define PCI_ANY_ID (~0)
extern struct pci_dev *pci_get_device(unsigned int vendor, unsigned int device, struct pci_dev *from);
extern struct pci_dev *pci_dev_get(struct pci_dev *dev);
extern void pci_dev_put(struct pci_dev *dev);

struct kobj_type;
extern int kobject_init_and_add(struct kobject *kobj, const struct kobj_type *ktype,
				struct kobject *parent, const char *fmt, ...);
extern struct kobject *kobject_create_and_add(const char *name, struct kobject *parent);

extern struct device_node *of_find_matching_node(struct device_node *from, const void *matches);
extern struct device_node *of_get_compatible_child(const struct device_node *parent, const char *compatible);

#endif
