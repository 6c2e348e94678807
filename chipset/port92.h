/* SPDX-License-Identifier: MIT */
/*
 * Port 92h, "system control port A" (PIIX3 datasheet §4.7.x, PS/2
 * compatible): bit 1 the A20 gate, bit 0 a fast CPU reset.
 */
#ifndef POPEK_CHIPSET_PORT92_H
#define POPEK_CHIPSET_PORT92_H

#include <stdint.h>

struct machine;

#define PORT92 0x92

struct port92 {
	struct machine *m;
	uint8_t value; /* as last written */
};

struct port92 *port92_create(struct machine *m);
void port92_destroy(struct port92 *p);

#endif
