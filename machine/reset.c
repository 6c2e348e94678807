// SPDX-License-Identifier: MIT
/*
 * System reset requested by the guest.  A PC resets the processor and the
 * board when the 8042's output port bit 0 goes low (or its FEh pulse
 * command), port 0x92 bit 0 rises, or port CF9h bit 2 rises (PIIX3
 * datasheet, "Reset Control Register"); the BIOS then starts over from
 * the reset vector, with RAM as it was.
 *
 * A device asks from inside an I/O access, in the middle of an
 * instruction, so the reset itself waits: the request stops the engine at
 * its next boundary (MACHINE_EXIT_RESET), and the run loop calls
 * machine_reset between slices.  With -no-reboot the request ends the
 * run instead, as QEMU's -no-reboot does.
 */
#include <stdio.h>

#include "accel/accel.h"
#include "cpu/cpu.h"
#include "machine/machine.h"

void machine_request_reset(struct machine *m, const char *who)
{
	if (m->opt.no_reboot) {
		machine_request_exit(
			m, MACHINE_EXIT_RESET, POPEK_EXIT_OK,
			"the guest reset the machine (%s); -no-reboot: popek stops",
			who);
		return;
	}
	if (m->exit_kind != MACHINE_RUNNING)
		return; /* the run is ending anyway */
	machine_request_exit(m, MACHINE_EXIT_RESET, POPEK_EXIT_OK,
			     "the guest reset the machine (%s)", who);
	m->reset_pending = true;
}

int machine_add_reset(struct machine *m, machine_reset_fn fn, void *dev)
{
	if (m->nresets >= MACHINE_RESETS_MAX) {
		fprintf(stderr, "popek: too many devices with a reset (%u)\n",
			MACHINE_RESETS_MAX);
		return -1;
	}
	m->resets[m->nresets].fn = fn;
	m->resets[m->nresets].dev = dev;
	m->nresets++;
	return 0;
}

void machine_remove_reset(struct machine *m, void *dev)
{
	unsigned kept = 0;

	for (unsigned i = 0; i < m->nresets; i++)
		if (m->resets[i].dev != dev)
			m->resets[kept++] = m->resets[i];
	m->nresets = kept;
}

/*
 * The CPU's power-on state (SDM Vol. 3A §9.1.1, Table 9-1) comes from the
 * interpreter's cpu_reset; an engine other than the interpreter is handed
 * that state through state_set (the engine interface has no reset of its
 * own).
 */
static void reset_cpu(struct machine *m)
{
	struct cpu_state s;

	if (!m->cpu)
		return;
	cpu_reset(m->cpu);
	if (m->accel && m->accel != &accel_interp) {
		cpu_state_get(m->cpu, &s);
		m->accel->state_set(m, &s);
	}
}

void machine_reset(struct machine *m)
{
	m->reset_pending = false;
	m->reboots++;
	/* The board's own latches: A20 as popek powers on, no NMI. */
	m->irq.nmi = false;
	m->irq.nmi_masked = false;
	machine_set_a20(m, true);
	/*
	 * Peripherals before the chipset (the reverse of creation): they
	 * lower their interrupt lines first, then the interrupt controllers
	 * start clean with the lines as they are.
	 */
	for (unsigned i = m->nresets; i-- > 0;)
		m->resets[i].fn(m->resets[i].dev);
	reset_cpu(m);
	if (m->exit_kind == MACHINE_EXIT_RESET) {
		m->exit_kind = MACHINE_RUNNING;
		m->exit_status = POPEK_EXIT_OK;
		m->exit_message[0] = '\0';
	}
}
