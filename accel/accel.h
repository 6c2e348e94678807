/* SPDX-License-Identifier: MIT */
/*
 * The engine interface: what runs the CPU of the machine.  The
 * interpreter (accel/interp.c) and KVM (accel/kvm*.c) implement it, and
 * accel/accel.c starts them and moves a running machine between them.
 * Devices and the debugger never know which engine runs.
 */
#ifndef POPEK_ACCEL_ACCEL_H
#define POPEK_ACCEL_ACCEL_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/state.h"

struct machine;
struct debug_config;

enum stop_reason {
	STOP_BUDGET, /* ran up to the given cycle count */
	STOP_HALT, /* HLT: nothing to do until an interrupt */
	STOP_EXIT, /* the machine asked to stop */
	STOP_SHUTDOWN, /* triple fault */
};

struct accel_ops {
	const char *name; /* "interp", "kvm" */
	/*
	 * true: the virtual clock follows host time while this engine runs
	 * (the run loop then sleeps through HLT instead of skipping ahead,
	 * and instruction counts do not bound a slice); false: virtual
	 * time is the cycle count, one cycle or more per instruction.
	 */
	bool host_clock;
	/* Start the engine (again: a no-op); 0, or -1 after one line. */
	int (*init)(struct machine *m);
	/* Run until the machine's cycle counter reaches cycle_limit or
	 * something needs the machine. */
	enum stop_reason (*run)(struct machine *m, uint64_t cycle_limit);
	void (*state_get)(struct machine *m, struct cpu_state *s);
	void (*state_set)(struct machine *m, const struct cpu_state *s);
	/*
	 * The machine ran elsewhere (another engine, a snapshot, the
	 * debugger): drop whatever the engine derived from RAM.
	 */
	void (*resume)(struct machine *m);
	/*
	 * Attach the debugger's configuration (debugger/debug_config.h:
	 * what each engine must do), or detach it with NULL.  d stays
	 * valid while attached; the debugger calls again after each
	 * change.  0, or -1 when the engine cannot do what d asks (the
	 * debugger says so and goes on).  NULL: no debugging.
	 */
	int (*debug_set)(struct machine *m, const struct debug_config *d);
	/* Instructions this engine has counted (see docs/kvm.md). */
	uint64_t (*instructions)(const struct machine *m);
	/*
	 * Lockstep diffing (diff/): execute exactly one instruction, or
	 * deliver one pending interrupt or exception, and stop.  Virtual
	 * time is left to the caller.  STOP_BUDGET: the step completed.
	 */
	enum stop_reason (*step)(struct machine *m);
	/*
	 * Set in bitmap (one bit per 4 KiB page of guest-physical address
	 * space, pages bits) the RAM pages the guest wrote since the last
	 * call; the first call starts logging.  0, or -1 when this engine
	 * cannot log (the interpreter reports its writes through the
	 * debug_config mem_access hook instead).
	 */
	int (*dirty_log)(struct machine *m, uint64_t *bitmap, uint64_t pages);
	void (*destroy)(struct machine *m);
};

extern const struct accel_ops accel_interp;
extern const struct accel_ops accel_kvm;

/*
 * Start the engine the options name (-engine interp|kvm|auto) and the
 * one -switch-at moves to.  Returns 0, or -1 after one line saying why
 * (the caller exits with status 2); auto falls back to the interpreter
 * with one line instead.
 */
int accel_start(struct machine *m);

/* Move the running machine to another engine, state and all; 0 or -1. */
int accel_switch(struct machine *m, const struct accel_ops *to);

/*
 * The running engine cannot go on with this guest state: with -engine
 * auto, move to the interpreter with one line saying why; otherwise end
 * the run with status 2 and that line.
 */
void accel_cannot_run(struct machine *m, const char *why);

/* The run loop, after each slice: switch engines when -switch-at says. */
void accel_after_slice(struct machine *m);

/* Instructions retired on every engine so far (as far as counted). */
uint64_t accel_instructions(const struct machine *m);

/*
 * The instruction count at which the run loop wants control back
 * (-max-insns, -switch-at), or 0 for none.
 */
uint64_t accel_insn_stop(const struct machine *m);

/* -stats: the engines' own counters (KVM exits by reason, port, MMIO). */
void accel_print_stats(const struct machine *m);

/* Take down every engine the machine started. */
void accel_destroy(struct machine *m);

#endif
