// Frames: a big local buffer, and a static helper with a big frame that
// GCC inlines into its only caller (its locals land in the caller's frame).
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/types.h>

int consume(u8 *buf, size_t len);

int big_buffer_bad(int x) // want "stack frame of big_buffer_bad is [0-9]+ bytes .estimate., above the frame-warn limit of 2048; largest locals: .buf.\(1\) 4096 .stackdepth/frame."
{
	u8 buf[4096];

	memset(buf, x, sizeof(buf));
	return consume(buf, sizeof(buf));
}

int big_buffer_ok(int x) // ok: the buffer is on the heap
{
	u8 *buf = kmalloc(4096, GFP_KERNEL);
	int ret;

	if (!buf)
		return -ENOMEM;
	memset(buf, x, 4096);
	ret = consume(buf, 4096);
	kfree(buf);
	return ret;
}

/* Sibling scopes share space: 2 x 1536 bytes in disjoint blocks fit. */
int sibling_scopes_ok(int x)
{
	if (x) {
		u8 a[1536];

		memset(a, 1, sizeof(a));
		return consume(a, sizeof(a));
	} else {
		u8 b[1536];

		memset(b, 2, sizeof(b));
		return consume(b, sizeof(b));
	}
}

/* Called once: GCC inlines it into inline_caller_bad. */
static int fill_table(int x)
{
	u32 table[384];

	memset(table, x, sizeof(table));
	return consume((u8 *)table, sizeof(table));
}

int inline_caller_bad(int x) // want "stack frame of inline_caller_bad is [0-9]+ bytes.*includes the locals of 1 inlined static function.s.: fill_table"
{
	u8 hdr[768];

	memset(hdr, x, sizeof(hdr));
	consume(hdr, sizeof(hdr));
	return fill_table(x);
}

static int fill_table_heap(int x)
{
	u32 *table = kcalloc(384, sizeof(u32), GFP_KERNEL);
	int ret;

	if (!table)
		return -ENOMEM;
	memset(table, x, 384 * sizeof(u32));
	ret = consume((u8 *)table, 384 * sizeof(u32));
	kfree(table);
	return ret;
}

int inline_caller_ok(int x)
{
	u8 hdr[768];

	memset(hdr, x, sizeof(hdr));
	consume(hdr, sizeof(hdr));
	return fill_table_heap(x);
}

/*
 * The noinline_for_stack fix: the same helper marked noinline keeps its
 * own frame, so neither function is above the limit on its own.
 */
static __attribute__((__noinline__)) int fill_table_noinline(int x)
{
	u32 table[384];

	memset(table, x, sizeof(table));
	return consume((u8 *)table, sizeof(table));
}

int noinline_caller_ok(int x)
{
	u8 buf[1024];

	memset(buf, x, sizeof(buf));
	return consume(buf, sizeof(buf)) + fill_table_noinline(x);
}
