/* SPDX-License-Identifier: MIT */
/*
 * Interrupt lines.  Devices drive numbered lines (ISA IRQ 0-15, then the
 * IOAPIC's pins up to 23); an interrupt controller attached to the machine
 * turns levels into vectors for whichever engine runs the CPU.
 */
#ifndef POPEK_MACHINE_IRQ_H
#define POPEK_MACHINE_IRQ_H

#include <stdbool.h>
#include <stdint.h>

struct machine;

#define IRQ_LINES 24

/* What the CPU side sees of the interrupt controller(s). */
struct intc_ops {
	/* A line changed level. */
	void (*line_changed)(void *ctl, unsigned line, bool level);
	/* Is a maskable interrupt waiting for the CPU? */
	bool (*pending)(void *ctl);
	/* The CPU takes it (INTA cycle): returns the vector. */
	uint8_t (*acknowledge)(void *ctl);
};

struct irq_state {
	bool level[IRQ_LINES];
	const struct intc_ops *intc; /* NULL: no controller, lines go nowhere */
	void *intc_ctl;
	bool nmi; /* NMI latched, not yet taken */
	bool nmi_masked; /* port 0x70 bit 7: the CPU takes no NMI while set */
	uint64_t raised[IRQ_LINES]; /* rising edges, for -stats */
};

void irq_attach_controller(struct machine *m, const struct intc_ops *ops,
			   void *ctl);
void irq_set(struct machine *m, unsigned line, bool level);
void irq_pulse(struct machine *m, unsigned line);
void nmi_raise(struct machine *m);

/* For engines: is an external interrupt pending, and take it. */
bool irq_intr_pending(struct machine *m);
uint8_t irq_intr_acknowledge(struct machine *m);

#endif
