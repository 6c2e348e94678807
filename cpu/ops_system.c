// SPDX-License-Identifier: MIT
/*
 * System instructions (SDM Vol. 2): descriptor-table registers, LDTR and
 * TR, LAR/LSL/VERR/VERW/ARPL, control and debug registers, MSRs, TSC,
 * CPUID, and the hooks into the x87 FPU (cpu/x87.c).
 */
#include "cpu/ops.h"
#include "cpu/x87.h"
#include "machine/machine.h"

static void require_protected(struct cpu *c)
{
	if (!c->pe || (c->s.rflags & FLAG_VM))
		cpu_raise(c, EXC_UD);
}

static void require_cpl0(struct cpu *c)
{
	if (c->pe && c->cpl != 0)
		cpu_raise_error(c, EXC_GP, 0);
}

/* In IA-32e mode LDT and TSS descriptors are 16 bytes: base bits 63-32
 * follow (SDM Vol. 3A §7.2.3). */
static uint64_t system_desc_high(struct cpu *c, uint16_t sel)
{
	if (!(c->s.efer & EFER_LMA))
		return 0;
	if ((uint32_t)(sel & ~7u) + 15 > c->s.gdtr.limit)
		cpu_raise_error(c, EXC_GP, sel & ~3u);
	return sys_read(c, (c->s.gdtr.base + (sel & ~7u) + 8) & c->sys_mask,
			4)
	       << 32;
}

static void lldt(struct cpu *c, uint16_t sel)
{
	uint32_t lo, hi;

	require_cpl0(c);
	if ((sel & ~3u) == 0) {
		c->s.ldtr.sel = sel;
		c->s.ldtr.attr = 0;
		c->s.ldtr.base = 0;
		c->s.ldtr.limit = 0;
		return;
	}
	if ((sel & 4) || !desc_read(c, sel, &lo, &hi))
		cpu_raise_error(c, EXC_GP, sel & ~3u);
	if ((hi & (1u << 12)) || ((hi >> 8) & 0xf) != 0x2)
		cpu_raise_error(c, EXC_GP, sel & ~3u);
	if (!(hi & (1u << 15)))
		cpu_raise_error(c, EXC_NP, sel & ~3u);
	desc_to_segment(&c->s.ldtr, sel, lo, hi);
	c->s.ldtr.base |= system_desc_high(c, sel);
}

static void ltr(struct cpu *c, uint16_t sel)
{
	uint32_t lo, hi, type;

	require_cpl0(c);
	if ((sel & ~3u) == 0)
		cpu_raise_error(c, EXC_GP, 0);
	if ((sel & 4) || !desc_read(c, sel, &lo, &hi))
		cpu_raise_error(c, EXC_GP, sel & ~3u);
	type = (hi >> 8) & 0xf;
	if ((hi & (1u << 12)) || (type != 0x1 && type != 0x9))
		cpu_raise_error(c, EXC_GP, sel & ~3u);
	if (!(hi & (1u << 15)))
		cpu_raise_error(c, EXC_NP, sel & ~3u);
	hi |= 0x200; /* busy */
	sys_write(c, (c->s.gdtr.base + (sel & ~7u) + 4) & c->sys_mask, 4, hi);
	desc_to_segment(&c->s.tr, sel, lo, hi);
	c->s.tr.base |= system_desc_high(c, sel);
}

/* May the current privilege see this descriptor (LAR, LSL, VERR/W)? */
static bool desc_visible(struct cpu *c, uint16_t sel, uint32_t hi)
{
	int dpl = (hi >> 13) & 3;
	bool conforming_code = (hi & (1u << 12)) && (hi & (1u << 11)) &&
			       (hi & (1u << 10));

	return conforming_code || (dpl >= c->cpl && dpl >= (sel & 3));
}

static void set_zf(struct cpu *c, bool zf)
{
	cpu_set_flags(c, zf ? FLAG_ZF : 0, FLAG_ZF);
}

static void verify(struct cpu *c, uint16_t sel, bool write)
{
	uint32_t lo, hi;
	bool ok = false;

	if ((sel & ~3u) && desc_read(c, sel, &lo, &hi) && (hi & (1u << 12)) &&
	    desc_visible(c, sel, hi)) {
		bool code = hi & (1u << 11), rw = hi & (1u << 9);

		ok = write ? (!code && rw) : (!code || rw);
	}
	set_zf(c, ok);
}

