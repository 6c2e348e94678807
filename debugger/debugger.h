/* SPDX-License-Identifier: MIT */
/*
 * popek's debugger: a Bochs-style command line (`popek debug`,
 * `-debugger`) and a gdb remote stub (`-s`, `-gdb tcp::PORT`), on any
 * engine.  The machine's run loop calls debugger_poll between slices;
 * the debugger stops engines through accel_ops.debug_set.
 */
#ifndef POPEK_DEBUGGER_DEBUGGER_H
#define POPEK_DEBUGGER_DEBUGGER_H

#include <stdbool.h>
#include <stdio.h>

struct machine;
struct debugger;

/* What the command line asked of the debugger. */
struct debugger_options {
	bool command_line; /* the prompt at stops */
	bool stop_at_start; /* popek debug, -debugger: before the first insn */
	const char *rc; /* -rc FILE: commands run at the first stop */
	int gdb_port; /* -s, -gdb tcp::PORT; 0: no stub */
	bool gdb_wait; /* -S: stopped at reset until gdb continues */
	bool magic_break; /* -magic-break: XCHG BX,BX stops */
};

/*
 * Attach a debugger to m (m->debugger).  Returns NULL after one line
 * on stderr (rc file missing, port in use).
 */
struct debugger *debugger_create(struct machine *m,
				 const struct debugger_options *o);
void debugger_destroy(struct debugger *d);

/*
 * The run loop, before each slice: when a stop is pending (a
 * breakpoint, a step, Ctrl-C), talk to the user or gdb until they
 * resume.  Returns when the machine should run on (or quit).
 */
void debugger_poll(struct debugger *d);

/*
 * The run loop, when the run has ended: under the prompt, a triple
 * fault or an end with a stop pending shows the prompt once more.
 */
void debugger_run_over(struct debugger *d);

/* A device's own state for `info device NAME`. */
typedef void (*dbg_device_dump_fn)(void *dev, FILE *out);
int debugger_register_device(struct debugger *d, const char *name,
			     const char *summary, dbg_device_dump_fn dump,
			     void *dev);

#endif
