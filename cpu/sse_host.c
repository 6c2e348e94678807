// SPDX-License-Identifier: MIT
/*
 * SIMD floating point on the host's own SSE unit.  IEEE 754 arithmetic
 * in SSE is fully specified by the operands and MXCSR (rounding control,
 * FZ, DAZ; SDM Vol. 1 §4.8, §10.2.3, §11.5), so an x86-64 host running
 * the same instruction under the guest's MXCSR computes the guest's
 * result and flags bit for bit, NaN propagation and denormals included.
 * Every asm statement below saves the host's MXCSR, loads the guest's
 * (every exception masked: unmasked ones are the caller's business),
 * runs one instruction, reads the flags and restores the host's MXCSR;
 * the compiler cannot move floating-point work across it because all of
 * it happens inside the one statement.
 *
 * RCPPS/RCPSS/RSQRTPS/RSQRTSS are approximations whose low bits the SDM
 * leaves to the implementation: the guest sees the host's.
 */
#include "cpu/sse.h"

#if !defined(__x86_64__)
#error "cpu/sse_host.c runs SSE instructions on an x86-64 host"
#endif

typedef long long v2di __attribute__((vector_size(16)));

/* Run text on x (destination) and y (source) with imm as an immediate. */
#define HOST_RUN(text, immv)                                                 \
	__asm__ volatile("stmxcsr %[saved]\n\t"                              \
			 "ldmxcsr %[csr]\n\t" text "\n\t"                    \
			 "stmxcsr %[out]\n\t"                                \
			 "ldmxcsr %[saved]"                                  \
			 : [x] "+x"(x), [saved] "+m"(saved), [out] "=m"(out) \
			 : [y] "x"(y), [csr] "m"(csr), [imm] "i"(immv))

#define H(label, text)                           \
	case label:                              \
		HOST_RUN(text " %[y], %[x]", 0); \
		break

/* The state around one host instruction. */
#define HOST_PROLOGUE                \
	v2di x, y;                   \
	uint32_t saved = 0, out = 0; \
	memcpy(&x, d, 16);           \
	memcpy(&y, s, 16)

#define HOST_EPILOGUE      \
	memcpy(d, &x, 16); \
	return out & MXCSR_FLAGS

#define A(op, fmt) ((op)*4 + (fmt))

uint32_t sse_host_arith(int op, enum fp_fmt fmt, union vec *d,
			const union vec *s, uint32_t csr)
{
	HOST_PROLOGUE;

	switch (A(op, fmt)) {
		H(A(FA_SQRT, FMT_PS), "sqrtps");
		H(A(FA_SQRT, FMT_PD), "sqrtpd");
		H(A(FA_SQRT, FMT_SS), "sqrtss");
		H(A(FA_SQRT, FMT_SD), "sqrtsd");
		H(A(FA_RSQRT, FMT_PS), "rsqrtps");
		H(A(FA_RSQRT, FMT_SS), "rsqrtss");
		H(A(FA_RCP, FMT_PS), "rcpps");
		H(A(FA_RCP, FMT_SS), "rcpss");
		H(A(FA_ADD, FMT_PS), "addps");
		H(A(FA_ADD, FMT_PD), "addpd");
		H(A(FA_ADD, FMT_SS), "addss");
		H(A(FA_ADD, FMT_SD), "addsd");
		H(A(FA_MUL, FMT_PS), "mulps");
		H(A(FA_MUL, FMT_PD), "mulpd");
		H(A(FA_MUL, FMT_SS), "mulss");
		H(A(FA_MUL, FMT_SD), "mulsd");
		H(A(FA_SUB, FMT_PS), "subps");
		H(A(FA_SUB, FMT_PD), "subpd");
		H(A(FA_SUB, FMT_SS), "subss");
		H(A(FA_SUB, FMT_SD), "subsd");
		H(A(FA_MIN, FMT_PS), "minps");
		H(A(FA_MIN, FMT_PD), "minpd");
		H(A(FA_MIN, FMT_SS), "minss");
		H(A(FA_MIN, FMT_SD), "minsd");
		H(A(FA_DIV, FMT_PS), "divps");
		H(A(FA_DIV, FMT_PD), "divpd");
		H(A(FA_DIV, FMT_SS), "divss");
		H(A(FA_DIV, FMT_SD), "divsd");
		H(A(FA_MAX, FMT_PS), "maxps");
		H(A(FA_MAX, FMT_PD), "maxpd");
		H(A(FA_MAX, FMT_SS), "maxss");
		H(A(FA_MAX, FMT_SD), "maxsd");
	default:
		break;
	}
	HOST_EPILOGUE;
}

