// SPDX-License-Identifier: MIT
/*
 * FXSAVE and FXRSTOR (SDM Vol. 2 "FXSAVE", "FXRSTOR"; Vol. 1 §10.5.1):
 * the 512-byte image of the x87, MMX and SSE state.  The image functions
 * are shared with the SSE and XSAVE work.
 */
#include "cpu/x87.h"

static void put(uint8_t *p, int n, uint64_t v)
{
	for (int k = 0; k < n; k++)
		p[k] = (uint8_t)(v >> (8 * k));
}

static uint64_t get(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int k = n - 1; k >= 0; k--)
		v = v << 8 | p[k];
	return v;
}

/* Legacy (32-bit pointer) format, Table 10-2; bytes FXSAVE leaves alone
 * (the XMM slots past nxmm, 416-511) are not written. */
void fxsave_image_store(const struct fpu_state *f, uint8_t img[512], int nxmm)
{
	memset(img, 0, 160);
	put(img + 0, 2, f->fcw);
	put(img + 2, 2, f->fsw);
	img[4] = f->ftw; /* abridged: 1 = not empty */
	put(img + 6, 2, f->fop & 0x7ff);
	put(img + 8, 4, f->fip);
	put(img + 12, 2, f->fcs);
	put(img + 16, 4, f->fdp);
	put(img + 20, 2, f->fds);
	put(img + 24, 4, f->mxcsr);
	put(img + 28, 4, MXCSR_MASK);
	for (int k = 0; k < 8; k++) {
		put(img + 32 + 16 * k, 8, f->st[k].mantissa);
		put(img + 40 + 16 * k, 2, f->st[k].sign_exp);
	}
	for (int k = 0; k < nxmm; k++) {
		put(img + 160 + 16 * k, 8, f->xmm[k][0]);
		put(img + 168 + 16 * k, 8, f->xmm[k][1]);
	}
}

bool fxsave_image_load(struct fpu_state *f, const uint8_t img[512], int nxmm)
{
	uint32_t mxcsr = (uint32_t)get(img + 24, 4);

	if (mxcsr & ~MXCSR_MASK)
		return false;
	f->fcw = x87_fcw_value((uint32_t)get(img + 0, 2));
	f->fsw = (uint16_t)get(img + 2, 2);
	f->ftw = img[4];
	f->fop = (uint16_t)(get(img + 6, 2) & 0x7ff);
	f->fip = get(img + 8, 4);
	f->fcs = (uint16_t)get(img + 12, 2);
	f->fdp = get(img + 16, 4);
	f->fds = (uint16_t)get(img + 20, 2);
	f->mxcsr = mxcsr;
	for (int k = 0; k < 8; k++) {
		f->st[k].mantissa = get(img + 32 + 16 * k, 8);
		f->st[k].sign_exp = (uint16_t)get(img + 40 + 16 * k, 2);
	}
	x87_set_summary(f);
	for (int k = 0; k < nxmm; k++) {
		f->xmm[k][0] = get(img + 160 + 16 * k, 8);
		f->xmm[k][1] = get(img + 168 + 16 * k, 8);
	}
	return true;
}

/* #NM with CR0.TS or CR0.EM; #GP(0) for a misaligned operand (SDM
 * Vol. 2 FXSAVE "Protected Mode Exceptions"). */
static uint64_t fx_operand(struct cpu *c, const struct insn *i,
			   enum access_kind acc)
{
	uint64_t ea;

	if (c->s.cr0 & (CR0_EM | CR0_TS))
		cpu_raise(c, EXC_NM);
	ea = insn_ea(c, i);
	if ((c->s.seg[i->seg].base + ea) & 15)
		cpu_raise_error(c, EXC_GP, 0);
	return seg_linear(c, i->seg, ea, 512, acc);
}

static int xmm_count(const struct cpu *c)
{
	return long_mode_64(c) ? 16 : 8;
}

void x87_fxsave(struct cpu *c, const struct insn *i)
{
	uint64_t lin = fx_operand(c, i, ACC_WRITE);
	int nxmm = xmm_count(c);
	uint8_t img[512];

	fxsave_image_store(&c->s.fpu, img, nxmm);
	if (i->osz == 8) {
		/* FXSAVE64 (REX.W): 64-bit FIP and FDP, no selectors. */
		put(img + 8, 8, c->s.fpu.fip);
		put(img + 16, 8, c->s.fpu.fdp);
	}
	for (int k = 0; k < 160 + 16 * nxmm; k += 8)
		lin_write(c, (lin + (uint64_t)k) & c->lin_mask, 8,
			  get(img + k, 8));
}

void x87_fxrstor(struct cpu *c, const struct insn *i)
{
	uint64_t lin = fx_operand(c, i, ACC_READ);
	int nxmm = xmm_count(c);
	struct fpu_state f = c->s.fpu;
	uint8_t img[512];

	/* Read everything first: a fault leaves the state unchanged. */
	for (int k = 0; k < 160 + 16 * nxmm; k += 8)
		put(img + k, 8, lin_read(c, (lin + (uint64_t)k) & c->lin_mask, 8));
	if (!fxsave_image_load(&f, img, nxmm))
		cpu_raise_error(c, EXC_GP, 0);
	if (i->osz == 8) {
		f.fip = get(img + 8, 8);
		f.fdp = get(img + 16, 8);
		f.fcs = 0;
		f.fds = 0;
	}
	c->s.fpu = f;
}
