// SPDX-License-Identifier: MIT
/*
 * MMX and SSE faults and state, case by case, in 64-bit mode on the bare
 * CPU harness: #UD without CR4.OSFXSR or with CR0.EM, #NM with CR0.TS,
 * #MF for a pending x87 exception before MMX, #GP(0) for misaligned
 * 16-byte operands, #XM / #UD for unmasked SIMD exceptions with the
 * destination kept, LDMXCSR's reserved bits, MMX aliasing of the x87
 * registers and EMMS, CPUID's feature bits.  The results of the
 * instructions are checked against the host in test_sse_native.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "long_mode_harness.h"

struct ctx {
	struct harness *h;
	struct cpu_state base;
};

static int setup(void **state)
{
	struct ctx *x = calloc(1, sizeof(*x));

	if (!x)
		return -1;
	x->h = harness_create();
	if (!x->h) {
		free(x);
		return -1;
	}
	lm_harness_init(x->h, &x->base);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *x = *state;

	harness_destroy(x->h);
	free(x);
	return 0;
}

/* Run code from state s (updated); the vector it raised, or -1. */
static int step(struct ctx *x, struct cpu_state *s, const uint8_t *code,
		size_t len)
{
	return lm_step(x->h, s, code, len);
}

/* The 64-bit state with SSE enabled; RBX points at a free buffer. */
static struct cpu_state fresh(struct ctx *x)
{
	struct cpu_state s = x->base;

	s.gpr[R_BX] = LM_BUF;
	return s;
}

static const uint8_t addps_x0_x1[] = { 0x0f, 0x58, 0xc1 };
static const uint8_t paddb_mm0_mm1[] = { 0x0f, 0xfc, 0xc1 };

/* SDM Vol. 3A §13.1.3: without CR4.OSFXSR SSE instructions are #UD;
 * MMX instructions do not look at it. */
static void test_ud_without_osfxsr(void **state)
{
	struct ctx *x = *state;
	struct cpu_state s = fresh(x);

	s.cr4 &= ~(uint64_t)CR4_OSFXSR;
	assert_int_equal(step(x, &s, addps_x0_x1, 3), EXC_UD);
	s = fresh(x);
	s.cr4 &= ~(uint64_t)CR4_OSFXSR;
	s.fpu.st[0].mantissa = 0x0102030405060708ull;
	s.fpu.st[1].mantissa = 0x1010101010101010ull;
	assert_int_equal(step(x, &s, paddb_mm0_mm1, 3), -1);
	assert_int_equal(s.fpu.st[0].mantissa, 0x1112131415161718ull);
}

/* CR0.TS: #NM for SSE and MMX; CR0.EM: #UD for both (SDM Vol. 3A §2.5,
 * Table 2-2). */
static void test_ts_em(void **state)
{
	struct ctx *x = *state;
	static const uint8_t movd[] = { 0x66, 0x0f, 0x6e, 0xc0 };
	struct cpu_state s = fresh(x);

	s.cr0 |= CR0_TS;
	assert_int_equal(step(x, &s, addps_x0_x1, 3), EXC_NM);
	s = fresh(x);
	s.cr0 |= CR0_TS;
	assert_int_equal(step(x, &s, paddb_mm0_mm1, 3), EXC_NM);
	s = fresh(x);
	s.cr0 |= CR0_TS;
	assert_int_equal(step(x, &s, movd, 4), EXC_NM);
	s = fresh(x);
	s.cr0 |= CR0_EM;
	assert_int_equal(step(x, &s, addps_x0_x1, 3), EXC_UD);
	s = fresh(x);
	s.cr0 |= CR0_EM;
	assert_int_equal(step(x, &s, paddb_mm0_mm1, 3), EXC_UD);
	/* A pending x87 exception is #MF for MMX, not for SSE. */
	s = fresh(x);
	s.fpu.fsw = 0x0081;
	assert_int_equal(step(x, &s, paddb_mm0_mm1, 3), EXC_MF);
	s = fresh(x);
	s.fpu.fsw = 0x0081;
	assert_int_equal(step(x, &s, addps_x0_x1, 3), -1);
}

/* 16-byte legacy SSE memory operands must be aligned: #GP(0); the
 * unaligned forms, scalar forms and the string compares are not (SDM
 * Vol. 1 §10.4.1.1, §12.10.3). */
