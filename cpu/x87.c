// SPDX-License-Identifier: MIT
/*
 * The x87 FPU: running one escape instruction (the #NM and #MF checks,
 * the status word, the instruction and data pointers), the register
 * stack, memory operands and the FSTENV/FLDENV environment layouts.
 * SDM Vol. 1 ch. 8; Vol. 3A §2.5 (CR0.EM, MP, TS, NE) and §6.15 (#MF).
 *
 * An unmasked exception sets FSW.ES; the next waiting x87 instruction
 * (or WAIT) raises #MF when CR0.NE = 1.  With CR0.NE = 0 a PC signals
 * FERR# to the interrupt controller as IRQ 13 (SDM Vol. 3A §22.18,
 * Vol. 1 App. D); that path is not modelled: the waiting instruction
 * then runs as if IGNNE# were asserted.
 */
#include "cpu/x87.h"

/* --- stack and tags ------------------------------------------------------ */

static void set_top(struct fpu_state *f, unsigned top)
{
	f->fsw = (uint16_t)((f->fsw & ~FSW_TOP) | ((top & 7) << FSW_TOP_SHIFT));
}

void x87_set_top(struct fpu_state *f, unsigned top)
{
	struct x87_reg phys[8];
	unsigned old = x87_top(f);

	/* st[] follows TOP; the physical registers stay where they are. */
	for (unsigned k = 0; k < 8; k++)
		phys[(old + k) & 7] = f->st[k];
	for (unsigned k = 0; k < 8; k++)
		f->st[k] = phys[(top + k) & 7];
	set_top(f, top);
}

void x87_push(struct fpu_state *f, fx80 v)
{
	unsigned top = (x87_top(f) - 1) & 7;

	memmove(&f->st[1], &f->st[0], 7 * sizeof(f->st[0]));
	f->st[0] = v;
	set_top(f, top);
	f->ftw |= (uint8_t)(1u << top);
}

void x87_pop(struct fpu_state *f)
{
	unsigned top = x87_top(f);
	fx80 old = f->st[0];

	f->ftw &= (uint8_t)~(1u << top);
	memmove(&f->st[0], &f->st[1], 7 * sizeof(f->st[0]));
	f->st[7] = old;
	set_top(f, top + 1);
}

void x87_set_st(struct fpu_state *f, unsigned k, fx80 v)
{
	f->st[k & 7] = v;
	f->ftw |= (uint8_t)(1u << x87_phys(f, k));
}

unsigned x87_tag(const struct fpu_state *f, unsigned p)
{
	const fx80 *r = &f->st[(p - x87_top(f)) & 7];
	unsigned e = r->sign_exp & 0x7fff;

	if (!(f->ftw & (1u << p)))
		return 3; /* empty */
	if (e == 0 && r->mantissa == 0)
		return 1; /* zero */
	if (e != 0 && e != 0x7fff && (r->mantissa >> 63))
		return 0; /* valid */
	return 2; /* special: NaN, infinity, denormal, unsupported */
}

uint16_t x87_full_tag_word(const struct fpu_state *f)
{
	uint16_t tw = 0;

	for (unsigned p = 0; p < 8; p++)
		tw |= (uint16_t)(x87_tag(f, p) << (2 * p));
	return tw;
}

void x87_stack_underflow(struct x87_op *x)
{
	x->env.flags = (uint16_t)((x->env.flags | FX_IE | FX_SF) & ~FX_C1);
	x->cc &= (uint16_t)~FSW_C1;
	x->cc_mask |= FSW_C1;
}

void x87_stack_overflow(struct x87_op *x)
{
	x->env.flags |= FX_IE | FX_SF | FX_C1;
	x->cc |= FSW_C1;
	x->cc_mask |= FSW_C1;
}

bool x87_may_write(const struct x87_op *x)
{
	return !fx_aborted(&x->env);
}

/* --- memory operands ----------------------------------------------------- */

void x87_mem_read(struct x87_op *x, uint64_t off, void *buf, int len)
{
	struct cpu *c = x->c;
	uint64_t lin = seg_linear(c, x->i->seg, off, len, ACC_READ);
	uint8_t *p = buf;

	for (int k = 0; k < len;) {
		int n = len - k >= 8 ? 8 : len - k >= 4 ? 4 : len - k >= 2 ? 2 : 1;
		uint64_t v = lin_read(c, (lin + (uint64_t)k) & c->lin_mask, n);

		for (int b = 0; b < n; b++)
			p[k + b] = (uint8_t)(v >> (8 * b));
		k += n;
	}
}

