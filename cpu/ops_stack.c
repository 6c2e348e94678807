// SPDX-License-Identifier: MIT
/* Stack instructions (SDM Vol. 2: PUSH, POP, PUSHA, POPA, PUSHF, POPF,
 * ENTER, LEAVE) and BOUND. */
#include "cpu/ops.h"

HANDLER(op_push_r)
{
	push(c, i->osz, reg_read(c, i->reg, i->osz));
}

HANDLER(op_pop_r)
{
	reg_write(c, i->reg, i->osz, pop(c, i->osz));
}

HANDLER(op_push_imm)
{
	push(c, i->osz, i->imm);
}

HANDLER(op_push_rm)
{
	push(c, i->osz, rm_read(c, i, i->osz));
}

/* POP r/m: ESP is incremented before the destination address is
 * computed (SDM Vol. 2 "POP"). */
HANDLER(op_pop_rm)
{
	uint64_t sp = stack_sp(c);
	uint64_t v = mem_read(c, SEG_SS, sp, i->osz);

	stack_set_sp(c, sp + (uint64_t)i->osz);
	if (i->mod == 3) {
		reg_write(c, i->rm, i->osz, v);
		return;
	}
	{
		uint64_t lin = seg_linear(c, i->seg, insn_ea(c, i), i->osz,
					  ACC_WRITE);

		stack_set_sp(c, sp);
		lin_write(c, lin, i->osz, v);
		stack_set_sp(c, sp + (uint64_t)i->osz);
	}
}

/* A segment register push writes 16 bits of a 32-bit slot. */
HANDLER(op_push_sreg)
{
	push(c, i->osz, c->s.seg[i->sub].sel);
}

HANDLER(op_pop_sreg)
{
	uint64_t sp = stack_sp(c);
	uint16_t sel = (uint16_t)mem_read(c, SEG_SS, sp, 2);

	if (i->osz == 4)
		mem_read(c, SEG_SS, sp, i->osz);
	seg_load(c, i->sub, sel);
	stack_set_sp(c, sp + (uint64_t)i->osz);
	if (i->sub == SEG_SS)
		c->s.interrupt_shadow = true;
}

HANDLER(op_pusha)
{
	struct frame f;
	uint64_t sp = (uint64_t)c->s.gpr[R_SP];

	frame_init(c, &f);
	for (int r = R_AX; r <= R_DI; r++)
		frame_push(c, &f, i->osz,
			   r == R_SP ? sp : (uint64_t)c->s.gpr[r]);
	frame_commit_sp(c, &f);
}

HANDLER(op_popa)
{
	struct frame f;
	uint64_t v[8];

	frame_init(c, &f);
	for (int r = R_DI; r >= R_AX; r--)
		v[r] = frame_pop(c, &f, i->osz);
	for (int r = R_AX; r <= R_DI; r++)
		if (r != R_SP)
			reg_write(c, r, i->osz, v[r]);
	frame_commit_sp(c, &f);
}

HANDLER(op_pushf)
{
	/* VM and RF are never pushed (SDM Vol. 2 "PUSHF"). */
	push(c, i->osz, cpu_flags(c) & ~(uint64_t)(FLAG_VM | FLAG_RF));
}

HANDLER(op_popf)
{
	uint64_t v = pop(c, i->osz);
	uint64_t mask = FLAGS_ARITH | FLAG_TF | FLAG_DF | FLAG_NT;
	int iopl = (int)((c->s.rflags & FLAG_IOPL) >> FLAG_IOPL_SHIFT);

	if (i->osz == 4)
		mask |= FLAG_AC | FLAG_ID;
	if (!c->pe || c->cpl == 0)
		mask |= FLAG_IOPL | FLAG_IF;
	else if (c->cpl <= iopl)
		mask |= FLAG_IF;
	cpu_set_flags(c, v, mask);
	c->end_block = true;
}

/* ENTER (SDM Vol. 2 "ENTER"): frame pointer chain of nesting levels. */
HANDLER(op_enter)
{
	int size = i->osz, ss = stack_size(c);
	unsigned level = i->imm2 & 0x1f;
	uint64_t frame_temp, bp = reg_read(c, R_BP, ss);
	struct frame f;

	frame_init(c, &f);
	frame_push(c, &f, size, reg_read(c, R_BP, size));
	frame_temp = f.sp;
	if (level > 0) {
		for (unsigned k = 1; k < level; k++) {
			bp = (bp - (uint64_t)size) & size_mask(ss);
			frame_push(c, &f, size,
				   mem_read(c, SEG_SS, bp, size));
		}
		frame_push(c, &f, size, frame_temp);
	}
	frame_adjust(&f, -(int64_t)(i->imm & 0xffff));
	/* The new stack top must be writable (the frame is allocated). */
	if (i->imm & 0xffff)
		seg_linear(c, SEG_SS, f.sp, 1, ACC_WRITE);
	reg_write(c, R_BP, size, frame_temp);
	frame_commit_sp(c, &f);
}

HANDLER(op_leave)
{
	uint64_t bp = reg_read(c, R_BP, stack_size(c));
	uint64_t v = mem_read(c, SEG_SS, bp, i->osz);

	stack_set_sp(c, bp + (uint64_t)i->osz);
	reg_write(c, R_BP, i->osz, v);
}

HANDLER(op_bound)
{
	int size = i->osz;
	uint64_t ea = insn_ea(c, i);
	int32_t idx = sign_extend(reg_read(c, i->reg, size), size);
	int32_t lo = sign_extend(mem_read(c, i->seg, ea, size), size);
	uint64_t ea2 = ea + (uint64_t)size;
	int32_t hi;

	ea2 &= size_mask(i->asz);
	hi = sign_extend(mem_read(c, i->seg, ea2, size), size);
	if (idx < lo || idx > hi)
		cpu_raise(c, EXC_BR);
}
