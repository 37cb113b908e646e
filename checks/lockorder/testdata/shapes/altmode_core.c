// SPDX-License-Identifier: GPL-2.0
/*
 * Shape: a port driver's receive handler holds port->lock (a mutex) and
 * calls a static message handler, which calls into an alt-mode bus API in
 * another unit; the API dispatches through an ops member to the alt-mode
 * driver, which takes its own lock. The alt-mode driver, holding its
 * lock, calls back into the port driver's exported enter function, which
 * takes port->lock. The fixed twin (amok_*) drops the port lock around
 * the bus call and re-takes it afterwards.
 */
#include <linux/mutex.h>
#include "altmode.h"

struct am_port {
	struct mutex lock;
	struct am_altmode *adev;
	int state;
};

int am_port_enter(struct am_port *port)
{
	mutex_lock(&port->lock);
	port->state = 1;
	mutex_unlock(&port->lock);
	return 0;
}

static void am_handle_vdm(struct am_port *port, int cmd)
{
	port->state = cmd;
	if (port->adev)
		am_altmode_vdm(port->adev, cmd);
}

void am_port_rx(struct am_port *port, int cmd)
{
	mutex_lock(&port->lock);
	am_handle_vdm(port, cmd); // want "circular locking dependency: struct am_dp.lock -> struct am_port.lock -> struct am_dp.lock"
	mutex_unlock(&port->lock);
}

/* The fixed twin. */
struct amok_port {
	struct mutex lock;
	struct am_altmode *adev;
	int state;
};

int amok_port_enter(struct amok_port *port)
{
	mutex_lock(&port->lock);
	port->state = 1;
	mutex_unlock(&port->lock);
	return 0;
}

static void amok_handle_vdm(struct amok_port *port, int cmd)
{
	port->state = cmd;
	mutex_unlock(&port->lock);
	if (port->adev)
		amok_altmode_vdm(port->adev, cmd);
	mutex_lock(&port->lock);
}

void amok_port_rx(struct amok_port *port, int cmd)
{
	mutex_lock(&port->lock);
	amok_handle_vdm(port, cmd);
	mutex_unlock(&port->lock);
}
