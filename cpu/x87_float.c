// SPDX-License-Identifier: MIT
/*
 * The x87's 80-bit software float: classification, the rounder, the basic
 * arithmetic (SDM Vol. 1 ch. 4 and ch. 8, IEEE 754-1985 §4-§7).
 *
 * Working form: a finite non-zero operand unpacks to a 64-bit significand
 * with bit 63 set and the unbiased exponent of that bit.  Results are
 * formed exactly, or with a sticky bit, in a 128-bit significand and go
 * through fx_round, which applies the precision, the rounding mode, the
 * exponent range and the overflow and underflow responses.
 */
#include "cpu/x87_float.h"

#define X_BIAS 16383
#define X_EMIN (-16382) /* smallest normal exponent */
#define X_EMAX 16383
#define J_BIT (1ull << 63)
#define QUIET_BIT (1ull << 62)
#define BIAS_ADJUST 24576 /* SDM Vol. 1 §8.5.4, §8.5.5 */

static inline int clz64(uint64_t v)
{
	return __builtin_clzll(v);
}

static inline int clz128(fx_u128 v)
{
	uint64_t hi = (uint64_t)(v >> 64);

	return hi ? clz64(hi) : 64 + clz64((uint64_t)v);
}

enum fx_class fx_classify(fx80 a)
{
	unsigned e = a.sign_exp & 0x7fff;
	uint64_t m = a.mantissa;

	if (e == 0)
		return m ? FXC_DENORMAL : FXC_ZERO;
	if (!(m & J_BIT))
		return FXC_UNSUPPORTED;
	if (e == 0x7fff) {
		if (!(m << 1))
			return FXC_INF;
		return (m & QUIET_BIT) ? FXC_QNAN : FXC_SNAN;
	}
	return FXC_NORMAL;
}

fx80 fx_indefinite(void)
{
	return fx_make(true, 0x7fff, 0xc000000000000000ull);
}

fx80 fx_zero(bool sign)
{
	return fx_make(sign, 0, 0);
}

fx80 fx_inf(bool sign)
{
	return fx_make(sign, 0x7fff, J_BIT);
}

void fx_unpack(fx80 a, int32_t *exp, uint64_t *mant)
{
	int32_t e = a.sign_exp & 0x7fff;
	uint64_t m = a.mantissa;

	if (e == 0) {
		/* Denormals and pseudo-denormals: exponent 1 - bias, J = 0
		 * or 1 (SDM Vol. 1 §8.2.2). */
		int lz = clz64(m);

		*exp = X_EMIN - lz;
		*mant = m << lz;
		return;
	}
	*exp = e - X_BIAS;
	*mant = m;
}

/*
 * Round sig at bit lsbpos (the bits below it are the remainder) in mode
 * rc for a number of sign sign; returns the kept part, rounded.
 */
static fx_u128 round_bits(fx_u128 sig, int64_t lsbpos, int rc, bool sign,
			  bool *inexact, bool *up)
{
	fx_u128 kept, rem, half;
	bool above, tie;

	if (lsbpos >= 129) {
		/* Everything is below half of the last place. */
		kept = 0;
		*inexact = sig != 0;
		above = false;
		tie = false;
	} else if (lsbpos == 128) {
		kept = 0;
		*inexact = sig != 0;
		half = (fx_u128)1 << 127;
		above = sig > half;
		tie = sig == half;
	} else if (lsbpos <= 0) {
		*inexact = false;
		*up = false;
		return sig;
	} else {
		kept = sig >> lsbpos;
		rem = sig & (((fx_u128)1 << lsbpos) - 1);
		half = (fx_u128)1 << (lsbpos - 1);
		*inexact = rem != 0;
		above = rem > half;
		tie = rem == half;
	}
	switch (rc) {
	case FX_RC_NEAREST:
		*up = above || (tie && (kept & 1));
		break;
	case FX_RC_DOWN:
		*up = *inexact && sign;
		break;
	case FX_RC_UP:
		*up = *inexact && !sign;
		break;
	default:
		*up = false;
		break;
	}
	return kept + (*up ? 1 : 0);
}

/* The largest finite number of prec bits with exponent emax. */
static fx80 max_finite(bool sign, int prec, int32_t emax)
{
	return fx_make(sign, (uint16_t)(emax + X_BIAS), ~0ull << (64 - prec));
}

