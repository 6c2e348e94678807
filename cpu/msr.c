// SPDX-License-Identifier: MIT
/*
 * Model-specific registers (SDM Vol. 4): the plain-storage ones through a
 * table shared with the KVM engine, and the few with side effects (TSC,
 * EFER, the FS/GS bases, APIC_BASE, MTRRCAP).
 */
#include <stddef.h>

#include "cpu/ops.h"
#include "machine/machine.h"


enum {
	MSR_TSC = 0x10,
	MSR_BIOS_SIGN_ID = 0x8b,
	MSR_MTRRCAP = 0xfe,
	MSR_APIC_BASE = 0x1b,
	MSR_EFER = 0xc0000080,
	MSR_FS_BASE = 0xc0000100,
	MSR_GS_BASE = 0xc0000101,
};

uint64_t cpu_tsc_now(struct cpu *c)
{
	return c->m->clock.cycles + c->tsc_offset;
}

/*
 * The MSRs that struct cpu_state keeps as plain fields (SDM Vol. 4 ch. 2).
 * The engines share this table: the interpreter to read and write them,
 * the KVM engine to move them in and out of the vCPU.
 */
static const struct msr_field {
	uint32_t index;
	size_t offset;
} msr_fields[] = {
	{ 0x10, offsetof(struct cpu_state, msr.tsc) },
	{ 0x1b, offsetof(struct cpu_state, msr.apic_base) },
	{ 0x174, offsetof(struct cpu_state, msr.sysenter_cs) },
	{ 0x175, offsetof(struct cpu_state, msr.sysenter_esp) },
	{ 0x176, offsetof(struct cpu_state, msr.sysenter_eip) },
	{ 0x1a0, offsetof(struct cpu_state, msr.misc_enable) },
	{ 0x277, offsetof(struct cpu_state, msr.pat) },
	{ 0x2ff, offsetof(struct cpu_state, msr.mtrr_def_type) },
	{ 0x250, offsetof(struct cpu_state, msr.mtrr_fixed[0]) },
	{ 0x258, offsetof(struct cpu_state, msr.mtrr_fixed[1]) },
	{ 0x259, offsetof(struct cpu_state, msr.mtrr_fixed[2]) },
	{ 0x268, offsetof(struct cpu_state, msr.mtrr_fixed[3]) },
	{ 0x269, offsetof(struct cpu_state, msr.mtrr_fixed[4]) },
	{ 0x26a, offsetof(struct cpu_state, msr.mtrr_fixed[5]) },
	{ 0x26b, offsetof(struct cpu_state, msr.mtrr_fixed[6]) },
	{ 0x26c, offsetof(struct cpu_state, msr.mtrr_fixed[7]) },
	{ 0x26d, offsetof(struct cpu_state, msr.mtrr_fixed[8]) },
	{ 0x26e, offsetof(struct cpu_state, msr.mtrr_fixed[9]) },
	{ 0x26f, offsetof(struct cpu_state, msr.mtrr_fixed[10]) },
	{ 0x6e0, offsetof(struct cpu_state, msr.tsc_deadline) },
	{ 0xc0000081, offsetof(struct cpu_state, msr.star) },
	{ 0xc0000082, offsetof(struct cpu_state, msr.lstar) },
	{ 0xc0000083, offsetof(struct cpu_state, msr.cstar) },
	{ 0xc0000084, offsetof(struct cpu_state, msr.sfmask) },
	{ 0xc0000102, offsetof(struct cpu_state, msr.kernel_gs_base) },
	{ 0xc0000103, offsetof(struct cpu_state, msr.tsc_aux) },
};

#define MSR_FIELDS (sizeof(msr_fields) / sizeof(msr_fields[0]))
#define MSR_MTRR_VAR_FIRST 0x200u
#define MSR_MTRR_VAR_COUNT 16u

