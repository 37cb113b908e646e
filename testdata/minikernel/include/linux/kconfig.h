/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __LINUX_KCONFIG_H
#define __LINUX_KCONFIG_H

#include <generated/autoconf.h>

/*
 * IS_ENABLED(CONFIG_FOO) evaluates to 1 when CONFIG_FOO is =y or =m.
 *
 * A set option is defined to 1, so pasting it onto __ARG_PLACEHOLDER_
 * yields "0," and shifts a 1 into the second argument position; an unset
 * option pastes to an unknown token and the 0 stays in second position.
 */
#define __ARG_PLACEHOLDER_1 0,
#define __take_second_arg(__ignored, val, ...) val

#define __is_defined(x)			___is_defined(x)
#define ___is_defined(val)		____is_defined(__ARG_PLACEHOLDER_##val)
#define ____is_defined(arg1_or_junk)	__take_second_arg(arg1_or_junk 1, 0)

#define __or(x, y)			___or(x, y)
#define ___or(x, y)			____or(__ARG_PLACEHOLDER_##x, y)
#define ____or(arg1_or_junk, y)		__take_second_arg(arg1_or_junk 1, y)

#define IS_BUILTIN(option)	__is_defined(option)
#define IS_MODULE(option)	__is_defined(option##_MODULE)
#define IS_ENABLED(option)	__or(IS_BUILTIN(option), IS_MODULE(option))

#ifdef MODULE
#define IS_REACHABLE(option)	IS_ENABLED(option)
#else
#define IS_REACHABLE(option)	IS_BUILTIN(option)
#endif

#endif /* __LINUX_KCONFIG_H */