fx80 fx_round(struct fx_env *env, bool sign, int32_t exp, fx_u128 sig,
	      int prec, int32_t emin, int32_t emax, bool reg_dest)
{
	bool tiny = exp < emin, tiny_after = tiny, inexact, up;
	int64_t shift = 0, lsbpos;
	int32_t er;
	uint64_t mant;
	fx_u128 kept;
	int msb;

	/* Tininess is detected after rounding (IEEE 754 §7.4; the host
	 * x87 agrees): a value just below 2^emin that rounds, with an
	 * unbounded exponent, to 2^emin is not tiny. */
	if (tiny && exp == emin - 1) {
		bool ix, u;
		fx_u128 k = round_bits(sig, 128 - prec, env->rc, sign, &ix, &u);

		if (k >> prec)
			tiny_after = false;
	}
	if (tiny_after && reg_dest && !(env->masks & FX_UE)) {
		/* Unmasked underflow to a register: the true result times
		 * 2^24576, rounded (SDM Vol. 1 §8.5.5). */
		env->flags |= FX_UE;
		if ((int64_t)exp + BIAS_ADJUST < emin) {
			/* Beyond even the bias (FSCALE): zero, inexact. */
			env->flags |= FX_PE;
			return fx_zero(sign);
		}
		exp += BIAS_ADJUST;
		tiny = false;
		tiny_after = false;
	}
	if (tiny)
		shift = (int64_t)emin - exp;
	if (shift > 200)
		shift = 200;
	lsbpos = 128 - prec + shift;
	kept = round_bits(sig, lsbpos, env->rc, sign, &inexact, &up);
	if (tiny_after && !(env->masks & FX_UE) && !reg_dest) {
		/* Unmasked underflow of a store: nothing is written. */
		env->flags |= FX_UE;
		return fx_zero(sign);
	}
	if (tiny_after && inexact)
		env->flags |= FX_UE;
	if (inexact)
		env->flags |= FX_PE;
	if (up)
		env->flags |= FX_C1;
	if (kept == 0)
		return fx_zero(sign);
	msb = 127 - clz128(kept);
	/* The last place: of the exponent range's bottom when tiny (the
	 * shift may have been clamped), else of the precision. */
	er = (int32_t)(tiny ? emin + 1 - prec + msb : exp - 127 + lsbpos + msb);
	mant = msb >= 63 ? (uint64_t)(kept >> (msb - 63))
			 : (uint64_t)kept << (63 - msb);
	if (er > emax) {
		bool to_inf;

		env->flags &= (uint16_t)~FX_C1;
		if (!(env->masks & FX_OE)) {
			env->flags |= FX_OE;
			if (!reg_dest) { /* a store: nothing is written */
				env->flags &= (uint16_t)~FX_PE;
				return fx_inf(sign);
			}
			/* Unmasked overflow to a register: the true result
			 * divided by 2^24576 (SDM Vol. 1 §8.5.4); beyond even
			 * that (FSCALE), infinity, inexact, rounded up. */
			if (exp - BIAS_ADJUST > emax) {
				env->flags |= FX_PE | FX_C1;
				return fx_inf(sign);
			}
			return fx_round(env, sign, exp - BIAS_ADJUST, sig,
					prec, emin, emax, false);
		}
		/* Masked response, SDM Vol. 1 §4.9.1.4 Table 4-10. */
		env->flags |= FX_OE | FX_PE;
		to_inf = env->rc == FX_RC_NEAREST ||
			 (env->rc == FX_RC_UP && !sign) ||
			 (env->rc == FX_RC_DOWN && sign);
		if (to_inf) {
			env->flags |= FX_C1;
			return fx_inf(sign);
		}
		return max_finite(sign, prec, emax);
	}
	if (er >= X_EMIN)
		return fx_make(sign, (uint16_t)(er + X_BIAS), mant);
	/* A denormal: the bits shifted out are zero after rounding. */
	return fx_make(sign, 0, mant >> (X_EMIN - er));
}

static fx80 round_x(struct fx_env *env, bool sign, int32_t exp, fx_u128 sig)
{
	return fx_round(env, sign, exp, sig, env->prec, X_EMIN, X_EMAX, true);
}

static fx80 quiet(fx80 a)
{
	a.mantissa |= QUIET_BIT;
	return a;
}

