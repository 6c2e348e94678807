// SPDX-License-Identifier: MIT
/*
 * The interpreter's life cycle and run loop: reset, state in and out,
 * running blocks with interrupts taken at their boundaries, single steps.
 */
#include <stdlib.h>

#include "cpu/interp.h"
#include "cpu/x87.h"
#include "machine/machine.h"

void segment_set_real(struct segment *s, uint16_t sel, int seg_index)
{
	s->sel = sel;
	s->base = (uint32_t)sel << 4;
	s->limit = 0xffff;
	s->attr = SEG_ATTR_P | SEG_ATTR_S | SEG_ATTR_ACCESSED |
		  (seg_index == SEG_CS ? 0xa : 0x2);
}

/* The CPL picks the TLB whose permissions apply (user at CPL 3). */
void cpu_set_cpl(struct cpu *c, int cpl)
{
	c->cpl = cpl;
	c->tlbp = c->tlb[cpl == 3];
}

struct cpu *cpu_create(struct machine *m)
{
	struct cpu *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->m = m;
	c->tlbp = c->tlb[0];
	c->blocks = block_cache_create(m);
	if (!c->blocks) {
		block_cache_destroy(c->blocks);
		free(c);
		return NULL;
	}
	m->code.invalidate = block_cache_invalidate;
	m->code.opaque = c;
	cpu_reset(c);
	return c;
}

void cpu_destroy(struct cpu *c)
{
	if (!c)
		return;
	if (c->m->code.opaque == c) {
		c->m->code.invalidate = NULL;
		c->m->code.opaque = NULL;
	}
	block_cache_destroy(c->blocks);
	free(c);
}

/* Rebuild everything the interpreter derives from the state. */
static void cpu_state_loaded(struct cpu *c)
{
	c->pe = (c->s.cr0 & CR0_PE) != 0;
	cpu_set_cpl(c, c->pe ? (c->s.seg[SEG_SS].attr & SEG_ATTR_DPL) >>
				       SEG_ATTR_DPL_SHIFT
			     : 0);
	c->a20_mask = c->m->a20 ? ~0ull : ~(1ull << 20);
	flags_load(c, (uint32_t)c->s.rflags);
	c->tsc_offset = c->s.msr.tsc - c->m->clock.cycles;
	cpu_update_mode(c);
	for (int k = 0; k < SEG_COUNT; k++)
		seg_update_check(c, k);
	tlb_flush(c);
	c->end_block = true;
}

void cpu_reset(struct cpu *c)
{
	struct cpu_state *s = &c->s;

	memset(s, 0, sizeof(*s));
	/* SDM Vol. 3A §9.1.1, Table 9-1. */
	for (int k = 0; k < SEG_COUNT; k++)
		segment_set_real(&s->seg[k], 0, k);
	segment_set_real(&s->seg[SEG_CS], 0xf000, SEG_CS);
	s->seg[SEG_CS].base = 0xffff0000u;
	s->rip = 0xfff0;
	s->rflags = FLAG_FIXED1;
	s->cr0 = CR0_ET | CR0_NW | CR0_CD;
	s->gdtr.limit = 0xffff;
	s->idtr.limit = 0xffff;
	s->ldtr.attr = SEG_ATTR_P | 0x2;
	s->ldtr.limit = 0xffff;
	s->tr.attr = SEG_ATTR_P | 0xb;
	s->tr.limit = 0xffff;
	s->dr[6] = 0xffff0ff0u;
	s->dr[7] = 0x400;
	s->gpr[R_DX] = 0x0600; /* family 6 signature, as CPUID reports */
	s->msr.apic_base = 0xfee00900u;
	x87_reset(&s->fpu); /* FNINIT state, MXCSR 1F80h */
	s->fpu.xcr0 = 1; /* x87 state enabled (SDM Vol. 1 §13.3) */
	s->msr.pat = 0x0007040600070406ull; /* SDM Vol. 3A §11.12.4 */
	s->msr.misc_enable = 1; /* fast strings */
	c->delivering = 0xff;
	c->rdrand_state = 0x706f70656b2d7267ull; /* any non-zero seed */
	cpu_state_loaded(c);
	block_cache_flush(c);
}

void cpu_state_get(struct cpu *c, struct cpu_state *s)
{
	*s = c->s;
	s->rflags = cpu_flags(c);
	s->msr.tsc = c->m->clock.cycles + c->tsc_offset;
}

void cpu_state_set(struct cpu *c, const struct cpu_state *s)
{
	c->s = *s;
	c->s.rflags = (s->rflags & ~0x8028ull) | FLAG_FIXED1;
	cpu_state_loaded(c);
}

uint32_t cpu_flags(struct cpu *c)
{
	return (uint32_t)(c->s.rflags & ~(uint64_t)FLAGS_ARITH) |
	       flags_arith(c) | FLAG_FIXED1;
}

void cpu_set_flags(struct cpu *c, uint32_t value, uint32_t mask)
{
	if (mask & value & FLAG_RF)
		c->rf_written = true;
	uint32_t f = (cpu_flags(c) & ~mask) | (value & mask);

	f = (f & ~0x8028u) | FLAG_FIXED1;
	flags_load(c, f);
	c->s.rflags = (c->s.rflags & ~0xffffffffull) | (f & ~FLAGS_ARITH);
}

uint64_t cpu_instructions(const struct cpu *c)
{
	return c->icount;
}

