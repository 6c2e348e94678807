// SPDX-License-Identifier: MIT
/*
 * The MMX registers: aliases of the x87 data registers (SDM Vol. 1
 * §9.5).  MMi is the mantissa of physical register Ri, whatever TOP says;
 * struct fpu_state keeps the registers in stack order (st[k] is ST(k)),
 * so Ri is st[(i - TOP) & 7].
 */
#include "cpu/sse.h"

#define FSW_TOP_BITS (7u << 11)

static unsigned fpu_top(const struct fpu_state *f)
{
	return (f->fsw >> 11) & 7;
}

uint64_t mm_read(const struct cpu *c, int r)
{
	const struct fpu_state *f = &c->s.fpu;

	return f->st[((unsigned)r - fpu_top(f)) & 7].mantissa;
}

/* SDM Vol. 1 §9.5.1 and Table 9-2: every MMX instruction but EMMS sets
 * TOP to 0 and every tag to valid.  With TOP 0, ST(i) is Ri, so the
 * registers are rotated into physical order first. */
void mmx_enter(struct cpu *c)
{
	struct fpu_state *f = &c->s.fpu;
	unsigned top = fpu_top(f);

	if (top) {
		struct x87_reg phys[8];

		for (unsigned k = 0; k < 8; k++)
			phys[(k + top) & 7] = f->st[k];
		memcpy(f->st, phys, sizeof(phys));
		f->fsw &= (uint16_t)~FSW_TOP_BITS;
	}
	f->ftw = 0xff;
}

/* A write to an MMX register also sets bits 64-79 (sign and exponent)
 * to all ones (SDM Vol. 1 §9.5.2). */
void mm_write(struct cpu *c, int r, uint64_t v)
{
	mmx_enter(c);
	c->s.fpu.st[r & 7].mantissa = v;
	c->s.fpu.st[r & 7].sign_exp = 0xffff;
}
