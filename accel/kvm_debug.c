// SPDX-License-Identifier: MIT
/*
 * The debugger on KVM (debugger/debug_config.h).  KVM cannot call back
 * before every instruction at native speed, so:
 *
 *  - When the debugger needs every instruction (stepping, conditions,
 *    tracing, physical breakpoints, more breakpoints than DR0-DR3 hold)
 *    the vCPU single-steps: KVM_SET_GUEST_DEBUG with
 *    KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP (api.rst
 *    KVM_SET_GUEST_DEBUG), and before each KVM_RUN the engine asks
 *    before_insn.  kvm_step.c's handling of kvm_pvm's single-step
 *    quirks (no debug exit after IN/OUT, HLT not stopping) applies as
 *    it does to instruction counting; stepped instructions are counted.
 *  - Otherwise breakpoints and watch ranges go into the debug registers
 *    with KVM_GUESTDBG_USE_HW_BP (struct kvm_guest_debug_arch
 *    debugreg[0..3] and [7]).  An instruction breakpoint is a fault: the
 *    KVM_EXIT_DEBUG comes with RIP on the instruction, not run, and
 *    before_insn decides; a data breakpoint is a trap: the exit comes
 *    after the instruction (SDM Vol. 3B §17.2.5) and watch_hit reports
 *    it.  DR6 B0-B3 (§17.2.3) say which registers fired.  To go on from
 *    an instruction breakpoint the engine single-steps that one
 *    instruction with the breakpoint off (RF, §17.3.1.1, would do, but
 *    kvm_pvm ignores it: measured).
 *  - kvm_pvm (../shared/kvm-host.md) emulates all code but 64-bit CPL 3,
 *    and its emulator fires instruction breakpoints but never data
 *    breakpoints (measured).  There watch ranges single-step and the
 *    engine compares the watched bytes after each instruction: writes
 *    that change them are seen, reads are not.
 *
 * What the debug registers cannot do (physical addresses, reads without
 * writes, exceptions, every memory access) is said once through note.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "accel/kvm.h"
#include "machine/machine.h"

/* DR7 fields, SDM Vol. 3B §17.2.4. */
#define DR7_L(n) (1ull << (2 * (n))) /* local enable of DRn */
#define DR7_LE (1ull << 8)
#define DR7_FIXED1 (1ull << 10) /* reads as 1 */
#define DR7_RW_SHIFT(n) (16 + 4 * (n))
#define DR7_LEN_SHIFT(n) (18 + 4 * (n))
/* DR6, §17.2.3. */
#define DR6_B_MASK 0xfull
#define DR6_BS (1ull << 14)
/* note_needs: a bit of kvm_debug.noted that is no debug_need. */
#define NOTED_COMPARE (1u << 31)
/* Vector of the debug exception (struct kvm_debug_exit_arch.exception). */
#define DB_VECTOR 1

/* LEN encoding for 1, 2, 4 and 8 bytes (§17.2.5). */
static unsigned dr7_len_bits(unsigned size)
{
	switch (size) {
	case 2:
		return 1;
	case 4:
		return 3;
	case 8:
		return 2;
	default:
		return 0;
	}
}

/*
 * Split [addr, addr + len) into aligned pieces of 1, 2, 4 or (in 64-bit
 * mode, where LEN 10b means 8 bytes) 8 bytes, as a data breakpoint must
 * be (§17.2.5).  Returns how many pieces it takes; fills at most max.
 */
static unsigned watch_pieces(uint64_t addr, uint64_t len, bool eight,
			     uint64_t *at, unsigned *size, unsigned max)
{
	unsigned n = 0;

	while (len) {
		unsigned s = eight ? 8 : 4;

		while (s > 1 && ((addr & (s - 1)) || s > len))
			s >>= 1;
		if (n < max) {
			at[n] = addr;
			size[n] = s;
		}
		n++;
		addr += s;
		len -= s;
		if (n > 64)
			break; /* far beyond any slot count */
	}
	return n;
}

static void note(const struct debug_config *d, const char *text)
{
	if (d->note)
		d->note(d->opaque, text);
}

