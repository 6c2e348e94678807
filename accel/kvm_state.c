// SPDX-License-Identifier: MIT
/*
 * struct cpu_state in and out of KVM: kvm_regs, kvm_sregs (segments with
 * their hidden parts), kvm_debugregs, kvm_fpu, XCR0, the MSRs cpu_state
 * holds, and kvm_vcpu_events (the interrupt shadow).  The conversions are
 * pure functions, unit-tested without /dev/kvm; the ioctls around them
 * are at the end.  Layouts: Documentation/virt/kvm/api.rst §4.11-4.13
 * (KVM_GET_REGS, KVM_GET_SREGS), §4.22 (KVM_GET_FPU), §4.31
 * (KVM_GET_VCPU_EVENTS), §4.32 (KVM_GET_DEBUGREGS), §4.18 (KVM_GET_MSRS),
 * §4.43 (KVM_GET_XCRS).
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "accel/kvm.h"
#include "cpu/cpu.h"

/* kvm_regs names the registers; cpu_state indexes them in encoding order. */
void kvm_regs_from_state(struct kvm_regs *r, const struct cpu_state *s)
{
	memset(r, 0, sizeof(*r));
	r->rax = s->gpr[R_AX];
	r->rcx = s->gpr[R_CX];
	r->rdx = s->gpr[R_DX];
	r->rbx = s->gpr[R_BX];
	r->rsp = s->gpr[R_SP];
	r->rbp = s->gpr[R_BP];
	r->rsi = s->gpr[R_SI];
	r->rdi = s->gpr[R_DI];
	r->r8 = s->gpr[8];
	r->r9 = s->gpr[9];
	r->r10 = s->gpr[10];
	r->r11 = s->gpr[11];
	r->r12 = s->gpr[12];
	r->r13 = s->gpr[13];
	r->r14 = s->gpr[14];
	r->r15 = s->gpr[15];
	r->rip = s->rip;
	r->rflags = s->rflags | FLAG_FIXED1;
}

void kvm_regs_to_state(const struct kvm_regs *r, struct cpu_state *s)
{
	s->gpr[R_AX] = r->rax;
	s->gpr[R_CX] = r->rcx;
	s->gpr[R_DX] = r->rdx;
	s->gpr[R_BX] = r->rbx;
	s->gpr[R_SP] = r->rsp;
	s->gpr[R_BP] = r->rbp;
	s->gpr[R_SI] = r->rsi;
	s->gpr[R_DI] = r->rdi;
	s->gpr[8] = r->r8;
	s->gpr[9] = r->r9;
	s->gpr[10] = r->r10;
	s->gpr[11] = r->r11;
	s->gpr[12] = r->r12;
	s->gpr[13] = r->r13;
	s->gpr[14] = r->r14;
	s->gpr[15] = r->r15;
	s->rip = r->rip;
	s->rflags = r->rflags;
}

/*
 * cpu_state keeps the attributes in the VMX access-rights layout (SDM
 * Vol. 3C §24.4.1); kvm_segment spells each field out.  KVM takes a
 * segment that is not present as unusable, the VMX notion of a null
 * selector loaded in protected mode; the limit is byte granular in both.
 */
void kvm_segment_from_state(struct kvm_segment *k, const struct segment *s)
{
	memset(k, 0, sizeof(*k));
	k->base = s->base;
	k->limit = s->limit;
	k->selector = s->sel;
	k->type = s->attr & SEG_ATTR_TYPE;
	k->s = (s->attr & SEG_ATTR_S) != 0;
	k->dpl = (s->attr & SEG_ATTR_DPL) >> SEG_ATTR_DPL_SHIFT;
	k->present = (s->attr & SEG_ATTR_P) != 0;
	k->avl = (s->attr & SEG_ATTR_AVL) != 0;
	k->l = (s->attr & SEG_ATTR_L) != 0;
	k->db = (s->attr & SEG_ATTR_DB) != 0;
	k->g = (s->attr & SEG_ATTR_G) != 0;
	k->unusable = !k->present;
}

void kvm_segment_to_state(const struct kvm_segment *k, struct segment *s)
{
	s->base = k->base;
	s->limit = k->limit;
	s->sel = k->selector;
	s->attr = (uint16_t)((k->type & SEG_ATTR_TYPE) | (k->s ? SEG_ATTR_S : 0) |
			     ((k->dpl & 3) << SEG_ATTR_DPL_SHIFT) |
			     (k->present && !k->unusable ? SEG_ATTR_P : 0) |
			     (k->avl ? SEG_ATTR_AVL : 0) |
			     (k->l ? SEG_ATTR_L : 0) |
			     (k->db ? SEG_ATTR_DB : 0) |
			     (k->g ? SEG_ATTR_G : 0));
}

