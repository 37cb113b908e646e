#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Preprocess and syntax-check every unit of the kcheck miniature tree with
# the kbuild-style flags kcheck synthesizes. Run from the tree root.

set -e
cd "$(dirname "$0")/.."

FLAGS="-nostdinc -I./arch/x86/include -I./arch/x86/include/generated -I./include \
-I./arch/x86/include/uapi -I./arch/x86/include/generated/uapi -I./include/uapi \
-I./include/generated/uapi -include ./include/linux/kconfig.h \
-include ./include/linux/compiler_types.h -D__KERNEL__ -std=gnu11"

# unit  per-directory/per-unit extra flags (ccflags-y, CFLAGS_unit.o)
UNITS="
drivers/usb/minihub/minihub.c|
drivers/dma/minidma.c|-DMINIDMA_SELFTEST
drivers/platform/minipm.c|
drivers/misc/ministack.c|
drivers/mini/mini_core.c|-I./drivers/mini/include -DMINI_DEBUG=1
drivers/mini/mini_chan.c|-I./drivers/mini/include -DMINI_DEBUG=1
"

status=0
echo "$UNITS" | while IFS='|' read -r unit extra; do
	[ -n "$unit" ] || continue
	name=$(basename "$unit" .c)
	# shellcheck disable=SC2086
	if gcc -E $FLAGS "-DKBUILD_MODNAME=\"$name\"" "-DKBUILD_BASENAME=\"$name\"" \
		$extra "$unit" -o /dev/null &&
	   gcc -fsyntax-only -Wall $FLAGS "-DKBUILD_MODNAME=\"$name\"" \
		"-DKBUILD_BASENAME=\"$name\"" $extra "$unit"; then
		echo "OK   $unit"
	else
		echo "FAIL $unit"
		exit 1
	fi
done || status=1
exit $status
