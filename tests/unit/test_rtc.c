// SPDX-License-Identifier: MIT
/*
 * The MC146818 RTC and CMOS through ports 0x70/0x71: the host's time at
 * start, updates with virtual time (BCD, binary, 12-hour), SET, UIP, the
 * periodic, alarm and update-ended interrupts on IRQ8 through register C,
 * the NMI mask bit, and the PC's CMOS bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "chipset/rtc.h"
#include "chipset_harness.h"

#define SEC 1000000000ull
#define MS 1000000ull

static int setup(void **state)
{
	struct machine *m = chipset_machine_new(64, NULL);

	assert_non_null(m);
	*state = m;
	return 0;
}

static int teardown(void **state)
{
	chipset_machine_free(*state);
	return 0;
}

static uint8_t cmos_read(struct machine *m, uint8_t index)
{
	io_write(m, 0x70, 1, index);
	return (uint8_t)io_read(m, 0x71, 1);
}

static void cmos_write(struct machine *m, uint8_t index, uint8_t value)
{
	io_write(m, 0x70, 1, index);
	io_write(m, 0x71, 1, value);
}

static unsigned bcd(uint8_t v)
{
	assert_true((v & 15) < 10 && (v >> 4) < 10);
	return (v >> 4) * 10u + (v & 15);
}

static void set_time_bcd(struct machine *m, uint8_t cent, uint8_t year,
			 uint8_t mon, uint8_t day, uint8_t h, uint8_t min,
			 uint8_t s)
{
	cmos_write(m, RTC_REG_B, cmos_read(m, RTC_REG_B) | RTC_B_SET);
	cmos_write(m, CMOS_CENTURY, cent);
	cmos_write(m, RTC_YEAR, year);
	cmos_write(m, RTC_MONTH, mon);
	cmos_write(m, RTC_DAY_OF_MONTH, day);
	cmos_write(m, RTC_HOURS, h);
	cmos_write(m, RTC_MINUTES, min);
	cmos_write(m, RTC_SECONDS, s);
	cmos_write(m, RTC_REG_B, cmos_read(m, RTC_REG_B) & ~RTC_B_SET);
}

static void test_status_registers(void **state)
{
	struct machine *m = *state;

	assert_int_equal(cmos_read(m, RTC_REG_A) & 0x7f, 0x26);
	assert_int_equal(cmos_read(m, RTC_REG_B), RTC_B_24H);
	assert_int_equal(cmos_read(m, RTC_REG_C), 0x00);
	assert_int_equal(cmos_read(m, RTC_REG_D), RTC_D_VRT);
	cmos_write(m, RTC_REG_D, 0x00);
	assert_int_equal(cmos_read(m, RTC_REG_D), RTC_D_VRT);
}

static void test_host_time_at_start(void **state)
{
	struct machine *m = *state;
	struct tm tm = { 0 };
	time_t rtc_time, host = time(NULL);

	tm.tm_year = (int)(bcd(cmos_read(m, CMOS_CENTURY)) * 100 +
			   bcd(cmos_read(m, RTC_YEAR))) -
		     1900;
	tm.tm_mon = (int)bcd(cmos_read(m, RTC_MONTH)) - 1;
	tm.tm_mday = (int)bcd(cmos_read(m, RTC_DAY_OF_MONTH));
	tm.tm_hour = (int)bcd(cmos_read(m, RTC_HOURS));
	tm.tm_min = (int)bcd(cmos_read(m, RTC_MINUTES));
	tm.tm_sec = (int)bcd(cmos_read(m, RTC_SECONDS));
	rtc_time = timegm(&tm);
	assert_true(host - rtc_time >= 0 && host - rtc_time < 5);
	assert_int_equal(cmos_read(m, RTC_DAY_OF_WEEK), tm.tm_wday + 1);
}

static void test_update_carries_into_new_century(void **state)
{
	struct machine *m = *state;

	set_time_bcd(m, 0x19, 0x99, 0x12, 0x31, 0x23, 0x59, 0x59);
	cmos_write(m, RTC_DAY_OF_WEEK, 6); /* Friday */
	advance_ns(m, 1100 * MS);
	assert_int_equal(cmos_read(m, RTC_SECONDS), 0x00);
	assert_int_equal(cmos_read(m, RTC_MINUTES), 0x00);
	assert_int_equal(cmos_read(m, RTC_HOURS), 0x00);
	assert_int_equal(cmos_read(m, RTC_DAY_OF_MONTH), 0x01);
	assert_int_equal(cmos_read(m, RTC_MONTH), 0x01);
	assert_int_equal(cmos_read(m, RTC_YEAR), 0x00);
	assert_int_equal(cmos_read(m, CMOS_CENTURY), 0x20);
	assert_int_equal(cmos_read(m, RTC_DAY_OF_WEEK), 7);
}

