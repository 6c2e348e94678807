/* SPDX-License-Identifier: MIT */
/*
 * The motherboard chipset as one piece: the PIC pair, the PIT, the RTC,
 * port 92h, the PCI bus with its i440FX-compatible host bridge and
 * PIIX3-compatible ISA bridge, the local APIC and the I/O APIC, and the
 * interrupt router that ties them to the machine's interrupt lines and
 * to the CPU.
 *
 * Interrupt lines (machine/irq.h): 0-15 are the ISA IRQs, each going to
 * the PIC and to the I/O APIC (IRQ0 on pin 2, the others on their own
 * number, IRQ2 being the cascade); lines 16-19 are PCI's PIRQA#-D#, going
 * to I/O APIC pins 16-19 and, through the PIIX3's PIRQ route control
 * registers, to an ISA IRQ of the PIC.  I/O APIC pin 0 is the PIC's INTR
 * output (virtual wire through the I/O APIC).
 */
#ifndef POPEK_CHIPSET_CHIPSET_H
#define POPEK_CHIPSET_CHIPSET_H

#include <stdbool.h>
#include <stdint.h>

struct machine;
struct pic;
struct pit;
struct rtc;
struct pci_bus;
struct i440fx;
struct piix3;
struct lapic;
struct ioapic;
struct port92;

#define PIRQ_LINE_BASE 16 /* machine interrupt line of PIRQA# */
#define PIRQ_COUNT 4

struct chipset {
	struct machine *m;
	struct pic *pic;
	struct pit *pit;
	struct rtc *rtc;
	struct port92 *port92;
	struct pci_bus *pci;
	struct i440fx *host_bridge;
	struct piix3 *isa_bridge;
	struct lapic *lapic;
	struct ioapic *ioapic;
};

/*
 * Build every chip, register its ports and MMIO, and attach the
 * interrupt router to the machine.  Returns NULL after one line on
 * stderr.
 */
struct chipset *chipset_create(struct machine *m);
void chipset_destroy(struct chipset *c);

/* The PIIX3's PIRQ routing changed: recompute the PIC's inputs. */
void chipset_pirq_routing_changed(struct machine *m);

/* The router (irq_router.c), attached by chipset_create. */
void irq_router_attach(struct chipset *c);

#endif
