// SPDX-License-Identifier: MIT
/* Integer arithmetic and logic (SDM Vol. 2: ADD ... CMP, TEST, INC, DEC,
 * NEG, NOT), all with lazy flags. */
#include "cpu/ops.h"

/* Compute a op b at size bytes, set the flags, return the result. */
uint64_t alu_compute(struct cpu *c, int op, uint64_t a, uint64_t b, int size)
{
	uint64_t mask = size_mask(size), r, carry;

	switch (op) {
	case ALU_ADD:
		r = (a + b) & mask;
		flags_add(c, a, b, r, size);
		return r;
	case ALU_ADC:
		carry = flag_cf(c);
		r = (a + b + carry) & mask;
		flags_add(c, a, b, r, size);
		return r;
	case ALU_SUB:
	case ALU_CMP:
		r = (a - b) & mask;
		flags_sub(c, a, b, r, size);
		return r;
	case ALU_SBB:
		carry = flag_cf(c);
		r = (a - b - carry) & mask;
		flags_sub(c, a, b, r, size);
		return r;
	case ALU_OR:
		r = a | b;
		break;
	case ALU_AND:
		r = a & b;
		break;
	default:
		r = a ^ b;
		break;
	}
	flags_logic(c, r, size);
	return r;
}

HANDLER(op_alu_rm_r)
{
	int size = i->osz;
	uint64_t b = reg_read(c, i->reg, size);
	struct rmw loc;
	uint64_t a, r;

	if (i->sub == ALU_CMP) {
		alu_compute(c, ALU_CMP, rm_read(c, i, size), b, size);
		return;
	}
	a = rmw_read(c, i, size, &loc);
	r = alu_compute(c, i->sub, a, b, size);
	rmw_write(c, &loc, size, r);
}

HANDLER(op_alu_r_rm)
{
	int size = i->osz;
	uint64_t r = alu_compute(c, i->sub, reg_read(c, i->reg, size),
				 rm_read(c, i, size), size);

	if (i->sub != ALU_CMP)
		reg_write(c, i->reg, size, r);
}

HANDLER(op_alu_a_imm)
{
	int size = i->osz;
	uint64_t r = alu_compute(c, i->sub, reg_read(c, R_AX, size),
				 i->imm & size_mask(size), size);

	if (i->sub != ALU_CMP)
		reg_write(c, R_AX, size, r);
}

HANDLER(op_alu_rm_imm)
{
	int size = i->osz;
	uint64_t b = i->imm & size_mask(size);
	struct rmw loc;
	uint64_t a;

	if (i->sub == ALU_CMP) {
		alu_compute(c, ALU_CMP, rm_read(c, i, size), b, size);
		return;
	}
	a = rmw_read(c, i, size, &loc);
	rmw_write(c, &loc, size, alu_compute(c, i->sub, a, b, size));
}

HANDLER(op_test_rm_r)
{
	int size = i->osz;

	flags_logic(c, rm_read(c, i, size) & reg_read(c, i->reg, size), size);
}

HANDLER(op_test_a_imm)
{
	int size = i->osz;

	flags_logic(c, reg_read(c, R_AX, size) & i->imm & size_mask(size),
		    size);
}

HANDLER(op_test_rm_imm)
{
	int size = i->osz;

	flags_logic(c, rm_read(c, i, size) & i->imm & size_mask(size), size);
}

/* INC and DEC leave CF alone. */
static uint64_t inc_dec(struct cpu *c, uint64_t a, bool dec, int size)
{
	bool cf = flag_cf(c);
	uint64_t r;

	if (dec) {
		r = (a - 1) & size_mask(size);
		flags_sub(c, a, 1, r, size);
	} else {
		r = (a + 1) & size_mask(size);
		flags_add(c, a, 1, r, size);
	}
	flags_set_cf_of(c, cf, flag_of(c));
	return r;
}

HANDLER(op_inc_r)
{
	reg_write(c, i->reg, i->osz,
		  inc_dec(c, reg_read(c, i->reg, i->osz), false, i->osz));
}

HANDLER(op_dec_r)
{
	reg_write(c, i->reg, i->osz,
		  inc_dec(c, reg_read(c, i->reg, i->osz), true, i->osz));
}

HANDLER(op_incdec_rm)
{
	struct rmw loc;
	uint64_t a = rmw_read(c, i, i->osz, &loc);

	rmw_write(c, &loc, i->osz, inc_dec(c, a, i->sub != 0, i->osz));
}

HANDLER(op_not)
{
	struct rmw loc;
	uint64_t a = rmw_read(c, i, i->osz, &loc);

	rmw_write(c, &loc, i->osz, ~a & size_mask(i->osz));
}

HANDLER(op_neg)
{
	struct rmw loc;
	uint64_t a = rmw_read(c, i, i->osz, &loc);

	rmw_write(c, &loc, i->osz, alu_compute(c, ALU_SUB, 0, a, i->osz));
}
