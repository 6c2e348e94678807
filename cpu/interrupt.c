// SPDX-License-Identifier: MIT
/*
 * Interrupt and exception delivery: through the IVT in real mode (SDM
 * Vol. 3A §20.1.4) and through IDT interrupt and trap gates in protected
 * mode, with the stack switch to an inner ring from the TSS (§6.12.1).
 */
#include "cpu/interp.h"
#include "machine/machine.h"

static void deliver_real(struct cpu *c, int vector, uint64_t return_rip)
{
	uint32_t off = (uint32_t)vector * 4;
	uint32_t entry, flags = cpu_flags(c);
	struct frame f;

	if (off + 3 > c->s.idtr.limit)
		cpu_raise_error(c, EXC_GP, 0);
	entry = sys_read(c, (c->s.idtr.base + off) & 0xffffffffu, 4);
	frame_init(c, &f);
	frame_push(c, &f, 2, flags);
	frame_push(c, &f, 2, c->s.seg[SEG_CS].sel);
	frame_push(c, &f, 2, (uint32_t)return_rip);
	frame_commit_sp(c, &f);
	cpu_set_flags(c, 0, FLAG_IF | FLAG_TF | FLAG_AC | FLAG_RF);
	seg_load_real(c, SEG_CS, (uint16_t)(entry >> 16));
	c->s.rip = entry & 0xffff;
	c->next_rip = c->s.rip;
}

/* Error code for a fault about a selector or IDT slot (§6.13). */
static uint32_t sel_error(uint16_t sel, bool ext)
{
	return (sel & ~3u) | (ext ? 1u : 0u);
}

static void load_cs_for_entry(struct cpu *c, uint16_t sel, uint32_t lo,
			      uint32_t hi, int cpl)
{
	struct segment cs;

	desc_set_accessed(c, sel, hi);
	desc_to_segment(&cs, (uint16_t)((sel & ~3u) | (unsigned)cpl), lo,
			hi | (1u << 8));
	c->s.seg[SEG_CS] = cs;
	cpu_set_cpl(c, cpl);
	seg_update_check(c, SEG_CS);
}