uint32_t sse_host_horiz(int kind, bool pd, union vec *d, const union vec *s,
			uint32_t csr)
{
	HOST_PROLOGUE;

	switch (kind * 2 + pd) {
		H(0, "addsubps");
		H(1, "addsubpd");
		H(2, "haddps");
		H(3, "haddpd");
		H(4, "hsubps");
		H(5, "hsubpd");
	default:
		break;
	}
	HOST_EPILOGUE;
}

/* Cases for every value of an immediate, n at a time. */
#define IMM_CASE(text, n)                                  \
	case (n):                                          \
		HOST_RUN(text " %[imm], %[y], %[x]", (n)); \
		break
#define IMM4(t, n)            \
	IMM_CASE(t, n);       \
	IMM_CASE(t, (n) + 1); \
	IMM_CASE(t, (n) + 2); \
	IMM_CASE(t, (n) + 3)
#define IMM16(t, n)       \
	IMM4(t, n);       \
	IMM4(t, (n) + 4); \
	IMM4(t, (n) + 8); \
	IMM4(t, (n) + 12)
#define IMM64(t, n)         \
	IMM16(t, n);        \
	IMM16(t, (n) + 16); \
	IMM16(t, (n) + 32); \
	IMM16(t, (n) + 48)
#define IMM256(t)      \
	IMM64(t, 0);   \
	IMM64(t, 64);  \
	IMM64(t, 128); \
	IMM64(t, 192)

/* CMPPS/PD/SS/SD: the legacy encodings use imm8[2:0] (SDM Vol. 2
 * "CMPPS"). */
uint32_t sse_host_cmp(enum fp_fmt fmt, unsigned pred, union vec *d,
		      const union vec *s, uint32_t csr)
{
	HOST_PROLOGUE;

	pred &= 7;
	switch (fmt) {
	case FMT_PS:
		switch (pred) {
			IMM4("cmpps", 0);
			IMM4("cmpps", 4);
		}
		break;
	case FMT_PD:
		switch (pred) {
			IMM4("cmppd", 0);
			IMM4("cmppd", 4);
		}
		break;
	case FMT_SS:
		switch (pred) {
			IMM4("cmpss", 0);
			IMM4("cmpss", 4);
		}
		break;
	default:
		switch (pred) {
			IMM4("cmpsd", 0);
			IMM4("cmpsd", 4);
		}
		break;
	}
	HOST_EPILOGUE;
}

/* ROUNDPS/PD/SS/SD: imm8[3:0] (SDM Vol. 2 "ROUNDPS"). */
uint32_t sse_host_round(enum fp_fmt fmt, unsigned imm, union vec *d,
			const union vec *s, uint32_t csr)
{
	HOST_PROLOGUE;

	imm &= 15;
	switch (fmt) {
	case FMT_PS:
		switch (imm) {
			IMM16("roundps", 0);
		}
		break;
	case FMT_PD:
		switch (imm) {
			IMM16("roundpd", 0);
		}
		break;
	case FMT_SS:
		switch (imm) {
			IMM16("roundss", 0);
		}
		break;
	default:
		switch (imm) {
			IMM16("roundsd", 0);
		}
		break;
	}
	HOST_EPILOGUE;
}

/* DPPS and DPPD, every imm8. */
uint32_t sse_host_dp(bool pd, unsigned imm, union vec *d, const union vec *s,
		     uint32_t csr)
{
	HOST_PROLOGUE;

	imm &= 255;
	if (pd) {
		switch (imm) {
			IMM256("dppd");
		}
	} else {
		switch (imm) {
			IMM256("dpps");
		}
	}
	HOST_EPILOGUE;
}

uint32_t sse_host_cvt(enum cvt_op op, union vec *d, const union vec *s,
		      uint32_t csr)
{
	HOST_PROLOGUE;

	switch (op) {
		H(CV_DQ2PS, "cvtdq2ps");
		H(CV_PS2DQ, "cvtps2dq");
		H(CV_TPS2DQ, "cvttps2dq");
		H(CV_PS2PD, "cvtps2pd");
		H(CV_PD2PS, "cvtpd2ps");
		H(CV_SS2SD, "cvtss2sd");
		H(CV_SD2SS, "cvtsd2ss");
		H(CV_DQ2PD, "cvtdq2pd");
		H(CV_PD2DQ, "cvtpd2dq");
		H(CV_TPD2DQ, "cvttpd2dq");
	}
	HOST_EPILOGUE;
}