static void test_alignment(void **state)
{
	struct ctx *x = *state;
	static const struct {
		uint8_t code[8];
		uint8_t len;
		int vector;
	} c[] = {
		{ { 0x0f, 0x28, 0x43, 0x08 }, 4, EXC_GP }, /* movaps */
		{ { 0x66, 0x0f, 0x6f, 0x43, 0x04 }, 5, EXC_GP }, /* movdqa */
		{ { 0x0f, 0x58, 0x43, 0x08 }, 4, EXC_GP }, /* addps */
		{ { 0x66, 0x0f, 0xfc, 0x43, 0x01 }, 5, EXC_GP }, /* paddb */
		{ { 0x0f, 0x29, 0x43, 0x02 }, 4, EXC_GP }, /* movaps st */
		{ { 0x0f, 0x10, 0x43, 0x08 }, 4, -1 }, /* movups */
		{ { 0xf3, 0x0f, 0x6f, 0x43, 0x03 }, 5, -1 }, /* movdqu */
		{ { 0xf3, 0x0f, 0x58, 0x43, 0x01 }, 5, -1 }, /* addss */
		{ { 0x66, 0x0f, 0x3a, 0x63, 0x43, 0x01, 0x00 }, 7, -1 },
		{ { 0xf2, 0x0f, 0xf0, 0x43, 0x05 }, 5, -1 }, /* lddqu */
		{ { 0x0f, 0xfc, 0x43, 0x01 }, 4, -1 }, /* paddb mm */
	};

	for (size_t k = 0; k < sizeof(c) / sizeof(c[0]); k++) {
		struct cpu_state s = fresh(x);
		int v = step(x, &s, c[k].code, c[k].len);

		if (v != c[k].vector)
			print_message("case %zu: vector %d, want %d\n", k, v,
				      c[k].vector);
		assert_int_equal(v, c[k].vector);
		if (v == EXC_GP) {
			uint8_t err[8];

			harness_read(x->h, (uint32_t)s.gpr[R_SP], err, 8);
			assert_int_equal(err[0], 0);
		}
	}
}

/* Unmasked SIMD exceptions (SDM Vol. 1 §11.5.1): the flag is set, the
 * destination keeps its value, and the fault is #XM with
 * CR4.OSXMMEXCPT, #UD without. */
static void test_unmasked(void **state)
{
	struct ctx *x = *state;
	static const uint8_t divss[] = { 0xf3, 0x0f, 0x5e, 0xc1 };
	static const uint8_t addss[] = { 0xf3, 0x0f, 0x58, 0xc1 };
	static const uint8_t subss[] = { 0xf3, 0x0f, 0x5c, 0xc1 };
	struct cpu_state s = fresh(x);

	/* Invalid: an SNaN operand, IM clear. */
	s.fpu.xmm[0][0] = 0x3f8000003f800000ull;
	s.fpu.xmm[1][0] = 0x7f8000013f800000ull;
	s.fpu.mxcsr = 0x1f80 & ~0x80u;
	assert_int_equal(step(x, &s, addps_x0_x1, 3), EXC_XM);
	assert_int_equal(s.fpu.xmm[0][0], 0x3f8000003f800000ull);
	assert_int_equal(s.fpu.mxcsr & 0x3f, 0x01);
	s = fresh(x);
	s.cr4 &= ~(uint64_t)CR4_OSXMMEXCPT;
	s.fpu.xmm[1][0] = 0x7f800001;
	s.fpu.mxcsr = 0x1f80 & ~0x80u;
	assert_int_equal(step(x, &s, addps_x0_x1, 3), EXC_UD);
	/* Masked: the default NaN and the flag, no fault. */
	s = fresh(x);
	s.fpu.xmm[0][0] = 0;
	s.fpu.xmm[1][0] = 0;
	assert_int_equal(step(x, &s, divss, 4), -1);
	assert_int_equal(s.fpu.xmm[0][0] & 0xffffffff, 0xffc00000);
	assert_int_equal(s.fpu.mxcsr, 0x1f81);
	/* Divide by zero unmasked. */
	s = fresh(x);
	s.fpu.xmm[0][0] = 0x3f800000;
	s.fpu.xmm[1][0] = 0;
	s.fpu.mxcsr = 0x1f80 & ~0x200u;
	assert_int_equal(step(x, &s, divss, 4), EXC_XM);
	assert_int_equal(s.fpu.xmm[0][0], 0x3f800000);
	assert_int_equal(s.fpu.mxcsr & 0x3f, 0x04);
	/* Precision unmasked: 1 + 2^-30. */
	s = fresh(x);
	s.fpu.xmm[0][0] = 0x3f800000;
	s.fpu.xmm[1][0] = 0x30800000;
	s.fpu.mxcsr = 0x1f80 & ~0x1000u;
	assert_int_equal(step(x, &s, addss, 4), EXC_XM);
	assert_int_equal(s.fpu.xmm[0][0], 0x3f800000);
	assert_int_equal(s.fpu.mxcsr & 0x3f, 0x20);
	/* Underflow unmasked is any tiny result, even an exact one. */
	s = fresh(x);
	s.fpu.xmm[0][0] = 2;
	s.fpu.xmm[1][0] = 1;
	s.fpu.mxcsr = 0x1f80 & ~0x800u;
	assert_int_equal(step(x, &s, subss, 4), EXC_XM);
	assert_int_equal(s.fpu.xmm[0][0], 2);
	assert_int_equal(s.fpu.mxcsr & 0x3f, 0x12); /* DE (masked) + UE */
	/* ... and masked, the exact denormal raises nothing but DE. */
	s = fresh(x);
	s.fpu.xmm[0][0] = 2;
	s.fpu.xmm[1][0] = 1;
	assert_int_equal(step(x, &s, subss, 4), -1);
	assert_int_equal(s.fpu.xmm[0][0], 1);
	assert_int_equal(s.fpu.mxcsr, 0x1f82);
}

