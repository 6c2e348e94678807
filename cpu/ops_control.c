// SPDX-License-Identifier: MIT
/* Control transfer (SDM Vol. 2: Jcc, JMP, CALL, RET, INT n, INT3, INTO,
 * INT1, IRET, LOOPcc, JCXZ, HLT). */
#include "cpu/ops.h"
#include "machine/machine.h"

/* A near target: masked to the operand size, then checked against the
 * CS limit, or for canonical form in 64-bit mode. */
static uint64_t near_target(struct cpu *c, uint64_t target, int osz)
{
	target &= size_mask(osz);
	if (c->mode64 ? !canonical(target)
		      : target > c->s.seg[SEG_CS].limit)
		cpu_raise_error(c, EXC_GP, 0);
	return target;
}

static void near_jump(struct cpu *c, uint64_t target, int osz)
{
	c->next_rip = near_target(c, target, osz);
}

HANDLER(op_jcc)
{
	if (cond_true(c, i->sub))
		near_jump(c, c->next_rip + i->imm, i->osz);
}

HANDLER(op_jmp_rel)
{
	near_jump(c, c->next_rip + i->imm, i->osz);
}

HANDLER(op_call_rel)
{
	uint64_t target = near_target(c, c->next_rip + i->imm, i->osz);

	push(c, i->osz, c->next_rip);
	c->next_rip = target;
}

HANDLER(op_ret_near)
{
	struct frame f;
	uint64_t target;

	frame_init(c, &f);
	target = near_target(c, frame_pop(c, &f, i->osz), i->osz);
	frame_adjust(&f, (int64_t)(i->imm & 0xffff));
	frame_commit_sp(c, &f);
	c->next_rip = target;
}

HANDLER(op_jmp_rm)
{
	near_jump(c, rm_read(c, i, i->osz), i->osz);
}

HANDLER(op_call_rm)
{
	uint64_t target = near_target(c, rm_read(c, i, i->osz), i->osz);

	push(c, i->osz, c->next_rip);
	c->next_rip = target;
}

HANDLER(op_jmpf_ptr)
{
	far_jump(c, (uint16_t)i->imm2, i->imm, false, i->osz);
}

HANDLER(op_callf_ptr)
{
	far_jump(c, (uint16_t)i->imm2, i->imm, true, i->osz);
}

/* The far pointer in memory: offset, then selector. */
static void far_pointer(struct cpu *c, const struct insn *i, uint16_t *sel,
			uint64_t *off)
{
	uint64_t ea = insn_ea(c, i), ea2 = ea + (uint64_t)i->osz;

	ea2 &= size_mask(i->asz);
	*off = mem_read(c, i->seg, ea, i->osz);
	*sel = (uint16_t)mem_read(c, i->seg, ea2, 2);
}

HANDLER(op_jmpf_m)
{
	uint16_t sel;
	uint64_t off;

	far_pointer(c, i, &sel, &off);
	far_jump(c, sel, off, false, i->osz);
}

HANDLER(op_callf_m)
{
	uint16_t sel;
	uint64_t off;

	far_pointer(c, i, &sel, &off);
	far_jump(c, sel, off, true, i->osz);
}

HANDLER(op_retf)
{
	far_return(c, i->osz, (uint16_t)i->imm);
}

HANDLER(op_int3)
{
	(void)i;
	cpu_interrupt(c, EXC_BP, INT_SOFTWARE, false, 0, c->next_rip);
	c->next_rip = c->s.rip;
}

HANDLER(op_int)
{
	cpu_interrupt(c, i->imm & 0xff, INT_SOFTWARE, false, 0, c->next_rip);
	c->next_rip = c->s.rip;
}

HANDLER(op_into)
{
	(void)i;
	if (flag_of(c)) {
		cpu_interrupt(c, EXC_OF, INT_SOFTWARE, false, 0, c->next_rip);
		c->next_rip = c->s.rip;
	}
}

HANDLER(op_int1)
{
	(void)i;
	cpu_interrupt(c, EXC_DB, INT_ICEBP, false, 0, c->next_rip);
	c->next_rip = c->s.rip;
}

/* IRET also ends NMI blocking (SDM Vol. 3A §6.7.1). */
HANDLER(op_iret)
{
	if (c->mode64)
		cpu_iret64(c, i->osz);
	else
		cpu_iret(c, i->osz);
	c->s.nmi_blocked = false;
}

/* LOOPNE, LOOPE, LOOP: the counter is CX or ECX by address size. */
HANDLER(op_loop)
{
	uint64_t count = reg_read(c, R_CX, i->asz) - 1;
	bool taken = count != 0;

	if (i->sub == 0)
		taken = taken && !flag_zf(c);
	else if (i->sub == 1)
		taken = taken && flag_zf(c);
	if (taken)
		near_jump(c, c->next_rip + i->imm, i->osz);
	reg_write(c, R_CX, i->asz, count);
}

HANDLER(op_jcxz)
{
	if (reg_read(c, R_CX, i->asz) == 0)
		near_jump(c, c->next_rip + i->imm, i->osz);
}

HANDLER(op_hlt)
{
	(void)i;
	if (c->pe && c->cpl != 0)
		cpu_raise_error(c, EXC_GP, 0);
	c->s.halted = true;
	c->end_block = true;
}
