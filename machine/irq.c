// SPDX-License-Identifier: MIT
/*
 * Interrupt lines: devices drive levels, the attached controller (the
 * 8259A pair, later the IOAPIC) sees each change and answers the CPU's
 * questions.  Without a controller a line is only recorded.
 */
#include "machine/machine.h"

void irq_attach_controller(struct machine *m, const struct intc_ops *ops,
			   void *ctl)
{
	m->irq.intc = ops;
	m->irq.intc_ctl = ctl;
	/* Tell the controller about lines already raised before it came. */
	for (unsigned line = 0; line < IRQ_LINES; line++)
		if (m->irq.level[line] && ops && ops->line_changed)
			ops->line_changed(ctl, line, true);
}

void irq_set(struct machine *m, unsigned line, bool level)
{
	struct irq_state *irq = &m->irq;

	if (line >= IRQ_LINES || irq->level[line] == level)
		return;
	irq->level[line] = level;
	if (level)
		irq->raised[line]++;
	if (irq->intc && irq->intc->line_changed)
		irq->intc->line_changed(irq->intc_ctl, line, level);
}

/* An edge: high then low, for edge-triggered sources. */
void irq_pulse(struct machine *m, unsigned line)
{
	irq_set(m, line, true);
	irq_set(m, line, false);
}

void nmi_raise(struct machine *m)
{
	m->irq.nmi = true;
}

bool irq_intr_pending(struct machine *m)
{
	const struct irq_state *irq = &m->irq;

	return irq->intc && irq->intc->pending &&
	       irq->intc->pending(irq->intc_ctl);
}

/*
 * With no controller there is nothing to acknowledge; a CPU that asks
 * anyway gets vector 0xFF, what an idle ISA data bus would read.
 */
uint8_t irq_intr_acknowledge(struct machine *m)
{
	const struct irq_state *irq = &m->irq;

	if (!irq->intc || !irq->intc->acknowledge)
		return 0xff;
	return irq->intc->acknowledge(irq->intc_ctl);
}
