// SPDX-License-Identifier: MIT
/*
 * The 8254 through ports 0x40-0x43 and 0x61, against virtual time: the
 * six modes, the counter latch and read-back commands, BCD counting, the
 * access modes, IRQ0 edges at the programmed rate, channel 2's gate and
 * OUT through port 0x61.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "chipset/pit.h"
#include "chipset_harness.h"

static int setup(void **state)
{
	struct machine *m = chipset_machine_new(1, NULL);

	assert_non_null(m);
	*state = m;
	return 0;
}

static int teardown(void **state)
{
	chipset_machine_free(*state);
	return 0;
}

/* Program a channel: control word, then the count as access says. */
static void program(struct machine *m, unsigned ch, unsigned mode,
		    unsigned access, bool bcd, uint16_t count)
{
	io_write(m, 0x43, 1,
		 (uint8_t)(ch << 6 | access << 4 | mode << 1 | (bcd ? 1 : 0)));
	if (access & 1)
		io_write(m, (uint16_t)(0x40 + ch), 1, count & 0xff);
	if (access & 2)
		io_write(m, (uint16_t)(0x40 + ch), 1, count >> 8);
}

/* Virtual time at the start of PIT tick t. */
static void at_tick(struct machine *m, uint64_t t)
{
	advance_to_ns(m, pit_tick_ns(t));
}

static uint16_t latch_and_read(struct machine *m, unsigned ch)
{
	uint16_t v;

	io_write(m, 0x43, 1, (uint8_t)(ch << 6)); /* counter latch */
	v = (uint16_t)io_read(m, (uint16_t)(0x40 + ch), 1);
	return (uint16_t)(v | io_read(m, (uint16_t)(0x40 + ch), 1) << 8);
}

static uint8_t read_status(struct machine *m, unsigned ch)
{
	io_write(m, 0x43, 1, (uint8_t)(0xe0 | 2u << ch)); /* status only */
	return (uint8_t)io_read(m, (uint16_t)(0x40 + ch), 1);
}

static void test_tick_conversions(void **state)
{
	(void)state;
	assert_int_equal(pit_ticks_at(1000000000ull), PIT_HZ);
	assert_int_equal(pit_ticks_at(999), 1);
	assert_int_equal(pit_tick_ns(1), 839);
	assert_true(pit_ticks_at(pit_tick_ns(123456789)) >= 123456789);
	assert_int_equal(pit_ticks_at(pit_tick_ns(123456789) - 1), 123456788);
}

static void test_mode0_counts_down_and_raises_irq0(void **state)
{
	struct machine *m = *state;
	uint64_t edges = m->irq.raised[0];

	program(m, 0, 0, 3, false, 1000);
	assert_false(m->irq.level[0]);
	assert_int_equal(read_status(m, 0) & 0x80, 0x00);
	/* Loaded at tick 1: tick 101 holds 900. */
	at_tick(m, 101);
	assert_int_equal(latch_and_read(m, 0), 900);
	at_tick(m, 1000);
	assert_false(m->irq.level[0]);
	at_tick(m, 1001);
	assert_true(m->irq.level[0]);
	assert_int_equal(m->irq.raised[0], edges + 1);
	assert_int_equal(read_status(m, 0), 0x80 | 0x30 | 0 << 1);
	/* The count wraps on and OUT stays high. */
	at_tick(m, 1003);
	assert_int_equal(latch_and_read(m, 0), 0xfffe);
	assert_true(m->irq.level[0]);
}

static void test_mode2_rate_generator_frequency(void **state)
{
	struct machine *m = *state;
	uint64_t edges;

	program(m, 0, 2, 3, false, 1193); /* ~1 kHz */
	edges = m->irq.raised[0];
	/* Rising edges at ticks 1 + 1193k. */
	at_tick(m, 1 + 1193 * 10);
	assert_int_equal(m->irq.raised[0] - edges, 10);
	advance_ns(m, 1000000000ull); /* one second more */
	assert_int_equal(m->irq.raised[0] - edges, 10 + 1000);
	/* 18.2 Hz, the BIOS rate: count 0 means 65536. */
	program(m, 0, 2, 3, false, 0);
	edges = m->irq.raised[0];
	advance_ns(m, 10ull * 1000000000ull);
	assert_int_equal(m->irq.raised[0] - edges, 182);
}

static void test_mode2_count_values(void **state)
{
	struct machine *m = *state;

	program(m, 0, 2, 3, false, 100);
	at_tick(m, 1);
	assert_int_equal(latch_and_read(m, 0), 100);
	at_tick(m, 100);
	assert_int_equal(latch_and_read(m, 0), 1);
	assert_false(pit_out(m->chipset->pit, 0)); /* low for one CLK */
	at_tick(m, 101);
	assert_int_equal(latch_and_read(m, 0), 100);
	assert_true(pit_out(m->chipset->pit, 0));
}