static struct kvm_segment *sregs_seg(struct kvm_sregs *r, int seg)
{
	switch (seg) {
	case SEG_ES:
		return &r->es;
	case SEG_CS:
		return &r->cs;
	case SEG_SS:
		return &r->ss;
	case SEG_DS:
		return &r->ds;
	case SEG_FS:
		return &r->fs;
	default:
		return &r->gs;
	}
}

void kvm_sregs_from_state(struct kvm_sregs *r, const struct cpu_state *s)
{
	memset(r, 0, sizeof(*r));
	for (int seg = 0; seg < SEG_COUNT; seg++)
		kvm_segment_from_state(sregs_seg(r, seg), &s->seg[seg]);
	kvm_segment_from_state(&r->ldt, &s->ldtr);
	kvm_segment_from_state(&r->tr, &s->tr);
	r->gdt.base = s->gdtr.base;
	r->gdt.limit = (uint16_t)s->gdtr.limit;
	r->idt.base = s->idtr.base;
	r->idt.limit = (uint16_t)s->idtr.limit;
	r->cr0 = s->cr0;
	r->cr2 = s->cr2;
	r->cr3 = s->cr3;
	r->cr4 = s->cr4;
	r->cr8 = s->cr8;
	r->efer = s->efer;
	r->apic_base = s->msr.apic_base;
	/* interrupt_bitmap stays empty: no interrupt is half-injected. */
}

void kvm_sregs_to_state(const struct kvm_sregs *r, struct cpu_state *s)
{
	struct kvm_sregs copy = *r;

	for (int seg = 0; seg < SEG_COUNT; seg++)
		kvm_segment_to_state(sregs_seg(&copy, seg), &s->seg[seg]);
	kvm_segment_to_state(&r->ldt, &s->ldtr);
	kvm_segment_to_state(&r->tr, &s->tr);
	s->gdtr.base = r->gdt.base;
	s->gdtr.limit = r->gdt.limit;
	s->idtr.base = r->idt.base;
	s->idtr.limit = r->idt.limit;
	s->cr0 = r->cr0;
	s->cr2 = r->cr2;
	s->cr3 = r->cr3;
	s->cr4 = r->cr4;
	s->cr8 = r->cr8;
	s->efer = r->efer;
	s->msr.apic_base = r->apic_base;
}

/*
 * kvm_fpu is the FXSAVE image spelled out (SDM Vol. 1 §10.5.1), which is
 * also how cpu_state keeps x87/SSE: fpr[i] is ST(i), 10 bytes of 16.
 * FXSAVE's 64-bit form has no FCS/FDS; they are not carried.
 */
void kvm_fpu_from_state(struct kvm_fpu *f, const struct cpu_state *s)
{
	const struct fpu_state *x = &s->fpu;

	memset(f, 0, sizeof(*f));
	for (int i = 0; i < 8; i++) {
		memcpy(&f->fpr[i][0], &x->st[i].mantissa, 8);
		memcpy(&f->fpr[i][8], &x->st[i].sign_exp, 2);
	}
	f->fcw = x->fcw;
	f->fsw = x->fsw;
	f->ftwx = x->ftw;
	f->last_opcode = x->fop;
	f->last_ip = x->fip;
	f->last_dp = x->fdp;
	memcpy(f->xmm, x->xmm, sizeof(f->xmm));
	f->mxcsr = x->mxcsr;
}

void kvm_fpu_to_state(const struct kvm_fpu *f, struct cpu_state *s)
{
	struct fpu_state *x = &s->fpu;

	for (int i = 0; i < 8; i++) {
		memcpy(&x->st[i].mantissa, &f->fpr[i][0], 8);
		memcpy(&x->st[i].sign_exp, &f->fpr[i][8], 2);
	}
	x->fcw = f->fcw;
	x->fsw = f->fsw;
	x->ftw = f->ftwx;
	x->fop = f->last_opcode;
	x->fip = f->last_ip;
	x->fdp = f->last_dp;
	memcpy(x->xmm, f->xmm, sizeof(x->xmm));
	x->mxcsr = f->mxcsr;
}

