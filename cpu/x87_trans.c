// SPDX-License-Identifier: MIT
/*
 * The x87 transcendentals: F2XM1, FYL2X, FYL2XP1, FPATAN, FSIN, FCOS,
 * FSINCOS, FPTAN (SDM Vol. 2, their pages; Vol. 1 §8.3.10).
 *
 * Method: a "wide" float with a 128-bit significand (truncating
 * arithmetic), Taylor or atanh series after argument reduction, and one
 * final rounding to the 64-bit significand under RC (precision control
 * does not apply to these instructions).  The wide result is good to
 * about 2^-120 relative, so the returned value is the correctly rounded
 * one except within ~2^-56 of a rounding boundary.
 *
 * FSIN, FCOS, FSINCOS and FPTAN reduce their argument modulo pi/2 with
 * the x87's 66-bit approximation of pi (SDM Vol. 1 §8.3.10: the
 * reduction is exact with respect to that value), so results near
 * multiples of pi/2 follow the hardware rather than the true function.
 *
 * Accuracy against the host x87 (tests/unit/test_x87_native.c): within
 * 1 ulp; the special values (zeros, infinities, NaNs, exact cases) and
 * the exception flags IE, DE, ZE and C2 match bit for bit.
 */
#include "cpu/x87_float.h"

/* value = m * 2^(e - 127); m has bit 127 set, or is 0 for zero. */
struct wf {
	bool s;
	int32_t e;
	fx_u128 m;
};

#define WF_M(hi, lo) (((fx_u128)(hi) << 64) | (lo))

enum {
	K_LN2, K_LOG2E, K_PI, K_PI_2, K_PI_4, K_3PI_4,
	K_ATAN1, K_ATAN2, K_ATAN3, K_ATAN4, K_ATAN5, K_ATAN6, K_ATAN7,
	K_ATAN8, K_COUNT,
};

/* The constants to 128 bits, rounded to nearest; atan(k/8) for the
 * arctangent's table reduction. */
static const struct {
	int32_t e;
	fx_u128 m;
} wk[K_COUNT] = {
	[K_LN2] = { -1, WF_M(0xb17217f7d1cf79abull, 0xc9e3b39803f2f6afull) },
	[K_LOG2E] = { 0, WF_M(0xb8aa3b295c17f0bbull, 0xbe87fed0691d3e89ull) },
	[K_PI] = { 1, WF_M(0xc90fdaa22168c234ull, 0xc4c6628b80dc1cd1ull) },
	[K_PI_2] = { 0, WF_M(0xc90fdaa22168c234ull, 0xc4c6628b80dc1cd1ull) },
	[K_PI_4] = { -1, WF_M(0xc90fdaa22168c234ull, 0xc4c6628b80dc1cd1ull) },
	[K_3PI_4] = { 1, WF_M(0x96cbe3f9990e91a7ull, 0x9394c9e8a0a5159dull) },
	[K_ATAN1] = { -4, WF_M(0xfeadd4d5617b6e32ull, 0xc897989f3e888ef8ull) },
	[K_ATAN2] = { -3, WF_M(0xfadbafc96406eb15ull, 0x6dc79ef5f7a217e6ull) },
	[K_ATAN3] = { -2, WF_M(0xb7b0ca0f26f78473ull, 0x8aa32122dcfe4483ull) },
	[K_ATAN4] = { -2, WF_M(0xed63382b0dda7b45ull, 0x6fe445ecbc3a8d03ull) },
	[K_ATAN5] = { -1, WF_M(0x8f005d5ef7f59f9bull, 0x5c835e1665c43748ull) },
	[K_ATAN6] = { -1, WF_M(0xa4bc7d1934f70924ull, 0x19a87f2a457dac9full) },
	[K_ATAN7] = { -1, WF_M(0xb8053e2bc2319e73ull, 0xcb2da55210a4443dull) },
	[K_ATAN8] = { -1, WF_M(0xc90fdaa22168c234ull, 0xc4c6628b80dc1cd1ull) },
};

/* The x87's pi/2 for argument reduction: 66 bits, P * 2^-65. */
static const fx_u128 pi66 = WF_M(0x3ull, 0x243f6a8885a308d3ull);

static int clz128(fx_u128 v)
{
	uint64_t hi = (uint64_t)(v >> 64);

	return hi ? __builtin_clzll(hi) : 64 + __builtin_clzll((uint64_t)v);
}

