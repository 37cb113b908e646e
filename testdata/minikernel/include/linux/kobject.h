/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KOBJECT_H_
#define _KOBJECT_H_

#include <linux/types.h>
#include <linux/kref.h>

struct kobject {
	const char		*name;
	struct list_head	entry;
	struct kobject		*parent;
	struct kref		kref;
	unsigned int		state_initialized:1;
	unsigned int		state_in_sysfs:1;
};

extern struct kobject *kobject_get(struct kobject *kobj);
extern void kobject_put(struct kobject *kobj);

#endif /* _KOBJECT_H_ */
