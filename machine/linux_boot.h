/* SPDX-License-Identifier: MIT */
/* Direct Linux boot: -kernel bzImage, -initrd FILE, -append CMDLINE. */
#ifndef POPEK_MACHINE_LINUX_BOOT_H
#define POPEK_MACHINE_LINUX_BOOT_H

struct machine;

/*
 * Put the kernel, its zero page, command line and initrd in RAM.
 * Returns 0, or -1 after one line on stderr (not a bzImage, too big for
 * RAM, command line too long, initrd that does not fit).
 */
int linux_boot_load(struct machine *m);

/* Enter the kernel by the 32-bit boot protocol (after cpu_create). */
void linux_boot_enter(struct machine *m);

#endif