uint64_t *cpu_state_msr(struct cpu_state *s, uint32_t index)
{
	if (index >= MSR_MTRR_VAR_FIRST &&
	    index < MSR_MTRR_VAR_FIRST + MSR_MTRR_VAR_COUNT)
		return &s->msr.mtrr_var[index - MSR_MTRR_VAR_FIRST];
	for (size_t k = 0; k < MSR_FIELDS; k++)
		if (msr_fields[k].index == index)
			return (uint64_t *)((char *)s + msr_fields[k].offset);
	return NULL;
}

unsigned cpu_state_msr_list(uint32_t *out, unsigned max)
{
	unsigned n = 0;

	for (size_t k = 0; k < MSR_FIELDS && n < max; k++)
		out[n++] = msr_fields[k].index;
	for (uint32_t k = 0; k < MSR_MTRR_VAR_COUNT && n < max; k++)
		out[n++] = MSR_MTRR_VAR_FIRST + k;
	return n;
}

/* An MSR this model does not have is #GP(0), as on hardware. */
static uint64_t *msr_slot(struct cpu *c, uint32_t index)
{
	uint64_t *slot = cpu_state_msr(&c->s, index);

	if (!slot)
		cpu_raise_error(c, EXC_GP, 0);
	return slot;
}

uint64_t cpu_msr_read(struct cpu *c, uint32_t index)
{
	switch (index) {
	case MSR_TSC:
		return cpu_tsc_now(c);
	case MSR_MTRRCAP: /* 8 variable ranges, fixed ranges, WC */
		return 0x508;
	case MSR_BIOS_SIGN_ID:
		return 0; /* microcode revision 0: popek runs no microcode */
	case MSR_EFER:
		return c->s.efer;
	case MSR_FS_BASE:
		return c->s.seg[SEG_FS].base;
	case MSR_GS_BASE:
		return c->s.seg[SEG_GS].base;
	default:
		return *msr_slot(c, index);
	}
}

/* EFER (SDM Vol. 3A §2.2.1): LMA is read-only, LME cannot change while
 * paging is on. */
static void write_efer(struct cpu *c, uint64_t v)
{
	uint64_t writable = EFER_SCE | EFER_LME | EFER_NXE;

	if (v & ~(writable | EFER_LMA))
		cpu_raise_error(c, EXC_GP, 0);
	if ((c->s.cr0 & CR0_PG) && ((v ^ c->s.efer) & EFER_LME))
		cpu_raise_error(c, EXC_GP, 0);
	c->s.efer = (c->s.efer & EFER_LMA) | (v & writable);
	tlb_flush(c);
}

void cpu_msr_write(struct cpu *c, uint32_t index, uint64_t v)
{
	switch (index) {
	case MSR_TSC:
		c->tsc_offset = v - c->m->clock.cycles;
		break;
	case MSR_MTRRCAP:
		cpu_raise_error(c, EXC_GP, 0);
	case MSR_BIOS_SIGN_ID:
		break; /* software clears it before CPUID (SDM Vol. 3A §9.11.7) */
	case MSR_EFER:
		write_efer(c, v);
		break;
	case MSR_APIC_BASE:
		/* Only BSP (8), the global enable (11) and the base up to
		 * the 40-bit physical width; x2APIC (10) is not modelled. */
		if (v & ~0xfffffff900ull)
			cpu_raise_error(c, EXC_GP, 0);
		c->s.msr.apic_base = v;
		machine_apic_base_write(c->m, v);
		break;
	case MSR_FS_BASE:
	case MSR_GS_BASE:
		/* Canonical or #GP (SDM Vol. 4 Table 2-2); the access
		 * check caches the base too. */
		if (!canonical(v))
			cpu_raise_error(c, EXC_GP, 0);
		c->s.seg[index == MSR_FS_BASE ? SEG_FS : SEG_GS].base = v;
		seg_update_check(c, index == MSR_FS_BASE ? SEG_FS : SEG_GS);
		break;
	default:
		*msr_slot(c, index) = v;
		break;
	}
}
