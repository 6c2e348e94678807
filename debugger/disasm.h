/* SPDX-License-Identifier: MIT */
/* Disassembly for the debugger, by Zydis (Intel syntax). */
#ifndef POPEK_DEBUGGER_DISASM_H
#define POPEK_DEBUGGER_DISASM_H

#include <stddef.h>
#include <stdint.h>

/*
 * One instruction at bytes[0..n) decoded for code of bits (16, 32 or
 * 64), shown as if at address pc.  Returns its length and the text in
 * out, or 0 with "(bad)" where the bytes are not an instruction.
 */
unsigned disasm_one(int bits, uint64_t pc, const uint8_t *bytes, size_t n,
		    char *out, size_t outlen);

/* Whether the instruction is one `n` steps over: CALL, INT n, INTO,
 * INT3, LOOP/LOOPcc, REP string instructions. */
int disasm_is_step_over(int bits, const uint8_t *bytes, size_t n);

#endif
