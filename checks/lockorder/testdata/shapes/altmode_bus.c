// SPDX-License-Identifier: GPL-2.0
/* Shape: the alt-mode bus dispatches to the driver's ops. */
#include "altmode.h"

int am_altmode_vdm(struct am_altmode *alt, int cmd)
{
	if (!alt->ops || !alt->ops->vdm)
		return -1;
	return alt->ops->vdm(alt, cmd);
}

int amok_altmode_vdm(struct am_altmode *alt, int cmd)
{
	if (!alt->ops || !alt->ops->vdm)
		return -1;
	return alt->ops->vdm(alt, cmd);
}