void kvm_debugregs_from_state(struct kvm_debugregs *d,
			      const struct cpu_state *s)
{
	memset(d, 0, sizeof(*d));
	for (int i = 0; i < 4; i++)
		d->db[i] = s->dr[i];
	d->dr6 = s->dr[6];
	d->dr7 = s->dr[7];
}

void kvm_debugregs_to_state(const struct kvm_debugregs *d,
			    struct cpu_state *s)
{
	for (int i = 0; i < 4; i++)
		s->dr[i] = d->db[i];
	s->dr[6] = d->dr6;
	s->dr[7] = d->dr7;
}

/*
 * The interrupt shadow.  VM entry refuses blocking by STI with IF clear
 * (SDM Vol. 3C §26.3.1.5), so a shadow with IF clear is the MOV SS kind;
 * both hold off the next interrupt for one instruction.  Nothing else is
 * pending when cpu_state is loaded: it has no place for a half-delivered
 * event (kvm_vcpu_state_get reports one).
 */
void kvm_events_from_state(struct kvm_vcpu_events *e,
			   const struct cpu_state *s)
{
	memset(e, 0, sizeof(*e));
	e->flags = KVM_VCPUEVENT_VALID_SHADOW;
	if (s->interrupt_shadow)
		e->interrupt.shadow = (s->rflags & FLAG_IF) ?
					      KVM_X86_SHADOW_INT_STI :
					      KVM_X86_SHADOW_INT_MOV_SS;
}

void kvm_events_to_state(const struct kvm_vcpu_events *e,
			 struct cpu_state *s)
{
	s->interrupt_shadow = e->interrupt.shadow != 0;
}

/*
 * The MSRs cpu_state holds outside the segment bases and sregs come from
 * the CPU's own table (cpu_state_msr); the local APIC's (APIC_BASE,
 * TSC_DEADLINE) belong to popek's APIC model, not to KVM's.
 */
static bool msr_moved_by_kvm(uint32_t index)
{
	return index != 0x1b && index != 0x6e0;
}

uint64_t *kvm_state_msr(struct cpu_state *s, uint32_t index)
{
	return msr_moved_by_kvm(index) ? cpu_state_msr(s, index) : NULL;
}

unsigned kvm_state_msr_candidates(uint32_t *out, unsigned max)
{
	uint32_t all[KVM_STATE_MAX_MSRS];
	unsigned n_all = cpu_state_msr_list(all, KVM_STATE_MAX_MSRS), n = 0;

	for (unsigned i = 0; i < n_all && n < max; i++)
		if (msr_moved_by_kvm(all[i]))
			out[n++] = all[i];
	return n;
}

/* struct kvm_msrs ends in a flexible array: room for every entry. */
struct msr_buffer {
	struct kvm_msrs head;
	struct kvm_msr_entry entries[KVM_STATE_MAX_MSRS];
};

static int msrs_get(struct accel_kvm *k, struct cpu_state *s)
{
	struct msr_buffer b;
	int n;

	memset(&b, 0, sizeof(b));
	b.head.nmsrs = k->msr_count;
	for (unsigned i = 0; i < k->msr_count; i++)
		b.entries[i].index = k->msr_index[i];
	n = ioctl(k->vcpu_fd, KVM_GET_MSRS, &b);
	if (n < 0 || (unsigned)n != k->msr_count) {
		fprintf(stderr, "popek: kvm: KVM_GET_MSRS read %d of %u MSRs\n",
			n, k->msr_count);
		return -1;
	}
	for (unsigned i = 0; i < k->msr_count; i++) {
		uint64_t *slot = kvm_state_msr(s, b.entries[i].index);

		if (slot)
			*slot = b.entries[i].data;
	}
	return 0;
}

static int msrs_set(struct accel_kvm *k, const struct cpu_state *s)
{
	struct cpu_state copy = *s;
	struct msr_buffer b;
	int n;

	memset(&b, 0, sizeof(b));
	b.head.nmsrs = k->msr_count;
	for (unsigned i = 0; i < k->msr_count; i++) {
		b.entries[i].index = k->msr_index[i];
		b.entries[i].data = *kvm_state_msr(&copy, k->msr_index[i]);
	}
	n = ioctl(k->vcpu_fd, KVM_SET_MSRS, &b);
	if (n < 0 || (unsigned)n != k->msr_count) {
		/* KVM stops at the first MSR it refuses (api.rst §4.19). */
		fprintf(stderr,
			"popek: kvm: KVM_SET_MSRS refused MSR %#x = %#llx\n",
			n >= 0 && (unsigned)n < k->msr_count ?
				k->msr_index[n] :
				0,
			n >= 0 && (unsigned)n < k->msr_count ?
				(unsigned long long)b.entries[n].data :
				0ull);
		return -1;
	}
	return 0;
}

