// SPDX-License-Identifier: GPL-2.0
/* Device tree node references: of_find_*, of_parse_phandle and the
 * for_each_child_of_node loops over of_get_next_child. */
#include <linux/of.h>
#include <linux/device.h>
#include <linux/errno.h>
#include <linux/kcheck_refcount_extra.h>

struct ctl {
	struct device *dev;
	struct device_node *phy;
	int nchild;
	u32 val;
};

extern int setup_child(struct ctl *c, struct device_node *child);
extern void *get_client(struct device_node *np);

/* Leaving the loop by break keeps the current child's reference. */
int count_break_bad(struct ctl *c, struct device_node *parent)
{
	struct device_node *child;

	for_each_child_of_node(parent, child) { // want "device_node reference from of_get_next_child\(\) on child is not released"
		if (setup_child(c, child))
			break;
		c->nchild++;
	}
	return 0;
}

/* ... and so does a return from inside the loop. */
int count_return_bad(struct ctl *c, struct device_node *parent)
{
	struct device_node *child;
	int ret;

	for_each_child_of_node(parent, child) { // want "device_node reference from of_get_next_child\(\) on child is not released"
		ret = setup_child(c, child);
		if (ret)
			return ret;
	}
	return 0;
}

/* Fixed: of_node_put before leaving. */
int count_break_ok(struct ctl *c, struct device_node *parent)
{
	struct device_node *child;
	int ret;

	for_each_child_of_node(parent, child) {
		ret = setup_child(c, child);
		if (ret) {
			of_node_put(child);
			return ret;
		}
	}
	return 0;
}

/* A goto out of for_each_available_child_of_node on an error
 * (spi-orion's probe shape). */
int probe_children_bad(struct ctl *c, struct device_node *np)
{
	struct device_node *child;
	int status = 0;
	void *vaddr;

	for_each_available_child_of_node(np, child) { // want "device_node reference from of_get_next_available_child\(\) on child"
		if (of_property_read_u32(child, "reg", &c->val))
			continue;
		vaddr = get_client(child);
		if (!vaddr) {
			status = -ENOMEM;
			goto out;
		}
	}
	return 0;
out:
	return status;
}

int probe_children_ok(struct ctl *c, struct device_node *np)
{
	struct device_node *child;
	int status = 0;
	void *vaddr;

	for_each_available_child_of_node(np, child) {
		if (of_property_read_u32(child, "reg", &c->val))
			continue;
		vaddr = get_client(child);
		if (!vaddr) {
			status = -ENOMEM;
			of_node_put(child);
			goto out;
		}
	}
	return 0;
out:
	return status;
}

/* of_find_* result never put. */
int find_bad(struct ctl *c)
{
	struct device_node *np;

	np = of_find_compatible_node(NULL, NULL, "acme,phy"); // want "device_node reference from of_find_compatible_node\(\) on np is not released"
	if (!np)
		return -ENODEV;
	if (of_property_read_u32(np, "speed", &c->val))
		return -EINVAL;
	return 0;
}

int find_ok(struct ctl *c)
{
	struct device_node *np;
	int ret;

	np = of_find_compatible_node(NULL, NULL, "acme,phy");
	if (!np)
		return -ENODEV;
	ret = of_property_read_u32(np, "speed", &c->val);
	of_node_put(np);
	return ret;
}

/* of_parse_phandle's node passed to a helper that only looks at it, then
 * dropped on no path (ohci-nxp's probe shape). */
int phandle_bad(struct ctl *c, struct device_node *np)
{
	struct device_node *node;
	void *client;

	node = of_parse_phandle(np, "transceiver", 0); // want "from of_parse_phandle\(\) on node is not released"
	if (!node)
		return -ENODEV;
	client = get_client(node);
	if (!client)
		return -EPROBE_DEFER;
	return 0;
}

int phandle_ok(struct ctl *c, struct device_node *np)
{
	struct device_node *node;
	void *client;

	node = of_parse_phandle(np, "transceiver", 0);
	if (!node)
		return -ENODEV;
	client = get_client(node);
	of_node_put(node);
	if (!client)
		return -EPROBE_DEFER;
	return 0;
}

/* Stored into the driver's struct: handed off. */
int phandle_store_ok(struct ctl *c, struct device_node *np)
{
	c->phy = of_parse_phandle(np, "phy", 0);
	if (!c->phy)
		return -ENODEV;
	return 0;
}

int phandle_store_local_ok(struct ctl *c, struct device_node *np)
{
	struct device_node *phy;

	phy = of_parse_phandle(np, "phy", 0);
	if (!phy)
		return -ENODEV;
	c->phy = phy;
	return 0;
}

/* of_find_*(from) drops from: putting it again is a put of a reference
 * the path no longer owns. */
void from_drop_bad(void)
{
	struct device_node *bus, *dev;

	bus = of_find_node_by_name(NULL, "bus");
	if (!bus)
		return;
	dev = of_find_compatible_node(bus, NULL, "acme,dev");
	of_node_put(bus); // want "releases the device_node reference from of_find_node_by_name\(\) on bus that this path already released or dropped"
	of_node_put(dev);
}

void from_drop_ok(void)
{
	struct device_node *bus, *dev;

	bus = of_find_node_by_name(NULL, "bus");
	if (!bus)
		return;
	dev = of_find_compatible_node(bus, NULL, "acme,dev");
	of_node_put(dev);
}

/* Dereferenced after the put. */
const char *name_after_put_bad(void)
{
	struct device_node *np;
	const char *name;

	np = of_find_node_by_name(NULL, "chosen");
	if (!np)
		return NULL;
	of_node_put(np);
	name = np->name; // want "dereferences np after its device_node reference was released"
	return name;
}

const char *name_before_put_ok(void)
{
	struct device_node *np;
	const char *name;

	np = of_find_node_by_name(NULL, "chosen");
	if (!np)
		return NULL;
	name = np->name;
	of_node_put(np);
	return name;
}

/* The same pointer tested twice: the NULL branch holds nothing. */
int twice_ok(struct ctl *c)
{
	struct device_node *np = of_find_node_by_name(NULL, "x");

	if (np)
		c->val = 1;
	if (!np)
		return -ENODEV;
	of_node_put(np);
	return 0;
}
