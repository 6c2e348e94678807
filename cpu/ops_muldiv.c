// SPDX-License-Identifier: MIT
/* Multiply and divide (SDM Vol. 2: MUL, IMUL, DIV, IDIV).  MUL and IMUL
 * define only CF and OF; the others keep what the result gives. */
#include "cpu/ops.h"

static void mul_flags(struct cpu *c, uint32_t low, bool overflow, int size)
{
	flags_logic(c, low, size);
	flags_set_cf_of(c, overflow, overflow);
}

HANDLER(op_mul)
{
	int size = i->osz;
	uint64_t a = reg_read(c, R_AX, size), b = rm_read(c, i, size);
	uint64_t p = a * b;

	switch (size) {
	case 1:
		reg_write(c, R_AX, 2, (uint32_t)p);
		mul_flags(c, (uint32_t)p & 0xff, (p >> 8) != 0, 1);
		break;
	case 2:
		reg_write(c, R_AX, 2, (uint32_t)p);
		reg_write(c, R_DX, 2, (uint32_t)(p >> 16));
		mul_flags(c, (uint32_t)p & 0xffff, (p >> 16) != 0, 2);
		break;
	default:
		reg_write(c, R_AX, 4, (uint32_t)p);
		reg_write(c, R_DX, 4, (uint32_t)(p >> 32));
		mul_flags(c, (uint32_t)p, (p >> 32) != 0, 4);
		break;
	}
}

/* A signed product, and whether it fits the destination size. */
static int64_t imul_checked(int64_t a, int64_t b, int size, bool *overflow)
{
	int64_t p = a * b;

	*overflow = p != sign_extend((uint32_t)p, size);
	return p;
}

HANDLER(op_imul1)
{
	int size = i->osz;
	int64_t a = sign_extend(reg_read(c, R_AX, size), size);
	int64_t b = sign_extend(rm_read(c, i, size), size);
	bool ovf;
	int64_t p = imul_checked(a, b, size, &ovf);

	switch (size) {
	case 1:
		reg_write(c, R_AX, 2, (uint32_t)p);
		break;
	case 2:
		reg_write(c, R_AX, 2, (uint32_t)p);
		reg_write(c, R_DX, 2, (uint32_t)((uint64_t)p >> 16));
		break;
	default:
		reg_write(c, R_AX, 4, (uint32_t)p);
		reg_write(c, R_DX, 4, (uint32_t)((uint64_t)p >> 32));
		break;
	}
	mul_flags(c, (uint32_t)p & size_mask(size), ovf, size);
}

static void imul_to_reg(struct cpu *c, const struct insn *i, int64_t a,
			int64_t b)
{
	bool ovf;
	int64_t p = imul_checked(a, b, i->osz, &ovf);

	reg_write(c, i->reg, i->osz, (uint32_t)p);
	mul_flags(c, (uint32_t)p & size_mask(i->osz), ovf, i->osz);
}

HANDLER(op_imul_r_rm)
{
	imul_to_reg(c, i, sign_extend(reg_read(c, i->reg, i->osz), i->osz),
		    sign_extend(rm_read(c, i, i->osz), i->osz));
}

HANDLER(op_imul_r_rm_imm)
{
	imul_to_reg(c, i, sign_extend(rm_read(c, i, i->osz), i->osz),
		    sign_extend(i->imm, i->osz));
}

/* The dividend: AX, DX:AX or EDX:EAX. */
static uint64_t dividend(struct cpu *c, int size)
{
	switch (size) {
	case 1:
		return reg_read(c, R_AX, 2);
	case 2:
		return ((uint64_t)reg_read(c, R_DX, 2) << 16) |
		       reg_read(c, R_AX, 2);
	default:
		return ((uint64_t)reg_read(c, R_DX, 4) << 32) |
		       reg_read(c, R_AX, 4);
	}
}

static void store_quotient(struct cpu *c, int size, uint32_t q, uint32_t r)
{
	if (size == 1) {
		reg_write(c, R_AX, 1, q);
		reg_write(c, 4, 1, r); /* AH */
	} else {
		reg_write(c, R_AX, size, q);
		reg_write(c, R_DX, size, r);
	}
}

/* Quotients too large for the destination are #DE, like division by 0. */
HANDLER(op_div)
{
	int size = i->osz;
	uint64_t d = rm_read(c, i, size), n = dividend(c, size), q;

	if (d == 0)
		cpu_raise(c, EXC_DE);
	q = n / d;
	if (q > size_mask(size))
		cpu_raise(c, EXC_DE);
	store_quotient(c, size, (uint32_t)q, (uint32_t)(n % d));
}

HANDLER(op_idiv)
{
	int size = i->osz;
	int64_t d = sign_extend(rm_read(c, i, size), size), n, q;
	uint64_t raw = dividend(c, size);
	int64_t max = (int64_t)size_mask(size) >> 1;

	if (d == 0)
		cpu_raise(c, EXC_DE);
	switch (size) {
	case 1:
		n = (int16_t)raw;
		break;
	case 2:
		n = (int32_t)raw;
		break;
	default:
		n = (int64_t)raw;
		if (n == INT64_MIN && d == -1)
			cpu_raise(c, EXC_DE);
		break;
	}
	q = n / d;
	if (q > max || q < -max - 1)
		cpu_raise(c, EXC_DE);
	store_quotient(c, size, (uint32_t)q, (uint32_t)(n % d));
}
