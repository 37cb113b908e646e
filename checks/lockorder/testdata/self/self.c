// SPDX-License-Identifier: GPL-2.0
/* lockorder testdata: recursive acquisition (lockorder/self). */
#include <linux/spinlock.h>
#include <linux/mutex.h>

struct sdev {
	spinlock_t lock;
	struct mutex io;
	struct sdev *peer;
	int count;
};

static DEFINE_SPINLOCK(stats_lock);

/* AA through a callee: the helper takes the lock its caller holds. */
static void sdev_bump(struct sdev *d)
{
	spin_lock(&d->lock);
	d->count++;
	spin_unlock(&d->lock);
}

void sdev_irq_bad(struct sdev *d)
{
	spin_lock(&d->lock);
	sdev_bump(d); // want "possible recursive locking: struct sdev.lock is acquired in sdev_bump"
	spin_unlock(&d->lock);
}

/* ok: the unlocked variant is called with the lock held. */
static void __sdev_bump_locked(struct sdev *d)
{
	d->count++;
}

void sdev_irq_ok(struct sdev *d)
{
	spin_lock(&d->lock);
	__sdev_bump_locked(d);
	spin_unlock(&d->lock);
}

/* AA directly on a mutex, on the same object. */
void sdev_io_bad(struct sdev *d)
{
	mutex_lock(&d->io);
	if (d->count)
		mutex_lock(&d->io); // want "possible recursive locking: struct sdev.io"
	mutex_unlock(&d->io);
}

/* AA on a global lock through two levels of calls. */
static void stats_add(int n)
{
	spin_lock(&stats_lock);
	n++;
	spin_unlock(&stats_lock);
}

static void stats_record(struct sdev *d)
{
	stats_add(d->count);
}

void stats_flush_bad(struct sdev *d)
{
	spin_lock(&stats_lock);
	stats_record(d); // want "possible recursive locking: .*stats_lock is acquired in stats_record"
	spin_unlock(&stats_lock);
}

void stats_flush_ok(struct sdev *d)
{
	spin_lock(&stats_lock);
	d->count = 0;
	spin_unlock(&stats_lock);
	stats_record(d);
}

/* ok: two objects of one class (self and peer), not provably the same:
 * nesting annotations vanish without CONFIG_DEBUG_LOCK_ALLOC. */
void sdev_pair(struct sdev *d)
{
	spin_lock(&d->lock);
	spin_lock(&d->peer->lock);
	d->count = d->peer->count;
	spin_unlock(&d->peer->lock);
	spin_unlock(&d->lock);
}

/* ok: a helper that drops the caller's lock around a call that takes it. */
static void sdev_resync(struct sdev *d)
{
	spin_unlock(&d->lock);
	sdev_bump(d);
	spin_lock(&d->lock);
}

void sdev_resync_caller(struct sdev *d)
{
	spin_lock(&d->lock);
	sdev_resync(d);
	spin_unlock(&d->lock);
}
