/* SPDX-License-Identifier: MIT */
/*
 * The x87's arithmetic as a software float: the 80-bit double extended
 * format (SDM Vol. 1 §4.2.2, §4.8), IEEE 754 rounding under the x87's
 * rounding and precision control (§8.1.5), the six exception flags with
 * the masked responses of §4.9 and §8.5, and conversions to and from the
 * memory formats.  Pure functions: nothing here knows about the CPU.
 */
#ifndef POPEK_CPU_X87_FLOAT_H
#define POPEK_CPU_X87_FLOAT_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/state.h"

typedef unsigned __int128 fx_u128;

/* Exception flags, at their FSW bit positions (SDM Vol. 1 §8.1.3). */
#define FX_IE 0x0001u
#define FX_DE 0x0002u
#define FX_ZE 0x0004u
#define FX_OE 0x0008u
#define FX_UE 0x0010u
#define FX_PE 0x0020u
#define FX_SF 0x0040u
#define FX_EXC 0x003fu
#define FX_C1 0x0200u /* the result was rounded up in magnitude */

/* FCW.RC (SDM Vol. 1 §4.8.4, Table 4-8). */
enum fx_rc { FX_RC_NEAREST, FX_RC_DOWN, FX_RC_UP, FX_RC_CHOP };

/*
 * The environment of one operation: rounding, precision, the exception
 * masks (which decide the masked or unmasked response), and the flags
 * it raised.  flags collects FX_IE..FX_PE and FX_C1.
 */
struct fx_env {
	uint8_t rc; /* enum fx_rc */
	uint8_t prec; /* 24, 53 or 64 significand bits */
	uint16_t masks; /* FCW bits 0-5: set = masked */
	uint16_t flags;
};

typedef struct x87_reg fx80;

/* Operand classes (SDM Vol. 1 §4.2.2 Table 4-3, §8.2.2 for the
 * encodings the 387 and later no longer support). */
enum fx_class {
	FXC_ZERO,
	FXC_DENORMAL, /* includes pseudo-denormals (J = 1, exponent 0) */
	FXC_NORMAL,
	FXC_INF,
	FXC_QNAN,
	FXC_SNAN,
	FXC_UNSUPPORTED, /* unnormal, pseudo-NaN, pseudo-infinity */
};

enum fx_cmp { FX_LT, FX_EQ, FX_GT, FX_UNORDERED };

static inline bool fx_sign(fx80 a)
{
	return a.sign_exp >> 15;
}

static inline fx80 fx_make(bool sign, uint16_t exp, uint64_t mant)
{
	fx80 r = { .mantissa = mant,
		   .sign_exp = (uint16_t)((sign ? 0x8000 : 0) | exp) };
	return r;
}

enum fx_class fx_classify(fx80 a);
fx80 fx_indefinite(void); /* the QNaN floating-point indefinite */
fx80 fx_zero(bool sign);
fx80 fx_inf(bool sign);

/* Exact constants of FLD1 ... FLDLN2 under RC (SDM Vol. 1 §8.3.8). */
enum fx_const { FXK_ONE, FXK_L2T, FXK_L2E, FXK_PI, FXK_LG2, FXK_LN2,
		FXK_ZERO };
fx80 fx_constant(enum fx_const k, int rc);

/* Arithmetic: the result rounded to env->prec bits, flags in env. */
fx80 fx_add(struct fx_env *env, fx80 a, fx80 b, bool subtract);
fx80 fx_mul(struct fx_env *env, fx80 a, fx80 b);
fx80 fx_div(struct fx_env *env, fx80 a, fx80 b);
fx80 fx_sqrt(struct fx_env *env, fx80 a);
fx80 fx_rndint(struct fx_env *env, fx80 a);
fx80 fx_scale(struct fx_env *env, fx80 a, fx80 b);
/* FXTRACT: *sig gets the significand, the return value the exponent. */
fx80 fx_xtract(struct fx_env *env, fx80 a, fx80 *sig);
/*
 * FPREM (nearest == false) and FPREM1: the partial remainder of a / b;
 * *quot gets the low three quotient bits, *partial whether another
 * iteration is needed (C2).
 */
fx80 fx_rem(struct fx_env *env, fx80 a, fx80 b, bool nearest,
	    unsigned *quot, bool *partial);
enum fx_cmp fx_compare(struct fx_env *env, fx80 a, fx80 b, bool quiet);

/*
 * Operand checks shared with the transcendentals: IE for SNaN and
 * unsupported operands, NaN propagation (SDM Vol. 1 §4.8.3.5, Table 4-7)
 * and DE for denormals.  Returns true when *res is already the answer
 * (a NaN, or the indefinite); n is 1 or 2.
 */
bool fx_nan_operands(struct fx_env *env, fx80 a, fx80 b, int n, fx80 *res);
/* Whether the flags raised so far forbid writing any result: an
 * unmasked IE, DE or ZE (SDM Vol. 1 §8.5: destination and TOP unchanged). */
static inline bool fx_aborted(const struct fx_env *env)
{
	return (env->flags & ~env->masks & (FX_IE | FX_DE | FX_ZE)) != 0;
}

/*
 * The rounder: value = sig * 2^(exp - 127) with bit 127 of sig set,
 * rounded to prec bits within [emin, emax] (unbiased exponents of normal
 * numbers).  reg_dest gives the bias-adjusted result of an unmasked
 * overflow or underflow (SDM Vol. 1 §8.5.4, §8.5.5).
 */
fx80 fx_round(struct fx_env *env, bool sign, int32_t exp, fx_u128 sig,
	      int prec, int32_t emin, int32_t emax, bool reg_dest);
/* Unpack a finite non-zero (normal or denormal) operand: the exponent of
 * bit 63 of the normalized significand. */
void fx_unpack(fx80 a, int32_t *exp, uint64_t *mant);

/* Memory formats.  A "store" returns false when nothing may be written
 * (an unmasked exception, SDM Vol. 1 §8.5). */
fx80 fx_from_f32(struct fx_env *env, uint32_t v);
fx80 fx_from_f64(struct fx_env *env, uint64_t v);
bool fx_to_f32(struct fx_env *env, fx80 a, uint32_t *out);
bool fx_to_f64(struct fx_env *env, fx80 a, uint64_t *out);
fx80 fx_from_int(int64_t v);
/* To a signed integer of bits 16, 32 or 64; chop: FISTTP. */
bool fx_to_int(struct fx_env *env, fx80 a, int bits, bool chop,
	       int64_t *out);
fx80 fx_from_bcd(const uint8_t bcd[10]);
bool fx_to_bcd(struct fx_env *env, fx80 a, uint8_t bcd[10]);

/* Transcendentals (x87_trans.c); accuracy is described there. */
fx80 fx_f2xm1(struct fx_env *env, fx80 a);
fx80 fx_yl2x(struct fx_env *env, fx80 x, fx80 y, bool plus1);
fx80 fx_patan(struct fx_env *env, fx80 y, fx80 x);
/* FSIN, FCOS, FSINCOS, FPTAN: *out_of_range is C2 (|x| >= 2^63; the
 * operand is then left unchanged). */
void fx_sincos(struct fx_env *env, fx80 a, fx80 *sin, fx80 *cos,
	       bool *out_of_range);
fx80 fx_tan(struct fx_env *env, fx80 a, bool *out_of_range);

#endif
