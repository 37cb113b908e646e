// SPDX-License-Identifier: GPL-2.0
/* Shape: the alt-mode driver; its lock is held while it enters the mode
 * through the port driver. */
#include <linux/mutex.h>
#include "altmode.h"

struct am_dp {
	struct mutex lock;
	struct am_altmode *alt;
	int state;
};

static int am_dp_vdm(struct am_altmode *alt, int cmd)
{
	struct am_dp *dp = alt->drvdata;

	mutex_lock(&dp->lock);
	dp->state = cmd;
	mutex_unlock(&dp->lock);
	return 0;
}

static const struct am_altmode_ops am_dp_ops = {
	.vdm = am_dp_vdm,
};

void am_dp_work(struct am_dp *dp)
{
	mutex_lock(&dp->lock);
	if (dp->state == 2)
		am_port_enter(dp->alt->port);
	mutex_unlock(&dp->lock);
}

const struct am_altmode_ops *am_dp_get_ops(void)
{
	return &am_dp_ops;
}

/* The fixed twin's alt-mode driver, same shape, own classes. */
struct amok_dp {
	struct mutex lock;
	struct am_altmode *alt;
	int state;
};

struct amok_altmode_ops {
	int (*vdm)(struct am_altmode *alt, int cmd);
};

void amok_dp_work(struct amok_dp *dp)
{
	mutex_lock(&dp->lock);
	if (dp->state == 2)
		amok_port_enter(dp->alt->port);
	mutex_unlock(&dp->lock);
}
