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
		return fx_make(b[9] >> 7, (uint16_t)(get_exp80(b)), v);
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
