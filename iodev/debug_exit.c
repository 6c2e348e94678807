// SPDX-License-Identifier: MIT
/* isa-debug-exit: a guest ends the run with a status of its choosing. */
#include <stdio.h>
#include <stdlib.h>

#include "iodev/debug_exit.h"
#include "machine/machine.h"

static void debug_exit_write(void *dev, uint16_t port, unsigned size,
			     uint32_t value)
{
	struct debug_exit *d = dev;

	(void)size;
	machine_request_exit(d->m, MACHINE_EXIT_DEBUG_PORT,
			     (int)((value << 1) | 1),
			     "guest wrote %#x to the exit port %#x", value,
			     port);
}

struct debug_exit *debug_exit_create(struct machine *m)
{
	struct debug_exit *d = calloc(1, sizeof(*d));

	if (!d) {
		fprintf(stderr, "popek: out of memory for the exit port\n");
		return NULL;
	}
	d->m = m;
	/* Reads are not decoded: they float to all ones. */
	if (io_register(m, DEBUG_EXIT_PORT, DEBUG_EXIT_SIZE, d, NULL,
			debug_exit_write, "isa-debug-exit") != 0) {
		free(d);
		return NULL;
	}
	return d;
}

void debug_exit_destroy(struct debug_exit *d)
{
	free(d);
}
