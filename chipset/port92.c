// SPDX-License-Identifier: MIT
/*
 * Port 92h (PIIX3 datasheet, "Port 92 Register"; the PS/2 "system control
 * port A"): bit 1 opens the A20 gate, a 0-to-1 transition of bit 0 resets
 * the CPU.  The 8042's output port drives the same gate through
 * machine_set_a20; bit 1 reads back the gate as it is.
 */
#include <stdio.h>
#include <stdlib.h>

#include "chipset/chipset.h"
#include "chipset/port92.h"
#include "machine/machine.h"

#define PORT92_FAST_RESET 0x01
#define PORT92_A20 0x02

static uint32_t port92_read(void *dev, uint16_t port, unsigned size)
{
	struct port92 *p = dev;
	uint8_t v = p->value & (uint8_t)~PORT92_A20;

	(void)port;
	(void)size;
	if (p->m->a20)
		v |= PORT92_A20;
	return v;
}

static void port92_write(void *dev, uint16_t port, unsigned size,
			 uint32_t value)
{
	struct port92 *p = dev;
	uint8_t old = p->value;

	(void)port;
	(void)size;
	p->value = (uint8_t)value;
	machine_set_a20(p->m, value & PORT92_A20);
	if ((value & PORT92_FAST_RESET) && !(old & PORT92_FAST_RESET))
		machine_request_reset(p->m, "port 0x92");
}

/* Reset: fast reset clear, bit 1 following the gate (on after reset). */
static void port92_reset(void *dev)
{
	struct port92 *p = dev;

	p->value = p->m->a20 ? PORT92_A20 : 0;
}

struct port92 *port92_create(struct machine *m)
{
	struct port92 *p = calloc(1, sizeof(*p));

	if (!p) {
		fprintf(stderr, "popek: out of memory for port 0x92\n");
		return NULL;
	}
	p->m = m;
	p->value = m->a20 ? PORT92_A20 : 0;
	if (io_register(m, PORT92, 1, p, port92_read, port92_write, "port92") ||
	    machine_add_reset(m, port92_reset, p)) {
		free(p);
		return NULL;
	}
	return p;
}

void port92_destroy(struct port92 *p)
{
	if (p)
		machine_remove_reset(p->m, p);
	free(p);
}
