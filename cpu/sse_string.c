// SPDX-License-Identifier: MIT
/*
 * SSE4.2: the packed string comparisons PCMPESTRI, PCMPESTRM, PCMPISTRI
 * and PCMPISTRM (SDM Vol. 2 §4.1 "Imm8 Control Byte Operation for
 * PCMPESTRI / PCMPESTRM / PCMPISTRI / PCMPISTRM"), CRC32 and POPCNT.
 */
#include "cpu/sse.h"

/* imm8 fields (SDM Vol. 2 §4.1.1-§4.1.6). */
#define STR_WORDS 0x01 /* words, not bytes */
#define STR_SIGNED 0x02
#define STR_AGG_SHIFT 2
#define STR_POL_SHIFT 4
#define STR_MSB 0x40 /* index: most significant; mask: expanded */

enum {
	AGG_EQUAL_ANY,
	AGG_RANGES,
	AGG_EQUAL_EACH,
	AGG_EQUAL_ORDERED
};

struct str_op {
	union vec a, b; /* xmm1 (reg) and xmm2/m128 */
	int n; /* 16 bytes or 8 words */
	int la, lb; /* valid elements */
	unsigned imm;
};

static int64_t str_el(const struct str_op *o, const union vec *v, int k)
{
	switch (o->imm & 3) {
	case 0:
		return v->b[k];
	case 1:
		return v->w[k];
	case 2:
		return v->sb[k];
	default:
		return v->sw[k];
	}
}

/* Implicit length: up to the first zero element. */
static int str_implicit(const struct str_op *o, const union vec *v)
{
	int k = 0;

	while (k < o->n && str_el(o, v, k) != 0)
		k++;
	return k;
}

/* Explicit length: |reg| saturated at n (SDM §4.1.2). */
static int str_explicit(const struct str_op *o, uint64_t reg, bool wide)
{
	int64_t v = wide ? (int64_t)reg : (int64_t)(int32_t)reg;
	uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	return mag > (uint64_t)o->n ? o->n : (int)mag;
}

/* IntRes1 of the aggregation, with the validity overrides of
 * Table 4-7 (SDM §4.1.4). */
static unsigned str_aggregate(const struct str_op *o)
{
	int agg = (o->imm >> STR_AGG_SHIFT) & 3;
	unsigned res = 0;

	for (int j = 0; j < o->n; j++) {
		bool bit = false;
		int64_t bj = str_el(o, &o->b, j);

		switch (agg) {
		case AGG_EQUAL_ANY:
			for (int i = 0; i < o->la && j < o->lb && !bit; i++)
				bit = str_el(o, &o->a, i) == bj;
			break;
		case AGG_RANGES:
			for (int i = 0; i + 1 < o->la && j < o->lb && !bit;
			     i += 2)
				bit = bj >= str_el(o, &o->a, i) &&
				      bj <= str_el(o, &o->a, i + 1);
			break;
		case AGG_EQUAL_EACH:
			if (j >= o->la && j >= o->lb)
				bit = true;
			else if (j < o->la && j < o->lb)
				bit = str_el(o, &o->a, j) == bj;
			break;
		default: /* equal ordered: a is a substring starting at j */
			bit = true;
			for (int i = 0; i < o->n - j && bit; i++) {
				int k = j + i;

				if (i >= o->la)
					break; /* the needle ended */
				if (k >= o->lb)
					bit = false;
				else
					bit = str_el(o, &o->a, i) ==
					      str_el(o, &o->b, k);
			}
			break;
		}
		if (bit)
			res |= 1u << j;
	}
	return res;
}

/* IntRes2: the polarity (SDM §4.1.5). */
static unsigned str_polarity(const struct str_op *o, unsigned r)
{
	unsigned all = (1u << o->n) - 1;

	switch ((o->imm >> STR_POL_SHIFT) & 3) {
	case 1:
		return ~r & all;
	case 3:
		return r ^ ((1u << o->lb) - 1);
	default:
		return r;
	}
}

/* 66 0F 3A 60 PCMPESTRM, 61 PCMPESTRI, 62 PCMPISTRM, 63 PCMPISTRI.  No
 * alignment is required of the memory operand (SDM Vol. 1 §12.10.3). */
SSE_HANDLER(op_pcmpstr)
{
	bool explicit_len = i->opcode < 0x62;
	bool index = i->opcode & 1;
	struct str_op o;
	unsigned r;
	uint32_t f = 0;

	sse_check(c);
	o.imm = (unsigned)i->imm;
	o.n = (o.imm & STR_WORDS) ? 8 : 16;
	vec_get_rm(c, i, true, &o.b, 16, false);
	xmm_get(c, i->reg, &o.a);
	if (explicit_len) {
		o.la = str_explicit(&o, c->s.gpr[R_AX], i->osz == 8);
		o.lb = str_explicit(&o, c->s.gpr[R_DX], i->osz == 8);
	} else {
		o.la = str_implicit(&o, &o.a);
		o.lb = str_implicit(&o, &o.b);
	}
	r = str_polarity(&o, str_aggregate(&o));

	if (index) {
		uint32_t idx = (uint32_t)o.n;

		if (r)
			idx = (o.imm & STR_MSB) ?
				      31u - (uint32_t)__builtin_clz(r) :
				      (uint32_t)__builtin_ctz(r);
		reg_write(c, R_CX, 4, idx);
	} else {
		union vec m = { .q = { 0, 0 } };

		if (o.imm & STR_MSB) {
			for (int k = 0; k < o.n; k++)
				if ((r >> k) & 1) {
					if (o.n == 8)
						m.w[k] = 0xffff;
					else
						m.b[k] = 0xff;
				}
		} else {
			m.q[0] = r;
		}
		xmm_put(c, 0, &m);
	}
	/* Flags (SDM §4.1.6): CF result non-zero, ZF/SF the end of the
	 * source/destination string inside the register, OF bit 0. */
	if (r)
		f |= FLAG_CF;
	if (o.lb < o.n)
		f |= FLAG_ZF;
	if (o.la < o.n)
		f |= FLAG_SF;
	if (r & 1)
		f |= FLAG_OF;
	cpu_set_flags(c, f, FLAGS_ARITH);
}

/* F2 0F 38 F0/F1: CRC32 r32/r64, r/m8/16/32/64: CRC-32C, polynomial
 * 11EDC6F41h, bit-reflected (SDM Vol. 2 "CRC32"). */
SSE_HANDLER(op_crc32)
{
	int size = i->opcode == 0xf0 ? 1 : i->osz;
	uint64_t v = rm_read(c, i, size);
	uint32_t crc = (uint32_t)c->s.gpr[i->reg];

	for (int k = 0; k < size; k++) {
		crc ^= (uint8_t)(v >> (8 * k));
		for (int b = 0; b < 8; b++)
			crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1)));
	}
	reg_write(c, i->reg, i->osz == 8 ? 8 : 4, crc);
}

/* F3 0F B8: POPCNT: ZF when the source is 0; OF, SF, AF, CF, PF
 * cleared. */
SSE_HANDLER(op_popcnt)
{
	uint64_t v = rm_read(c, i, i->osz);

	reg_write(c, i->reg, i->osz, (uint64_t)__builtin_popcountll(v));
	cpu_set_flags(c, v ? 0 : FLAG_ZF, FLAGS_ARITH);
}
