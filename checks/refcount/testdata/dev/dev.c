// SPDX-License-Identifier: GPL-2.0
/* Driver model devices, kobjects, usb devices, pci devices. */
#include <linux/device.h>
#include <linux/slab.h>
#include <linux/usb.h>
#include <linux/errno.h>
#include <linux/kcheck_refcount_extra.h>

struct widget {
	struct device dev;
	struct kobject kobj;
	struct usb_device *udev;
	void *buf;
	int gen;
};

extern const struct kobj_type widget_ktype;

/* A failed device_register must be undone with put_device, not kfree. */
int widget_add_bad(struct widget *w)
{
	int ret;

	ret = device_register(&w->dev); // want "device reference from device_register\(\) on &w->dev is not released on the path where device_register\(\) fails"
	if (ret) {
		kfree(w);
		return ret;
	}
	return 0;
}

int widget_add_ok(struct widget *w)
{
	int ret;

	ret = device_register(&w->dev);
	if (ret) {
		put_device(&w->dev);
		return ret;
	}
	return 0;
}

/* kobject_init_and_add tested in the if (iscsi_boot_create_kobj's shape). */
struct widget *widget_kobj_bad(const char *name)
{
	struct widget *w;

	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return NULL;
	if (kobject_init_and_add(&w->kobj, &widget_ktype, NULL, "%s", name)) { // want "kobject reference from kobject_init_and_add\(\) on &w->kobj is not released on the path where kobject_init_and_add\(\) fails"
		kfree(w);
		return NULL;
	}
	return w;
}

struct widget *widget_kobj_ok(const char *name)
{
	struct widget *w;

	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return NULL;
	if (kobject_init_and_add(&w->kobj, &widget_ktype, NULL, "%s", name)) {
		kobject_put(&w->kobj);
		return NULL;
	}
	return w;
}

/* usb_get_dev in probe, leaked when a later allocation fails. */
int widget_probe_bad(struct usb_interface *intf, struct widget *w)
{
	struct usb_device *udev;

	udev = usb_get_dev(interface_to_usbdev(intf)); // want "usb_device reference from usb_get_dev\(\) on udev is not released"
	w->buf = kmalloc(64, GFP_KERNEL);
	if (!w->buf)
		return -ENOMEM;
	w->udev = udev;
	return 0;
}

int widget_probe_ok(struct usb_interface *intf, struct widget *w)
{
	struct usb_device *udev;

	udev = usb_get_dev(interface_to_usbdev(intf));
	w->buf = kmalloc(64, GFP_KERNEL);
	if (!w->buf) {
		usb_put_dev(udev);
		return -ENOMEM;
	}
	w->udev = udev;
	return 0;
}

/* Stored straight into the driver's struct: handed off. */
int widget_probe_store_ok(struct usb_interface *intf, struct widget *w)
{
	w->udev = usb_get_dev(interface_to_usbdev(intf));
	return 0;
}

/* pci_get_device's result only looked at (sdhci-pci amd_probe's shape). */
int widget_gen_bad(struct widget *w)
{
	struct pci_dev *smbus_dev;

	smbus_dev = pci_get_device(0x1022, 0x780b, NULL); // want "pci_dev reference from pci_get_device\(\) on smbus_dev is not released"
	if (smbus_dev) {
		if (smbus_dev->revision < 0x51)
			w->gen = 1;
		else
			w->gen = 2;
	}
	return 0;
}

int widget_gen_ok(struct widget *w)
{
	struct pci_dev *smbus_dev;

	smbus_dev = pci_get_device(0x1022, 0x780b, NULL);
	if (smbus_dev) {
		if (smbus_dev->revision < 0x51)
			w->gen = 1;
		else
			w->gen = 2;
	}
	pci_dev_put(smbus_dev);
	return 0;
}

/* A loop over pci_get_device(.., from) drops from each round. */
int widget_count_ok(void)
{
	struct pci_dev *pdev = NULL;
	int n = 0;

	while ((pdev = pci_get_device(0x8086, PCI_ANY_ID, pdev)) != NULL)
		n++;
	return n;
}

/* usb_get_dev taken inside an allocation helper that stores it into the
 * object it returns; the probe's later error paths skip the put
 * (usbip stub_probe's shape). */
struct stub {
	struct usb_device *udev;
	int busnum;
};

static struct stub *stub_alloc(struct usb_device *udev)
{
	struct stub *sdev = kzalloc(sizeof(*sdev), GFP_KERNEL);

	if (!sdev)
		return NULL;
	sdev->udev = usb_get_dev(udev);
	return sdev;
}

extern int stub_add_port(struct stub *sdev);
extern int stub_claim(struct stub *sdev);

int stub_probe_bad(struct usb_device *udev)
{
	struct stub *sdev;
	int rc;

	sdev = stub_alloc(udev); // want "usb_device reference from stub_alloc\(\) on udev is not released .*other paths release it"
	if (!sdev)
		return -ENOMEM;
	rc = stub_claim(sdev);
	if (rc)
		goto sdev_free;
	rc = stub_add_port(sdev);
	if (rc)
		goto err_port;
	return 0;
err_port:
	usb_put_dev(udev);
sdev_free:
	kfree(sdev);
	return rc;
}

int stub_probe_ok(struct usb_device *udev)
{
	struct stub *sdev;
	int rc;

	sdev = stub_alloc(udev);
	if (!sdev)
		return -ENOMEM;
	rc = stub_claim(sdev);
	if (rc)
		goto sdev_free;
	rc = stub_add_port(sdev);
	if (rc)
		goto sdev_free;
	return 0;
sdev_free:
	usb_put_dev(udev);
	kfree(sdev);
	return rc;
}
