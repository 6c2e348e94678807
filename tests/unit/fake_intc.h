/* SPDX-License-Identifier: MIT */
/*
 * A fake interrupt controller for device tests: it remembers each line's
 * level and counts rising edges, so a test can assert what a device did
 * with its IRQ line.
 */
#ifndef POPEK_TESTS_FAKE_INTC_H
#define POPEK_TESTS_FAKE_INTC_H

#include <stdbool.h>

#include "machine/machine.h"

struct fake_intc {
	bool level[IRQ_LINES];
	unsigned edges[IRQ_LINES];
};

static inline void fake_intc_line_changed(void *ctl, unsigned line, bool level)
{
	struct fake_intc *f = ctl;

	if (level && !f->level[line])
		f->edges[line]++;
	f->level[line] = level;
}

static inline bool fake_intc_pending(void *ctl)
{
	(void)ctl;
	return false;
}

static inline uint8_t fake_intc_acknowledge(void *ctl)
{
	(void)ctl;
	return 0;
}

static const struct intc_ops fake_intc_ops = {
	.line_changed = fake_intc_line_changed,
	.pending = fake_intc_pending,
	.acknowledge = fake_intc_acknowledge,
};

#endif