/*
 * x87/SSE state through the XSAVE image where KVM has it (api.rst
 * §4.42): measured on kvm_pvm, KVM_SET_FPU before a KVM_RUN lost the
 * XMM registers about one time in 20 (the XSAVE header's XSTATE_BV was
 * left with SSE in its init state, SDM Vol. 1 §13.8.1, so XRSTOR loaded
 * zeros), and KVM_GET_FPU reported MXCSR 0 whatever the guest had; the
 * XSAVE image carries both.  Its first 512 bytes are the FXSAVE image
 * (SDM Vol. 1 §10.5.1, Table 10-2); XSTATE_BV is at byte 512.
 */
#define XSAVE_XSTATE_BV 512

static void fpu_from_fxsave(const uint8_t *b, struct kvm_fpu *f)
{
	memset(f, 0, sizeof(*f));
	memcpy(&f->fcw, b + 0, 2);
	memcpy(&f->fsw, b + 2, 2);
	f->ftwx = b[4];
	memcpy(&f->last_opcode, b + 6, 2);
	memcpy(&f->last_ip, b + 8, 8);
	memcpy(&f->last_dp, b + 16, 8);
	memcpy(&f->mxcsr, b + 24, 4);
	for (int i = 0; i < 8; i++)
		memcpy(f->fpr[i], b + 32 + 16 * i, 16);
	memcpy(f->xmm, b + 160, sizeof(f->xmm));
}

static void fpu_to_fxsave(const struct kvm_fpu *f, uint8_t *b)
{
	uint64_t bv;

	memcpy(b + 0, &f->fcw, 2);
	memcpy(b + 2, &f->fsw, 2);
	b[4] = f->ftwx;
	memcpy(b + 6, &f->last_opcode, 2);
	memcpy(b + 8, &f->last_ip, 8);
	memcpy(b + 16, &f->last_dp, 8);
	memcpy(b + 24, &f->mxcsr, 4);
	for (int i = 0; i < 8; i++)
		memcpy(b + 32 + 16 * i, f->fpr[i], 16);
	memcpy(b + 160, f->xmm, sizeof(f->xmm));
	/* x87 and SSE hold what was written, not their init state. */
	memcpy(&bv, b + XSAVE_XSTATE_BV, 8);
	bv |= 3;
	memcpy(b + XSAVE_XSTATE_BV, &bv, 8);
}

static int fpu_get(struct accel_kvm *k, struct kvm_fpu *f)
{
	struct kvm_xsave x;

	if (!k->has_xsave)
		return kvm_ioctl_checked(k->vcpu_fd, KVM_GET_FPU, f,
					 "KVM_GET_FPU");
	if (kvm_ioctl_checked(k->vcpu_fd, KVM_GET_XSAVE, &x, "KVM_GET_XSAVE"))
		return -1;
	fpu_from_fxsave((const uint8_t *)x.region, f);
	return 0;
}

static int fpu_set(struct accel_kvm *k, const struct kvm_fpu *f)
{
	struct kvm_xsave x;

	if (!k->has_xsave)
		return kvm_ioctl_checked(k->vcpu_fd, KVM_SET_FPU, (void *)f,
					 "KVM_SET_FPU");
	/* The other components (AVX and on) stay as they are. */
	if (kvm_ioctl_checked(k->vcpu_fd, KVM_GET_XSAVE, &x, "KVM_GET_XSAVE"))
		return -1;
	fpu_to_fxsave(f, (uint8_t *)x.region);
	return kvm_ioctl_checked(k->vcpu_fd, KVM_SET_XSAVE, &x,
				 "KVM_SET_XSAVE");
}

/*
 * Returns 0; 1 when KVM holds an event half delivered (an exception or
 * interrupt injected but not yet taken) that cpu_state cannot express;
 * -1 on an ioctl failure (reported).
 */
