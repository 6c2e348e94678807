// SPDX-License-Identifier: MIT
/*
 * Two machines in lockstep: the interpreter (side 0) and KVM (side 1),
 * built from the same options, advanced one instruction at a time
 * through accel_ops.step (single-stepping with KVM_GUESTDBG_SINGLESTEP
 * on KVM, cpu_step on the interpreter).
 *
 * One clock: the interpreter's cycle count is the time of both
 * machines (KVM's own follows host time), and expired timers fire on
 * both after every step, so device events reach both at the same
 * instruction count.
 *
 * Write logs: the interpreter's stores are seen through the debugger's
 * hooks (debugger/debug_config.h: with every page "watched", every data
 * access takes the slow path and is reported), KVM's through dirty-page
 * logging (accel_ops.dirty_log); an instruction KVM leaves to the
 * interpreter (an emulation failure) is seen through the same hooks on
 * the KVM machine's own CPU.  Device stores (DMA) are in neither log;
 * the full comparison at the end and every DIFF_FULL_EVERY steps sees
 * them.
 *
 * Results that are not deterministic (RDTSC, RDTSCP, CPUID, RDRAND,
 * RDSEED) are taken from the interpreter and written into KVM's state
 * after the step.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accel/accel.h"
#include "accel/kvm.h"
#include "cpu/cpu.h"
#include "diff/diff.h"
#include "machine/machine.h"

static bool watch_all(void *opaque, uint64_t lin_page, uint64_t phys_page)
{
	(void)opaque;
	(void)lin_page;
	(void)phys_page;
	return true;
}

static void mark_dirty(struct diff_side *d, uint64_t phys, unsigned size)
{
	uint64_t first = phys >> PAGE_SHIFT;
	uint64_t last = (phys + (size ? size - 1 : 0)) >> PAGE_SHIFT;

	for (uint64_t p = first; p <= last && p < d->pages; p++)
		d->dirty[p / 64] |= 1ull << (p % 64);
}

static void on_mem_access(void *opaque, uint64_t lin, uint64_t phys,
			  unsigned size, bool write, uint64_t value)
{
	struct diff_side *d = opaque;

	(void)lin;
	(void)value;
	if (!write)
		return;
	mark_dirty(d, phys, size);
	if (d->cur) {
		d->cur->store_phys[d->side] = phys;
		d->cur->store_size[d->side] = size;
	}
}

static void on_interrupt(void *opaque, int vector, bool exception)
{
	struct diff_side *d = opaque;
	struct diff_step_info *i = d->cur;

	if (!i || i->nvectors[d->side] >= DIFF_MAX_VECTORS)
		return;
	/* External interrupts are recorded as vector + 256. */
	i->vectors[d->side][i->nvectors[d->side]++] =
		exception ? vector : vector + 256;
}

static int side_init(struct lockstep *ls, int side, struct machine *m)
{
	struct diff_side *d = &ls->side[side];

	d->m = m;
	d->side = side;
	d->pages = m->ram_size >> PAGE_SHIFT;
	d->dirty = calloc((d->pages + 63) / 64, sizeof(uint64_t));
	if (!d->dirty)
		return -1;
	memset(&d->watch, 0, sizeof(d->watch));
	d->watch.enabled = true;
	d->watch.watching = true;
	d->watch.opaque = d;
	d->watch.page_watched = watch_all;
	d->watch.mem_access = on_mem_access;
	d->watch.interrupt = on_interrupt;
	if (m->cpu)
		cpu_debug_set(m->cpu, &d->watch);
	return 0;
}

int lockstep_init(struct lockstep *ls, struct machine *m0, struct machine *m1)
{
	memset(ls, 0, sizeof(*ls));
	ls->inject.opcode = -1;
	ls->kvm_pvm = access("/sys/module/kvm_pvm", F_OK) == 0;
	ls->quirks = diff_host_quirks();
	if (side_init(ls, SIDE_INTERP, m0) || side_init(ls, SIDE_KVM, m1))
		return -1;
	/* The first call turns logging on. */
	ls->dirty_log_ok = m1->accel->dirty_log(m1, ls->side[1].dirty,
						ls->side[1].pages) == 0;
	return 0;
}

