// SPDX-License-Identifier: GPL-2.0
/*
 * lockorder testdata: path correlation. A lock taken under a condition and
 * released under the same condition later is balanced when the condition
 * cannot have changed in between; each shape is reduced from a false
 * positive on Linux 6.1 drivers/usb, with a twin whose second test differs
 * (a real bug) where one can be written.
 */
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/errno.h>
#include <linux/pm.h>

#define PM_EVENT_AUTO		0x0400
#define PMSG_IS_AUTO(msg)	(((msg).event & PM_EVENT_AUTO) != 0)
#define PM_EVENT_USER		0x0100
#define PMSG_IS_USER(msg)	(((msg).event & PM_EVENT_USER) != 0)

/* 1. cdc-wdm.c wdm_suspend: a bit-and test on a struct member, through a
 * macro, guards the lock and the unlock. */
struct cw_dev {
	struct mutex rlock;
	struct mutex wlock;
	spinlock_t iuspin;
	unsigned long flags;
	int busy;
};

int cw_suspend_ok(struct cw_dev *desc, pm_message_t message)
{
	int rv = 0;

	if (!PMSG_IS_AUTO(message)) {
		mutex_lock(&desc->rlock);
		mutex_lock(&desc->wlock);
	}
	spin_lock_irq(&desc->iuspin);
	if (PMSG_IS_AUTO(message) && desc->busy) {
		spin_unlock_irq(&desc->iuspin);
		rv = -EBUSY;
	} else {
		desc->flags |= 1;
		spin_unlock_irq(&desc->iuspin);
	}
	if (!PMSG_IS_AUTO(message)) {
		mutex_unlock(&desc->wlock);
		mutex_unlock(&desc->rlock);
	}
	return rv;
}

/* The flags word tested directly, with a mask in a variable-free form. */
void cw_flags_ok(struct cw_dev *desc)
{
	if (desc->flags & 4)
		mutex_lock(&desc->rlock);
	desc->busy = 1;
	if (desc->flags & 4)
		mutex_unlock(&desc->rlock);
}

/* A different bit: not the same condition. */
int cw_suspend_bad(struct cw_dev *desc, pm_message_t message)
{
	if (!PMSG_IS_AUTO(message))
		mutex_lock(&desc->rlock);
	desc->busy = 0;
	if (!PMSG_IS_USER(message))
		mutex_unlock(&desc->rlock);
	return 0; // want "struct cw_dev.rlock .* is still held when cw_suspend_bad returns"
}

/* 2. hub.c hub_activate: `type == A || type == B` tested twice on an enum
 * parameter, in a function with many other remembered conditions. */
enum act_type { ACT_INIT, ACT_INIT2, ACT_INIT3, ACT_RESUME, ACT_RESET };

struct act_hub {
	struct mutex lock;
	int disconnected;
	int a, b, c, d, e, f, g;
	int n;
};

void act_activate_ok(struct act_hub *hub, enum act_type type)
{
	if (type == ACT_INIT2 || type == ACT_INIT3) {
		mutex_lock(&hub->lock);
		if (hub->disconnected)
			goto disconnected;
		if (type == ACT_INIT2)
			goto init2;
		goto init3;
	}
	if (type != ACT_RESUME) {
		if (hub->a)
			hub->n++;
		if (hub->b)
			hub->n++;
		if (hub->c)
			hub->n++;
		if (type == ACT_RESET)
			return;
	}
 init2:
	if (hub->d)
		hub->n++;
	if (hub->e)
		hub->n++;
	if (hub->f)
		hub->n++;
	if (hub->g)
		hub->n++;
	if (type == ACT_INIT2) {
		mutex_unlock(&hub->lock);
		return;
	}
 init3:
	if (hub->a)
		hub->n--;
	if (hub->b)
		hub->n--;
	if (hub->c)
		hub->n--;
	if (hub->d)
		hub->n--;
	if (hub->e)
		hub->n--;
	if (hub->f)
		hub->n--;
	if (hub->g)
		hub->n--;
	if (type == ACT_INIT2 || type == ACT_INIT3) {
 disconnected:
		hub->n = 0;
		mutex_unlock(&hub->lock);
	}
	if (type == ACT_RESUME && hub->a)
		return;
	hub->n++;
}

