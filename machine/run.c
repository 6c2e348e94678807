// SPDX-License-Identifier: MIT
/*
 * The run loop: give the engine slices of cycles that never pass the next
 * timer deadline, fire timers between slices, skip idle time when the
 * guest waits in HLT, and decide when a run is over.
 */
#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "accel/accel.h"
#include "cpu/cpu.h"
#include "debugger/debugger.h"
#include "machine/machine.h"

/* With no timer armed, still come back this often (virtual): 1 ms. */
#define SLICE_NS 1000000ull
/* The longest host sleep while a paced guest idles. */
#define PACED_SLEEP_MAX_NS 10000000ull

/* Every engine's count (accel/accel.c): the machine may have switched. */
static uint64_t instructions(const struct machine *m)
{
	return accel_instructions(m);
}

/* The cycle count the next slice may run up to. */
static uint64_t slice_limit(const struct machine *m)
{
	uint64_t now = m->clock.cycles;
	uint64_t slice = clock_ns_to_cycles(m, SLICE_NS);
	uint64_t limit = now + slice < now ? UINT64_MAX : now + slice;
	uint64_t deadline = clock_next_deadline(m);

	if (deadline != UINT64_MAX) {
		uint64_t at = clock_ns_to_cycles(m, deadline);

		if (at < limit)
			limit = at < now ? now : at;
	}
	/*
	 * -max-insns, -switch-at: every instruction costs at least one
	 * cycle, so a slice of the remaining count in cycles cannot
	 * overshoot.  An engine on host time counts by itself (KVM steps).
	 */
	if (accel_insn_stop(m) && !m->accel->host_clock) {
		uint64_t stop = accel_insn_stop(m), done = instructions(m);
		uint64_t left = stop > done ? stop - done : 0;

		if (now + left < limit)
			limit = now + left;
	}
	return limit;
}

static void sleep_ns(uint64_t ns)
{
	struct timespec ts = { .tv_sec = (time_t)(ns / 1000000000ull),
			       .tv_nsec = (long)(ns % 1000000000ull) };

	nanosleep(&ts, NULL);
}

/*
 * The CPU is in HLT.  It wakes for an NMI, or for a maskable interrupt
 * with IF set.  If one is already waiting, just run on; if nothing could
 * ever wake it, the run is over; otherwise jump virtual time to the next
 * timer, which is what a waiting CPU would see.
 */
