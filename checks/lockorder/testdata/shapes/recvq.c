// SPDX-License-Identifier: GPL-2.0
/*
 * Shape: a socket's receive queue is a rwlock taken with
 * write_lock_irqsave; dropping the last reference of a queued message
 * (inside the locked loop) reaches the message's own spinlock through two
 * calls, while the send path takes the message lock and then the
 * receive-queue lock. The fixed twin moves the entries to a private list
 * and drops them after unlocking.
 */
#include <linux/spinlock.h>
#include <linux/list.h>
#include <linux/kcheck_lockorder_extra.h>

struct rq_msg {
	spinlock_t m_rs_lock;
	struct list_head item;
	int refs;
	void *rs;
};

struct rq_sock {
	rwlock_t recv_lock;
	struct list_head recv_queue;
	int rcvbuf;
};

static void rq_msg_purge(struct rq_msg *m)
{
	unsigned long flags;

	spin_lock_irqsave(&m->m_rs_lock, flags);
	m->rs = NULL;
	spin_unlock_irqrestore(&m->m_rs_lock, flags);
}

static void rq_msg_put(struct rq_msg *m)
{
	if (--m->refs == 0)
		rq_msg_purge(m);
}

void rq_clear_queue(struct rq_sock *rs)
{
	struct rq_msg *m, *tmp;
	unsigned long flags;

	write_lock_irqsave(&rs->recv_lock, flags);
	list_for_each_entry_safe(m, tmp, &rs->recv_queue, item) {
		rs->rcvbuf--;
		list_del_init(&m->item);
		rq_msg_put(m);
	}
	write_unlock_irqrestore(&rs->recv_lock, flags);
}

void rq_send_done(struct rq_msg *m, struct rq_sock *rs)
{
	unsigned long flags, flags2;

	spin_lock_irqsave(&m->m_rs_lock, flags);
	read_lock_irqsave(&rs->recv_lock, flags2); // want "circular locking dependency: struct rq_sock.recv_lock -> struct rq_msg.m_rs_lock -> struct rq_sock.recv_lock"
	rs->rcvbuf++;
	read_unlock_irqrestore(&rs->recv_lock, flags2);
	spin_unlock_irqrestore(&m->m_rs_lock, flags);
}

/* The fixed twin. */
struct rqok_msg {
	spinlock_t m_rs_lock;
	struct list_head item;
	int refs;
	void *rs;
};

struct rqok_sock {
	rwlock_t recv_lock;
	struct list_head recv_queue;
	int rcvbuf;
};

static void rqok_msg_purge(struct rqok_msg *m)
{
	unsigned long flags;

	spin_lock_irqsave(&m->m_rs_lock, flags);
	m->rs = NULL;
	spin_unlock_irqrestore(&m->m_rs_lock, flags);
}

static void rqok_msg_put(struct rqok_msg *m)
{
	if (--m->refs == 0)
		rqok_msg_purge(m);
}

void rqok_clear_queue(struct rqok_sock *rs)
{
	struct rqok_msg *m, *tmp;
	unsigned long flags;
	LIST_HEAD(to_drop);

	write_lock_irqsave(&rs->recv_lock, flags);
	list_for_each_entry_safe(m, tmp, &rs->recv_queue, item) {
		rs->rcvbuf--;
		list_del_init(&m->item);
		list_add(&m->item, &to_drop);
	}
	write_unlock_irqrestore(&rs->recv_lock, flags);

	list_for_each_entry_safe(m, tmp, &to_drop, item) {
		list_del_init(&m->item);
		rqok_msg_put(m);
	}
}

void rqok_send_done(struct rqok_msg *m, struct rqok_sock *rs)
{
	unsigned long flags, flags2;

	spin_lock_irqsave(&m->m_rs_lock, flags);
	read_lock_irqsave(&rs->recv_lock, flags2);
	rs->rcvbuf++;
	read_unlock_irqrestore(&rs->recv_lock, flags2);
	spin_unlock_irqrestore(&m->m_rs_lock, flags);
}
