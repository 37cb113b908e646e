// SPDX-License-Identifier: GPL-2.0
/*
 * minihub - a miniature USB hub-like driver for the kcheck test tree.
 *
 * The hub reports port status changes on an interrupt endpoint. The
 * completion handler records which ports changed and schedules a work
 * item; the worker reads the new state under the hub's locks.
 *
 * Lock order: hub->status_mutex, then hub->lock. hub->lock is also
 * taken from the URB completion (interrupt context), so process
 * context takes it with interrupts disabled.
 */

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/kref.h>
#include <linux/usb.h>

#define MINIHUB_MAX_PORTS	7
#define MINIHUB_STATUS_LEN	8

#define MINIHUB_PORT_CONNECTION	BIT(0)
#define MINIHUB_PORT_ENABLE	BIT(1)

struct minihub_port {
	u16	status;
	u16	change;
	bool	connected;
};

struct minihub {
	struct kref		kref;
	struct usb_device	*udev;
	struct usb_interface	*intf;
	struct urb		*irq_urb;
	u8			*status_buf;

	struct mutex		status_mutex;	/* serializes port updates */
	spinlock_t		lock;		/* protects event_bits, quiescing */
	unsigned long		event_bits;
	bool			quiescing;
	bool			disconnected;

	struct work_struct	events;
	int			nports;
	struct minihub_port	ports[MINIHUB_MAX_PORTS];
};

#define kref_to_minihub(k)	container_of(k, struct minihub, kref)

static void minihub_release(struct kref *kref)
{
	struct minihub *hub = kref_to_minihub(kref);

	usb_put_intf(hub->intf);
	usb_put_dev(hub->udev);
	kfree(hub->status_buf);
	kfree(hub);
}

static void minihub_put(struct minihub *hub)
{
	kref_put(&hub->kref, minihub_release);
}

/* Called with hub->status_mutex held. */
static void minihub_port_update(struct minihub *hub, int port1, u16 status)
{
	struct minihub_port *port = &hub->ports[port1 - 1];
	unsigned long flags;

	spin_lock_irqsave(&hub->lock, flags);
	port->change |= port->status ^ status;
	port->status = status;
	port->connected = !!(status & MINIHUB_PORT_CONNECTION);
	spin_unlock_irqrestore(&hub->lock, flags);
}

/* Called with hub->status_mutex held. */
static unsigned long minihub_take_events(struct minihub *hub)
{
	unsigned long bits;

	spin_lock_irq(&hub->lock);
	bits = hub->event_bits;
	hub->event_bits = 0;
	spin_unlock_irq(&hub->lock);

	return bits;
}

static void minihub_event_work(struct work_struct *work)
{
	struct minihub *hub = container_of(work, struct minihub, events);
	unsigned long bits;
	int port1;

	mutex_lock(&hub->status_mutex);
	if (hub->disconnected)
		goto out_unlock;

	bits = minihub_take_events(hub);
	for (port1 = 1; port1 <= hub->nports; port1++) {
		if (!(bits & BIT(port1)))
			continue;
		minihub_port_update(hub, port1, hub->status_buf[port1]);
		dev_dbg(&hub->intf->dev, "port %d status %04x\n", port1,
			hub->ports[port1 - 1].status);
	}

out_unlock:
	mutex_unlock(&hub->status_mutex);
}

/* URB completion: interrupt context. */
static void minihub_irq(struct urb *urb)
{
	struct minihub *hub = urb->context;
	unsigned long bits = 0;
	bool kick = false;
	unsigned int i;
	int ret;

	switch (urb->status) {
	case 0:
		break;
	case -ENOENT:
	case -ENODEV:
		return;		/* killed or unplugged */
	default:
		goto resubmit;
	}

	for (i = 0; i < urb->actual_length && i < MINIHUB_STATUS_LEN; i++)
		bits |= (unsigned long)hub->status_buf[i] << (i * 8);

	spin_lock(&hub->lock);
	if (!hub->quiescing && bits) {
		hub->event_bits |= bits;
		kick = true;
	}
	spin_unlock(&hub->lock);

	if (kick)
		schedule_work(&hub->events);

resubmit:
	ret = usb_submit_urb(urb, GFP_ATOMIC);
	if (ret && ret != -ENODEV)
		dev_err(&hub->intf->dev, "resubmit failed: %d\n", ret);
}

