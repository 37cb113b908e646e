// SPDX-License-Identifier: GPL-2.0
/* Driver-own wrappers learned from their bodies (no configuration). */
#include <linux/of.h>
#include <linux/kref.h>
#include <linux/device.h>
#include <linux/pm_runtime.h>
#include <linux/slab.h>
#include <linux/errno.h>

struct sensor {
	struct kref ref;
	struct device *dev;
	struct device_node *np;
	int val;
};

extern int sensor_read(struct sensor *s);
extern void sensor_release(struct kref *ref);

/* Returns a referenced node or NULL: its callers are checked like of_find_*. */
static struct device_node *sensor_find_node(struct device_node *parent)
{
	struct device_node *np;

	np = of_get_child_by_name(parent, "sensor");
	if (!np)
		return NULL;
	if (!of_device_is_available(np)) {
		of_node_put(np);
		return NULL;
	}
	return np;
}

int sensor_setup_bad(struct sensor *s, struct device_node *parent)
{
	struct device_node *np;

	np = sensor_find_node(parent); // want "device_node reference from sensor_find_node\(\) on np is not released"
	if (!np)
		return -ENODEV;
	if (of_property_read_u32(np, "val", &s->val))
		return -EINVAL;
	of_node_put(np);
	return 0;
}

int sensor_setup_ok(struct sensor *s, struct device_node *parent)
{
	struct device_node *np;
	int ret;

	np = sensor_find_node(parent);
	if (!np)
		return -ENODEV;
	ret = of_property_read_u32(np, "val", &s->val);
	of_node_put(np);
	return ret;
}

/* A kref get/put pair of the driver's own. */
static void sensor_get(struct sensor *s)
{
	kref_get(&s->ref);
}

static void sensor_put(struct sensor *s)
{
	kref_put(&s->ref, sensor_release);
}

int sensor_poll_bad(struct sensor *s)
{
	int ret;

	sensor_get(s); // want "kref reference from sensor_get\(\) .* is not released .*other paths release it"
	ret = sensor_read(s);
	if (ret < 0)
		return ret;
	sensor_put(s);
	return 0;
}

int sensor_poll_ok(struct sensor *s)
{
	int ret;

	sensor_get(s);
	ret = sensor_read(s);
	sensor_put(s);
	return ret;
}

/* A runtime PM wrapper that returns the status of resume_and_get. */
static int sensor_pm_get(struct sensor *s)
{
	return pm_runtime_resume_and_get(s->dev);
}

static void sensor_pm_put(struct sensor *s)
{
	pm_runtime_put(s->dev);
}

int sensor_measure_bad(struct sensor *s)
{
	int ret;

	ret = sensor_pm_get(s); // want "PM usage count reference from sensor_pm_get\(\) .*other paths release it"
	if (ret)
		return ret;
	ret = sensor_read(s);
	if (ret < 0)
		return ret;
	sensor_pm_put(s);
	return 0;
}

int sensor_measure_ok(struct sensor *s)
{
	int ret;

	ret = sensor_pm_get(s);
	if (ret)
		return ret;
	ret = sensor_read(s);
	sensor_pm_put(s);
	return ret;
}

/* A helper that keeps the node it is given: calling it hands it off. */
static void sensor_attach(struct sensor *s, struct device_node *np)
{
	s->np = np;
}

int sensor_bind_ok(struct sensor *s, struct device_node *parent)
{
	struct device_node *np;

	np = of_get_child_by_name(parent, "sensor");
	if (!np)
		return -ENODEV;
	sensor_attach(s, np);
	return 0;
}

/* Returned through container_of: handed to the caller. */
struct wrap {
	int x;
	struct device dev;
};

static struct wrap *wrap_get(struct device *d)
{
	struct device *dev = get_device(d);

	if (!dev)
		return NULL;
	return container_of(dev, struct wrap, dev);
}

int wrap_use_ok(struct device *d)
{
	struct wrap *w = wrap_get(d);

	if (!w)
		return -ENODEV;
	w->x = 1;
	put_device(&w->dev);
	return 0;
}