static struct wf wconst(int k, bool s)
{
	struct wf r = { s, wk[k].e, wk[k].m };

	return r;
}

static struct wf wzero(void)
{
	struct wf r = { false, 0, 0 };

	return r;
}

/* An unsigned integer m times 2^(e - 127), normalized. */
static struct wf wnorm(bool s, int32_t e, fx_u128 m)
{
	struct wf r = { s, 0, 0 };
	int lz;

	if (!m)
		return r;
	lz = clz128(m);
	r.e = e - lz;
	r.m = m << lz;
	return r;
}

static struct wf wint(int64_t v)
{
	bool s = v < 0;

	return wnorm(s, 127, s ? 0 - (uint64_t)v : (uint64_t)v);
}

static struct wf wfrom(fx80 a)
{
	int32_t e;
	uint64_t m;

	if (fx_classify(a) == FXC_ZERO)
		return wzero();
	fx_unpack(a, &e, &m);
	return wnorm(fx_sign(a), e + 64, m);
}

static struct wf wneg(struct wf a)
{
	a.s = !a.s;
	return a;
}

static struct wf wadd(struct wf a, struct wf b)
{
	fx_u128 x, y, s;
	int32_t d;

	if (!b.m)
		return a;
	if (!a.m)
		return b;
	if (a.e < b.e || (a.e == b.e && a.m < b.m)) {
		struct wf t = a;

		a = b;
		b = t;
	}
	d = a.e - b.e;
	x = a.m >> 1;
	/* The bits shifted out stick to the last place, so a negligible
	 * addend still says which way the result lies. */
	if (d >= 127)
		y = 1;
	else
		y = ((b.m >> 1) >> d) |
		    (d && ((b.m >> 1) & (((fx_u128)1 << d) - 1)) != 0);
	s = a.s == b.s ? x + y : x - y;
	return wnorm(a.s, a.e + 1, s);
}

static struct wf wsub(struct wf a, struct wf b)
{
	return wadd(a, wneg(b));
}

static struct wf wmul(struct wf a, struct wf b)
{
	uint64_t a0 = (uint64_t)a.m, a1 = (uint64_t)(a.m >> 64);
	uint64_t b0 = (uint64_t)b.m, b1 = (uint64_t)(b.m >> 64);
	fx_u128 p00, p01, p10, p11, mid, hi;
	struct wf r;

	if (!a.m || !b.m)
		return wzero();
	p00 = (fx_u128)a0 * b0;
	p01 = (fx_u128)a0 * b1;
	p10 = (fx_u128)a1 * b0;
	p11 = (fx_u128)a1 * b1;
	mid = (p00 >> 64) + (uint64_t)p01 + (uint64_t)p10;
	hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
	r.s = a.s != b.s;
	if (hi >> 127) {
		r.e = a.e + b.e + 1;
		r.m = hi;
	} else {
		r.e = a.e + b.e;
		r.m = (hi << 1) | ((uint64_t)mid >> 63);
	}
	return r;
}

static struct wf wdiv(struct wf a, struct wf b)
{
	fx_u128 r = a.m, q = 0;
	bool carry = false;
	struct wf res;

	if (!a.m)
		return wzero();
	res.s = a.s != b.s;
	res.e = a.e - b.e;
	if (a.m < b.m) {
		carry = r >> 127;
		r <<= 1;
		res.e--;
	}
	for (int k = 0; k < 128; k++) {
		bool bit = carry || r >= b.m;

		if (bit)
			r -= b.m;
		q = q << 1 | bit;
		carry = r >> 127;
		r <<= 1;
	}
	res.m = q;
	return res;
}

static fx80 wround(struct fx_env *env, struct wf a, bool exact)
{
	if (!a.m)
		return fx_zero(a.s);
	return fx_round(env, a.s, a.e, a.m | (exact ? 0 : 1), 64, -16382,
			16383, true);
}

/* --- the functions on wide floats --------------------------------------- */

/* e^y - 1 by its Taylor series, for |y| up to about 1. */
static struct wf wexpm1(struct wf y)
{
	struct wf sum = y, term = y;

	for (int n = 2; n < 80; n++) {
		term = wdiv(wmul(term, y), wint(n));
		if (!term.m)
			break;
		sum = wadd(sum, term);
		if (term.e < sum.e - 130)
			break; /* added as a sticky bit */
	}
	return sum;
}

