// SPDX-License-Identifier: MIT
/*
 * IA-32e mode: interrupt delivery through 16-byte IDT gates with the
 * interrupt stack table (SDM Vol. 3A §6.14), and IRET, which in 64-bit
 * mode always pops SS:RSP (Vol. 2 "IRET").
 */
#include "cpu/interp.h"
#include "machine/machine.h"

/* The 64-bit TSS: RSPn at 4 + 8n, ISTn at 36 + 8(n - 1) (§7.7). */
static uint64_t tss64_read(struct cpu *c, uint32_t off)
{
	if (!(c->s.tr.attr & SEG_ATTR_P) || off + 7 > c->s.tr.limit)
		cpu_raise_error(c, EXC_TS, c->s.tr.sel & ~3u);
	return sys_read(c, c->s.tr.base + off, 8);
}

/* A null SS for ring cpl, as 64-bit mode loads on privilege changes. */
static void load_null_ss(struct cpu *c, int cpl)
{
	struct segment *ss = &c->s.seg[SEG_SS];

	ss->sel = (uint16_t)cpl;
	ss->base = 0;
	ss->limit = 0xffffffffu;
	ss->attr = SEG_ATTR_P | SEG_ATTR_S | 0x3 | SEG_ATTR_DB | SEG_ATTR_G |
		   (uint16_t)(cpl << SEG_ATTR_DPL_SHIFT);
	seg_update_check(c, SEG_SS);
}

static void load_code(struct cpu *c, uint16_t sel, uint32_t lo, uint32_t hi,
		      int cpl)
{
	struct segment cs;

	desc_set_accessed(c, sel, hi);
	desc_to_segment(&cs, (uint16_t)((sel & ~3u) | (unsigned)cpl), lo,
			hi | (1u << 8));
	c->s.seg[SEG_CS] = cs;
	cpu_set_cpl(c, cpl);
	cpu_mode_changed(c);
}

void deliver_long(struct cpu *c, int vector, enum int_source src,
		  bool has_error, uint32_t error, uint64_t return_rip)
{
	bool ext = src == INT_EXTERNAL || src == INT_EXCEPTION ||
		   src == INT_FAULT;
	uint32_t idt_error = (uint32_t)vector * 8 + 2 + (ext ? 1 : 0);
	uint64_t gate = c->s.idtr.base + (uint64_t)vector * 16;
	uint32_t glo, ghi, lo, hi;
	uint64_t offset, rsp, old_rsp = c->s.gpr[R_SP];
	uint32_t flags = cpu_flags(c) | (src == INT_FAULT ? FLAG_RF : 0);
	uint16_t sel, old_ss = c->s.seg[SEG_SS].sel;
	int type, dpl, ist, new_cpl;
	struct frame f;
	struct segment flat = { .base = 0, .limit = ~0u };

	if ((uint32_t)vector * 16 + 15 > c->s.idtr.limit)
		cpu_raise_error(c, EXC_GP, idt_error);
	glo = (uint32_t)sys_read(c, gate, 4);
	ghi = (uint32_t)sys_read(c, gate + 4, 4);
	offset = (glo & 0xffff) | (ghi & 0xffff0000u) |
		 (sys_read(c, gate + 8, 4) << 32);
	type = (ghi >> 8) & 0x1f;
	if (type != 0xe && type != 0xf)
		cpu_raise_error(c, EXC_GP, idt_error);
	if (src == INT_SOFTWARE && (int)((ghi >> 13) & 3) < c->cpl)
		cpu_raise_error(c, EXC_GP, idt_error);
	if (!(ghi & (1u << 15)))
		cpu_raise_error(c, EXC_NP, idt_error);
	sel = (uint16_t)(glo >> 16);
	ist = ghi & 7;
	if ((sel & ~3u) == 0)
		cpu_raise_error(c, EXC_GP, ext ? 1 : 0);
	if (!desc_read(c, sel, &lo, &hi))
		cpu_raise_error(c, EXC_GP, (sel & ~3u) | (ext ? 1 : 0));
	dpl = (hi >> 13) & 3;
	/* The handler must be 64-bit code: L set, D clear. */
	if (!(hi & (1u << 12)) || !(hi & (1u << 11)) || dpl > c->cpl ||
	    !(hi & (1u << 21)) || (hi & (1u << 22)))
		cpu_raise_error(c, EXC_GP, (sel & ~3u) | (ext ? 1 : 0));
	if (!(hi & (1u << 15)))
		cpu_raise_error(c, EXC_NP, (sel & ~3u) | (ext ? 1 : 0));
	if (!canonical(offset))
		cpu_raise_error(c, EXC_GP, ext ? 1 : 0);

	new_cpl = (hi & (1u << 10)) ? c->cpl : dpl;
	if (ist)
		rsp = tss64_read(c, 36 + 8 * (uint32_t)(ist - 1));
	else if (new_cpl < c->cpl)
		rsp = tss64_read(c, 4 + 8 * (uint32_t)new_cpl);
	else
		rsp = old_rsp;
	rsp &= ~0xfull;
	if (new_cpl < 3)
		c->tlbp = c->tlb[0];
	frame_init_stack(&f, &flat, rsp, 8, 0);
	frame_push(c, &f, 8, old_ss);
	frame_push(c, &f, 8, old_rsp);
	frame_push(c, &f, 8, flags);
	frame_push(c, &f, 8, c->s.seg[SEG_CS].sel);
	frame_push(c, &f, 8, return_rip);
	if (has_error)
		frame_push(c, &f, 8, error);

	if (new_cpl != c->cpl)
		load_null_ss(c, new_cpl);
	load_code(c, sel, lo, hi, new_cpl);
	c->s.gpr[R_SP] = f.sp;
	c->s.rip = offset;
	c->next_rip = offset;
	cpu_set_flags(c, 0,
		      FLAG_TF | FLAG_NT | FLAG_RF | FLAG_VM |
			      ((type & 1) ? 0 : FLAG_IF));
}