/* LDMXCSR: #GP(0) for reserved bits (SDM Vol. 2 "LDMXCSR"). */
static void test_ldmxcsr(void **state)
{
	struct ctx *x = *state;
	static const uint8_t ld[] = { 0x0f, 0xae, 0x13 }; /* ldmxcsr [rbx] */
	static const uint8_t st[] = { 0x0f, 0xae, 0x5b, 0x04 };
	uint32_t v = 0x10000;
	uint8_t b[4];
	struct cpu_state s = fresh(x);

	harness_write(x->h, LM_BUF, &v, 4);
	assert_int_equal(step(x, &s, ld, 3), EXC_GP);
	assert_int_equal(s.fpu.mxcsr, 0x1f80);
	v = 0xffff;
	harness_write(x->h, LM_BUF, &v, 4);
	s = fresh(x);
	assert_int_equal(step(x, &s, ld, 3), -1);
	assert_int_equal(s.fpu.mxcsr, 0xffff);
	s.rip = HARNESS_CODE;
	assert_int_equal(step(x, &s, st, 4), -1);
	harness_read(x->h, LM_BUF + 4, b, 4);
	assert_int_equal(b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24,
			 0xffff);
}

/* MMX registers alias the x87 registers (SDM Vol. 1 §9.5): MMi is
 * physical register i whatever TOP is; an MMX instruction sets TOP to 0
 * and every tag valid, a write sets the exponent bits; EMMS empties the
 * tags. */
static void test_mmx_alias(void **state)
{
	struct ctx *x = *state;
	static const uint8_t paddb_mm1_mm2[] = { 0x0f, 0xfc, 0xca };
	static const uint8_t emms[] = { 0x0f, 0x77 };
	struct cpu_state s = fresh(x);

	s.fpu.fsw = 3 << 11; /* TOP = 3: R1 is ST(6), R2 is ST(7) */
	s.fpu.ftw = 0x01;
	s.fpu.st[6].mantissa = 0x0101010101010101ull;
	s.fpu.st[7].mantissa = 0x0202020202020202ull;
	s.fpu.st[0].sign_exp = 0x1234;
	assert_int_equal(step(x, &s, paddb_mm1_mm2, 3), -1);
	assert_int_equal((s.fpu.fsw >> 11) & 7, 0);
	assert_int_equal(s.fpu.ftw, 0xff);
	assert_int_equal(s.fpu.st[1].mantissa, 0x0303030303030303ull);
	assert_int_equal(s.fpu.st[1].sign_exp, 0xffff);
	assert_int_equal(s.fpu.st[2].mantissa, 0x0202020202020202ull);
	assert_int_equal(s.fpu.st[3].sign_exp, 0x1234); /* old ST(0) = R3 */
	s.rip = HARNESS_CODE;
	assert_int_equal(step(x, &s, emms, 2), -1);
	assert_int_equal(s.fpu.ftw, 0);
}

/* CPUID reports what is implemented (SDM Vol. 2 Table 3-10, 3-11). */
static void test_cpuid(void **state)
{
	struct ctx *x = *state;
	static const uint8_t cpuid[] = { 0x0f, 0xa2 };
	struct cpu_state s = fresh(x);

	s.gpr[R_AX] = 1;
	assert_int_equal(step(x, &s, cpuid, 2), -1);
	assert_int_equal(s.gpr[R_DX] & 0x07800000u, 0x07800000u);
	assert_int_equal(s.gpr[R_CX] & 0x00980201u, 0x00980201u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ud_without_osfxsr),
		cmocka_unit_test(test_ts_em),
		cmocka_unit_test(test_alignment),
		cmocka_unit_test(test_unmasked),
		cmocka_unit_test(test_ldmxcsr),
		cmocka_unit_test(test_mmx_alias),
		cmocka_unit_test(test_cpuid),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
