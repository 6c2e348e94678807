// SPDX-License-Identifier: MIT
/*
 * SSE and MMX: the checks every instruction starts with, operand access,
 * the data movement instructions, MXCSR and the cache-control and
 * ordering instructions (SDM Vol. 1 ch. 9-12; Vol. 2 instruction pages).
 *
 * Faults restart the instruction, so every handler reads its operands
 * (which may fault) before it writes anything.
 */
#include "cpu/sse.h"

/* SDM Vol. 3A §2.5 (CR0.EM, CR0.TS, CR4.OSFXSR) and §13.1.3; Vol. 2
 * §2.4 and the exception tables of the SSE instruction pages: EM or a
 * clear OSFXSR give #UD before TS gives #NM. */
void sse_check(struct cpu *c)
{
	if ((c->s.cr0 & CR0_EM) || !(c->s.cr4 & CR4_OSFXSR))
		cpu_raise(c, EXC_UD);
	if (c->s.cr0 & CR0_TS)
		cpu_raise(c, EXC_NM);
}

/* The exceptions of every MMX instruction page (e.g. SDM Vol. 2
 * "PADDB/PADDW/PADDD/PADDQ"; Vol. 1 §9.6): #UD with EM, #NM with TS,
 * then #MF for a pending x87 floating-point exception (taken only with
 * CR0.NE, as the x87 unit does: cpu/x87.c). */
void mmx_check(struct cpu *c)
{
	if (c->s.cr0 & CR0_EM)
		cpu_raise(c, EXC_UD);
	if (c->s.cr0 & CR0_TS)
		cpu_raise(c, EXC_NM);
	/* FSW.ES (bit 7): an unmasked x87 exception waits. */
	if ((c->s.fpu.fsw & 0x0080u) && (c->s.cr0 & CR0_NE))
		cpu_raise(c, EXC_MF);
}

uint64_t sse_mem_lin(struct cpu *c, const struct insn *i, int size,
		     enum access_kind acc, int align)
{
	uint64_t ea = insn_ea(c, i);
	uint64_t lin = seg_linear(c, i->seg, ea, size, acc);

	/* 16-byte operands of the legacy SSE forms must be aligned: #GP(0)
	 * (SDM Vol. 1 §10.4.1.1, §11.6.7). */
	if (align > 1 && (lin & (uint64_t)(align - 1)))
		cpu_raise_error(c, EXC_GP, 0);
	return lin;
}

void sse_mem_read(struct cpu *c, const struct insn *i, union vec *v, int size,
		  int align)
{
	uint64_t lin = sse_mem_lin(c, i, size, ACC_READ, align);

	v->q[0] = 0;
	v->q[1] = 0;
	switch (size) {
	case 1:
	case 2:
	case 4:
	case 8:
		v->q[0] = lin_read(c, lin, size);
		break;
	default:
		v->q[0] = lin_read(c, lin, 8);
		v->q[1] = lin_read(c, (lin + 8) & c->lin_mask, 8);
		break;
	}
}

void sse_mem_write(struct cpu *c, const struct insn *i, const union vec *v,
		   int size, int align)
{
	uint64_t lin = sse_mem_lin(c, i, size, ACC_WRITE, align);
	unsigned off = (unsigned)(lin & 0xfff);

	if (size <= 8) {
		lin_write(c, lin, size, v->q[0]);
		return;
	}
	/* 16 bytes across a page: write an 8-byte piece that straddles
	 * the boundary first, so that a fault on either page comes before
	 * any byte is stored (lin_write checks both pages of a split). */
	if (off > 0x1000 - 16) {
		unsigned k = 0x1000 - off; /* bytes in the first page */
		unsigned s = k < 4 ? 0 : k > 12 ? 8 : k - 4;
		uint64_t piece;

		memcpy(&piece, v->b + s, 8);
		lin_write(c, (lin + s) & c->lin_mask, 8, piece);
	}
	lin_write(c, lin, 8, v->q[0]);
	lin_write(c, (lin + 8) & c->lin_mask, 8, v->q[1]);
}

void vec_get(const struct cpu *c, bool x, int r, union vec *v)
{
	if (x) {
		xmm_get(c, r, v);
		return;
	}
	v->q[0] = mm_read(c, r & 7);
	v->q[1] = 0;
}

