// SPDX-License-Identifier: MIT
/*
 * x87 instruction semantics (SDM Vol. 2 "F..." pages) and the escape
 * opcode map (SDM Vol. 2 App. A.4, Tables ).  Every handler
 * reads its memory operand and does its memory store before it changes
 * the FPU state, so a fault leaves the state as it was.
 */
#include "cpu/x87.h"

static unsigned sti(const struct x87_op *x)
{
	return x->i->rm & 7;
}

static unsigned reg_field(const struct x87_op *x)
{
	return x->i->reg & 7;
}

/* ST(k) as a source: an empty register is a stack underflow, and reads
 * as the indefinite (the masked response). */
static bool fetch(struct x87_op *x, unsigned k, fx80 *v)
{
	if (x87_valid(x->f, k)) {
		*v = x->f->st[k];
		return true;
	}
	x87_stack_underflow(x);
	*v = fx_indefinite();
	return false;
}

/* Room for a push: ST(7) must be empty. */
static bool push_ok(struct x87_op *x)
{
	if (!x87_valid(x->f, 7))
		return true;
	x87_stack_overflow(x);
	return false;
}

static void set_cc(struct x87_op *x, uint16_t cc)
{
	x->cc = (uint16_t)((x->cc & FSW_C1) | cc);
	x->cc_mask |= FSW_C0 | FSW_C2 | FSW_C3;
}

static bool is_nan_or_bad(fx80 a)
{
	enum fx_class k = fx_classify(a);

	return k == FXC_QNAN || k == FXC_SNAN || k == FXC_UNSUPPORTED;
}

/* --- memory operand formats ---------------------------------------------- */

enum mfmt { M_F32, M_F64, M_F80, M_I16, M_I32, M_I64, M_BCD };

static const int mfmt_len[] = { 4, 8, 10, 2, 4, 8, 10 };

static uint64_t le_get(const uint8_t *b, int n)
{
	uint64_t v = 0;

	for (int k = n - 1; k >= 0; k--)
		v = v << 8 | b[k];
	return v;
}

static void le_put(uint8_t *b, int n, uint64_t v)
{
	for (int k = 0; k < n; k++)
		b[k] = (uint8_t)(v >> (8 * k));
}

/*
 * A source operand in memory as an 80-bit value, exactly.  For the
 * arithmetic forms (arith) an SNaN stays signalling for the operation to
 * see, and a binary32/64 denormal is reported in *denormal.
 */
static fx80 mem_operand(struct x87_op *x, enum mfmt fmt, bool arith,
			bool *denormal)
{
	uint8_t b[10];
	struct fx_env env = x->env;
	uint64_t v;
	fx80 r;

	x87_mem_read(x, x->ea, b, mfmt_len[fmt]);
	v = le_get(b, fmt == M_F80 || fmt == M_BCD ? 8 : mfmt_len[fmt]);
	*denormal = false;
	switch (fmt) {
	case M_F32:
	case M_F64:
		env.flags = 0;
		r = fmt == M_F32 ? fx_from_f32(&env, (uint32_t)v)
				 : fx_from_f64(&env, v);
		if (arith) {
			if (env.flags & FX_IE)
				r.mantissa &= ~(1ull << 62);
			*denormal = env.flags & FX_DE;
		} else {
			x->env.flags |= env.flags;
		}
		return r;
	case M_F80:
		return fx_make(b[9] >> 7, (uint16_t)(le_get(b + 8, 2) & 0x7fff),
			       v);
	case M_I16:
		return fx_from_int((int16_t)v);
	case M_I32:
		return fx_from_int((int32_t)v);
	case M_I64:
		return fx_from_int((int64_t)v);
	default:
		return fx_from_bcd(b);
	}
}

/* Store v in format fmt; false when an unmasked exception forbids it. */
static bool mem_store(struct x87_op *x, enum mfmt fmt, fx80 v, bool chop)
{
	uint8_t b[10];
	bool ok = true;
	int64_t n;
	uint32_t u32;
	uint64_t u64;

	switch (fmt) {
	case M_F32:
		ok = fx_to_f32(&x->env, v, &u32);
		le_put(b, 4, u32);
		break;
	case M_F64:
		ok = fx_to_f64(&x->env, v, &u64);
		le_put(b, 8, u64);
		break;
	case M_F80:
		le_put(b, 8, v.mantissa);
		le_put(b + 8, 2, v.sign_exp);
		break;
	case M_I16:
	case M_I32:
	case M_I64:
		ok = fx_to_int(&x->env, v, 8 * mfmt_len[fmt], chop, &n);
		le_put(b, mfmt_len[fmt], (uint64_t)n);
		break;
	default:
		ok = fx_to_bcd(&x->env, v, b);
		break;
	}
	if (!ok)
		return false;
	x87_mem_write(x, x->ea, b, mfmt_len[fmt]);
	return true;
}

