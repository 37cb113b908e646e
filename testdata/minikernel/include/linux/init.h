/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_INIT_H
#define _LINUX_INIT_H

#include <linux/compiler.h>
#include <linux/types.h>

#define __init		__section(".init.text") __cold __latent_entropy
#define __initdata	__section(".init.data")
#define __exit		__section(".exit.text") __used __cold notrace

typedef int (*initcall_t)(void);
typedef void (*exitcall_t)(void);

/*
 * Built-in code: each initcall is a static function pointer placed in an
 * .initcallN.init section that do_initcalls() walks at boot.
 */
#define ___define_initcall(fn, id, __sec) \
	static initcall_t __initcall_##fn##id __used \
		__attribute__((__section__(#__sec ".init"))) = fn;
#define __define_initcall(fn, id) ___define_initcall(fn, id, .initcall##id)

#define core_initcall(fn)		__define_initcall(fn, 1)
#define subsys_initcall(fn)		__define_initcall(fn, 4)
#define device_initcall(fn)		__define_initcall(fn, 6)
#define late_initcall(fn)		__define_initcall(fn, 7)

#define __initcall(fn) device_initcall(fn)

#define __exitcall(fn)						\
	static exitcall_t __exitcall_##fn __used		\
		__section(".exitcall.exit") = fn;

#endif /* _LINUX_INIT_H */
