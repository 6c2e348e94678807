// SPDX-License-Identifier: MIT
/*
 * Fast system calls (SDM Vol. 2: SYSCALL, SYSRET, SYSENTER, SYSEXIT,
 * SWAPGS): flat segments loaded from MSRs without descriptor reads.
 */
#include "cpu/ops.h"

/* A flat 4 GiB segment as these instructions load it. */
static void load_flat(struct cpu *c, int seg, uint16_t sel, int dpl,
		      bool code, bool long64)
{
	struct segment *s = &c->s.seg[seg];

	s->sel = sel;
	s->base = 0;
	s->limit = 0xffffffffu;
	s->attr = SEG_ATTR_P | SEG_ATTR_S | SEG_ATTR_G | SEG_ATTR_ACCESSED |
		  (uint16_t)(dpl << SEG_ATTR_DPL_SHIFT) |
		  (code ? 0xa : 0x2) |
		  (long64 ? SEG_ATTR_L : SEG_ATTR_DB);
}

static void after_switch(struct cpu *c, int cpl)
{
	cpu_set_cpl(c, cpl);
	cpu_mode_changed(c);
}

/* SYSCALL: 64-bit mode only on this (Intel) model. */
HANDLER(op_syscall)
{
	uint64_t star = c->s.msr.star;
	uint16_t sel = (uint16_t)(star >> 32) & 0xfffc;
	uint32_t flags = cpu_flags(c);

	(void)i;
	if (!(c->s.efer & EFER_SCE) || !c->mode64)
		cpu_raise(c, EXC_UD);
	c->s.gpr[R_CX] = c->next_rip;
	c->s.gpr[R_R8 + 3] = flags & ~(uint32_t)FLAG_RF; /* R11 */
	load_flat(c, SEG_CS, sel, 0, true, true);
	load_flat(c, SEG_SS, (uint16_t)(sel + 8), 0, false, false);
	cpu_set_flags(c, 0, ((uint32_t)c->s.msr.sfmask | FLAG_RF));
	after_switch(c, 0);
	c->next_rip = c->s.msr.lstar;
}

HANDLER(op_sysret)
{
	uint16_t base = (uint16_t)(c->s.msr.star >> 48);
	bool to64 = i->osz == 8;
	uint64_t rip = to64 ? c->s.gpr[R_CX] : (uint32_t)c->s.gpr[R_CX];

	if (!(c->s.efer & EFER_SCE) || !c->mode64)
		cpu_raise(c, EXC_UD);
	if (c->cpl != 0 || !canonical(rip))
		cpu_raise_error(c, EXC_GP, 0);
	load_flat(c, SEG_CS, (uint16_t)((to64 ? base + 16 : base) | 3), 3,
		  true, to64);
	load_flat(c, SEG_SS, (uint16_t)((base + 8) | 3), 3, false, false);
	cpu_set_flags(c, (uint32_t)c->s.gpr[R_R8 + 3] & 0x3c7fd7u,
		      0x3f7fd7u);
	after_switch(c, 3);
	c->next_rip = rip;
}

HANDLER(op_sysenter)
{
	uint16_t cs = (uint16_t)c->s.msr.sysenter_cs;
	bool lma = (c->s.efer & EFER_LMA) != 0;

	(void)i;
	if (!c->pe || (cs & 0xfffc) == 0)
		cpu_raise_error(c, EXC_GP, 0);
	cpu_set_flags(c, 0, FLAG_VM | FLAG_IF | FLAG_RF);
	load_flat(c, SEG_CS, cs & 0xfffc, 0, true, lma);
	load_flat(c, SEG_SS, (uint16_t)((cs & 0xfffc) + 8), 0, false, false);
	after_switch(c, 0);
	c->s.gpr[R_SP] = lma ? c->s.msr.sysenter_esp
			     : (uint32_t)c->s.msr.sysenter_esp;
	c->next_rip = lma ? c->s.msr.sysenter_eip
			  : (uint32_t)c->s.msr.sysenter_eip;
}

HANDLER(op_sysexit)
{
	uint16_t cs = (uint16_t)c->s.msr.sysenter_cs;
	bool to64 = i->osz == 8;

	if (!c->pe || (cs & 0xfffc) == 0 || c->cpl != 0)
		cpu_raise_error(c, EXC_GP, 0);
	if (to64 && !canonical(c->s.gpr[R_DX]))
		cpu_raise_error(c, EXC_GP, 0);
	load_flat(c, SEG_CS, (uint16_t)((cs + (to64 ? 32 : 16)) | 3), 3, true,
		  to64);
	load_flat(c, SEG_SS, (uint16_t)((cs + (to64 ? 40 : 24)) | 3), 3,
		  false, false);
	after_switch(c, 3);
	c->s.gpr[R_SP] = to64 ? c->s.gpr[R_CX] : (uint32_t)c->s.gpr[R_CX];
	c->next_rip = to64 ? c->s.gpr[R_DX] : (uint32_t)c->s.gpr[R_DX];
}

/* SWAPGS (0F 01 F8): exchange GS.base and IA32_KERNEL_GS_BASE. */
HANDLER(op_swapgs)
{
	uint64_t t = c->s.seg[SEG_GS].base;

	(void)i;
	if (c->cpl != 0)
		cpu_raise_error(c, EXC_GP, 0);
	c->s.seg[SEG_GS].base = c->s.msr.kernel_gs_base;
	c->s.msr.kernel_gs_base = t;
	seg_update_check(c, SEG_GS);
}
