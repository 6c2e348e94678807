// SPDX-License-Identifier: MIT
/* Invalid opcodes raise #UD as the hardware does (SDM Vol. 2 "UD"). */
#include "cpu/ops.h"

void op_ud(struct cpu *c, const struct insn *i)
{
	(void)i;
	cpu_raise(c, EXC_UD);
}
