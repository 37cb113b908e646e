// A path through an ops callback: the core's dispatcher (an entry point)
// calls ->probe through the ops table, and the driver's probe has a large
// frame; together they exceed the budget (3072 in this test).
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>

int consume(u8 *buf, size_t len);

struct gizmo_driver {
	const char *name;
	int (*probe)(int id);
};

struct tiny_driver {
	const char *name;
	int (*probe)(int id);
};

static int gizmo_probe(int id)
{
	u8 scratch[2000];

	memset(scratch, id, sizeof(scratch));
	return consume(scratch, sizeof(scratch));
}

static struct gizmo_driver gizmo = {
	.name = "gizmo",
	.probe = gizmo_probe,
};

int gizmo_bus_probe(struct gizmo_driver *drv, int id) // want "worst-case stack path from gizmo_bus_probe is [0-9]+ bytes over 1 calls .to gizmo_probe."
{
	u8 desc[1800];

	memset(desc, id, sizeof(desc));
	consume(desc, sizeof(desc));
	return drv->probe(id);
}

static int tiny_probe(int id)
{
	u8 scratch[64];

	memset(scratch, id, sizeof(scratch));
	return consume(scratch, sizeof(scratch));
}

static struct tiny_driver tiny = {
	.name = "tiny",
	.probe = tiny_probe,
};

int tiny_bus_probe(struct tiny_driver *drv, int id)
{
	u8 desc[1800];

	memset(desc, id, sizeof(desc));
	consume(desc, sizeof(desc));
	return drv->probe(id);
}

struct gizmo_driver *gizmo_get(void) { return &gizmo; }
struct tiny_driver *tiny_get(void) { return &tiny; }