uint32_t sse_host_comi(bool ordered, bool sd, const union vec *d,
		       const union vec *s, uint32_t csr, uint32_t *eflags)
{
	v2di x, y;
	uint32_t saved = 0, out = 0;
	uint8_t z = 0, p = 0, cf = 0;

	memcpy(&x, d, 16);
	memcpy(&y, s, 16);
#define COMI(text)                                                            \
	__asm__ volatile("stmxcsr %[saved]\n\t"                               \
			 "ldmxcsr %[csr]\n\t" text " %[y], %[x]\n\t"          \
			 "setz %[z]\n\tsetp %[p]\n\tsetc %[cf]\n\t"           \
			 "stmxcsr %[out]\n\t"                                 \
			 "ldmxcsr %[saved]"                                   \
			 : [saved] "+m"(saved), [out] "=m"(out), [z] "=q"(z), \
			   [p] "=q"(p), [cf] "=q"(cf)                         \
			 : [x] "x"(x), [y] "x"(y), [csr] "m"(csr)             \
			 : "cc")
	switch (ordered * 2 + sd) {
	case 0:
		COMI("ucomiss");
		break;
	case 1:
		COMI("ucomisd");
		break;
	case 2:
		COMI("comiss");
		break;
	default:
		COMI("comisd");
		break;
	}
#undef COMI
	*eflags = (z ? FLAG_ZF : 0) | (p ? FLAG_PF : 0) | (cf ? FLAG_CF : 0);
	return out & MXCSR_FLAGS;
}

uint32_t sse_host_cvt2int(bool sd, bool trunc, bool wide, const union vec *s,
			  uint32_t csr, uint64_t *out_v)
{
	v2di y;
	uint32_t saved = 0, out = 0;
	uint64_t r64 = 0;
	uint32_t r32 = 0;

	memcpy(&y, s, 16);
#define TOINT(text, rv)                                                       \
	__asm__ volatile("stmxcsr %[saved]\n\t"                               \
			 "ldmxcsr %[csr]\n\t" text " %[y], %[r]\n\t"          \
			 "stmxcsr %[out]\n\t"                                 \
			 "ldmxcsr %[saved]"                                   \
			 : [saved] "+m"(saved), [out] "=m"(out), [r] "=r"(rv) \
			 : [y] "x"(y), [csr] "m"(csr))
	switch (sd * 4 + trunc * 2 + wide) {
	case 0:
		TOINT("cvtss2si", r32);
		break;
	case 1:
		TOINT("cvtss2si", r64);
		break;
	case 2:
		TOINT("cvttss2si", r32);
		break;
	case 3:
		TOINT("cvttss2si", r64);
		break;
	case 4:
		TOINT("cvtsd2si", r32);
		break;
	case 5:
		TOINT("cvtsd2si", r64);
		break;
	case 6:
		TOINT("cvttsd2si", r32);
		break;
	default:
		TOINT("cvttsd2si", r64);
		break;
	}
#undef TOINT
	*out_v = wide ? r64 : r32;
	return out & MXCSR_FLAGS;
}

uint32_t sse_host_int2cvt(bool sd, bool wide, uint64_t v, union vec *d,
			  uint32_t csr)
{
	v2di x;
	uint32_t saved = 0, out = 0;
	uint32_t v32 = (uint32_t)v;

	memcpy(&x, d, 16);
#define FROMINT(text, gv)                                                    \
	__asm__ volatile("stmxcsr %[saved]\n\t"                              \
			 "ldmxcsr %[csr]\n\t" text " %[g], %[x]\n\t"         \
			 "stmxcsr %[out]\n\t"                                \
			 "ldmxcsr %[saved]"                                  \
			 : [x] "+x"(x), [saved] "+m"(saved), [out] "=m"(out) \
			 : [g] "r"(gv), [csr] "m"(csr))
	switch (sd * 2 + wide) {
	case 0:
		FROMINT("cvtsi2ssl", v32);
		break;
	case 1:
		FROMINT("cvtsi2ssq", v);
		break;
	case 2:
		FROMINT("cvtsi2sdl", v32);
		break;
	default:
		FROMINT("cvtsi2sdq", v);
		break;
	}
#undef FROMINT
	memcpy(d, &x, 16);
	return out & MXCSR_FLAGS;
}
