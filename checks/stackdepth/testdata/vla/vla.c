// A variable-length array makes the frame unbounded; the twin bounds it.
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>

int consume(u8 *buf, size_t len);

static int fill_vla(size_t len)
{
	u8 buf[len]; // want "variable-length array buf makes the stack frame of fill_vla unbounded, on a path from vla_entry_bad .stackdepth/unbounded."

	memset(buf, 0, len);
	return consume(buf, len);
}

int vla_entry_bad(size_t len)
{
	return fill_vla(len) + fill_vla(len / 2);
}

#define FILL_MAX 64

int fill_bounded_ok(size_t len)
{
	u8 buf[FILL_MAX];

	if (len > sizeof(buf))
		return -EINVAL;
	memset(buf, 0, len);
	return consume(buf, len);
}