/* The memory format of a load or store form, by escape and ModRM.reg. */
static enum mfmt mem_format(unsigned esc, unsigned reg)
{
	switch (esc) {
	case 1:
		return M_F32;
	case 3:
		return reg >= 4 ? M_F80 : M_I32;
	case 5:
		return reg == 1 ? M_I64 : M_F64;
	default: /* 7 */
		switch (reg) {
		case 4:
		case 6:
			return M_BCD;
		case 5:
		case 7:
			return M_I64;
		default:
			return M_I16;
		}
	}
}

/* --- loads and stores ---------------------------------------------------- */

/* FLD m32/m64/m80, FILD, FBLD. */
static void op_load_mem(struct x87_op *x)
{
	enum mfmt fmt = mem_format(x->i->opcode & 7, reg_field(x));
	uint16_t before = x->env.flags;
	bool den;
	fx80 v = mem_operand(x, fmt, false, &den);

	if (!push_ok(x)) {
		/* The stack fault ranks first: no IE/DE of the operand. */
		x->env.flags = (uint16_t)(before | FX_IE | FX_SF | FX_C1);
		v = fx_indefinite();
	}
	/* An unmasked DE (binary32/64 denormal) still loads: the host x87
	 * pushes the value and leaves #MF pending. */
	if (x->env.flags & ~x->env.masks & FX_IE)
		return;
	x87_push(x->f, v);
}

/* FST/FSTP m32/m64/m80, FIST/FISTP/FISTTP, FBSTP. */
static void op_store_mem(struct x87_op *x)
{
	unsigned esc = x->i->opcode & 7, reg = reg_field(x);
	enum mfmt fmt = mem_format(esc, reg);
	bool pop = reg != 2, chop = reg == 1;
	fx80 v;

	if (!fetch(x, 0, &v)) {
		if (!x87_may_write(x))
			return;
		/* The masked response stores the indefinite of the format. */
	}
	if (!mem_store(x, fmt, v, chop))
		return;
	if (pop)
		x87_pop(x->f);
}

/* FLD ST(i) */
static void op_fld_st(struct x87_op *x)
{
	fx80 v;

	/* An empty source ranks before a full stack (C1 = 0). */
	if (fetch(x, sti(x), &v) && !push_ok(x))
		v = fx_indefinite();
	if (x87_may_write(x))
		x87_push(x->f, v);
}

/* FST/FSTP ST(i), and the FSTP1/8/9 aliases. */
static void op_fst_st(struct x87_op *x)
{
	unsigned esc = x->i->opcode & 7, reg = reg_field(x);
	bool pop = !(esc == 5 && reg == 2);
	fx80 v;

	fetch(x, 0, &v);
	if (!x87_may_write(x))
		return;
	x87_set_st(x->f, sti(x), v);
	if (pop)
		x87_pop(x->f);
}

/* D9 D8+i: FSTP, but an empty ST(0) only pops, with no stack fault
 * (the host x87's behaviour of this undocumented alias). */
static void op_fstpnce(struct x87_op *x)
{
	if (x87_valid(x->f, 0)) {
		op_fst_st(x);
		return;
	}
	x87_pop(x->f);
}

/* FXCH ST(i) and its FXCH4/FXCH7 aliases. */
static void op_fxch(struct x87_op *x)
{
	unsigned k = sti(x);
	fx80 a, b;

	fetch(x, 0, &a);
	fetch(x, k, &b);
	if (!x87_may_write(x))
		return;
	x87_set_st(x->f, 0, b);
	x87_set_st(x->f, k, a);
}

