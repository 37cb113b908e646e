/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_WORKQUEUE_H
#define _LINUX_WORKQUEUE_H

#include <linux/types.h>
#include <linux/list.h>

struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);

struct work_struct {
	atomic_long_t data;
	struct list_head entry;
	work_func_t func;
};

struct workqueue_struct;

#define WORK_CPU_UNBOUND	64
#define WORK_STRUCT_NO_POOL	0xffffffe0L

#define __INIT_WORK(_work, _func)					\
	do {								\
		(_work)->data.counter = WORK_STRUCT_NO_POOL;		\
		INIT_LIST_HEAD(&(_work)->entry);			\
		(_work)->func = (_func);				\
	} while (0)

#define INIT_WORK(_work, _func)		__INIT_WORK((_work), (_func))

extern struct workqueue_struct *system_wq;

extern bool queue_work_on(int cpu, struct workqueue_struct *wq,
			  struct work_struct *work);
extern bool cancel_work_sync(struct work_struct *work);
extern bool flush_work(struct work_struct *work);

static inline bool queue_work(struct workqueue_struct *wq,
			      struct work_struct *work)
{
	return queue_work_on(WORK_CPU_UNBOUND, wq, work);
}

/* Returns false if @work was already pending. */
static inline bool schedule_work(struct work_struct *work)
{
	return queue_work(system_wq, work);
}

#endif /* _LINUX_WORKQUEUE_H */
