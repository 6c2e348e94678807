/* SPDX-License-Identifier: MIT */
/*
 * MMX and SSE through SSE4.2 (SDM Vol. 1 ch. 9-12): the operand helpers
 * shared by cpu/sse*.c and cpu/mmx.c, and the handlers the decoder's
 * tables point at.  The MMX registers are the mantissas of the x87
 * registers (SDM Vol. 1 §9.5), kept in struct fpu_state.
 */
#ifndef POPEK_CPU_SSE_H
#define POPEK_CPU_SSE_H

#include "cpu/interp.h"

/* One 64- or 128-bit operand, seen as any element type. */
union vec {
	uint8_t b[16];
	int8_t sb[16];
	uint16_t w[8];
	int16_t sw[8];
	uint32_t d[4];
	int32_t sd[4];
	uint64_t q[2];
	int64_t sq[2];
};

/* MXCSR (SDM Vol. 1 §10.2.3). */
#define MXCSR_IE 0x0001u
#define MXCSR_DE 0x0002u
#define MXCSR_ZE 0x0004u
#define MXCSR_OE 0x0008u
#define MXCSR_UE 0x0010u
#define MXCSR_PE 0x0020u
#define MXCSR_FLAGS 0x003fu
#define MXCSR_DAZ 0x0040u
#define MXCSR_MASK_SHIFT 7
#define MXCSR_MASKS 0x1f80u
#define MXCSR_RC_SHIFT 13
#define MXCSR_FZ 0x8000u
#define MXCSR_VALID 0xffffu /* the MXCSR_MASK FXSAVE reports */

/* --- checks (sse.c) ------------------------------------------------------ */

/* #UD with CR0.EM or without CR4.OSFXSR, #NM with CR0.TS (SDM Vol. 3A
 * §13.1.4 / Vol. 2 "SIMD Floating-Point Exceptions" tables). */
void sse_check(struct cpu *c);
/* #UD with CR0.EM, #NM with CR0.TS, #MF for a pending x87 exception (SDM
 * Vol. 1 §9.5, Vol. 2 MMX instruction exception tables). */
void mmx_check(struct cpu *c);
/* The check for an instruction whose operands are xmm (x) or mm. */
static inline void simd_check(struct cpu *c, bool x)
{
	if (x)
		sse_check(c);
	else
		mmx_check(c);
}

/* --- the MMX registers (mmx.c) ------------------------------------------ */

/* MMi is physical x87 register i: st[(i - TOP) & 7]. */
uint64_t mm_read(const struct cpu *c, int r);
/* The x87 state after an MMX instruction (SDM Vol. 1 §9.5.1): TOP = 0,
 * every tag valid.  Call only after the last possible fault. */
void mmx_enter(struct cpu *c);
/* mmx_enter, then MMr = v with the exponent and sign set to all ones. */
void mm_write(struct cpu *c, int r, uint64_t v);

/* --- operands (sse.c) --------------------------------------------------- */

/* The linear address of the memory operand, size bytes checked; with
 * align, #GP(0) unless it is a multiple of align (SDM Vol. 1 §10.4). */
uint64_t sse_mem_lin(struct cpu *c, const struct insn *i, int size,
		     enum access_kind acc, int align);
void sse_mem_read(struct cpu *c, const struct insn *i, union vec *v, int size,
		  int align);
void sse_mem_write(struct cpu *c, const struct insn *i, const union vec *v,
		   int size, int align);

static inline void xmm_get(const struct cpu *c, int r, union vec *v)
{
	v->q[0] = c->s.fpu.xmm[r][0];
	v->q[1] = c->s.fpu.xmm[r][1];
}

static inline void xmm_put(struct cpu *c, int r, const union vec *v)
{
	c->s.fpu.xmm[r][0] = v->q[0];
	c->s.fpu.xmm[r][1] = v->q[1];
}

/* The xmm or mm (x false) register r into v (upper half 0 for mm). */
void vec_get(const struct cpu *c, bool x, int r, union vec *v);
void vec_put(struct cpu *c, bool x, int r, const union vec *v);
/* The r/m operand: a register, or size bytes of memory (16 aligned when
 * align). */
void vec_get_rm(struct cpu *c, const struct insn *i, bool x, union vec *v,
		int size, bool align);
/* Shorthand: 16 aligned bytes for xmm, 8 for mm. */
static inline void vec_src(struct cpu *c, const struct insn *i, bool x,
			   union vec *v)
{
	vec_get_rm(c, i, x, v, x ? 16 : 8, x);
}

/* --- SIMD floating point (sse_fp.c) -------------------------------------- */

