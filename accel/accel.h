/* SPDX-License-Identifier: MIT */
/*
 * The engine interface: what runs the CPU of the machine.  The interpreter
 * implements it now; the KVM engine will implement the same operations.
 * Devices and the debugger never know which engine runs.
 */
#ifndef POPEK_ACCEL_ACCEL_H
#define POPEK_ACCEL_ACCEL_H

#include <stdint.h>

#include "cpu/state.h"

struct machine;

enum stop_reason {
	STOP_BUDGET, /* ran up to the given cycle count */
	STOP_HALT, /* HLT: nothing to do until an interrupt */
	STOP_EXIT, /* the machine asked to stop */
	STOP_SHUTDOWN, /* triple fault */
};

struct accel_ops {
	const char *name; /* "interp", "kvm" */
	int (*init)(struct machine *m);
	/* Run until the machine's cycle counter reaches cycle_limit or
	 * something needs the machine. */
	enum stop_reason (*run)(struct machine *m, uint64_t cycle_limit);
	void (*state_get)(struct machine *m, struct cpu_state *s);
	void (*state_set)(struct machine *m, const struct cpu_state *s);
	void (*destroy)(struct machine *m);
};

extern const struct accel_ops accel_interp;

#endif
