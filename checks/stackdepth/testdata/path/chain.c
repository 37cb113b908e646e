// A chain of moderate frames, each below frame-warn, that exceeds the
// stack budget (4096 in this test) only together; and its fixed twin.
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>

int consume(u8 *buf, size_t len);

int stage_c(int x)
{
	u8 buf[1400];

	memset(buf, x, sizeof(buf));
	return consume(buf, sizeof(buf));
}

int stage_b(int x)
{
	u8 buf[1400];

	memset(buf, x, sizeof(buf));
	consume(buf, sizeof(buf));
	return stage_c(x + 1);
}

int chain_bad(int x) // want "worst-case stack path from chain_bad is [0-9]+ bytes over 2 calls .to stage_c., above the stack budget of 4096; largest frames: .chain_bad.\(1\) [0-9]+, .stage_b.\(2\) [0-9]+, .stage_c.\(3\) [0-9]+ .stackdepth/path."
{
	u8 buf[1400];

	memset(buf, x, sizeof(buf));
	consume(buf, sizeof(buf));
	return stage_b(x);
}

int small_c(int x)
{
	u8 buf[600];

	memset(buf, x, sizeof(buf));
	return consume(buf, sizeof(buf));
}

int small_b(int x)
{
	u8 buf[600];

	memset(buf, x, sizeof(buf));
	consume(buf, sizeof(buf));
	return small_c(x + 1);
}

int chain_ok(int x)
{
	u8 buf[600];

	memset(buf, x, sizeof(buf));
	consume(buf, sizeof(buf));
	return small_b(x);
}