/* FCMOVcc (P6): DA /0-3 B, E, BE, U; DB /0-3 their negations. */
static void op_fcmov(struct x87_op *x)
{
	static const uint8_t cond[4] = { 0x2, 0x4, 0x6, 0xa }; /* Jcc codes */
	unsigned esc = x->i->opcode & 7, reg = reg_field(x);
	bool take = cond_true(x->c, cond[reg] | (esc == 3 ? 1 : 0));
	fx80 a, b;

	fetch(x, 0, &a);
	fetch(x, sti(x), &b);
	if (!x87_may_write(x))
		return;
	if (!x87_valid(x->f, 0) || !x87_valid(x->f, sti(x)))
		x87_set_st(x->f, 0, fx_indefinite());
	else if (take)
		x87_set_st(x->f, 0, b);
}

static void op_ffree(struct x87_op *x)
{
	x->f->ftw &= (uint8_t)~(1u << x87_phys(x->f, sti(x)));
	if ((x->i->opcode & 7) == 7) /* FFREEP */
		x87_pop(x->f);
}

static void op_fnop(struct x87_op *x)
{
	(void)x;
}

static void op_fchs_fabs(struct x87_op *x)
{
	fx80 v;

	if (!fetch(x, 0, &v)) {
		if (x87_may_write(x))
			x87_set_st(x->f, 0, v);
		return;
	}
	if (sti(x) == 0)
		v.sign_exp ^= 0x8000;
	else
		v.sign_exp &= 0x7fff;
	x87_set_st(x->f, 0, v);
}

static void op_fldconst(struct x87_op *x)
{
	static const uint8_t which[7] = { FXK_ONE, FXK_L2T, FXK_L2E, FXK_PI,
					  FXK_LG2, FXK_LN2, FXK_ZERO };
	fx80 v = fx_constant(which[sti(x)], x->env.rc);

	if (!push_ok(x))
		v = fx_indefinite();
	if (x87_may_write(x))
		x87_push(x->f, v);
}

static void op_fincdecstp(struct x87_op *x)
{
	struct fpu_state *f = x->f;
	unsigned top = x87_top(f);
	fx80 t;

	if (sti(x) == 7) { /* FINCSTP */
		t = f->st[0];
		memmove(&f->st[0], &f->st[1], 7 * sizeof(f->st[0]));
		f->st[7] = t;
		top++;
	} else { /* FDECSTP */
		t = f->st[7];
		memmove(&f->st[1], &f->st[0], 7 * sizeof(f->st[0]));
		f->st[0] = t;
		top--;
	}
	f->fsw = (uint16_t)((f->fsw & ~FSW_TOP) | ((top & 7) << FSW_TOP_SHIFT));
}

/* --- arithmetic ---------------------------------------------------------- */

/* ModRM.reg 0 add, 1 mul, 4 ST(0) - other, 5 other - ST(0), 6 ST(0) /
 * other, 7 other / ST(0): the same in every form (SDM Vol. 2 FSUB,
 * FSUBR, FDIV, FDIVR: the register forms with ST(i) as destination swap
 * the mnemonics, not the operation on ST(0)). */
static fx80 arith(struct x87_op *x, unsigned op, fx80 st0, fx80 other)
{
	switch (op) {
	case 0:
		return fx_add(&x->env, st0, other, false);
	case 1:
		return fx_mul(&x->env, st0, other);
	case 4:
		return fx_add(&x->env, st0, other, true);
	case 5:
		return fx_add(&x->env, other, st0, true);
	case 6:
		return fx_div(&x->env, st0, other);
	default:
		return fx_div(&x->env, other, st0);
	}
}

static const uint16_t cmp_cc[4] = {
	[FX_LT] = FSW_C0,
	[FX_EQ] = FSW_C3,
	[FX_GT] = 0,
	[FX_UNORDERED] = FSW_C3 | FSW_C2 | FSW_C0,
};

/* FCOM family: compare ST(0) with other; pops 0, 1 or 2. */
static void compare(struct x87_op *x, bool ok, fx80 other, bool quiet,
		    int pops)
{
	enum fx_cmp r = FX_UNORDERED;
	fx80 a;

	if (fetch(x, 0, &a) && ok)
		r = fx_compare(&x->env, a, other, quiet);
	/* The condition codes are written even when an unmasked exception
	 * keeps the pops from happening. */
	set_cc(x, cmp_cc[r]);
	if (!x87_may_write(x))
		return;
	while (pops-- > 0)
		x87_pop(x->f);
}

