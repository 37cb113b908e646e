// SPDX-License-Identifier: GPL-2.0
/* Counts on a device the function itself registers, and hand-offs from the
 * engine's shared default list. */
#include <linux/device.h>
#include <linux/pm_runtime.h>
#include <linux/usb.h>
#include <linux/errno.h>

struct nd {
	struct device dev;
	int state;
};

extern int nd_enumerate(struct nd *d);
extern int nd_link(struct nd *d);

/* usb_new_device: the count taken while the new device is set up belongs
 * to the device under construction; when its registration fails (or is
 * undone with device_del) the caller discards the whole object. */
int nd_new_device_ok(struct nd *d)
{
	int err;

	pm_runtime_get_noresume(&d->dev);
	pm_runtime_enable(&d->dev);
	err = nd_enumerate(d);
	if (err < 0)
		goto fail;
	err = device_add(&d->dev);
	if (err)
		goto fail;
	err = nd_link(d);
	if (err)
		goto out_del;
	pm_runtime_put(&d->dev);
	return err;

out_del:
	device_del(&d->dev);
fail:
	d->state = 0;
	pm_runtime_disable(&d->dev);
	return err;
}

/* A probe of a device that outlives it (registered by someone else): the
 * error path must drop the count, or the device never suspends after a
 * re-probe. */
int nd_probe_bad(struct nd *d)
{
	int err;

	pm_runtime_get_noresume(&d->dev); // want "PM usage count reference from pm_runtime_get_noresume\(\) on &d->dev is not released"
	pm_runtime_enable(&d->dev);
	err = nd_enumerate(d);
	if (err < 0)
		goto fail;
	pm_runtime_put(&d->dev);
	return 0;

fail:
	pm_runtime_disable(&d->dev);
	return err;
}

/* A failed pm_runtime_get_sync leaks its count even on a device the
 * function registers: the failure is the caller's classic bug. */
int nd_new_device_sync_bad(struct nd *d)
{
	int err;

	err = device_add(&d->dev);
	if (err)
		return err;
	err = pm_runtime_get_sync(&d->dev); // want "on the path where pm_runtime_get_sync\(\) fails"
	if (err < 0) {
		device_del(&d->dev);
		return err;
	}
	pm_runtime_put(&d->dev);
	return 0;
}

extern void usb_fill_bulk_urb(struct urb *urb, struct usb_device *dev, unsigned int pipe,
		void *transfer_buffer, int buffer_length, usb_complete_t complete_fn,
		void *context);
extern void nd_complete(struct urb *urb);

/* The reference travels with the URB as its context: the completion
 * handler drops it. */
int nd_submit_ok(struct urb *urb, struct usb_interface *intf)
{
	struct usb_interface *ref = usb_get_intf(intf);

	usb_fill_bulk_urb(urb, NULL, 0, NULL, 0, nd_complete, ref);
	return usb_submit_urb(urb, GFP_KERNEL);
}

int nd_submit_bad(struct urb *urb, struct usb_interface *intf)
{
	struct usb_interface *ref = usb_get_intf(intf); // want "usb_interface reference from usb_get_intf\(\) on ref is not released"

	usb_fill_bulk_urb(urb, NULL, 0, NULL, 0, nd_complete, NULL);
	return usb_submit_urb(urb, GFP_KERNEL);
}

/* A count raised on an URB passed in and dropped again: the caller's own
 * reference keeps the URB alive, so using it after the put is fine. */
int nd_resubmit_ok(struct urb *urb)
{
	int st;

	usb_get_urb(urb);
	st = usb_submit_urb(urb, GFP_KERNEL);
	if (st) {
		usb_free_urb(urb);
		urb->status = st;
	}
	return st;
}
