// SPDX-License-Identifier: MIT
/*
 * Choosing and switching engines.  The machine starts on the
 * interpreter (machine_create builds its CPU); accel_start moves it to
 * the engine -engine names, and accel_switch moves a running machine
 * from one engine to another: the whole cpu_state goes across, RAM and
 * devices stay where they are (both engines use the same mapping), and
 * the new engine drops what it had derived from RAM before.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "accel/accel.h"
#include "accel/kvm.h"
#include "cpu/cpu.h"
#include "machine/machine.h"

static bool engine_is(const struct machine *m, const char *name)
{
	return m->opt.engine && strcmp(m->opt.engine, name) == 0;
}

static const struct accel_ops *other_engine(const struct accel_ops *a)
{
	return a == &accel_kvm ? &accel_interp : &accel_kvm;
}

int accel_switch(struct machine *m, const struct accel_ops *to)
{
	struct cpu_state s;

	if (to == m->accel)
		return 0;
	if (to->init(m) != 0)
		return -1;
	m->accel->state_get(m, &s);
	if (m->exit_kind != MACHINE_RUNNING)
		return -1;
	to->resume(m);
	to->state_set(m, &s);
	m->accel = to;
	return m->exit_kind == MACHINE_RUNNING ? 0 : -1;
}

int accel_start(struct machine *m)
{
	bool automatic = engine_is(m, "auto");
	const struct accel_ops *first =
		engine_is(m, "kvm") || automatic ? &accel_kvm : &accel_interp;
	char why[200];

	m->switch_at = m->opt.switch_at;
	/* KVM is needed to start on it or to switch to it later. */
	if ((first == &accel_kvm || m->switch_at) &&
	    kvm_start(m, why, sizeof(why)) != 0) {
		if (!automatic) {
			fprintf(stderr, "popek: -engine %s%s: KVM: %s\n",
				m->opt.engine ? m->opt.engine : "interp",
				m->switch_at ? " with -switch-at" : "", why);
			return -1;
		}
		fprintf(stderr,
			"popek: -engine auto: running on the interpreter: %s\n",
			why);
		first = &accel_interp;
		m->switch_at = 0;
	}
	if (accel_switch(m, first) != 0) {
		fprintf(stderr, "popek: -engine %s: %s\n", first->name,
			m->exit_message[0] ? m->exit_message :
					     "cannot take over the CPU state");
		return -1;
	}
	return 0;
}

void accel_cannot_run(struct machine *m, const char *why)
{
	if (engine_is(m, "auto") && m->accel != &accel_interp) {
		fprintf(stderr,
			"popek: -engine auto: %s cannot go on (%s); switching to the interpreter\n",
			m->accel->name, why);
		m->switch_at = 0;
		if (accel_switch(m, &accel_interp) == 0)
			return;
	}
	machine_request_exit(m, MACHINE_EXIT_ERROR, POPEK_EXIT_BAD_INPUT,
			     "%s cannot run this guest: %s", m->accel->name,
			     why);
}

void accel_after_slice(struct machine *m)
{
	if (!m->switch_at || m->exit_kind != MACHINE_RUNNING ||
	    accel_instructions(m) < m->switch_at)
		return;
	m->switch_at = 0;
	if (accel_switch(m, other_engine(m->accel)) != 0)
		machine_request_exit(m, MACHINE_EXIT_ERROR, POPEK_EXIT_ERROR,
				     "-switch-at: cannot move the machine");
}

uint64_t accel_instructions(const struct machine *m)
{
	return accel_interp.instructions(m) + accel_kvm.instructions(m);
}

uint64_t accel_insn_stop(const struct machine *m)
{
	uint64_t stop = m->opt.max_insns;

	if (m->switch_at && (!stop || m->switch_at < stop))
		stop = m->switch_at;
	return stop;
}

void accel_print_stats(const struct machine *m)
{
	kvm_print_stats(m);
}

void accel_destroy(struct machine *m)
{
	if (m->kvm)
		accel_kvm.destroy(m);
	if (m->cpu)
		accel_interp.destroy(m);
	m->accel = NULL;
}
