// SPDX-License-Identifier: GPL-2.0
/* A probe() with 22 sequential error labels: analysed in bounded time by
 * merging states per block (no 2^n path enumeration). The bad probe has
 * one error label that returns before the put. */
#include <linux/of.h>
#include <linux/device.h>
#include <linux/pm_runtime.h>
#include <linux/errno.h>

struct big {
	struct device *dev;
	int val;
};

extern int big_step(struct big *b, int i);

int big_probe_ok(struct big *b)
{
	int ret;

	ret = pm_runtime_resume_and_get(b->dev);
	if (ret)
		return ret;
	ret = big_step(b, 0);
	if (ret)
		goto err0;
	ret = big_step(b, 1);
	if (ret)
		goto err1;
	ret = big_step(b, 2);
	if (ret)
		goto err2;
	ret = big_step(b, 3);
	if (ret)
		goto err3;
	ret = big_step(b, 4);
	if (ret)
		goto err4;
	ret = big_step(b, 5);
	if (ret)
		goto err5;
	ret = big_step(b, 6);
	if (ret)
		goto err6;
	ret = big_step(b, 7);
	if (ret)
		goto err7;
	ret = big_step(b, 8);
	if (ret)
		goto err8;
	ret = big_step(b, 9);
	if (ret)
		goto err9;
	ret = big_step(b, 10);
	if (ret)
		goto err10;
	ret = big_step(b, 11);
	if (ret)
		goto err11;
	ret = big_step(b, 12);
	if (ret)
		goto err12;
	ret = big_step(b, 13);
	if (ret)
		goto err13;
	ret = big_step(b, 14);
	if (ret)
		goto err14;
	ret = big_step(b, 15);
	if (ret)
		goto err15;
	ret = big_step(b, 16);
	if (ret)
		goto err16;
	ret = big_step(b, 17);
	if (ret)
		goto err17;
	ret = big_step(b, 18);
	if (ret)
		goto err18;
	ret = big_step(b, 19);
	if (ret)
		goto err19;
	ret = big_step(b, 20);
	if (ret)
		goto err20;
	ret = big_step(b, 21);
	if (ret)
		goto err21;
	pm_runtime_put(b->dev);
	return 0;
err21:
	b->val--;
	if (b->val == 21)
		b->val = 0;
err20:
	b->val--;
	if (b->val == 20)
		b->val = 0;
err19:
	b->val--;
	if (b->val == 19)
		b->val = 0;
err18:
	b->val--;
	if (b->val == 18)
		b->val = 0;
err17:
	b->val--;
	if (b->val == 17)
		b->val = 0;
err16:
	b->val--;
	if (b->val == 16)
		b->val = 0;
err15:
	b->val--;
	if (b->val == 15)
		b->val = 0;
err14:
	b->val--;
	if (b->val == 14)
		b->val = 0;
err13:
	b->val--;
	if (b->val == 13)
		b->val = 0;
err12:
	b->val--;
	if (b->val == 12)
		b->val = 0;
err11:
	b->val--;
	if (b->val == 11)
		b->val = 0;
err10:
	b->val--;
	if (b->val == 10)
		b->val = 0;
err9:
	b->val--;
	if (b->val == 9)
		b->val = 0;
err8:
	b->val--;
	if (b->val == 8)
		b->val = 0;
err7:
	b->val--;
	if (b->val == 7)
		b->val = 0;
err6:
	b->val--;
	if (b->val == 6)
		b->val = 0;
err5:
	b->val--;
	if (b->val == 5)
		b->val = 0;
err4:
	b->val--;
	if (b->val == 4)
		b->val = 0;
err3:
	b->val--;
	if (b->val == 3)
		b->val = 0;
err2:
	b->val--;
	if (b->val == 2)
		b->val = 0;
err1:
	b->val--;
	if (b->val == 1)
		b->val = 0;
err0:
	b->val--;
	if (b->val == 0)
		b->val = 0;
	pm_runtime_put(b->dev);
	return ret;
}

int big_probe_bad(struct big *b)
{
	int ret;

	ret = pm_runtime_resume_and_get(b->dev); // want "PM usage count reference from pm_runtime_resume_and_get\(\) on b->dev is not released"
	if (ret)
		return ret;
	ret = big_step(b, 0);
	if (ret)
		goto err0;
	ret = big_step(b, 1);
	if (ret)
		goto err1;
	ret = big_step(b, 2);
	if (ret)
		goto err2;
	ret = big_step(b, 3);
	if (ret)
		goto err3;
	ret = big_step(b, 4);
	if (ret)
		goto err4;
	ret = big_step(b, 5);
	if (ret)
		goto err5;
	ret = big_step(b, 6);
	if (ret)
		goto err6;
	ret = big_step(b, 7);
	if (ret)
		goto err7;
	ret = big_step(b, 8);
	if (ret)
		goto err8;
	ret = big_step(b, 9);
	if (ret)
		goto err9;
	ret = big_step(b, 10);
	if (ret)
		goto err10;
	ret = big_step(b, 11);
	if (ret)
		goto err11;
	ret = big_step(b, 12);
	if (ret)
		goto err12;
	ret = big_step(b, 13);
	if (ret)
		goto err13;
	ret = big_step(b, 14);
	if (ret)
		goto err14;
	ret = big_step(b, 15);
	if (ret)
		goto err15;
	ret = big_step(b, 16);
	if (ret)
		goto err16;
	ret = big_step(b, 17);
	if (ret)
		goto err17;
	ret = big_step(b, 18);
	if (ret)
		goto err18;
	ret = big_step(b, 19);
	if (ret)
		goto err19;
	ret = big_step(b, 20);
	if (ret)
		goto err20;
	ret = big_step(b, 21);
	if (ret)
		goto err21;
	pm_runtime_put(b->dev);
	return 0;
err21:
	b->val--;
	if (b->val == 21)
		b->val = 0;
err20:
	b->val--;
	if (b->val == 20)
		b->val = 0;
err19:
	b->val--;
	if (b->val == 19)
		b->val = 0;
err18:
	b->val--;
	if (b->val == 18)
		b->val = 0;
err17:
	b->val--;
	if (b->val == 17)
		b->val = 0;
err16:
	b->val--;
	if (b->val == 16)
		b->val = 0;
err15:
	b->val--;
	if (b->val == 15)
		b->val = 0;
err14:
	b->val--;
	if (b->val == 14)
		b->val = 0;
err13:
	b->val--;
	if (b->val == 13)
		b->val = 0;
err12:
	b->val--;
	if (b->val == 12)
		b->val = 0;
err11:
	if (b->val > 3)
		return ret;
	b->val--;
	if (b->val == 11)
		b->val = 0;
err10:
	b->val--;
	if (b->val == 10)
		b->val = 0;
err9:
	b->val--;
	if (b->val == 9)
		b->val = 0;
err8:
	b->val--;
	if (b->val == 8)
		b->val = 0;
err7:
	b->val--;
	if (b->val == 7)
		b->val = 0;
err6:
	b->val--;
	if (b->val == 6)
		b->val = 0;
err5:
	b->val--;
	if (b->val == 5)
		b->val = 0;
err4:
	b->val--;
	if (b->val == 4)
		b->val = 0;
err3:
	b->val--;
	if (b->val == 3)
		b->val = 0;
err2:
	b->val--;
	if (b->val == 2)
		b->val = 0;
err1:
	b->val--;
	if (b->val == 1)
		b->val = 0;
err0:
	b->val--;
	if (b->val == 0)
		b->val = 0;
	pm_runtime_put(b->dev);
	return ret;
}
