// SPDX-License-Identifier: MIT
/*
 * Packed integer instructions in their MMX (64-bit, no prefix) and SSE2
 * (128-bit, 66h) forms, SSSE3 and SSE4.1 integer instructions, and the
 * bitwise moves of packed floating-point data: logic, unpacks, shuffles,
 * blends, inserts and extracts (SDM Vol. 1 §9.4, §11.4, §12.3-§12.10;
 * Vol. 2 instruction pages).
 */
#include <stdlib.h>

#include "cpu/sse.h"

/* --- elements ------------------------------------------------------------ */

/* Element k of size e bytes, zero- or sign-extended. */
static uint64_t el_u(const union vec *v, int e, int k)
{
	switch (e) {
	case 1:
		return v->b[k];
	case 2:
		return v->w[k];
	case 4:
		return v->d[k];
	default:
		return v->q[k];
	}
}

static int64_t el_s(const union vec *v, int e, int k)
{
	switch (e) {
	case 1:
		return v->sb[k];
	case 2:
		return v->sw[k];
	case 4:
		return v->sd[k];
	default:
		return v->sq[k];
	}
}

static void el_set(union vec *v, int e, int k, uint64_t x)
{
	switch (e) {
	case 1:
		v->b[k] = (uint8_t)x;
		break;
	case 2:
		v->w[k] = (uint16_t)x;
		break;
	case 4:
		v->d[k] = (uint32_t)x;
		break;
	default:
		v->q[k] = x;
		break;
	}
}