HANDLER(op_grp6)
{
	require_protected(c);
	switch (i->sub) {
	case 0: /* SLDT */
		rm_write(c, i, i->mod == 3 ? i->osz : 2, c->s.ldtr.sel);
		break;
	case 1: /* STR */
		rm_write(c, i, i->mod == 3 ? i->osz : 2, c->s.tr.sel);
		break;
	case 2:
		lldt(c, (uint16_t)rm_read(c, i, 2));
		break;
	case 3:
		ltr(c, (uint16_t)rm_read(c, i, 2));
		break;
	default:
		verify(c, (uint16_t)rm_read(c, i, 2), i->sub == 5);
		break;
	}
}

/* SGDT/SIDT store a 32-bit base, 64-bit in 64-bit mode (SDM Vol. 2
 * "SGDT"). */
static void store_dtable(struct cpu *c, const struct insn *i,
			 const struct dtable *t)
{
	uint64_t ea = insn_ea(c, i), ea2 = (ea + 2) & size_mask(i->asz);

	mem_write(c, i->seg, ea, 2, t->limit);
	mem_write(c, i->seg, ea2, c->mode64 ? 8 : 4, t->base);
}

/* LGDT/LIDT: a 24-bit base with a 16-bit operand, 64-bit in 64-bit mode
 * (SDM Vol. 2 "LGDT/LIDT"). */
static void load_dtable(struct cpu *c, const struct insn *i,
			struct dtable *t)
{
	uint64_t ea = insn_ea(c, i), ea2 = (ea + 2) & size_mask(i->asz);
	uint64_t limit, base;

	require_cpl0(c);
	limit = mem_read(c, i->seg, ea, 2);
	base = mem_read(c, i->seg, ea2, c->mode64 ? 8 : 4);
	if (c->mode64 && !canonical(base))
		cpu_raise_error(c, EXC_GP, 0);
	t->limit = (uint32_t)limit;
	t->base = c->mode64 ? base : i->osz == 2 ? (base & 0xffffff)
						  : (uint32_t)base;
}

HANDLER(op_grp7)
{
	switch (i->sub) {
	case 0:
		store_dtable(c, i, &c->s.gdtr);
		break;
	case 1:
		store_dtable(c, i, &c->s.idtr);
		break;
	case 2:
		load_dtable(c, i, &c->s.gdtr);
		break;
	case 3:
		load_dtable(c, i, &c->s.idtr);
		break;
	case 4: /* SMSW */
		rm_write(c, i, i->mod == 3 ? i->osz : 2, (uint32_t)c->s.cr0);
		break;
	case 6: { /* LMSW: PE can be set, not cleared */
		uint32_t v = rm_read(c, i, 2);

		require_cpl0(c);
		c->s.cr0 = (c->s.cr0 & ~0xeull) | (v & 0xe) |
			   ((c->s.cr0 | v) & CR0_PE);
		cpu_mode_changed(c);
		break;
	}
	default: /* INVLPG (the register forms are SWAPGS and RDTSCP) */
		require_cpl0(c);
		tlb_flush_page(c, (c->segc[i->seg].base + insn_ea(c, i)) &
					  c->lin_mask);
		break;
	}
}

static void lar_lsl(struct cpu *c, const struct insn *i, bool lsl)
{
	uint16_t sel = (uint16_t)rm_read(c, i, 2);
	uint32_t lo, hi, type;
	bool ok;

	require_protected(c);
	ok = (sel & ~3u) && desc_read(c, sel, &lo, &hi) &&
	     desc_visible(c, sel, hi);
	if (ok && !(hi & (1u << 12))) {
		/* System descriptors LAR/LSL accept (Vol. 2 "LAR"). */
		type = (hi >> 8) & 0xf;
		ok = type == 1 || type == 2 || type == 3 || type == 9 ||
		     type == 0xb || (!lsl && (type == 4 || type == 5 ||
					      type == 0xc));
	}
	set_zf(c, ok);
	if (!ok)
		return;
	if (lsl) {
		struct segment s;

		desc_to_segment(&s, sel, lo, hi);
		reg_write(c, i->reg, i->osz, s.limit);
	} else {
		reg_write(c, i->reg, i->osz, hi & 0x00f0ff00u);
	}
}

HANDLER(op_lar)
{
	lar_lsl(c, i, false);
}

HANDLER(op_lsl)
{
	lar_lsl(c, i, true);
}

