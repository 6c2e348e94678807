// SPDX-License-Identifier: MIT
/*
 * Shifts and rotates (SDM Vol. 2: SAL/SAR/SHL/SHR, RCL/RCR/ROL/ROR,
 * SHLD, SHRD).  The count is masked to five bits; a zero count changes
 * nothing, flags included.
 */
#include "cpu/ops.h"

enum { SH_ROL, SH_ROR, SH_RCL, SH_RCR, SH_SHL, SH_SHR, SH_SAL, SH_SAR };

static uint32_t shift_compute(struct cpu *c, int op, uint32_t a,
			      unsigned count, int size)
{
	unsigned bits = (unsigned)size * 8;
	uint32_t mask = size_mask(size), msb = sign_bit(size), r;
	bool cf, of;
	uint64_t wide;

	switch (op) {
	case SH_ROL: {
		unsigned n = count % bits;

		r = n ? ((a << n) | (a >> (bits - n))) & mask : a;
		cf = r & 1;
		of = ((r & msb) != 0) ^ cf;
		flags_set_cf_of(c, cf, of);
		return r;
	}
	case SH_ROR: {
		unsigned n = count % bits;

		r = n ? ((a >> n) | (a << (bits - n))) & mask : a;
		cf = (r & msb) != 0;
		of = cf ^ ((r & (msb >> 1)) != 0);
		flags_set_cf_of(c, cf, of);
		return r;
	}
	case SH_RCL: {
		unsigned n = size == 4 ? count : count % (bits + 1);

		/* Rotate the bits+1 wide value CF:a. */
		wide = ((uint64_t)flag_cf(c) << bits) | a;
		for (unsigned k = 0; k < n; k++)
			wide = ((wide << 1) | (wide >> bits)) &
			       ((2ull << bits) - 1);
		r = (uint32_t)wide & mask;
		cf = (wide >> bits) & 1;
		of = ((r & msb) != 0) ^ cf;
		flags_set_cf_of(c, cf, of);
		return r;
	}
	case SH_RCR: {
		unsigned n = size == 4 ? count : count % (bits + 1);

		of = ((a & msb) != 0) ^ flag_cf(c);
		wide = ((uint64_t)flag_cf(c) << bits) | a;
		for (unsigned k = 0; k < n; k++)
			wide = ((wide >> 1) | ((wide & 1) << bits));
		r = (uint32_t)wide & mask;
		cf = (wide >> bits) & 1;
		if (n != 1) /* OF is defined for a count of 1 only */
			of = ((r & msb) != 0) ^ ((r & (msb >> 1)) != 0);
		flags_set_cf_of(c, cf, of);
		return r;
	}
	case SH_SHL:
	case SH_SAL:
		wide = (uint64_t)a << count;
		r = (uint32_t)wide & mask;
		cf = (wide >> bits) & 1;
		flags_logic(c, r, size);
		flags_set_cf_of(c, cf, ((r & msb) != 0) ^ cf);
		return r;
	case SH_SHR:
		r = count >= 32 ? 0 : a >> count;
		cf = count > 32 ? 0 : (uint32_t)(((uint64_t)a >> (count - 1)) & 1);
		flags_logic(c, r, size);
		flags_set_cf_of(c, cf, count == 1 ? (a & msb) != 0 : false);
		return r;
	default: { /* SAR */
		int64_t s = sign_extend(a, size);
		unsigned n = count > 63 ? 63 : count;

		r = (uint32_t)(s >> n) & mask;
		cf = (s >> (n - 1)) & 1;
		flags_logic(c, r, size);
		flags_set_cf_of(c, cf, false);
		return r;
	}
	}
}

static void shift_rm(struct cpu *c, const struct insn *i, unsigned count)
{
	struct rmw loc;
	uint32_t a;

	count &= 0x1f;
	if (count == 0) {
		rm_read(c, i, i->osz); /* the access still faults */
		return;
	}
	a = rmw_read(c, i, i->osz, &loc);
	rmw_write(c, &loc, i->osz, shift_compute(c, i->reg, a, count, i->osz));
}

HANDLER(op_shift_rm)
{
	shift_rm(c, i, i->imm);
}

HANDLER(op_shift_rm_cl)
{
	shift_rm(c, i, (uint8_t)c->s.gpr[R_CX]);
}

/*
 * SHLD/SHRD work on dest:src (and, for 16 bits, dest:src:dest, which is
 * what the hardware shifts when the count exceeds 16; the SDM leaves the
 * result undefined there).
 */
static void shxd(struct cpu *c, const struct insn *i, unsigned count)
{
	int size = i->osz;
	unsigned bits = (unsigned)size * 8;
	uint32_t msb = sign_bit(size), mask = size_mask(size), a, b, r;
	struct rmw loc;
	uint64_t v;
	bool cf;

	count &= 0x1f;
	if (count == 0) {
		rm_read(c, i, size);
		return;
	}
	a = rmw_read(c, i, size, &loc);
	b = reg_read(c, i->reg, size);
	if (size == 2)
		v = ((uint64_t)a << 32) | ((uint64_t)b << 16) | a;
	else
		v = ((uint64_t)a << 32) | b;
	if (i->sub == 0) { /* SHLD: the top part shifted left */
		unsigned top = size == 2 ? 48 : 64;

		r = (uint32_t)((v << count) >> (top - bits)) & mask;
		cf = (v >> (top - count)) & 1;
	} else { /* SHRD: dest is the low part of src:dest */
		uint64_t w = size == 2 ? (((uint64_t)a << 32) |
					  ((uint64_t)b << 16) | a)
				       : (((uint64_t)b << 32) | a);

		r = (uint32_t)(w >> count) & mask;
		cf = (w >> (count - 1)) & 1;
	}
	flags_logic(c, r, size);
	flags_set_cf_of(c, cf, ((r ^ a) & msb) != 0);
	rmw_write(c, &loc, size, r);
}

HANDLER(op_shxd_imm)
{
	shxd(c, i, i->imm);
}

HANDLER(op_shxd_cl)
{
	shxd(c, i, (uint8_t)c->s.gpr[R_CX]);
}