/* Formats of a floating-point operation. */
enum fp_fmt {
	FMT_PS,
	FMT_PD,
	FMT_SS,
	FMT_SD,
	FMT_NONE
};

/*
 * MXCSR after an operation that raised flags (the host's, with every
 * exception masked): the unmasked ones give #XM, or #UD without
 * CR4.OSXMMEXCPT (SDM Vol. 1 §11.5.1-§11.5.3); res is the result the
 * operation would write, fmt its format (for underflow with UE unmasked).
 */
void sse_fp_flags(struct cpu *c, uint32_t flags, const union vec *res,
		  enum fp_fmt fmt);
/* The MXCSR the host runs an operation under: the guest's rounding, FZ
 * and DAZ, every exception masked and no flag set. */
uint32_t sse_host_csr(const struct cpu *c);

/* --- the host's SSE unit (sse_host.c) ------------------------------------
 *
 * Each runs one host instruction on d (destination, also the result)
 * and s under csr (sse_host_csr) and returns the exception flags it
 * raised.  The host is x86-64, whose SSE4.2 unit computes exactly what
 * the guest's would: the guest's MXCSR is loaded around the instruction
 * and the host's restored after it. */
uint32_t sse_host_arith(int op, enum fp_fmt fmt, union vec *d,
			const union vec *s, uint32_t csr);
uint32_t sse_host_cmp(enum fp_fmt fmt, unsigned pred, union vec *d,
		      const union vec *s, uint32_t csr);
uint32_t sse_host_round(enum fp_fmt fmt, unsigned imm, union vec *d,
			const union vec *s, uint32_t csr);
uint32_t sse_host_dp(bool pd, unsigned imm, union vec *d, const union vec *s,
		     uint32_t csr);
/* ADDSUB (0), HADD (1), HSUB (2). */
uint32_t sse_host_horiz(int kind, bool pd, union vec *d, const union vec *s,
			uint32_t csr);
/* COMISS/COMISD (ordered) and UCOMISS/UCOMISD: *eflags gets ZF PF CF. */
uint32_t sse_host_comi(bool ordered, bool sd, const union vec *d,
		       const union vec *s, uint32_t csr, uint32_t *eflags);

/* Conversions between xmm registers (d = converted s, as the host
 * instruction leaves d). */
enum cvt_op {
	CV_DQ2PS,
	CV_PS2DQ,
	CV_TPS2DQ,
	CV_PS2PD,
	CV_PD2PS,
	CV_SS2SD,
	CV_SD2SS,
	CV_DQ2PD,
	CV_PD2DQ,
	CV_TPD2DQ,
};
uint32_t sse_host_cvt(enum cvt_op op, union vec *d, const union vec *s,
		      uint32_t csr);
/* CVT(T)SS2SI / CVT(T)SD2SI to a 32- or 64-bit integer. */
uint32_t sse_host_cvt2int(bool sd, bool trunc, bool wide, const union vec *s,
			  uint32_t csr, uint64_t *out);
/* CVTSI2SS / CVTSI2SD from a 32- or 64-bit integer into d's low element. */
uint32_t sse_host_int2cvt(bool sd, bool wide, uint64_t v, union vec *d,
			  uint32_t csr);

/* --- handlers ------------------------------------------------------------ */

#define SSE_HANDLER(name) void name(struct cpu *c, const struct insn *i)

/* sse.c: moves, MXCSR, fences */
SSE_HANDLER(op_movups_load);
SSE_HANDLER(op_movups_store);
SSE_HANDLER(op_movaps_load);
SSE_HANDLER(op_movaps_store);
SSE_HANDLER(op_movlps_load);
SSE_HANDLER(op_movlps_store);
SSE_HANDLER(op_movhps_load);
SSE_HANDLER(op_movhps_store);
SSE_HANDLER(op_movmskps);
SSE_HANDLER(op_movdq_load);
SSE_HANDLER(op_movdq_store);
SSE_HANDLER(op_movd_load);
SSE_HANDLER(op_movd_store);
SSE_HANDLER(op_movq_d6);
SSE_HANDLER(op_movnt_store);
SSE_HANDLER(op_movnti);
SSE_HANDLER(op_lddqu);
SSE_HANDLER(op_movntdqa);
SSE_HANDLER(op_maskmov);
SSE_HANDLER(op_ldmxcsr);
SSE_HANDLER(op_stmxcsr);
SSE_HANDLER(op_sse_fence);
SSE_HANDLER(op_clflush);
SSE_HANDLER(op_emms);