void vec_put(struct cpu *c, bool x, int r, const union vec *v)
{
	if (x)
		xmm_put(c, r, v);
	else
		mm_write(c, r & 7, v->q[0]);
}

void vec_get_rm(struct cpu *c, const struct insn *i, bool x, union vec *v,
		int size, bool align)
{
	if (i->mod == 3)
		vec_get(c, x, i->rm, v);
	else
		sse_mem_read(c, i, v, size, align ? size : 1);
}

/* --- moves --------------------------------------------------------------- */

/* 0F 10: MOVUPS, MOVUPD (66), MOVSS (F3), MOVSD (F2) loads. */
SSE_HANDLER(op_movups_load)
{
	union vec d, s;
	int size = i->simd_prefix == SIMD_F3 ? 4 :
		   i->simd_prefix == SIMD_F2 ? 8 :
					       16;

	sse_check(c);
	if (i->mod != 3) {
		/* A scalar load clears the rest of the register. */
		sse_mem_read(c, i, &d, size, 1);
		xmm_put(c, i->reg, &d);
		return;
	}
	xmm_get(c, i->rm, &s);
	xmm_get(c, i->reg, &d);
	if (size == 4)
		d.d[0] = s.d[0];
	else if (size == 8)
		d.q[0] = s.q[0];
	else
		d = s;
	xmm_put(c, i->reg, &d);
}

/* 0F 11: the stores. */
SSE_HANDLER(op_movups_store)
{
	union vec d, s;
	int size = i->simd_prefix == SIMD_F3 ? 4 :
		   i->simd_prefix == SIMD_F2 ? 8 :
					       16;

	sse_check(c);
	xmm_get(c, i->reg, &s);
	if (i->mod != 3) {
		sse_mem_write(c, i, &s, size, 1);
		return;
	}
	xmm_get(c, i->rm, &d);
	if (size == 4)
		d.d[0] = s.d[0];
	else if (size == 8)
		d.q[0] = s.q[0];
	else
		d = s;
	xmm_put(c, i->rm, &d);
}

/* 0F 28: MOVAPS, MOVAPD. */
SSE_HANDLER(op_movaps_load)
{
	union vec v;

	sse_check(c);
	vec_get_rm(c, i, true, &v, 16, true);
	xmm_put(c, i->reg, &v);
}

/* 0F 29: MOVAPS, MOVAPD stores; 0F 2B MOVNTPS/PD and 66 0F E7 MOVNTDQ
 * (D_MEM_ONLY) share it. */
SSE_HANDLER(op_movaps_store)
{
	union vec v;

	sse_check(c);
	xmm_get(c, i->reg, &v);
	if (i->mod == 3)
		xmm_put(c, i->rm, &v);
	else
		sse_mem_write(c, i, &v, 16, 16);
}

/* 0F 12: MOVLPS/MOVLPD xmm, m64; MOVHLPS xmm, xmm. */
SSE_HANDLER(op_movlps_load)
{
	union vec d, s;

	sse_check(c);
	xmm_get(c, i->reg, &d);
	if (i->mod == 3) {
		xmm_get(c, i->rm, &s);
		d.q[0] = s.q[1];
	} else {
		sse_mem_read(c, i, &s, 8, 1);
		d.q[0] = s.q[0];
	}
	xmm_put(c, i->reg, &d);
}

/* 0F 13: MOVLPS/MOVLPD m64, xmm. */
SSE_HANDLER(op_movlps_store)
{
	union vec s;

	sse_check(c);
	xmm_get(c, i->reg, &s);
	sse_mem_write(c, i, &s, 8, 1);
}

/* 0F 16: MOVHPS/MOVHPD xmm, m64; MOVLHPS xmm, xmm. */
SSE_HANDLER(op_movhps_load)
{
	union vec d, s;

	sse_check(c);
	xmm_get(c, i->reg, &d);
	if (i->mod == 3)
		xmm_get(c, i->rm, &s);
	else
		sse_mem_read(c, i, &s, 8, 1);
	d.q[1] = s.q[0];
	xmm_put(c, i->reg, &d);
}

/* 0F 17: MOVHPS/MOVHPD m64, xmm. */
SSE_HANDLER(op_movhps_store)
{
	union vec s, h;

	sse_check(c);
	xmm_get(c, i->reg, &s);
	h.q[0] = s.q[1];
	h.q[1] = 0;
	sse_mem_write(c, i, &h, 8, 1);
}