/* Which NaN an operation on two NaNs returns (SDM Vol. 1 Table 4-7). */
static fx80 pick_nan(fx80 a, enum fx_class ca, fx80 b, enum fx_class cb)
{
	bool an = ca == FXC_QNAN || ca == FXC_SNAN;
	bool bn = cb == FXC_QNAN || cb == FXC_SNAN;

	if (an && bn) {
		if (ca != cb)
			return quiet(ca == FXC_QNAN ? a : b);
		if (a.mantissa != b.mantissa)
			return quiet(a.mantissa > b.mantissa ? a : b);
		/* Equal significands: the positive one, if any. */
		return quiet(fx_sign(a) ? b : a);
	}
	return quiet(an ? a : b);
}

bool fx_nan_operands(struct fx_env *env, fx80 a, fx80 b, int n, fx80 *res)
{
	enum fx_class ca = fx_classify(a);
	enum fx_class cb = n > 1 ? fx_classify(b) : FXC_ZERO;

	if (ca == FXC_UNSUPPORTED || cb == FXC_UNSUPPORTED) {
		env->flags |= FX_IE;
		*res = fx_indefinite();
		return true;
	}
	if (ca == FXC_SNAN || cb == FXC_SNAN)
		env->flags |= FX_IE;
	if (ca == FXC_SNAN || ca == FXC_QNAN || cb == FXC_SNAN ||
	    cb == FXC_QNAN) {
		*res = pick_nan(a, ca, b, cb);
		return true;
	}
	if (ca == FXC_DENORMAL || cb == FXC_DENORMAL) {
		env->flags |= FX_DE;
		if (!(env->masks & FX_DE)) {
			/* Unmasked: no result (SDM Vol. 1 §8.5.2). */
			*res = fx_indefinite();
			return true;
		}
	}
	return false;
}

static fx80 invalid(struct fx_env *env)
{
	env->flags |= FX_IE;
	return fx_indefinite();
}

/* |a| >= |b| for finite non-zero operands, by unpacked parts. */
static bool mag_ge(int32_t ea, uint64_t ma, int32_t eb, uint64_t mb)
{
	return ea > eb || (ea == eb && ma >= mb);
}

fx80 fx_add(struct fx_env *env, fx80 a, fx80 b, bool subtract)
{
	enum fx_class ca, cb;
	bool sa, sb, sign;
	int32_t ea, eb, d;
	uint64_t ma, mb;
	fx_u128 x, y, s;
	fx80 r;
	int lz;

	if (fx_nan_operands(env, a, b, 2, &r))
		return r;
	ca = fx_classify(a);
	cb = fx_classify(b);
	sa = fx_sign(a);
	sb = fx_sign(b) ^ subtract;
	if (ca == FXC_INF || cb == FXC_INF) {
		if (ca == FXC_INF && cb == FXC_INF && sa != sb)
			return invalid(env);
		return fx_inf(ca == FXC_INF ? sa : sb);
	}
	if (ca == FXC_ZERO && cb == FXC_ZERO) {
		/* IEEE 754 §6.3: the sum of opposite zeros is +0, or -0
		 * when rounding down. */
		return fx_zero(sa == sb ? sa : env->rc == FX_RC_DOWN);
	}
	if (ca == FXC_ZERO || cb == FXC_ZERO) {
		bool s1 = ca == FXC_ZERO ? sb : sa;

		fx_unpack(ca == FXC_ZERO ? b : a, &ea, &ma);
		return round_x(env, s1, ea, (fx_u128)ma << 64);
	}
	fx_unpack(a, &ea, &ma);
	fx_unpack(b, &eb, &mb);
	if (!mag_ge(ea, ma, eb, mb)) {
		int32_t te = ea;
		uint64_t tm = ma;
		bool ts = sa;

		ea = eb, ma = mb, sa = sb;
		eb = te, mb = tm, sb = ts;
	}
	x = (fx_u128)ma << 63;
	y = (fx_u128)mb << 63;
	d = ea - eb;
	if (d >= 127)
		y = 1;
	else if (d > 0)
		y = (y >> d) | ((y & (((fx_u128)1 << d) - 1)) != 0);
	sign = sa;
	if (sa == sb) {
		s = x + y;
	} else {
		s = x - y;
		if (s == 0)
			return fx_zero(env->rc == FX_RC_DOWN);
	}
	lz = clz128(s);
	return round_x(env, sign, ea + 1 - lz, s << lz);
}

