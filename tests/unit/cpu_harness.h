/* SPDX-License-Identifier: MIT */
/*
 * A bare machine for CPU unit tests: 1 MiB of RAM, no firmware, no image,
 * no character devices.  Tests place instruction bytes at a fixed address,
 * set the CPU state and execute one instruction at a time.
 *
 * Memory layout (physical = linear, everything flat):
 *   0x0000  real-mode IVT: vector v -> 0000:HARNESS_HANDLER(v)
 *   0x0800  GDT: null, flat 32-bit code (0x08), flat 32-bit data (0x10)
 *   0x0C00  IDT: 32 interrupt gates, vector v -> 0x08:HARNESS_HANDLER(v)
 *   0x1000  the instruction under test
 *   0x3000  one HLT per vector, 8 bytes apart
 *   0x8000  top of the stack
 */
#ifndef POPEK_TESTS_UNIT_CPU_HARNESS_H
#define POPEK_TESTS_UNIT_CPU_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "cpu/cpu.h"
#include "cpu/state.h"
#include "machine/machine.h"

#define HARNESS_GDT 0x0800u
#define HARNESS_IDT 0x0C00u
#define HARNESS_IDT_VECTORS 32u
#define HARNESS_CODE 0x1000u
#define HARNESS_HANDLERS 0x3000u
#define HARNESS_HANDLER(v) (HARNESS_HANDLERS + 8u * (unsigned)(v))
#define HARNESS_STACK_TOP 0x8000u

#define HARNESS_SEL_CODE 0x08u
#define HARNESS_SEL_DATA 0x10u

struct harness {
	struct machine *m;
};

/* Build the machine and the tables above; NULL (with a message) on error. */
struct harness *harness_create(void);
void harness_destroy(struct harness *h);

/*
 * Flat 32-bit protected mode at CPL 0: CR0.PE, CS = 0x08 (execute/read,
 * D=1, G=1, base 0, limit 4 GiB), other segments 0x10 (read/write), the
 * harness GDT and IDT, EIP = HARNESS_CODE, ESP = HARNESS_STACK_TOP,
 * EFLAGS = 0x2.  Starts from the CPU's current state, so fields the
 * harness does not know about keep their reset values.
 */
void harness_state_pm32(struct harness *h, struct cpu_state *s);

/* Real mode, every segment 0, IVT at 0, IP = HARNESS_CODE, SP = stack top. */
void harness_state_real(struct harness *h, struct cpu_state *s);

/* Copy bytes into guest RAM, telling the machine that code may change. */
void harness_write(struct harness *h, uint32_t addr, const void *buf,
		   size_t len);
void harness_read(struct harness *h, uint32_t addr, void *buf, size_t len);

/*
 * Place code at HARNESS_CODE (followed by HLTs), load *s, execute one
 * instruction with cpu_step() and store the resulting state back in *s.
 * s->rip should already be HARNESS_CODE.  Returns cpu_step()'s answer.
 */
enum cpu_stop harness_step(struct harness *h, const uint8_t *code, size_t len,
			   struct cpu_state *s);

/*
 * The vector whose handler starts at addr, or -1 when addr is not the
 * start of a handler.
 */
int harness_handler_vector(uint64_t addr);

#endif
