/* SPDX-License-Identifier: MIT */
/*
 * A PIIX3-compatible PCI-to-ISA bridge (Intel 82371SB, datasheet 290550)
 * at 01.0: vendor 8086, device 7000, with the PIRQ route control
 * registers 0x60-0x63 that steer PCI's PIRQA#-D# to ISA IRQs, and the
 * reset control register at port CF9h.  The IDE function (01.1) is a
 * separate device that registers itself through chipset/pci.h.
 */
#ifndef POPEK_CHIPSET_PIIX3_H
#define POPEK_CHIPSET_PIIX3_H

#include "chipset/pci.h"

#define PIIX3_VENDOR 0x8086
#define PIIX3_DEVICE 0x7000
#define PIIX3_SLOT 1
#define PIIX3_REG_PIRQ_ROUTE 0x60
#define PIIX3_PIRQ_DISABLED 0x80

struct piix3 {
	struct pci_function fn;
	uint8_t reset_control; /* port CF9h */
};

struct piix3 *piix3_create(struct machine *m);
void piix3_destroy(struct piix3 *p);

/* The ISA IRQ PIRQ n (0 = A) is steered to, or -1 when not routed. */
int piix3_pirq_irq(const struct piix3 *p, unsigned pirq);

#endif