/* The twin forgets ACT_INIT3 in the second test. */
void act_activate_bad(struct act_hub *hub, enum act_type type)
{
	if (type == ACT_INIT2 || type == ACT_INIT3)
		mutex_lock(&hub->lock);
	hub->n++;
	if (type == ACT_INIT2)
		mutex_unlock(&hub->lock);
} // want "struct act_hub.lock .* is still held when act_activate_bad returns"

/* 3. hub.c hub_port_reset: two calls of one pure predicate with the same
 * argument guard both sides. */
struct pr_udev {
	int protocol;
};

struct pr_hub {
	struct pr_udev *hdev;
	int status;
};

static DECLARE_RWSEM(pr_reset_rwsem);

static inline int pr_is_superspeed(struct pr_udev *hdev)
{
	return hdev->protocol == 3;
}

extern int pr_port_status(struct pr_hub *hub, int port1, unsigned short *status);

int pr_port_reset_ok(struct pr_hub *hub, int port1, bool warm)
{
	int status;
	unsigned short portstatus;

	if (!pr_is_superspeed(hub->hdev)) {
		if (warm)
			return -EINVAL;
		down_read(&pr_reset_rwsem);
	} else if (!warm) {
		if (pr_port_status(hub, port1, &portstatus) == 0)
			warm = true;
	}
	status = pr_port_status(hub, port1, &portstatus);
	if (status < 0)
		goto done;
	if (!pr_is_superspeed(hub->hdev))
		hub->status = 1;
done:
	if (!pr_is_superspeed(hub->hdev))
		up_read(&pr_reset_rwsem);
	return status;
}

/* The argument changes between the calls: not the same condition. */
int pr_port_reset_bad(struct pr_hub *hub, struct pr_udev *other)
{
	if (!pr_is_superspeed(hub->hdev))
		down_read(&pr_reset_rwsem);
	hub->hdev = other;
	if (!pr_is_superspeed(hub->hdev))
		up_read(&pr_reset_rwsem);
	return 0; // want "pr_reset_rwsem .* is still held when pr_port_reset_bad returns"
}

/* A call that does I/O through an output parameter is not a predicate:
 * two calls may answer differently. */
int pr_port_status_twice_bad(struct pr_hub *hub, int port1)
{
	unsigned short ps;

	if (pr_port_status(hub, port1, &ps) == 0)
		down_read(&pr_reset_rwsem);
	hub->status = 2;
	if (pr_port_status(hub, port1, &ps) == 0)
		up_read(&pr_reset_rwsem);
	return 0; // want "pr_reset_rwsem .* is still held when pr_port_status_twice_bad returns"
}

/* 4. configfs.c ext_prop_type_store: `if (desc->opts_mutex)` around both,
 * with many remembered conditions on other members in between. */
enum { PT_UNI = 1, PT_ENV, PT_BIN, PT_LE32, PT_BE32, PT_LINK, PT_MULTI };

struct pt_desc {
	struct mutex *opts_mutex;
};

struct pt_prop {
	int type;
	int data_len;
};

extern int pt_parse(const char *page, unsigned char *type);