void lockstep_fini(struct lockstep *ls)
{
	for (int side = 0; side < SIDE_COUNT; side++) {
		struct diff_side *d = &ls->side[side];

		if (d->m && d->m->cpu)
			cpu_debug_set(d->m->cpu, NULL);
		free(d->dirty);
		d->dirty = NULL;
	}
}

void lockstep_reset_logs(struct lockstep *ls)
{
	struct machine *m1 = ls->side[SIDE_KVM].m;

	for (int side = 0; side < SIDE_COUNT; side++) {
		struct diff_side *d = &ls->side[side];

		memset(d->dirty, 0, (d->pages + 63) / 64 * sizeof(uint64_t));
	}
	if (ls->dirty_log_ok) {
		m1->accel->dirty_log(m1, ls->side[1].dirty, ls->side[1].pages);
		memset(ls->side[1].dirty, 0,
		       (ls->side[1].pages + 63) / 64 * sizeof(uint64_t));
	}
}

/* Both machines see the interpreter's time; due timers fire on both. */
static void sync_clocks(struct lockstep *ls)
{
	struct machine *m0 = ls->side[0].m, *m1 = ls->side[1].m;

	m1->clock.cycles = m0->clock.cycles;
	clock_run_expired(m0);
	clock_run_expired(m1);
}

/* Both halted: time skips to the next timer, as a waiting CPU sees it. */
static bool idle_both(struct lockstep *ls, const struct cpu_state *s)
{
	struct machine *m0 = ls->side[0].m;
	uint64_t deadline;

	if (m0->irq.nmi || irq_intr_pending(m0))
		return true;
	deadline = clock_next_deadline(m0);
	if (!(s->rflags & FLAG_IF) || deadline == UINT64_MAX)
		return false;
	if (clock_ns_to_cycles(m0, deadline) > m0->clock.cycles)
		m0->clock.cycles = clock_ns_to_cycles(m0, deadline);
	sync_clocks(ls);
	return true;
}

/* The registers a nondeterministic instruction wrote, side 0 to side 1. */
static void feed(struct lockstep *ls, enum diff_feed what)
{
	static const uint8_t regs_of[][5] = {
		[FEED_RDTSC] = { 2, R_AX, R_DX },
		[FEED_RDTSCP] = { 3, R_AX, R_DX, R_CX },
		[FEED_CPUID] = { 4, R_AX, R_BX, R_CX, R_DX },
		[FEED_RDRAND] = { 0 }, /* the destination and CF: below */
	};
	struct machine *m0 = ls->side[0].m, *m1 = ls->side[1].m;
	struct cpu_state a, b;

	m0->accel->state_get(m0, &a);
	m1->accel->state_get(m1, &b);
	if (what == FEED_RDRAND) {
		memcpy(b.gpr, a.gpr, sizeof(b.gpr));
		b.rflags = (b.rflags & ~FLAGS_ARITH) | (a.rflags & FLAGS_ARITH);
	}
	for (unsigned k = 1; k <= regs_of[what][0]; k++)
		b.gpr[regs_of[what][k]] = a.gpr[regs_of[what][k]];
	m1->accel->state_set(m1, &b);
	ls->fed++;
}

/*
 * What the SDM leaves undefined (flags, BSF/BSR's destination for a zero
 * source) is made equal at once, KVM taking the interpreter's, so it
 * cannot show as a divergence at a later instruction that reads it.
 */