fx80 fx_mul(struct fx_env *env, fx80 a, fx80 b)
{
	enum fx_class ca, cb;
	bool sign = fx_sign(a) ^ fx_sign(b);
	int32_t ea, eb;
	uint64_t ma, mb;
	fx_u128 p;
	fx80 r;
	int lz;

	if (fx_nan_operands(env, a, b, 2, &r))
		return r;
	ca = fx_classify(a);
	cb = fx_classify(b);
	if (ca == FXC_INF || cb == FXC_INF) {
		if (ca == FXC_ZERO || cb == FXC_ZERO)
			return invalid(env);
		return fx_inf(sign);
	}
	if (ca == FXC_ZERO || cb == FXC_ZERO)
		return fx_zero(sign);
	fx_unpack(a, &ea, &ma);
	fx_unpack(b, &eb, &mb);
	p = (fx_u128)ma * mb;
	lz = clz128(p);
	return round_x(env, sign, ea + eb + 1 - lz, p << lz);
}

fx80 fx_div(struct fx_env *env, fx80 a, fx80 b)
{
	enum fx_class ca, cb;
	bool sign = fx_sign(a) ^ fx_sign(b);
	int32_t ea, eb, e;
	uint64_t ma, mb, q1, q2, r1;
	fx_u128 n, sig;
	fx80 r;

	ca = fx_classify(a);
	cb = fx_classify(b);
	if (cb == FXC_ZERO && ca == FXC_DENORMAL) {
		/* Divide-by-zero ranks above the denormal operand
		 * (SDM Vol. 1 §4.9.2); the host x87 agrees. */
		env->flags |= FX_ZE;
		return fx_inf(sign);
	}
	if (fx_nan_operands(env, a, b, 2, &r))
		return r;
	if (ca == FXC_INF)
		return cb == FXC_INF ? invalid(env) : fx_inf(sign);
	if (cb == FXC_INF)
		return fx_zero(sign);
	if (cb == FXC_ZERO) {
		if (ca == FXC_ZERO)
			return invalid(env);
		env->flags |= FX_ZE;
		return fx_inf(sign);
	}
	if (ca == FXC_ZERO)
		return fx_zero(sign);
	fx_unpack(a, &ea, &ma);
	fx_unpack(b, &eb, &mb);
	if (ma >= mb) {
		n = (fx_u128)ma << 63;
		e = ea - eb;
	} else {
		n = (fx_u128)ma << 64;
		e = ea - eb - 1;
	}
	q1 = (uint64_t)(n / mb);
	r1 = (uint64_t)(n % mb);
	n = (fx_u128)r1 << 64;
	q2 = (uint64_t)(n / mb);
	sig = ((fx_u128)q1 << 64) | q2 | (n % mb != 0);
	return round_x(env, sign, e, sig);
}

/* floor(sqrt(v)) for v < 2^128. */
static uint64_t isqrt128(fx_u128 v)
{
	uint64_t r = 0;

	for (int bit = 63; bit >= 0; bit--) {
		uint64_t t = r | (1ull << bit);

		if ((fx_u128)t * t <= v)
			r = t;
	}
	return r;
}

fx80 fx_sqrt(struct fx_env *env, fx80 a)
{
	enum fx_class ca;
	int32_t e, k;
	uint64_t m, root;
	fx_u128 rad, rem;
	bool guard, sticky;
	int s;
	fx80 r;

	ca = fx_classify(a);
	if (ca == FXC_DENORMAL && fx_sign(a))
		return invalid(env); /* before DE, as the host x87 does */
	if (fx_nan_operands(env, a, a, 1, &r))
		return r;
	if (ca == FXC_ZERO)
		return a; /* sqrt(-0) = -0 (IEEE 754 §5.2) */
	if (fx_sign(a))
		return invalid(env);
	if (ca == FXC_INF)
		return a;
	fx_unpack(a, &e, &m);
	k = e - 63; /* a = m * 2^k */
	s = (k & 1) ? 63 : 64;
	rad = (fx_u128)m << s;
	root = isqrt128(rad);
	rem = rad - (fx_u128)root * root;
	/* One more bit: sqrt(rad) >= root + 1/2 exactly when rem > root;
	 * it can never be exactly root + 1/2. */
	guard = rem > root;
	sticky = guard || rem != 0;
	return round_x(env, false, 63 + (k - s) / 2,
		       ((fx_u128)root << 64) | ((fx_u128)guard << 63) |
			       (guard ? 1 : (sticky ? 1 : 0)));
}

