// SPDX-License-Identifier: GPL-2.0
/* lockorder testdata: lock-order cycles (lockorder/abba) and their fixes. */
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/errno.h>

/* 1. AB-BA through a helper: ab_path holds a, the helper takes b; ba_path
 * takes b then a directly. */
struct ab_dev {
	struct mutex a;
	struct mutex b;
	int val;
};

static void ab_helper_takes_b(struct ab_dev *d)
{
	mutex_lock(&d->b);
	d->val++;
	mutex_unlock(&d->b);
}

void ab_path(struct ab_dev *d)
{
	mutex_lock(&d->a);
	ab_helper_takes_b(d);
	mutex_unlock(&d->a);
}

void ba_path(struct ab_dev *d)
{
	mutex_lock(&d->b);
	mutex_lock(&d->a); // want "possible circular locking dependency: struct ab_dev.a -> struct ab_dev.b -> struct ab_dev.a"
	d->val = 0;
	mutex_unlock(&d->a);
	mutex_unlock(&d->b);
}

/* 1 ok: the same helper, but both paths take a before b. */
struct ab_ok_dev {
	struct mutex a;
	struct mutex b;
	int val;
};

static void ab_ok_helper_takes_b(struct ab_ok_dev *d)
{
	mutex_lock(&d->b);
	d->val++;
	mutex_unlock(&d->b);
}

void ab_ok_path(struct ab_ok_dev *d)
{
	mutex_lock(&d->a);
	ab_ok_helper_takes_b(d);
	mutex_unlock(&d->a);
}

void ab_ok_path2(struct ab_ok_dev *d)
{
	mutex_lock(&d->a);
	mutex_lock(&d->b);
	d->val = 0;
	mutex_unlock(&d->b);
	mutex_unlock(&d->a);
}

/* 2. Three-lock cycle x -> y -> z -> x over three functions. */
struct tri {
	spinlock_t x;
	spinlock_t y;
	spinlock_t z;
};

void tri_xy(struct tri *t)
{
	spin_lock(&t->x);
	spin_lock(&t->y);
	spin_unlock(&t->y);
	spin_unlock(&t->x);
}

void tri_yz(struct tri *t)
{
	spin_lock(&t->y);
	spin_lock(&t->z);
	spin_unlock(&t->z);
	spin_unlock(&t->y);
}

void tri_zx(struct tri *t)
{
	spin_lock(&t->z);
	spin_lock(&t->x); // want "circular locking dependency: struct tri.x -> struct tri.y -> struct tri.z -> struct tri.x"
	spin_unlock(&t->x);
	spin_unlock(&t->z);
}

/* 2 ok: the same three locks always in order x, y, z. */
struct tri_ok {
	spinlock_t x;
	spinlock_t y;
	spinlock_t z;
};

void tri_ok_xy(struct tri_ok *t)
{
	spin_lock(&t->x);
	spin_lock(&t->y);
	spin_unlock(&t->y);
	spin_unlock(&t->x);
}

void tri_ok_yz(struct tri_ok *t)
{
	spin_lock(&t->y);
	spin_lock(&t->z);
	spin_unlock(&t->z);
	spin_unlock(&t->y);
}

void tri_ok_xz(struct tri_ok *t)
{
	spin_lock(&t->x);
	spin_lock(&t->z);
	spin_unlock(&t->z);
	spin_unlock(&t->x);
}

/* 3. A cycle only through an ops-struct callback: the core holds its
 * lock while calling ->notify, whose implementation takes the client's
 * lock; the client calls back into the core with its lock held. */
struct cb_core;
struct cb_ops {
	void (*notify)(struct cb_core *core, void *priv);
};
struct cb_client {
	struct mutex clock;
	int events;
};
struct cb_core {
	struct mutex lock;
	const struct cb_ops *ops;
	void *priv;
	int state;
};

static void client_notify(struct cb_core *core, void *priv)
{
	struct cb_client *c = priv;

	mutex_lock(&c->clock);
	c->events++;
	mutex_unlock(&c->clock);
}