static void sync_undefined(struct lockstep *ls, const struct diff_step_info *info)
{
	struct machine *m0 = ls->side[0].m, *m1 = ls->side[1].m;
	const struct diff_insn *i = &info->insn;
	uint64_t undef = diff_undefined_flags(i, &info->before) |
			 diff_quirk_flags(i, ls->quirks);
	struct cpu_state a, b;
	bool changed = false, bsf;
	int reg, dest_reg = -2;

	bsf = diff_insn_dest_undefined_if_zf(i, &reg);
	if (!diff_insn_dest_undefined(i, &info->before, &dest_reg))
		dest_reg = -2;
	bool quirk = (ls->quirks & DIFF_QUIRK_AMD_CMPXCHG) && i->map == 1 &&
		     i->opcode == 0xb1;

	if (!undef && !bsf && dest_reg == -2 && !quirk)
		return;
	m0->accel->state_get(m0, &a);
	m1->accel->state_get(m1, &b);
	if (quirk && diff_quirk_regs(i, &a, &b, ls->quirks))
		changed = true;
	if ((a.rflags ^ b.rflags) & undef) {
		b.rflags = (b.rflags & ~undef) | (a.rflags & undef);
		changed = true;
	}
	if (bsf && (a.rflags & FLAG_ZF) && (b.rflags & FLAG_ZF) &&
	    a.gpr[reg] != b.gpr[reg]) {
		b.gpr[reg] = a.gpr[reg];
		changed = true;
	}
	/* 16-bit SHLD/SHRD by more than 16: the word written. */
	if (dest_reg >= 0 && (a.gpr[dest_reg] ^ b.gpr[dest_reg]) & 0xffff) {
		b.gpr[dest_reg] = (b.gpr[dest_reg] & ~0xffffull) |
				  (a.gpr[dest_reg] & 0xffff);
		changed = true;
	}
	if (dest_reg == -1 && info->store_size[0] &&
	    info->store_phys[0] + info->store_size[0] <= m1->ram_size &&
	    info->store_phys[0] + info->store_size[0] <= m0->ram_size) {
		memcpy(m1->ram + info->store_phys[0],
		       m0->ram + info->store_phys[0], info->store_size[0]);
		ls->synced++;
	}
	if (changed) {
		m1->accel->state_set(m1, &b);
		ls->synced++;
	}
}

/*
 * PUSH of a segment register with a 32- or 64-bit operand size: "either
 * a zero-extension of the value is pushed on the stack or the segment
 * selector is written on the stack using a 16-bit move" (SDM Vol. 2B
 * PUSH).  The interpreter zero-extends, KVM's emulator moves 16 bits:
 * the slot's bytes above the selector are taken from the interpreter.
 */
static void sync_push_sreg(struct lockstep *ls, const struct diff_step_info *info)
{
	struct machine *m0 = ls->side[0].m, *m1 = ls->side[1].m;
	const struct diff_insn *i = &info->insn;
	uint64_t at = info->store_phys[0];
	unsigned size = info->store_size[0];
	bool push_sreg = (i->map == 0 && i->bits != 64 &&
			  (i->opcode == 0x06 || i->opcode == 0x0e ||
			   i->opcode == 0x16 || i->opcode == 0x1e)) ||
			 (i->map == 1 && (i->opcode == 0xa0 || i->opcode == 0xa8));

	if (!push_sreg || info->nvectors[0] || size <= 2 ||
	    at + size > m0->ram_size || at + size > m1->ram_size)
		return;
	if (memcmp(m1->ram + at + 2, m0->ram + at + 2, size - 2)) {
		memcpy(m1->ram + at + 2, m0->ram + at + 2, size - 2);
		ls->synced++;
	}
}

/* The count register of a string instruction, as its address size
 * reads it (SDM Vol. 2B, REP). */
static uint64_t rep_count(const struct diff_insn *i, const struct cpu_state *s)
{
	int asz = i->bits == 64 ? (i->addrsize ? 32 : 64) :
		  i->bits == 32 ? (i->addrsize ? 16 : 32) :
				  (i->addrsize ? 32 : 16);

	return asz == 64 ? s->gpr[R_CX] :
			   s->gpr[R_CX] & ((1ull << asz) - 1);
}

/*
 * A REP string instruction: one side may run many iterations in one
 * step (kvm_pvm's emulator runs them all, and leaves RIP at the
 * instruction with the count at 0) while the other stops after each
 * iteration (the interpreter, as TF does: SDM Vol. 3B §17.3.1.4).  The
 * side that is behind (still at the instruction with more left to do)
 * is stepped until it catches up.
 */