/* 0F 50: MOVMSKPS, MOVMSKPD r32/r64, xmm: the sign bits. */
SSE_HANDLER(op_movmskps)
{
	union vec s;
	uint64_t m = 0;

	sse_check(c);
	xmm_get(c, i->rm, &s);
	if (i->simd_prefix == SIMD_66)
		m = (s.q[0] >> 63) | ((s.q[1] >> 63) << 1);
	else
		for (int k = 0; k < 4; k++)
			m |= (uint64_t)(s.d[k] >> 31) << k;
	c->s.gpr[i->reg] = m;
}

/* 0F 6F: MOVQ mm, mm/m64; MOVDQA (66); MOVDQU (F3). */
SSE_HANDLER(op_movdq_load)
{
	union vec v;

	if (i->simd_prefix == SIMD_NONE) {
		mmx_check(c);
		vec_get_rm(c, i, false, &v, 8, false);
		mm_write(c, i->reg, v.q[0]);
		return;
	}
	sse_check(c);
	vec_get_rm(c, i, true, &v, 16, i->simd_prefix == SIMD_66);
	xmm_put(c, i->reg, &v);
}

/* 0F 7F: MOVQ mm/m64, mm; MOVDQA (66) and MOVDQU (F3) stores. */
SSE_HANDLER(op_movdq_store)
{
	union vec v;

	if (i->simd_prefix == SIMD_NONE) {
		mmx_check(c);
		v.q[0] = mm_read(c, i->reg & 7);
		v.q[1] = 0;
		if (i->mod == 3) {
			mm_write(c, i->rm, v.q[0]);
		} else {
			sse_mem_write(c, i, &v, 8, 1);
			mmx_enter(c);
		}
		return;
	}
	sse_check(c);
	xmm_get(c, i->reg, &v);
	if (i->mod == 3)
		xmm_put(c, i->rm, &v);
	else
		sse_mem_write(c, i, &v, 16, i->simd_prefix == SIMD_66 ? 16 : 1);
}

/* 0F 6E: MOVD/MOVQ mm, r/m32/64; 66: MOVD/MOVQ xmm, r/m32/64 (zero
 * extended).  REX.W picks the 64-bit form. */
SSE_HANDLER(op_movd_load)
{
	int size = i->osz == 8 ? 8 : 4;
	bool x = i->simd_prefix == SIMD_66;
	union vec v = { .q = { 0, 0 } };

	simd_check(c, x);
	v.q[0] = i->mod == 3 ? reg_read(c, i->rm, size) :
			       mem_read(c, i->seg, insn_ea(c, i), size);
	vec_put(c, x, i->reg, &v);
}

/* 0F 7E: MOVD/MOVQ r/m32/64, mm (66: xmm); F3: MOVQ xmm, xmm/m64. */
SSE_HANDLER(op_movd_store)
{
	int size = i->osz == 8 ? 8 : 4;
	bool x = i->simd_prefix == SIMD_66;
	union vec v;

	if (i->simd_prefix == SIMD_F3) {
		sse_check(c);
		vec_get_rm(c, i, true, &v, 8, false);
		v.q[1] = 0;
		xmm_put(c, i->reg, &v);
		return;
	}
	simd_check(c, x);
	vec_get(c, x, i->reg, &v);
	if (i->mod == 3)
		reg_write(c, i->rm, size == 8 ? 8 : 4, v.q[0]);
	else
		mem_write(c, i->seg, insn_ea(c, i), size, v.q[0]);
	if (!x)
		mmx_enter(c);
}

/* 0F D6: 66 MOVQ xmm/m64, xmm; F3 MOVQ2DQ xmm, mm; F2 MOVDQ2Q mm, xmm. */
SSE_HANDLER(op_movq_d6)
{
	union vec v = { .q = { 0, 0 } };

	sse_check(c);
	switch (i->simd_prefix) {
	case SIMD_66:
		v.q[0] = c->s.fpu.xmm[i->reg][0];
		if (i->mod == 3)
			xmm_put(c, i->rm, &v);
		else
			sse_mem_write(c, i, &v, 8, 1);
		break;
	case SIMD_F3:
		mmx_check(c);
		v.q[0] = mm_read(c, i->rm & 7);
		mmx_enter(c);
		xmm_put(c, i->reg, &v);
		break;
	default:
		mmx_check(c);
		mm_write(c, i->reg, c->s.fpu.xmm[i->rm][0]);
		break;
	}
}

