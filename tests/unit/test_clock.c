// SPDX-License-Identifier: MIT
/* The virtual clock: conversions, timer order, re-arm, cancel. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "bare_machine.h"

/* What fired, in order. */
struct fire_log {
	char order[16];
	unsigned count;
};

struct test_timer {
	struct timer t;
	char name;
	struct fire_log *log;
	uint64_t period; /* re-arm this far after the deadline; 0: once */
	struct timer *cancel; /* cancel this one when fired */
};

static void record_fire(struct machine *m, struct timer *t)
{
	struct test_timer *tt = t->opaque;

	if (tt->log->count < sizeof(tt->log->order) - 1)
		tt->log->order[tt->log->count++] = tt->name;
	if (tt->cancel)
		timer_cancel(m, tt->cancel);
	if (tt->period)
		timer_arm(m, t, t->deadline_ns + tt->period);
}

static void make_timer(struct test_timer *tt, char name, struct fire_log *log)
{
	tt->name = name;
	tt->log = log;
	tt->period = 0;
	tt->cancel = NULL;
	timer_init(&tt->t, record_fire, tt);
}

static int setup(void **state)
{
	*state = bare_machine_new();
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

/* Move virtual time to ns (exactly, at 100 MHz: 10 ns per cycle). */
static void advance_to_ns(struct machine *m, uint64_t ns)
{
	m->clock.cycles = clock_ns_to_cycles(m, ns);
}

static void test_conversions(void **state)
{
	struct machine *m = *state;

	m->clock.cycles = 100;
	assert_int_equal(clock_now_ns(m), 1000);
	assert_int_equal(clock_ns_to_cycles(m, 1000), 100);
	/* Rounded up: at the returned count the time has passed. */
	assert_int_equal(clock_ns_to_cycles(m, 1), 1);
	assert_int_equal(clock_ns_to_cycles(m, 11), 2);
	assert_int_equal(clock_ns_to_cycles(m, 0), 0);

	/* Long runs at a fast clock do not overflow. */
	m->clock.cpu_hz = 3000000000ull;
	m->clock.cycles = 3000000000ull * 100000; /* 100000 s */
	assert_int_equal(clock_now_ns(m), 100000ull * 1000000000ull);
	assert_int_equal(clock_ns_to_cycles(m, 100000ull * 1000000000ull),
			 3000000000ull * 100000);
	assert_int_equal(clock_ns_to_cycles(m, UINT64_MAX), UINT64_MAX);
	assert_int_equal(clock_ns_to_cycles(m, UINT64_MAX - 1), UINT64_MAX);

	/* A frequency that does not divide a second evenly. */
	m->clock.cpu_hz = 3;
	m->clock.cycles = 1;
	assert_int_equal(clock_now_ns(m), 333333333);
	assert_int_equal(clock_ns_to_cycles(m, 333333334), 2);
	m->clock.cycles = clock_ns_to_cycles(m, 333333334);
	assert_true(clock_now_ns(m) >= 333333334);
}

static void test_fire_in_deadline_order(void **state)
{
	struct machine *m = *state;
	struct fire_log log = { 0 };
	struct test_timer a, b, c;

	make_timer(&a, 'a', &log);
	make_timer(&b, 'b', &log);
	make_timer(&c, 'c', &log);
	assert_int_equal(clock_next_deadline(m), UINT64_MAX);
	timer_arm(m, &c.t, 300);
	timer_arm(m, &a.t, 100);
	timer_arm(m, &b.t, 200);
	assert_int_equal(clock_next_deadline(m), 100);

	m->clock.cycles = 9; /* 90 ns */
	clock_run_expired(m);
	assert_int_equal(log.count, 0);

	advance_to_ns(m, 250);
	clock_run_expired(m);
	assert_string_equal(log.order, "ab");
	assert_false(a.t.armed);
	assert_true(c.t.armed);
	assert_int_equal(clock_next_deadline(m), 300);

	advance_to_ns(m, 300);
	clock_run_expired(m);
	assert_string_equal(log.order, "abc");
	assert_int_equal(clock_next_deadline(m), UINT64_MAX);
}

static void test_equal_deadlines_fire_in_arming_order(void **state)
{
	struct machine *m = *state;
	struct fire_log log = { 0 };
	struct test_timer a, b, c;

	make_timer(&a, 'a', &log);
	make_timer(&b, 'b', &log);
	make_timer(&c, 'c', &log);
	timer_arm(m, &b.t, 500);
	timer_arm(m, &c.t, 500);
	timer_arm(m, &a.t, 500);
	advance_to_ns(m, 500);
	clock_run_expired(m);
	assert_string_equal(log.order, "bca");
}

static void test_rearm_moves(void **state)
{
	struct machine *m = *state;
	struct fire_log log = { 0 };
	struct test_timer a, b;

	make_timer(&a, 'a', &log);
	make_timer(&b, 'b', &log);
	timer_arm(m, &a.t, 100);
	timer_arm(m, &b.t, 200);
	timer_arm(m, &a.t, 400); /* later: now after b */
	assert_int_equal(clock_next_deadline(m), 200);
	advance_to_ns(m, 1000);
	clock_run_expired(m);
	assert_string_equal(log.order, "ba");

	timer_arm(m, &a.t, 2000);
	timer_arm(m, &a.t, 1500); /* earlier again */
	assert_int_equal(clock_next_deadline(m), 1500);
	advance_to_ns(m, 1600);
	clock_run_expired(m);
	assert_string_equal(log.order, "baa");
	assert_int_equal(clock_next_deadline(m), UINT64_MAX);
}

static void test_cancel(void **state)
{
	struct machine *m = *state;
	struct fire_log log = { 0 };
	struct test_timer a, b, c;

	make_timer(&a, 'a', &log);
	make_timer(&b, 'b', &log);
	make_timer(&c, 'c', &log);
	timer_arm(m, &a.t, 100);
	timer_arm(m, &b.t, 200);
	timer_arm(m, &c.t, 300);
	timer_cancel(m, &b.t);
	assert_false(b.t.armed);
	timer_cancel(m, &b.t); /* twice is harmless */
	advance_to_ns(m, 1000);
	clock_run_expired(m);
	assert_string_equal(log.order, "ac");

	/* A callback cancels a timer that is also due: it does not fire. */
	log.count = 0;
	log.order[0] = log.order[1] = log.order[2] = 0;
	a.cancel = &b.t;
	timer_arm(m, &a.t, 2000);
	timer_arm(m, &b.t, 2000);
	timer_arm(m, &c.t, 2001);
	advance_to_ns(m, 3000);
	clock_run_expired(m);
	assert_string_equal(log.order, "ac");
}

static void test_periodic_rearm_from_callback(void **state)
{
	struct machine *m = *state;
	struct fire_log log = { 0 };
	struct test_timer a;

	make_timer(&a, 'a', &log);
	a.period = 100;
	timer_arm(m, &a.t, 100);
	advance_to_ns(m, 350);
	clock_run_expired(m);
	/* Deadlines 100, 200 and 300 have passed; the next is 400. */
	assert_string_equal(log.order, "aaa");
	assert_true(a.t.armed);
	assert_int_equal(clock_next_deadline(m), 400);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_conversions, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_fire_in_deadline_order,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_equal_deadlines_fire_in_arming_order, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_rearm_moves, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_cancel, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_periodic_rearm_from_callback, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