/* D8, DA, DC, DE with a memory operand. */
static void op_arith_mem(struct x87_op *x)
{
	static const uint8_t fmts[4] = { M_F32, M_I32, M_F64, M_I16 };
	unsigned op = reg_field(x);
	enum mfmt fmt = fmts[(x->i->opcode >> 1) & 3];
	bool den;
	fx80 m = mem_operand(x, fmt, true, &den), a, r;

	if (!fetch(x, 0, &a)) {
		if (op == 2 || op == 3)
			compare(x, false, m, false, op == 3);
		else if (x87_may_write(x))
			x87_set_st(x->f, 0, a);
		return;
	}
	/* A denormal memory operand raises DE unless a NaN or a division
	 * by zero ranks higher (SDM Vol. 1 §4.9.2). */
	if (den && !is_nan_or_bad(a) &&
	    !(op == 7 && fx_classify(a) == FXC_ZERO))
		x->env.flags |= FX_DE;
	if (op == 2 || op == 3) {
		compare(x, true, m, false, op == 3);
		return;
	}
	if (!x87_may_write(x))
		return;
	r = arith(x, op, a, m);
	if (x87_may_write(x))
		x87_set_st(x->f, 0, r);
}

/* D8 /r ST(0) op ST(i); DC /r ST(i) op ST(0); DE /r the same and pop. */
static void op_arith_reg(struct x87_op *x)
{
	unsigned esc = x->i->opcode & 7, op = reg_field(x), k = sti(x);
	unsigned dst = esc == 0 ? 0 : k;
	fx80 a, b, r;
	bool ok;

	ok = fetch(x, 0, &a);
	ok = fetch(x, k, &b) && ok;
	if (op == 2 || op == 3) { /* FCOM, FCOMP and the DC/DE aliases */
		compare(x, ok, b, false, (op == 3 || esc == 6) ? 1 : 0);
		return;
	}
	r = ok ? arith(x, op, a, b) : fx_indefinite();
	if (!x87_may_write(x))
		return;
	x87_set_st(x->f, dst, r);
	if (esc == 6)
		x87_pop(x->f);
}

/* FCOMPP (DE D9), FUCOMPP (DA E9). */
static void op_fcompp(struct x87_op *x)
{
	fx80 b;
	bool ok = fetch(x, 1, &b);

	compare(x, ok, b, (x->i->opcode & 7) == 2, 2);
}

/* FUCOM/FUCOMP ST(i) (DD /4 /5). */
static void op_fucom(struct x87_op *x)
{
	fx80 b;
	bool ok = fetch(x, sti(x), &b);

	compare(x, ok, b, true, reg_field(x) == 5);
}

/* FCOMI/FUCOMI (DB), FCOMIP/FUCOMIP (DF): the result in ZF, PF, CF. */
static void op_fcomi(struct x87_op *x)
{
	enum fx_cmp r = FX_UNORDERED;
	bool quiet = reg_field(x) == 5;
	uint32_t fl;
	fx80 a, b;
	bool ok;

	ok = fetch(x, 0, &a);
	ok = fetch(x, sti(x), &b) && ok;
	if (ok)
		r = fx_compare(&x->env, a, b, quiet);
	switch (r) {
	case FX_LT:
		fl = FLAG_CF;
		break;
	case FX_EQ:
		fl = FLAG_ZF;
		break;
	case FX_GT:
		fl = 0;
		break;
	default:
		fl = FLAG_ZF | FLAG_PF | FLAG_CF;
		break;
	}
	/* Set even when an unmasked exception keeps the pop from
	 * happening (as FCOM's condition codes). */
	cpu_set_flags(x->c, fl, FLAG_ZF | FLAG_PF | FLAG_CF | FLAG_OF |
					FLAG_SF | FLAG_AF);
	if (!x87_may_write(x))
		return;
	if ((x->i->opcode & 7) == 7)
		x87_pop(x->f);
}

static void op_ftst(struct x87_op *x)
{
	compare(x, true, fx_zero(false), false, 0);
}