static void idle(struct machine *m)
{
	struct cpu_state s;
	uint64_t deadline, at;

	if (m->irq.nmi)
		return;
	m->accel->state_get(m, &s);
	if (!(s.rflags & FLAG_IF)) {
		/* The demo's documented ending is CLI; HLT: a normal end. */
		if (m->opt.demo)
			machine_request_exit(m, MACHINE_EXIT_HALTED,
					     POPEK_EXIT_OK, "%s", "");
		else
			machine_request_exit(
				m, MACHINE_EXIT_HALTED, POPEK_EXIT_HALTED,
				"guest halted with interrupts disabled at %04x:%08llx",
				s.seg[SEG_CS].sel, (unsigned long long)s.rip);
		return;
	}
	if (irq_intr_pending(m))
		return;
	deadline = clock_next_deadline(m);
	if (deadline == UINT64_MAX) {
		machine_request_exit(
			m, MACHINE_EXIT_HALTED, POPEK_EXIT_HALTED,
			"guest halted at %04x:%08llx with no interrupt source armed",
			s.seg[SEG_CS].sel, (unsigned long long)s.rip);
		return;
	}
	at = clock_ns_to_cycles(m, deadline);
	if (at <= m->clock.cycles)
		return;
	if (m->accel->host_clock) {
		/*
		 * Virtual time is host time (KVM): wait for the deadline in
		 * steps short enough for host input, and count what passed.
		 */
		uint64_t wait = deadline - clock_now_ns(m);
		struct timespec t0, t1;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		sleep_ns(wait < PACED_SLEEP_MAX_NS ? wait : PACED_SLEEP_MAX_NS);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		m->clock.cycles += clock_ns_to_cycles(
			m, (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000000ull +
				   (uint64_t)(t1.tv_nsec - t0.tv_nsec));
		clock_run_expired(m);
		return;
	}
	if (m->paced_idle) {
		uint64_t wait = deadline - clock_now_ns(m);

		sleep_ns(wait < PACED_SLEEP_MAX_NS ? wait : PACED_SLEEP_MAX_NS);
	}
	m->clock.cycles = at;
	clock_run_expired(m);
}

static void print_stats(const struct machine *m)
{
	const struct io_bus *io = &m->io;

	fprintf(stderr,
		"popek: stats: %" PRIu64 " instructions, %" PRIu64
		" cycles, %.6f s virtual time\n",
		instructions(m), m->clock.cycles,
		(double)clock_now_ns(m) / 1e9);
	fprintf(stderr,
		"popek: stats: %" PRIu64 " I/O reads, %" PRIu64 " I/O writes\n",
		io->reads, io->writes);
	for (unsigned port = 0; port < 65536; port++) {
		const struct io_handler *h = io->port[port];

		if (!io->port_reads[port] && !io->port_writes[port])
			continue;
		fprintf(stderr,
			"popek: stats:   port %#06x %-16s %10" PRIu64
			" reads %10" PRIu64 " writes\n",
			port, h ? h->name : "(unclaimed)", io->port_reads[port],
			io->port_writes[port]);
	}
	accel_print_stats(m);
}

/* The line on stderr that says why the run ended, where it needs one. */
static void report_exit(const struct machine *m)
{
	switch (m->exit_kind) {
	case MACHINE_EXIT_DEBUG_PORT: /* the guest chose its status */
	case MACHINE_RUNNING:
		return;
	case MACHINE_EXIT_TRIPLE_FAULT:
		fprintf(stderr, "popek: triple fault: %s\n",
			m->exit_message[0] ? m->exit_message : "CPU shut down");
		return;
	default:
		if (m->exit_message[0])
			fprintf(stderr, "popek: %s\n", m->exit_message);
		return;
	}
}

int machine_run(struct machine *m)
{
	if (!m->accel) {
		fprintf(stderr, "popek: no engine to run the machine\n");
		return POPEK_EXIT_ERROR;
	}
	while (m->exit_kind == MACHINE_RUNNING) {
		enum stop_reason why;

		/* A breakpoint, a step or Ctrl-C: the debugger talks to
		 * the user (or gdb) before the next slice. */
		if (m->debugger) {
			debugger_poll(m->debugger);
			if (m->exit_kind != MACHINE_RUNNING)
				break;
		}
		if (m->host_stop) {
			machine_request_exit(m, MACHINE_EXIT_INTERRUPTED,
					     POPEK_EXIT_INTERRUPTED,
					     "interrupted by the host");
			break;
		}
		/* m->accel, not a copy: -switch-at and auto change it. */
		why = m->accel->run(m, slice_limit(m));
		clock_run_expired(m);
		if (m->host_tick)
			m->host_tick(m->host_tick_opaque);
		/* The guest reset the system (machine/reset.c): reboot. */
		if (m->reset_pending && m->exit_kind == MACHINE_EXIT_RESET) {
			machine_reset(m);
			continue;
		}
		if (why == STOP_SHUTDOWN)
			machine_request_exit(m, MACHINE_EXIT_TRIPLE_FAULT,
					     POPEK_EXIT_TRIPLE_FAULT,
					     "CPU shut down");
		else if (why == STOP_HALT && m->exit_kind == MACHINE_RUNNING)
			idle(m);
		accel_after_slice(m);
		if (m->opt.max_insns && instructions(m) >= m->opt.max_insns)
			machine_request_exit(m, MACHINE_EXIT_INSN_LIMIT,
					     POPEK_EXIT_INSN_LIMIT,
					     "stopped after %" PRIu64
					     " instructions (-max-insns)",
					     instructions(m));
	}
	/* A triple fault or a stop at the very end: the prompt once more. */
	if (m->debugger)
		debugger_run_over(m->debugger);
	/* Guest output first, then popek's own lines. */
	fflush(stdout);
	report_exit(m);
	if (m->opt.stats)
		print_stats(m);
	return m->exit_status;
}
