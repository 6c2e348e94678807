// SPDX-License-Identifier: MIT
/*
 * The KVM run loop: enter the guest with KVM_RUN until the slice's end
 * (host time), an exit the machine must see, or a stop; route I/O and
 * MMIO exits to the machine's buses; inject interrupts from popek's own
 * controllers with KVM_INTERRUPT when the vCPU can take one, and ask for
 * an interrupt window when it cannot (api.rst §5, request_interrupt_window
 * and ready_for_interrupt_injection).
 *
 * Time: while KVM runs, the virtual clock follows host time.  A slice is
 * bounded by a one-shot timer whose signal handler sets
 * run->immediate_exit (api.rst §5 immediate_exit): a signal landing while
 * the guest runs makes KVM_RUN return -EINTR, and one landing just before
 * KVM_RUN makes it return at once, so no deadline is missed.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#include "accel/accel.h"
#include "accel/kvm.h"
#include "cpu/cpu.h"
#include "machine/machine.h"

/* What one trip into the guest asks of the loop. */
enum trip {
	TRIP_GO_ON,
	TRIP_STOP, /* return *why */
};

uint64_t kvm_host_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The timer carries the kvm_run page in its signal: no global needed. */
static void kick_handler(int sig, siginfo_t *si, void *uc)
{
	struct kvm_run *run;

	(void)sig;
	(void)uc;
	if (si->si_code != SI_TIMER)
		return;
	run = si->si_value.sival_ptr;
	if (run)
		run->immediate_exit = 1;
}

void kvm_kick_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = kick_handler;
	/* SA_RESTART: a kick outside KVM_RUN must not fail a device's I/O. */
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGRTMIN, &sa, NULL);
}

static void kick_arm(struct accel_kvm *k, uint64_t ns)
{
	struct itimerspec its;

	memset(&its, 0, sizeof(its));
	if (ns == 0)
		ns = 1; /* 0 would disarm */
	its.it_value.tv_sec = (time_t)(ns / 1000000000ull);
	its.it_value.tv_nsec = (long)(ns % 1000000000ull);
	timer_settime(k->kick_timer, 0, &its, NULL);
}

static void kick_disarm(struct accel_kvm *k)
{
	struct itimerspec its;

	memset(&its, 0, sizeof(its));
	timer_settime(k->kick_timer, 0, &its, NULL);
}

/* Cycles to nanoseconds at the virtual CPU's frequency, saturating. */
static uint64_t cycles_to_ns(const struct machine *m, uint64_t cycles)
{
	uint64_t hz = m->clock.cpu_hz;
	unsigned __int128 ns = (unsigned __int128)cycles * 1000000000ull / hz;

	return ns > UINT64_MAX ? UINT64_MAX : (uint64_t)ns;
}

static uint64_t ns_to_cycles(const struct machine *m, uint64_t ns)
{
	unsigned __int128 c =
		(unsigned __int128)ns * m->clock.cpu_hz / 1000000000ull;

	return c > UINT64_MAX ? UINT64_MAX : (uint64_t)c;
}

void kvm_handle_io(struct accel_kvm *k, struct machine *m)
{
	struct kvm_run *run = k->run;
	unsigned size = run->io.size;
	uint16_t port = run->io.port;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;

	k->stats.io_by_port[port]++;
	/* KVM fills these; still, never touch memory outside the page. */
	if ((size != 1 && size != 2 && size != 4) ||
	    run->io.data_offset + (uint64_t)run->io.count * size >
		    k->run_size) {
		machine_request_exit(m, MACHINE_EXIT_ERROR, POPEK_EXIT_ERROR,
				     "kvm: malformed I/O exit (port %#x)",
				     port);
		return;
	}
	/* count > 1: a string instruction (rep ins/outs), one item each. */
	for (uint32_t i = 0; i < run->io.count; i++, data += size) {
		uint32_t v = 0;

		if (run->io.direction == KVM_EXIT_IO_OUT) {
			memcpy(&v, data, size);
			io_write(m, port, size, v);
		} else {
			v = io_read(m, port, size);
			memcpy(data, &v, size);
		}
	}
}

