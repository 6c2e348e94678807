// SPDX-License-Identifier: MIT
/* Instructions that set single flags (SDM Vol. 2: CLC ... STD). */
#include "cpu/ops.h"

HANDLER(op_clc)
{
	(void)i;
	flags_set_cf(c, false);
}

HANDLER(op_stc)
{
	(void)i;
	flags_set_cf(c, true);
}

HANDLER(op_cmc)
{
	(void)i;
	flags_set_cf(c, !flag_cf(c));
}

HANDLER(op_cld)
{
	(void)i;
	c->s.rflags &= ~(uint64_t)FLAG_DF;
}

HANDLER(op_std)
{
	(void)i;
	c->s.rflags |= FLAG_DF;
}

/* CLI/STI need CPL <= IOPL in protected mode (virtual-8086 and the
 * PVI/VME extensions are not modelled). */
static void check_iopl(struct cpu *c)
{
	int iopl = (int)((c->s.rflags & FLAG_IOPL) >> FLAG_IOPL_SHIFT);

	if (c->pe && c->cpl > iopl)
		cpu_raise_error(c, EXC_GP, 0);
}

HANDLER(op_cli)
{
	(void)i;
	check_iopl(c);
	c->s.rflags &= ~(uint64_t)FLAG_IF;
}

HANDLER(op_sti)
{
	(void)i;
	check_iopl(c);
	/* Interrupts wait one more instruction (SDM Vol. 2 "STI"). */
	if (!(c->s.rflags & FLAG_IF))
		c->s.interrupt_shadow = true;
	c->s.rflags |= FLAG_IF;
}