void x87_mem_write(struct x87_op *x, uint64_t off, const void *buf, int len)
{
	struct cpu *c = x->c;
	uint64_t lin = seg_linear(c, x->i->seg, off, len, ACC_WRITE);
	const uint8_t *p = buf;

	for (int k = 0; k < len;) {
		int n = len - k >= 8 ? 8 : len - k >= 4 ? 4 : len - k >= 2 ? 2 : 1;
		uint64_t v = 0;

		for (int b = 0; b < n; b++)
			v |= (uint64_t)p[k + b] << (8 * b);
		lin_write(c, (lin + (uint64_t)k) & c->lin_mask, n, v);
		k += n;
	}
}

/* --- the environment (SDM Vol. 1 §8.1.10, Figures 8-9 to 8-12) ---------- */

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

static uint32_t get16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t get32(const uint8_t *p)
{
	return get16(p) | get16(p + 2) << 16;
}

static bool real_layout(const struct cpu *c)
{
	return !c->pe || (c->s.rflags & FLAG_VM);
}

void x87_store_env(struct x87_op *x, uint8_t *buf, int *len)
{
	const struct fpu_state *f = x->f;
	bool real = real_layout(x->c);
	uint32_t ip = (uint32_t)f->fip, dp = (uint32_t)f->fdp;
	uint16_t tw = x87_full_tag_word(f);

	if (real) {
		/* Real-mode layouts hold 20/32-bit linear pointers. */
		ip += (uint32_t)f->fcs << 4;
		dp += (uint32_t)f->fds << 4;
	}
	if (x->i->osz == 2) {
		*len = 14;
		put16(buf, f->fcw);
		put16(buf + 2, f->fsw);
		put16(buf + 4, tw);
		put16(buf + 6, ip);
		if (real) {
			put16(buf + 8, ((ip >> 4) & 0xf000) | (f->fop & 0x7ff));
			put16(buf + 10, dp);
			put16(buf + 12, (dp >> 4) & 0xf000);
		} else {
			put16(buf + 8, f->fcs);
			put16(buf + 10, dp);
			put16(buf + 12, f->fds);
		}
		return;
	}
	*len = 28;
	/* The reserved upper halves read as ones on P6 and later. */
	put32(buf, 0xffff0000u | f->fcw);
	put32(buf + 4, 0xffff0000u | f->fsw);
	put32(buf + 8, 0xffff0000u | tw);
	if (real) {
		put32(buf + 12, 0xffff0000u | (ip & 0xffff));
		put32(buf + 16, ((ip >> 4) & 0x0ffff000u) | (f->fop & 0x7ff));
		put32(buf + 20, 0xffff0000u | (dp & 0xffff));
		put32(buf + 24, (dp >> 4) & 0x0ffff000u);
	} else {
		put32(buf + 12, ip);
		put32(buf + 16, f->fcs | ((uint32_t)(f->fop & 0x7ff) << 16));
		put32(buf + 20, dp);
		put32(buf + 24, 0xffff0000u | f->fds);
	}
}

void x87_set_summary(struct fpu_state *f)
{
	if (f->fsw & ~f->fcw & FX_EXC)
		f->fsw |= FSW_ES | FSW_B;
	else
		f->fsw &= (uint16_t)~(FSW_ES | FSW_B);
}

void x87_load_env(struct x87_op *x, const uint8_t *buf, int *len)
{
	struct fpu_state *f = x->f;
	bool real = real_layout(x->c);
	uint32_t tw;

	if (x->i->osz == 2) {
		*len = 14;
		f->fcw = x87_fcw_value(get16(buf));
		x87_set_top(f, get16(buf + 2) >> FSW_TOP_SHIFT);
		f->fsw = (uint16_t)get16(buf + 2);
		tw = get16(buf + 4);
		if (real) {
			f->fip = get16(buf + 6) | (get16(buf + 8) & 0xf000) << 4;
			f->fop = (uint16_t)(get16(buf + 8) & 0x7ff);
			f->fdp = get16(buf + 10) | (get16(buf + 12) & 0xf000) << 4;
			f->fcs = 0;
			f->fds = 0;
		} else {
			f->fip = get16(buf + 6);
			f->fcs = (uint16_t)get16(buf + 8);
			f->fdp = get16(buf + 10);
			f->fds = (uint16_t)get16(buf + 12);
		}
	} else {
		*len = 28;
		f->fcw = x87_fcw_value(get16(buf));
		x87_set_top(f, get16(buf + 4) >> FSW_TOP_SHIFT);
		f->fsw = (uint16_t)get16(buf + 4);
		tw = get16(buf + 8);
		if (real) {
			f->fip = get16(buf + 12) |
				 (get32(buf + 16) & 0x0ffff000u) << 4;
			f->fop = (uint16_t)(get32(buf + 16) & 0x7ff);
			f->fdp = get16(buf + 20) |
				 (get32(buf + 24) & 0x0ffff000u) << 4;
			f->fcs = 0;
			f->fds = 0;
		} else {
			f->fip = get32(buf + 12);
			f->fcs = (uint16_t)get16(buf + 16);
			f->fop = (uint16_t)((get32(buf + 16) >> 16) & 0x7ff);
			f->fdp = get32(buf + 20);
			f->fds = (uint16_t)get16(buf + 24);
		}
	}
	/* Tag 11 empties a register; any other tag is recomputed from the
	 * register's contents when read (SDM Vol. 1 §8.1.7). */
	f->ftw = 0;
	for (unsigned p = 0; p < 8; p++)
		if (((tw >> (2 * p)) & 3) != 3)
			f->ftw |= (uint8_t)(1u << p);
	x87_set_summary(f);
}