static void finish_rep(struct lockstep *ls, struct diff_step_info *info)
{
	const struct diff_insn *i = &info->insn;
	bool string = i->map == 0 &&
		      ((i->opcode >= 0xa4 && i->opcode <= 0xa7) ||
		       (i->opcode >= 0xaa && i->opcode <= 0xaf) ||
		       (i->opcode >= 0x6c && i->opcode <= 0x6f));
	struct cpu_state s[SIDE_COUNT];

	if (!string || !(i->rep || i->repne))
		return;
	for (int side = 0; side < SIDE_COUNT; side++)
		ls->side[side].m->accel->state_get(ls->side[side].m, &s[side]);
	for (int side = 0; side < SIDE_COUNT; side++) {
		struct machine *m = ls->side[side].m;
		const struct cpu_state *o = &s[!side];
		bool other_left = o->rip != info->before.rip;

		for (unsigned n = 0; n < (1u << 20); n++) {
			bool here = s[side].rip == info->before.rip;

			if (!here || info->stop[side] != STOP_BUDGET ||
			    info->nvectors[side] ||
			    (!other_left &&
			     rep_count(i, &s[side]) <= rep_count(i, o)))
				break;
			ls->side[side].cur = info;
			info->stop[side] = m->accel->step(m);
			ls->side[side].cur = NULL;
			ls->rep_iterations++;
			m->accel->state_get(m, &s[side]);
		}
	}
}

/*
 * An exception or interrupt delivered in this step: the interpreter's
 * step ends at the handler's first instruction; single-stepping under
 * KVM also runs that instruction (the #DB trap comes after it; TF is
 * cleared by the delivery, SDM Vol. 3A §6.12.1.2, and KVM's own
 * stepping carries on).  Then the interpreter runs that one too.
 */
static void finish_event(struct lockstep *ls, struct diff_step_info *info)
{
	struct machine *m0 = ls->side[0].m, *m1 = ls->side[1].m;
	struct cpu_state a, b;

	if (!info->nvectors[0] || info->stop[0] != STOP_BUDGET)
		return;
	m0->accel->state_get(m0, &a);
	m1->accel->state_get(m1, &b);
	if (a.rip == b.rip && a.seg[SEG_CS].sel == b.seg[SEG_CS].sel)
		return;
	ls->side[0].cur = info;
	info->stop[0] = m0->accel->step(m0);
	ls->side[0].cur = NULL;
	ls->event_extra_steps++;
}

/* Exceptions that push an error code (SDM Vol. 3A §6.13, Table 6-1). */
static bool has_error_code(int vector)
{
	return vector == 8 || (vector >= 10 && vector <= 14) || vector == 17 ||
	       vector == 21 || vector == 29 || vector == 30;
}

/*
 * An event delivered in this step: KVM single-steps with TF of its own
 * (kvm_pvm sets it in the guest's RFLAGS while stepping, hiding it from
 * KVM_GET_REGS), so the EFLAGS image it pushes has TF set where the
 * guest's TF was clear.  That bit is KVM's, not the guest's: it is
 * cleared in KVM's copy of the frame at once, before the guest can read
 * it or IRET can load it.  The frame is found from the interpreter's
 * state after the delivery (RSP at the pushed return address; the
 * EFLAGS image two slots above, three with an error code).
 */
static void normalize_frame_tf(struct lockstep *ls,
			       const struct diff_step_info *info)
{
	struct machine *m0 = ls->side[0].m, *m1 = ls->side[1].m;
	unsigned n = info->nvectors[0], slot;
	int vector;
	struct cpu_state a;
	uint64_t lin, phys;

	if (!n || (info->before.rflags & FLAG_TF))
		return;
	vector = info->vectors[0][n - 1];
	m0->accel->state_get(m0, &a);
	slot = !(a.cr0 & CR0_PE) ? 2 : (a.efer & EFER_LMA) ? 8 : 4;
	lin = a.gpr[R_SP] + slot * (2 + (slot > 2 && has_error_code(vector)));
	if (slot == 2)
		lin &= 0xffff;
	lin += a.seg[SEG_SS].base;
	if (slot != 8)
		lin &= 0xffffffffull;
	/* TF is bit 8: bit 0 of the image's second byte. */
	if (!diff_linear_to_phys(m0, &a, lin + 1, &phys) ||
	    phys >= m0->ram_size || phys >= m1->ram_size)
		return;
	if ((m1->ram[phys] & 1) && !(m0->ram[phys] & 1)) {
		m1->ram[phys] &= (uint8_t)~1u;
		ls->frame_tf++;
	}
}

