/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _LINUX_EXPORT_H
#define _LINUX_EXPORT_H

/*
 * The real macro emits a __ksymtab entry; here it only redeclares the
 * symbol, which keeps the trailing semicolon a valid declaration.
 */
#define __EXPORT_SYMBOL(sym, license)	extern typeof(sym) sym

#define EXPORT_SYMBOL(sym)		__EXPORT_SYMBOL(sym, "")
#define EXPORT_SYMBOL_GPL(sym)		__EXPORT_SYMBOL(sym, "GPL")

#endif /* _LINUX_EXPORT_H */
