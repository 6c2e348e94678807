/* SPDX-License-Identifier: MIT */
/*
 * The KVM engine's own state, shared by its files: kvm.c (the VM and the
 * vCPU), kvm_memory.c (memory slots), kvm_state.c (struct cpu_state in
 * and out), kvm_cpuid.c, kvm_run.c (the exit loop), kvm_step.c (counting
 * instructions by single-stepping), kvm_stats.c.  See docs/kvm.md.
 */
#ifndef POPEK_ACCEL_KVM_H
#define POPEK_ACCEL_KVM_H

#include <linux/kvm.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "accel/accel.h"
#include "cpu/state.h"
#include "debugger/debug_config.h"

struct machine;

/* One KVM memory slot: whole pages of a RAM or ROM region. */
struct kvm_slot {
	uint64_t gpa, size;
	void *host;
	bool readonly;
};

#define KVM_MAX_SLOTS 64
/* Distinct MMIO addresses counted one by one for -stats. */
#define KVM_MMIO_STATS 64

struct kvm_mmio_count {
	uint64_t addr;
	uint64_t reads, writes;
};

struct kvm_stats {
	uint64_t exits; /* KVM_RUN returns */
	uint64_t by_reason[64]; /* indexed by exit_reason, when < 64 */
	uint64_t other_reason;
	uint64_t *io_by_port; /* 65536 entries: exits, not items */
	struct kvm_mmio_count mmio[KVM_MMIO_STATS];
	unsigned mmio_used;
	uint64_t mmio_other;
	uint64_t injected_irqs, injected_nmis;
	uint64_t slot_rebuilds;
	uint64_t interp_steps; /* instructions KVM could not emulate */
	uint64_t steps; /* instructions counted by single-stepping */
	uint64_t run_ns; /* host time inside the engine's run */
};

/* Failures at one instruction in a row before KVM is given up. */
#define KVM_INTERP_REPEATS_MAX 200
/* Failures anywhere with no I/O, HLT or interrupt in between. */
#define KVM_INTERP_NO_PROGRESS_MAX 5000

/* MSRs that cpu_state holds and KVM accepts (KVM_GET_MSR_INDEX_LIST). */
#define KVM_STATE_MAX_MSRS 48

/* The debugger's configuration as loaded into KVM (kvm_debug.c). */
struct kvm_debug {
	const struct debug_config *cfg; /* attached and enabled; or NULL */
	bool step; /* single-step, before_insn before each instruction */
	unsigned slots; /* DR0-DR3 in use */
	uint64_t slot_addr[DEBUG_HW_SLOTS];
	int slot_watch[DEBUG_HW_SLOTS]; /* cfg->hw_watch index; -1: execute */
	uint64_t dr7;
	bool dirty; /* KVM_SET_GUEST_DEBUG is due */
	bool hw_loaded; /* KVM holds slot_addr and dr7 */
	/* At the next entry, step over an instruction breakpoint at RIP. */
	bool check_pc;
	bool stepping_over; /* one step with the breakpoints at skip_pc off */
	uint64_t skip_pc;
	bool count_step; /* what kvm_step_set last asked */
	/*
	 * Instructions retired (steps + interp_steps) when before_insn was
	 * last asked: an exit that retired none (a signal, an interrupt
	 * window) must not ask again for the same instruction.
	 */
	bool asked;
	uint64_t asked_at;
	/*
	 * kvm_pvm: data breakpoints do not fire in the code KVM emulates,
	 * so watches single-step and compare the bytes (kvm_debug.c).
	 */
	bool compare_watch;
	uint64_t seen[DEBUG_HW_SLOTS];
	unsigned noted; /* debug_need bits already explained to the user */
};

struct accel_kvm {
	int sys_fd, vm_fd, vcpu_fd;
	struct kvm_run *run;
	size_t run_size;

	/* What this KVM offers. */
	bool has_xcrs, has_debugregs, has_xsave;
	/*
	 * The host virtualizes paging with shadow page tables that miss
	 * writes to guest page tables from outside the guest (kvm_pvm:
	 * ../shared/kvm-host.md): re-create the slots after such writes.
	 */
	bool shadow_stale_quirk;
	/* kvm_pvm: under single-step HLT does not stop the guest. */
	bool step_hlt_quirk;
	uint32_t msr_index[KVM_STATE_MAX_MSRS];
	unsigned msr_count;

	/* Memory slots over the machine's own host mappings. */
	struct kvm_slot slots[KVM_MAX_SLOTS];
	unsigned slot_count;
	uint64_t map_generation; /* m->map.generation the slots reflect */
	uint64_t ram_writes_seen; /* m->map.ram_writes at the last check */
	bool slots_stale; /* re-create before the next KVM_RUN */
	void *rom_copies[KVM_MAX_SLOTS]; /* page-aligned copies of ROMs */
	size_t rom_copy_size[KVM_MAX_SLOTS];
	unsigned rom_copy_count;

	/* The run bound: a one-shot timer whose signal sets immediate_exit. */
	timer_t kick_timer;
	bool kick_timer_made;

	/* vCPU conditions the kvm_run page does not show. */
	bool halted; /* KVM_EXIT_HLT seen, no interrupt taken since */
	bool io_pending; /* an I/O or MMIO exit awaits completion */
	bool ready_known; /* run->ready_for_interrupt_injection is current */
	bool ready; /* what it says, or what state_set implies */