void kvm_handle_mmio(struct accel_kvm *k, struct machine *m)
{
	struct kvm_run *run = k->run;
	uint64_t addr = run->mmio.phys_addr;
	unsigned len = run->mmio.len > 8 ? 8 : run->mmio.len;
	bool sized = len == 1 || len == 2 || len == 4 || len == 8;

	kvm_stats_count_mmio(&k->stats, addr, run->mmio.is_write);
	if (run->mmio.is_write) {
		uint64_t v = 0;

		memcpy(&v, run->mmio.data, len);
		/* One device call of the access's own size where it fits. */
		if (sized)
			phys_write_u(m, addr, len, v);
		else
			phys_write(m, addr, run->mmio.data, len);
	} else if (sized) {
		uint64_t v = phys_read_u(m, addr, len);

		memcpy(run->mmio.data, &v, len);
	} else {
		phys_read(m, addr, run->mmio.data, len);
	}
}

/*
 * I/O and MMIO exits finish (IN data stored, RIP advanced) only on the
 * next KVM_RUN; with immediate_exit set that KVM_RUN finishes them and
 * returns without running the guest (api.rst §5, KVM_EXIT_IO).  One
 * instruction may exit more than once (a string chunk per page, the read
 * and write of an MMIO read-modify-write).  Returns 1 when KVM reported
 * a single-step debug exit on the way, 0 otherwise, -1 on failure.
 */
int kvm_complete_pending(struct accel_kvm *k, struct machine *m)
{
	for (int rounds = 0; k->io_pending && rounds < 4096; rounds++) {
		int r;

		k->io_pending = false;
		k->run->immediate_exit = 1;
		r = ioctl(k->vcpu_fd, KVM_RUN, 0);
		k->run->immediate_exit = 0;
		if (r < 0) {
			if (errno == EINTR || errno == EAGAIN)
				return 0;
			fprintf(stderr, "popek: kvm: KVM_RUN failed: %s\n",
				strerror(errno));
			return -1;
		}
		kvm_stats_count_exit(&k->stats, k->run->exit_reason);
		switch (k->run->exit_reason) {
		case KVM_EXIT_IO:
			kvm_handle_io(k, m);
			k->io_pending = true;
			break;
		case KVM_EXIT_MMIO:
			kvm_handle_mmio(k, m);
			k->io_pending = true;
			break;
		case KVM_EXIT_DEBUG:
			return 1;
		default:
			return 0;
		}
	}
	return 0;
}

/*
 * KVM could not emulate an instruction (api.rst: KVM_EXIT_INTERNAL_ERROR,
 * suberror KVM_INTERNAL_ERROR_EMULATION).  The interpreter runs that one
 * instruction on the same state and RAM, and KVM goes on after it.  On
 * kvm_pvm this is also how a triple fault shows (../shared/kvm-host.md):
 * the interpreter then delivers the exceptions itself, and reports the
 * shutdown with the fault chain only when the state really leads there.
 * Returns 0, 1 when the machine stopped, -1 on failure, -2 when the same
 * instruction failed too often in a row with nothing else happening.
 */