static void test_mode2_new_count_at_next_period(void **state)
{
	struct machine *m = *state;

	program(m, 0, 2, 3, false, 100);
	at_tick(m, 51);
	io_write(m, 0x40, 1, 200 & 0xff);
	io_write(m, 0x40, 1, 0);
	/* The current period still ends at tick 101. */
	at_tick(m, 60);
	assert_int_equal(latch_and_read(m, 0), 100 - 59);
	at_tick(m, 101);
	assert_int_equal(latch_and_read(m, 0), 200);
	at_tick(m, 201);
	assert_int_equal(latch_and_read(m, 0), 100);
}

static void test_mode3_square_wave_on_channel2(void **state)
{
	struct machine *m = *state;
	struct pit *p = m->chipset->pit;

	program(m, 2, 3, 3, false, 10);
	/* GATE2 low: OUT high, nothing counts. */
	assert_true(pit_out(p, 2));
	io_write(m, 0x61, 1, 0x01); /* gate on: loads at the next tick */
	at_tick(m, 1);
	assert_int_equal(io_read(m, 0x61, 1) & 0x20, 0x20);
	at_tick(m, 5);
	assert_int_equal(io_read(m, 0x61, 1) & 0x20, 0x20);
	at_tick(m, 6);
	assert_int_equal(io_read(m, 0x61, 1) & 0x20, 0x00);
	at_tick(m, 10);
	assert_int_equal(io_read(m, 0x61, 1) & 0x20, 0x00);
	at_tick(m, 11);
	assert_int_equal(io_read(m, 0x61, 1) & 0x20, 0x20);
	/* Gate low again forces OUT high. */
	at_tick(m, 17);
	io_write(m, 0x61, 1, 0x00);
	assert_int_equal(io_read(m, 0x61, 1) & 0x21, 0x20);
}

static void test_mode3_odd_count(void **state)
{
	struct machine *m = *state;
	struct pit *p = m->chipset->pit;

	program(m, 0, 3, 3, false, 5); /* high 3 CLKs, low 2 */
	at_tick(m, 3);
	assert_true(pit_out(p, 0));
	at_tick(m, 4);
	assert_false(pit_out(p, 0));
	at_tick(m, 5);
	assert_false(pit_out(p, 0));
	at_tick(m, 6);
	assert_true(pit_out(p, 0));
}

static void test_mode1_gate_triggered_one_shot(void **state)
{
	struct machine *m = *state;
	struct pit *p = m->chipset->pit;

	program(m, 2, 1, 3, false, 20);
	at_tick(m, 50);
	assert_true(pit_out(p, 2)); /* waits for a trigger */
	io_write(m, 0x61, 1, 0x01);
	at_tick(m, 51);
	assert_false(pit_out(p, 2));
	at_tick(m, 70);
	assert_false(pit_out(p, 2));
	at_tick(m, 71);
	assert_true(pit_out(p, 2));
	/* Retrigger. */
	io_write(m, 0x61, 1, 0x00);
	io_write(m, 0x61, 1, 0x01);
	at_tick(m, 72);
	assert_false(pit_out(p, 2));
}

static void test_mode4_and_mode5_strobes(void **state)
{
	struct machine *m = *state;
	struct pit *p = m->chipset->pit;
	uint64_t edges;

	program(m, 0, 4, 3, false, 30);
	edges = m->irq.raised[0];
	at_tick(m, 30);
	assert_true(pit_out(p, 0));
	at_tick(m, 31);
	assert_false(pit_out(p, 0));
	at_tick(m, 32);
	assert_true(pit_out(p, 0));
	at_tick(m, 5000);
	assert_int_equal(m->irq.raised[0] - edges, 1);

	program(m, 2, 5, 3, false, 10);
	at_tick(m, 5100);
	assert_true(pit_out(p, 2));
	io_write(m, 0x61, 1, 0x01);
	at_tick(m, 5111);
	assert_false(pit_out(p, 2));
	at_tick(m, 5112);
	assert_true(pit_out(p, 2));
}

static void test_mode0_gate_pauses(void **state)
{
	struct machine *m = *state;

	program(m, 2, 0, 3, false, 100);
	/* GATE2 is low: the count waits. */
	at_tick(m, 50);
	assert_int_equal(latch_and_read(m, 2), 100);
	io_write(m, 0x61, 1, 0x01);
	at_tick(m, 60);
	assert_int_equal(latch_and_read(m, 2), 90);
	io_write(m, 0x61, 1, 0x00);
	at_tick(m, 80);
	assert_int_equal(latch_and_read(m, 2), 90);
}

