// SPDX-License-Identifier: GPL-2.0
/* Seeded refcount bugs for kcheck's end-to-end runs, one per rule, each
 * next to its fixed twin. */
#include <linux/of.h>
#include <linux/device.h>
#include <linux/pm_runtime.h>
#include <linux/platform_device.h>
#include <linux/errno.h>
#include <linux/module.h>

struct seeded_priv {
	struct device *dev;
	u32 rate;
};

static int seeded_resume_bad(struct seeded_priv *p)
{
	int ret = pm_runtime_get_sync(p->dev); // want "not released on the path where pm_runtime_get_sync\(\) fails"

	if (ret < 0)
		return ret;
	p->rate = 1;
	return 0;
}

static int seeded_resume_ok(struct seeded_priv *p)
{
	int ret = pm_runtime_resume_and_get(p->dev);

	if (ret < 0)
		return ret;
	p->rate = 1;
	return 0;
}

static int seeded_children_bad(struct seeded_priv *p, struct device_node *np)
{
	struct device_node *child;

	for_each_child_of_node(np, child) { // want "from of_get_next_child\(\) on child is not released"
		if (of_property_read_u32(child, "rate", &p->rate))
			return -EINVAL;
	}
	return 0;
}

static int seeded_children_ok(struct seeded_priv *p, struct device_node *np)
{
	struct device_node *child;

	for_each_child_of_node(np, child) {
		if (of_property_read_u32(child, "rate", &p->rate)) {
			of_node_put(child);
			return -EINVAL;
		}
	}
	return 0;
}

static void seeded_from_bad(void)
{
	struct device_node *bus, *dev;

	bus = of_find_node_by_name(NULL, "bus");
	dev = of_find_compatible_node(bus, NULL, "acme,dev");
	of_node_put(bus); // want "already released or dropped"
	of_node_put(dev);
}

static void seeded_from_ok(void)
{
	struct device_node *bus, *dev;

	bus = of_find_node_by_name(NULL, "bus");
	dev = of_find_compatible_node(bus, NULL, "acme,dev");
	of_node_put(dev);
}

static const char *seeded_name_bad(void)
{
	struct device_node *np = of_find_node_by_name(NULL, "chosen");
	const char *name;

	if (!np)
		return NULL;
	of_node_put(np);
	name = np->full_name; // want "dereferences np after its device_node reference was released"
	return name;
}

static const char *seeded_name_ok(void)
{
	struct device_node *np = of_find_node_by_name(NULL, "chosen");
	const char *name;

	if (!np)
		return NULL;
	name = np->full_name;
	of_node_put(np);
	return name;
}

static int seeded_probe(struct platform_device *pdev)
{
	struct seeded_priv *p = devm_kzalloc(&pdev->dev, sizeof(*p), GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	p->dev = &pdev->dev;
	seeded_from_bad();
	seeded_from_ok();
	seeded_name_bad();
	seeded_name_ok();
	if (seeded_children_bad(p, pdev->dev.of_node) || seeded_children_ok(p, pdev->dev.of_node))
		return -EINVAL;
	if (seeded_resume_bad(p))
		return -EIO;
	return seeded_resume_ok(p);
}

static struct platform_driver seeded_refcount_driver = {
	.probe = seeded_probe,
	.driver = { .name = "seeded-refcount" },
};
module_platform_driver(seeded_refcount_driver);