fx80 fx_rndint(struct fx_env *env, fx80 a)
{
	enum fx_class ca;
	int32_t e;
	uint64_t m;
	fx80 r;

	if (fx_nan_operands(env, a, a, 1, &r))
		return r;
	ca = fx_classify(a);
	if (ca == FXC_ZERO || ca == FXC_INF)
		return a;
	fx_unpack(a, &e, &m);
	if (e >= 63)
		return a;
	/* Keep the e + 1 integer bits (none or fewer: the rounder's
	 * below-the-last-place cases). */
	return fx_round(env, fx_sign(a), e, (fx_u128)m << 64, e + 1,
			INT32_MIN / 2, X_EMAX, true);
}

fx80 fx_scale(struct fx_env *env, fx80 a, fx80 b)
{
	enum fx_class ca, cb;
	int32_t ea, eb, n;
	uint64_t ma, mb;
	fx80 r;

	if (fx_nan_operands(env, a, b, 2, &r))
		return r;
	ca = fx_classify(a);
	cb = fx_classify(b);
	/* SDM Vol. 2 FSCALE, Table 3-45. */
	if (cb == FXC_INF) {
		if (fx_sign(b))
			return ca == FXC_INF ? invalid(env)
					     : fx_zero(fx_sign(a));
		return ca == FXC_ZERO ? invalid(env) : fx_inf(fx_sign(a));
	}
	if (ca == FXC_ZERO || ca == FXC_INF)
		return a;
	n = 0;
	if (cb != FXC_ZERO) {
		fx_unpack(b, &eb, &mb);
		if (eb >= 30)
			n = 1 << 30;
		else if (eb >= 0)
			n = (int32_t)(mb >> (63 - eb));
		if (fx_sign(b))
			n = -n;
	}
	fx_unpack(a, &ea, &ma);
	/* Not subject to precision control (the host x87 agrees). */
	return fx_round(env, fx_sign(a), ea + n, (fx_u128)ma << 64, 64, X_EMIN,
			X_EMAX, true);
}

fx80 fx_xtract(struct fx_env *env, fx80 a, fx80 *sig)
{
	enum fx_class ca;
	int32_t e;
	uint64_t m;
	fx80 r;

	if (fx_nan_operands(env, a, a, 1, &r)) {
		*sig = r;
		return r;
	}
	ca = fx_classify(a);
	if (ca == FXC_ZERO) {
		/* SDM Vol. 2 FXTRACT: divide-by-zero, exponent -inf. */
		env->flags |= FX_ZE;
		*sig = a;
		return fx_inf(true);
	}
	if (ca == FXC_INF) {
		*sig = a;
		return fx_inf(false);
	}
	fx_unpack(a, &e, &m);
	*sig = fx_make(fx_sign(a), X_BIAS, m);
	return fx_from_int(e);
}

