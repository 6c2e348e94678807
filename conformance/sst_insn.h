/* SPDX-License-Identifier: MIT */
/*
 * Just enough 286 instruction decoding to tell how a test's instruction
 * is built: its prefixes, length, whether it may be locked on a modern
 * CPU and whether it may touch the stack segment.  Used to check that an
 * expected difference really is the listed one.
 */
#ifndef POPEK_CONFORMANCE_SST_INSN_H
#define POPEK_CONFORMANCE_SST_INSN_H

#include <stdbool.h>
#include <stdint.h>

#include "conformance/moo.h"

/* A 286 prefix (SDM Vol. 2A §2.1.1, less the 386's 64-67)? */
bool sst_insn_is_prefix(uint8_t b);

/* Bytes of prefixes before the opcode. */
uint32_t sst_insn_prefix_count(const struct moo_test *t);

/* The instruction's length: the test's bytes less the closing HLT. */
uint32_t sst_insn_length(const struct moo_test *t);

bool sst_insn_has_lock(const struct moo_test *t);

/*
 * May a modern CPU lock it?  Only ADD, ADC, AND, OR, SBB, SUB, XOR,
 * XCHG, INC, DEC, NOT, NEG (of the 286's instructions) with a memory
 * destination (SDM Vol. 2A, LOCK).
 */
bool sst_insn_lock_allowed(const struct moo_test *t);

/*
 * May it access memory through SS: a stack instruction, an SS override,
 * or a BP-based ModRM operand without an override?
 */
bool sst_insn_may_use_ss(const struct moo_test *t);

#endif