/* FXAM (SDM Vol. 2 FXAM, Table 3-45 of classes). */
static void op_fxam(struct x87_op *x)
{
	fx80 v = x->f->st[0];
	uint16_t cc;

	if (!x87_valid(x->f, 0)) {
		cc = FSW_C3 | FSW_C0;
	} else {
		switch (fx_classify(v)) {
		case FXC_UNSUPPORTED:
			cc = 0;
			break;
		case FXC_QNAN:
		case FXC_SNAN:
			cc = FSW_C0;
			break;
		case FXC_NORMAL:
			cc = FSW_C2;
			break;
		case FXC_INF:
			cc = FSW_C2 | FSW_C0;
			break;
		case FXC_ZERO:
			cc = FSW_C3;
			break;
		default:
			cc = FSW_C3 | FSW_C2;
			break;
		}
	}
	x->cc = (uint16_t)(cc | (fx_sign(v) ? FSW_C1 : 0));
	x->cc_mask = FSW_CC;
}

/* One-operand functions of ST(0): FSQRT, FRNDINT, F2XM1, FSIN, FCOS. */
static void op_unary(struct x87_op *x)
{
	unsigned k = x->i->rm & 7, r6 = reg_field(x) == 6;
	bool out = false;
	fx80 a, r, dummy;

	if (!fetch(x, 0, &a)) {
		if (x87_may_write(x))
			x87_set_st(x->f, 0, a);
		if (!r6 && (k == 6 || k == 7)) {
			x->cc &= (uint16_t)~FSW_C2;
			x->cc_mask |= FSW_C2;
		}
		return;
	}
	if (r6) { /* F0: F2XM1 */
		r = fx_f2xm1(&x->env, a);
	} else {
		switch (k) {
		case 2:
			r = fx_sqrt(&x->env, a);
			break;
		case 4:
			r = fx_rndint(&x->env, a);
			break;
		case 6:
			fx_sincos(&x->env, a, &r, &dummy, &out);
			break;
		default:
			fx_sincos(&x->env, a, &dummy, &r, &out);
			break;
		}
	}
	if (!r6 && (k == 6 || k == 7)) {
		x->cc = (uint16_t)((x->cc & ~FSW_C2) | (out ? FSW_C2 : 0));
		x->cc_mask |= FSW_C2;
	}
	if (out || !x87_may_write(x))
		return;
	x87_set_st(x->f, 0, r);
}

/* FSINCOS and FPTAN: ST(0) becomes the first result, the second is
 * pushed. */
static void op_push2(struct x87_op *x)
{
	bool tan = reg_field(x) == 6, out = false;
	fx80 a, r0, r1;

	x->cc_mask |= FSW_C2; /* C2 = 0 unless out of range */
	if (!fetch(x, 0, &a) || !push_ok(x)) {
		if (!x87_may_write(x))
			return;
		x87_set_st(x->f, 0, fx_indefinite());
		x87_push(x->f, fx_indefinite());
		return;
	}
	if (tan) {
		r0 = fx_tan(&x->env, a, &out);
		r1 = fx_constant(FXK_ONE, FX_RC_NEAREST);
		if (is_nan_or_bad(r0))
			r1 = r0;
	} else {
		fx_sincos(&x->env, a, &r0, &r1, &out);
	}
	if (out) {
		x->cc |= FSW_C2;
		return;
	}
	if (!x87_may_write(x))
		return;
	x87_set_st(x->f, 0, r0);
	x87_push(x->f, r1);
}

/* FXTRACT: ST(0) becomes the exponent, the significand is pushed. */
static void op_fxtract(struct x87_op *x)
{
	fx80 a, e, s;

	if (!fetch(x, 0, &a) || !push_ok(x)) {
		if (!x87_may_write(x))
			return;
		x87_set_st(x->f, 0, fx_indefinite());
		x87_push(x->f, fx_indefinite());
		return;
	}
	e = fx_xtract(&x->env, a, &s);
	if (!x87_may_write(x))
		return;
	x87_set_st(x->f, 0, e);
	x87_push(x->f, s);
}