	/* Instructions the interpreter ran for KVM, to see a livelock. */
	uint64_t interp_rip;
	uint16_t interp_cs;
	unsigned interp_repeats;
	unsigned interp_since_progress;
	/* The guest TSC runs at the virtual CPU's rate (KVM_SET_TSC_KHZ). */
	bool tsc_scaled;

	/* Single-stepping (instruction counting, or the debugger). */
	bool stepping;
	struct kvm_debug dbg;
	/* RAM slots log dirty pages (accel_ops.dirty_log, diff/). */
	bool dirty_logging;

	struct kvm_stats stats;
};

/* kvm.c */
/* Start the engine for m; 0, or -1 with the reason in why. */
int kvm_start(struct machine *m, char *why, size_t len);
int kvm_ioctl_checked(int fd, unsigned long req, void *arg, const char *what);

/* kvm_memory.c */
int kvm_memory_sync(struct accel_kvm *k, struct machine *m);
/* accel_ops.dirty_log: RAM pages the guest wrote (KVM_GET_DIRTY_LOG). */
int kvm_dirty_log(struct machine *m, uint64_t *bitmap, uint64_t pages);
void kvm_memory_release(struct accel_kvm *k);

/* kvm_state.c: pure conversions (unit-tested) and the ioctls around them. */
void kvm_regs_from_state(struct kvm_regs *r, const struct cpu_state *s);
void kvm_regs_to_state(const struct kvm_regs *r, struct cpu_state *s);
void kvm_segment_from_state(struct kvm_segment *k, const struct segment *s);
void kvm_segment_to_state(const struct kvm_segment *k, struct segment *s);
void kvm_sregs_from_state(struct kvm_sregs *r, const struct cpu_state *s);
void kvm_sregs_to_state(const struct kvm_sregs *r, struct cpu_state *s);
void kvm_fpu_from_state(struct kvm_fpu *f, const struct cpu_state *s);
void kvm_fpu_to_state(const struct kvm_fpu *f, struct cpu_state *s);
void kvm_debugregs_from_state(struct kvm_debugregs *d,
			      const struct cpu_state *s);
void kvm_debugregs_to_state(const struct kvm_debugregs *d,
			    struct cpu_state *s);
void kvm_events_from_state(struct kvm_vcpu_events *e,
			   const struct cpu_state *s);
void kvm_events_to_state(const struct kvm_vcpu_events *e,
			 struct cpu_state *s);
/* The MSR slot of cpu_state for an MSR index, or NULL. */
uint64_t *kvm_state_msr(struct cpu_state *s, uint32_t index);
/* Every MSR index cpu_state can hold, for the list KVM is asked about. */
unsigned kvm_state_msr_candidates(uint32_t *out, unsigned max);

int kvm_vcpu_state_get(struct accel_kvm *k, struct cpu_state *s);
int kvm_vcpu_state_set(struct accel_kvm *k, const struct cpu_state *s);

/* kvm_cpuid.c */
int kvm_cpuid_setup(struct accel_kvm *k);

/* kvm_run.c */
enum stop_reason kvm_run_slice(struct machine *m, uint64_t cycle_limit);
/* accel_ops.step: exactly one instruction (lockstep diffing). */
enum stop_reason kvm_step_one(struct machine *m);
/*
 * Finish an I/O or MMIO exit without running the guest; 1 when KVM
 * reported a single-step exit on the way, 0 otherwise, -1 on failure.
 */
int kvm_complete_pending(struct accel_kvm *k, struct machine *m);
void kvm_handle_io(struct accel_kvm *k, struct machine *m);
void kvm_handle_mmio(struct accel_kvm *k, struct machine *m);
/* The interpreter runs the one instruction KVM could not emulate. */
int kvm_interp_step(struct accel_kvm *k, struct machine *m);
void kvm_kick_install(void);
uint64_t kvm_host_ns(void);

/* kvm_step.c: counting instructions by single-stepping. */
int kvm_step_set(struct accel_kvm *k, bool on);
/* Before a stepped KVM_RUN; true: stop now with *why. */
bool kvm_step_before(struct accel_kvm *k, struct machine *m,
		     enum stop_reason *why);
void kvm_step_after_debug(struct accel_kvm *k);
int kvm_step_after_io(struct accel_kvm *k, struct machine *m);

/* kvm_debug.c: the debugger (debugger/debug_config.h) on KVM. */
int kvm_debug_set(struct machine *m, const struct debug_config *d);
/* KVM_SET_GUEST_DEBUG: single-step when count_step or the debugger asks. */
int kvm_guest_debug_load(struct accel_kvm *k, bool count_step);
/* Before a KVM_RUN: true when the debugger stops the guest here. */
bool kvm_debug_before(struct accel_kvm *k, struct machine *m);
/* KVM_EXIT_DEBUG: count a step, report hits; true: stop the run. */
bool kvm_debug_exit(struct accel_kvm *k, struct machine *m);
/* After any exit: whether the debugger has a stop pending. */
bool kvm_debug_pending(const struct accel_kvm *k);

/* kvm_stats.c */
const char *kvm_exit_name(uint32_t reason);
void kvm_stats_count_exit(struct kvm_stats *st, uint32_t reason);
void kvm_stats_count_mmio(struct kvm_stats *st, uint64_t addr, bool write);
void kvm_stats_print(const struct accel_kvm *k);
void kvm_print_stats(const struct machine *m);

#endif
