// SPDX-License-Identifier: MIT
/* The 0xE9 debug console (the Bochs "port e9 hack", QEMU's -debugcon). */
#include <stdlib.h>

#include "iodev/debugcon.h"

static uint32_t debugcon_read(void *dev, uint16_t port, unsigned size)
{
	(void)dev;
	(void)port;
	(void)size;
	/* Bochs and QEMU answer with the port number: "the port is here". */
	return DEBUGCON_PORT;
}

static void debugcon_write(void *dev, uint16_t port, unsigned size,
			   uint32_t value)
{
	struct debugcon *d = dev;

	(void)port;
	(void)size;
	/* Only the low byte goes out, whatever the access size. */
	chardev_write(&d->out, (uint8_t)value);
	d->bytes++;
}

struct debugcon *debugcon_create(struct machine *m,
				 const struct chardev_spec *spec)
{
	struct debugcon *d = calloc(1, sizeof(*d));

	if (!d) {
		fprintf(stderr, "popek: out of memory for the debug console\n");
		return NULL;
	}
	d->m = m;
	d->port = m->opt.debugcon_port ? m->opt.debugcon_port : DEBUGCON_PORT;
	if (chardev_open(&d->out, spec, false, "-debugcon") != 0) {
		free(d);
		return NULL;
	}
	if (io_register(m, d->port, 1, d, debugcon_read, debugcon_write,
			"debugcon") != 0) {
		chardev_close(&d->out);
		free(d);
		return NULL;
	}
	return d;
}

void debugcon_destroy(struct debugcon *d)
{
	if (!d)
		return;
	chardev_close(&d->out);
	free(d);
}