/* --- running an instruction --------------------------------------------- */

void x87_reset(struct fpu_state *f)
{
	f->fcw = 0x037f;
	f->fsw = 0;
	f->ftw = 0;
	f->fop = 0;
	f->fip = 0;
	f->fdp = 0;
	f->fcs = 0;
	f->fds = 0;
	f->mxcsr = MXCSR_RESET;
}

/* A pending unmasked exception is taken by the next waiting instruction
 * (SDM Vol. 1 §8.6; Vol. 3A §6.15 "Interrupt 16"). */
static void check_pending(struct cpu *c)
{
	const struct fpu_state *f = &c->s.fpu;

	if ((f->fsw & ~f->fcw & FX_EXC) && (c->s.cr0 & CR0_NE))
		cpu_raise(c, EXC_MF);
}

void x87_wait(struct cpu *c)
{
	/* SDM Vol. 3A §2.5 Table 2-2: WAIT faults only with MP and TS. */
	if ((c->s.cr0 & CR0_MP) && (c->s.cr0 & CR0_TS))
		cpu_raise(c, EXC_NM);
	check_pending(c);
}

static const uint8_t pc_bits[4] = { 24, 64, 53, 64 };

void x87_execute(struct cpu *c, const struct insn *i)
{
	struct fpu_state *f = &c->s.fpu;
	const struct x87_desc *d;
	struct x87_op x;
	uint16_t cc;

	/* SDM Vol. 3A §2.5, Table 2-2: EM or TS makes every escape #NM. */
	if (c->s.cr0 & (CR0_EM | CR0_TS))
		cpu_raise(c, EXC_NM);
	d = x87_decode(i->opcode & 7, i);
	if (!d->fn)
		cpu_raise(c, EXC_UD);
	if (!(d->flags & X87_NOWAIT))
		check_pending(c);

	x.c = c;
	x.i = i;
	x.f = f;
	x.env.rc = (f->fcw >> FCW_RC_SHIFT) & 3;
	x.env.prec = pc_bits[(f->fcw >> FCW_PC_SHIFT) & 3];
	x.env.masks = f->fcw & FX_EXC;
	x.env.flags = 0;
	x.ea = i->mod != 3 ? insn_ea(c, i) : 0;
	x.cc = 0;
	x.cc_mask = 0;
	d->fn(&x);

	/* Commit: the handler has done every access that can fault. */
	if (d->flags & X87_CONTROL) {
		f->fsw = (uint16_t)((f->fsw & ~x.cc_mask) | (x.cc & x.cc_mask));
		return;
	}
	/* C1 is the round-up indicator unless the handler set it. */
	cc = x.cc;
	if (!(x.cc_mask & FSW_C1) && !(d->flags & X87_KEEP_C1)) {
		x.cc_mask |= FSW_C1;
		cc = (uint16_t)((cc & ~FSW_C1) |
				((x.env.flags & FX_C1) ? FSW_C1 : 0));
	}
	f->fsw = (uint16_t)((f->fsw & ~x.cc_mask) | (cc & x.cc_mask) |
			    (x.env.flags & (FX_EXC | FX_SF)));
	if (f->fsw & ~f->fcw & FX_EXC)
		f->fsw |= FSW_ES | FSW_B;
	/* The last non-control instruction (SDM Vol. 1 §8.1.8, §8.1.9). */
	f->fip = c->s.rip;
	f->fcs = c->s.seg[SEG_CS].sel;
	f->fop = (uint16_t)(((i->opcode & 7u) << 8) | (unsigned)(i->mod << 6) |
			    (unsigned)(i->reg << 3) | i->rm);
	if (i->mod != 3) {
		f->fdp = x.ea;
		f->fds = c->s.seg[i->seg].sel;
	}
}
