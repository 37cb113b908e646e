// SPDX-License-Identifier: GPL-2.0
/* Seeded lockorder/abba: a hub's event lock and its port lock taken in
 * opposite orders, one side through a helper. Fixed twin: seedok_*. */
#include <linux/mutex.h>
#include <linux/spinlock.h>

struct seed_hub {
	struct mutex event_lock;
	spinlock_t port_lock;
	int pending;
};

static void seed_hub_port_kick(struct seed_hub *hub)
{
	spin_lock(&hub->port_lock);
	hub->pending++;
	spin_unlock(&hub->port_lock);
}

void seed_hub_event(struct seed_hub *hub)
{
	mutex_lock(&hub->event_lock);
	seed_hub_port_kick(hub);
	mutex_unlock(&hub->event_lock);
}

void seed_hub_port_reset(struct seed_hub *hub)
{
	spin_lock(&hub->port_lock);
	mutex_lock(&hub->event_lock); // want "possible circular locking dependency: struct seed_hub.event_lock -> struct seed_hub.port_lock -> struct seed_hub.event_lock"
	hub->pending = 0;
	mutex_unlock(&hub->event_lock);
	spin_unlock(&hub->port_lock);
}

struct seedok_hub {
	struct mutex event_lock;
	spinlock_t port_lock;
	int pending;
};

static void seedok_hub_port_kick(struct seedok_hub *hub)
{
	spin_lock(&hub->port_lock);
	hub->pending++;
	spin_unlock(&hub->port_lock);
}

void seedok_hub_event(struct seedok_hub *hub)
{
	mutex_lock(&hub->event_lock);
	seedok_hub_port_kick(hub);
	mutex_unlock(&hub->event_lock);
}

void seedok_hub_port_reset(struct seedok_hub *hub)
{
	mutex_lock(&hub->event_lock);
	spin_lock(&hub->port_lock);
	hub->pending = 0;
	spin_unlock(&hub->port_lock);
	mutex_unlock(&hub->event_lock);
}
