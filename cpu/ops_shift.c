// SPDX-License-Identifier: MIT
/*
 * Shifts and rotates (SDM Vol. 2: SAL/SAR/SHL/SHR, RCL/RCR/ROL/ROR,
 * SHLD, SHRD).  The count is masked to five bits; a zero count changes
 * nothing, flags included.
 */
#include "cpu/ops.h"

enum { SH_ROL, SH_ROR, SH_RCL, SH_RCR, SH_SHL, SH_SHR, SH_SAL, SH_SAR };

typedef unsigned __int128 u128;

static uint64_t shift_compute(struct cpu *c, int op, uint64_t a,
			      unsigned count, int size)
{
	unsigned bits = (unsigned)size * 8;
	uint64_t mask = size_mask(size), msb = sign_bit(size), r;
	bool cf, of;
	u128 wide, wide_mask = ((u128)2 << bits) - 1;

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
		unsigned n = size >= 4 ? count : count % (bits + 1);

		/* Rotate the bits+1 wide value CF:a. */
		wide = ((u128)flag_cf(c) << bits) | a;
		for (unsigned k = 0; k < n; k++)
			wide = ((wide << 1) | (wide >> bits)) & wide_mask;
		r = (uint64_t)wide & mask;
		cf = (wide >> bits) & 1;
		of = ((r & msb) != 0) ^ cf;
		flags_set_cf_of(c, cf, of);
		return r;
	}
	case SH_RCR: {
		unsigned n = size >= 4 ? count : count % (bits + 1);

		of = ((a & msb) != 0) ^ flag_cf(c);
		wide = ((u128)flag_cf(c) << bits) | a;
		for (unsigned k = 0; k < n; k++)
			wide = ((wide >> 1) | ((wide & 1) << bits));
		r = (uint64_t)wide & mask;
		cf = (wide >> bits) & 1;
		if (n != 1) /* OF is defined for a count of 1 only */
			of = ((r & msb) != 0) ^ ((r & (msb >> 1)) != 0);
		flags_set_cf_of(c, cf, of);
		return r;
	}
	case SH_SHL:
	case SH_SAL:
		wide = (u128)a << count;
		r = (uint64_t)wide & mask;
		cf = (wide >> bits) & 1;
		flags_logic(c, r, size);
		flags_set_cf_of(c, cf, ((r & msb) != 0) ^ cf);
		return r;
	case SH_SHR:
		r = count >= 64 ? 0 : a >> count;
		cf = count > 64 ? 0 : (a >> (count - 1)) & 1;
		flags_logic(c, r, size);
		flags_set_cf_of(c, cf, count == 1 ? (a & msb) != 0 : false);
		return r;
	default: { /* SAR */
		int64_t s = sign_extend(a, size);
		unsigned n = count > 63 ? 63 : count;

		r = (uint64_t)(s >> n) & mask;
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
	uint64_t a;

	count &= i->osz == 8 ? 0x3f : 0x1f;
	if (count == 0) {
		/* Flags stay; the access still faults; a 32-bit register is
		 * still written, so its upper half clears. */
		rm_write(c, i, i->osz, rm_read(c, i, i->osz));
		return;
	}
	a = rmw_read(c, i, i->osz, &loc);
	rmw_write(c, &loc, i->osz, shift_compute(c, i->sub, a, count, i->osz));
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
	uint64_t msb = sign_bit(size), mask = size_mask(size), a, b, r;
	struct rmw loc;
	u128 v;
	bool cf;

	count &= size == 8 ? 0x3f : 0x1f;
	if (count == 0) {
		rm_write(c, i, size, rm_read(c, i, size));
		return;
	}
	a = rmw_read(c, i, size, &loc);
	b = reg_read(c, i->reg, size);
	if (i->sub == 0) { /* SHLD: dest:src (dest:src:dest for 16 bits) */
		unsigned top = size == 2 ? 48 : 2 * bits;

		v = size == 2 ? (((u128)a << 32) | ((u128)b << 16) | a)
			      : (((u128)a << bits) | b);
		r = (uint64_t)((v << count) >> (top - bits)) & mask;
		cf = (v >> (top - count)) & 1;
	} else { /* SHRD: src:dest (dest:src:dest for 16 bits) */
		v = size == 2 ? (((u128)a << 32) | ((u128)b << 16) | a)
			      : (((u128)b << bits) | a);
		r = (uint64_t)(v >> count) & mask;
		cf = (v >> (count - 1)) & 1;
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
