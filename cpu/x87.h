/* SPDX-License-Identifier: MIT */
/*
 * The x87 FPU of the interpreter (SDM Vol. 1 ch. 8): the register stack
 * over struct fpu_state, the status and tag words, exceptions, and the
 * instruction handlers.  What the rest of the CPU calls is at the top.
 */
#ifndef POPEK_CPU_X87_H
#define POPEK_CPU_X87_H

#include "cpu/interp.h"
#include "cpu/x87_float.h"

/* --- the CPU's hooks ---------------------------------------------------- */

/* An escape opcode D8-DF (ops_system.c's op_fpu_escape). */
void x87_execute(struct cpu *c, const struct insn *i);
/* WAIT/FWAIT (9B). */
void x87_wait(struct cpu *c);
/* 0F AE /0 and /1. */
void x87_fxsave(struct cpu *c, const struct insn *i);
void x87_fxrstor(struct cpu *c, const struct insn *i);
/* The state FNINIT leaves, plus MXCSR's reset value (cpu_reset). */
void x87_reset(struct fpu_state *f);

/* The 512-byte FXSAVE image (SDM Vol. 1 §10.5.1, Table 10-2), nxmm XMM
 * registers; shared with the SSE and XSAVE work. */
void fxsave_image_store(const struct fpu_state *f, uint8_t img[512],
			int nxmm);
/* False when MXCSR has reserved bits set (#GP). */
bool fxsave_image_load(struct fpu_state *f, const uint8_t img[512],
		       int nxmm);

#define MXCSR_MASK 0x0000ffffu
#define MXCSR_RESET 0x1f80u

/* --- status and control words (SDM Vol. 1 §8.1.3, §8.1.5) --------------- */

#define FSW_C0 0x0100u
#define FSW_C1 0x0200u
#define FSW_C2 0x0400u
#define FSW_C3 0x4000u
#define FSW_CC (FSW_C0 | FSW_C1 | FSW_C2 | FSW_C3)
#define FSW_ES 0x0080u
#define FSW_B 0x8000u
#define FSW_TOP_SHIFT 11
#define FSW_TOP (7u << FSW_TOP_SHIFT)

#define FCW_RC_SHIFT 10
#define FCW_PC_SHIFT 8

static inline unsigned x87_top(const struct fpu_state *f)
{
	return (f->fsw >> FSW_TOP_SHIFT) & 7;
}

/* Physical register of ST(k). */
static inline unsigned x87_phys(const struct fpu_state *f, unsigned k)
{
	return (x87_top(f) + k) & 7;
}

static inline bool x87_valid(const struct fpu_state *f, unsigned k)
{
	return f->ftw & (1u << x87_phys(f, k));
}

/* The two-bit tag of physical register p (SDM Vol. 1 §8.1.7). */
unsigned x87_tag(const struct fpu_state *f, unsigned p);
uint16_t x87_full_tag_word(const struct fpu_state *f);

/* --- one instruction ---------------------------------------------------- */

struct x87_op {
	struct cpu *c;
	const struct insn *i;
	struct fpu_state *f;
	struct fx_env env;
	uint64_t ea; /* offset of the memory operand */
	uint16_t cc; /* new C0-C3 */
	uint16_t cc_mask; /* which of C0-C3 the instruction writes */
};

/* Stack: push and pop rotate st[] so that st[k] stays ST(k). */
void x87_push(struct fpu_state *f, fx80 v);
void x87_pop(struct fpu_state *f);
void x87_set_st(struct fpu_state *f, unsigned k, fx80 v);
/* A new TOP (FNINIT, FLDENV): st[] is rotated to follow it. */
void x87_set_top(struct fpu_state *f, unsigned top);
/* ES and B from the exception flags and masks. */
void x87_set_summary(struct fpu_state *f);

/* Stack faults (SDM Vol. 1 §8.5.1.1): IE and SF, C1 = 1 for overflow. */
void x87_stack_underflow(struct x87_op *x);
void x87_stack_overflow(struct x87_op *x);
/* Whether the raised flags let the instruction write its result. */
bool x87_may_write(const struct x87_op *x);

/* Memory operands: the whole range is checked once, then read or
 * written as 1/2/4-byte accesses. */
void x87_mem_read(struct x87_op *x, uint64_t off, void *buf, int len);
void x87_mem_write(struct x87_op *x, uint64_t off, const void *buf,
		   int len);

/* The handler table entry for an escape form (x87_ops.c). */
typedef void (*x87_fn)(struct x87_op *x);
struct x87_desc {
	x87_fn fn;
	uint8_t flags;
};

#define X87_NOWAIT 0x01 /* FNINIT, FNCLEX, FNSTSW ...: no #MF check */
#define X87_CONTROL 0x02 /* leaves FIP, FOP, FDP unchanged (§8.1.8) */
#define X87_CC 0x04 /* the handler writes C0, C2, C3 (documentation) */
#define X87_KEEP_C1 0x08 /* C1 only changes on a stack fault */

/* FCW as the FPU holds it: bit 6 reads as 1, bits 7 and 13-15 as 0. */
static inline uint16_t x87_fcw_value(uint32_t v)
{
	return (uint16_t)((v & 0x1f3f) | 0x0040);
}

const struct x87_desc *x87_decode(unsigned esc, const struct insn *i);

/* Environment (FLDENV/FSTENV, FSAVE/FRSTOR; x87.c). */
void x87_store_env(struct x87_op *x, uint8_t *buf, int *len);
void x87_load_env(struct x87_op *x, const uint8_t *buf, int *len);

#endif
