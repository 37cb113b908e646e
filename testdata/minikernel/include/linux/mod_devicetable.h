/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LINUX_MOD_DEVICETABLE_H
#define LINUX_MOD_DEVICETABLE_H

#include <linux/types.h>

typedef unsigned long kernel_ulong_t;

struct usb_device_id {
	__u16		match_flags;
	__u16		idVendor;
	__u16		idProduct;
	__u8		bDeviceClass;
	__u8		bInterfaceClass;
	__u8		bInterfaceSubClass;
	__u8		bInterfaceProtocol;
	kernel_ulong_t	driver_info;
};

#define USB_DEVICE_ID_MATCH_VENDOR	0x0001
#define USB_DEVICE_ID_MATCH_PRODUCT	0x0002
#define USB_DEVICE_ID_MATCH_INT_CLASS	0x0080

struct of_device_id {
	char		name[32];
	char		type[32];
	char		compatible[128];
	const void	*data;
};

struct platform_device_id {
	char		name[20];
	kernel_ulong_t	driver_data;
};

#endif /* LINUX_MOD_DEVICETABLE_H */