static void test_bcd_counting(void **state)
{
	struct machine *m = *state;

	program(m, 0, 0, 3, true, 0x1000); /* 1000 decimal */
	at_tick(m, 2);
	assert_int_equal(latch_and_read(m, 0), 0x0999);
	at_tick(m, 1002);
	assert_int_equal(latch_and_read(m, 0), 0x9999);
	/* BCD 0 is 10000 in mode 2. */
	program(m, 0, 2, 3, true, 0);
	at_tick(m, 1003);
	assert_int_equal(latch_and_read(m, 0), 0x0000);
	at_tick(m, 1004);
	assert_int_equal(latch_and_read(m, 0), 0x9999);
}

static void test_access_modes(void **state)
{
	struct machine *m = *state;

	program(m, 0, 0, 1, false, 0x0050); /* LSB only */
	at_tick(m, 1);
	assert_int_equal(io_read(m, 0x40, 1), 0x50);
	assert_int_equal(io_read(m, 0x40, 1), 0x50);
	program(m, 0, 0, 2, false, 0x1200); /* MSB only */
	at_tick(m, 2);
	assert_int_equal(io_read(m, 0x40, 1), 0x12);
	/* LSB then MSB: live reads alternate. */
	program(m, 0, 2, 3, false, 0x1234);
	at_tick(m, 3);
	assert_int_equal(io_read(m, 0x40, 1), 0x34);
	assert_int_equal(io_read(m, 0x40, 1), 0x12);
	/* The control word cannot be read. */
	assert_int_equal(io_read(m, 0x43, 1), 0xff);
}

static void test_latch_holds_until_read(void **state)
{
	struct machine *m = *state;

	program(m, 0, 2, 3, false, 5000);
	at_tick(m, 11);
	io_write(m, 0x43, 1, 0x00);
	at_tick(m, 500);
	io_write(m, 0x43, 1, 0x00); /* ignored: the first is unread */
	assert_int_equal(io_read(m, 0x40, 1), (4990) & 0xff);
	assert_int_equal(io_read(m, 0x40, 1), 4990 >> 8);
	assert_int_equal(latch_and_read(m, 0), 5000 - 499);
}

static void test_read_back_command(void **state)
{
	struct machine *m = *state;

	program(m, 1, 2, 3, false, 300);
	program(m, 2, 0, 1, true, 0x99);
	/* Status of channel 2: OUT low, null count (gate low, mode 0). */
	assert_int_equal(read_status(m, 2), 0x40 | 0x10 | 0 << 1 | 1);
	at_tick(m, 21);
	/* Count and status of channel 1 at once: status comes first. */
	io_write(m, 0x43, 1, 0xc4);
	assert_int_equal(io_read(m, 0x41, 1), 0x80 | 0x30 | 2 << 1);
	assert_int_equal(io_read(m, 0x41, 1), 280 & 0xff);
	assert_int_equal(io_read(m, 0x41, 1), 280 >> 8);
	/* Mode 6 reads back as written but counts as mode 2. */
	io_write(m, 0x43, 1, 0x7c); /* ch1, lo/hi, mode 6 */
	assert_int_equal(read_status(m, 1) & 0x0e, 6 << 1);
}

static void test_port61(void **state)
{
	struct machine *m = *state;
	bool seen[2] = { false, false };

	io_write(m, 0x61, 1, 0xff);
	assert_int_equal(io_read(m, 0x61, 1) & 0x0f, 0x0f);
	io_write(m, 0x61, 1, 0x02);
	assert_int_equal(io_read(m, 0x61, 1) & 0x0f, 0x02);
	/* Bit 4 toggles with refresh, every 18 PIT clocks. */
	for (uint64_t t = 0; t < 100; t += 9) {
		at_tick(m, t);
		seen[(io_read(m, 0x61, 1) >> 4) & 1] = true;
	}
	assert_true(seen[0] && seen[1]);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_tick_conversions),
		T(test_mode0_counts_down_and_raises_irq0),
		T(test_mode2_rate_generator_frequency),
		T(test_mode2_count_values),
		T(test_mode2_new_count_at_next_period),
		T(test_mode3_square_wave_on_channel2),
		T(test_mode3_odd_count),
		T(test_mode1_gate_triggered_one_shot),
		T(test_mode4_and_mode5_strobes),
		T(test_mode0_gate_pauses),
		T(test_bcd_counting),
		T(test_access_modes),
		T(test_latch_holds_until_read),
		T(test_read_back_command),
		T(test_port61),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
