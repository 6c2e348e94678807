// SPDX-License-Identifier: MIT
/*
 * SSE/SSE2/SSE3/SSE4.1 floating-point instructions: arithmetic,
 * comparisons, horizontal operations, rounding, dot products and
 * conversions (SDM Vol. 1 §10.4, §11.4, §12.3, §12.10; Vol. 2
 * instruction pages), with MXCSR's exception flags and masks (SDM
 * Vol. 1 §11.5).  The arithmetic itself runs on the host (sse_host.c).
 */
#include "cpu/sse.h"

uint32_t sse_host_csr(const struct cpu *c)
{
	uint32_t m = c->s.fpu.mxcsr;

	/* With UE unmasked, underflow is any tiny result, and FZ does not
	 * apply (SDM Vol. 1 §10.2.3.3, §11.5.2.4): run with FZ clear and
	 * find the tiny results afterwards. */
	if (!(m & (MXCSR_UE << MXCSR_MASK_SHIFT)))
		m &= ~MXCSR_FZ;
	return (m & ~MXCSR_FLAGS) | MXCSR_MASKS;
}

static bool denormal_result(const union vec *r, enum fp_fmt fmt)
{
	int n = fmt == FMT_PS ? 4 : fmt == FMT_PD ? 2 : 1;

	for (int k = 0; k < n; k++) {
		if (fmt == FMT_PS || fmt == FMT_SS) {
			if (!(r->d[k] & 0x7f800000u) && (r->d[k] & 0x7fffffu))
				return true;
		} else if (!(r->q[k] & 0x7ff0000000000000ull) &&
			   (r->q[k] & 0xfffffffffffffull)) {
			return true;
		}
	}
	return false;
}

/* An unmasked SIMD floating-point exception: #XM with CR4.OSXMMEXCPT,
 * else #UD (SDM Vol. 1 §11.5.1, Vol. 3A §6.15 "Interrupt 19"). */
static __attribute__((noreturn)) void simd_fault(struct cpu *c)
{
	cpu_raise(c, (c->s.cr4 & CR4_OSXMMEXCPT) ? EXC_XM : EXC_UD);
}

/*
 * SDM Vol. 1 §11.5.2 / §12.8.4: the pre-computation exceptions (invalid
 * operation, denormal operand, divide by zero) are looked for in every
 * element first; if one of them is unmasked, its flags are set and the
 * handler is called with the destination unchanged.  Otherwise the
 * post-computation ones (overflow, underflow, precision) follow, and an
 * unmasked one again leaves the destination unchanged.
 */
void sse_fp_flags(struct cpu *c, uint32_t flags, const union vec *res,
		  enum fp_fmt fmt)
{
	uint32_t *m = &c->s.fpu.mxcsr;
	uint32_t unmasked = ~(*m >> MXCSR_MASK_SHIFT) & MXCSR_FLAGS;
	uint32_t pre = flags & (MXCSR_IE | MXCSR_DE | MXCSR_ZE);

	if (pre & unmasked) {
		*m |= pre;
		simd_fault(c);
	}
	if ((unmasked & MXCSR_UE) && fmt != FMT_NONE &&
	    denormal_result(res, fmt))
		flags |= MXCSR_UE;
	*m |= flags;
	if (flags & unmasked)
		simd_fault(c);
}

/* The format an SSE arithmetic opcode's prefix picks: none PS, 66 PD,
 * F3 SS, F2 SD. */
static enum fp_fmt prefix_fmt(const struct insn *i)
{
	return (enum fp_fmt)i->simd_prefix;
}

/* The source operand of a format: a register, or 16 aligned bytes for
 * the packed forms, 4 or 8 bytes for the scalar ones. */
static void fp_src(struct cpu *c, const struct insn *i, enum fp_fmt fmt,
		   union vec *s)
{
	int size = fmt == FMT_SS ? 4 : fmt == FMT_SD ? 8 : 16;

	vec_get_rm(c, i, true, s, size, size == 16);
}

/* 0F 51-5F: SQRT, RSQRT, RCP, ADD, MUL, SUB, MIN, DIV, MAX. */
SSE_HANDLER(op_sse_arith)
{
	enum fp_fmt fmt = prefix_fmt(i);
	union vec d, s;
	uint32_t fl;

	sse_check(c);
	fp_src(c, i, fmt, &s);
	xmm_get(c, i->reg, &d);
	fl = sse_host_arith(i->sub, fmt, &d, &s, sse_host_csr(c));
	/* MIN and MAX return an operand: never an underflow. */
	sse_fp_flags(c, fl, &d,
		     (i->sub == FA_MIN || i->sub == FA_MAX) ? FMT_NONE : fmt);
	xmm_put(c, i->reg, &d);
}

