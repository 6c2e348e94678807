/* SPDX-License-Identifier: MIT */
/*
 * A bare board with the chipset on it, for the chipset's unit tests, and
 * a way to let virtual time pass the way the run loop does: up to each
 * timer deadline in turn, firing what expired.
 */
#ifndef POPEK_TESTS_CHIPSET_HARNESS_H
#define POPEK_TESTS_CHIPSET_HARNESS_H

#include "bare_machine.h"
#include "chipset/chipset.h"

static inline struct machine *chipset_machine_new(uint64_t ram_mib,
						  const char *boot_order)
{
	struct machine *m = bare_machine_new();

	if (!m)
		return NULL;
	m->ram_size = ram_mib << 20;
	m->opt.boot_order = boot_order;
	if (!chipset_create(m)) {
		free(m);
		return NULL;
	}
	return m;
}

static inline void chipset_machine_free(struct machine *m)
{
	chipset_destroy(m->chipset);
	free(m);
}

/* Let virtual time run to ns, firing timers at their deadlines. */
static inline void advance_to_ns(struct machine *m, uint64_t ns)
{
	while (clock_next_deadline(m) <= ns) {
		uint64_t at = clock_ns_to_cycles(m, clock_next_deadline(m));

		if (at > m->clock.cycles)
			m->clock.cycles = at;
		clock_run_expired(m);
	}
	if (clock_ns_to_cycles(m, ns) > m->clock.cycles)
		m->clock.cycles = clock_ns_to_cycles(m, ns);
	clock_run_expired(m);
}

static inline void advance_ns(struct machine *m, uint64_t ns)
{
	advance_to_ns(m, clock_now_ns(m) + ns);
}

#endif