/* Explain, once while it lasts, what the hardware cannot do. */
static void note_needs(struct kvm_debug *g, const struct debug_config *d,
		       unsigned needs)
{
	static const struct {
		unsigned bit;
		const char *text;
	} lines[] = {
		{ DEBUG_NEED_BREAK_MANY,
		  "kvm: more than four breakpoints: the debug registers hold four, so KVM single-steps (slow: one exit per instruction)" },
		{ DEBUG_NEED_BREAK_PHYS,
		  "kvm: physical breakpoints: the debug registers hold linear addresses, so KVM single-steps (slow: one exit per instruction)" },
		{ DEBUG_NEED_BREAK_COND,
		  "kvm: conditional breakpoints: KVM single-steps to test the condition (slow: one exit per instruction)" },
		{ DEBUG_NEED_WATCH_PHYS,
		  "kvm: physical-address watchpoints cannot be watched (the debug registers hold linear addresses); use lin, or `engine interp`" },
		{ DEBUG_NEED_WATCH_READ,
		  "kvm: x86 debug registers have no read-only kind: a read watchpoint is loaded as read/write, and a hit that changed the bytes is taken as a write and ignored" },
		{ DEBUG_NEED_WATCH_MANY,
		  "kvm: the watch ranges need more than the four debug registers (aligned pieces of 1, 2, 4 or 8 bytes): the rest are not watched" },
		{ DEBUG_NEED_CATCH_EXC,
		  "kvm: exception catches are not seen: KVM reports only #DB and #BP to user space (api.rst KVM_SET_GUEST_DEBUG); use `engine interp`" },
		{ DEBUG_NEED_TRACE_MEM,
		  "kvm: trace-mem cannot see memory accesses under KVM; use `engine interp`" },
		{ DEBUG_NEED_TRACE,
		  "kvm: trace shows instructions but not interrupt and exception deliveries" },
	};
	unsigned fresh;

	if (g->compare_watch)
		needs |= NOTED_COMPARE;
	fresh = needs & ~g->noted;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		if (fresh & lines[i].bit)
			note(d, lines[i].text);
	if (fresh & NOTED_COMPARE)
		note(d, "kvm_pvm: data breakpoints do not fire in code this KVM emulates: watchpoints single-step and compare the watched bytes after each instruction (writes that change them stop; reads are not seen)");
	g->noted = needs;
}

/* 64-bit mode now (LMA and CS.L), where an 8-byte data breakpoint exists. */
static bool in_64bit_mode(struct accel_kvm *k)
{
	struct kvm_sregs sregs;

	if (ioctl(k->vcpu_fd, KVM_GET_SREGS, &sregs) < 0)
		return false;
	return (sregs.efer & EFER_LMA) && sregs.cs.l;
}

static void add_slot(struct kvm_debug *g, uint64_t addr, int watch,
		     unsigned rw, unsigned size)
{
	unsigned n = g->slots++;

	g->slot_addr[n] = addr;
	g->slot_watch[n] = watch;
	g->dr7 |= DR7_L(n) | ((uint64_t)rw << DR7_RW_SHIFT(n)) |
		  ((uint64_t)dr7_len_bits(size) << DR7_LEN_SHIFT(n));
}

int kvm_debug_set(struct machine *m, const struct debug_config *d)
{
	struct accel_kvm *k = m->kvm;
	struct kvm_debug *g;
	uint64_t at[DEBUG_HW_SLOTS];
	unsigned size[DEBUG_HW_SLOTS], watch_slots = 0, needs;
	bool eight;
	int ret = 0;

	if (!k)
		return d && d->enabled ? -1 : 0;
	g = &k->dbg;
	g->cfg = d && d->enabled ? d : NULL;
	g->step = false;
	g->slots = 0;
	g->dr7 = 0;
	g->dirty = true;
	g->check_pc = true;
	g->stepping_over = false;
	g->compare_watch = false;
	g->asked = false;
	if (!g->cfg) {
		g->noted = 0;
		return 0;
	}
	needs = d->needs & ~(DEBUG_NEED_BREAK_MANY | DEBUG_NEED_BREAK_PHYS |
			     DEBUG_NEED_BREAK_COND);
	eight = in_64bit_mode(k);
	for (unsigned i = 0; i < d->hw_watch_count; i++)
		watch_slots += watch_pieces(d->hw_watch[i].addr,
					    d->hw_watch[i].len, eight, at, size,
					    0);
	g->step = d->every_insn;
	if (k->step_hlt_quirk && d->hw_watch_count) {
		/* kvm_pvm: compare, since the registers would not fire. */
		g->compare_watch = g->step = true;
		watch_slots = 0;
		for (unsigned i = 0; i < d->hw_watch_count; i++)
			g->seen[i] = 0;
	}
	if (!g->step && d->hw_break_count + watch_slots > DEBUG_HW_SLOTS) {
		/* The watches keep their registers; breakpoints step. */
		g->step = true;
		needs |= DEBUG_NEED_BREAK_MANY;
	}
	if (g->step)
		needs |= d->needs & (DEBUG_NEED_BREAK_MANY |
				     DEBUG_NEED_BREAK_PHYS |
				     DEBUG_NEED_BREAK_COND);
	else
		for (unsigned i = 0; i < d->hw_break_count; i++)
			add_slot(g, d->hw_break[i], -1, DEBUG_ACC_EXEC, 1);
	for (unsigned i = 0; i < d->hw_watch_count && !g->compare_watch; i++) {
		const struct debug_range *r = &d->hw_watch[i];
		unsigned left = DEBUG_HW_SLOTS - g->slots;
		unsigned n = watch_pieces(r->addr, r->len, eight, at, size,
					  left);
		/* DR7 has write (01b) and read/write (11b); no read-only. */
		unsigned rw = r->acc == DEBUG_ACC_WRITE ? DEBUG_ACC_WRITE :
							  DEBUG_ACC_RW;

		if (n > left) {
			needs |= DEBUG_NEED_WATCH_MANY;
			ret = -1;
			n = left;
		}
		for (unsigned p = 0; p < n; p++)
			add_slot(g, at[p], (int)i, rw, size[p]);
	}
	if (g->slots)
		g->dr7 |= DR7_LE | DR7_FIXED1;
	if (needs & (DEBUG_NEED_WATCH_PHYS | DEBUG_NEED_WATCH_MANY |
		     DEBUG_NEED_CATCH_EXC | DEBUG_NEED_TRACE_MEM))
		ret = -1;
	note_needs(g, d, needs);
	return ret;
}