fx80 fx_rem(struct fx_env *env, fx80 a, fx80 b, bool nearest,
	    unsigned *quot, bool *partial)
{
	enum fx_class ca, cb;
	int32_t ea, eb, d;
	uint64_t ma, mb, rem;
	fx_u128 n, q;
	bool sign, flip = false;
	fx80 r;

	*quot = 0;
	*partial = false;
	ca = fx_classify(a);
	cb = fx_classify(b);
	/* Invalid (infinite dividend, zero divisor) ranks before DE. */
	if ((ca == FXC_INF && (cb == FXC_ZERO || cb == FXC_DENORMAL ||
			       cb == FXC_NORMAL || cb == FXC_INF)) ||
	    (cb == FXC_ZERO && (ca == FXC_DENORMAL || ca == FXC_NORMAL ||
				ca == FXC_ZERO)))
		return invalid(env);
	if (fx_nan_operands(env, a, b, 2, &r))
		return r;
	if (ca == FXC_ZERO)
		return a;
	sign = fx_sign(a);
	fx_unpack(a, &ea, &ma);
	if (cb == FXC_INF) /* the dividend, through the rounder */
		return fx_round(env, sign, ea, (fx_u128)ma << 64, 64, X_EMIN,
				X_EMAX, true);
	fx_unpack(b, &eb, &mb);
	d = ea - eb;
	if (d < 0) {
		if (nearest && d == -1 && ma > mb) {
			/* |a| > |b| / 2: the quotient rounds to 1. */
			*quot = 1;
			n = ((fx_u128)mb << 1) - ma;
			r = fx_round(env, !sign, eb - 64 + 127 - clz128(n),
				     n << clz128(n), 64, X_EMIN, X_EMAX, true);
			return r;
		}
		return fx_round(env, sign, ea, (fx_u128)ma << 64, 64, X_EMIN,
				X_EMAX, true);
	}
	if (d >= 64) {
		/* SDM Vol. 2 FPREM: reduce by 2^(d - N); this model takes
		 * N = 32 + (d mod 32). */
		int nbits = 32 + (d & 31);

		*partial = true;
		n = (fx_u128)ma << nbits;
		rem = (uint64_t)(n % mb);
		/* No quotient bits while incomplete (the host x87 clears
		 * C0, C3 and C1). */
		if (rem == 0)
			return fx_zero(sign);
		return fx_round(env, sign, ea - nbits - clz64(rem),
				(fx_u128)(rem << clz64(rem)) << 64, 64, X_EMIN,
				X_EMAX, true);
	}
	n = (fx_u128)ma << d;
	q = n / mb;
	rem = (uint64_t)(n % mb);
	if (nearest) {
		fx_u128 twice = (fx_u128)rem << 1;

		if (twice > mb || (twice == mb && (q & 1))) {
			q++;
			rem = mb - rem;
			flip = true;
		}
	}
	*quot = (unsigned)(q & 7);
	if (rem == 0)
		return fx_zero(sign);
	return fx_round(env, sign ^ flip, eb - clz64(rem),
			(fx_u128)(rem << clz64(rem)) << 64, 64, X_EMIN, X_EMAX,
			true);
}

enum fx_cmp fx_compare(struct fx_env *env, fx80 a, fx80 b, bool quiet)
{
	enum fx_class ca = fx_classify(a), cb = fx_classify(b);
	bool sa = fx_sign(a), sb = fx_sign(b), ge, le;
	int32_t ea = 0, eb = 0;
	uint64_t ma = 0, mb = 0;

	if (ca == FXC_UNSUPPORTED || cb == FXC_UNSUPPORTED || ca == FXC_SNAN ||
	    cb == FXC_SNAN) {
		env->flags |= FX_IE;
		return FX_UNORDERED;
	}
	if (ca == FXC_QNAN || cb == FXC_QNAN) {
		if (!quiet)
			env->flags |= FX_IE;
		return FX_UNORDERED;
	}
	if (ca == FXC_DENORMAL || cb == FXC_DENORMAL)
		env->flags |= FX_DE;
	if (ca == FXC_ZERO && cb == FXC_ZERO)
		return FX_EQ;
	if (ca == FXC_ZERO)
		return sb ? FX_GT : FX_LT;
	if (cb == FXC_ZERO)
		return sa ? FX_LT : FX_GT;
	if (sa != sb)
		return sa ? FX_LT : FX_GT;
	if (ca == FXC_INF)
		ea = INT32_MAX;
	else
		fx_unpack(a, &ea, &ma);
	if (cb == FXC_INF)
		eb = INT32_MAX;
	else
		fx_unpack(b, &eb, &mb);
	ge = mag_ge(ea, ma, eb, mb);
	le = mag_ge(eb, mb, ea, ma);
	if (ge && le)
		return FX_EQ;
	return (ge != sa) ? FX_GT : FX_LT;
}

/* FLD1 ... FLDLN2: the constant truncated to 64 bits, and whether round
 * to nearest rounds it up (SDM Vol. 1 §8.3.8: the other modes round the
 * internal 66-bit value as RC says). */
static const struct {
	uint16_t exp;
	uint64_t mant;
	bool nearest_up;
	bool exact;
} fx_constants[] = {
	[FXK_ONE] = { 0x3fff, 0x8000000000000000ull, false, true },
	[FXK_L2T] = { 0x4000, 0xd49a784bcd1b8afeull, false, false },
	[FXK_L2E] = { 0x3fff, 0xb8aa3b295c17f0bbull, true, false },
	[FXK_PI] = { 0x4000, 0xc90fdaa22168c234ull, true, false },
	[FXK_LG2] = { 0x3ffd, 0x9a209a84fbcff798ull, true, false },
	[FXK_LN2] = { 0x3ffe, 0xb17217f7d1cf79abull, true, false },
	[FXK_ZERO] = { 0, 0, false, true },
};