static const struct cb_ops client_ops = {
	.notify = client_notify,
};

void cb_core_event(struct cb_core *core)
{
	mutex_lock(&core->lock);
	core->state++;
	core->ops->notify(core, core->priv); // want "circular locking dependency: struct cb_client.clock -> struct cb_core.lock -> struct cb_client.clock"
	mutex_unlock(&core->lock);
}

void cb_core_set(struct cb_core *core, int state)
{
	mutex_lock(&core->lock);
	core->state = state;
	mutex_unlock(&core->lock);
}

void cb_client_reset(struct cb_client *c, struct cb_core *core)
{
	mutex_lock(&c->clock);
	c->events = 0;
	cb_core_set(core, 0);	/* the other half of the cycle */
	mutex_unlock(&c->clock);
}

const struct cb_ops *cb_get_ops(void)
{
	return &client_ops;
}

/* 3 ok: the fixed core drops its lock before the callback. */
struct cbok_core;
struct cbok_ops {
	void (*notify)(struct cbok_core *core, void *priv);
};
struct cbok_client {
	struct mutex clock;
	int events;
};
struct cbok_core {
	struct mutex lock;
	const struct cbok_ops *ops;
	void *priv;
	int state;
};

static void cbok_client_notify(struct cbok_core *core, void *priv)
{
	struct cbok_client *c = priv;

	mutex_lock(&c->clock);
	c->events++;
	mutex_unlock(&c->clock);
}

static const struct cbok_ops cbok_client_ops = {
	.notify = cbok_client_notify,
};

void cbok_core_event(struct cbok_core *core)
{
	mutex_lock(&core->lock);
	core->state++;
	mutex_unlock(&core->lock);
	core->ops->notify(core, core->priv);
}

void cbok_core_set(struct cbok_core *core, int state)
{
	mutex_lock(&core->lock);
	core->state = state;
	mutex_unlock(&core->lock);
}

void cbok_client_reset(struct cbok_client *c, struct cbok_core *core)
{
	mutex_lock(&c->clock);
	c->events = 0;
	cbok_core_set(core, 0);
	mutex_unlock(&c->clock);
}

const struct cbok_ops *cbok_get_ops(void)
{
	return &cbok_client_ops;
}

/* 4. trylock: a failed trylock holds nothing, and a trylock never waits,
 * so taking q then trying p does not make an edge q -> p. */
struct tl {
	spinlock_t p;
	spinlock_t q;
	int n;
};

void tl_pq(struct tl *t)
{
	spin_lock(&t->p);
	spin_lock(&t->q);
	t->n++;
	spin_unlock(&t->q);
	spin_unlock(&t->p);
}

void tl_qp_try(struct tl *t)
{
	spin_lock(&t->q);
	if (!spin_trylock(&t->p)) {	// ok: trylock does not wait
		spin_unlock(&t->q);
		return;
	}
	t->n--;
	spin_unlock(&t->p);
	spin_unlock(&t->q);
}

/* 4 bad: blocking on p after the trylock of r failed still holds q. */
struct tlb {
	spinlock_t p;
	spinlock_t q;
	spinlock_t r;
	int n;
};

void tlb_pq(struct tlb *t)
{
	spin_lock(&t->p);
	spin_lock(&t->q);
	spin_unlock(&t->q);
	spin_unlock(&t->p);
}

void tlb_qp(struct tlb *t)
{
	spin_lock(&t->q);
	if (spin_trylock(&t->r)) {
		t->n++;
		spin_unlock(&t->r);
	}
	spin_lock(&t->p); // want "circular locking dependency: struct tlb.p -> struct tlb.q -> struct tlb.p"
	spin_unlock(&t->p);
	spin_unlock(&t->q);
}

/* 5. irqsave pairs: spin_lock_irqsave arrives as
 * flags = _raw_spin_lock_irqsave(spinlock_check(l)). */
