// SPDX-License-Identifier: MIT
/* Bit instructions (SDM Vol. 2: BT, BTS, BTR, BTC, BSF, BSR, SETcc,
 * CMOVcc, BSWAP). */
#include "cpu/ops.h"

enum { BIT_TEST, BIT_SET, BIT_RESET, BIT_COMPLEMENT };

static uint64_t bit_modify(int op, uint64_t v, uint64_t bit)
{
	switch (op) {
	case BIT_SET:
		return v | bit;
	case BIT_RESET:
		return v & ~bit;
	case BIT_COMPLEMENT:
		return v ^ bit;
	default:
		return v;
	}
}

/* CF takes the bit; the other flags keep their values. */
static void bit_op(struct cpu *c, const struct insn *i, int op, int64_t pos,
		   bool memory_offset)
{
	int size = i->osz;
	unsigned bits = (unsigned)size * 8;
	struct rmw loc;
	uint64_t v, bit;

	if (i->mod == 3 || !memory_offset) {
		bit = 1ull << ((uint64_t)pos & (bits - 1));
		if (op == BIT_TEST) {
			v = rm_read(c, i, size);
		} else {
			v = rmw_read(c, i, size, &loc);
			rmw_write(c, &loc, size, bit_modify(op, v, bit));
		}
		flags_set_cf(c, (v & bit) != 0);
		return;
	}
	/* A register bit offset reaches any operand-sized unit around the
	 * memory operand, below it too (SDM Vol. 2 "BT"). */
	{
		int64_t unit = pos >= 0 ? pos / bits : -((-pos + bits - 1) / bits);
		uint64_t ea = insn_ea(c, i) + (uint64_t)(unit * size);
		uint64_t lin;

		ea &= size_mask(i->asz);
		bit = 1ull << (uint64_t)(pos - unit * (int64_t)bits);
		lin = seg_linear(c, i->seg, ea, size,
				 op == BIT_TEST ? ACC_READ : ACC_WRITE);
		v = lin_read(c, lin, size);
		if (op != BIT_TEST)
			lin_write(c, lin, size, bit_modify(op, v, bit));
		flags_set_cf(c, (v & bit) != 0);
	}
}

HANDLER(op_bt_rm_r)
{
	int64_t pos = sign_extend(reg_read(c, i->reg, i->osz), i->osz);

	bit_op(c, i, i->sub, pos, true);
}

HANDLER(op_bt_rm_imm)
{
	bit_op(c, i, i->sub, i->imm & 0xff, false);
}

/* BSF/BSR: ZF says whether the source was zero; then the destination is
 * left unchanged, as the processors do (the SDM says undefined). */
HANDLER(op_bsf)
{
	uint64_t v = rm_read(c, i, i->osz);

	flags_logic(c, v, i->osz);
	if (v)
		reg_write(c, i->reg, i->osz, (uint64_t)__builtin_ctzll(v));
}

HANDLER(op_bsr)
{
	uint64_t v = rm_read(c, i, i->osz);

	flags_logic(c, v, i->osz);
	if (v)
		reg_write(c, i->reg, i->osz, 63u - (uint64_t)__builtin_clzll(v));
}

HANDLER(op_setcc)
{
	rm_write(c, i, 1, cond_true(c, i->sub));
}

/* CMOVcc reads its source whether or not it moves (Vol. 2 "CMOVcc"). */
HANDLER(op_cmovcc)
{
	uint64_t v = rm_read(c, i, i->osz);

	if (cond_true(c, i->sub))
		reg_write(c, i->reg, i->osz, v);
	else if (i->osz == 4)
		/* A 32-bit destination is written even when nothing moves:
		 * the upper half clears (SDM Vol. 2 "CMOVcc"). */
		reg_write(c, i->reg, 4, reg_read(c, i->reg, 4));
}

/* BSWAP of a 16-bit register is undefined; processors clear it. */
HANDLER(op_bswap)
{
	if (i->osz == 2)
		reg_write(c, i->reg, 2, 0);
	else if (i->osz == 8)
		reg_write(c, i->reg, 8, __builtin_bswap64(reg_read(c, i->reg, 8)));
	else
		reg_write(c, i->reg, 4,
			  __builtin_bswap32((uint32_t)reg_read(c, i->reg, 4)));
}
