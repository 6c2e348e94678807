// SPDX-License-Identifier: MIT
/*
 * Far control transfers: JMP/CALL far (direct, to a code segment or
 * through a call gate), RET far and IRET, with the privilege rules of
 * SDM Vol. 3A §5.8 and the operation sections of Vol. 2.
 */
#include "cpu/interp.h"
#include "machine/machine.h"

static bool is_code(uint32_t hi)
{
	return (hi & (1u << 12)) && (hi & (1u << 11));
}

static bool is_conforming(uint32_t hi)
{
	return (hi & (1u << 10)) != 0;
}

static int desc_dpl(uint32_t hi)
{
	return (hi >> 13) & 3;
}

static bool desc_present(uint32_t hi)
{
	return (hi & (1u << 15)) != 0;
}

/* Load CS from a descriptor; the new CPL goes into the RPL. */
static void load_cs(struct cpu *c, uint16_t sel, uint32_t lo, uint32_t hi,
		    int cpl)
{
	struct segment cs;

	desc_set_accessed(c, sel, hi);
	desc_to_segment(&cs, (uint16_t)((sel & ~3u) | (unsigned)cpl), lo,
			hi | (1u << 8));
	c->s.seg[SEG_CS] = cs;
	cpu_set_cpl(c, cpl);
	cpu_mode_changed(c); /* CS.L and CS.D may change the mode */
}

static void set_ip(struct cpu *c, uint64_t ip, int osz)
{
	c->next_rip = ip & size_mask(osz);
}

/* Is off a valid entry point of the code segment probe?  64-bit code has
 * no limit, only canonical addresses (SDM Vol. 3A §5.3.1). */
static bool offset_fits(const struct segment *probe, uint64_t off)
{
	if ((probe->attr & SEG_ATTR_L) && (probe->attr & SEG_ATTR_S))
		return canonical(off);
	return off <= probe->limit;
}

/* The data registers an outer ring may not keep (Vol. 2 "RET"). */
static void drop_inner_data_segments(struct cpu *c)
{
	static const int segs[] = { SEG_ES, SEG_DS, SEG_FS, SEG_GS };

	for (unsigned k = 0; k < 4; k++) {
		struct segment *s = &c->s.seg[segs[k]];
		int dpl = (s->attr & SEG_ATTR_DPL) >> SEG_ATTR_DPL_SHIFT;
		bool conforming_code = (s->attr & 0x8) && (s->attr & 0x4);

		if ((s->attr & SEG_ATTR_S) && !conforming_code &&
		    dpl < c->cpl) {
			s->sel = 0;
			s->attr = 0;
			seg_update_check(c, segs[k]);
		}
	}
}

static void far_to_real(struct cpu *c, uint16_t sel, uint64_t off,
			bool is_call, int osz)
{
	if (is_call) {
		struct frame f;

		frame_init(c, &f);
		frame_push(c, &f, osz, c->s.seg[SEG_CS].sel);
		frame_push(c, &f, osz, (uint32_t)c->next_rip);
		frame_commit_sp(c, &f);
	}
	seg_load_real(c, SEG_CS, sel);
	set_ip(c, off, osz);
	c->end_block = true;
}

