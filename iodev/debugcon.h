/* SPDX-License-Identifier: MIT */
/*
 * The debug console at port 0xE9, as in Bochs and QEMU: every byte
 * written goes to the host; a read returns 0xE9, so a guest can tell the
 * port is there.  -debugcon-port moves it (QEMU: -device
 * isa-debugcon,iobase=N), e.g. to 0x402, where SeaBIOS writes its log.
 */
#ifndef POPEK_IODEV_DEBUGCON_H
#define POPEK_IODEV_DEBUGCON_H

#include "iodev/chardev.h"

#define DEBUGCON_PORT 0xe9

struct debugcon {
	struct machine *m;
	struct chardev out;
	uint16_t port; /* m->opt.debugcon_port, or DEBUGCON_PORT */
	uint64_t bytes; /* written by the guest */
};

/* Returns NULL after one line on stderr. */
struct debugcon *debugcon_create(struct machine *m,
				 const struct chardev_spec *spec);
void debugcon_destroy(struct debugcon *d);

#endif
