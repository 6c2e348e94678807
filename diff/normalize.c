// SPDX-License-Identifier: MIT
/*
 * What the two engines may legitimately report differently, made equal
 * before the comparison (side 1 takes side 0's value):
 *
 *  - RFLAGS bits the SDM leaves undefined for the instruction just run
 *    (undefined_flags.c), and RF, which single-stepping under KVM may
 *    leave set (SDM Vol. 3B §17.3.1.1);
 *  - BSF/BSR's destination when the source was 0 (SDM Vol. 2A: "the
 *    content of the destination operand is undefined");
 *  - segment attributes: the accessed bit of the type (the interpreter
 *    sets it in the cache at every load, KVM reports what VMX keeps),
 *    and everything but the selector of a segment that is not usable
 *    (VMX "unusable", SDM Vol. 3C §24.4.1; KVM leaves stale bits);
 *  - the TSC MSR (host time under KVM), DR6 (the single-step machinery
 *    writes BS), and the x87 FIP/FDP/FOP/FCS/FDS, which AMD processors
 *    save only while an unmasked exception is pending (AMD APM Vol. 5,
 *    FXSAVE), so KVM on an AMD host reports zeros;
 *  - on kvm_pvm only, the known differences of that host (quirks).
 */
#include "diff/diff.h"

static void normalize_segment(struct segment *a, struct segment *b)
{
	bool a_usable = a->attr & SEG_ATTR_P, b_usable = b->attr & SEG_ATTR_P;

	if (!a_usable && !b_usable) {
		a->attr = b->attr = 0;
		a->base = b->base = 0;
		a->limit = b->limit = 0;
		return;
	}
	/* Code and data segments: the accessed bit. */
	if ((a->attr & SEG_ATTR_S) && (b->attr & SEG_ATTR_S)) {
		a->attr &= (uint16_t)~SEG_ATTR_ACCESSED;
		b->attr &= (uint16_t)~SEG_ATTR_ACCESSED;
	}
}

/*
 * Real mode: the hidden attributes are whatever the last protected-mode
 * load or reset left (SDM Vol. 3A §20.1.1); only base and limit act.
 */
static void normalize_real_mode(struct cpu_state s[SIDE_COUNT])
{
	for (int seg = 0; seg < SEG_COUNT; seg++) {
		s[0].seg[seg].attr = 0;
		s[1].seg[seg].attr = 0;
	}
}

void diff_normalize(struct cpu_state s[SIDE_COUNT], const struct diff_insn *i,
		    unsigned quirks)
{
	uint64_t undef = FLAG_RF | (i ? diff_undefined_flags(i) : 0);
	int reg;

	s[1].rflags = (s[1].rflags & ~undef) | (s[0].rflags & undef);
	if (i && diff_insn_dest_undefined_if_zf(i, &reg) &&
	    (s[0].rflags & FLAG_ZF) && (s[1].rflags & FLAG_ZF))
		s[1].gpr[reg] = s[0].gpr[reg];
	for (int seg = 0; seg < SEG_COUNT; seg++)
		normalize_segment(&s[0].seg[seg], &s[1].seg[seg]);
	normalize_segment(&s[0].ldtr, &s[1].ldtr);
	if (!(s[0].cr0 & CR0_PE) && !(s[1].cr0 & CR0_PE))
		normalize_real_mode(s);
	s[1].msr.tsc = s[0].msr.tsc;
	s[1].dr[6] = s[0].dr[6];
	s[1].fpu.fip = s[0].fpu.fip;
	s[1].fpu.fdp = s[0].fpu.fdp;
	s[1].fpu.fop = s[0].fpu.fop;
	s[1].fpu.fcs = s[0].fpu.fcs;
	s[1].fpu.fds = s[0].fpu.fds;
	/*
	 * kvm_pvm: KVM_GET_FPU gives MXCSR 0 whatever the guest loaded
	 * (tests/kvm/known-differences, sse.asm); the value KVM runs
	 * with cannot be seen, so it is not compared there.
	 */
	if ((quirks & DIFF_QUIRK_PVM_MXCSR) && s[1].fpu.mxcsr == 0)
		s[1].fpu.mxcsr = s[0].fpu.mxcsr;
}
