// SPDX-License-Identifier: MIT
/*
 * Counting instructions under KVM.  Hardware runs the guest without
 * counting, so where popek needs a count (-max-insns, -switch-at N) the
 * engine single-steps: KVM_SET_GUEST_DEBUG with KVM_GUESTDBG_SINGLESTEP
 * (api.rst §4.59) gives one KVM_EXIT_DEBUG per instruction.
 *
 * Two behaviours are handled (../shared/kvm-host.md):
 *  - An IN/OUT (or MMIO access) exits to userspace.  Ordinary KVM reports
 *    its single-step exit when the access completes; kvm_pvm reports none
 *    and stops after the following instruction instead.  So the access
 *    counts one instruction at its own exit, and is completed at once
 *    with immediate_exit, where a debug exit it causes is not counted
 *    again.
 *  - kvm_pvm single-steps over HLT as if it were a NOP.  There, before
 *    each step the engine looks at the next instruction and performs an
 *    HLT itself.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "accel/kvm.h"
#include "machine/machine.h"

/* The debugger may want stepping or debug registers too (kvm_debug.c). */
int kvm_step_set(struct accel_kvm *k, bool on)
{
	return kvm_guest_debug_load(k, on);
}

void kvm_step_after_debug(struct accel_kvm *k)
{
	k->stats.steps++;
}

int kvm_step_after_io(struct accel_kvm *k, struct machine *m)
{
	k->stats.steps++;
	return kvm_complete_pending(k, m) < 0 ? -1 : 0;
}

/* The first byte of the next instruction, or -1 when it is not in RAM. */
static int next_opcode(struct accel_kvm *k, struct machine *m,
		       const struct kvm_regs *regs,
		       const struct kvm_sregs *sregs)
{
	struct kvm_translation tr;
	const struct mem_region *r;
	uint64_t linear = sregs->cs.base + regs->rip;

	if (!(sregs->efer & EFER_LMA) || !sregs->cs.l)
		linear &= 0xffffffffull;
	memset(&tr, 0, sizeof(tr));
	tr.linear_address = linear;
	if (ioctl(k->vcpu_fd, KVM_TRANSLATE, &tr) < 0 || !tr.valid)
		return -1;
	r = mem_lookup(m, tr.physical_address);
	if (!r || r->kind == MEM_MMIO)
		return -1;
	return r->host[tr.physical_address - r->base];
}

/*
 * kvm_pvm: HLT under single-step would not stop the guest.  Perform it
 * here: RIP past the HLT, the vCPU halted, one instruction counted.  At
 * CPL > 0 HLT faults, so KVM runs it.
 */
bool kvm_step_before(struct accel_kvm *k, struct machine *m,
		     enum stop_reason *why)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct kvm_vcpu_events ev;
	bool protected_mode;

	if (!k->step_hlt_quirk)
		return false;
	if (ioctl(k->vcpu_fd, KVM_GET_REGS, &regs) < 0 ||
	    ioctl(k->vcpu_fd, KVM_GET_SREGS, &sregs) < 0)
		return false;
	protected_mode = (sregs.cr0 & CR0_PE) != 0;
	if (protected_mode && (sregs.cs.dpl != 0 || (regs.rflags & FLAG_VM)))
		return false;
	if (next_opcode(k, m, &regs, &sregs) != 0xf4)
		return false;
	regs.rip += 1;
	if (ioctl(k->vcpu_fd, KVM_SET_REGS, &regs) < 0)
		return false;
	/* The HLT retires: an STI or MOV SS shadow it sat in ends. */
	if (ioctl(k->vcpu_fd, KVM_GET_VCPU_EVENTS, &ev) == 0 &&
	    ev.interrupt.shadow) {
		ev.interrupt.shadow = 0;
		ev.flags = KVM_VCPUEVENT_VALID_SHADOW;
		ioctl(k->vcpu_fd, KVM_SET_VCPU_EVENTS, &ev);
	}
	k->stats.steps++;
	k->halted = true;
	k->ready_known = true;
	k->ready = (regs.rflags & FLAG_IF) != 0;
	*why = STOP_HALT;
	return true;
}
