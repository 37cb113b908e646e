// SPDX-License-Identifier: GPL-2.0
/* lockorder testdata: locks held at return and double unlocks
 * (lockorder/held-at-return). */
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/errno.h>

struct hdev {
	struct mutex lock;
	spinlock_t slock;
	int ready;
	int val;
};

/* An error path that forgets mutex_unlock. */
int hdev_set_bad(struct hdev *d, int v)
{
	mutex_lock(&d->lock);
	if (!d->ready)
		return -ENODEV; // want "struct hdev.lock .* is still held when hdev_set_bad returns here"
	d->val = v;
	mutex_unlock(&d->lock);
	return 0;
}

/* Its fixed twin. */
int hdev_set_ok(struct hdev *d, int v)
{
	int ret = 0;

	mutex_lock(&d->lock);
	if (!d->ready) {
		ret = -ENODEV;
		goto out;
	}
	d->val = v;
out:
	mutex_unlock(&d->lock);
	return ret;
}

/* The same shape with the result in a variable on both paths. */
int hdev_update_bad(struct hdev *d, int (*fn)(int))
{
	int ret;

	mutex_lock(&d->lock);
	ret = fn(d->val);
	if (ret)
		return ret; // want "still held when hdev_update_bad returns"
	d->val++;
	mutex_unlock(&d->lock);
	return ret;
}

/* _interruptible: the failure path holds nothing, not a bug. */
int hdev_intr_ok(struct hdev *d)
{
	int ret;

	ret = mutex_lock_interruptible(&d->lock);
	if (ret)
		return ret;
	d->val = 1;
	mutex_unlock(&d->lock);
	return 0;
}

/* A lock helper: every path returns holding the lock. */
static void hdev_lock(struct hdev *d)
{
	mutex_lock(&d->lock);
}

static void hdev_unlock(struct hdev *d)
{
	mutex_unlock(&d->lock);
}

int hdev_helpers_ok(struct hdev *d)
{
	hdev_lock(d);
	d->val = 2;
	hdev_unlock(d);
	return 0;
}

/* A conditional lock helper: returns 0 holding the lock, an error after
 * unlocking. Not a bug, and its callers see a conditional acquisition. */
static int hdev_lock_ready(struct hdev *d)
{
	mutex_lock(&d->lock);
	if (!d->ready) {
		mutex_unlock(&d->lock);
		return -ENODEV;
	}
	return 0;
}

int hdev_use_ready_ok(struct hdev *d)
{
	if (hdev_lock_ready(d))
		return -ENODEV;
	d->val = 3;
	mutex_unlock(&d->lock);
	return 0;
}

int hdev_use_ready_bad(struct hdev *d)
{
	if (hdev_lock_ready(d))
		return -ENODEV;
	if (d->val < 0)
		return -EINVAL; // want "still held when hdev_use_ready_bad returns"
	d->val = 3;
	mutex_unlock(&d->lock);
	return 0;
}

/* Double unlock on an error path. */
void hdev_double_bad(struct hdev *d)
{
	spin_lock(&d->slock);
	if (d->val < 0) {
		spin_unlock(&d->slock);
		d->val = 0;
	}
	spin_unlock(&d->slock); // want "double unlock: struct hdev.slock"
}

void hdev_double_ok(struct hdev *d)
{
	spin_lock(&d->slock);
	if (d->val < 0) {
		spin_unlock(&d->slock);
		d->val = 0;
		return;
	}
	spin_unlock(&d->slock);
}

/* trylock wrappers: hold the lock only when they return non-zero. */
static int hdev_trylock(struct hdev *d)
{
	return mutex_trylock(&d->lock);
}

int hdev_try_ok(struct hdev *d)
{
	if (!hdev_trylock(d))
		return -EBUSY;
	d->val = 4;
	mutex_unlock(&d->lock);
	return 0;
}

/* irqsave pairs across the error path. */
int hdev_irq_bad(struct hdev *d)
{
	unsigned long flags;

	spin_lock_irqsave(&d->slock, flags);
	if (d->val < 0)
		return -EIO; // want "struct hdev.slock .* is still held when hdev_irq_bad returns"
	d->val = 0;
	spin_unlock_irqrestore(&d->slock, flags);
	return 0;
}

int hdev_irq_ok(struct hdev *d)
{
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&d->slock, flags);
	if (d->val < 0)
		ret = -EIO;
	else
		d->val = 0;
	spin_unlock_irqrestore(&d->slock, flags);
	return ret;
}

/* ok: the lock is optional; the same test guards lock and unlock. */
struct hopt {
	struct mutex *opt_lock;
	int v;
};

int hopt_store_ok(struct hopt *o, int v)
{
	int ret = 0;

	if (o->opt_lock)
		mutex_lock(o->opt_lock);
	if (v < 0) {
		ret = -EINVAL;
		goto end;
	}
	o->v = v;
end:
	if (o->opt_lock)
		mutex_unlock(o->opt_lock);
	return ret;
}

/* ok: a flag local records whether the lock was taken. */
int hflag_ok(struct hdev *d, int want)
{
	int locked = 0;

	if (want) {
		mutex_lock(&d->lock);
		locked = 1;
	}
	d->val = want;
	if (locked)
		mutex_unlock(&d->lock);
	return 0;
}

/* A pointer-returning helper: returns the object with the lock held, or
 * NULL after unlocking. Not a bug. */
struct hdev *hdev_get_locked(struct hdev *d)
{
	struct hdev *ret = d;

	mutex_lock(&d->lock);
	if (!d->ready) {
		mutex_unlock(&d->lock);
		ret = NULL;
	}
	return ret;
}

/*
 * The unlock is guarded by a NULL test of the pointer the lock was taken
 * through (the rds_ib_cm_handle_connect shape): the pointer cannot be NULL
 * there, so every path unlocks.
 */
int hdev_guarded_unlock_ok(struct hdev *d, int v)
{
	int err = 0;

	mutex_lock(&d->lock);
	if (!d->ready) {
		err = -ENODEV;
		goto out;
	}
	d->val = v;
out:
	if (d)
		mutex_unlock(&d->lock);
	return err;
}

/* The same guard on another pointer proves nothing. */
int hdev_guarded_other_bad(struct hdev *d, struct hdev *e, int v)
{
	mutex_lock(&d->lock);
	d->val = v;
	if (e)
		mutex_unlock(&d->lock);
	return 0; // want "struct hdev.lock .* is still held when hdev_guarded_other_bad returns here"
}