static void test_leap_day_and_long_idle(void **state)
{
	struct machine *m = *state;

	set_time_bcd(m, 0x20, 0x24, 0x02, 0x28, 0x12, 0x00, 0x00);
	advance_ns(m, 86400ull * SEC);
	assert_int_equal(cmos_read(m, RTC_MONTH), 0x02);
	assert_int_equal(cmos_read(m, RTC_DAY_OF_MONTH), 0x29);
	advance_ns(m, 86400ull * SEC);
	assert_int_equal(cmos_read(m, RTC_MONTH), 0x03);
	assert_int_equal(cmos_read(m, RTC_DAY_OF_MONTH), 0x01);
	assert_int_equal(cmos_read(m, RTC_HOURS), 0x12);
}

static void test_binary_and_12_hour_modes(void **state)
{
	struct machine *m = *state;

	/* Binary, 24-hour. */
	cmos_write(m, RTC_REG_B, RTC_B_SET | RTC_B_BINARY | RTC_B_24H);
	cmos_write(m, RTC_YEAR, 25);
	cmos_write(m, RTC_MONTH, 12);
	cmos_write(m, RTC_DAY_OF_MONTH, 31);
	cmos_write(m, RTC_HOURS, 13);
	cmos_write(m, RTC_MINUTES, 59);
	cmos_write(m, RTC_SECONDS, 59);
	cmos_write(m, RTC_REG_B, RTC_B_BINARY | RTC_B_24H);
	advance_ns(m, 1100 * MS);
	assert_int_equal(cmos_read(m, RTC_HOURS), 14);
	assert_int_equal(cmos_read(m, RTC_MINUTES), 0);
	assert_int_equal(cmos_read(m, RTC_SECONDS), 0);
	assert_int_equal(cmos_read(m, RTC_DAY_OF_MONTH), 31);
	/* BCD, 12-hour: 11:59:59 PM becomes 12:00:00 AM. */
	cmos_write(m, RTC_REG_B, RTC_B_SET);
	cmos_write(m, RTC_YEAR, 0x25);
	cmos_write(m, RTC_MONTH, 0x03);
	cmos_write(m, RTC_DAY_OF_MONTH, 0x14);
	cmos_write(m, RTC_HOURS, 0x91);
	cmos_write(m, RTC_MINUTES, 0x59);
	cmos_write(m, RTC_SECONDS, 0x59);
	cmos_write(m, RTC_REG_B, 0);
	advance_ns(m, 1000 * MS);
	assert_int_equal(cmos_read(m, RTC_HOURS), 0x12);
	assert_int_equal(cmos_read(m, RTC_DAY_OF_MONTH), 0x15);
	/* 11:59:59 AM becomes 12:00:00 PM. */
	cmos_write(m, RTC_REG_B, RTC_B_SET);
	cmos_write(m, RTC_HOURS, 0x11);
	cmos_write(m, RTC_MINUTES, 0x59);
	cmos_write(m, RTC_SECONDS, 0x59);
	cmos_write(m, RTC_REG_B, 0);
	advance_ns(m, 1000 * MS);
	assert_int_equal(cmos_read(m, RTC_HOURS), 0x92);
}

static void test_set_stops_updates(void **state)
{
	struct machine *m = *state;

	set_time_bcd(m, 0x20, 0x25, 0x06, 0x15, 0x10, 0x20, 0x30);
	cmos_write(m, RTC_REG_B, RTC_B_SET | RTC_B_24H | RTC_B_UIE);
	/* SET clears UIE. */
	assert_int_equal(cmos_read(m, RTC_REG_B), RTC_B_SET | RTC_B_24H);
	advance_ns(m, 5 * SEC);
	assert_int_equal(cmos_read(m, RTC_SECONDS), 0x30);
	cmos_write(m, RTC_REG_B, RTC_B_24H);
	advance_ns(m, 1 * SEC);
	assert_int_equal(cmos_read(m, RTC_SECONDS), 0x31);
}

static void test_update_in_progress(void **state)
{
	struct machine *m = *state;
	uint64_t update = 3 * SEC; /* updates at 1 s, 2 s, 3 s ... */

	advance_to_ns(m, update - 2300 * 1000);
	assert_int_equal(cmos_read(m, RTC_REG_A) & RTC_A_UIP, 0);
	advance_to_ns(m, update - 2000 * 1000);
	assert_int_equal(cmos_read(m, RTC_REG_A) & RTC_A_UIP, RTC_A_UIP);
	advance_to_ns(m, update + 1000);
	assert_int_equal(cmos_read(m, RTC_REG_A) & RTC_A_UIP, 0);
}

