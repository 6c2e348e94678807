/* SPDX-License-Identifier: MIT */
/*
 * The test exit port, compatible with QEMU's isa-debug-exit at
 * iobase 0xF4, iosize 4: a write of v ends popek with exit status
 * (v << 1) | 1, so test guests written for QEMU run unchanged.
 */
#ifndef POPEK_IODEV_DEBUG_EXIT_H
#define POPEK_IODEV_DEBUG_EXIT_H

#include <stdint.h>

struct machine;

#define DEBUG_EXIT_PORT 0xf4
#define DEBUG_EXIT_SIZE 4

struct debug_exit {
	struct machine *m;
};

/* Returns NULL after one line on stderr. */
struct debug_exit *debug_exit_create(struct machine *m);
void debug_exit_destroy(struct debug_exit *d);

#endif