/* sse_int.c: packed integer, MMX and XMM forms */
SSE_HANDLER(op_pint);
SSE_HANDLER(op_pshift_imm);
SSE_HANDLER(op_pshuf);
SSE_HANDLER(op_pinsrw);
SSE_HANDLER(op_pextrw);
SSE_HANDLER(op_pmovmskb);
SSE_HANDLER(op_palignr);
SSE_HANDLER(op_pmovx);
SSE_HANDLER(op_ptest);
SSE_HANDLER(op_pblend);
SSE_HANDLER(op_pextr);
SSE_HANDLER(op_pinsr);
SSE_HANDLER(op_mpsadbw);
SSE_HANDLER(op_sse_logic);
SSE_HANDLER(op_unpck_fp);
SSE_HANDLER(op_shufp);
SSE_HANDLER(op_insertps);
SSE_HANDLER(op_movdup);

/* sse_fp.c: arithmetic, comparisons */
SSE_HANDLER(op_sse_arith);
SSE_HANDLER(op_sse_cmp);
SSE_HANDLER(op_sse_comi);
SSE_HANDLER(op_sse_horiz);
SSE_HANDLER(op_sse_round);
SSE_HANDLER(op_sse_dp);

/* sse_cvt.c: conversions */
SSE_HANDLER(op_cvt_2a);
SSE_HANDLER(op_cvt_2c);
SSE_HANDLER(op_cvt_5a);
SSE_HANDLER(op_cvt_5b);
SSE_HANDLER(op_cvt_e6);

/* sse_string.c: SSE4.2 strings, CRC32, POPCNT */
SSE_HANDLER(op_pcmpstr);
SSE_HANDLER(op_crc32);
SSE_HANDLER(op_popcnt);

/* Operations of op_pint (ModRM.reg is the destination, r/m the source). */
enum pint_op {
	PI_PUNPCKLBW,
	PI_PUNPCKLWD,
	PI_PUNPCKLDQ,
	PI_PUNPCKLQDQ,
	PI_PUNPCKHBW,
	PI_PUNPCKHWD,
	PI_PUNPCKHDQ,
	PI_PUNPCKHQDQ,
	PI_PACKSSWB,
	PI_PACKSSDW,
	PI_PACKUSWB,
	PI_PACKUSDW,
	PI_PCMPGTB,
	PI_PCMPGTW,
	PI_PCMPGTD,
	PI_PCMPGTQ,
	PI_PCMPEQB,
	PI_PCMPEQW,
	PI_PCMPEQD,
	PI_PCMPEQQ,
	PI_PADDB,
	PI_PADDW,
	PI_PADDD,
	PI_PADDQ,
	PI_PSUBB,
	PI_PSUBW,
	PI_PSUBD,
	PI_PSUBQ,
	PI_PADDSB,
	PI_PADDSW,
	PI_PADDUSB,
	PI_PADDUSW,
	PI_PSUBSB,
	PI_PSUBSW,
	PI_PSUBUSB,
	PI_PSUBUSW,
	PI_PMULLW,
	PI_PMULHW,
	PI_PMULHUW,
	PI_PMULUDQ,
	PI_PMADDWD,
	PI_PSADBW,
	PI_PAVGB,
	PI_PAVGW,
	PI_PMINUB,
	PI_PMAXUB,
	PI_PMINSW,
	PI_PMAXSW,
	PI_PAND,
	PI_PANDN,
	PI_POR,
	PI_PXOR,
	PI_PSRLW,
	PI_PSRLD,
	PI_PSRLQ,
	PI_PSRAW,
	PI_PSRAD,
	PI_PSLLW,
	PI_PSLLD,
	PI_PSLLQ,
	PI_PSHUFB,
	PI_PHADDW,
	PI_PHADDD,
	PI_PHADDSW,
	PI_PHSUBW,
	PI_PHSUBD,
	PI_PHSUBSW,
	PI_PMADDUBSW,
	PI_PMULHRSW,
	PI_PSIGNB,
	PI_PSIGNW,
	PI_PSIGND,
	PI_PABSB,
	PI_PABSW,
	PI_PABSD,
	PI_PMINSB,
	PI_PMINSD,
	PI_PMINUW,
	PI_PMINUD,
	PI_PMAXSB,
	PI_PMAXSD,
	PI_PMAXUW,
	PI_PMAXUD,
	PI_PMULLD,
	PI_PMULDQ,
	PI_PHMINPOSUW,
	/* only by an immediate (0F 73 /3, /7) */
	PI_PSRLDQ,
	PI_PSLLDQ,
};

/* Operations of op_sse_arith (0F 51-5F). */
enum fp_arith_op {
	FA_SQRT,
	FA_RSQRT,
	FA_RCP,
	FA_ADD,
	FA_MUL,
	FA_SUB,
	FA_MIN,
	FA_DIV,
	FA_MAX
};

#endif