/* 2 atanh(s) = ln((1 + s) / (1 - s)), for |s| <= 0.18. */
static struct wf wlog_atanh(struct wf s)
{
	struct wf s2 = wmul(s, s), pow = s, sum = s;

	for (int n = 3; n < 200; n += 2) {
		struct wf term;

		pow = wmul(pow, s2);
		term = wdiv(pow, wint(n));
		if (!term.m)
			break;
		sum = wadd(sum, term);
		if (term.e < sum.e - 130)
			break; /* added as a sticky bit */
	}
	sum.e++;
	return sum;
}

/* atan(t) for 0 <= t <= 1: atan(k/8) + atan((t - k/8) / (1 + t k/8)). */
static struct wf watan01(struct wf t)
{
	struct wf c, u, u2, pow, sum;
	int k = 0;

	/* k = round(8t) */
	if (t.m) {
		struct wf t8 = t;
		int32_t sh;

		t8.e += 3;
		sh = 127 - t8.e;
		if (sh <= 127 && sh > 0)
			k = (int)(((t8.m >> (sh - 1)) + 1) >> 1);
		else if (sh <= 0)
			k = 8;
	}
	if (k > 8)
		k = 8;
	c = wnorm(false, 127 - 3, (fx_u128)k);
	u = wdiv(wsub(t, c), wadd(wint(1), wmul(t, c)));
	u2 = wmul(u, u);
	pow = u;
	sum = u;
	for (int n = 3; n < 200; n += 2) {
		struct wf term;

		pow = wmul(pow, u2);
		term = wdiv(pow, wint(n));
		if (!term.m)
			break;
		sum = ((n >> 1) & 1) ? wsub(sum, term) : wadd(sum, term);
		if (term.e < sum.e - 130)
			break; /* added as a sticky bit */
	}
	return k ? wadd(wconst(K_ATAN1 + k - 1, false), sum) : sum;
}

/* sin and cos of |r| <= pi/4 by their Taylor series. */
static void wsincos_small(struct wf r, struct wf *s, struct wf *c)
{
	struct wf r2 = wmul(r, r), term = r, sum = r;

	for (int n = 2; n < 80; n += 2) {
		term = wdiv(wmul(term, r2), wint((int64_t)n * (n + 1)));
		if (!term.m)
			break;
		sum = (n & 2) ? wsub(sum, term) : wadd(sum, term);
		if (term.e < sum.e - 130)
			break; /* added as a sticky bit */
	}
	*s = sum;
	term = wint(1);
	sum = term;
	for (int n = 1; n < 80; n += 2) {
		term = wdiv(wmul(term, r2), wint((int64_t)n * (n + 1)));
		if (!term.m)
			break;
		sum = (n & 2) ? wadd(sum, term) : wsub(sum, term);
		if (term.e < -130)
			break; /* added as a sticky bit */
	}
	*c = sum;
}

/* --- the instructions ---------------------------------------------------- */

/* |a| > 1 for a finite operand. */
static bool mag_above_one(fx80 a)
{
	unsigned e = a.sign_exp & 0x7fff;

	return e > 0x3fff || (e == 0x3fff && (a.mantissa << 1));
}

fx80 fx_f2xm1(struct fx_env *env, fx80 a)
{
	enum fx_class ca = fx_classify(a);
	fx80 r;

	if (fx_nan_operands(env, a, a, 1, &r))
		return r;
	if (ca == FXC_ZERO)
		return a;
	if (ca == FXC_INF) /* SDM Vol. 2 F2XM1: -inf gives -1 */
		return fx_sign(a) ? fx_make(true, 0x3fff, 1ull << 63) : a;
	if (mag_above_one(a)) {
		/* Outside -1..+1 the result is undefined; the host x87
		 * leaves the operand and reports it inexact. */
		env->flags |= FX_PE;
		return a;
	}
	return wround(env, wexpm1(wmul(wfrom(a), wconst(K_LN2, false))),
		      false);
}

/* log2(x) for finite x > 0; *exact when it is an integer exactly. */
static struct wf wlog2(struct wf x, bool *exact)
{
	int32_t e = x.e;
	struct wf m = x, s;