/* CALL through a call gate to a more privileged ring (§5.8.5). */
static void call_gate_inner(struct cpu *c, uint16_t tsel, uint32_t tlo,
			    uint32_t thi, uint32_t ghi, uint32_t off, int size)
{
	int dpl = desc_dpl(thi);
	unsigned params = ghi & 0x1f;
	uint16_t new_ss;
	uint32_t new_sp = (uint32_t)tss_stack_for(c, dpl, &new_ss);
	uint32_t slo, shi, args[32];
	struct frame f, old;
	struct segment ss;

	if ((new_ss & ~3u) == 0)
		cpu_raise_error(c, EXC_TS, 0);
	if ((new_ss & 3) != dpl || !desc_read(c, new_ss, &slo, &shi))
		cpu_raise_error(c, EXC_TS, new_ss & ~3u);
	if (desc_dpl(shi) != dpl || !(shi & (1u << 12)) ||
	    (shi & (1u << 11)) || !(shi & (1u << 9)))
		cpu_raise_error(c, EXC_TS, new_ss & ~3u);
	if (!desc_present(shi))
		cpu_raise_error(c, EXC_SS, new_ss & ~3u);

	/* Parameters are copied from the caller's stack, first to last. */
	frame_init(c, &old);
	for (unsigned k = 0; k < params; k++)
		args[k] = frame_pop(c, &old, size);

	desc_to_segment(&ss, new_ss, slo, shi | (1u << 8));
	if (dpl < 3)
		c->tlbp = c->tlb[0]; /* the inner ring's stack permissions */
	frame_init_stack(&f, &ss, new_sp, (ss.attr & SEG_ATTR_DB) ? 4 : 2,
			 new_ss & ~3u);
	frame_push(c, &f, size, c->s.seg[SEG_SS].sel);
	frame_push(c, &f, size, (uint32_t)c->s.gpr[R_SP]);
	for (unsigned k = params; k-- > 0;)
		frame_push(c, &f, size, args[k]);
	frame_push(c, &f, size, c->s.seg[SEG_CS].sel);
	frame_push(c, &f, size, (uint32_t)c->next_rip);

	c->s.seg[SEG_SS] = f.ss;
	seg_update_check(c, SEG_SS);
	load_cs(c, tsel, tlo, thi, dpl);
	frame_commit_sp(c, &f);
	if (off > c->s.seg[SEG_CS].limit)
		cpu_raise_error(c, EXC_GP, 0);
	set_ip(c, off, size);
}

static void through_call_gate(struct cpu *c, uint16_t sel, uint32_t glo,
			      uint32_t ghi, bool is_call)
{
	int gate_size = ((ghi >> 8) & 0xf) == 0xc ? 4 : 2;
	uint16_t tsel = (uint16_t)(glo >> 16);
	uint32_t off = (glo & 0xffff) | (gate_size == 4 ? ghi & 0xffff0000u : 0);
	uint32_t tlo, thi;
	struct segment probe;
	int dpl;

	if (desc_dpl(ghi) < c->cpl || desc_dpl(ghi) < (sel & 3))
		cpu_raise_error(c, EXC_GP, sel & ~3u);
	if (!desc_present(ghi))
		cpu_raise_error(c, EXC_NP, sel & ~3u);
	if ((tsel & ~3u) == 0)
		cpu_raise_error(c, EXC_GP, 0);
	if (!desc_read(c, tsel, &tlo, &thi))
		cpu_raise_error(c, EXC_GP, tsel & ~3u);
	dpl = desc_dpl(thi);
	if (!is_code(thi) || dpl > c->cpl)
		cpu_raise_error(c, EXC_GP, tsel & ~3u);
	if (!is_call && !is_conforming(thi) && dpl != c->cpl)
		cpu_raise_error(c, EXC_GP, tsel & ~3u);
	if (!desc_present(thi))
		cpu_raise_error(c, EXC_NP, tsel & ~3u);

	if (is_call && !is_conforming(thi) && dpl < c->cpl) {
		call_gate_inner(c, tsel, tlo, thi, ghi, off, gate_size);
		return;
	}
	desc_to_segment(&probe, tsel, tlo, thi);
	if (off > probe.limit)
		cpu_raise_error(c, EXC_GP, 0);
	if (is_call) {
		struct frame f;

		frame_init(c, &f);
		frame_push(c, &f, gate_size, c->s.seg[SEG_CS].sel);
		frame_push(c, &f, gate_size, (uint32_t)c->next_rip);
		load_cs(c, tsel, tlo, thi, c->cpl);
		frame_commit_sp(c, &f);
	} else {
		load_cs(c, tsel, tlo, thi, c->cpl);
	}
	set_ip(c, off, gate_size);
}