/*
 * kvm_pvm runs 64-bit CPL 3 code on the processor, and there its
 * single-step trap is not kept from the guest: the #DB is delivered
 * through the guest's IDT (measured: after one user instruction KVM is
 * in the vector 1 handler at CPL 0, with an interrupt frame on the
 * TSS's RSP0 stack whose RIP is the next user instruction and whose
 * RFLAGS has TF set).  That delivery is KVM's, not the guest's: it is
 * undone here as an IRETQ would undo it (the frame's RIP, RFLAGS less
 * TF and RSP, the user CS and SS as before the step), and the frame's
 * bytes are put back from the interpreter's RAM, where nothing was
 * pushed.
 */
static void undo_user_step_trap(struct lockstep *ls,
				const struct diff_step_info *info)
{
	struct machine *m0 = ls->side[0].m, *m1 = ls->side[1].m;
	const struct cpu_state *u = &info->before;
	struct cpu_state a, b;
	uint64_t frame[5], phys;

	if (!ls->kvm_pvm || info->nvectors[0] || (u->seg[SEG_CS].sel & 3) != 3 ||
	    diff_code_bits(u) != 64)
		return;
	m1->accel->state_get(m1, &b);
	if (b.seg[SEG_CS].sel & 3)
		return;
	m0->accel->state_get(m0, &a);
	if (diff_read_linear(m1, &b, b.gpr[R_SP], (uint8_t *)frame,
			     sizeof(frame)) != sizeof(frame) ||
	    frame[0] != a.rip || frame[1] != a.seg[SEG_CS].sel ||
	    !(frame[2] & FLAG_TF) ||
	    !diff_linear_to_phys(m1, &b, b.gpr[R_SP], &phys) ||
	    (phys & (PAGE_SIZE - 1)) + sizeof(frame) > PAGE_SIZE ||
	    phys + sizeof(frame) > m0->ram_size)
		return;
	memcpy(m1->ram + phys, m0->ram + phys, sizeof(frame));
	b.rip = frame[0];
	b.rflags = frame[2] & ~(uint64_t)FLAG_TF;
	b.gpr[R_SP] = frame[3];
	b.seg[SEG_CS] = u->seg[SEG_CS];
	b.seg[SEG_SS] = u->seg[SEG_SS];
	m1->accel->state_set(m1, &b);
	ls->user_traps++;
}

/*
 * kvm_pvm's emulator gives no single-step exit after IRET and SWAPGS:
 * the step also runs the next instruction (seen with longmode.asm:
 * IRETQ from an #BP handler ran the PUSH after the INT3 too; SWAPGS the
 * MOV after it).  The interpreter then runs that instruction too.
 */
static void finish_no_step_exit(struct lockstep *ls,
				struct diff_step_info *info)
{
	struct machine *m0 = ls->side[0].m, *m1 = ls->side[1].m;
	const struct diff_insn *i = &info->insn;
	bool listed = (i->map == 0 && i->opcode == 0xcf) ||
		      (i->map == 1 && i->opcode == 0x01 && i->modrm == 0xf8);
	struct cpu_state a, b;

	if (!ls->kvm_pvm || !listed || info->stop[0] != STOP_BUDGET ||
	    info->nvectors[0])
		return;
	m0->accel->state_get(m0, &a);
	m1->accel->state_get(m1, &b);
	if (a.rip == b.rip && a.seg[SEG_CS].sel == b.seg[SEG_CS].sel)
		return;
	ls->side[0].cur = info;
	info->stop[0] = m0->accel->step(m0);
	ls->side[0].cur = NULL;
	ls->no_exit_steps++;
}

static void inject_bug(struct lockstep *ls, const struct diff_insn *i)
{
	struct machine *m0 = ls->side[0].m;
	struct cpu_state s;

	if (ls->inject.opcode < 0 || i->map != 0 ||
	    i->opcode != (uint8_t)ls->inject.opcode)
		return;
	m0->accel->state_get(m0, &s);
	s.rflags ^= ls->inject.flag;
	m0->accel->state_set(m0, &s);
}

