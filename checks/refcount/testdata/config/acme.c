// SPDX-License-Identifier: GPL-2.0
/* A subsystem's own lookup/release pair declared in the config file. */
#include <linux/errno.h>

struct acme;
extern struct acme *acme_lookup(int id);
extern void acme_release(struct acme *a);
extern int acme_use(struct acme *a);

int acme_bad(int id)
{
	struct acme *a = acme_lookup(id); // want "acme reference from acme_lookup\(\) on a is not released"

	if (!a)
		return -ENODEV;
	if (acme_use(a))
		return -EIO;
	acme_release(a);
	return 0;
}

int acme_ok(int id)
{
	struct acme *a = acme_lookup(id);
	int ret;

	if (!a)
		return -ENODEV;
	ret = acme_use(a);
	acme_release(a);
	return ret;
}
