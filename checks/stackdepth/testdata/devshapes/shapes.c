// The shapes of real stack fixes (run with frame-warn 1024, as the kernel
// cases were): an array of 128 pointers on the stack (usbtest test_queue),
// several block-scope buffers and states in a self test (blake2s), and
// two big helpers that GCC inlines into their only caller (btrfs
// check-integrity). Each has its fixed twin.
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/types.h>

struct urb;
struct urb *alloc_one(int i);
void free_one(struct urb *u);
int consume(void *buf, size_t len);

struct queue_ctx {
	int count, pending, errors;
	unsigned long packets;
};

#define MAX_SGLEN 128

int test_queue_bad(int sglen) // want "stack frame of test_queue_bad is [0-9]+ bytes .estimate., above the frame-warn limit of 1024; largest locals: .urbs."
{
	struct queue_ctx context;
	struct urb *urbs[MAX_SGLEN];
	int i;

	if (sglen > MAX_SGLEN)
		return -EINVAL;
	memset(&context, 0, sizeof(context));
	for (i = 0; i < sglen; i++)
		urbs[i] = alloc_one(i);
	consume(&context, sizeof(context));
	for (i = 0; i < sglen; i++)
		free_one(urbs[i]);
	return 0;
}

int test_queue_ok(int sglen)
{
	struct queue_ctx context;
	struct urb **urbs;
	int i;

	if (sglen > MAX_SGLEN)
		return -EINVAL;
	urbs = kcalloc(sglen, sizeof(*urbs), GFP_KERNEL);
	if (!urbs)
		return -ENOMEM;
	memset(&context, 0, sizeof(context));
	for (i = 0; i < sglen; i++)
		urbs[i] = alloc_one(i);
	consume(&context, sizeof(context));
	for (i = 0; i < sglen; i++)
		free_one(urbs[i]);
	kfree(urbs);
	return 0;
}

struct hash_state {
	u32 h[8];
	u32 t[2];
	u32 f[2];
	u8 buf[64];
	unsigned int buflen;
	unsigned int outlen;
	u8 pad[112];
};

#define BLOCK_SIZE 64

int selftest_bad(void) // want "stack frame of selftest_bad is [0-9]+ bytes .estimate., above the frame-warn limit of 1024"
{
	struct hash_state state;
	u8 digest[64];
	int i;

	for (i = 0; i < 32; i++) {
		u8 unaligned_block[BLOCK_SIZE + 15];
		u8 blocks[BLOCK_SIZE * 3];
		struct hash_state state1, state2;

		consume(blocks, sizeof(blocks));
		memcpy(&state1, &state, sizeof(state1));
		memcpy(&state2, &state, sizeof(state2));
		consume(&state1, sizeof(state1));
		consume(&state2, sizeof(state2));
		consume(unaligned_block, sizeof(unaligned_block));
	}
	return consume(digest, sizeof(digest));
}

int selftest_ok(void)
{
	struct hash_state state;
	u8 digest[64];
	int i;

	for (i = 0; i < 32; i++) {
		u8 unaligned_block[BLOCK_SIZE + 15];
		u8 blocks[BLOCK_SIZE * 2];
		struct hash_state state1, state2;

		consume(blocks, sizeof(blocks));
		memcpy(&state1, &state, sizeof(state1));
		memcpy(&state2, &state, sizeof(state2));
		consume(&state1, sizeof(state1));
		consume(&state2, sizeof(state2));
		consume(unaligned_block, sizeof(unaligned_block));
	}
	return consume(digest, sizeof(digest));
}

struct walk_frame {
	u64 stack[80];
	int depth;
};

static int process_block(int x)
{
	struct walk_frame sf;

	sf.depth = x;
	return consume(&sf, sizeof(sf));
}

static int test_for_metadata(int x)
{
	u8 desc[400];

	memset(desc, x, sizeof(desc));
	return consume(desc, sizeof(desc));
}

int process_written_bad(int x) // want "stack frame of process_written_bad is [0-9]+ bytes.*inlined static function.s.: process_block, test_for_metadata"
{
	u8 hdr[400];

	consume(hdr, sizeof(hdr));
	if (test_for_metadata(x))
		return process_block(x);
	return 0;
}

static int process_block2(int x)
{
	struct walk_frame *sf = kmalloc(sizeof(*sf), GFP_KERNEL);
	int ret;

	if (!sf)
		return -ENOMEM;
	sf->depth = x;
	ret = consume(sf, sizeof(*sf));
	kfree(sf);
	return ret;
}

static int test_for_metadata2(int x)
{
	u8 desc[400];

	memset(desc, x, sizeof(desc));
	return consume(desc, sizeof(desc));
}

int process_written_ok(int x)
{
	u8 hdr[400];

	consume(hdr, sizeof(hdr));
	if (test_for_metadata2(x))
		return process_block2(x);
	return 0;
}