void cpu_flush_caches(struct cpu *c)
{
	c->a20_mask = c->m->a20 ? ~0ull : ~(1ull << 20);
	tlb_flush(c);
	block_cache_flush(c);
}

/* Jcc/SETcc/CMOVcc conditions (SDM Vol. 1 App. B). */
bool cond_true(struct cpu *c, int cc)
{
	bool r;

	switch (cc >> 1) {
	case 0: r = flag_of(c); break;
	case 1: r = flag_cf(c); break;
	case 2: r = flag_zf(c); break;
	case 3: r = flag_cf(c) || flag_zf(c); break;
	case 4: r = flag_sf(c); break;
	case 5: r = flag_pf(c); break;
	case 6: r = flag_sf(c) != flag_of(c); break;
	default: r = flag_zf(c) || flag_sf(c) != flag_of(c); break;
	}
	return (cc & 1) ? !r : r;
}

/* NMIs wait for the end of an NMI handler (its IRET), the interrupt
 * shadow, and the CMOS NMI mask (SDM Vol. 3A §6.7.1). */
static bool nmi_ready(struct cpu *c)
{
	const struct irq_state *irq = &c->m->irq;

	return irq->nmi && !irq->nmi_masked && !c->s.nmi_blocked &&
	       !c->s.interrupt_shadow;
}

static void take_nmi(struct cpu *c)
{
	c->m->irq.nmi = false;
	c->s.nmi_blocked = true;
	cpu_interrupt(c, EXC_NMI, INT_EXTERNAL, false, 0, c->s.rip);
}

/* The physical map changed (a BAR moved, PAM shadowing switched ROM and
 * RAM): translations, and code decoded from what was there, are stale. */
static void check_map(struct cpu *c)
{
	if (unlikely(c->map_generation != c->m->map.generation)) {
		c->map_generation = c->m->map.generation;
		tlb_flush(c);
		block_cache_flush(c);
	}
}

static bool interrupt_ready(struct cpu *c)
{
	return (c->s.rflags & FLAG_IF) && !c->s.interrupt_shadow &&
	       irq_intr_pending(c->m);
}

static enum cpu_stop stop_reason(struct cpu *c)
{
	switch (c->m->exit_kind) {
	case MACHINE_RUNNING:
		return c->s.halted ? CPU_STOP_HALT : CPU_STOP_BUDGET;
	case MACHINE_EXIT_TRIPLE_FAULT:
		return CPU_STOP_SHUTDOWN;
	default:
		return CPU_STOP_EXIT;
	}
}

/* One instruction with the single-step trap after it (SDM Vol. 3A
 * §17.3.1.4: TF set before the instruction raises #DB after it). */
static void execute_one(struct cpu *c)
{
	bool trap = (c->s.rflags & FLAG_TF) != 0;

	c->s.interrupt_shadow = false;
	c->rf_written = false;
	cpu_execute_some(c, 1);
	/* RF lasts one instruction: cleared after any that did not load it
	 * (SDM Vol. 3B §17.3.1.1; IRET is the one that does). */
	if (!c->rf_written)
		c->s.rflags &= ~(uint64_t)FLAG_RF;
	if (trap && !c->s.halted) {
		c->s.dr[6] |= 0x4000; /* BS */
		c->delivering = EXC_DB;
		cpu_interrupt(c, EXC_DB, INT_EXCEPTION, false, 0, c->s.rip);
		c->delivering = 0xff;
	}
}

enum cpu_stop cpu_run(struct cpu *c, uint64_t cycle_limit)
{
	struct machine *m = c->m;

	c->cycle_limit = cycle_limit;
	if (setjmp(c->exc_jmp)) {
		cpu_set_cpl(c, c->cpl); /* a supervisor access may have faulted */
		cpu_deliver_pending(c);
	}
	while (m->clock.cycles < c->cycle_limit &&
	       m->exit_kind == MACHINE_RUNNING) {
		check_map(c);
		if (nmi_ready(c))
			take_nmi(c);
		else if (interrupt_ready(c)) {
			uint8_t vector = irq_intr_acknowledge(m);

			cpu_interrupt(c, vector, INT_EXTERNAL, false, 0,
				      c->s.rip);
		}
		if (c->s.halted)
			break;
		if (c->s.interrupt_shadow ||
		    (c->s.rflags & (FLAG_TF | FLAG_RF)) ||
		    unlikely(c->debug_on)) {
			/* The debugger asks before each instruction. */
			if (c->debug_on && debug_before_insn(c))
				break;
			execute_one(c);
			continue;
		}
		cpu_execute_some(c, c->cycle_limit - m->clock.cycles);
	}
	return stop_reason(c);
}

enum cpu_stop cpu_step(struct cpu *c)
{
	struct machine *m = c->m;

	c->cycle_limit = m->clock.cycles + 1;
	check_map(c);
	if (setjmp(c->exc_jmp)) {
		cpu_set_cpl(c, c->cpl);
		cpu_deliver_pending(c);
		return stop_reason(c);
	}
	if (nmi_ready(c)) {
		take_nmi(c);
		return stop_reason(c);
	}
	if (interrupt_ready(c)) {
		cpu_interrupt(c, irq_intr_acknowledge(m), INT_EXTERNAL, false, 0,
			      c->s.rip);
		return stop_reason(c);
	}
	if (c->s.halted)
		return CPU_STOP_HALT;
	execute_one(c);
	return stop_reason(c);
}