/* Stops event delivery; hub->status_mutex, then hub->lock. */
static void minihub_quiesce(struct minihub *hub)
{
	mutex_lock(&hub->status_mutex);
	spin_lock_irq(&hub->lock);
	hub->quiescing = true;
	hub->event_bits = 0;
	spin_unlock_irq(&hub->lock);
	mutex_unlock(&hub->status_mutex);

	usb_kill_urb(hub->irq_urb);
	cancel_work_sync(&hub->events);
}

static int minihub_activate(struct minihub *hub, gfp_t gfp)
{
	int ret;

	mutex_lock(&hub->status_mutex);
	spin_lock_irq(&hub->lock);
	hub->quiescing = false;
	spin_unlock_irq(&hub->lock);

	ret = usb_submit_urb(hub->irq_urb, gfp);
	mutex_unlock(&hub->status_mutex);

	return ret;
}

static int minihub_suspend(struct usb_interface *intf, pm_message_t msg)
{
	struct minihub *hub = usb_get_intfdata(intf);

	minihub_quiesce(hub);
	return 0;
}

static int minihub_resume(struct usb_interface *intf)
{
	struct minihub *hub = usb_get_intfdata(intf);

	return minihub_activate(hub, GFP_NOIO);
}

static int minihub_probe(struct usb_interface *intf,
			 const struct usb_device_id *id)
{
	struct usb_device *udev = interface_to_usbdev(intf);
	struct usb_host_interface *alt = intf->cur_altsetting;
	struct usb_endpoint_descriptor *ep;
	struct minihub *hub;
	int ret;

	if (alt->desc.bNumEndpoints != 1)
		return -ENODEV;
	ep = &alt->endpoint[0].desc;
	if (!usb_endpoint_is_int_in(ep))
		return -ENODEV;

	hub = kzalloc(sizeof(*hub), GFP_KERNEL);
	if (!hub)
		return -ENOMEM;

	kref_init(&hub->kref);
	mutex_init(&hub->status_mutex);
	spin_lock_init(&hub->lock);
	INIT_WORK(&hub->events, minihub_event_work);
	hub->udev = usb_get_dev(udev);
	hub->intf = usb_get_intf(intf);
	hub->nports = MINIHUB_MAX_PORTS;

	hub->status_buf = kmalloc(MINIHUB_STATUS_LEN, GFP_KERNEL);
	if (!hub->status_buf) {
		ret = -ENOMEM;
		goto err_put_hub;
	}
	memset(hub->status_buf, 0, MINIHUB_STATUS_LEN);

	hub->irq_urb = usb_alloc_urb(0, GFP_KERNEL);
	if (!hub->irq_urb) {
		ret = -ENOMEM;
		goto err_put_hub;
	}

	usb_fill_int_urb(hub->irq_urb, udev,
			 usb_rcvintpipe(udev, ep->bEndpointAddress),
			 hub->status_buf, MINIHUB_STATUS_LEN,
			 minihub_irq, hub, ep->bInterval);

	usb_set_intfdata(intf, hub);

	ret = minihub_activate(hub, GFP_KERNEL);
	if (ret) {
		dev_err(&intf->dev, "cannot submit status urb: %d\n", ret);
		goto err_free_urb;
	}

	dev_info(&intf->dev, "%d-port mini hub\n", hub->nports);
	return 0;

err_free_urb:
	usb_set_intfdata(intf, NULL);
	usb_free_urb(hub->irq_urb);
err_put_hub:
	minihub_put(hub);	/* drops udev, intf and status_buf too */
	return ret;
}

static void minihub_disconnect(struct usb_interface *intf)
{
	struct minihub *hub = usb_get_intfdata(intf);

	minihub_quiesce(hub);

	mutex_lock(&hub->status_mutex);
	hub->disconnected = true;
	mutex_unlock(&hub->status_mutex);

	usb_set_intfdata(intf, NULL);
	usb_free_urb(hub->irq_urb);
	minihub_put(hub);
}

static const struct usb_device_id minihub_ids[] = {
	{ USB_DEVICE(0x1d6b, 0x7f01) },
	{ USB_DEVICE(0x1d6b, 0x7f02) },
	{ }
};
MODULE_DEVICE_TABLE(usb, minihub_ids);

static struct usb_driver minihub_driver = {
	.name			= "minihub",
	.probe			= minihub_probe,
	.disconnect		= minihub_disconnect,
	.suspend		= minihub_suspend,
	.resume			= minihub_resume,
	.id_table		= minihub_ids,
	.supports_autosuspend	= 1,
};

module_usb_driver(minihub_driver);

MODULE_DESCRIPTION("Miniature USB hub driver (kcheck test tree)");
MODULE_LICENSE("GPL");