int kvm_guest_debug_load(struct accel_kvm *k, bool count_step)
{
	struct kvm_debug *g = &k->dbg;
	struct kvm_guest_debug dbg;
	bool step = count_step || (g->cfg && (g->step || g->stepping_over));
	bool hw = g->cfg && g->slots;
	uint64_t dr7 = g->dr7;

	g->count_step = count_step;
	if (step == k->stepping && hw == g->hw_loaded && !(hw && g->dirty))
		return 0;
	/* Stepping over an instruction breakpoint: that one is off. */
	for (unsigned i = 0; g->stepping_over && i < g->slots; i++)
		if (g->slot_watch[i] < 0 && g->slot_addr[i] == g->skip_pc)
			dr7 &= ~DR7_L(i);
	memset(&dbg, 0, sizeof(dbg));
	if (step || hw)
		dbg.control = KVM_GUESTDBG_ENABLE;
	if (step)
		dbg.control |= KVM_GUESTDBG_SINGLESTEP;
	if (hw) {
		dbg.control |= KVM_GUESTDBG_USE_HW_BP;
		for (unsigned i = 0; i < g->slots; i++)
			dbg.arch.debugreg[i] = g->slot_addr[i];
		dbg.arch.debugreg[7] = dr7;
	}
	if (kvm_ioctl_checked(k->vcpu_fd, KVM_SET_GUEST_DEBUG, &dbg,
			      "KVM_SET_GUEST_DEBUG"))
		return -1;
	k->stepping = step;
	g->hw_loaded = hw;
	g->dirty = false;
	return 0;
}

/* The linear address of CS:RIP, as cpu/debug.c forms it. */
static bool current_pc(struct accel_kvm *k, struct kvm_regs *regs,
		       uint64_t *pc)
{
	struct kvm_sregs sregs;

	if (ioctl(k->vcpu_fd, KVM_GET_REGS, regs) < 0 ||
	    ioctl(k->vcpu_fd, KVM_GET_SREGS, &sregs) < 0)
		return false;
	*pc = sregs.cs.base + regs->rip;
	if (!(sregs.efer & EFER_LMA) || !sregs.cs.l)
		*pc &= 0xffffffffull;
	return true;
}

static bool on_exec_slot(const struct kvm_debug *g, uint64_t pc)
{
	for (unsigned i = 0; i < g->slots; i++)
		if (g->slot_watch[i] < 0 && g->slot_addr[i] == pc)
			return true;
	return false;
}

/*
 * Up to 8 bytes of guest memory at a linear address, through the vCPU's
 * own translation (KVM_TRANSLATE), from RAM or ROM only; false if not.
 */
static bool read_linear(struct accel_kvm *k, struct machine *m, uint64_t lin,
			void *buf, size_t len)
{
	uint8_t *out = buf;

	for (size_t i = 0; i < len; i++) {
		struct kvm_translation tr;
		const struct mem_region *r;

		memset(&tr, 0, sizeof(tr));
		tr.linear_address = lin + i;
		if (ioctl(k->vcpu_fd, KVM_TRANSLATE, &tr) < 0 || !tr.valid)
			return false;
		r = mem_lookup(m, tr.physical_address);
		if (!r || r->kind == MEM_MMIO)
			return false;
		out[i] = r->host[tr.physical_address - r->base];
	}
	return true;
}