static void test_periodic_interrupt_rate(void **state)
{
	struct machine *m = *state;
	unsigned interrupts = 0;
	uint64_t end;

	cmos_write(m, RTC_REG_A, 0x26); /* 1024 Hz */
	assert_int_equal(cmos_read(m, RTC_REG_C), 0);
	cmos_write(m, RTC_REG_B, RTC_B_24H | RTC_B_PIE);
	end = clock_now_ns(m) + 250 * MS;
	while (clock_next_deadline(m) <= end) {
		advance_to_ns(m, clock_next_deadline(m));
		assert_true(m->irq.level[RTC_IRQ]);
		assert_int_equal(cmos_read(m, RTC_REG_C),
				 RTC_C_IRQF | RTC_C_PF);
		assert_false(m->irq.level[RTC_IRQ]);
		interrupts++;
	}
	assert_int_equal(interrupts, 256);
	/* 2 Hz. */
	cmos_write(m, RTC_REG_A, 0x2f);
	interrupts = 0;
	end = clock_now_ns(m) + 10 * SEC;
	while (clock_next_deadline(m) <= end) {
		advance_to_ns(m, clock_next_deadline(m));
		if (cmos_read(m, RTC_REG_C) & RTC_C_PF)
			interrupts++;
	}
	assert_int_equal(interrupts, 20);
}

static void test_flags_without_interrupts(void **state)
{
	struct machine *m = *state;

	/* Nothing enabled: no timer, no IRQ, but the flags still set. */
	assert_int_equal(clock_next_deadline(m), UINT64_MAX);
	advance_ns(m, 2 * SEC);
	assert_false(m->irq.level[RTC_IRQ]);
	assert_int_equal(cmos_read(m, RTC_REG_C), RTC_C_PF | RTC_C_UF);
	assert_int_equal(cmos_read(m, RTC_REG_C), 0);
}

static void test_update_ended_interrupt(void **state)
{
	struct machine *m = *state;
	uint64_t edges = m->irq.raised[RTC_IRQ];

	cmos_write(m, RTC_REG_A, 0x20); /* no periodic rate */
	cmos_write(m, RTC_REG_B, RTC_B_24H | RTC_B_UIE);
	advance_to_ns(m, 999 * MS);
	assert_false(m->irq.level[RTC_IRQ]);
	advance_to_ns(m, 1 * SEC);
	assert_true(m->irq.level[RTC_IRQ]);
	assert_int_equal(cmos_read(m, RTC_REG_C), RTC_C_IRQF | RTC_C_UF);
	advance_to_ns(m, 2 * SEC);
	assert_int_equal(cmos_read(m, RTC_REG_C), RTC_C_IRQF | RTC_C_UF);
	assert_int_equal(m->irq.raised[RTC_IRQ] - edges, 2);
}

static void test_alarm_interrupt(void **state)
{
	struct machine *m = *state;

	cmos_write(m, RTC_REG_A, 0x20);
	set_time_bcd(m, 0x20, 0x25, 0x01, 0x01, 0x08, 0x00, 0x00);
	cmos_write(m, RTC_SECONDS_ALARM, 0x05);
	cmos_write(m, RTC_MINUTES_ALARM, 0xc0); /* don't care */
	cmos_write(m, RTC_HOURS_ALARM, 0x08);
	cmos_write(m, RTC_REG_B, RTC_B_24H | RTC_B_AIE);
	advance_to_ns(m, 4 * SEC);
	assert_false(m->irq.level[RTC_IRQ]);
	assert_int_equal(cmos_read(m, RTC_REG_C) & RTC_C_AF, 0);
	advance_to_ns(m, 5 * SEC);
	assert_true(m->irq.level[RTC_IRQ]);
	assert_int_equal(cmos_read(m, RTC_REG_C),
			 RTC_C_IRQF | RTC_C_AF | RTC_C_UF);
	/* Next minute, same second. */
	advance_to_ns(m, 64 * SEC);
	assert_int_equal(cmos_read(m, RTC_REG_C) & RTC_C_AF, 0);
	advance_to_ns(m, 65 * SEC);
	assert_int_equal(cmos_read(m, RTC_REG_C) & RTC_C_AF, RTC_C_AF);
}

static void test_divider_reset_delays_updates(void **state)
{
	struct machine *m = *state;

	cmos_write(m, RTC_REG_A, 0x70); /* divider held in reset */
	set_time_bcd(m, 0x20, 0x25, 0x01, 0x01, 0x00, 0x00, 0x00);
	advance_ns(m, 10 * SEC);
	assert_int_equal(cmos_read(m, RTC_SECONDS), 0x00);
	cmos_write(m, RTC_REG_A, 0x26);
	advance_ns(m, 400 * MS);
	assert_int_equal(cmos_read(m, RTC_SECONDS), 0x00);
	advance_ns(m, 100 * MS); /* first update 500 ms after reset */
	assert_int_equal(cmos_read(m, RTC_SECONDS), 0x01);
}