long pt_type_store(struct pt_desc *desc, struct pt_prop *ext_prop, const char *page, long len)
{
	unsigned char type;
	int ret;

	if (desc->opts_mutex)
		mutex_lock(desc->opts_mutex);
	ret = pt_parse(page, &type);
	if (ret)
		goto end;
	if (type < PT_UNI || type > PT_MULTI) {
		ret = -EINVAL;
		goto end;
	}
	if ((ext_prop->type == PT_BIN ||
	    ext_prop->type == PT_LE32 ||
	    ext_prop->type == PT_BE32) &&
	    (type == PT_UNI ||
	    type == PT_ENV ||
	    type == PT_LINK))
		ext_prop->data_len <<= 1;
	else if ((ext_prop->type == PT_UNI ||
		   ext_prop->type == PT_ENV ||
		   ext_prop->type == PT_LINK) &&
		   (type == PT_BIN ||
		   type == PT_LE32 ||
		   type == PT_BE32))
		ext_prop->data_len >>= 1;
	ext_prop->type = type;
	ret = len;
end:
	if (desc->opts_mutex)
		mutex_unlock(desc->opts_mutex);
	return ret;
}

/* 5. hub.c hub_port_connect: a loop that takes two locks, records it in a
 * flag, and releases them at the bottom only when the flag says so; the
 * function has enough other branches to exceed the state bound. */
struct pc_port {
	struct mutex status_lock;
	int a, b, c, d, e, f, g, h;
};

struct pc_hcd {
	struct mutex *address0_mutex;
};

static DEFINE_MUTEX(pc_peer_mutex);
static DEFINE_SPINLOCK(pc_state_lock);

extern int pc_step(struct pc_port *p, int i);

static void pc_lock_port(struct pc_port *p)
{
	mutex_lock(&p->status_lock);
}

static void pc_unlock_port(struct pc_port *p)
{
	mutex_unlock(&p->status_lock);
}

void pc_port_connect(struct pc_port *port_dev, struct pc_hcd *hcd, int n)
{
	int i, status = 0;
	bool retry_locked;

	for (i = 0; i < 4; i++) {
		pc_lock_port(port_dev);
		mutex_lock(hcd->address0_mutex);
		retry_locked = true;
		status = pc_step(port_dev, i);
		if (status == -ENODEV) {
			mutex_unlock(hcd->address0_mutex);
			pc_unlock_port(port_dev);
			goto done;
		}
		if (status < 0)
			goto loop;
		if (port_dev->a)
			port_dev->b++;
		if (pc_step(port_dev, 1))
			goto loop;
		mutex_unlock(hcd->address0_mutex);
		pc_unlock_port(port_dev);
		retry_locked = false;

		if (port_dev->c > n)
			port_dev->d++;
		if (port_dev->e) {
			status = pc_step(port_dev, 2);
			if (status)
				goto loop_disable;
		}
		if (port_dev->f && port_dev->g) {
			status = pc_step(port_dev, 3);
			if (status)
				goto loop_disable;
		}
		mutex_lock(&pc_peer_mutex);
		spin_lock_irq(&pc_state_lock);
		if (port_dev->h)
			status = -ENOTCONN;
		spin_unlock_irq(&pc_state_lock);
		mutex_unlock(&pc_peer_mutex);
		if (!status) {
			status = pc_step(port_dev, 4);
			if (status) {
				mutex_lock(&pc_peer_mutex);
				spin_lock_irq(&pc_state_lock);
				port_dev->h = 0;
				spin_unlock_irq(&pc_state_lock);
				mutex_unlock(&pc_peer_mutex);
			}
		}
		if (status)
			goto loop_disable;
		if (port_dev->a)
			port_dev->c++;
		if (port_dev->b)
			port_dev->c++;
		if (port_dev->c)
			port_dev->d++;
		if (port_dev->d)
			port_dev->e++;
		return;

loop_disable:
		pc_step(port_dev, 5);
loop:
		pc_step(port_dev, 6);
		if (retry_locked) {
			mutex_unlock(hcd->address0_mutex);
			pc_unlock_port(port_dev);
		}
		if (status == -ENOTCONN || status == -ENOTSUPP)
			break;
		if (port_dev->a && port_dev->b)
			port_dev->c = 0;
		if (port_dev->e || port_dev->f)
			port_dev->g = 0;
	}
done:
	pc_step(port_dev, 7);
}
