// SPDX-License-Identifier: GPL-2.0
/*
 * ministack - a miniature codec self test for the kcheck test tree.
 *
 * Runs a small buffer through a chain of stages, each with a moderate
 * on-stack buffer, and through codecs selected by an ops table and
 * called indirectly. Every frame stays well below CONFIG_FRAME_WARN and
 * the deepest chain well below THREAD_SIZE.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/types.h>

#define MINISTACK_MAX_IN	256
#define MINISTACK_MAX_OUT	512

struct ministack_ops {
	const char *name;
	/* returns the number of bytes written to @out, or -errno */
	int (*encode)(const u8 *in, size_t len, u8 *out, size_t outlen);
	u32 (*checksum)(const u8 *buf, size_t len);
};

/* Repeating-key XOR: one output byte per input byte. */
static int ministack_xor_encode(const u8 *in, size_t len, u8 *out,
				size_t outlen)
{
	u8 key[64];
	size_t i;

	if (len > outlen)
		return -ENOSPC;

	for (i = 0; i < sizeof(key); i++)
		key[i] = (u8)(i * 37 + 11);
	for (i = 0; i < len; i++)
		out[i] = in[i] ^ key[i % sizeof(key)];

	return len;
}

/* Run-length encoding: (count, byte) pairs. */
static int ministack_rle_encode(const u8 *in, size_t len, u8 *out,
				size_t outlen)
{
	u8 run[128];
	size_t i = 0, o = 0, n;

	while (i < len) {
		n = 1;
		while (i + n < len && n < 255 && in[i + n] == in[i])
			n++;
		if (o + 2 > outlen)
			return -ENOSPC;
		run[(o / 2) % sizeof(run)] = n;
		out[o++] = n;
		out[o++] = in[i];
		i += n;
	}

	/* sanity: the recorded run lengths must add up to the input */
	for (i = 0, n = 0; i < min_t(size_t, o / 2, sizeof(run)); i++)
		n += run[i];
	if (o / 2 <= sizeof(run) && n != len)
		return -ERANGE;

	return o;
}

static u32 ministack_sum32(const u8 *buf, size_t len)
{
	u32 sum = 0;
	size_t i;

	for (i = 0; i < len; i++)
		sum = (sum << 1 | sum >> 31) + buf[i];
	return sum;
}

static u32 ministack_fletcher(const u8 *buf, size_t len)
{
	u32 a = 1, b = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		a = (a + buf[i]) % 65521;
		b = (b + a) % 65521;
	}
	return b << 16 | a;
}

static const struct ministack_ops ministack_codecs[] = {
	{
		.name		= "xor",
		.encode		= ministack_xor_encode,
		.checksum	= ministack_sum32,
	},
	{
		.name		= "rle",
		.encode		= ministack_rle_encode,
		.checksum	= ministack_fletcher,
	},
};

/* stage 3: encode into a local buffer, checksum through the ops */
static noinline int ministack_stage3(const struct ministack_ops *ops,
				     const u8 *in, size_t len, u32 *sum)
{
	u8 out[MINISTACK_MAX_OUT];
	int n;

	n = ops->encode(in, len, out, sizeof(out));
	if (n < 0)
		return n;

	*sum = ops->checksum(out, n);
	return 0;
}

/* stage 2: pad the input to a fixed block */
static noinline int ministack_stage2(const struct ministack_ops *ops,
				     const u8 *in, size_t len, u32 *sum)
{
	u8 block[MINISTACK_MAX_IN];

	if (len > sizeof(block))
		return -EINVAL;

	memcpy(block, in, len);
	memset(block + len, 0, sizeof(block) - len);

	return ministack_stage3(ops, block, sizeof(block), sum);
}

/* stage 1: label the run and report */
static noinline int ministack_stage1(const struct ministack_ops *ops,
				     const u8 *in, size_t len)
{
	char label[96];
	u32 sum = 0;
	int ret;

	snprintf(label, sizeof(label), "%s/%zu", ops->name, len);

	ret = ministack_stage2(ops, in, len, &sum);
	if (ret) {
		pr_err("%s: failed: %d\n", label, ret);
		return ret;
	}

	pr_info("%s: checksum %08x\n", label, sum);
	return 0;
}

static int __init ministack_init(void)
{
	static const u8 sample[] = "aaaabbbcccd kcheck kcheck kcheck";
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(ministack_codecs); i++) {
		ret = ministack_stage1(&ministack_codecs[i], sample,
				       sizeof(sample) - 1);
		if (ret)
			return ret;
	}
	return 0;
}

static void __exit ministack_exit(void)
{
	pr_debug("unloaded\n");
}

module_init(ministack_init);
module_exit(ministack_exit);

MODULE_DESCRIPTION("Miniature stack-depth test driver (kcheck test tree)");
MODULE_LICENSE("GPL");
