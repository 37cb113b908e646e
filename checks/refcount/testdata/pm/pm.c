// SPDX-License-Identifier: GPL-2.0
/* Runtime PM usage counts: pm_runtime_get_sync() raises the count even when
 * it fails. */
#include <linux/device.h>
#include <linux/pm_runtime.h>
#include <linux/errno.h>

struct chip {
	struct device *dev;
	int enabled;
};

extern int chip_write(struct chip *c, int reg, int val);

/* The classic: the error path returns without dropping the count. */
int chip_enable_bad(struct chip *c)
{
	int ret;

	ret = pm_runtime_get_sync(c->dev); // want "PM usage count reference from pm_runtime_get_sync\(\) on c->dev is not released on the path where pm_runtime_get_sync\(\) fails"
	if (ret < 0)
		return ret;
	c->enabled = 1;
	return 0;
}

/* Fixed with the variant that drops the count on failure. */
int chip_enable_ok(struct chip *c)
{
	int ret;

	ret = pm_runtime_resume_and_get(c->dev);
	if (ret < 0)
		return ret;
	c->enabled = 1;
	return 0;
}

/* Fixed with pm_runtime_put_noidle on the error path. */
int chip_enable_noidle_ok(struct chip *c)
{
	int ret;

	ret = pm_runtime_get_sync(c->dev);
	if (ret < 0) {
		pm_runtime_put_noidle(c->dev);
		return ret;
	}
	c->enabled = 1;
	return 0;
}

/* A later error returns without the put the success path has. */
int chip_write_bad(struct chip *c, int val)
{
	int ret;

	ret = pm_runtime_resume_and_get(c->dev); // want "is not released before the return .*other paths release it"
	if (ret)
		return ret;
	ret = chip_write(c, 1, val);
	if (ret)
		return ret;
	pm_runtime_put(c->dev);
	return 0;
}

int chip_write_ok(struct chip *c, int val)
{
	int ret;

	ret = pm_runtime_resume_and_get(c->dev);
	if (ret)
		return ret;
	ret = chip_write(c, 1, val);
	pm_runtime_mark_last_busy(c->dev);
	pm_runtime_put_autosuspend(c->dev);
	return ret;
}

struct port {
	struct device dev;
	unsigned long usage;
};

/* The status tested inside a nested block, then a debug print and return
 * (usb_port_resume's shape). */
int port_resume_bad(struct port *port, int wake)
{
	int status = 0;

	if (wake) {
		status = pm_runtime_get_sync(&port->dev); // want "on the path where pm_runtime_get_sync\(\) fails"
		if (status < 0) {
			dev_dbg(&port->dev, "can't resume port, status %d\n", status);
			return status;
		}
	}
	port->usage++;
	return status;
}

/* The same test twice: the second test agrees with the first, so no path
 * reaches the return holding the count. */
int chip_twice_ok(struct chip *c)
{
	int ret;

	ret = pm_runtime_get_sync(c->dev);
	if (ret < 0)
		pm_runtime_put_noidle(c->dev);
	if (ret < 0)
		return ret;
	c->enabled = 1;
	return 0;
}