int kvm_interp_step(struct accel_kvm *k, struct machine *m)
{
	struct cpu_state s;
	enum cpu_stop stop;

	if (kvm_vcpu_state_get(k, &s) < 0)
		return -1;
	/*
	 * The same instruction again, or many failures, with nothing else
	 * seen in between (no I/O, no HLT, no interrupt): KVM keeps failing
	 * in a loop the guest cannot leave (kvm_pvm: docs/kvm.md).
	 */
	if (++k->interp_since_progress >= KVM_INTERP_NO_PROGRESS_MAX)
		return -2;
	if (s.rip == k->interp_rip && s.seg[SEG_CS].sel == k->interp_cs) {
		if (++k->interp_repeats >= KVM_INTERP_REPEATS_MAX)
			return -2;
	} else {
		k->interp_repeats = 0;
		k->interp_rip = s.rip;
		k->interp_cs = s.seg[SEG_CS].sel;
	}
	cpu_flush_caches(m->cpu);
	cpu_state_set(m->cpu, &s);
	stop = cpu_step(m->cpu);
	k->stats.interp_steps++;
	if (stop == CPU_STOP_SHUTDOWN || stop == CPU_STOP_EXIT)
		return 1;
	cpu_state_get(m->cpu, &s);
	/* Its stores went straight to RAM, maybe into page tables. */
	if (s.cr0 & CR0_PG)
		k->slots_stale = true;
	if (kvm_vcpu_state_set(k, &s) < 0)
		return -1;
	return kvm_memory_sync(k, m);
}

static void inject_events(struct accel_kvm *k, struct machine *m)
{
	struct kvm_run *run = k->run;

	if (m->irq.nmi && !m->irq.nmi_masked &&
	    ioctl(k->vcpu_fd, KVM_NMI, 0) == 0) {
		m->irq.nmi = false;
		k->halted = false;
		k->stats.injected_nmis++;
	}
	if (!irq_intr_pending(m)) {
		run->request_interrupt_window = 0;
		return;
	}
	if (k->ready_known && k->ready) {
		struct kvm_interrupt irq = { .irq = irq_intr_acknowledge(m) };

		if (ioctl(k->vcpu_fd, KVM_INTERRUPT, &irq) == 0) {
			k->halted = false;
			k->ready = false;
			k->interp_repeats = k->interp_since_progress = 0;
			k->stats.injected_irqs++;
			run->request_interrupt_window = 0;
			return;
		}
	}
	/* IF clear or a shadow: KVM exits when the window opens. */
	run->request_interrupt_window = 1;
}

/* Can a halted vCPU wake now?  Otherwise the run loop idles. */
static bool can_wake(struct accel_kvm *k, struct machine *m)
{
	if (m->irq.nmi && !m->irq.nmi_masked)
		return true;
	return k->ready_known && k->ready && irq_intr_pending(m);
}

/* KVM cannot run this guest state: auto falls back, kvm gives up. */
static void cannot_run(struct machine *m, const char *fmt,
		       unsigned long long detail)
{
	char why[160];

	snprintf(why, sizeof(why), fmt, detail);
	accel_cannot_run(m, why);
}

static enum trip handle_internal_error(struct accel_kvm *k, struct machine *m,
				       enum stop_reason *why)
{
	struct kvm_run *run = k->run;
	int r;

	if (run->internal.suberror != KVM_INTERNAL_ERROR_EMULATION) {
		cannot_run(m, "KVM internal error, suberror %llu",
			   run->internal.suberror);
		*why = STOP_EXIT;
		return TRIP_STOP;
	}
	r = kvm_interp_step(k, m);
	if (r == -2) {
		char line[160];

		snprintf(line, sizeof(line),
			 "KVM keeps failing near %04x:%llx with no progress (a mode this KVM cannot run)",
			 k->interp_cs, (unsigned long long)k->interp_rip);
		k->interp_repeats = k->interp_since_progress = 0;
		accel_cannot_run(m, line);
		*why = STOP_EXIT;
		return TRIP_STOP;
	}
	if (r < 0) {
		accel_cannot_run(m, "KVM could not emulate an instruction");
		*why = STOP_EXIT;
		return TRIP_STOP;
	}
	if (r > 0) {
		*why = m->exit_kind == MACHINE_EXIT_TRIPLE_FAULT ?
			       STOP_SHUTDOWN :
			       STOP_EXIT;
		return TRIP_STOP;
	}
	return TRIP_GO_ON;
}

static enum trip handle_exit(struct accel_kvm *k, struct machine *m,
			     enum stop_reason *why)
{
	struct kvm_run *run = k->run;

