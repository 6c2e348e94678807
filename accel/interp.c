// SPDX-License-Identifier: MIT
/*
 * The interpreter engine: the accel_ops face of cpu/.  The CPU itself is
 * created with the board (machine_create), so this engine only checks it
 * is there, forwards runs and state, and translates stop reasons.
 */
#include <stdio.h>

#include "accel/accel.h"
#include "cpu/cpu.h"
#include "machine/machine.h"

static int interp_init(struct machine *m)
{
	if (!m->cpu) {
		fprintf(stderr, "popek: interp: the machine has no CPU\n");
		return -1;
	}
	return 0;
}

static enum stop_reason stop_reason_of(enum cpu_stop stop)
{
	switch (stop) {
	case CPU_STOP_BUDGET:
		return STOP_BUDGET;
	case CPU_STOP_HALT:
		return STOP_HALT;
	case CPU_STOP_SHUTDOWN:
		return STOP_SHUTDOWN;
	case CPU_STOP_EXIT:
	default:
		return STOP_EXIT;
	}
}

static enum stop_reason interp_run(struct machine *m, uint64_t cycle_limit)
{
	return stop_reason_of(cpu_run(m->cpu, cycle_limit));
}

static void interp_state_get(struct machine *m, struct cpu_state *s)
{
	cpu_state_get(m->cpu, s);
}

static void interp_state_set(struct machine *m, const struct cpu_state *s)
{
	cpu_state_set(m->cpu, s);
}

/* Another engine ran: its stores bypassed the decoded-code watch. */
static void interp_resume(struct machine *m)
{
	cpu_flush_caches(m->cpu);
}

static int interp_debug_set(struct machine *m, const struct debug_config *d)
{
	cpu_debug_set(m->cpu, d);
	return 0;
}

static uint64_t interp_instructions(const struct machine *m)
{
	return m->cpu ? cpu_instructions(m->cpu) : 0;
}

static enum stop_reason interp_step(struct machine *m)
{
	return stop_reason_of(cpu_step(m->cpu));
}

/* The interpreter's stores are seen through debug_config.mem_access. */
static int interp_dirty_log(struct machine *m, uint64_t *bitmap,
			    uint64_t pages)
{
	(void)m;
	(void)bitmap;
	(void)pages;
	return -1;
}

static void interp_destroy(struct machine *m)
{
	cpu_destroy(m->cpu);
	m->cpu = NULL;
}

const struct accel_ops accel_interp = {
	.name = "interp",
	.host_clock = false,
	.init = interp_init,
	.run = interp_run,
	.state_get = interp_state_get,
	.state_set = interp_state_set,
	.resume = interp_resume,
	.debug_set = interp_debug_set,
	.instructions = interp_instructions,
	.step = interp_step,
	.dirty_log = interp_dirty_log,
	.destroy = interp_destroy,
};
