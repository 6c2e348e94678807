// SPDX-License-Identifier: MIT
/*
 * The virtual clock: time is cycles / cpu_hz, and a queue of timers kept
 * sorted by deadline.  Conversions split seconds from the remainder so the
 * products stay inside 64 bits for any run shorter than centuries.
 */
#include "machine/machine.h"

#define NS_PER_SEC 1000000000ull

uint64_t clock_now_ns(const struct machine *m)
{
	uint64_t hz = m->clock.cpu_hz, cycles = m->clock.cycles;

	if (hz == 0)
		return 0;
	return cycles / hz * NS_PER_SEC + cycles % hz * NS_PER_SEC / hz;
}

uint64_t clock_ns_to_cycles(const struct machine *m, uint64_t ns)
{
	uint64_t hz = m->clock.cpu_hz;
	uint64_t secs = ns / NS_PER_SEC, rest = ns % NS_PER_SEC;
	uint64_t whole, part;

	if (hz == 0 || ns == UINT64_MAX)
		return UINT64_MAX;
	if (secs > UINT64_MAX / hz)
		return UINT64_MAX;
	whole = secs * hz;
	/* Round up, so that at the returned count the deadline has passed. */
	part = (rest * hz + NS_PER_SEC - 1) / NS_PER_SEC;
	if (whole > UINT64_MAX - part)
		return UINT64_MAX;
	return whole + part;
}

void timer_init(struct timer *t, timer_fn fire, void *opaque)
{
	t->deadline_ns = 0;
	t->fire = fire;
	t->opaque = opaque;
	t->next = NULL;
	t->armed = false;
}

static void unlink_timer(struct vclock *clock, struct timer *t)
{
	for (struct timer **p = &clock->queue; *p; p = &(*p)->next) {
		if (*p == t) {
			*p = t->next;
			break;
		}
	}
	t->next = NULL;
	t->armed = false;
}

/* Arming an armed timer moves it; equal deadlines fire in arming order. */
void timer_arm(struct machine *m, struct timer *t, uint64_t deadline_ns)
{
	struct timer **p;

	if (t->armed)
		unlink_timer(&m->clock, t);
	t->deadline_ns = deadline_ns;
	for (p = &m->clock.queue; *p; p = &(*p)->next)
		if ((*p)->deadline_ns > deadline_ns)
			break;
	t->next = *p;
	*p = t;
	t->armed = true;
}

void timer_cancel(struct machine *m, struct timer *t)
{
	if (t->armed)
		unlink_timer(&m->clock, t);
}

uint64_t clock_next_deadline(const struct machine *m)
{
	return m->clock.queue ? m->clock.queue->deadline_ns : UINT64_MAX;
}

/*
 * A callback may arm, re-arm or cancel any timer.  One that re-arms
 * itself at or before now fires again in this same call, so devices must
 * always arm in the future (a period of at least 1 ns).
 */
void clock_run_expired(struct machine *m)
{
	uint64_t now = clock_now_ns(m);

	while (m->clock.queue && m->clock.queue->deadline_ns <= now) {
		struct timer *t = m->clock.queue;

		m->clock.queue = t->next;
		t->next = NULL;
		t->armed = false;
		if (t->fire)
			t->fire(m, t);
	}
}