/* 0F C2: CMPPS, CMPPD, CMPSS, CMPSD with a predicate in imm8. */
SSE_HANDLER(op_sse_cmp)
{
	enum fp_fmt fmt = prefix_fmt(i);
	union vec d, s;
	uint32_t fl;

	sse_check(c);
	fp_src(c, i, fmt, &s);
	xmm_get(c, i->reg, &d);
	fl = sse_host_cmp(fmt, (unsigned)i->imm, &d, &s, sse_host_csr(c));
	sse_fp_flags(c, fl, &d, FMT_NONE);
	xmm_put(c, i->reg, &d);
}

/* 0F 2E UCOMISS, 0F 2F COMISS (66: the SD forms): ZF, PF, CF from the
 * comparison, OF, SF, AF cleared (SDM Vol. 2 "COMISS"). */
SSE_HANDLER(op_sse_comi)
{
	bool sd = i->simd_prefix == SIMD_66;
	union vec d, s;
	uint32_t fl, ef;

	sse_check(c);
	vec_get_rm(c, i, true, &s, sd ? 8 : 4, false);
	xmm_get(c, i->reg, &d);
	fl = sse_host_comi(i->sub != 0, sd, &d, &s, sse_host_csr(c), &ef);
	sse_fp_flags(c, fl, &d, FMT_NONE);
	cpu_set_flags(c, ef, FLAGS_ARITH);
}

/* 0F D0 ADDSUB, 0F 7C HADD, 0F 7D HSUB: 66 the PD forms, F2 the PS. */
SSE_HANDLER(op_sse_horiz)
{
	bool pd = i->simd_prefix == SIMD_66;
	union vec d, s;
	uint32_t fl;

	sse_check(c);
	vec_src(c, i, true, &s);
	xmm_get(c, i->reg, &d);
	fl = sse_host_horiz(i->sub, pd, &d, &s, sse_host_csr(c));
	sse_fp_flags(c, fl, &d, pd ? FMT_PD : FMT_PS);
	xmm_put(c, i->reg, &d);
}

/* 66 0F 3A 08-0B: ROUNDPS, ROUNDPD, ROUNDSS, ROUNDSD. */
SSE_HANDLER(op_sse_round)
{
	enum fp_fmt fmt = (enum fp_fmt)(i->opcode - 8);
	union vec d, s;
	uint32_t fl;

	sse_check(c);
	fp_src(c, i, fmt, &s);
	xmm_get(c, i->reg, &d);
	fl = sse_host_round(fmt, (unsigned)i->imm, &d, &s, sse_host_csr(c));
	sse_fp_flags(c, fl, &d, FMT_NONE);
	xmm_put(c, i->reg, &d);
}

/* 66 0F 3A 40 DPPS, 41 DPPD. */
SSE_HANDLER(op_sse_dp)
{
	bool pd = i->opcode == 0x41;
	union vec d, s;
	uint32_t fl;

	sse_check(c);
	vec_src(c, i, true, &s);
	xmm_get(c, i->reg, &d);
	fl = sse_host_dp(pd, (unsigned)i->imm, &d, &s, sse_host_csr(c));
	sse_fp_flags(c, fl, &d, pd ? FMT_PD : FMT_PS);
	xmm_put(c, i->reg, &d);
}

/* --- conversions (SDM Vol. 1 §11.4.4, §10.4.6; Vol. 2 "CVT...") ---------- */

/* An mm operand or m64 for CVTPI2PS/CVTPI2PD: a register source is an
 * MMX access and switches the x87 unit to MMX mode (SDM Vol. 2
 * "CVTPI2PS": "transition from x87 FPU to MMX technology operation"). */
static void mm_src(struct cpu *c, const struct insn *i, union vec *s)
{
	if (i->mod == 3) {
		mmx_check(c);
		s->q[0] = mm_read(c, i->rm & 7);
		s->q[1] = 0;
	} else {
		sse_mem_read(c, i, s, 8, 1);
	}
}

/* 0F 2A: CVTPI2PS, CVTPI2PD (66), CVTSI2SS (F3), CVTSI2SD (F2). */
SSE_HANDLER(op_cvt_2a)
{
	union vec d, s, t;
	uint32_t fl;

	sse_check(c);
	xmm_get(c, i->reg, &d);
	if (i->simd_prefix == SIMD_F3 || i->simd_prefix == SIMD_F2) {
		int size = i->osz == 8 ? 8 : 4;
		uint64_t v = i->mod == 3 ?
				     reg_read(c, i->rm, size) :
				     mem_read(c, i->seg, insn_ea(c, i), size);
		bool sd = i->simd_prefix == SIMD_F2;

		fl = sse_host_int2cvt(sd, size == 8, v, &d, sse_host_csr(c));
		sse_fp_flags(c, fl, &d, FMT_NONE);
		xmm_put(c, i->reg, &d);
		return;
	}
	mm_src(c, i, &s);
	t = d;
	if (i->simd_prefix == SIMD_66) {
		fl = sse_host_cvt(CV_DQ2PD, &t, &s, sse_host_csr(c));
		d = t;
	} else {
		/* The two integers converted in the low half; the high
		 * half of the destination stays. */
		fl = sse_host_cvt(CV_DQ2PS, &t, &s, sse_host_csr(c));
		d.q[0] = t.q[0];
	}
	sse_fp_flags(c, fl, &d, FMT_NONE);
	if (i->mod == 3)
		mmx_enter(c);
	xmm_put(c, i->reg, &d);
}

