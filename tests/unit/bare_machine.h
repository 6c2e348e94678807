/* SPDX-License-Identifier: MIT */
/*
 * A board with nothing on it, for unit tests of the buses and devices:
 * no RAM, no CPU, no devices, a 100 MHz clock.  Tests add what they need.
 */
#ifndef POPEK_TESTS_BARE_MACHINE_H
#define POPEK_TESTS_BARE_MACHINE_H

#include <stdlib.h>

#include "machine/machine.h"

static inline struct machine *bare_machine_new(void)
{
	struct machine *m = calloc(1, sizeof(*m));

	if (m) {
		m->clock.cpu_hz = 100000000;
		m->a20 = true;
	}
	return m;
}

#endif