bool lockstep_step(struct lockstep *ls, struct diff_step_info **out)
{
	struct diff_step_info *info = &ls->history[ls->hist_next];
	struct machine *m0 = ls->side[0].m, *m1 = ls->side[1].m;
	bool go_on = true;

	memset(info, 0, sizeof(*info));
	info->count = ls->count;
	m0->accel->state_get(m0, &info->before);
	diff_insn_fetch(m0, &info->before, &info->insn);
	info->linear = diff_insn_linear(&info->before);
	ls->hist_next = (ls->hist_next + 1) % DIFF_HISTORY;
	if (ls->hist_len < DIFF_HISTORY)
		ls->hist_len++;
	*out = info;

	for (int side = 0; side < SIDE_COUNT; side++) {
		struct machine *m = ls->side[side].m;

		ls->side[side].cur = info;
		info->stop[side] = m->accel->step(m);
		ls->side[side].cur = NULL;
	}
	undo_user_step_trap(ls, info);
	finish_no_step_exit(ls, info);
	finish_rep(ls, info);
	normalize_frame_tf(ls, info);
	finish_event(ls, info);
	ls->count++;
	if (m1->kvm)
		ls->kvm_interp_steps = m1->kvm->stats.interp_steps;
	sync_clocks(ls);
	info->fed = diff_insn_feed(&info->insn);
	if (info->fed != FEED_NONE && !info->before.halted)
		feed(ls, info->fed);
	sync_undefined(ls, info);
	sync_push_sreg(ls, info);
	inject_bug(ls, &info->insn);
	if (ls->dirty_log_ok &&
	    m1->accel->dirty_log(m1, ls->side[1].dirty, ls->side[1].pages))
		ls->dirty_log_ok = false;
	if (m0->exit_kind != MACHINE_RUNNING ||
	    m1->exit_kind != MACHINE_RUNNING)
		return false;
	if (info->stop[0] == STOP_HALT && info->stop[1] == STOP_HALT) {
		struct cpu_state s;

		m0->accel->state_get(m0, &s);
		go_on = idle_both(ls, &s);
	}
	return go_on;
}

unsigned lockstep_history(const struct lockstep *ls,
			  const struct diff_step_info **out, unsigned max)
{
	unsigned n = ls->hist_len < max ? ls->hist_len : max;
	unsigned start = (ls->hist_next + DIFF_HISTORY - n) % DIFF_HISTORY;

	for (unsigned k = 0; k < n; k++)
		out[k] = &ls->history[(start + k) % DIFF_HISTORY];
	return n;
}

bool lockstep_compare(struct lockstep *ls, const struct diff_step_info *step,
		      bool full, struct diff_result *r)
{
	struct machine *m[SIDE_COUNT] = { ls->side[0].m, ls->side[1].m };
	struct cpu_state norm[SIDE_COUNT];
	uint64_t words = (ls->side[0].pages + 63) / 64;

	memset(r, 0, sizeof(*r));
	r->step = step;
	r->count = step ? step->count : ls->count;
	for (int side = 0; side < SIDE_COUNT; side++) {
		m[side]->accel->state_get(m[side], &r->state[side]);
		norm[side] = r->state[side];
		r->exit_kind[side] = m[side]->exit_kind;
		r->exit_status[side] = m[side]->exit_status;
	}
	diff_normalize(norm, step ? &step->insn : NULL,
		       step ? &step->before : NULL, ls->quirks);
	diff_compare_states(norm, &r->fields);
	/* Without KVM's log, every page counts as written. */
	if (!ls->dirty_log_ok)
		full = true;
	for (uint64_t w = 0; w < words && !full; w++)
		ls->side[0].dirty[w] |= ls->side[1].dirty[w];
	diff_compare_ram(m, full ? NULL : ls->side[0].dirty, &r->mem);
	for (int side = 0; side < SIDE_COUNT; side++)
		memset(ls->side[side].dirty, 0,
		       (ls->side[side].pages + 63) / 64 * sizeof(uint64_t));
	r->diverged = r->fields.differing || r->mem.total ||
		      r->exit_kind[0] != r->exit_kind[1] ||
		      r->exit_status[0] != r->exit_status[1];
	if (r->diverged)
		diff_classify(m[0], r);
	return r->diverged;
}