	/* m in [sqrt(1/2), sqrt(2)): 0xb504f333... is sqrt(2) / 2. */
	m.e = 0;
	if (m.m > WF_M(0xb504f333f9de6484ull, 0x597d89b3754abe9full)) {
		m.e = -1;
		e++;
	}
	s = wdiv(wsub(m, wint(1)), wadd(m, wint(1)));
	*exact = !s.m;
	return wadd(wint(e), wmul(wlog_atanh(s), wconst(K_LOG2E, false)));
}

fx80 fx_yl2x(struct fx_env *env, fx80 x, fx80 y, bool plus1)
{
	enum fx_class cx = fx_classify(x), cy = fx_classify(y);
	bool xs = fx_sign(x), ys = fx_sign(y), exact;
	struct wf l;
	fx80 r;

	/* The logarithm of a negative number is invalid, before DE
	 * (the host x87 agrees). */
	if (cy != FXC_QNAN && cy != FXC_SNAN && cy != FXC_UNSUPPORTED) {
		if (xs && cx != FXC_ZERO && cx != FXC_QNAN &&
		    cx != FXC_SNAN && cx != FXC_UNSUPPORTED &&
		    (!plus1 || cx == FXC_INF))
			goto invalid;
		if (!plus1 && cx == FXC_ZERO && cy == FXC_DENORMAL) {
			env->flags |= FX_ZE; /* before DE */
			return fx_inf(!ys);
		}
	}
	if (fx_nan_operands(env, x, y, 2, &r))
		return r;
	if (plus1 && cx == FXC_INF) {
		if (xs || cy == FXC_ZERO)
			goto invalid;
		return fx_inf(ys);
	}
	if (plus1 && xs && cx != FXC_ZERO &&
	    (mag_above_one(x) || (x.sign_exp & 0x7fff) == 0x3fff)) {
		/* x <= -1, outside the domain: undefined; the host x87
		 * returns x, inexact (an infinite or zero y: x times y). */
		if (cy == FXC_INF)
			return fx_inf(!ys);
		if (cy == FXC_ZERO)
			return fx_zero(!ys);
		env->flags |= FX_PE;
		return x;
	}
	if (plus1) {
		/* FYL2XP1: y * log2(1 + x), |x| < 1 - sqrt(2)/2. */
		if (cx == FXC_ZERO) {
			if (cy == FXC_INF)
				goto invalid;
			return fx_zero(xs != ys);
		}
		if (cx == FXC_INF)
			goto invalid;
		if (cy == FXC_ZERO)
			return fx_zero(xs != ys);
		if (cy == FXC_INF)
			return fx_inf(xs != ys);
		l = wfrom(x);
		if (l.e < -2) {
			/* In the domain: ln(1 + x) = 2 atanh(x / (2 + x)). */
			l = wdiv(l, wadd(wint(2), l));
			l = wmul(wlog_atanh(l), wconst(K_LOG2E, false));
		} else {
			/* Outside it, log2 of 1 + x (exact in 128 bits). */
			struct wf one_x = wadd(wint(1), l);

			if (!one_x.m) {
				if (cy != FXC_INF)
					env->flags |= FX_ZE;
				return fx_inf(!ys);
			}
			l = wlog2(one_x, &exact);
		}
		return wround(env, wmul(l, wfrom(y)), false);
	}
	/* FYL2X (SDM Vol. 2 FYL2X, Table 3-50). */
	if (xs && cx != FXC_ZERO)
		goto invalid;
	if (cx == FXC_ZERO) {
		if (cy == FXC_ZERO)
			goto invalid;
		if (cy != FXC_INF)
			env->flags |= FX_ZE;
		return fx_inf(!ys);
	}
	if (cx == FXC_INF) {
		if (cy == FXC_ZERO)
			goto invalid;
		return fx_inf(ys);
	}
	l = wlog2(wfrom(x), &exact);
	if (cy == FXC_INF) {
		if (!l.m)
			goto invalid;
		return fx_inf(ys != l.s);
	}
	if (cy == FXC_ZERO)
		return fx_zero(ys != l.s);
	return wround(env, wmul(l, wfrom(y)), exact);
invalid:
	env->flags |= FX_IE;
	return fx_indefinite();
}

