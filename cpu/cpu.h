/* SPDX-License-Identifier: MIT */
/* The interpretive CPU: what the rest of popek may call. */
#ifndef POPEK_CPU_CPU_H
#define POPEK_CPU_CPU_H

#include <stddef.h>
#include <stdint.h>

#include "cpu/state.h"

struct machine;
struct cpu;

enum cpu_stop {
	CPU_STOP_BUDGET, /* the cycle limit was reached */
	CPU_STOP_HALT, /* HLT: waiting for an interrupt */
	CPU_STOP_EXIT, /* the machine asked to stop (exit port, error) */
	CPU_STOP_SHUTDOWN, /* triple fault: the report is in the machine */
};

struct cpu *cpu_create(struct machine *m);
void cpu_destroy(struct cpu *c);

/* The power-on state (SDM Vol. 3A §9.1.1): F000:FFF0, real mode. */
void cpu_reset(struct cpu *c);

void cpu_state_get(struct cpu *c, struct cpu_state *s);
void cpu_state_set(struct cpu *c, const struct cpu_state *s);

/*
 * Execute until the machine's cycle counter reaches cycle_limit, the CPU
 * halts, or something stops the machine.  Interrupts are taken at
 * instruction boundaries.
 */
enum cpu_stop cpu_run(struct cpu *c, uint64_t cycle_limit);

/*
 * Execute exactly one instruction (or take one pending interrupt or
 * exception).  Returns the same reasons as cpu_run; CPU_STOP_BUDGET means
 * the step completed normally.
 */
enum cpu_stop cpu_step(struct cpu *c);

/*
 * CPUID as this CPU model answers it: EAX, EBX, ECX, EDX of leaf (EAX)
 * and subleaf (ECX).  The KVM engine gives the guest the same answers.
 */
void cpu_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t regs[4]);

/*
 * Attach the debugger's configuration (debugger/debug_config.h), or
 * detach it with NULL or a disabled one.  d must stay valid while
 * attached; call again after changing it.
 */
struct debug_config;
void cpu_debug_set(struct cpu *c, const struct debug_config *d);

/* Instructions retired since reset. */
uint64_t cpu_instructions(const struct cpu *c);

/* Drop every cached translation and decoded instruction. */
void cpu_flush_caches(struct cpu *c);

/*
 * The decoder on its own, for tests: the length of the instruction at
 * bytes in a code segment of default size bits (16 or 32), or -1 where the
 * bytes are not a valid instruction (#UD) or longer than n / 15 bytes.
 */
int cpu_decode_length(const uint8_t *bytes, size_t n, int bits);

/*
 * A segment register as real mode leaves it after a load of sel: base
 * sel << 4, limit 0xFFFF, present, read/write data (or, for CS, code)
 * and accessed.  For setting up states in tests and at reset.
 */
void segment_set_real(struct segment *s, uint16_t sel, int seg_index);

/*
 * The MSRs struct cpu_state keeps as plain fields: the field for index,
 * or NULL; and the list of every such index (for engines that move MSRs
 * in and out).
 */
uint64_t *cpu_state_msr(struct cpu_state *s, uint32_t index);
unsigned cpu_state_msr_list(uint32_t *out, unsigned max);

#endif