HANDLER(op_arpl)
{
	struct rmw loc;
	uint32_t dest, src;

	require_protected(c);
	dest = rmw_read(c, i, 2, &loc);
	src = reg_read(c, i->reg, 2);
	if ((dest & 3) < (src & 3)) {
		rmw_write(c, &loc, 2, (dest & ~3u) | (src & 3));
		set_zf(c, true);
	} else {
		set_zf(c, false);
	}
}

HANDLER(op_clts)
{
	(void)i;
	require_cpl0(c);
	c->s.cr0 &= ~(uint64_t)CR0_TS;
}

HANDLER(op_mov_r_cr)
{
	uint64_t v;

	require_cpl0(c);
	switch (i->reg) {
	case 0: v = c->s.cr0; break;
	case 2: v = c->s.cr2; break;
	case 3: v = c->s.cr3; break;
	case 4: v = c->s.cr4; break;
	case 8:
		if (!c->mode64)
			cpu_raise(c, EXC_UD);
		v = c->s.cr8;
		break;
	default: cpu_raise(c, EXC_UD);
	}
	reg_write(c, i->rm, c->mode64 ? 8 : 4, v);
}

/* CR4 bits this CPU model accepts. */
#define CR4_SUPPORTED                                                       \
	(CR4_TSD | CR4_DE | CR4_PSE | CR4_PAE | CR4_PGE | CR4_PCE |       \
	 CR4_OSFXSR | CR4_OSXMMEXCPT)

/* MOV CR0 (SDM Vol. 3A §2.5, §9.8.5 for entering long mode). */
static void write_cr0(struct cpu *c, uint32_t v)
{
	uint32_t changed = (uint32_t)c->s.cr0 ^ v;

	if (((v & CR0_PG) && !(v & CR0_PE)) ||
	    ((v & CR0_NW) && !(v & CR0_CD)))
		cpu_raise_error(c, EXC_GP, 0);
	if ((changed & CR0_PG) && (v & CR0_PG) &&
	    (c->s.efer & EFER_LME)) {
		/* Entering IA-32e mode: PAE on, and not from 64-bit code. */
		if (!(c->s.cr4 & CR4_PAE) ||
		    (c->s.seg[SEG_CS].attr & SEG_ATTR_L))
			cpu_raise_error(c, EXC_GP, 0);
		c->s.efer |= EFER_LMA;
	}
	if ((changed & CR0_PG) && !(v & CR0_PG) &&
	    (c->s.efer & EFER_LMA)) {
		/* Leaving it: only from compatibility mode. */
		if (c->mode64)
			cpu_raise_error(c, EXC_GP, 0);
		c->s.efer &= ~EFER_LMA;
	}
	c->s.cr0 = (c->s.cr0 & ~0xffffffffull) | v | CR0_ET;
	cpu_mode_changed(c);
	if (changed & (CR0_PG | CR0_WP | CR0_PE))
		tlb_flush(c);
}

static void write_cr4(struct cpu *c, uint32_t v)
{
	uint32_t changed = (uint32_t)c->s.cr4 ^ v;

	if (v & ~CR4_SUPPORTED)
		cpu_raise_error(c, EXC_GP, 0);
	/* PAE cannot be cleared in long mode. */
	if ((c->s.efer & EFER_LMA) && !(v & CR4_PAE))
		cpu_raise_error(c, EXC_GP, 0);
	c->s.cr4 = v;
	/* §4.10.4.1: changing PGE, PAE or PSE flushes everything. */
	if (changed & (CR4_PGE | CR4_PAE | CR4_PSE))
		tlb_flush(c);
}

HANDLER(op_mov_cr_r)
{
	uint64_t v = reg_read(c, i->rm, c->mode64 ? 8 : 4);

	require_cpl0(c);
	switch (i->reg) {
	case 0:
		if (v >> 32)
			cpu_raise_error(c, EXC_GP, 0);
		write_cr0(c, (uint32_t)v);
		break;
	case 2:
		c->s.cr2 = v;
		break;
	case 3:
		/* Bits above the physical width are reserved (§4.5). */
		if (c->mode64 && (v >> 40))
			cpu_raise_error(c, EXC_GP, 0);
		c->s.cr3 = v;
		tlb_flush_nonglobal(c);
		break;
	case 4:
		if (v >> 32)
			cpu_raise_error(c, EXC_GP, 0);
		write_cr4(c, (uint32_t)v);
		break;
	case 8: /* the task-priority register (SDM Vol. 3A §10.8.6.1) */
		if (!c->mode64)
			cpu_raise(c, EXC_UD);
		if (v >> 4)
			cpu_raise_error(c, EXC_GP, 0);
		c->s.cr8 = v;
		break;
	default:
		cpu_raise(c, EXC_UD);
	}
}

