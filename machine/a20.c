// SPDX-License-Identifier: MIT
/*
 * The A20 gate.  With it off the CPU forces bit 20 of every physical
 * address it issues to 0, as the 8086 wrapped at 1 MiB; devices doing DMA
 * are not affected (the gate sits on the CPU's A20M# input, SDM Vol. 3A
 * §8.7.13.4 and §22.33.2).  The interpreter applies the mask in its own
 * address translation, so every cached translation must go.
 */
#include "cpu/cpu.h"
#include "machine/machine.h"

void machine_set_a20(struct machine *m, bool enabled)
{
	if (m->a20 == enabled)
		return;
	m->a20 = enabled;
	if (m->cpu)
		cpu_flush_caches(m->cpu);
}