	if (run->exit_reason != KVM_EXIT_INTERNAL_ERROR &&
	    run->exit_reason != KVM_EXIT_INTR &&
	    run->exit_reason != KVM_EXIT_IRQ_WINDOW_OPEN)
		k->interp_repeats = k->interp_since_progress = 0;
	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		kvm_handle_io(k, m);
		k->io_pending = true;
		if (k->stepping && kvm_step_after_io(k, m) < 0)
			break;
		return TRIP_GO_ON;
	case KVM_EXIT_MMIO:
		kvm_handle_mmio(k, m);
		k->io_pending = true;
		if (k->stepping && kvm_step_after_io(k, m) < 0)
			break;
		return TRIP_GO_ON;
	case KVM_EXIT_DEBUG:
		/* A step counted, or a debugger hit (kvm_debug.c). */
		if (kvm_debug_exit(k, m)) {
			*why = STOP_BUDGET;
			return TRIP_STOP;
		}
		return TRIP_GO_ON;
	case KVM_EXIT_HLT:
		if (k->stepping)
			k->stats.steps++;
		k->halted = true;
		*why = STOP_HALT;
		return TRIP_STOP;
	case KVM_EXIT_IRQ_WINDOW_OPEN:
	case KVM_EXIT_INTR:
		return TRIP_GO_ON;
	case KVM_EXIT_SHUTDOWN:
		machine_request_exit(m, MACHINE_EXIT_TRIPLE_FAULT,
				     POPEK_EXIT_TRIPLE_FAULT,
				     "CPU shut down (KVM_EXIT_SHUTDOWN)");
		*why = STOP_SHUTDOWN;
		return TRIP_STOP;
	case KVM_EXIT_INTERNAL_ERROR:
		return handle_internal_error(k, m, why);
	case KVM_EXIT_FAIL_ENTRY:
		cannot_run(m,
			   "KVM cannot enter the guest in its current mode (hardware entry failure %#llx)",
			   run->fail_entry.hardware_entry_failure_reason);
		*why = STOP_EXIT;
		return TRIP_STOP;
	case KVM_EXIT_SYSTEM_EVENT:
		machine_request_exit(m, MACHINE_EXIT_HALTED, POPEK_EXIT_OK,
				     "kvm: system event %u (reset or power off)",
				     run->system_event.type);
		*why = STOP_EXIT;
		return TRIP_STOP;
	default:
		machine_request_exit(m, MACHINE_EXIT_ERROR, POPEK_EXIT_ERROR,
				     "kvm: unexpected exit %s (%u)",
				     kvm_exit_name(run->exit_reason),
				     run->exit_reason);
		break;
	}
	*why = STOP_EXIT;
	return TRIP_STOP;
}

/* One KVM_RUN and its exit. */
static enum trip enter_guest(struct accel_kvm *k, struct machine *m,
			     enum stop_reason *why)
{
	int r = ioctl(k->vcpu_fd, KVM_RUN, 0);
	int err = errno;

	/* Consumed: cleared only after KVM_RUN, so no kick is lost. */
	k->run->immediate_exit = 0;
	if (r < 0) {
		if (err == EINTR || err == EAGAIN) {
			kvm_stats_count_exit(&k->stats, KVM_EXIT_INTR);
			return TRIP_GO_ON;
		}
		char line[96];

		snprintf(line, sizeof(line), "KVM_RUN failed: %s",
			 strerror(err));
		accel_cannot_run(m, line);
		*why = STOP_EXIT;
		return TRIP_STOP;
	}
	k->ready_known = true;
	k->ready = k->run->ready_for_interrupt_injection;
	kvm_stats_count_exit(&k->stats, k->run->exit_reason);
	return handle_exit(k, m, why);
}