fx80 fx_constant(enum fx_const k, int rc)
{
	uint64_t m = fx_constants[k].mant;
	bool up = false;

	if (!fx_constants[k].exact)
		up = rc == FX_RC_UP ||
		     (rc == FX_RC_NEAREST && fx_constants[k].nearest_up);
	return fx_make(false, fx_constants[k].exp, m + (up ? 1 : 0));
}

/* --- memory formats (SDM Vol. 1 §4.2.2, §4.7, §8.2) --------------------- */

/* A binary32/binary64 value: sign, exponent field of ebits, fraction of
 * fbits, to the extended format (exact). */
static fx80 from_ieee(struct fx_env *env, bool sign, uint32_t exp,
		      uint64_t frac, int ebits, int fbits)
{
	uint32_t emax_field = (1u << ebits) - 1;
	int32_t bias = (int32_t)(emax_field >> 1);

	if (exp == emax_field) {
		if (!frac)
			return fx_inf(sign);
		frac <<= 63 - fbits;
		if (!(frac & QUIET_BIT)) {
			env->flags |= FX_IE;
			frac |= QUIET_BIT;
		}
		return fx_make(sign, 0x7fff, J_BIT | frac);
	}
	if (exp == 0) {
		int lz;

		if (!frac)
			return fx_zero(sign);
		env->flags |= FX_DE;
		lz = clz64(frac);
		return fx_make(sign,
			       (uint16_t)(63 - lz + 1 - bias - fbits + X_BIAS),
			       frac << lz);
	}
	return fx_make(sign, (uint16_t)((int32_t)exp - bias + X_BIAS),
		       J_BIT | (frac << (63 - fbits)));
}

fx80 fx_from_f32(struct fx_env *env, uint32_t v)
{
	return from_ieee(env, v >> 31, (v >> 23) & 0xff, v & 0x7fffff, 8, 23);
}

fx80 fx_from_f64(struct fx_env *env, uint64_t v)
{
	return from_ieee(env, v >> 63, (v >> 52) & 0x7ff,
			 v & 0xfffffffffffffull, 11, 52);
}

/* To binary32/binary64: false when an unmasked exception forbids the
 * store (SDM Vol. 1 §8.5). */
static bool to_ieee(struct fx_env *env, fx80 a, int ebits, int fbits,
		    uint64_t *out)
{
	uint64_t emax_field = (1u << ebits) - 1;
	int32_t bias = (int32_t)(emax_field >> 1);
	uint64_t sign = (uint64_t)fx_sign(a) << (ebits + fbits);
	uint64_t inf = emax_field << fbits;
	enum fx_class ca = fx_classify(a);
	int32_t e;
	uint64_t m;
	fx80 r;

	switch (ca) {
	case FXC_UNSUPPORTED:
		env->flags |= FX_IE;
		*out = (1ull << (ebits + fbits)) | inf | (1ull << (fbits - 1));
		break;
	case FXC_SNAN:
		env->flags |= FX_IE;
		/* fall through */
	case FXC_QNAN:
		*out = sign | inf | (1ull << (fbits - 1)) |
		       ((a.mantissa << 1) >> (64 - fbits));
		break;
	case FXC_INF:
		*out = sign | inf;
		break;
	case FXC_ZERO:
		*out = sign;
		break;
	default:
		/* A denormal source raises no DE on stores (the host x87
		 * agrees; SDM Vol. 2 FST lists no #D). */
		fx_unpack(a, &e, &m);
		r = fx_round(env, fx_sign(a), e, (fx_u128)m << 64, fbits + 1,
			     1 - bias, bias, false);
		if (fx_classify(r) == FXC_INF) {
			*out = sign | inf;
		} else if (fx_classify(r) == FXC_ZERO) {
			*out = sign;
		} else {
			int32_t er = (r.sign_exp & 0x7fff) - X_BIAS;
			uint64_t f = r.mantissa >> (63 - fbits);

			if (er >= 1 - bias)
				*out = sign | ((uint64_t)(er + bias) << fbits) |
				       (f & ((1ull << fbits) - 1));
			else
				*out = sign | (f >> (1 - bias - er));
		}
		break;
	}
	return !(env->flags & ~env->masks &
		 (FX_IE | FX_DE | FX_OE | FX_UE));
}