/* Two operands, result in ST(0): FSCALE, FPREM, FPREM1. */
static void op_binary0(struct x87_op *x)
{
	unsigned k = x->i->rm & 7, q = 0;
	bool partial = false;
	fx80 a, b, r;
	bool ok;

	ok = fetch(x, 0, &a);
	ok = fetch(x, 1, &b) && ok;
	if (!ok) {
		r = fx_indefinite();
	} else if (k == 5 && reg_field(x) == 7) {
		r = fx_scale(&x->env, a, b);
	} else {
		r = fx_rem(&x->env, a, b, k == 5, &q, &partial);
	}
	if (!(k == 5 && reg_field(x) == 7)) {
		/* C2 = incomplete, C1 = Q0; C0 = Q2 and C3 = Q1 only from
		 * a complete reduction of finite operands (otherwise kept,
		 * as the host x87 does). */
		bool finite = ok && !is_nan_or_bad(r) &&
			      fx_classify(a) != FXC_INF &&
			      fx_classify(b) != FXC_ZERO;

		x->cc = (uint16_t)((x->cc & FSW_C1) | (partial ? FSW_C2 : 0));
		x->cc_mask |= FSW_C2;
		if (ok) {
			x->cc = (uint16_t)((x->cc & ~FSW_C1) |
					   ((q & 1) ? FSW_C1 : 0));
			x->cc_mask |= FSW_C1;
		}
		if (partial)
			x->cc_mask |= FSW_C0 | FSW_C3; /* cleared */
		if (finite && !partial) {
			x->cc |= (uint16_t)(((q & 4) ? FSW_C0 : 0) |
					    ((q & 2) ? FSW_C3 : 0));
			x->cc_mask |= FSW_C0 | FSW_C3;
		}
	}
	if (!x87_may_write(x))
		return;
	x87_set_st(x->f, 0, r);
}

/* Two operands, result in ST(1), then pop: FYL2X, FYL2XP1, FPATAN. */
static void op_binary1(struct x87_op *x)
{
	unsigned k = x->i->rm & 7;
	fx80 a, b, r;
	bool ok;

	ok = fetch(x, 0, &a);
	ok = fetch(x, 1, &b) && ok;
	if (!ok)
		r = fx_indefinite();
	else if (k == 3)
		r = fx_patan(&x->env, b, a);
	else
		r = fx_yl2x(&x->env, a, b, reg_field(x) == 7);
	if (!x87_may_write(x))
		return;
	x87_set_st(x->f, 1, r);
	x87_pop(x->f);
}

/* --- control instructions ------------------------------------------------ */

static void op_fninit(struct x87_op *x)
{
	uint32_t mxcsr = x->f->mxcsr;

	x87_set_top(x->f, 0);
	x87_reset(x->f);
	x->f->mxcsr = mxcsr;
}

static void op_fnclex(struct x87_op *x)
{
	x->f->fsw &= (uint16_t)~(FSW_B | FSW_ES | FX_SF | FX_EXC);
}

static void op_nop_control(struct x87_op *x)
{
	(void)x;
}

static void op_fldcw(struct x87_op *x)
{
	uint8_t b[2];

	x87_mem_read(x, x->ea, b, 2);
	x->f->fcw = x87_fcw_value((uint32_t)le_get(b, 2));
	if (x->f->fsw & ~x->f->fcw & FX_EXC)
		x->f->fsw |= FSW_ES | FSW_B;
	else
		x->f->fsw &= (uint16_t)~(FSW_ES | FSW_B);
}

static void op_fnstcw(struct x87_op *x)
{
	uint8_t b[2];

	le_put(b, 2, x->f->fcw);
	x87_mem_write(x, x->ea, b, 2);
}

static void op_fnstsw(struct x87_op *x)
{
	uint8_t b[2];

	if (x->i->mod == 3) { /* DF E0: FNSTSW AX */
		x->c->s.gpr[R_AX] = (x->c->s.gpr[R_AX] & ~0xffffull) |
				    x->f->fsw;
		return;
	}
	le_put(b, 2, x->f->fsw);
	x87_mem_write(x, x->ea, b, 2);
}

static void op_fnstenv(struct x87_op *x)
{
	uint8_t b[28];
	int len;

	x87_store_env(x, b, &len);
	x87_mem_write(x, x->ea, b, len);
	/* SDM Vol. 2 FSTENV: all exceptions masked afterwards. */
	x->f->fcw |= FX_EXC;
}

static void op_fldenv(struct x87_op *x)
{
	uint8_t b[28];
	int len = x->i->osz == 2 ? 14 : 28;

	x87_mem_read(x, x->ea, b, len);
	x87_load_env(x, b, &len);
}

