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
		  (uint32_t)sign_extend(rm_read(c, i, i->sub), i->sub));
}

HANDLER(op_xchg_rm_r)
{
	struct rmw loc;
	uint32_t a = rmw_read(c, i, i->osz, &loc);
	uint32_t b = reg_read(c, i->reg, i->osz);

	rmw_write(c, &loc, i->osz, b);
	reg_write(c, i->reg, i->osz, a);
}

HANDLER(op_xchg_a_r)
{
	uint32_t a = reg_read(c, R_AX, i->osz);

	reg_write(c, R_AX, i->osz, reg_read(c, i->reg, i->osz));
	reg_write(c, i->reg, i->osz, a);
}

HANDLER(op_cbw)
{
	if (i->osz == 2)
		reg_write(c, R_AX, 2,
			  (uint32_t)sign_extend(reg_read(c, R_AX, 1), 1));
	else
		reg_write(c, R_AX, 4,
			  (uint32_t)sign_extend(reg_read(c, R_AX, 2), 2));
}

HANDLER(op_cwd)
{
	bool negative = reg_read(c, R_AX, i->osz) & sign_bit(i->osz);

	reg_write(c, R_DX, i->osz, negative ? 0xffffffffu : 0);
}

HANDLER(op_xlat)
{
	uint32_t off = reg_read(c, R_BX, i->asz) + reg_read(c, R_AX, 1);

	if (i->asz == 2)
		off &= 0xffff;
	reg_write(c, R_AX, 1, mem_read(c, i->seg, off, 1));
}

HANDLER(op_lahf)
{
	(void)i;
	reg_write(c, 4, 1, cpu_flags(c) & 0xff);
}

HANDLER(op_sahf)
{
	(void)i;
	cpu_set_flags(c, reg_read(c, 4, 1),
		      FLAG_SF | FLAG_ZF | FLAG_AF | FLAG_PF | FLAG_CF);
}

/* CMPXCHG writes the destination in either case, as the locked bus
 * cycle does (SDM Vol. 2 "CMPXCHG"). */
HANDLER(op_cmpxchg)
{
	int size = i->osz;
	struct rmw loc;
	uint32_t dest = rmw_read(c, i, size, &loc);
	uint32_t acc = reg_read(c, R_AX, size);

	alu_compute(c, ALU_CMP, acc, dest, size);
	if (acc == dest) {
		rmw_write(c, &loc, size, reg_read(c, i->reg, size));
	} else {
		rmw_write(c, &loc, size, dest);
		reg_write(c, R_AX, size, dest);
	}
}

HANDLER(op_cmpxchg8b)
{
	uint32_t ea = insn_ea(c, i);
	uint64_t lin = seg_linear(c, i->seg, ea, 8, ACC_WRITE);
	uint32_t lo = lin_read(c, lin, 4), hi = lin_read(c, lin + 4, 4);
	uint32_t f = cpu_flags(c);

	if (lo == (uint32_t)c->s.gpr[R_AX] && hi == (uint32_t)c->s.gpr[R_DX]) {
		lin_write(c, lin, 4, (uint32_t)c->s.gpr[R_BX]);
		lin_write(c, lin + 4, 4, (uint32_t)c->s.gpr[R_CX]);
		cpu_set_flags(c, f | FLAG_ZF, FLAG_ZF);
	} else {
		lin_write(c, lin, 4, lo);
		lin_write(c, lin + 4, 4, hi);
		c->s.gpr[R_AX] = lo;
		c->s.gpr[R_DX] = hi;
		cpu_set_flags(c, f & ~FLAG_ZF, FLAG_ZF);
	}
}

HANDLER(op_xadd)
{
	int size = i->osz;
	struct rmw loc;
	uint32_t dest = rmw_read(c, i, size, &loc);
	uint32_t src = reg_read(c, i->reg, size);
	uint32_t sum = alu_compute(c, ALU_ADD, dest, src, size);

	reg_write(c, i->reg, size, dest);
	rmw_write(c, &loc, size, sum);
}

/* LDS, LES, LFS, LGS, LSS: offset first, then the selector. */
HANDLER(op_lseg)
{
	uint32_t ea = insn_ea(c, i);
	uint32_t off = mem_read(c, i->seg, ea, i->osz);
	uint32_t sel_off = ea + (uint32_t)i->osz;
	uint16_t sel;

	if (i->asz == 2)
		sel_off &= 0xffff;
	sel = (uint16_t)mem_read(c, i->seg, sel_off, 2);
	seg_load(c, i->sub, sel);
	reg_write(c, i->reg, i->osz, off);
}

HANDLER(op_nop)
{
	(void)c;
	(void)i;
}