/* 0F 2C/2D: CVT(T)PS2PI mm, xmm/m64; 66: CVT(T)PD2PI mm, xmm/m128;
 * F3: CVT(T)SS2SI r, xmm/m32; F2: CVT(T)SD2SI r, xmm/m64.  0F 2C
 * truncates. */
SSE_HANDLER(op_cvt_2c)
{
	bool trunc = i->opcode == 0x2c;
	union vec s, t = { .q = { 0, 0 } };
	uint32_t fl;

	sse_check(c);
	if (i->simd_prefix == SIMD_F3 || i->simd_prefix == SIMD_F2) {
		bool sd = i->simd_prefix == SIMD_F2;
		uint64_t v;

		vec_get_rm(c, i, true, &s, sd ? 8 : 4, false);
		fl = sse_host_cvt2int(sd, trunc, i->osz == 8, &s,
				      sse_host_csr(c), &v);
		sse_fp_flags(c, fl, &s, FMT_NONE);
		reg_write(c, i->reg, i->osz == 8 ? 8 : 4, v);
		return;
	}
	mmx_check(c);
	if (i->simd_prefix == SIMD_66) {
		vec_src(c, i, true, &s);
		fl = sse_host_cvt(trunc ? CV_TPD2DQ : CV_PD2DQ, &t, &s,
				  sse_host_csr(c));
	} else {
		vec_get_rm(c, i, true, &s, 8, false);
		s.q[1] = 0; /* two more zeros: exact, no flags */
		fl = sse_host_cvt(trunc ? CV_TPS2DQ : CV_PS2DQ, &t, &s,
				  sse_host_csr(c));
	}
	sse_fp_flags(c, fl, &t, FMT_NONE);
	mm_write(c, i->reg, t.q[0]);
}

/* 0F 5A: CVTPS2PD (m64), CVTPD2PS (66), CVTSS2SD (F3), CVTSD2SS (F2). */
SSE_HANDLER(op_cvt_5a)
{
	static const enum cvt_op ops[4] = { CV_PS2PD, CV_PD2PS, CV_SS2SD,
					    CV_SD2SS };
	static const uint8_t sizes[4] = { 8, 16, 4, 8 };
	static const enum fp_fmt res[4] = { FMT_NONE, FMT_PS, FMT_NONE,
					    FMT_SS };
	int p = i->simd_prefix;
	union vec d, s;
	uint32_t fl;

	sse_check(c);
	vec_get_rm(c, i, true, &s, sizes[p], sizes[p] == 16);
	xmm_get(c, i->reg, &d);
	fl = sse_host_cvt(ops[p], &d, &s, sse_host_csr(c));
	sse_fp_flags(c, fl, &d, res[p]);
	xmm_put(c, i->reg, &d);
}

/* 0F 5B: CVTDQ2PS, CVTPS2DQ (66), CVTTPS2DQ (F3). */
SSE_HANDLER(op_cvt_5b)
{
	static const enum cvt_op ops[3] = { CV_DQ2PS, CV_PS2DQ, CV_TPS2DQ };
	union vec d, s;
	uint32_t fl;

	sse_check(c);
	vec_src(c, i, true, &s);
	xmm_get(c, i->reg, &d);
	fl = sse_host_cvt(ops[i->simd_prefix % 3], &d, &s, sse_host_csr(c));
	sse_fp_flags(c, fl, &d, FMT_NONE);
	xmm_put(c, i->reg, &d);
}

/* 0F E6: CVTTPD2DQ (66), CVTDQ2PD (F3, m64), CVTPD2DQ (F2). */
SSE_HANDLER(op_cvt_e6)
{
	union vec d, s;
	enum cvt_op op = i->simd_prefix == SIMD_66 ? CV_TPD2DQ :
			 i->simd_prefix == SIMD_F3 ? CV_DQ2PD :
						     CV_PD2DQ;
	uint32_t fl;

	sse_check(c);
	if (op == CV_DQ2PD)
		vec_get_rm(c, i, true, &s, 8, false);
	else
		vec_src(c, i, true, &s);
	xmm_get(c, i->reg, &d);
	fl = sse_host_cvt(op, &d, &s, sse_host_csr(c));
	sse_fp_flags(c, fl, &d, FMT_NONE);
	xmm_put(c, i->reg, &d);
}
