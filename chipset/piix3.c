// SPDX-License-Identifier: MIT
/*
 * The ISA bridge function.  Section numbers refer to the 82371SB
 * datasheet (290550): §2.2.9 PIRQRC[A:D], the PIRQ route control
 * registers (bit 7 disables the routing, bits 3-0 name the IRQ; IRQ 0,
 * 1, 2, 8 and 13 are reserved), §2.2.x the reset control register at
 * port CF9h (bit 2: a 0-to-1 transition resets the system).
 */
#include <stdio.h>
#include <stdlib.h>

#include "chipset/chipset.h"
#include "chipset/pci_bus.h"
#include "chipset/piix3.h"
#include "machine/machine.h"

#define CLASS_ISA_BRIDGE 0x060100u
#define PIIX3_REVISION 0x00
#define PIRQ_ROUTE_WRITABLE 0x8f
#define RESET_CPU 0x04
#define HEADER_MULTI_FUNCTION 0x80

/* The IRQs a PIRQ may be steered to: 3-7, 9-12, 14, 15. */
static const uint16_t routable_irqs = 0xdef8;

int piix3_pirq_irq(const struct piix3 *p, unsigned pirq)
{
	uint8_t v;

	if (pirq >= PIRQ_COUNT)
		return -1;
	v = p->fn.config[PIIX3_REG_PIRQ_ROUTE + pirq];
	if ((v & PIIX3_PIRQ_DISABLED) || !(routable_irqs & (1u << (v & 15))))
		return -1;
	return v & 15;
}

static void config_written(struct pci_function *f, unsigned off, unsigned len)
{
	if (off < PIIX3_REG_PIRQ_ROUTE + PIRQ_COUNT &&
	    off + len > PIIX3_REG_PIRQ_ROUTE)
		chipset_pirq_routing_changed(f->m);
}

static void reset_control_write(void *opaque, uint8_t value)
{
	struct piix3 *p = opaque;
	uint8_t old = p->reset_control;

	p->reset_control = value & 0x06;
	if ((value & RESET_CPU) && !(old & RESET_CPU))
		machine_request_reset(p->fn.m, "port 0xcf9");
}

/* The reset control register powers on as 00h (its configuration
 * registers are the PCI bus's to restore). */
static void piix3_reset(void *dev)
{
	struct piix3 *p = dev;

	p->reset_control = 0;
}

struct piix3 *piix3_create(struct machine *m)
{
	struct piix3 *p = calloc(1, sizeof(*p));

	if (!p) {
		fprintf(stderr, "popek: out of memory for the ISA bridge\n");
		return NULL;
	}
	pci_function_init(&p->fn, PIIX3_VENDOR, PIIX3_DEVICE, CLASS_ISA_BRIDGE,
			  PIIX3_REVISION);
	p->fn.name = "piix3-isa";
	p->fn.opaque = p;
	p->fn.config_written = config_written;
	/* A multi-function device: IDE and USB follow at 01.1 and 01.2. */
	p->fn.config[0x0e] = HEADER_MULTI_FUNCTION;
	for (unsigned i = 0; i < PIRQ_COUNT; i++) {
		p->fn.config[PIIX3_REG_PIRQ_ROUTE + i] = PIIX3_PIRQ_DISABLED;
		p->fn.wmask[PIIX3_REG_PIRQ_ROUTE + i] = PIRQ_ROUTE_WRITABLE;
	}
	if (pci_register(m, &p->fn, PIIX3_SLOT, 0) != 0 ||
	    machine_add_reset(m, piix3_reset, p) != 0) {
		free(p);
		return NULL;
	}
	m->chipset->pci->reset_control_write = reset_control_write;
	m->chipset->pci->reset_control_opaque = p;
	return p;
}

void piix3_destroy(struct piix3 *p)
{
	if (p && p->fn.m)
		machine_remove_reset(p->fn.m, p);
	free(p);
}
