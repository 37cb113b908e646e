// SPDX-License-Identifier: GPL-2.0
/* Seeded lockorder/self: a status update that takes the lock its caller
 * already holds. Fixed twin: seedok_*. */
#include <linux/spinlock.h>

struct seed_port {
	spinlock_t lock;
	int status;
};

static void seed_port_set_status(struct seed_port *p, int s)
{
	unsigned long flags;

	spin_lock_irqsave(&p->lock, flags);
	p->status = s;
	spin_unlock_irqrestore(&p->lock, flags);
}

void seed_port_irq(struct seed_port *p)
{
	spin_lock(&p->lock);
	seed_port_set_status(p, 1); // want "possible recursive locking: struct seed_port.lock is acquired in seed_port_set_status"
	spin_unlock(&p->lock);
}

void seedok_port_irq(struct seed_port *p)
{
	spin_lock(&p->lock);
	p->status = 1;
	spin_unlock(&p->lock);
}
