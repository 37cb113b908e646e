// SPDX-License-Identifier: GPL-2.0
/*
 * Shape: two locks of a chip reached through a pointer member
 * (p->chip->mixer_lock, p->chip->reg_lock); start/stop take the mixer lock
 * with irqsave and the register lock inside it, load takes them the other
 * way round inside a conditional. The fixed twin drops the mixer lock
 * before taking the register lock.
 */
#include <linux/spinlock.h>

struct mix_chip {
	spinlock_t reg_lock;
	spinlock_t mixer_lock;
	int regs[8];
};

struct mix_dsp {
	struct mix_chip *chip;
	int running;
};

static void mix_write(struct mix_chip *chip, int r, int v)
{
	chip->regs[r] = v;
}

static int mix_load(struct mix_dsp *p, int flags_in)
{
	unsigned long flags;

	spin_lock_irqsave(&p->chip->reg_lock, flags);
	mix_write(p->chip, 0, 1);
	if (flags_in & 1) {
		spin_lock(&p->chip->mixer_lock);
		mix_write(p->chip, 1, 0);
		spin_unlock(&p->chip->mixer_lock);
	}
	spin_unlock_irqrestore(&p->chip->reg_lock, flags);
	return 0;
}

static int mix_start(struct mix_dsp *p)
{
	unsigned long flags;

	spin_lock_irqsave(&p->chip->mixer_lock, flags);
	mix_write(p->chip, 2, 0);
	spin_lock(&p->chip->reg_lock); // want "circular locking dependency: struct mix_chip.reg_lock -> struct mix_chip.mixer_lock -> struct mix_chip.reg_lock"
	p->running = 1;
	spin_unlock(&p->chip->reg_lock);
	mix_write(p->chip, 2, 7);
	spin_unlock_irqrestore(&p->chip->mixer_lock, flags);
	return 0;
}

int mix_ioctl(struct mix_dsp *p, int cmd)
{
	if (cmd)
		return mix_load(p, cmd);
	return mix_start(p);
}

/* The fixed twin. */
struct mixok_chip {
	spinlock_t reg_lock;
	spinlock_t mixer_lock;
	int regs[8];
};

struct mixok_dsp {
	struct mixok_chip *chip;
	int running;
};

static int mixok_load(struct mixok_dsp *p, int flags_in)
{
	unsigned long flags;

	spin_lock_irqsave(&p->chip->reg_lock, flags);
	if (flags_in & 1) {
		spin_lock(&p->chip->mixer_lock);
		p->chip->regs[1] = 0;
		spin_unlock(&p->chip->mixer_lock);
	}
	spin_unlock_irqrestore(&p->chip->reg_lock, flags);
	return 0;
}

static int mixok_start(struct mixok_dsp *p)
{
	unsigned long flags;

	spin_lock_irqsave(&p->chip->mixer_lock, flags);
	p->chip->regs[2] = 0;
	spin_unlock_irqrestore(&p->chip->mixer_lock, flags);
	spin_lock(&p->chip->reg_lock);
	p->running = 1;
	spin_unlock(&p->chip->reg_lock);
	spin_lock_irqsave(&p->chip->mixer_lock, flags);
	p->chip->regs[2] = 7;
	spin_unlock_irqrestore(&p->chip->mixer_lock, flags);
	return 0;
}

int mixok_ioctl(struct mixok_dsp *p, int cmd)
{
	if (cmd)
		return mixok_load(p, cmd);
	return mixok_start(p);
}