static enum stop_reason stop_for_exit(const struct machine *m)
{
	return m->exit_kind == MACHINE_EXIT_TRIPLE_FAULT ? STOP_SHUTDOWN :
							   STOP_EXIT;
}

static enum stop_reason run_loop(struct accel_kvm *k, struct machine *m,
				 uint64_t limit, uint64_t t0, uint64_t c0)
{
	enum stop_reason why = STOP_BUDGET;

	for (;;) {
		uint64_t deadline = clock_next_deadline(m), insn_stop;

		m->clock.cycles = c0 + ns_to_cycles(m, kvm_host_ns() - t0);
		if (m->exit_kind != MACHINE_RUNNING)
			return stop_for_exit(m);
		if (m->host_stop || m->accel != &accel_kvm ||
		    m->clock.cycles >= limit)
			return STOP_BUDGET;
		/* A device armed a timer that falls due inside this slice. */
		if (deadline != UINT64_MAX &&
		    clock_ns_to_cycles(m, deadline) <= m->clock.cycles)
			return STOP_BUDGET;
		insn_stop = accel_insn_stop(m);
		if (insn_stop && accel_instructions(m) >= insn_stop)
			return STOP_BUDGET;
		if (kvm_step_set(k, insn_stop != 0) < 0)
			return STOP_EXIT;
		if (k->halted && !can_wake(k, m))
			return STOP_HALT;
		/* The debugger first: an interrupt is not half-delivered. */
		if (kvm_debug_before(k, m))
			return STOP_BUDGET;
		inject_events(k, m);
		if (k->stepping && kvm_step_before(k, m, &why))
			return why;
		if (enter_guest(k, m, &why) == TRIP_STOP)
			return m->exit_kind != MACHINE_RUNNING ?
				       stop_for_exit(m) :
				       why;
	}
}

enum stop_reason kvm_run_slice(struct machine *m, uint64_t cycle_limit)
{
	struct accel_kvm *k = m->kvm;
	uint64_t t0 = kvm_host_ns(), c0 = m->clock.cycles;
	enum stop_reason why;

	if (kvm_memory_sync(k, m) < 0) {
		machine_request_exit(m, MACHINE_EXIT_ERROR, POPEK_EXIT_ERROR,
				     "kvm: cannot set up guest memory");
		return STOP_EXIT;
	}
	if (cycle_limit != UINT64_MAX && cycle_limit > c0)
		kick_arm(k, cycles_to_ns(m, cycle_limit - c0));
	why = run_loop(k, m, cycle_limit, t0, c0);
	kick_disarm(k);
	m->clock.cycles = c0 + ns_to_cycles(m, kvm_host_ns() - t0);
	k->stats.run_ns += kvm_host_ns() - t0;
	return why;
}

/*
 * accel_ops.step (lockstep diffing): one instruction under single-step,
 * or one HLT performed here (kvm_step_before), or one instruction run by
 * the interpreter for KVM.  Exits that retire nothing (an interrupt
 * window, a signal) go round again.  The virtual clock is the caller's.
 */
enum stop_reason kvm_step_one(struct machine *m)
{
	struct accel_kvm *k = m->kvm;
	uint64_t before = k->stats.steps + k->stats.interp_steps;
	enum stop_reason why = STOP_BUDGET;

	if (kvm_memory_sync(k, m) < 0 || kvm_step_set(k, true) < 0)
		return STOP_EXIT;
	for (int round = 0; round < 64; round++) {
		if (m->exit_kind != MACHINE_RUNNING)
			return stop_for_exit(m);
		if (k->stats.steps + k->stats.interp_steps != before)
			return STOP_BUDGET;
		if (k->halted && !can_wake(k, m))
			return STOP_HALT;
		inject_events(k, m);
		if (kvm_step_before(k, m, &why))
			return why;
		if (enter_guest(k, m, &why) == TRIP_STOP)
			return m->exit_kind != MACHINE_RUNNING ?
				       stop_for_exit(m) :
				       why;
	}
	return STOP_BUDGET;
}