static void op_fnsave(struct x87_op *x)
{
	uint8_t b[108];
	int len;

	x87_store_env(x, b, &len);
	for (int k = 0; k < 8; k++) {
		le_put(b + len + 10 * k, 8, x->f->st[k].mantissa);
		le_put(b + len + 10 * k + 8, 2, x->f->st[k].sign_exp);
	}
	x87_mem_write(x, x->ea, b, len + 80);
	op_fninit(x);
}

static void op_frstor(struct x87_op *x)
{
	uint8_t b[108];
	int len = x->i->osz == 2 ? 14 : 28;

	x87_mem_read(x, x->ea, b, len + 80);
	x87_load_env(x, b, &len);
	for (int k = 0; k < 8; k++) {
		x->f->st[k].mantissa = le_get(b + len + 10 * k, 8);
		x->f->st[k].sign_exp = (uint16_t)le_get(b + len + 10 * k + 8, 2);
	}
}

/* --- the opcode map ------------------------------------------------------ */

#define D(f, fl) { .fn = (f), .flags = (fl) }
#define UD { .fn = NULL, .flags = 0 }
#define CTL (X87_CONTROL)
#define NW (X87_CONTROL | X87_NOWAIT)

static const struct x87_desc mem_forms[8][8] = {
	[0] = { D(op_arith_mem, 0), D(op_arith_mem, 0), D(op_arith_mem, X87_CC),
		D(op_arith_mem, X87_CC), D(op_arith_mem, 0),
		D(op_arith_mem, 0), D(op_arith_mem, 0), D(op_arith_mem, 0) },
	[1] = { D(op_load_mem, 0), UD, D(op_store_mem, 0),
		D(op_store_mem, 0), D(op_fldenv, CTL), D(op_fldcw, CTL),
		D(op_fnstenv, NW), D(op_fnstcw, NW) },
	[2] = { D(op_arith_mem, 0), D(op_arith_mem, 0), D(op_arith_mem, X87_CC),
		D(op_arith_mem, X87_CC), D(op_arith_mem, 0),
		D(op_arith_mem, 0), D(op_arith_mem, 0), D(op_arith_mem, 0) },
	[3] = { D(op_load_mem, 0), D(op_store_mem, 0), D(op_store_mem, 0),
		D(op_store_mem, 0), UD, D(op_load_mem, 0), UD,
		D(op_store_mem, 0) },
	[4] = { D(op_arith_mem, 0), D(op_arith_mem, 0), D(op_arith_mem, X87_CC),
		D(op_arith_mem, X87_CC), D(op_arith_mem, 0),
		D(op_arith_mem, 0), D(op_arith_mem, 0), D(op_arith_mem, 0) },
	[5] = { D(op_load_mem, 0), D(op_store_mem, 0), D(op_store_mem, 0),
		D(op_store_mem, 0), D(op_frstor, CTL), UD, D(op_fnsave, NW),
		D(op_fnstsw, NW) },
	[6] = { D(op_arith_mem, 0), D(op_arith_mem, 0), D(op_arith_mem, X87_CC),
		D(op_arith_mem, X87_CC), D(op_arith_mem, 0),
		D(op_arith_mem, 0), D(op_arith_mem, 0), D(op_arith_mem, 0) },
	[7] = { D(op_load_mem, 0), D(op_store_mem, 0), D(op_store_mem, 0),
		D(op_store_mem, 0), D(op_load_mem, 0), D(op_load_mem, 0),
		D(op_store_mem, 0), D(op_store_mem, 0) },
};