/* IRET in 64-bit mode: RIP, CS, RFLAGS, RSP and SS, each osz wide. */
void iret_long(struct cpu *c, int osz, uint32_t flag_mask)
{
	struct frame f;
	uint64_t rip, rsp;
	uint32_t flags, lo, hi, slo, shi;
	uint16_t sel, ss_sel;
	int rpl;
	bool to64;

	if (c->s.rflags & FLAG_NT)
		cpu_raise_error(c, EXC_GP, 0); /* no task switches in IA-32e */
	frame_init(c, &f);
	rip = frame_pop(c, &f, osz);
	sel = (uint16_t)frame_pop(c, &f, osz);
	flags = (uint32_t)frame_pop(c, &f, osz);
	rsp = frame_pop(c, &f, osz);
	ss_sel = (uint16_t)frame_pop(c, &f, osz);
	rpl = sel & 3;

	if ((sel & ~3u) == 0)
		cpu_raise_error(c, EXC_GP, 0);
	if (!desc_read(c, sel, &lo, &hi) || !(hi & (1u << 12)) ||
	    !(hi & (1u << 11)) || rpl < c->cpl)
		cpu_raise_error(c, EXC_GP, sel & ~3u);
	if ((hi & (1u << 10)) ? (int)((hi >> 13) & 3) > rpl
			      : (int)((hi >> 13) & 3) != rpl)
		cpu_raise_error(c, EXC_GP, sel & ~3u);
	if (!(hi & (1u << 15)))
		cpu_raise_error(c, EXC_NP, sel & ~3u);
	to64 = (hi & (1u << 21)) != 0;
	if (to64 ? !canonical(rip) : rip > 0xffffffffull)
		cpu_raise_error(c, EXC_GP, 0);

	/* A null SS is allowed going to 64-bit code below ring 3. */
	if ((ss_sel & ~3u) == 0) {
		if (!to64 || rpl == 3)
			cpu_raise_error(c, EXC_GP, 0);
	} else {
		if ((ss_sel & 3) != rpl || !desc_read(c, ss_sel, &slo, &shi) ||
		    (int)((shi >> 13) & 3) != rpl || !(shi & (1u << 12)) ||
		    (shi & (1u << 11)) || !(shi & (1u << 9)))
			cpu_raise_error(c, EXC_GP, ss_sel & ~3u);
		if (!(shi & (1u << 15)))
			cpu_raise_error(c, EXC_SS, ss_sel & ~3u);
	}

	cpu_set_flags(c, flags, flag_mask);
	if ((ss_sel & ~3u) == 0) {
		load_null_ss(c, rpl);
		c->s.seg[SEG_SS].sel = ss_sel;
	} else {
		desc_set_accessed(c, ss_sel, shi);
		desc_to_segment(&c->s.seg[SEG_SS], ss_sel, slo, shi | (1u << 8));
	}
	load_code(c, sel, lo, hi, rpl);
	c->s.gpr[R_SP] = to64 ? rsp : (uint32_t)rsp;
	c->next_rip = rip;
}
