// SPDX-License-Identifier: MIT
/* Invalid encodings: #UD for unknown opcodes (SDM Vol. 2 "UD"), #GP(0)
 * for instructions longer than 15 bytes. */
#include "cpu/ops.h"

void op_ud(struct cpu *c, const struct insn *i)
{
	(void)i;
	cpu_raise(c, EXC_UD);
}

void op_too_long(struct cpu *c, const struct insn *i)
{
	(void)i;
	cpu_raise_error(c, EXC_GP, 0);
}
