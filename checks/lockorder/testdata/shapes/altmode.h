/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ALTMODE_SHAPE_H
#define ALTMODE_SHAPE_H

struct am_altmode;
struct am_altmode_ops {
	int (*vdm)(struct am_altmode *alt, int cmd);
};
struct am_altmode {
	const struct am_altmode_ops *ops;
	void *drvdata;
	void *port;
};

int am_altmode_vdm(struct am_altmode *alt, int cmd);
int amok_altmode_vdm(struct am_altmode *alt, int cmd);
struct am_port;
struct amok_port;
int am_port_enter(struct am_port *port);
int amok_port_enter(struct amok_port *port);

#endif