int kvm_vcpu_state_get(struct accel_kvm *k, struct cpu_state *s)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct kvm_fpu fpu;
	struct kvm_vcpu_events ev;
	int busy;

	if (kvm_ioctl_checked(k->vcpu_fd, KVM_GET_REGS, &regs,
			      "KVM_GET_REGS") ||
	    kvm_ioctl_checked(k->vcpu_fd, KVM_GET_SREGS, &sregs,
			      "KVM_GET_SREGS") ||
	    fpu_get(k, &fpu) ||
	    kvm_ioctl_checked(k->vcpu_fd, KVM_GET_VCPU_EVENTS, &ev,
			      "KVM_GET_VCPU_EVENTS"))
		return -1;
	kvm_regs_to_state(&regs, s);
	kvm_sregs_to_state(&sregs, s);
	kvm_fpu_to_state(&fpu, s);
	kvm_events_to_state(&ev, s);
	if (k->has_debugregs) {
		struct kvm_debugregs dbg;

		if (kvm_ioctl_checked(k->vcpu_fd, KVM_GET_DEBUGREGS, &dbg,
				      "KVM_GET_DEBUGREGS"))
			return -1;
		kvm_debugregs_to_state(&dbg, s);
	}
	if (k->has_xcrs) {
		struct kvm_xcrs xcrs;

		if (kvm_ioctl_checked(k->vcpu_fd, KVM_GET_XCRS, &xcrs,
				      "KVM_GET_XCRS"))
			return -1;
		for (uint32_t i = 0; i < xcrs.nr_xcrs && i < KVM_MAX_XCRS; i++)
			if (xcrs.xcrs[i].xcr == 0)
				s->fpu.xcr0 = xcrs.xcrs[i].value;
	}
	if (msrs_get(k, s))
		return -1;
	s->halted = k->halted;
	busy = ev.exception.injected || ev.exception.pending ||
	       ev.interrupt.injected || ev.nmi.injected;
	for (size_t i = 0; i < sizeof(sregs.interrupt_bitmap) / 8; i++)
		if (sregs.interrupt_bitmap[i])
			busy = 1;
	return busy;
}

int kvm_vcpu_state_set(struct accel_kvm *k, const struct cpu_state *s)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct kvm_fpu fpu;
	struct kvm_vcpu_events ev;

	kvm_regs_from_state(&regs, s);
	kvm_sregs_from_state(&sregs, s);
	kvm_fpu_from_state(&fpu, s);
	kvm_events_from_state(&ev, s);
	/*
	 * sregs first: KVM checks RFLAGS and the shadow against the mode
	 * (long mode before 64-bit RIP, IF before the STI shadow).
	 */
	if (kvm_ioctl_checked(k->vcpu_fd, KVM_SET_SREGS, &sregs,
			      "KVM_SET_SREGS") ||
	    kvm_ioctl_checked(k->vcpu_fd, KVM_SET_REGS, &regs,
			      "KVM_SET_REGS") ||
	    fpu_set(k, &fpu) ||
	    kvm_ioctl_checked(k->vcpu_fd, KVM_SET_VCPU_EVENTS, &ev,
			      "KVM_SET_VCPU_EVENTS"))
		return -1;
	if (k->has_debugregs) {
		struct kvm_debugregs dbg;

		kvm_debugregs_from_state(&dbg, s);
		if (kvm_ioctl_checked(k->vcpu_fd, KVM_SET_DEBUGREGS, &dbg,
				      "KVM_SET_DEBUGREGS"))
			return -1;
	}
	/* XCR0 bit 0 (x87) is always set; 0 means "never written". */
	if (k->has_xcrs && (s->fpu.xcr0 & 1)) {
		struct kvm_xcrs xcrs;

		memset(&xcrs, 0, sizeof(xcrs));
		xcrs.nr_xcrs = 1;
		xcrs.xcrs[0].xcr = 0;
		xcrs.xcrs[0].value = s->fpu.xcr0;
		if (kvm_ioctl_checked(k->vcpu_fd, KVM_SET_XCRS, &xcrs,
				      "KVM_SET_XCRS"))
			return -1;
	}
	if (msrs_set(k, s))
		return -1;
	/*
	 * KVM adds its single-step TF back to the RFLAGS that KVM_SET_REGS
	 * loads only while RIP is where KVM_SET_GUEST_DEBUG found it
	 * (singlestep_rip in arch/x86/kvm/x86.c); code the processor runs
	 * itself (kvm_pvm: 64-bit CPL 3) then ran on unstepped.  So the
	 * stepping is loaded again.
	 */
	if (k->stepping) {
		k->stepping = false;
		if (kvm_guest_debug_load(k, k->dbg.count_step) < 0)
			return -1;
	}
	k->halted = s->halted;
	k->ready_known = true;
	k->ready = (s->rflags & FLAG_IF) && !s->interrupt_shadow;
	return 0;
}
