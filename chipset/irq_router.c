// SPDX-License-Identifier: MIT
/*
 * The interrupt router: the platform's struct intc_ops.  It fans the
 * machine's interrupt lines out to the 8259A pair and the I/O APIC, and
 * answers the CPU's "is an interrupt pending?" and INTA.
 *
 * Wiring (chipset.h): ISA IRQ n reaches PIC input n and I/O APIC pin n,
 * except IRQ0, which reaches pin 2 (the override every MADT and MP table
 * for this chipset describes).  PCI's PIRQA#-D# (lines 16-19) reach I/O
 * APIC pins 16-19 and, where the PIIX3 routes them, a PIC input, wire-ORed
 * with the ISA device there.  PCI interrupt lines are active low on the
 * board, so the I/O APIC sees pins 16-23 inverted and a guest programs
 * them active low, as the MP specification and ACPI describe them.  The
 * PIC's INTR output goes to the local APIC's LINT0 and to I/O APIC pin 0.
 *
 * The CPU: with the local APIC enabled (IA32_APIC_BASE bit 11 and the
 * software enable in the spurious-vector register) interrupts come from
 * it, and the PIC's INTR passes only through LINT0 programmed as ExtINT
 * (or an I/O APIC ExtINT entry): the virtual-wire mode of the MP
 * specification §3.6.2.2.  With the local APIC disabled the PIC's INTR
 * goes straight to the CPU, as on a processor without one.
 */
#include "chipset/apic.h"
#include "chipset/chipset.h"
#include "chipset/pci_bus.h"
#include "chipset/pic.h"
#include "chipset/piix3.h"
#include "machine/machine.h"

#define IOAPIC_PIN_PIC_INTR 0
#define IOAPIC_PIN_IRQ0 2

/* The PIC's input for ISA IRQ irq: the ISA line ORed with PIRQs there. */
static bool pic_input(const struct chipset *c, unsigned irq)
{
	bool level = c->m->irq.level[irq];

	for (unsigned p = 0; p < PIRQ_COUNT && !level; p++)
		if (piix3_pirq_irq(c->isa_bridge, p) == (int)irq)
			level = c->m->irq.level[PIRQ_LINE_BASE + p];
	return level;
}

static void router_line_changed(void *ctl, unsigned line, bool level)
{
	struct chipset *c = ctl;
	int irq;

	if (line < 16) {
		pic_set_irq(c->pic, line, pic_input(c, line));
		if (line == 0)
			ioapic_set_pin(c->ioapic, IOAPIC_PIN_IRQ0, level);
		else if (line != PIC_CASCADE_IRQ)
			ioapic_set_pin(c->ioapic, line, level);
		return;
	}
	/* PCI interrupts are active low on the wire. */
	ioapic_set_pin(c->ioapic, line, !level);
	if (line < PIRQ_LINE_BASE + PIRQ_COUNT) {
		irq = piix3_pirq_irq(c->isa_bridge, line - PIRQ_LINE_BASE);
		if (irq >= 0)
			pic_set_irq(c->pic, (unsigned)irq,
				    pic_input(c, (unsigned)irq));
	}
}

void chipset_pirq_routing_changed(struct machine *m)
{
	struct chipset *c = m->chipset;

	if (!c || !c->pic)
		return;
	for (unsigned irq = 0; irq < 16; irq++)
		if (irq != PIC_CASCADE_IRQ)
			pic_set_irq(c->pic, irq, pic_input(c, irq));
}

/* Does the PIC's INTR reach the CPU now? */
static bool pic_passes(const struct chipset *c)
{
	if (!pic_int_output(c->pic))
		return false;
	if (!lapic_enabled(c->lapic))
		return true;
	return lapic_lint0_extint(c->lapic) || ioapic_extint_active(c->ioapic);
}

static bool router_pending(void *ctl)
{
	struct chipset *c = ctl;

	if (pic_passes(c))
		return true;
	return lapic_pending_vector(c->lapic) >= 0;
}

static uint8_t router_acknowledge(void *ctl)
{
	struct chipset *c = ctl;

	if (!lapic_enabled(c->lapic) || pic_passes(c))
		return pic_acknowledge(c->pic);
	return lapic_acknowledge(c->lapic);
}

static const struct intc_ops router_ops = {
	.line_changed = router_line_changed,
	.pending = router_pending,
	.acknowledge = router_acknowledge,
};

static void pic_int_changed(void *opaque, bool level)
{
	struct chipset *c = opaque;

	lapic_set_lint(c->lapic, 0, level);
	ioapic_set_pin(c->ioapic, IOAPIC_PIN_PIC_INTR, level);
}

static void lapic_eoi_level(void *opaque, uint8_t vector)
{
	struct chipset *c = opaque;

	ioapic_eoi(c->ioapic, vector);
}

void irq_router_attach(struct chipset *c)
{
	c->pic->int_changed = pic_int_changed;
	c->pic->int_opaque = c;
	c->lapic->eoi_level = lapic_eoi_level;
	c->lapic->eoi_opaque = c;
	/* PCI lines idle high (deasserted) on the I/O APIC's pins. */
	for (unsigned pin = PIRQ_LINE_BASE; pin < IOAPIC_PINS; pin++)
		ioapic_set_pin(c->ioapic, pin, !c->m->irq.level[pin]);
	irq_attach_controller(c->m, &router_ops, c);
}
