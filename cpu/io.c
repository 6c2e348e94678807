// SPDX-License-Identifier: MIT
/* Port I/O from the CPU (SDM Vol. 2: IN, OUT; Vol. 1 §19.5: the I/O
 * permission bitmap in the TSS). */
#include "cpu/ops.h"
#include "machine/machine.h"

/* Protected mode with CPL > IOPL: every bit of the port range must be
 * clear in the TSS bitmap, or #GP(0). */
void io_check(struct cpu *c, uint16_t port, int size)
{
	int iopl = (int)((c->s.rflags & FLAG_IOPL) >> FLAG_IOPL_SHIFT);
	const struct segment *tr = &c->s.tr;
	uint32_t base, byte;
	uint32_t bits;

	if (!c->pe || c->cpl <= iopl)
		return;
	/* Only a 32-bit TSS has a bitmap. */
	if ((tr->attr & 0xf) != 0x9 && (tr->attr & 0xf) != 0xb)
		cpu_raise_error(c, EXC_GP, 0);
	if (tr->limit < 0x67)
		cpu_raise_error(c, EXC_GP, 0);
	base = sys_read(c, (tr->base + 0x66) & 0xffffffffu, 2);
	byte = base + port / 8;
	if (byte + 1 > tr->limit)
		cpu_raise_error(c, EXC_GP, 0);
	bits = sys_read(c, (tr->base + byte) & 0xffffffffu, 2);
	if ((bits >> (port & 7)) & ((1u << size) - 1))
		cpu_raise_error(c, EXC_GP, 0);
}

static uint32_t port_in(struct cpu *c, uint16_t port, int size)
{
	io_check(c, port, size);
	return io_read(c->m, port, (unsigned)size);
}

static void port_out(struct cpu *c, uint16_t port, int size, uint32_t v)
{
	io_check(c, port, size);
	io_write(c->m, port, (unsigned)size, v & size_mask(size));
}

HANDLER(op_in_imm)
{
	reg_write(c, R_AX, i->osz, port_in(c, i->imm & 0xff, i->osz));
}

HANDLER(op_in_dx)
{
	reg_write(c, R_AX, i->osz,
		  port_in(c, (uint16_t)c->s.gpr[R_DX], i->osz));
}

HANDLER(op_out_imm)
{
	port_out(c, i->imm & 0xff, i->osz, reg_read(c, R_AX, i->osz));
}

HANDLER(op_out_dx)
{
	port_out(c, (uint16_t)c->s.gpr[R_DX], i->osz,
		 reg_read(c, R_AX, i->osz));
}
