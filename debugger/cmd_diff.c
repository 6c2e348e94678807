// SPDX-License-Identifier: MIT
/*
 * `diff on|off`: popek diff's lockstep check (docs/diff.md) under the
 * debugger.  `diff on` builds a twin of the machine on the other engine
 * (KVM for the interpreter, the interpreter for KVM) from the same
 * options, gives it the machine's RAM, CPU state and time, and pairs the
 * two with lockstep_init.  While it is on, `s [n]` and `c` advance both
 * machines one instruction at a time (lockstep_step) and compare them
 * after each (lockstep_compare); the first divergence stops the run with
 * popek diff's report.  `c` also stops at an enabled instruction
 * breakpoint (conditions are not evaluated) and when either machine
 * stops.  `diff off` drops the twin and gives the debugger its hooks
 * back.
 *
 * The twin's devices start from their reset state: device state is not
 * copied (the machine has no snapshot), so a guest that reads a device
 * it programmed before `diff on` may diverge there.  Turned on at the
 * first prompt, before the guest ran, both start alike.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "accel/accel.h"
#include "debugger/dbg.h"
#include "diff/diff.h"
#include "gui/display.h"
#include "machine/machine.h"

#define DIFF_FULL_EVERY 4096

struct dbg_diff {
	struct machine *twin;
	struct lockstep ls;
	struct diff_result r;
	uint64_t checked;
};

void dbg_diff_off(struct debugger *d)
{
	struct dbg_diff *x = d->diff;

	if (!x)
		return;
	lockstep_fini(&x->ls);
	machine_destroy(x->twin);
	free(x);
	d->diff = NULL;
}

static void diff_stop(struct debugger *d)
{
	dbg_diff_off(d);
	/* The machine's CPU hooks are the debugger's again. */
	d->cfg_engine = NULL;
	dbg_config_update(d);
}

static int diff_start(struct debugger *d)
{
	struct machine *m = d->m, *interp, *kvm;
	bool on_kvm = strcmp(m->accel->name, "kvm") == 0;
	struct machine_options o = m->opt;
	struct dbg_diff *x = calloc(1, sizeof(*x));
	struct cpu_state s;
	uint64_t size;

	if (!x)
		return -1;
	o.engine = on_kvm ? "interp" : "kvm";
	o.debugcon.kind = CHARDEV_NONE;
	o.serial.kind = CHARDEV_NONE;
	o.display = DISPLAY_NONE;
	x->twin = machine_create(&o);
	if (!x->twin) {
		free(x);
		return -1;
	}
	size = m->ram_size < x->twin->ram_size ? m->ram_size :
						 x->twin->ram_size;
	memcpy(x->twin->ram, m->ram, size);
	machine_ram_written(x->twin, 0, size);
	x->twin->clock.cycles = m->clock.cycles;
	m->accel->state_get(m, &s);
	x->twin->accel->state_set(x->twin, &s);
	/* The lockstep takes the CPU hooks; the debugger's are off. */
	if (m->accel->debug_set)
		m->accel->debug_set(m, NULL);
	interp = on_kvm ? x->twin : m;
	kvm = on_kvm ? m : x->twin;
	if (lockstep_init(&x->ls, interp, kvm)) {
		machine_destroy(x->twin);
		free(x);
		d->cfg_engine = NULL;
		dbg_config_update(d);
		return -1;
	}
	interp->accel->resume(interp);
	kvm->accel->resume(kvm);
	d->diff = x;
	return 0;
}

DBG_CMD(cmd_diff)
{
	(void)rest;
	if (argc < 2) {
		if (d->diff)
			dbg_printf(d, "diff: on, %" PRIu64
				   " instructions checked against the other engine\n",
				   d->diff->checked);
		else
			dbg_printf(d, "diff: off\n");
		return CMD_STAY;
	}
	if (argc > 2 || (strcmp(argv[1], "on") && strcmp(argv[1], "off"))) {
		dbg_error(d, "usage: diff on|off");
		return CMD_STAY;
	}
	if (strcmp(argv[1], "off") == 0) {
		if (d->diff)
			dbg_printf(d, "diff: off after %" PRIu64
				   " instructions checked\n", d->diff->checked);
		diff_stop(d);
		return CMD_STAY;
	}
	if (d->diff) {
		dbg_printf(d, "diff: already on\n");
		return CMD_STAY;
	}
	if (diff_start(d)) {
		dbg_error(d, "diff: cannot start a twin on the %s engine",
			  strcmp(d->m->accel->name, "kvm") == 0 ? "interp" :
								  "kvm");
		return CMD_STAY;
	}
	dbg_printf(d, "diff: on: each step is checked against a twin on the %s engine\n",
		   d->diff->twin->accel->name);
	return CMD_STAY;
}

/* An enabled instruction breakpoint at the machine's next instruction. */
static bool at_breakpoint(struct debugger *d)
{
	struct cpu_state s;
	uint64_t lin, phys = 0;
	unsigned cursor = 0;
	bool phys_ok;

	dbg_state(d, &s);
	lin = dbg_pc(&s);
	phys_ok = dbg_lin_to_phys(d, &s, lin, &phys);
	return bp_match(&d->bps, &cursor, s.seg[SEG_CS].sel, s.rip, lin, phys,
			phys_ok) != NULL;
}

enum cmd_result dbg_diff_run(struct debugger *d, uint64_t n, bool cont)
{
	struct dbg_diff *x = d->diff;

	for (uint64_t k = 0; k < n; k++) {
		struct diff_step_info *info;
		bool go_on = lockstep_step(&x->ls, &info);
		bool full = !go_on || x->ls.count % DIFF_FULL_EVERY == 0;

		x->checked++;
		if (lockstep_compare(&x->ls, info, full, &x->r)) {
			struct diff_report_ctx c = { &x->ls, &x->r,
						     "the debugger's machine" };

			diff_report_text(d->out, &c);
			dbg_printf(d, "diff: stopped at the first divergence\n");
			break;
		}
		if (!go_on) {
			dbg_printf(d, "diff: a machine stopped (%s)\n",
				   d->m->exit_message[0] ? d->m->exit_message :
							   "halted for good");
			break;
		}
		if (cont && at_breakpoint(d))
			break;
	}
	dbg_print_location(d, NULL);
	return CMD_STAY;
}
