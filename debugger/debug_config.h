/* SPDX-License-Identifier: MIT */
/*
 * What the debugger asks of an engine: the contract behind
 * accel_ops.debug_set.  The debugger owns the breakpoint tables and all
 * decisions; an engine only has to bring it to the right places:
 *
 *  - The interpreter (cpu/debug.c) calls before_insn before every
 *    instruction while enabled, routes every access to a page that
 *    page_watched names through its slow path and reports it with
 *    mem_access, and reports every interrupt and exception it delivers.
 *  - KVM cannot call back before every instruction at native speed.
 *    It single-steps (KVM_GUESTDBG_SINGLESTEP) while every_insn is set
 *    and calls before_insn before each step; otherwise it puts the first
 *    four hw_break addresses and hw_watch ranges in DR0-DR3 with
 *    KVM_GUESTDBG_USE_HW_BP: an instruction breakpoint's KVM_EXIT_DEBUG
 *    calls before_insn, a data breakpoint's calls watch_hit.  It tells
 *    the user what the hardware cannot do (the needs bits) through
 *    note; docs/debugger.md lists it.
 *
 * Both engines stop their run (returning STOP_BUDGET) as soon as
 * before_insn returns true, or after any exit when pending() is true (an
 * I/O port break fired inside a device access).
 */
#ifndef POPEK_DEBUGGER_DEBUG_CONFIG_H
#define POPEK_DEBUGGER_DEBUG_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

/* How many breakpoints and watch ranges the hardware (DR0-DR3) holds. */
#define DEBUG_HW_SLOTS 4

enum debug_access {
	DEBUG_ACC_EXEC = 0, /* DR7 R/W encoding 00b (SDM Vol. 3B §17.2.4) */
	DEBUG_ACC_WRITE = 1, /* 01b */
	DEBUG_ACC_IO = 2, /* 10b, unused here */
	DEBUG_ACC_RW = 3, /* 11b: reads and writes */
	DEBUG_ACC_READ = 4, /* reads only: software watchpoints */
};

struct debug_range {
	uint64_t addr, len; /* linear */
	enum debug_access acc;
	unsigned id; /* the debugger's watchpoint number */
};

/*
 * Why the debugger asks for every_insn or watching (debug_config.needs),
 * so an engine that cannot do it in hardware can say what it does
 * instead, or cannot do at all.
 */
enum debug_need {
	DEBUG_NEED_BREAK_MANY = 1u << 0, /* more breakpoints than DR0-DR3 */
	DEBUG_NEED_BREAK_PHYS = 1u << 1, /* at physical addresses */
	DEBUG_NEED_BREAK_COND = 1u << 2, /* with conditions */
	DEBUG_NEED_WATCH_PHYS = 1u << 3, /* watch ranges of physical memory */
	DEBUG_NEED_WATCH_READ = 1u << 4, /* reads only */
	DEBUG_NEED_WATCH_MANY = 1u << 5, /* more than hw_watch holds */
	DEBUG_NEED_CATCH_EXC = 1u << 6, /* catch exc */
	DEBUG_NEED_TRACE_MEM = 1u << 7, /* trace-mem */
	DEBUG_NEED_TRACE = 1u << 8, /* trace: interrupts are reported too */
};

struct debug_config {
	/* false: run at full speed, nothing below is looked at. */
	bool enabled;
	/*
	 * The debugger needs before_insn before every instruction
	 * (stepping, conditions, tracing, counts).  KVM single-steps.
	 */
	bool every_insn;
	/* Watched memory: accesses must reach mem_access (interpreter). */
	bool watching;
	/* What KVM can put in the debug registers. */
	unsigned hw_break_count;
	uint64_t hw_break[DEBUG_HW_SLOTS]; /* linear addresses */
	unsigned hw_watch_count;
	struct debug_range hw_watch[DEBUG_HW_SLOTS];
	unsigned needs; /* enum debug_need bits */

	void *opaque; /* passed to every callback */
	/*
	 * Before the instruction at linear address pc (CS.base + RIP):
	 * true stops the engine with RIP there, the instruction not run.
	 */
	bool (*before_insn)(void *opaque, uint64_t pc);
	/*
	 * Whether an access to this page must take the slow path (linear
	 * page and the physical page it maps to).
	 */
	bool (*page_watched)(void *opaque, uint64_t lin_page,
			     uint64_t phys_page);
	/* A data access (not an instruction fetch) on such a page. */
	void (*mem_access)(void *opaque, uint64_t lin, uint64_t phys,
			   unsigned size, bool write, uint64_t value);
	/*
	 * An interrupt or exception is being delivered: vector, and
	 * whether it is an exception (fault, trap, abort).
	 */
	void (*interrupt)(void *opaque, int vector, bool exception);
	/* Something outside the CPU asked to stop (an I/O port break). */
	bool (*pending)(void *opaque);
	/*
	 * KVM: debug register dr (a data breakpoint for hw_watch[watch])
	 * fired; the access is done and the guest is at linear pc, after
	 * the instruction that made it (SDM Vol. 3B §17.2.5: a trap).
	 */
	void (*watch_hit)(void *opaque, unsigned watch, unsigned dr,
			  uint64_t pc);
	/* One line for the user: what the engine cannot do, or does instead. */
	void (*note)(void *opaque, const char *text);
};

#endif