/* 0F E7: MOVNTQ m64, mm; 66: MOVNTDQ m128, xmm (aligned). */
SSE_HANDLER(op_movnt_store)
{
	union vec v = { .q = { 0, 0 } };

	if (i->simd_prefix == SIMD_66) {
		op_movaps_store(c, i);
		return;
	}
	mmx_check(c);
	v.q[0] = mm_read(c, i->reg & 7);
	sse_mem_write(c, i, &v, 8, 1);
	mmx_enter(c);
}

/* 0F C3: MOVNTI m32/m64, r32/r64 (an ordinary store here). */
SSE_HANDLER(op_movnti)
{
	int size = i->osz == 8 ? 8 : 4;

	mem_write(c, i->seg, insn_ea(c, i), size, reg_read(c, i->reg, size));
}

/* F2 0F F0: LDDQU xmm, m128 (no alignment). */
SSE_HANDLER(op_lddqu)
{
	union vec v;

	sse_check(c);
	sse_mem_read(c, i, &v, 16, 1);
	xmm_put(c, i->reg, &v);
}

/* 66 0F 38 2A: MOVNTDQA xmm, m128 (aligned). */
SSE_HANDLER(op_movntdqa)
{
	union vec v;

	sse_check(c);
	sse_mem_read(c, i, &v, 16, 16);
	xmm_put(c, i->reg, &v);
}

/* 0F F7: MASKMOVQ mm, mm; 66: MASKMOVDQU xmm, xmm: the bytes of reg
 * whose mask byte (in r/m) has its top bit set go to DS:rDI (SDM Vol. 2
 * "MASKMOVDQU": no alignment check, the segment may be overridden). */
SSE_HANDLER(op_maskmov)
{
	bool x = i->simd_prefix == SIMD_66;
	int n = x ? 16 : 8;
	union vec d, m;
	uint64_t off = c->s.gpr[R_DI] & size_mask(i->asz);
	bool any = false;

	simd_check(c, x);
	vec_get(c, x, i->reg, &d);
	vec_get(c, x, i->rm, &m);
	for (int k = 0; k < n; k++)
		any |= (m.b[k] & 0x80) != 0;
	if (any) {
		uint64_t lin = seg_linear(c, i->seg, off, n, ACC_WRITE);

		for (int k = 0; k < n; k++)
			if (m.b[k] & 0x80)
				lin_write(c, (lin + (uint64_t)k) & c->lin_mask,
					  1, d.b[k]);
	}
	if (!x)
		mmx_enter(c);
}

/* 0F 77: EMMS: every x87 register empty (SDM Vol. 2 "EMMS"). */
SSE_HANDLER(op_emms)
{
	(void)i;
	mmx_check(c);
	c->s.fpu.ftw = 0;
}

/* --- MXCSR, ordering, caches ------------------------------------------- */

/* 0F AE /2: LDMXCSR m32; #GP(0) for reserved bits (SDM Vol. 2
 * "LDMXCSR"). */
SSE_HANDLER(op_ldmxcsr)
{
	uint32_t v;

	sse_check(c);
	v = (uint32_t)mem_read(c, i->seg, insn_ea(c, i), 4);
	if (v & ~MXCSR_VALID)
		cpu_raise_error(c, EXC_GP, 0);
	c->s.fpu.mxcsr = v;
}

/* 0F AE /3: STMXCSR m32. */
SSE_HANDLER(op_stmxcsr)
{
	sse_check(c);
	mem_write(c, i->seg, insn_ea(c, i), 4, c->s.fpu.mxcsr);
}

/* 0F AE E8/F0/F8: LFENCE, MFENCE, SFENCE.  One CPU that performs its
 * accesses in program order: nothing to wait for. */
SSE_HANDLER(op_sse_fence)
{
	(void)c;
	(void)i;
}

/* 0F AE /7: CLFLUSH m8.  No caches are modelled, but the address is
 * checked as a byte read (SDM Vol. 2 "CLFLUSH": #GP, #SS, #PF as for a
 * read). */
SSE_HANDLER(op_clflush)
{
	uint64_t lin = seg_linear(c, i->seg, insn_ea(c, i), 1, ACC_READ);

	(void)lin_read(c, lin, 1);
}