static void test_nmi_mask_bit(void **state)
{
	struct machine *m = *state;

	io_write(m, 0x70, 1, 0x80 | RTC_REG_D);
	assert_true(m->irq.nmi_masked);
	assert_int_equal(io_read(m, 0x71, 1), RTC_D_VRT);
	io_write(m, 0x70, 1, RTC_REG_D);
	assert_false(m->irq.nmi_masked);
}

static void test_cmos_ram_and_pc_bytes(void **state)
{
	struct machine *m = *state;
	unsigned sum = 0;

	cmos_write(m, 0x50, 0xa5);
	assert_int_equal(cmos_read(m, 0x50), 0xa5);
	/* 64 MiB: 63 MiB extended, 48 MiB above 16 MiB. */
	assert_int_equal(cmos_read(m, CMOS_BASE_MEM_LO), 0x80);
	assert_int_equal(cmos_read(m, CMOS_BASE_MEM_HI), 0x02);
	assert_int_equal(cmos_read(m, CMOS_EXT_MEM_LO), 0x00);
	assert_int_equal(cmos_read(m, CMOS_EXT_MEM_HI), 0xfc);
	assert_int_equal(cmos_read(m, CMOS_EXT_MEM2_LO), 0x00);
	assert_int_equal(cmos_read(m, CMOS_EXT_MEM2_HI), 0xfc);
	assert_int_equal(cmos_read(m, CMOS_MEM_ABOVE_16M_LO), 0x00);
	assert_int_equal(cmos_read(m, CMOS_MEM_ABOVE_16M_HI), 0x03);
	assert_int_equal(cmos_read(m, CMOS_MEM_ABOVE_4G_LO), 0);
	/* Default boot order c, d, n. */
	assert_int_equal(cmos_read(m, CMOS_BOOT_ORDER_12), 0x32);
	assert_int_equal(cmos_read(m, CMOS_BOOT_ORDER_3), 0x40);
	for (uint8_t i = 0x10; i < 0x2e; i++)
		sum += cmos_read(m, i);
	assert_int_equal(cmos_read(m, CMOS_CHECKSUM_HI), (sum >> 8) & 0xff);
	assert_int_equal(cmos_read(m, CMOS_CHECKSUM_LO), sum & 0xff);
	/* The board sets a byte: the checksum follows. */
	rtc_cmos_set(m->chipset->rtc, CMOS_FLOPPY_TYPES, 0x40);
	assert_int_equal(cmos_read(m, CMOS_CHECKSUM_LO), (sum + 0x40) & 0xff);
}

static void test_large_memory_caps(void **state)
{
	struct machine *m = chipset_machine_new(3072, "dca");

	(void)state;
	assert_non_null(m);
	assert_int_equal(cmos_read(m, CMOS_EXT_MEM_LO), 0xff);
	assert_int_equal(cmos_read(m, CMOS_EXT_MEM_HI), 0xff);
	/* (3072 - 16) MiB in 64 KiB units = 48896 = 0xBF00. */
	assert_int_equal(cmos_read(m, CMOS_MEM_ABOVE_16M_LO), 0x00);
	assert_int_equal(cmos_read(m, CMOS_MEM_ABOVE_16M_HI), 0xbf);
	assert_int_equal(cmos_read(m, CMOS_BOOT_ORDER_12), 0x23);
	assert_int_equal(cmos_read(m, CMOS_BOOT_ORDER_3), 0x10);
	chipset_machine_free(m);
}

static void test_boot_order_strings(void **state)
{
	(void)state;
	assert_int_equal(rtc_boot_order_valid("cdn"), 0);
	assert_int_equal(rtc_boot_order_valid("a"), 0);
	assert_int_equal(rtc_boot_order_valid("dc"), 0);
	assert_int_equal(rtc_boot_order_valid(""), -1);
	assert_int_equal(rtc_boot_order_valid("cc"), -1);
	assert_int_equal(rtc_boot_order_valid("x"), -1);
	assert_int_equal(rtc_boot_order_valid("acdn"), -1);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_status_registers),
		T(test_host_time_at_start),
		T(test_update_carries_into_new_century),
		T(test_leap_day_and_long_idle),
		T(test_binary_and_12_hour_modes),
		T(test_set_stops_updates),
		T(test_update_in_progress),
		T(test_periodic_interrupt_rate),
		T(test_flags_without_interrupts),
		T(test_update_ended_interrupt),
		T(test_alarm_interrupt),
		T(test_divider_reset_delays_updates),
		T(test_nmi_mask_bit),
		T(test_cmos_ram_and_pc_bytes),
		cmocka_unit_test(test_large_memory_caps),
		cmocka_unit_test(test_boot_order_strings),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