/* kvm_pvm's watches: did the instruction just run change the bytes? */
static void compare_watches(struct accel_kvm *k, struct machine *m,
			    uint64_t pc, bool first)
{
	struct kvm_debug *g = &k->dbg;
	const struct debug_config *d = g->cfg;

	for (unsigned i = 0; i < d->hw_watch_count; i++) {
		const struct debug_range *r = &d->hw_watch[i];
		uint64_t v = 0;

		if (r->acc == DEBUG_ACC_READ ||
		    !read_linear(k, m, r->addr, &v, r->len < 8 ? r->len : 8))
			continue;
		if (!first && v != g->seen[i] && d->watch_hit)
			d->watch_hit(d->opaque, i, DEBUG_HW_SLOTS, pc);
		g->seen[i] = v;
	}
}

bool kvm_debug_before(struct accel_kvm *k, struct machine *m)
{
	struct kvm_debug *g = &k->dbg;
	const struct debug_config *d = g->cfg;
	struct kvm_regs regs;
	uint64_t pc, retired;
	bool check_pc = g->check_pc;

	if (!d)
		return false;
	if (g->stepping_over) {
		/* The instruction under the breakpoint ran: arm it again. */
		g->stepping_over = false;
		g->dirty = true;
		if (kvm_guest_debug_load(k, g->count_step) < 0)
			return true;
	}
	if (d->pending && d->pending(d->opaque))
		return true;
	if (!g->step && !check_pc)
		return false;
	/* RIP is at an instruction boundary only once I/O completed. */
	if (k->io_pending && kvm_complete_pending(k, m) < 0)
		return true;
	if (!current_pc(k, &regs, &pc))
		return false;
	g->check_pc = false;
	if (g->compare_watch) {
		compare_watches(k, m, pc, check_pc);
		if (d->pending && d->pending(d->opaque))
			return true;
	}
	retired = k->stats.steps + k->stats.interp_steps;
	if (g->step && d->before_insn && (!g->asked || g->asked_at != retired)) {
		g->asked = true;
		g->asked_at = retired;
		if (d->before_insn(d->opaque, pc))
			return true;
	}
	/*
	 * Going on from an instruction breakpoint: one step with it off
	 * (RF would do on hardware, §17.3.1.1, but kvm_pvm ignores it).
	 */
	if (check_pc && g->hw_loaded && on_exec_slot(g, pc)) {
		g->stepping_over = true;
		g->skip_pc = pc;
		g->dirty = true;
		if (kvm_guest_debug_load(k, g->count_step) < 0)
			return true;
	}
	return false;
}

bool kvm_debug_exit(struct accel_kvm *k, struct machine *m)
{
	struct kvm_debug *g = &k->dbg;
	const struct debug_config *d = g->cfg;
	const struct kvm_debug_exit_arch *a = &k->run->debug.arch;
	unsigned hits = (unsigned)(a->dr6 & DR6_B_MASK);
	bool exec_hit = false, stop = false;

	(void)m;
	if (a->exception != DB_VECTOR || !g->hw_loaded)
		hits = 0;
	for (unsigned i = 0; i < g->slots; i++)
		if ((hits & (1u << i)) && g->slot_watch[i] < 0)
			exec_hit = true;
	/* An instruction breakpoint faults: nothing ran, nothing to count. */
	if (k->stepping && ((a->dr6 & DR6_BS) || !exec_hit))
		kvm_step_after_debug(k);
	if (!d)
		return false;
	for (unsigned i = 0; i < g->slots; i++) {
		if (!(hits & (1u << i)))
			continue;
		if (g->slot_watch[i] >= 0) {
			if (d->watch_hit)
				d->watch_hit(d->opaque,
					     (unsigned)g->slot_watch[i], i,
					     a->pc);
		} else if (!stop && d->before_insn) {
			stop = d->before_insn(d->opaque, a->pc);
		}
	}
	/* Not stopping on it: step over it at the next entry. */
	if (exec_hit && !stop)
		g->check_pc = true;
	return stop || kvm_debug_pending(k);
}

bool kvm_debug_pending(const struct accel_kvm *k)
{
	const struct debug_config *d = k->dbg.cfg;

	return d && d->pending && d->pending(d->opaque);
}