bool fx_to_f32(struct fx_env *env, fx80 a, uint32_t *out)
{
	uint64_t v;
	bool ok = to_ieee(env, a, 8, 23, &v);

	*out = (uint32_t)v;
	return ok;
}

bool fx_to_f64(struct fx_env *env, fx80 a, uint64_t *out)
{
	return to_ieee(env, a, 11, 52, out);
}

fx80 fx_from_int(int64_t v)
{
	bool sign = v < 0;
	uint64_t mag = sign ? 0 - (uint64_t)v : (uint64_t)v;
	int lz;

	if (!mag)
		return fx_zero(false);
	lz = clz64(mag);
	return fx_make(sign, (uint16_t)(63 - lz + X_BIAS), mag << lz);
}

/* The integer value of a finite operand rounded per rc (or chopped):
 * false when it does not fit in 64 bits of magnitude. */
static bool round_to_integer(struct fx_env *env, fx80 a, bool chop,
			     uint64_t *mag)
{
	enum fx_class ca = fx_classify(a);
	bool inexact, up;
	int32_t e;
	uint64_t m;
	fx_u128 k;

	if (ca == FXC_ZERO) {
		*mag = 0;
		return true;
	}
	fx_unpack(a, &e, &m);
	if (e >= 64)
		return false;
	k = round_bits((fx_u128)m << 64, 127 - e,
		       chop ? FX_RC_CHOP : env->rc, fx_sign(a), &inexact, &up);
	if (k >> 64)
		return false;
	*mag = (uint64_t)k;
	if (inexact)
		env->flags |= FX_PE;
	if (up)
		env->flags |= FX_C1;
	return true;
}

bool fx_to_int(struct fx_env *env, fx80 a, int bits, bool chop,
	       int64_t *out)
{
	enum fx_class ca = fx_classify(a);
	uint64_t limit = 1ull << (bits - 1), mag;
	struct fx_env trial = *env;

	if (ca == FXC_ZERO || ca == FXC_DENORMAL || ca == FXC_NORMAL) {
		if (round_to_integer(&trial, a, chop, &mag) &&
		    mag <= limit - (fx_sign(a) ? 0 : 1)) {
			env->flags |= trial.flags;
			*out = fx_sign(a) ? (int64_t)(0 - mag) : (int64_t)mag;
			return !(env->flags & ~env->masks & FX_DE);
		}
	}
	/* NaN, infinity, unsupported or out of range: the integer
	 * indefinite (SDM Vol. 1 §4.8.3.7). */
	env->flags |= FX_IE;
	*out = (int64_t)(0 - limit);
	return !(env->flags & ~env->masks & (FX_IE | FX_DE));
}

fx80 fx_from_bcd(const uint8_t bcd[10])
{
	uint64_t v = 0;
	fx80 r;

	for (int k = 8; k >= 0; k--)
		v = v * 100 + (uint64_t)(bcd[k] >> 4) * 10 + (bcd[k] & 0xf);
	if (!v)
		return fx_zero(bcd[9] & 0x80);
	r = fx_from_int((int64_t)v);
	if (bcd[9] & 0x80)
		r.sign_exp |= 0x8000;
	return r;
}

bool fx_to_bcd(struct fx_env *env, fx80 a, uint8_t bcd[10])
{
	enum fx_class ca = fx_classify(a);
	struct fx_env trial = *env;
	uint64_t mag;

	if ((ca == FXC_ZERO || ca == FXC_DENORMAL || ca == FXC_NORMAL) &&
	    round_to_integer(&trial, a, false, &mag) &&
	    mag <= 999999999999999999ull) {
		env->flags |= trial.flags;
		for (int k = 0; k < 9; k++) {
			unsigned lo = (unsigned)(mag % 10);
			unsigned hi = (unsigned)(mag / 10 % 10);

			bcd[k] = (uint8_t)(hi << 4 | lo);
			mag /= 100;
		}
		bcd[9] = fx_sign(a) ? 0x80 : 0;
		return !(env->flags & ~env->masks & FX_DE);
	}
	/* The packed BCD indefinite (SDM Vol. 1 §4.7 Table 4-4). */
	env->flags |= FX_IE;
	for (int k = 0; k < 7; k++)
		bcd[k] = 0;
	bcd[7] = 0xc0;
	bcd[8] = 0xff;
	bcd[9] = 0xff;
	return !(env->flags & ~env->masks & (FX_IE | FX_DE));
}