static void deliver_protected(struct cpu *c, int vector, enum int_source src,
			      bool has_error, uint32_t error,
			      uint64_t return_rip)
{
	bool ext = src == INT_EXTERNAL || src == INT_EXCEPTION ||
		   src == INT_FAULT;
	uint32_t idt_error = (uint32_t)vector * 8 + 2 + (ext ? 1 : 0);
	uint32_t glo, ghi, lo, hi, offset;
	uint32_t flags = cpu_flags(c) | (src == INT_FAULT ? FLAG_RF : 0);
	int type, gate_dpl, dpl, size;
	uint16_t sel;
	struct frame f;
	struct segment old_ss = c->s.seg[SEG_SS];
	uint32_t old_sp = (uint32_t)c->s.gpr[R_SP];
	bool inner;

	if ((uint32_t)vector * 8 + 7 > c->s.idtr.limit)
		cpu_raise_error(c, EXC_GP, idt_error);
	glo = sys_read(c, (c->s.idtr.base + (uint32_t)vector * 8) & 0xffffffffu,
		       4);
	ghi = sys_read(c,
		       (c->s.idtr.base + (uint32_t)vector * 8 + 4) & 0xffffffffu,
		       4);
	type = (ghi >> 8) & 0x1f;
	gate_dpl = (ghi >> 13) & 3;
	if (type != 0x6 && type != 0x7 && type != 0xe && type != 0xf) {
		/* Task gates (type 5) need task switching, which popek does
		 * not model yet: treated as an invalid gate. */
		cpu_raise_error(c, EXC_GP, idt_error);
	}
	if (src == INT_SOFTWARE && gate_dpl < c->cpl)
		cpu_raise_error(c, EXC_GP, idt_error);
	if (!(ghi & (1u << 15)))
		cpu_raise_error(c, EXC_NP, idt_error);
	size = (type & 0x8) ? 4 : 2;
	sel = (uint16_t)(glo >> 16);
	offset = (glo & 0xffff) | (size == 4 ? (ghi & 0xffff0000u) : 0);

	if ((sel & ~3u) == 0)
		cpu_raise_error(c, EXC_GP, ext ? 1 : 0);
	if (!desc_read(c, sel, &lo, &hi))
		cpu_raise_error(c, EXC_GP, sel_error(sel, ext));
	dpl = (hi >> 13) & 3;
	if (!(hi & (1u << 12)) || !(hi & (1u << 11)) || dpl > c->cpl)
		cpu_raise_error(c, EXC_GP, sel_error(sel, ext));
	if (!(hi & (1u << 15)))
		cpu_raise_error(c, EXC_NP, sel_error(sel, ext));
	if (c->s.rflags & FLAG_VM)
		cpu_raise_error(c, EXC_GP, sel_error(sel, ext));

	{
		struct segment probe;

		desc_to_segment(&probe, sel, lo, hi);
		if (offset > probe.limit)
			cpu_raise_error(c, EXC_GP, ext ? 1 : 0);
	}
	inner = !(hi & (1u << 10)) && dpl < c->cpl;
	if (inner) {
		uint16_t new_ss;
		uint32_t new_sp = (uint32_t)tss_stack_for(c, dpl, &new_ss);
		uint32_t slo, shi;
		struct segment ss;

		if ((new_ss & ~3u) == 0)
			cpu_raise_error(c, EXC_TS, ext ? 1 : 0);
		if ((new_ss & 3) != dpl)
			cpu_raise_error(c, EXC_TS, sel_error(new_ss, ext));
		if (!desc_read(c, new_ss, &slo, &shi))
			cpu_raise_error(c, EXC_TS, sel_error(new_ss, ext));
		if (((shi >> 13) & 3) != (uint32_t)dpl ||
		    !(shi & (1u << 12)) || (shi & (1u << 11)) ||
		    !(shi & (1u << 9)))
			cpu_raise_error(c, EXC_TS, sel_error(new_ss, ext));
		if (!(shi & (1u << 15)))
			cpu_raise_error(c, EXC_SS, sel_error(new_ss, ext));
		desc_to_segment(&ss, new_ss, slo, shi | (1u << 8));
		/* The inner stack is written with its ring's permissions. */
		if (dpl < 3)
			c->tlbp = c->tlb[0];
		frame_init_stack(&f, &ss, new_sp,
				 (ss.attr & SEG_ATTR_DB) ? 4 : 2,
				 (uint16_t)sel_error(new_ss, ext));
		frame_push(c, &f, size, old_ss.sel);
		frame_push(c, &f, size, old_sp);
	} else {
		frame_init(c, &f);
	}
	frame_push(c, &f, size, flags);
	frame_push(c, &f, size, c->s.seg[SEG_CS].sel);
	frame_push(c, &f, size, (uint32_t)return_rip);
	if (has_error)
		frame_push(c, &f, size, error);

	/* Everything is written: commit. */
	if (inner) {
		c->s.seg[SEG_SS] = f.ss;
		seg_update_check(c, SEG_SS);
	}
	load_cs_for_entry(c, sel, lo, hi, inner ? dpl : c->cpl);
	frame_commit_sp(c, &f);
	c->s.rip = offset;
	c->next_rip = offset;
	cpu_set_flags(c, 0,
		      FLAG_TF | FLAG_NT | FLAG_RF | FLAG_VM |
			      ((type & 1) ? 0 : FLAG_IF));
}

/*
 * Deliver an interrupt or exception.  return_rip is what the frame saves:
 * the faulting instruction for faults, the next one for traps and INT n.
 */
void cpu_interrupt(struct cpu *c, int vector, enum int_source src,
		   bool has_error, uint32_t error, uint64_t return_rip)
{
	if (unlikely(c->debug_on))
		debug_interrupt(c, vector,
				src == INT_EXCEPTION || src == INT_FAULT);
	if (c->s.efer & EFER_LMA)
		deliver_long(c, vector, src, has_error, error, return_rip);
	else if (c->pe)
		deliver_protected(c, vector, src, has_error, error, return_rip);
	else
		deliver_real(c, vector, return_rip);
	c->s.halted = false;
	c->end_block = true;
}