/* Register forms whose handler does not depend on ModRM.rm. */
static const struct x87_desc reg_forms[8][8] = {
	[0] = { D(op_arith_reg, 0), D(op_arith_reg, 0), D(op_arith_reg, X87_CC),
		D(op_arith_reg, X87_CC), D(op_arith_reg, 0),
		D(op_arith_reg, 0), D(op_arith_reg, 0), D(op_arith_reg, 0) },
	[1] = { D(op_fld_st, 0), D(op_fxch, 0), UD, D(op_fstpnce, 0), UD, UD,
		UD, UD },
	[2] = { D(op_fcmov, X87_KEEP_C1), D(op_fcmov, X87_KEEP_C1), D(op_fcmov, X87_KEEP_C1),
		D(op_fcmov, X87_KEEP_C1), UD, UD, UD, UD },
	[3] = { D(op_fcmov, X87_KEEP_C1), D(op_fcmov, X87_KEEP_C1), D(op_fcmov, X87_KEEP_C1),
		D(op_fcmov, X87_KEEP_C1), UD, D(op_fcomi, X87_KEEP_C1), D(op_fcomi, X87_KEEP_C1), UD },
	[4] = { D(op_arith_reg, 0), D(op_arith_reg, 0), D(op_arith_reg, X87_CC),
		D(op_arith_reg, X87_CC), D(op_arith_reg, 0),
		D(op_arith_reg, 0), D(op_arith_reg, 0), D(op_arith_reg, 0) },
	[5] = { D(op_ffree, 0), D(op_fxch, 0), D(op_fst_st, 0),
		D(op_fst_st, 0), D(op_fucom, X87_CC), D(op_fucom, X87_CC), UD,
		UD },
	[6] = { D(op_arith_reg, 0), D(op_arith_reg, 0), D(op_arith_reg, X87_CC),
		UD, D(op_arith_reg, 0), D(op_arith_reg, 0),
		D(op_arith_reg, 0), D(op_arith_reg, 0) },
	[7] = { D(op_ffree, 0), D(op_fxch, 0), D(op_fst_st, 0),
		D(op_fst_st, 0), UD, D(op_fcomi, X87_KEEP_C1), D(op_fcomi, X87_KEEP_C1), UD },
};

static const struct x87_desc d9_d0[8] = { D(op_fnop, X87_KEEP_C1), UD, UD, UD,
					  UD, UD, UD, UD };
static const struct x87_desc d9_e0[8] = {
	D(op_fchs_fabs, 0), D(op_fchs_fabs, 0), UD, UD,
	D(op_ftst, X87_CC), D(op_fxam, X87_CC), UD, UD,
};
static const struct x87_desc d9_e8[8] = {
	D(op_fldconst, 0), D(op_fldconst, 0), D(op_fldconst, 0),
	D(op_fldconst, 0), D(op_fldconst, 0), D(op_fldconst, 0),
	D(op_fldconst, 0), UD,
};
static const struct x87_desc d9_f0[8] = {
	D(op_unary, 0), D(op_binary1, 0), D(op_push2, X87_CC),
	D(op_binary1, 0), D(op_fxtract, 0), D(op_binary0, X87_CC),
	D(op_fincdecstp, 0), D(op_fincdecstp, 0),
};
static const struct x87_desc d9_f8[8] = {
	D(op_binary0, X87_CC), D(op_binary1, 0), D(op_unary, 0),
	D(op_push2, X87_CC), D(op_unary, 0), D(op_binary0, 0),
	D(op_unary, X87_CC), D(op_unary, X87_CC),
};
static const struct x87_desc da_e8[8] = { UD, D(op_fcompp, X87_CC), UD, UD,
					  UD, UD, UD, UD };
static const struct x87_desc db_e0[8] = {
	D(op_nop_control, NW), D(op_nop_control, NW), D(op_fnclex, NW),
	D(op_fninit, NW), D(op_nop_control, NW), UD, UD, UD,
};
static const struct x87_desc de_d8[8] = { UD, D(op_fcompp, X87_CC), UD, UD,
					  UD, UD, UD, UD };
static const struct x87_desc df_e0[8] = { D(op_fnstsw, NW), UD, UD, UD,
					  UD, UD, UD, UD };

const struct x87_desc *x87_decode(unsigned esc, const struct insn *i)
{
	unsigned reg = i->reg & 7, rm = i->rm & 7;

	if (i->mod != 3)
		return &mem_forms[esc][reg];
	switch (esc << 3 | reg) {
	case 1 << 3 | 2:
		return &d9_d0[rm];
	case 1 << 3 | 4:
		return &d9_e0[rm];
	case 1 << 3 | 5:
		return &d9_e8[rm];
	case 1 << 3 | 6:
		return &d9_f0[rm];
	case 1 << 3 | 7:
		return &d9_f8[rm];
	case 2 << 3 | 5:
		return &da_e8[rm];
	case 3 << 3 | 4:
		return &db_e0[rm];
	case 6 << 3 | 3:
		return &de_d8[rm];
	case 7 << 3 | 4:
		return &df_e0[rm];
	default:
		return &reg_forms[esc][reg];
	}
}
