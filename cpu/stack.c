// SPDX-License-Identifier: MIT
/*
 * The stack: PUSH and POP with the stack-size rules (SDM Vol. 1 §6.2;
 * 64-bit mode always uses RSP), and frames that build a whole push
 * sequence before anything is committed, so a fault half-way leaves the
 * registers as they were.
 */
#include "cpu/interp.h"

static uint64_t wrap(uint64_t sp, int width)
{
	return width == 8 ? sp : sp & size_mask(width);
}

uint64_t stack_sp(const struct cpu *c)
{
	return reg_read(c, R_SP, stack_size(c));
}

void stack_set_sp(struct cpu *c, uint64_t sp)
{
	/* A 16-bit stack keeps the upper bits of ESP. */
	reg_write(c, R_SP, stack_size(c), sp);
}

void push(struct cpu *c, int size, uint64_t v)
{
	uint64_t sp = wrap(stack_sp(c) - (uint64_t)size, stack_size(c));

	mem_write(c, SEG_SS, sp, size, v);
	stack_set_sp(c, sp);
}

uint64_t pop(struct cpu *c, int size)
{
	uint64_t sp = stack_sp(c);
	uint64_t v = mem_read(c, SEG_SS, sp, size);

	stack_set_sp(c, wrap(sp + (uint64_t)size, stack_size(c)));
	return v;
}

void frame_init(struct cpu *c, struct frame *f)
{
	f->ss = c->s.seg[SEG_SS];
	f->width = stack_size(c);
	f->sp = stack_sp(c);
	f->fault_sel = 0;
}

/* A frame on another stack: SS from a descriptor, its own pointer. */
void frame_init_stack(struct frame *f, const struct segment *ss, uint64_t sp,
		      int width, uint16_t fault_sel)
{
	f->ss = *ss;
	f->width = width;
	f->sp = wrap(sp, width);
	f->fault_sel = fault_sel;
}

/* Release (or, negative, allocate) bytes on the frame's stack. */
void frame_adjust(struct frame *f, int64_t bytes)
{
	f->sp = wrap(f->sp + (uint64_t)bytes, f->width);
}

static uint64_t frame_linear(struct cpu *c, struct frame *f, uint64_t off,
			     int size)
{
	uint64_t lo, hi, lin;

	if (f->width == 8) {
		lin = off;
		if (!canonical(lin) || !canonical(lin + (uint64_t)size - 1))
			cpu_raise_error(c, EXC_SS, f->fault_sel);
		return lin;
	}
	seg_bounds(&f->ss, &lo, &hi);
	if (off < lo || off + (uint64_t)size - 1 > hi)
		cpu_raise_error(c, EXC_SS, f->fault_sel);
	return (f->ss.base + off) & c->lin_mask;
}

void frame_push(struct cpu *c, struct frame *f, int size, uint64_t v)
{
	uint64_t sp = wrap(f->sp - (uint64_t)size, f->width);

	lin_write(c, frame_linear(c, f, sp, size), size, v);
	f->sp = sp;
}

uint64_t frame_pop(struct cpu *c, struct frame *f, int size)
{
	uint64_t v = lin_read(c, frame_linear(c, f, f->sp, size), size);

	f->sp = wrap(f->sp + (uint64_t)size, f->width);
	return v;
}

/* Make the frame's stack pointer the CPU's (SS itself is the caller's). */
void frame_commit_sp(struct cpu *c, const struct frame *f)
{
	reg_write(c, R_SP, f->width, f->sp);
}
