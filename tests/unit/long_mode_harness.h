/* SPDX-License-Identifier: MIT */
/*
 * 64-bit mode on the bare CPU harness, for tests of instructions whose
 * encodings (REX) need it: the first 2 MiB identity-mapped by one 2 MiB
 * page, a GDT with a 64-bit code segment, and a 64-bit IDT whose gates
 * lead to the harness's HLT handlers (so harness_handler_vector() tells
 * which exception an instruction raised).  SSE is enabled: CR4.OSFXSR
 * and CR4.OSXMMEXCPT, CR0.MP and CR0.NE, MXCSR 1F80h.
 *
 * Guest memory used, beyond cpu_harness.h's: 0x10000-0x15FFF tables,
 * LM_BUF a free buffer.
 */
#ifndef POPEK_TESTS_UNIT_LONG_MODE_HARNESS_H
#define POPEK_TESTS_UNIT_LONG_MODE_HARNESS_H

#include "cpu_harness.h"

#define LM_PML4 0x10000u
#define LM_PDPT 0x11000u
#define LM_PD 0x12000u
#define LM_GDT 0x14000u
#define LM_IDT 0x15000u
#define LM_BUF 0x18000u

/* Write the tables and fill *s with the 64-bit state (RIP at
 * HARNESS_CODE, RSP at HARNESS_STACK_TOP). */
void lm_harness_init(struct harness *h, struct cpu_state *s);

/* harness_step(), then the vector the instruction raised, or -1 when it
 * completed (RIP right after it). */
int lm_step(struct harness *h, struct cpu_state *s, const uint8_t *code,
	    size_t len);

#endif
