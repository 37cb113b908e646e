// Recursion: a self call and a mutual recursion, next to an iterative
// twin.
#include <linux/kernel.h>
#include <linux/types.h>

struct tnode {
	struct tnode *child, *next;
	int val;
};

void visit(struct tnode *n);

void walk_bad(struct tnode *n) // want "recursion walk_bad .->.\(1\) walk_bad: stack depth is unbounded .stackdepth/recursion."
{
	for (; n; n = n->next) {
		visit(n);
		if (n->child)
			walk_bad(n->child);
	}
}

void walk_ok(struct tnode *n)
{
	for (; n; n = n->child ? n->child : n->next)
		visit(n);
}

int pong(int depth);

int ping(int depth) // want "recursion ping .->.\(1\) pong .->.\(2\) ping: stack depth is unbounded"
{
	if (depth <= 0)
		return 0;
	return pong(depth - 1) + 1;
}

int pong(int depth)
{
	if (depth <= 0)
		return 0;
	return ping(depth - 1) + 1;
}