struct irqd {
	spinlock_t hw;
	spinlock_t list;
	int n;
};

void irqd_hw_then_list(struct irqd *d)
{
	unsigned long flags;

	spin_lock_irqsave(&d->hw, flags);
	spin_lock(&d->list);
	d->n++;
	spin_unlock(&d->list);
	spin_unlock_irqrestore(&d->hw, flags);
}

void irqd_list_then_hw(struct irqd *d)
{
	unsigned long flags;

	spin_lock_irqsave(&d->list, flags);
	spin_lock(&d->hw); // want "circular locking dependency: struct irqd.hw -> struct irqd.list -> struct irqd.hw"
	d->n--;
	spin_unlock(&d->hw);
	spin_unlock_irqrestore(&d->list, flags);
}

/* 5 ok: the irqsave section is closed before the other lock. */
struct irqd_ok {
	spinlock_t hw;
	spinlock_t list;
	int n;
};

void irqd_ok_hw_then_list(struct irqd_ok *d)
{
	unsigned long flags;

	spin_lock_irqsave(&d->hw, flags);
	spin_lock(&d->list);
	d->n++;
	spin_unlock(&d->list);
	spin_unlock_irqrestore(&d->hw, flags);
}

void irqd_ok_list_then_hw(struct irqd_ok *d)
{
	unsigned long flags;

	spin_lock_irqsave(&d->list, flags);
	d->n--;
	spin_unlock_irqrestore(&d->list, flags);
	spin_lock(&d->hw);
	d->n = 0;
	spin_unlock(&d->hw);
}

/* 6. _interruptible: the error path returns without the lock, and the
 * success path orders m2 after m1; the reverse order elsewhere is a cycle
 * only on the success path. */
struct intr {
	struct mutex m1;
	struct mutex m2;
	int n;
};

int intr_m1_m2(struct intr *d)
{
	int ret;

	mutex_lock(&d->m1);
	ret = mutex_lock_interruptible(&d->m2);
	if (ret) {
		mutex_unlock(&d->m1);
		return ret;
	}
	d->n++;
	mutex_unlock(&d->m2);
	mutex_unlock(&d->m1);
	return 0;
}

int intr_m2_m1(struct intr *d)
{
	if (mutex_lock_interruptible(&d->m2))
		return -EINTR;
	mutex_lock(&d->m1); // want "circular locking dependency: struct intr.m1 -> struct intr.m2 -> struct intr.m1"
	d->n--;
	mutex_unlock(&d->m1);
	mutex_unlock(&d->m2);
	return 0;
}

/* 6 ok: after a failed _interruptible nothing is held, so m1 taken on the
 * error path is not ordered after m2. */
struct intr_ok {
	struct mutex m1;
	struct mutex m2;
	int n;
};

int intr_ok_m1_m2(struct intr_ok *d)
{
	mutex_lock(&d->m1);
	mutex_lock(&d->m2);
	d->n++;
	mutex_unlock(&d->m2);
	mutex_unlock(&d->m1);
	return 0;
}

int intr_ok_m2_fail(struct intr_ok *d)
{
	int ret;

	ret = mutex_lock_interruptible(&d->m2);
	if (ret < 0) {
		mutex_lock(&d->m1);	/* m2 is not held here */
		d->n = -1;
		mutex_unlock(&d->m1);
		return ret;
	}
	d->n++;
	mutex_unlock(&d->m2);
	return 0;
}

/* 7. Nested subclass: parent then child of one class with a subclass
 * annotation, must stay silent. */
struct node {
	spinlock_t lock;
	struct node *parent;
	int n;
};

#define SINGLE_DEPTH_NESTING 1

void node_update(struct node *child)
{
	spin_lock(&child->parent->lock);
	spin_lock_nested(&child->lock, SINGLE_DEPTH_NESTING);	// ok: annotated nesting
	child->n = child->parent->n;
	spin_unlock(&child->lock);
	spin_unlock(&child->parent->lock);
}
