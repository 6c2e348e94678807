// SPDX-License-Identifier: MIT
/* Data movement (SDM Vol. 2: MOV, MOVZX, MOVSX, XCHG, LEA, CBW ... CDQ,
 * XLAT, LAHF, SAHF, CMPXCHG, CMPXCHG8B, XADD, LDS/LES/LFS/LGS/LSS). */
#include "cpu/ops.h"

HANDLER(op_mov_rm_r)
{
	rm_write(c, i, i->osz, reg_read(c, i->reg, i->osz));
}

HANDLER(op_mov_r_rm)
{
	reg_write(c, i->reg, i->osz, rm_read(c, i, i->osz));
}

HANDLER(op_mov_rm_imm)
{
	rm_write(c, i, i->osz, i->imm);
}

HANDLER(op_mov_r_imm)
{
	reg_write(c, i->reg, i->osz, i->imm);
}

HANDLER(op_mov_a_moffs)
{
	reg_write(c, R_AX, i->osz, mem_read(c, i->seg, i->disp, i->osz));
}

HANDLER(op_mov_moffs_a)
{
	mem_write(c, i->seg, i->disp, i->osz, reg_read(c, R_AX, i->osz));
}

/* MOV r/m, Sreg: a register destination takes the selector zero-extended
 * at 32 bits; memory always gets 16 bits. */
HANDLER(op_mov_rm_sreg)
{
	if (i->reg >= SEG_COUNT)
		cpu_raise(c, EXC_UD);
	if (i->mod == 3)
		reg_write(c, i->rm, i->osz, c->s.seg[i->reg].sel);
	else
		rm_write(c, i, 2, c->s.seg[i->reg].sel);
}

HANDLER(op_mov_sreg_rm)
{
	uint16_t sel;

	if (i->reg >= SEG_COUNT || i->reg == SEG_CS)
		cpu_raise(c, EXC_UD);
	sel = (uint16_t)rm_read(c, i, 2);
	seg_load(c, i->reg, sel);
	if (i->reg == SEG_SS)
		c->s.interrupt_shadow = true;
}

HANDLER(op_lea)
{
	reg_write(c, i->reg, i->osz, insn_ea(c, i));
}

HANDLER(op_movzx)
{
	reg_write(c, i->reg, i->osz, rm_read(c, i, i->sub));
}

HANDLER(op_movsx)
{
	reg_write(c, i->reg, i->osz,
		  (uint64_t)sign_extend(rm_read(c, i, i->sub), i->sub));
}

HANDLER(op_xchg_rm_r)
{
	struct rmw loc;
	uint64_t a = rmw_read(c, i, i->osz, &loc);
	uint64_t b = reg_read(c, i->reg, i->osz);

	rmw_write(c, &loc, i->osz, b);
	reg_write(c, i->reg, i->osz, a);
}

HANDLER(op_xchg_a_r)
{
	uint64_t a = reg_read(c, R_AX, i->osz);

	reg_write(c, R_AX, i->osz, reg_read(c, i->reg, i->osz));
	reg_write(c, i->reg, i->osz, a);
}

/* CBW, CWDE, CDQE: sign-extend the lower half of rAX into all of it. */
HANDLER(op_cbw)
{
	int half = i->osz / 2;

	reg_write(c, R_AX, i->osz,
		  (uint64_t)sign_extend(reg_read(c, R_AX, half), half));
}

/* CWD, CDQ, CQO: rDX takes the sign of rAX. */
HANDLER(op_cwd)
{
	bool negative = reg_read(c, R_AX, i->osz) & sign_bit(i->osz);

	reg_write(c, R_DX, i->osz, negative ? ~0ull : 0);
}

HANDLER(op_xlat)
{
	uint64_t off = reg_read(c, R_BX, i->asz) + reg_read(c, R_AX, 1);

	off &= size_mask(i->asz);
	reg_write(c, R_AX, 1, mem_read(c, i->seg, off, 1));
}

HANDLER(op_lahf)
{
	(void)i;
	reg_write(c, R_AH, 1, cpu_flags(c) & 0xff);
}

HANDLER(op_sahf)
{
	(void)i;
	cpu_set_flags(c, reg_read(c, R_AH, 1),
		      FLAG_SF | FLAG_ZF | FLAG_AF | FLAG_PF | FLAG_CF);
}

/* CMPXCHG writes the destination in either case, as the locked bus
 * cycle does (SDM Vol. 2 "CMPXCHG"). */
HANDLER(op_cmpxchg)
{
	int size = i->osz;
	struct rmw loc;
	uint64_t dest = rmw_read(c, i, size, &loc);
	uint64_t acc = reg_read(c, R_AX, size);

	alu_compute(c, ALU_CMP, acc, dest, size);
	if (acc == dest) {
		rmw_write(c, &loc, size, reg_read(c, i->reg, size));
	} else {
		rmw_write(c, &loc, size, dest);
		reg_write(c, R_AX, size, dest);
	}
}

/* CMPXCHG8B, and CMPXCHG16B with REX.W (16-byte aligned or #GP). */
HANDLER(op_cmpxchg8b)
{
	int half = i->osz == 8 ? 8 : 4;
	uint64_t ea = insn_ea(c, i);
	uint64_t lin = seg_linear(c, i->seg, ea, 2 * half, ACC_WRITE);
	uint64_t lo, hi;
	uint32_t f = cpu_flags(c);

	if (half == 8 && (lin & 15))
		cpu_raise_error(c, EXC_GP, 0);
	lo = lin_read(c, lin, half);
	hi = lin_read(c, lin + (uint64_t)half, half);
	if (lo == reg_read(c, R_AX, half) && hi == reg_read(c, R_DX, half)) {
		lin_write(c, lin, half, reg_read(c, R_BX, half));
		lin_write(c, lin + (uint64_t)half, half,
			  reg_read(c, R_CX, half));
		cpu_set_flags(c, f | FLAG_ZF, FLAG_ZF);
	} else {
		lin_write(c, lin, half, lo);
		lin_write(c, lin + (uint64_t)half, half, hi);
		reg_write(c, R_AX, half, lo);
		reg_write(c, R_DX, half, hi);
		cpu_set_flags(c, f & ~FLAG_ZF, FLAG_ZF);
	}
}

HANDLER(op_xadd)
{
	int size = i->osz;
	struct rmw loc;
	uint64_t dest = rmw_read(c, i, size, &loc);
	uint64_t src = reg_read(c, i->reg, size);
	uint64_t sum = alu_compute(c, ALU_ADD, dest, src, size);

	reg_write(c, i->reg, size, dest);
	rmw_write(c, &loc, size, sum);
}

/* LDS, LES, LFS, LGS, LSS: offset first, then the selector. */
HANDLER(op_lseg)
{
	uint64_t ea = insn_ea(c, i);
	uint64_t off = mem_read(c, i->seg, ea, i->osz);
	uint64_t sel_off = ea + (uint64_t)i->osz;
	uint16_t sel;

	sel_off &= size_mask(i->asz);
	sel = (uint16_t)mem_read(c, i->seg, sel_off, 2);
	seg_load(c, i->sub, sel);
	reg_write(c, i->reg, i->osz, off);
}

HANDLER(op_nop)
{
	(void)c;
	(void)i;
}