/* JMP far / CALL far to sel:off (Vol. 2 "JMP", "CALL"). */
void far_jump(struct cpu *c, uint16_t sel, uint64_t off, bool is_call,
	      int osz)
{
	uint32_t lo, hi;
	struct segment probe;

	if (!c->pe || (c->s.rflags & FLAG_VM)) {
		far_to_real(c, sel, off, is_call, osz);
		return;
	}
	if ((sel & ~3u) == 0)
		cpu_raise_error(c, EXC_GP, 0);
	if (!desc_read(c, sel, &lo, &hi))
		cpu_raise_error(c, EXC_GP, sel & ~3u);
	if (!(hi & (1u << 12))) {
		int type = (hi >> 8) & 0xf;

		if (type == 0x4 || type == 0xc) {
			through_call_gate(c, sel, lo, hi, is_call);
			return;
		}
		/* Task switches through TSS descriptors and task gates are
		 * not modelled: refused as an invalid target. */
		cpu_raise_error(c, EXC_GP, sel & ~3u);
	}
	if (!is_code(hi))
		cpu_raise_error(c, EXC_GP, sel & ~3u);
	if (is_conforming(hi)) {
		if (desc_dpl(hi) > c->cpl)
			cpu_raise_error(c, EXC_GP, sel & ~3u);
	} else if ((sel & 3) > c->cpl || desc_dpl(hi) != c->cpl) {
		cpu_raise_error(c, EXC_GP, sel & ~3u);
	}
	if (!desc_present(hi))
		cpu_raise_error(c, EXC_NP, sel & ~3u);
	desc_to_segment(&probe, sel, lo, hi);
	off &= size_mask(osz);
	if (!offset_fits(&probe, off))
		cpu_raise_error(c, EXC_GP, 0);
	if (is_call) {
		struct frame f;

		frame_init(c, &f);
		frame_push(c, &f, osz, c->s.seg[SEG_CS].sel);
		frame_push(c, &f, osz, (uint32_t)c->next_rip);
		frame_commit_sp(c, &f);
	}
	load_cs(c, sel, lo, hi, c->cpl);
	set_ip(c, off, osz);
}

/*
 * The protected-mode return checks shared by RET far and IRET: check the
 * return CS, and for an outer ring pop SS:ESP too.  f holds the stack
 * after CS:EIP (and EFLAGS) were popped.
 */
static void return_to(struct cpu *c, struct frame *f, uint16_t sel,
		      uint64_t ip, int osz, uint32_t pop_bytes)
{
	uint32_t lo, hi;
	int rpl = sel & 3;
	struct segment probe;

	if ((sel & ~3u) == 0)
		cpu_raise_error(c, EXC_GP, 0);
	if (!desc_read(c, sel, &lo, &hi))
		cpu_raise_error(c, EXC_GP, sel & ~3u);
	if (!is_code(hi) || rpl < c->cpl)
		cpu_raise_error(c, EXC_GP, sel & ~3u);
	if (is_conforming(hi) ? desc_dpl(hi) > rpl : desc_dpl(hi) != rpl)
		cpu_raise_error(c, EXC_GP, sel & ~3u);
	if (!desc_present(hi))
		cpu_raise_error(c, EXC_NP, sel & ~3u);
	desc_to_segment(&probe, sel, lo, hi);
	ip &= size_mask(osz);

	if (rpl == c->cpl) {
		if (!offset_fits(&probe, ip))
			cpu_raise_error(c, EXC_GP, 0);
		frame_adjust(f, pop_bytes);
		load_cs(c, sel, lo, hi, c->cpl);
		frame_commit_sp(c, f);
	} else {
		uint64_t new_sp;
		uint32_t slo, shi;
		uint16_t new_ss;
		struct segment ss;

		frame_adjust(f, pop_bytes);
		new_sp = frame_pop(c, f, osz);
		new_ss = (uint16_t)frame_pop(c, f, osz);
		if ((new_ss & ~3u) == 0)
			cpu_raise_error(c, EXC_GP, 0);
		if (!desc_read(c, new_ss, &slo, &shi))
			cpu_raise_error(c, EXC_GP, new_ss & ~3u);
		if ((new_ss & 3) != rpl || desc_dpl(shi) != rpl ||
		    !(shi & (1u << 12)) || (shi & (1u << 11)) ||
		    !(shi & (1u << 9)))
			cpu_raise_error(c, EXC_GP, new_ss & ~3u);
		if (!desc_present(shi))
			cpu_raise_error(c, EXC_SS, new_ss & ~3u);
		if (!offset_fits(&probe, ip))
			cpu_raise_error(c, EXC_GP, 0);
		desc_set_accessed(c, new_ss, shi);
		desc_to_segment(&ss, new_ss, slo, shi | (1u << 8));
		load_cs(c, sel, lo, hi, rpl);
		c->s.seg[SEG_SS] = ss;
		seg_update_check(c, SEG_SS);
		new_sp += pop_bytes;
		if (c->mode64)
			c->s.gpr[R_SP] = new_sp;
		else if (ss.attr & SEG_ATTR_DB)
			c->s.gpr[R_SP] = (uint32_t)new_sp;
		else
			c->s.gpr[R_SP] = (c->s.gpr[R_SP] & ~0xffffull) |
					 (new_sp & 0xffff);
		drop_inner_data_segments(c);
	}
	c->next_rip = ip;
}

