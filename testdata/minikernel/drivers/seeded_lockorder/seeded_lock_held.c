// SPDX-License-Identifier: GPL-2.0
/* Seeded lockorder/held-at-return: an error path that forgets
 * mutex_unlock, and a double unlock. Fixed twins: seedok_*. */
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/errno.h>

struct seed_dev {
	struct mutex io_lock;
	spinlock_t irq_lock;
	int present;
	int val;
};

int seed_dev_write(struct seed_dev *d, int v)
{
	mutex_lock(&d->io_lock);
	if (!d->present)
		return -ENODEV; // want "struct seed_dev.io_lock .* is still held when seed_dev_write returns"
	d->val = v;
	mutex_unlock(&d->io_lock);
	return 0;
}

int seedok_dev_write(struct seed_dev *d, int v)
{
	int ret = 0;

	mutex_lock(&d->io_lock);
	if (!d->present) {
		ret = -ENODEV;
		goto unlock;
	}
	d->val = v;
unlock:
	mutex_unlock(&d->io_lock);
	return ret;
}

void seed_dev_ack(struct seed_dev *d)
{
	spin_lock(&d->irq_lock);
	if (d->val)
		spin_unlock(&d->irq_lock);
	spin_unlock(&d->irq_lock); // want "double unlock: struct seed_dev.irq_lock"
}

void seedok_dev_ack(struct seed_dev *d)
{
	spin_lock(&d->irq_lock);
	d->val = 0;
	spin_unlock(&d->irq_lock);
}
