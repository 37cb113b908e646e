/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_ERRNO_H
#define _LINUX_ERRNO_H

#include <asm-generic/errno-base.h>

#define ENOSYS		38	/* Invalid system call number */
#define EOPNOTSUPP	95	/* Operation not supported */
#define ETIMEDOUT	110	/* Connection timed out */

/* kernel-internal codes, never seen by user space */
#define ERESTARTSYS	512
#define EPROBE_DEFER	517	/* Driver requests probe retry */
#define ENOTSUPP	524	/* Operation is not supported */

#endif /* _LINUX_ERRNO_H */