/* DR4/DR5 alias DR6/DR7 unless CR4.DE (SDM Vol. 3B §17.2.2). */
static int debug_reg_index(struct cpu *c, int r)
{
	if (r == 4 || r == 5) {
		if (c->s.cr4 & CR4_DE)
			cpu_raise(c, EXC_UD);
		return r + 2;
	}
	return r;
}

HANDLER(op_mov_r_dr)
{
	require_cpl0(c);
	reg_write(c, i->rm, c->mode64 ? 8 : 4,
		  c->s.dr[debug_reg_index(c, i->reg)]);
}

HANDLER(op_mov_dr_r)
{
	int r;
	uint64_t v = reg_read(c, i->rm, c->mode64 ? 8 : 4);

	require_cpl0(c);
	r = debug_reg_index(c, i->reg);
	if (r == 6)
		v = (v & 0xe00fu) | 0xffff0ff0u;
	else if (r == 7)
		v = (v & ~0xd800u) | 0x400;
	c->s.dr[r] = v;
}


HANDLER(op_rdmsr)
{
	uint64_t v;

	(void)i;
	require_cpl0(c);
	v = cpu_msr_read(c, (uint32_t)c->s.gpr[R_CX]);
	c->s.gpr[R_AX] = (uint32_t)v;
	c->s.gpr[R_DX] = (uint32_t)(v >> 32);
}

HANDLER(op_wrmsr)
{
	(void)i;
	require_cpl0(c);
	cpu_msr_write(c, (uint32_t)c->s.gpr[R_CX],
		      ((uint64_t)(uint32_t)c->s.gpr[R_DX] << 32) |
			      (uint32_t)c->s.gpr[R_AX]);
}

/* RDTSCP: the TSC and IA32_TSC_AUX in ECX. */
HANDLER(op_rdtscp)
{
	uint64_t v;

	(void)i;
	if ((c->s.cr4 & CR4_TSD) && c->pe && c->cpl != 0)
		cpu_raise_error(c, EXC_GP, 0);
	v = cpu_tsc_now(c);
	c->s.gpr[R_AX] = (uint32_t)v;
	c->s.gpr[R_DX] = (uint32_t)(v >> 32);
	c->s.gpr[R_CX] = (uint32_t)c->s.msr.tsc_aux;
}

/*
 * RDRAND (SDM Vol. 2 "RDRAND"): always succeeds (CF=1, the other flags
 * clear).  The numbers come from a generator seeded at reset, so a run
 * repeats exactly, as popek's interpreter promises; popek diff feeds one
 * side's value to the other.
 */
HANDLER(op_rdrand)
{
	uint64_t x = c->rdrand_state;

	/* xorshift64* (Vigna): fast, full period, good enough for entropy
	 * that a guest only mixes in. */
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	c->rdrand_state = x;
	reg_write(c, i->rm, i->osz, x * 0x2545f4914f6cdd1dull);
	flags_load(c, FLAG_CF);
}

HANDLER(op_rdtsc)
{
	uint64_t v;

	(void)i;
	if ((c->s.cr4 & CR4_TSD) && c->pe && c->cpl != 0)
		cpu_raise_error(c, EXC_GP, 0);
	v = cpu_tsc_now(c);
	c->s.gpr[R_AX] = (uint32_t)v;
	c->s.gpr[R_DX] = (uint32_t)(v >> 32);
}

HANDLER(op_cpuid)
{
	uint32_t r[4];

	(void)i;
	cpu_cpuid((uint32_t)c->s.gpr[R_AX], (uint32_t)c->s.gpr[R_CX], r);
	c->s.gpr[R_AX] = r[0];
	c->s.gpr[R_BX] = r[1];
	c->s.gpr[R_CX] = r[2];
	c->s.gpr[R_DX] = r[3];
}

HANDLER(op_wait)
{
	(void)i;
	x87_wait(c);
}

/* x87 escapes D8-DF: the FPU (cpu/x87*.c). */
HANDLER(op_fpu_escape)
{
	x87_execute(c, i);
}

/* 0F AE /0 and /1: FXSAVE and FXRSTOR (cpu/fxsave.c). */
HANDLER(op_fxsave)
{
	x87_fxsave(c, i);
}

HANDLER(op_fxrstor)
{
	x87_fxrstor(c, i);
}