static int64_t clamp(int64_t x, int64_t lo, int64_t hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

static int16_t sat16s(int64_t x)
{
	return (int16_t)clamp(x, INT16_MIN, INT16_MAX);
}

/* Signed and unsigned saturation to an element of e bytes. */
static uint64_t sat_s(int64_t x, int e)
{
	int64_t hi = (int64_t)(sign_bit(e) - 1);

	return (uint64_t)clamp(x, -hi - 1, hi);
}

static uint64_t sat_u(int64_t x, int e)
{
	return (uint64_t)clamp(x, 0, (int64_t)size_mask(e));
}

/* PUNPCKL / PUNPCKH: interleave the low (or high) halves, destination
 * element first (SDM Vol. 2 "PUNPCKLBW/PUNPCKLWD/..."). */
static void unpack(union vec *r, const union vec *d, const union vec *s, int n,
		   int e, bool high)
{
	int half = n / e / 2;

	for (int k = 0; k < half; k++) {
		int from = high ? half + k : k;

		el_set(r, e, 2 * k, el_u(d, e, from));
		el_set(r, e, 2 * k + 1, el_u(s, e, from));
	}
}

/* PACKSS / PACKUS: destination elements to the low half, source to the
 * high half, each narrowed with saturation. */
static void pack(union vec *r, const union vec *d, const union vec *s, int n,
		 int e, bool is_signed)
{
	int cnt = n / e;

	for (int k = 0; k < 2 * cnt; k++) {
		int64_t x = k < cnt ? el_s(d, e, k) : el_s(s, e, k - cnt);

		el_set(r, e / 2, k,
		       is_signed ? sat_s(x, e / 2) : sat_u(x, e / 2));
	}
}

/* Logical and arithmetic shifts by a count (SDM Vol. 2 "PSLLW/PSLLD/
 * PSLLQ"): a count past the element width clears it, or fills it with
 * its sign. */
static void shift(union vec *r, const union vec *d, uint64_t count, int n,
		  int e, int kind)
{
	unsigned bits = 8u * (unsigned)e;

	for (int k = 0; k < n / e; k++) {
		uint64_t x;

		if (kind == 0) /* logical right */
			x = count >= bits ? 0 : el_u(d, e, k) >> count;
		else if (kind == 1) /* arithmetic right */
			x = (uint64_t)(el_s(d, e, k) >>
				       (count >= bits ? bits - 1 : count));
		else /* left */
			x = count >= bits ? 0 : el_u(d, e, k) << count;
		el_set(r, e, k, x);
	}
}

/* Horizontal add/subtract of adjacent pairs: destination pairs fill the
 * low half, source pairs the high half (SDM Vol. 2 "PHADDW/PHADDD"). */
static void horiz(union vec *r, const union vec *d, const union vec *s, int n,
		  int e, bool sub, bool sat)
{
	int half = n / e / 2;

	for (int k = 0; k < 2 * half; k++) {
		const union vec *v = k < half ? d : s;
		int j = 2 * (k % half);
		int64_t a = el_s(v, e, j), b = el_s(v, e, j + 1);
		int64_t x = sub ? a - b : a + b;

		el_set(r, e, k, sat ? sat_s(x, e) : (uint64_t)x);
	}
}

static int elsize(int op, int first, int e0)
{
	return e0 << (op - first);
}

/* One packed-integer operation on n bytes: r = d op s. */
static void pint_compute(int op, union vec *r, const union vec *d,
			 const union vec *s, int n)
{
	int e;

	*r = (union vec){ .q = { 0, 0 } };
	switch (op) {
	case PI_PUNPCKLBW:
	case PI_PUNPCKLWD:
	case PI_PUNPCKLDQ:
	case PI_PUNPCKLQDQ:
		unpack(r, d, s, n, elsize(op, PI_PUNPCKLBW, 1), false);
		break;
	case PI_PUNPCKHBW:
	case PI_PUNPCKHWD:
	case PI_PUNPCKHDQ:
	case PI_PUNPCKHQDQ:
		unpack(r, d, s, n, elsize(op, PI_PUNPCKHBW, 1), true);
		break;
	case PI_PACKSSWB:
		pack(r, d, s, n, 2, true);
		break;
	case PI_PACKSSDW:
		pack(r, d, s, n, 4, true);
		break;
	case PI_PACKUSWB:
		pack(r, d, s, n, 2, false);
		break;
	case PI_PACKUSDW:
		pack(r, d, s, n, 4, false);
		break;
	case PI_PCMPGTB:
	case PI_PCMPGTW:
	case PI_PCMPGTD:
	case PI_PCMPGTQ:
		e = elsize(op, PI_PCMPGTB, 1);
		for (int k = 0; k < n / e; k++)
			el_set(r, e, k,
			       el_s(d, e, k) > el_s(s, e, k) ? ~0ull : 0);
		break;
	case PI_PCMPEQB:
	case PI_PCMPEQW:
	case PI_PCMPEQD:
	case PI_PCMPEQQ:
		e = elsize(op, PI_PCMPEQB, 1);
		for (int k = 0; k < n / e; k++)
			el_set(r, e, k,
			       el_u(d, e, k) == el_u(s, e, k) ? ~0ull : 0);
		break;
	case PI_PADDB:
	case PI_PADDW:
	case PI_PADDD:
	case PI_PADDQ:
		e = elsize(op, PI_PADDB, 1);
		for (int k = 0; k < n / e; k++)
			el_set(r, e, k, el_u(d, e, k) + el_u(s, e, k));
		break;
	case PI_PSUBB:
	case PI_PSUBW:
	case PI_PSUBD:
	case PI_PSUBQ:
		e = elsize(op, PI_PSUBB, 1);
		for (int k = 0; k < n / e; k++)
			el_set(r, e, k, el_u(d, e, k) - el_u(s, e, k));
		break;
	case PI_PADDSB:
	case PI_PADDSW:
	case PI_PSUBSB:
	case PI_PSUBSW:
		e = (op == PI_PADDSB || op == PI_PSUBSB) ? 1 : 2;
		for (int k = 0; k < n / e; k++) {
			int64_t b = el_s(s, e, k);

			el_set(r, e, k,
			       sat_s(el_s(d, e, k) + (op >= PI_PSUBSB ? -b : b),
				     e));
		}
		break;
	case PI_PADDUSB:
	case PI_PADDUSW:
	case PI_PSUBUSB:
	case PI_PSUBUSW:
		e = (op == PI_PADDUSB || op == PI_PSUBUSB) ? 1 : 2;
		for (int k = 0; k < n / e; k++) {
			int64_t a = (int64_t)el_u(d, e, k);
			int64_t b = (int64_t)el_u(s, e, k);

			el_set(r, e, k,
			       sat_u(op >= PI_PSUBUSB ? a - b : a + b, e));
		}
		break;
	case PI_PMULLW:
	case PI_PMULHW:
		for (int k = 0; k < n / 2; k++) {
			int32_t p = (int32_t)d->sw[k] * s->sw[k];

			r->w[k] = (uint16_t)(op == PI_PMULLW ? p : p >> 16);
		}
		break;
	case PI_PMULHUW:
		for (int k = 0; k < n / 2; k++)
			r->w[k] =
				(uint16_t)(((uint32_t)d->w[k] * s->w[k]) >> 16);
		break;
	case PI_PMULUDQ:
		for (int k = 0; k < n / 8; k++)
			r->q[k] = (uint64_t)d->d[2 * k] * s->d[2 * k];
		break;
	case PI_PMULDQ:
		for (int k = 0; k < n / 8; k++)
			r->sq[k] = (int64_t)d->sd[2 * k] * s->sd[2 * k];
		break;
	case PI_PMULLD:
		for (int k = 0; k < n / 4; k++)
			r->d[k] = (uint32_t)((int64_t)d->sd[k] * s->sd[k]);
		break;
	case PI_PMADDWD:
		for (int k = 0; k < n / 4; k++)
			r->d[k] = (uint32_t)((int64_t)d->sw[2 * k] *
						     s->sw[2 * k] +
					     (int64_t)d->sw[2 * k + 1] *
						     s->sw[2 * k + 1]);
		break;
	case PI_PSADBW:
		for (int g = 0; g < n / 8; g++) {
			unsigned sum = 0;

			for (int k = 8 * g; k < 8 * g + 8; k++)
				sum += (unsigned)abs(d->b[k] - s->b[k]);
			r->q[g] = sum;
		}
		break;
	case PI_PAVGB:
		for (int k = 0; k < n; k++)
			r->b[k] = (uint8_t)((d->b[k] + s->b[k] + 1) >> 1);
		break;
	case PI_PAVGW:
		for (int k = 0; k < n / 2; k++)
			r->w[k] =
				(uint16_t)(((uint32_t)d->w[k] + s->w[k] + 1) >>
					   1);
		break;
	case PI_PMINUB:
	case PI_PMINUW:
	case PI_PMINUD:
	case PI_PMAXUB:
	case PI_PMAXUW:
	case PI_PMAXUD:
		e = (op == PI_PMINUB || op == PI_PMAXUB) ? 1 :
		    (op == PI_PMINUW || op == PI_PMAXUW) ? 2 :
							   4;
		for (int k = 0; k < n / e; k++) {
			uint64_t a = el_u(d, e, k), b = el_u(s, e, k);
			bool mx = op == PI_PMAXUB || op == PI_PMAXUW ||
				  op == PI_PMAXUD;

			el_set(r, e, k, (mx ? a > b : a < b) ? a : b);
		}
		break;
	case PI_PMINSB:
	case PI_PMINSW:
	case PI_PMINSD:
	case PI_PMAXSB:
	case PI_PMAXSW:
	case PI_PMAXSD:
		e = (op == PI_PMINSB || op == PI_PMAXSB) ? 1 :
		    (op == PI_PMINSW || op == PI_PMAXSW) ? 2 :
							   4;
		for (int k = 0; k < n / e; k++) {
			int64_t a = el_s(d, e, k), b = el_s(s, e, k);
			bool mx = op == PI_PMAXSB || op == PI_PMAXSW ||
				  op == PI_PMAXSD;

			el_set(r, e, k,
			       (uint64_t)((mx ? a > b : a < b) ? a : b));
		}
		break;
	case PI_PAND:
		r->q[0] = d->q[0] & s->q[0];
		r->q[1] = d->q[1] & s->q[1];
		break;
	case PI_PANDN:
		r->q[0] = ~d->q[0] & s->q[0];
		r->q[1] = ~d->q[1] & s->q[1];
		break;
	case PI_POR:
		r->q[0] = d->q[0] | s->q[0];
		r->q[1] = d->q[1] | s->q[1];
		break;
	case PI_PXOR:
		r->q[0] = d->q[0] ^ s->q[0];
		r->q[1] = d->q[1] ^ s->q[1];
		break;
	case PI_PSRLW:
	case PI_PSRLD:
	case PI_PSRLQ:
		shift(r, d, s->q[0], n, elsize(op, PI_PSRLW, 2), 0);
		break;
	case PI_PSRAW:
	case PI_PSRAD:
		shift(r, d, s->q[0], n, elsize(op, PI_PSRAW, 2), 1);
		break;
	case PI_PSLLW:
	case PI_PSLLD:
	case PI_PSLLQ:
		shift(r, d, s->q[0], n, elsize(op, PI_PSLLW, 2), 2);
		break;
	case PI_PSRLDQ:
	case PI_PSLLDQ: {
		/* Byte shifts of the whole register (SDM "PSRLDQ"). */
		uint64_t cnt = s->q[0] > 16 ? 16 : s->q[0];

		for (int k = 0; k < 16; k++) {
			int from = op == PI_PSRLDQ ? k + (int)cnt :
						     k - (int)cnt;

			r->b[k] = (from >= 0 && from < 16) ? d->b[from] : 0;
		}
		break;
	}
	case PI_PSHUFB:
		for (int k = 0; k < n; k++)
			r->b[k] = (s->b[k] & 0x80) ? 0 :
						     d->b[s->b[k] & (n - 1)];
		break;
	case PI_PHADDW:
	case PI_PHADDD:
		horiz(r, d, s, n, elsize(op, PI_PHADDW, 2), false, false);
		break;
	case PI_PHADDSW:
		horiz(r, d, s, n, 2, false, true);
		break;
	case PI_PHSUBW:
	case PI_PHSUBD:
		horiz(r, d, s, n, elsize(op, PI_PHSUBW, 2), true, false);
		break;
	case PI_PHSUBSW:
		horiz(r, d, s, n, 2, true, true);
		break;
	case PI_PMADDUBSW:
		/* Unsigned destination bytes times signed source bytes. */
		for (int k = 0; k < n / 2; k++)
			r->sw[k] = sat16s((int32_t)d->b[2 * k] * s->sb[2 * k] +
					  (int32_t)d->b[2 * k + 1] *
						  s->sb[2 * k + 1]);
		break;
	case PI_PMULHRSW:
		for (int k = 0; k < n / 2; k++) {
			int32_t p = (int32_t)d->sw[k] * s->sw[k];

			r->w[k] = (uint16_t)(((p >> 14) + 1) >> 1);
		}
		break;
	case PI_PSIGNB:
	case PI_PSIGNW:
	case PI_PSIGND:
		e = elsize(op, PI_PSIGNB, 1);
		for (int k = 0; k < n / e; k++) {
			int64_t b = el_s(s, e, k);
			uint64_t a = el_u(d, e, k);

			el_set(r, e, k, b < 0 ? 0 - a : b == 0 ? 0 : a);
		}
		break;
	case PI_PABSB:
	case PI_PABSW:
	case PI_PABSD:
		e = elsize(op, PI_PABSB, 1);
		for (int k = 0; k < n / e; k++) {
			int64_t b = el_s(s, e, k);

			el_set(r, e, k, (uint64_t)(b < 0 ? -b : b));
		}
		break;
	case PI_PHMINPOSUW: {
		int at = 0;

		for (int k = 1; k < 8; k++)
			if (s->w[k] < s->w[at])
				at = k;
		r->w[0] = s->w[at];
		r->w[1] = (uint16_t)at;
		break;
	}
	}
}

/* 0F 60-7F, D0-FF, 0F 38 00-41: ModRM.reg op= ModRM.r/m. */
SSE_HANDLER(op_pint)
{
	bool x = i->simd_prefix == SIMD_66;
	union vec d, s, r;

	simd_check(c, x);
	vec_src(c, i, x, &s);
	vec_get(c, x, i->reg, &d);
	pint_compute(i->sub, &r, &d, &s, x ? 16 : 8);
	vec_put(c, x, i->reg, &r);
}

/* 0F 71, 72, 73: shifts of the r/m register by imm8. */
SSE_HANDLER(op_pshift_imm)
{
	bool x = i->simd_prefix == SIMD_66;
	union vec d, s = { .q = { i->imm & 0xff, 0 } }, r;

	simd_check(c, x);
	vec_get(c, x, i->rm, &d);
	pint_compute(i->sub, &r, &d, &s, x ? 16 : 8);
	vec_put(c, x, i->rm, &r);
}

/* 0F 70: PSHUFW (mm), PSHUFD (66), PSHUFHW (F3), PSHUFLW (F2). */
SSE_HANDLER(op_pshuf)
{
	bool x = i->simd_prefix != SIMD_NONE;
	unsigned imm = (unsigned)i->imm;
	union vec s, r;

	simd_check(c, x);
	vec_src(c, i, x, &s);
	r = s;
	for (int k = 0; k < 4; k++) {
		unsigned sel = (imm >> (2 * k)) & 3;

		switch (i->simd_prefix) {
		case SIMD_NONE:
			r.w[k] = s.w[sel];
			break;
		case SIMD_66:
			r.d[k] = s.d[sel];
			break;
		case SIMD_F3:
			r.w[4 + k] = s.w[4 + sel];
			break;
		default:
			r.w[k] = s.w[sel];
			break;
		}
	}
	vec_put(c, x, i->reg, &r);
}

/* 0F C4: PINSRW mm/xmm, r32/m16, imm8. */
SSE_HANDLER(op_pinsrw)
{
	bool x = i->simd_prefix == SIMD_66;
	union vec d;
	uint16_t w;

	simd_check(c, x);
	w = (uint16_t)(i->mod == 3 ? c->s.gpr[i->rm] :
				     mem_read(c, i->seg, insn_ea(c, i), 2));
	vec_get(c, x, i->reg, &d);
	d.w[i->imm & (x ? 7 : 3)] = w;
	vec_put(c, x, i->reg, &d);
}

/* 0F C5: PEXTRW r32, mm/xmm, imm8 (zero-extended). */
SSE_HANDLER(op_pextrw)
{
	bool x = i->simd_prefix == SIMD_66;
	union vec s;

	simd_check(c, x);
	vec_get(c, x, i->rm, &s);
	reg_write(c, i->reg, 4, s.w[i->imm & (x ? 7 : 3)]);
	if (!x)
		mmx_enter(c);
}

/* 0F D7: PMOVMSKB r32, mm/xmm. */
SSE_HANDLER(op_pmovmskb)
{
	bool x = i->simd_prefix == SIMD_66;
	union vec s;
	uint32_t m = 0;

	simd_check(c, x);
	vec_get(c, x, i->rm, &s);
	for (int k = 0; k < (x ? 16 : 8); k++)
		m |= (uint32_t)(s.b[k] >> 7) << k;
	reg_write(c, i->reg, 4, m);
	if (!x)
		mmx_enter(c);
}

/* 0F 3A 0F: PALIGNR: the destination:source pair shifted right by imm8
 * bytes. */
SSE_HANDLER(op_palignr)
{
	bool x = i->simd_prefix == SIMD_66;
	int n = x ? 16 : 8;
	unsigned sh = (unsigned)(i->imm & 0xff);
	uint8_t cat[32];
	union vec d, s, r = { .q = { 0, 0 } };

	simd_check(c, x);
	vec_src(c, i, x, &s);
	vec_get(c, x, i->reg, &d);
	memcpy(cat, s.b, (size_t)n);
	memcpy(cat + n, d.b, (size_t)n);
	for (int k = 0; k < n; k++)
		if (sh + (unsigned)k < 2u * (unsigned)n)
			r.b[k] = cat[sh + (unsigned)k];
	vec_put(c, x, i->reg, &r);
}

/* 66 0F 38 20-25 PMOVSX, 30-35 PMOVZX: low elements widened. */
SSE_HANDLER(op_pmovx)
{
	static const uint8_t from[6] = { 1, 1, 1, 2, 2, 4 };
	static const uint8_t to[6] = { 2, 4, 8, 4, 8, 8 };
	int kind = i->opcode & 0x0f;
	bool zx = (i->opcode & 0xf0) == 0x30;
	int ef = from[kind], et = to[kind], cnt = 16 / et;
	union vec s, r;

	sse_check(c);
	vec_get_rm(c, i, true, &s, cnt * ef, false);
	for (int k = 0; k < cnt; k++)
		el_set(&r, et, k,
		       zx ? el_u(&s, ef, k) : (uint64_t)el_s(&s, ef, k));
	xmm_put(c, i->reg, &r);
}

/* 66 0F 38 17: PTEST: ZF when d AND s is 0, CF when (NOT d) AND s is 0;
 * AF, OF, PF, SF cleared. */
SSE_HANDLER(op_ptest)
{
	union vec d, s;
	uint32_t f = 0;

	sse_check(c);
	vec_src(c, i, true, &s);
	xmm_get(c, i->reg, &d);
	if (!((d.q[0] & s.q[0]) | (d.q[1] & s.q[1])))
		f |= FLAG_ZF;
	if (!((~d.q[0] & s.q[0]) | (~d.q[1] & s.q[1])))
		f |= FLAG_CF;
	cpu_set_flags(c, f, FLAGS_ARITH);
}

/* Blends: 66 0F 3A 0C BLENDPS, 0D BLENDPD, 0E PBLENDW (imm8 selects);
 * 66 0F 38 10 PBLENDVB, 14 BLENDVPS, 15 BLENDVPD (XMM0's sign bits). */
SSE_HANDLER(op_pblend)
{
	union vec d, s, m;
	int e;

	sse_check(c);
	vec_src(c, i, true, &s);
	xmm_get(c, i->reg, &d);
	xmm_get(c, 0, &m);
	switch (i->opcode) {
	case 0x0c:
	case 0x0d:
	case 0x0e:
		e = i->opcode == 0x0c ? 4 : i->opcode == 0x0d ? 8 : 2;
		for (int k = 0; k < 16 / e; k++)
			if ((i->imm >> k) & 1)
				el_set(&d, e, k, el_u(&s, e, k));
		break;
	default:
		e = i->opcode == 0x10 ? 1 : i->opcode == 0x14 ? 4 : 8;
		for (int k = 0; k < 16 / e; k++)
			if (el_s(&m, e, k) < 0)
				el_set(&d, e, k, el_u(&s, e, k));
		break;
	}
	xmm_put(c, i->reg, &d);
}

/* 66 0F 3A 14 PEXTRB, 15 PEXTRW, 16 PEXTRD/PEXTRQ, 17 EXTRACTPS:
 * r/m = element imm8 of xmm (ModRM.reg); a register is zero-extended. */
SSE_HANDLER(op_pextr)
{
	int e = i->opcode == 0x14		   ? 1 :
		i->opcode == 0x15		   ? 2 :
		(i->opcode == 0x16 && i->osz == 8) ? 8 :
						     4;
	union vec s;
	uint64_t v;

	sse_check(c);
	xmm_get(c, i->reg, &s);
	v = el_u(&s, e, (int)(i->imm & (uint64_t)(16 / e - 1)));
	if (i->mod == 3)
		reg_write(c, i->rm, e == 8 ? 8 : 4, v);
	else
		mem_write(c, i->seg, insn_ea(c, i), e, v);
}

/* 66 0F 3A 20 PINSRB, 22 PINSRD/PINSRQ: element imm8 of xmm = r/m. */
SSE_HANDLER(op_pinsr)
{
	int e = i->opcode == 0x20 ? 1 : i->osz == 8 ? 8 : 4;
	union vec d;
	uint64_t v;

	sse_check(c);
	v = i->mod == 3 ? c->s.gpr[i->rm] :
			  mem_read(c, i->seg, insn_ea(c, i), e);
	xmm_get(c, i->reg, &d);
	el_set(&d, e, (int)(i->imm & (uint64_t)(16 / e - 1)), v);
	xmm_put(c, i->reg, &d);
}

/* 66 0F 3A 21: INSERTPS xmm, xmm/m32, imm8 (SDM Vol. 2 "INSERTPS"). */
SSE_HANDLER(op_insertps)
{
	unsigned imm = (unsigned)i->imm;
	union vec d, s;
	uint32_t v;

	sse_check(c);
	if (i->mod == 3) {
		xmm_get(c, i->rm, &s);
		v = s.d[(imm >> 6) & 3];
	} else {
		sse_mem_read(c, i, &s, 4, 1);
		v = s.d[0];
	}
	xmm_get(c, i->reg, &d);
	d.d[(imm >> 4) & 3] = v;
	for (int k = 0; k < 4; k++)
		if ((imm >> k) & 1)
			d.d[k] = 0;
	xmm_put(c, i->reg, &d);
}

/* 66 0F 3A 42: MPSADBW: eight sums of absolute differences of four
 * bytes, the source block picked by imm8[1:0], the destination's start
 * by imm8[2]. */
SSE_HANDLER(op_mpsadbw)
{
	unsigned so = ((unsigned)i->imm & 3) * 4;
	unsigned dof = (((unsigned)i->imm >> 2) & 1) * 4;
	union vec d, s, r;

	sse_check(c);
	vec_src(c, i, true, &s);
	xmm_get(c, i->reg, &d);
	for (unsigned k = 0; k < 8; k++) {
		unsigned sum = 0;

		for (unsigned j = 0; j < 4; j++)
			sum += (unsigned)abs(d.b[dof + k + j] - s.b[so + j]);
		r.w[k] = (uint16_t)sum;
	}
	xmm_put(c, i->reg, &r);
}

/* 0F 54-57: ANDPS, ANDNPS, ORPS, XORPS and their PD forms. */
SSE_HANDLER(op_sse_logic)
{
	static const uint8_t ops[4] = { PI_PAND, PI_PANDN, PI_POR, PI_PXOR };
	union vec d, s, r;

	sse_check(c);
	vec_src(c, i, true, &s);
	xmm_get(c, i->reg, &d);
	pint_compute(ops[i->sub & 3], &r, &d, &s, 16);
	xmm_put(c, i->reg, &r);
}

/* 0F 14/15: UNPCKLPS/UNPCKHPS, 66: UNPCKLPD/UNPCKHPD. */
SSE_HANDLER(op_unpck_fp)
{
	union vec d, s, r;

	sse_check(c);
	vec_src(c, i, true, &s);
	xmm_get(c, i->reg, &d);
	unpack(&r, &d, &s, 16, i->simd_prefix == SIMD_66 ? 8 : 4, i->sub != 0);
	xmm_put(c, i->reg, &r);
}

/* 0F C6: SHUFPS, 66: SHUFPD: the low half from the destination, the
 * high half from the source. */
SSE_HANDLER(op_shufp)
{
	unsigned imm = (unsigned)i->imm;
	union vec d, s, r;

	sse_check(c);
	vec_src(c, i, true, &s);
	xmm_get(c, i->reg, &d);
	if (i->simd_prefix == SIMD_66) {
		r.q[0] = d.q[imm & 1];
		r.q[1] = s.q[(imm >> 1) & 1];
	} else {
		r.d[0] = d.d[imm & 3];
		r.d[1] = d.d[(imm >> 2) & 3];
		r.d[2] = s.d[(imm >> 4) & 3];
		r.d[3] = s.d[(imm >> 6) & 3];
	}
	xmm_put(c, i->reg, &r);
}

/* F3 0F 12 MOVSLDUP, F3 0F 16 MOVSHDUP, F2 0F 12 MOVDDUP (m64). */
SSE_HANDLER(op_movdup)
{
	union vec s, r;

	sse_check(c);
	if (i->simd_prefix == SIMD_F2) {
		vec_get_rm(c, i, true, &s, 8, false);
		r.q[0] = r.q[1] = s.q[0];
	} else {
		int odd = i->opcode == 0x16;

		vec_src(c, i, true, &s);
		r.d[0] = r.d[1] = s.d[odd];
		r.d[2] = r.d[3] = s.d[2 + odd];
	}
	xmm_put(c, i->reg, &r);
}
