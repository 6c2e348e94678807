// SPDX-License-Identifier: MIT
/*
 * The stack: PUSH and POP with the SS size rules (SDM Vol. 1 §6.2), and
 * frames that build a whole push sequence before anything is committed,
 * so a fault half-way leaves the registers as they were.
 */
#include "cpu/interp.h"

uint32_t stack_sp(const struct cpu *c)
{
	return stack_size(c) == 4 ? (uint32_t)c->s.gpr[R_SP]
				  : (uint16_t)c->s.gpr[R_SP];
}

void stack_set_sp(struct cpu *c, uint32_t sp)
{
	if (stack_size(c) == 4)
		c->s.gpr[R_SP] = sp;
	else
		c->s.gpr[R_SP] = (c->s.gpr[R_SP] & ~0xffffull) | (uint16_t)sp;
}

void push(struct cpu *c, int size, uint32_t v)
{
	uint32_t sp = stack_sp(c) - (uint32_t)size;

	if (stack_size(c) == 2)
		sp &= 0xffff;
	mem_write(c, SEG_SS, sp, size, v);
	stack_set_sp(c, sp);
}

uint32_t pop(struct cpu *c, int size)
{
	uint32_t sp = stack_sp(c);
	uint32_t v = mem_read(c, SEG_SS, sp, size);

	stack_set_sp(c, sp + (uint32_t)size);
	return v;
}

void frame_init(struct cpu *c, struct frame *f)
{
	f->ss = c->s.seg[SEG_SS];
	f->sp = stack_sp(c);
	f->fault_sel = 0;
}

static uint64_t frame_linear(struct cpu *c, struct frame *f, uint32_t off,
			     int size)
{
	uint32_t lo, hi;

	seg_bounds(&f->ss, &lo, &hi);
	if (off < lo || (uint64_t)off + (uint64_t)size - 1 > hi)
		cpu_raise_error(c, EXC_SS, f->fault_sel);
	return (f->ss.base + off) & 0xffffffffu;
}

static uint32_t frame_wrap(const struct frame *f, uint32_t sp)
{
	return (f->ss.attr & SEG_ATTR_DB) ? sp : (sp & 0xffff);
}

void frame_push(struct cpu *c, struct frame *f, int size, uint32_t v)
{
	uint32_t sp = frame_wrap(f, f->sp - (uint32_t)size);

	lin_write(c, frame_linear(c, f, sp, size), size, v);
	f->sp = sp;
}

uint32_t frame_pop(struct cpu *c, struct frame *f, int size)
{
	uint32_t v = lin_read(c, frame_linear(c, f, f->sp, size), size);

	f->sp = frame_wrap(f, f->sp + (uint32_t)size);
	return v;
}

/* Make the frame's stack pointer the CPU's (SS itself is the caller's). */
void frame_commit_sp(struct cpu *c, const struct frame *f)
{
	if (f->ss.attr & SEG_ATTR_DB)
		c->s.gpr[R_SP] = f->sp;
	else
		c->s.gpr[R_SP] = (c->s.gpr[R_SP] & ~0xffffull) | (f->sp & 0xffff);
}
