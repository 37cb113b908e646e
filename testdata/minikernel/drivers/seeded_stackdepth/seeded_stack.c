// SPDX-License-Identifier: GPL-2.0
/*
 * Seeded stackdepth bugs for the kcheck miniature tree, with fixed twins.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/types.h>

int seeded_consume(void *buf, size_t len);

/* stackdepth/frame: 3 KiB of descriptors on the stack. */
int seeded_parse_bad(int x) // want "stack frame of seeded_parse_bad is [0-9]+ bytes .estimate., above the frame-warn limit of 2048; largest locals: .?desc.* 3072 .stackdepth/frame."
{
	u8 desc[3072];

	memset(desc, x, sizeof(desc));
	return seeded_consume(desc, sizeof(desc));
}

int seeded_parse_ok(int x)
{
	u8 *desc = kzalloc(3072, GFP_KERNEL);
	int ret;

	if (!desc)
		return -ENOMEM;
	memset(desc, x, 3072);
	ret = seeded_consume(desc, 3072);
	kfree(desc);
	return ret;
}

/*
 * stackdepth/path: the bus dispatcher calls ->setup through an ops table;
 * every frame is below frame-warn, the path is not below the budget.
 */
struct seeded_ops {
	int (*setup)(int x);
};

int seeded_stage3(int x)
{
	u8 buf[1900];

	memset(buf, x, sizeof(buf));
	return seeded_consume(buf, sizeof(buf));
}

int seeded_stage2b(int x)
{
	u8 buf[1900];

	memset(buf, x, sizeof(buf));
	seeded_consume(buf, sizeof(buf));
	return seeded_stage3(x);
}

int seeded_stage2(int x)
{
	u8 buf[1900];

	memset(buf, x, sizeof(buf));
	seeded_consume(buf, sizeof(buf));
	return seeded_stage2b(x);
}

static int seeded_setup(int x)
{
	u8 buf[1900];

	memset(buf, x, sizeof(buf));
	seeded_consume(buf, sizeof(buf));
	return seeded_stage2(x);
}

static const struct seeded_ops seeded_ops = {
	.setup = seeded_setup,
};

int seeded_dispatch_bad(const struct seeded_ops *ops, int x) // want "worst-case stack path from seeded_dispatch_bad is [0-9]+ bytes over 4 calls .to seeded_stage3., above the stack budget of 8192"
{
	u8 req[1900];

	memset(req, x, sizeof(req));
	seeded_consume(req, sizeof(req));
	return ops->setup(x);
}

struct seeded_small_ops {
	int (*setup)(int x);
};

static int seeded_small_setup(int x)
{
	u8 buf[256];

	memset(buf, x, sizeof(buf));
	return seeded_consume(buf, sizeof(buf));
}

static const struct seeded_small_ops seeded_small_ops = {
	.setup = seeded_small_setup,
};

int seeded_dispatch_ok(const struct seeded_small_ops *ops, int x)
{
	u8 req[1900];

	memset(req, x, sizeof(req));
	seeded_consume(req, sizeof(req));
	return ops->setup(x);
}

const void *seeded_tables(int i)
{
	return i ? (const void *)&seeded_ops : (const void *)&seeded_small_ops;
}

/* stackdepth/recursion: a tree walk that recurses into children. */
struct seeded_node {
	struct seeded_node *child, *next;
};

void seeded_visit(struct seeded_node *n);

void seeded_walk_bad(struct seeded_node *n) // want "recursion seeded_walk_bad .?->.* seeded_walk_bad: stack depth is unbounded"
{
	for (; n; n = n->next) {
		seeded_visit(n);
		seeded_walk_bad(n->child);
	}
}

void seeded_walk_ok(struct seeded_node *n)
{
	for (; n; n = n->child ? n->child : n->next)
		seeded_visit(n);
}

/* stackdepth/unbounded: a buffer sized by the caller. */
int seeded_copy_bad(size_t len)
{
	u8 tmp[len]; // want "variable-length array tmp makes the stack frame of seeded_copy_bad unbounded"

	memset(tmp, 0, len);
	return seeded_consume(tmp, len);
}

int seeded_copy_ok(size_t len)
{
	u8 tmp[64];

	if (len > sizeof(tmp))
		return -EINVAL;
	memset(tmp, 0, len);
	return seeded_consume(tmp, len);
}
