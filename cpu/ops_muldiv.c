// SPDX-License-Identifier: MIT
/* Multiply and divide (SDM Vol. 2: MUL, IMUL, DIV, IDIV).  MUL and IMUL
 * define only CF and OF; the others keep what the result gives. */
#include "cpu/ops.h"

typedef unsigned __int128 u128;
typedef __int128 s128;

static void mul_flags(struct cpu *c, uint64_t low, bool overflow, int size)
{
	flags_logic(c, low, size);
	flags_set_cf_of(c, overflow, overflow);
}

/* The double-width result goes to AX, DX:AX, EDX:EAX or RDX:RAX. */
static void store_double(struct cpu *c, int size, u128 p)
{
	if (size == 1) {
		reg_write(c, R_AX, 2, (uint64_t)p);
		return;
	}
	reg_write(c, R_AX, size, (uint64_t)p);
	reg_write(c, R_DX, size, (uint64_t)(p >> (size * 8)));
}

HANDLER(op_mul)
{
	int size = i->osz;
	u128 p = (u128)reg_read(c, R_AX, size) * rm_read(c, i, size);

	store_double(c, size, p);
	mul_flags(c, (uint64_t)p & size_mask(size), (p >> (size * 8)) != 0,
		  size);
}

/* A signed product, and whether it fits the destination size. */
static s128 imul_checked(s128 a, s128 b, int size, bool *overflow)
{
	s128 p = a * b;

	*overflow = p != (s128)sign_extend((uint64_t)p, size);
	return p;
}

HANDLER(op_imul1)
{
	int size = i->osz;
	bool ovf;
	s128 p = imul_checked(sign_extend(reg_read(c, R_AX, size), size),
			      sign_extend(rm_read(c, i, size), size), size,
			      &ovf);

	store_double(c, size, (u128)p);
	mul_flags(c, (uint64_t)p & size_mask(size), ovf, size);
}

static void imul_to_reg(struct cpu *c, const struct insn *i, int64_t a,
			int64_t b)
{
	bool ovf;
	s128 p = imul_checked(a, b, i->osz, &ovf);

	reg_write(c, i->reg, i->osz, (uint64_t)p);
	mul_flags(c, (uint64_t)p & size_mask(i->osz), ovf, i->osz);
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

/* The dividend: AX, DX:AX, EDX:EAX or RDX:RAX. */
static u128 dividend(struct cpu *c, int size)
{
	if (size == 1)
		return reg_read(c, R_AX, 2);
	return ((u128)reg_read(c, R_DX, size) << (size * 8)) |
	       reg_read(c, R_AX, size);
}

static void store_quotient(struct cpu *c, int size, uint64_t q, uint64_t r)
{
	if (size == 1) {
		reg_write(c, R_AX, 1, q);
		reg_write(c, R_AH, 1, r);
	} else {
		reg_write(c, R_AX, size, q);
		reg_write(c, R_DX, size, r);
	}
}

/* Quotients too large for the destination are #DE, like division by 0. */
HANDLER(op_div)
{
	int size = i->osz;
	u128 d = rm_read(c, i, size), n = dividend(c, size), q;

	if (d == 0)
		cpu_raise(c, EXC_DE);
	q = n / d;
	if (q > size_mask(size))
		cpu_raise(c, EXC_DE);
	store_quotient(c, size, (uint64_t)q, (uint64_t)(n % d));
}

HANDLER(op_idiv)
{
	int size = i->osz;
	s128 d = sign_extend(rm_read(c, i, size), size), n, q;
	u128 raw = dividend(c, size);
	s128 max = (s128)(size_mask(size) >> 1);
	int bits = size == 1 ? 16 : size * 16;

	if (d == 0)
		cpu_raise(c, EXC_DE);
	/* Sign-extend the double-width dividend from its top bit. */
	n = bits == 128 ? (s128)raw : ((s128)(raw << (128 - bits))) >> (128 - bits);
	q = n / d;
	if (q > max || q < -max - 1)
		cpu_raise(c, EXC_DE);
	store_quotient(c, size, (uint64_t)q, (uint64_t)(n % d));
}
