// SPDX-License-Identifier: MIT
/*
 * What the two engines may legitimately report differently, made equal
 * before the comparison (side 1 takes side 0's value):
 *
 *  - RFLAGS bits the SDM leaves undefined for the instruction just run
 *    (undefined_flags.c), and RF, which single-stepping under KVM may
 *    leave set (SDM Vol. 3B §17.3.1.1);
 *  - BSF/BSR's destination when the source was 0 (SDM Vol. 2A: "the
 *    content of the destination operand is undefined"), and SHLD/SHRD's
 *    of a 16-bit operand shifted by more than 16 (Vol. 2B);
 *  - segment attributes: the accessed bit of the type (the interpreter
 *    sets it in the cache at every load, KVM reports what VMX keeps),
 *    and everything but the selector of a segment that is not usable
 *    (VMX "unusable", SDM Vol. 3C §24.4.1; KVM leaves stale bits);
 *  - the TSC MSR (host time under KVM), DR6 (the single-step machinery
 *    writes BS), and the x87 FIP/FDP/FOP/FCS/FDS, which AMD processors
 *    save only while an unmasked exception is pending (AMD APM Vol. 5,
 *    FXSAVE), so KVM on an AMD host reports zeros;
 *  - on kvm_pvm only, the known differences of that host (quirks:
 *    diff_quirk_flags).
 */
#include <cpuid.h>
#include <unistd.h>

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

/*
 * kvm_pvm's instruction emulator sets AAD's SF and ZF from the 16-bit
 * AX it computes rather than from AL (SDM Vol. 2A AAD: "The SF, ZF, and
 * PF flags are set according to the resulting binary value in the AL
 * register"); seen in every ring-0 random campaign in 16- and 32-bit
 * mode.  64-bit user code runs on the processor, where AAD is invalid.
 */
uint64_t diff_quirk_flags(const struct diff_insn *i, unsigned quirks)
{
	if ((quirks & DIFF_QUIRK_PVM_AAD) && i->map == 0 && i->opcode == 0xd5)
		return FLAG_SF | FLAG_ZF;
	return 0;
}

/*
 * CMPXCHG r32 in 64-bit mode when the comparison fails: the SDM (Vol.
 * 2A CMPXCHG: "the destination operand is written back if the
 * comparison fails") and the interpreter write the destination, which
 * zero-extends it (Vol. 1 §3.4.1.1); AMD processors leave it alone, so
 * its upper half stays (measured on this project's AMD EPYC hosts in
 * 64-bit user mode, where kvm_pvm runs the processor itself).
 */
bool diff_quirk_regs(const struct diff_insn *i, const struct cpu_state *a,
		     struct cpu_state *b, unsigned quirks)
{
	int reg;

	if (!(quirks & DIFF_QUIRK_AMD_CMPXCHG) || i->map != 1 ||
	    i->opcode != 0xb1 || (i->modrm >> 6) != 3 || i->bits != 64 ||
	    (i->rex & 8) || i->opsize || (a->rflags & FLAG_ZF))
		return false;
	reg = (i->modrm & 7) | ((i->rex & 1) ? 8 : 0);
	if (a->gpr[reg] == b->gpr[reg] ||
	    (uint32_t)a->gpr[reg] != (uint32_t)b->gpr[reg])
		return false;
	b->gpr[reg] = a->gpr[reg];
	return true;
}

unsigned diff_host_quirks(void)
{
	unsigned q = 0, eax, ebx, ecx, edx;

	if (access("/sys/module/kvm_pvm", F_OK) == 0)
		q |= DIFF_QUIRK_PVM_AAD;
	/* "AuthenticAMD" in EBX EDX ECX of leaf 0. */
	if (__get_cpuid(0, &eax, &ebx, &ecx, &edx) && ebx == 0x68747541 &&
	    edx == 0x69746e65 && ecx == 0x444d4163)
		q |= DIFF_QUIRK_AMD_CMPXCHG;
	return q;
}

void diff_normalize(struct cpu_state s[SIDE_COUNT], const struct diff_insn *i,
		    const struct cpu_state *before, unsigned quirks)
{
	uint64_t undef = FLAG_RF | (i ? diff_undefined_flags(i, before) |
					       diff_quirk_flags(i, quirks) :
					0);
	int reg;

	s[1].rflags = (s[1].rflags & ~undef) | (s[0].rflags & undef);
	if (i && diff_insn_dest_undefined_if_zf(i, &reg) &&
	    (s[0].rflags & FLAG_ZF) && (s[1].rflags & FLAG_ZF))
		s[1].gpr[reg] = s[0].gpr[reg];
	if (i)
		diff_quirk_regs(i, &s[0], &s[1], quirks);
	if (i && diff_insn_dest_undefined(i, before, &reg) && reg >= 0)
		s[1].gpr[reg] = (s[1].gpr[reg] & ~0xffffull) |
				(s[0].gpr[reg] & 0xffff);
	/*
	 * 64-bit mode with a null SS (an interrupt or call that changed
	 * the CPL loads one, SDM Vol. 3A §6.14.2): the hidden part is not
	 * used; the interpreter keeps a flat one, KVM reports it unusable.
	 */
	if (diff_code_bits(&s[0]) == 64 && diff_code_bits(&s[1]) == 64 &&
	    !(s[0].seg[SEG_SS].sel & ~3) && !(s[1].seg[SEG_SS].sel & ~3)) {
		for (int side = 0; side < SIDE_COUNT; side++) {
			s[side].seg[SEG_SS].base = 0;
			s[side].seg[SEG_SS].limit = 0;
			s[side].seg[SEG_SS].attr = 0;
		}
	}
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
}
