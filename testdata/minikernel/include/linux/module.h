/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _LINUX_MODULE_H
#define _LINUX_MODULE_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/stringify.h>
#include <linux/init.h>
#include <linux/export.h>

struct module;

#ifdef MODULE
extern struct module __this_module;
#define THIS_MODULE (&__this_module)
#else
#define THIS_MODULE ((struct module *)0)
#endif

/* built-in: module_init() is an ordinary device initcall */
#define module_init(x)	__initcall(x);
#define module_exit(x)	__exitcall(x);

/* .modinfo strings: "tag=value" */
#define __MODULE_INFO(tag, name, info)					  \
	static const char __UNIQUE_ID(name)[]				  \
		__used __section(".modinfo") __aligned(1)		  \
		= __stringify(tag) "=" info

#define MODULE_INFO(tag, info) __MODULE_INFO(tag, tag, info)
#define MODULE_LICENSE(_license) MODULE_INFO(license, _license)
#define MODULE_AUTHOR(_author) MODULE_INFO(author, _author)
#define MODULE_DESCRIPTION(_description) MODULE_INFO(description, _description)

#ifdef MODULE
#define MODULE_DEVICE_TABLE(type, name)					\
extern typeof(name) __mod_##type##__##name##_device_table		\
	__attribute__ ((unused, alias(__stringify(name))))
#else
/* a harmless declaration so the trailing ';' stays valid */
#define MODULE_DEVICE_TABLE(type, name)					\
extern typeof(name) name
#endif

#endif /* _LINUX_MODULE_H */
