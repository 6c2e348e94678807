/* SPDX-License-Identifier: MIT */
/*
 * The virtual clock and its timer queue.  Under the interpreter, time is
 * the cycle count divided by the CPU frequency, so a run is deterministic;
 * another engine may drive the clock from host time instead.
 */
#ifndef POPEK_MACHINE_CLOCK_H
#define POPEK_MACHINE_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct machine;
struct timer;

typedef void (*timer_fn)(struct machine *m, struct timer *t);

struct timer {
	uint64_t deadline_ns;
	timer_fn fire;
	void *opaque;
	struct timer *next; /* in the machine's queue, sorted by deadline */
	bool armed;
};

struct vclock {
	uint64_t cpu_hz; /* cycles per second of the virtual CPU */
	uint64_t cycles; /* cycles executed, advanced by the engine */
	struct timer *queue; /* earliest first */
};

/* Nanoseconds of virtual time so far. */
uint64_t clock_now_ns(const struct machine *m);
/* Cycle count at which virtual time reaches ns (rounded up). */
uint64_t clock_ns_to_cycles(const struct machine *m, uint64_t ns);

void timer_init(struct timer *t, timer_fn fire, void *opaque);
void timer_arm(struct machine *m, struct timer *t, uint64_t deadline_ns);
void timer_cancel(struct machine *m, struct timer *t);

/* Deadline of the earliest armed timer, or UINT64_MAX. */
uint64_t clock_next_deadline(const struct machine *m);
/* Fire every timer whose deadline has passed; timers may re-arm. */
void clock_run_expired(struct machine *m);

#endif