void far_return(struct cpu *c, int osz, uint16_t pop_bytes)
{
	struct frame f;
	uint64_t ip;
	uint16_t sel;

	frame_init(c, &f);
	ip = frame_pop(c, &f, osz);
	sel = (uint16_t)frame_pop(c, &f, osz);
	if (!c->pe || (c->s.rflags & FLAG_VM)) {
		frame_adjust(&f, pop_bytes);
		frame_commit_sp(c, &f);
		seg_load_real(c, SEG_CS, sel);
		set_ip(c, ip, osz);
		c->end_block = true;
		return;
	}
	return_to(c, &f, sel, ip, osz, pop_bytes);
}

/* IRET (Vol. 2 "IRET"): which EFLAGS bits the popped value may change. */
static uint32_t iret_flag_mask(struct cpu *c, int osz, int old_cpl)
{
	uint32_t mask = FLAG_CF | FLAG_PF | FLAG_AF | FLAG_ZF | FLAG_SF |
			FLAG_TF | FLAG_DF | FLAG_OF | FLAG_NT;
	int iopl = (int)((c->s.rflags & FLAG_IOPL) >> FLAG_IOPL_SHIFT);

	if (osz == 4)
		mask |= FLAG_RF | FLAG_AC | FLAG_ID;
	if (old_cpl <= iopl)
		mask |= FLAG_IF;
	if (old_cpl == 0) {
		mask |= FLAG_IOPL;
		if (osz == 4)
			mask |= FLAG_VIF | FLAG_VIP;
	}
	return mask;
}

/*
 * IRET with NT set returns to the task in the TSS back link (SDM Vol. 3A
 * §7.3).  The back link must name a busy TSS in the GDT, or #TS(link).
 * The task switch itself is not modelled yet: it stops the run with a
 * message rather than run on in a wrong state.
 */
static void task_return(struct cpu *c)
{
	uint16_t link = (uint16_t)sys_read(c, c->s.tr.base & 0xffffffffu, 2);
	uint32_t lo, hi, type;

	if ((link & 4) || !desc_read(c, link, &lo, &hi))
		cpu_raise_error(c, EXC_TS, link & ~3u);
	type = (hi >> 8) & 0x1f;
	if (type != 0x03 && type != 0x0b)
		cpu_raise_error(c, EXC_TS, link & ~3u);
	if (!desc_present(hi))
		cpu_raise_error(c, EXC_NP, link & ~3u);
	machine_request_exit(c->m, MACHINE_EXIT_ERROR, 8,
			     "IRET task return to TSS %04x: task switches are "
			     "not implemented yet",
			     link);
	c->end_block = true;
	c->next_rip = c->s.rip;
}

void cpu_iret(struct cpu *c, int osz)
{
	struct frame f;
	uint64_t ip;
	uint32_t flags;
	uint16_t sel;
	int old_cpl = c->cpl;

	frame_init(c, &f);
	ip = frame_pop(c, &f, osz);
	sel = (uint16_t)frame_pop(c, &f, osz);
	flags = (uint32_t)frame_pop(c, &f, osz);
	if (!c->pe) {
		uint32_t mask = osz == 4 ? 0x257fd5u : 0x7fd5u;

		frame_commit_sp(c, &f);
		seg_load_real(c, SEG_CS, sel);
		cpu_set_flags(c, flags, mask);
		set_ip(c, ip, osz);
		c->end_block = true;
		return;
	}
	if (c->s.rflags & FLAG_NT) {
		task_return(c);
		return;
	}
	if (osz == 4 && (flags & FLAG_VM) && c->cpl == 0)
		cpu_raise_error(c, EXC_GP, 0); /* virtual-8086: not modelled */
	return_to(c, &f, sel, ip, osz, 0);
	cpu_set_flags(c, flags, iret_flag_mask(c, osz, old_cpl));
}

/* IRET from 64-bit mode (IRETQ, or IRETD/IRET with 66h). */
void cpu_iret64(struct cpu *c, int osz)
{
	iret_long(c, osz, iret_flag_mask(c, osz == 8 ? 4 : osz, c->cpl));
}