fx80 fx_patan(struct fx_env *env, fx80 y, fx80 x)
{
	enum fx_class cx = fx_classify(x), cy = fx_classify(y);
	bool xs = fx_sign(x), ys = fx_sign(y);
	struct wf t, r;
	fx80 res;

	if (fx_nan_operands(env, x, y, 2, &res))
		return res;
	/* SDM Vol. 2 FPATAN, Table 3-28 (the atan2 conventions). */
	if (cy == FXC_ZERO) {
		if (!xs)
			return fx_zero(ys);
		return wround(env, wconst(K_PI, ys), false);
	}
	if (cx == FXC_ZERO)
		return wround(env, wconst(K_PI_2, ys), false);
	if (cy == FXC_INF) {
		if (cx == FXC_INF)
			return wround(env, wconst(xs ? K_3PI_4 : K_PI_4, ys),
				      false);
		return wround(env, wconst(K_PI_2, ys), false);
	}
	if (cx == FXC_INF)
		return xs ? wround(env, wconst(K_PI, ys), false) : fx_zero(ys);
	t = wdiv(wfrom(y), wfrom(x));
	t.s = false;
	if (t.e >= 0 && !(t.e == 0 && t.m == (fx_u128)1 << 127))
		r = wsub(wconst(K_PI_2, false), watan01(wdiv(wint(1), t)));
	else
		r = watan01(t);
	if (xs)
		r = wsub(wconst(K_PI, false), r);
	r.s = ys;
	return wround(env, r, false);
}

/*
 * x = q * (pi66 / 2) + r, |r| <= pi66 / 4, exactly (|x| < 2^63); returns
 * q mod 4.
 */
static unsigned reduce(fx80 a, struct wf *r)
{
	int32_t e;
	uint64_t m;
	fx_u128 n, q, rem;
	bool neg = false;

	fx_unpack(a, &e, &m);
	if (e <= -2) { /* |x| < 1/2 */
		*r = wfrom(a);
		return 0;
	}
	/* x = m * 2^(e - 63); pi66/2 = P * 2^-65: n = x * 2^65. */
	n = (fx_u128)m << (e + 2);
	q = n / pi66;
	rem = n % pi66;
	if (rem > pi66 / 2) {
		rem = pi66 - rem;
		neg = true;
		q++;
	}
	*r = wnorm(neg != fx_sign(a), 127 - 65, rem);
	return (unsigned)(fx_sign(a) ? 0 - q : q) & 3;
}

/* Out of range (|x| >= 2^63) or a special: false with *res set. */
static bool trig_operand(struct fx_env *env, fx80 a, fx80 *res, bool *out)
{
	enum fx_class ca = fx_classify(a);

	*out = false;
	if (fx_nan_operands(env, a, a, 1, res))
		return false;
	if (ca == FXC_INF) {
		env->flags |= FX_IE;
		*res = fx_indefinite();
		return false;
	}
	if (ca == FXC_ZERO) {
		*res = a;
		return false;
	}
	if ((a.sign_exp & 0x7fff) >= 0x3fff + 63) {
		*out = true; /* C2: the operand stays (SDM Vol. 2 FSIN) */
		*res = a;
		return false;
	}
	return true;
}

void fx_sincos(struct fx_env *env, fx80 a, fx80 *sin, fx80 *cos,
	       bool *out_of_range)
{
	struct wf r, s, c, sv, cv;
	unsigned q;
	fx80 res;

	if (!trig_operand(env, a, &res, out_of_range)) {
		*sin = res;
		/* cos(+-0) = 1 */
		*cos = fx_classify(a) == FXC_ZERO ? fx_constant(FXK_ONE, 0)
						  : res;
		return;
	}
	q = reduce(a, &r);
	wsincos_small(r, &s, &c);
	switch (q) {
	case 0:
		sv = s, cv = c;
		break;
	case 1:
		sv = c, cv = wneg(s);
		break;
	case 2:
		sv = wneg(s), cv = wneg(c);
		break;
	default:
		sv = wneg(c), cv = s;
		break;
	}
	*sin = wround(env, sv, false);
	*cos = wround(env, cv, false);
}

fx80 fx_tan(struct fx_env *env, fx80 a, bool *out_of_range)
{
	struct wf r, s, c;
	unsigned q;
	fx80 res;

	if (!trig_operand(env, a, &res, out_of_range))
		return res;
	q = reduce(a, &r);
	wsincos_small(r, &s, &c);
	if (q & 1)
		return wround(env, wneg(wdiv(c, s)), false);
	return wround(env, wdiv(s, c), false);
}
