// SPDX-License-Identifier: MIT
/*
 * The PS/2 keyboard and mouse behind the 8042: their command sets and
 * the bytes they send, read through port 0x60 with translation off.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "bare_machine.h"
#include "iodev/i8042.h"
#include "iodev/ps2.h"

static int setup(void **state)
{
	struct machine *m = bare_machine_new();

	assert_non_null(m);
	m->kbc = i8042_create(m);
	assert_non_null(m->kbc);
	/* Interrupts off, both ports on, no translation. */
	io_write(m, 0x64, 1, 0x60);
	io_write(m, 0x60, 1, 0x00);
	*state = m;
	return 0;
}

static int teardown(void **state)
{
	struct machine *m = *state;

	i8042_destroy(m->kbc);
	free(m);
	return 0;
}

static bool has_byte(struct machine *m)
{
	return io_read(m, 0x64, 1) & I8042_STR_OBF;
}

static uint8_t next(struct machine *m)
{
	assert_true(has_byte(m));
	return (uint8_t)io_read(m, 0x60, 1);
}

static void kbd(struct machine *m, uint8_t v)
{
	io_write(m, 0x60, 1, v);
}

static void mouse(struct machine *m, uint8_t v)
{
	io_write(m, 0x64, 1, 0xd4);
	io_write(m, 0x60, 1, v);
}

static void expect(struct machine *m, const uint8_t *bytes, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(next(m), bytes[i]);
	assert_false(has_byte(m));
}

#define EXPECT(m, ...)                                          \
	do {                                                    \
		static const uint8_t want_[] = { __VA_ARGS__ }; \
		expect(m, want_, sizeof(want_));                \
	} while (0)

static void test_keyboard_commands(void **state)
{
	struct machine *m = *state;

	kbd(m, 0xee);
	EXPECT(m, 0xee);
	kbd(m, 0xed); /* LEDs: ACK, parameter, ACK */
	EXPECT(m, 0xfa);
	kbd(m, 0x07);
	EXPECT(m, 0xfa);
	assert_int_equal(m->kbc->kbd.leds, 7);
	kbd(m, 0xf3);
	kbd(m, 0x20);
	EXPECT(m, 0xfa, 0xfa);
	assert_int_equal(m->kbc->kbd.typematic, 0x20);
	kbd(m, 0xfe); /* resend: the last byte again */
	EXPECT(m, 0xfa);
	kbd(m, 0x42); /* not a command */
	EXPECT(m, 0xfe);
	/* A command where a parameter is expected is taken as a command. */
	kbd(m, 0xed);
	kbd(m, 0xee);
	EXPECT(m, 0xfa, 0xee);
}

static void test_keyboard_scan_sets(void **state)
{
	struct machine *m = *state;
	static const uint8_t q_press_release[] = { 0x15, 0xf0, 0x15 };
	static const uint8_t pause_key[] = { 0xe1, 0x14, 0x77, 0xe1,
					     0xf0, 0x14, 0xf0, 0x77 };

	kbd(m, 0xf0);
	kbd(m, 0x00);
	EXPECT(m, 0xfa, 0xfa, 0x02);
	ps2_keyboard_send(m, q_press_release, 3);
	EXPECT(m, 0x15, 0xf0, 0x15);
	/* Set 1: the keyboard converts, break codes get bit 7. */
	kbd(m, 0xf0);
	kbd(m, 0x01);
	EXPECT(m, 0xfa, 0xfa);
	ps2_keyboard_send(m, q_press_release, 3);
	EXPECT(m, 0x10, 0x90);
	ps2_keyboard_send(m, pause_key, sizeof(pause_key));
	EXPECT(m, 0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5);
	kbd(m, 0xf0);
	kbd(m, 0x00);
	EXPECT(m, 0xfa, 0xfa, 0x01);
	kbd(m, 0xf0);
	kbd(m, 0x04); /* no set 4: not a parameter, not a command */
	EXPECT(m, 0xfa, 0xfe);
}

static void test_keyboard_enable_disable(void **state)
{
	struct machine *m = *state;
	static const uint8_t a[] = { 0x1c };

	kbd(m, 0xf5);
	EXPECT(m, 0xfa);
	ps2_keyboard_send(m, a, 1);
	assert_false(has_byte(m));
	kbd(m, 0xf4);
	EXPECT(m, 0xfa);
	ps2_keyboard_send(m, a, 1);
	EXPECT(m, 0x1c);
	kbd(m, 0xff);
	EXPECT(m, 0xfa, 0xaa);
	assert_true(m->kbc->kbd.scanning);
	assert_int_equal(m->kbc->kbd.scancode_set, 2);
}

static void test_keyboard_overrun(void **state)
{
	struct machine *m = *state;
	static const uint8_t a[] = { 0x1c };
	unsigned n = 0;

	/* One byte sits in the 8042; the keyboard queue fills behind it. */
	for (unsigned i = 0; i < PS2_QUEUE_SIZE + 10; i++)
		ps2_keyboard_send(m, a, 1);
	while (has_byte(m) && n < PS2_QUEUE_SIZE + 10) {
		uint8_t b = next(m);

		n++;
		if (!has_byte(m))
			assert_int_equal(b, 0x00); /* set-2 overrun code */
		else
			assert_int_equal(b, 0x1c);
	}
	assert_int_equal(n, PS2_QUEUE_SIZE + 1);
}

static void test_mouse_reset_and_wheel(void **state)
{
	struct machine *m = *state;

	mouse(m, 0xff);
	EXPECT(m, 0xfa, 0xaa, 0x00);
	mouse(m, 0xf2);
	EXPECT(m, 0xfa, 0x00);
	/* The IntelliMouse knock: rates 200, 100, 80. */
	mouse(m, 0xf3);
	mouse(m, 200);
	mouse(m, 0xf3);
	mouse(m, 100);
	mouse(m, 0xf3);
	mouse(m, 80);
	EXPECT(m, 0xfa, 0xfa, 0xfa, 0xfa, 0xfa, 0xfa);
	mouse(m, 0xf2);
	EXPECT(m, 0xfa, 0x03);
	mouse(m, 0xf4);
	EXPECT(m, 0xfa);
	ps2_mouse_event(m, 5, -3, 2, PS2_MOUSE_LEFT);
	/* Up is positive: the host's -3 (up) reads +3. */
	EXPECT(m, 0x09, 0x05, 0x03, 0x02);
	ps2_mouse_event(m, -2, 4, -1, PS2_MOUSE_RIGHT | PS2_MOUSE_MIDDLE);
	EXPECT(m, 0x08 | 0x10 | 0x20 | 0x06, 0xfe, 0xfc, 0x0f);
	mouse(m, 0xff); /* reset goes back to ID 0 */
	EXPECT(m, 0xfa, 0xaa, 0x00);
	mouse(m, 0xf2);
	EXPECT(m, 0xfa, 0x00);
}

static void test_mouse_stream_and_overflow(void **state)
{
	struct machine *m = *state;

	/* Disabled (the reset state): motion is not reported. */
	ps2_mouse_event(m, 3, 3, 0, 0);
	assert_false(has_byte(m));
	mouse(m, 0xf4);
	EXPECT(m, 0xfa);
	ps2_mouse_event(m, 300, 0, 0, 0);
	EXPECT(m, 0x48, 0xff, 0x00); /* X overflow, clamped to 255 */
	ps2_mouse_event(m, 0, 0, 5, 0); /* no wheel on ID 0: no report */
	assert_false(has_byte(m));
	ps2_mouse_event(m, 0, 0, 0, PS2_MOUSE_LEFT);
	EXPECT(m, 0x09, 0x00, 0x00);
	/* 2:1 scaling: 3 counts become 3, 5 become 9. */
	mouse(m, 0xe7);
	EXPECT(m, 0xfa);
	ps2_mouse_event(m, 5, -3, 0, 0);
	EXPECT(m, 0x08, 0x09, 0x03);
	mouse(m, 0xe6);
	EXPECT(m, 0xfa);
	ps2_mouse_event(m, 5, 0, 0, 0);
	EXPECT(m, 0x08, 0x05, 0x00);
}

static void test_mouse_status_and_remote(void **state)
{
	struct machine *m = *state;

	mouse(m, 0xe8);
	mouse(m, 0x03);
	mouse(m, 0xf3);
	mouse(m, 40);
	EXPECT(m, 0xfa, 0xfa, 0xfa, 0xfa);
	mouse(m, 0xe8);
	mouse(m, 0x09); /* bad resolution */
	EXPECT(m, 0xfa, 0xfc);
	mouse(m, 0xf0); /* remote mode */
	EXPECT(m, 0xfa);
	ps2_mouse_event(m, 7, 0, 0, PS2_MOUSE_LEFT);
	assert_false(has_byte(m));
	mouse(m, 0xe9);
	EXPECT(m, 0xfa, 0x44, 0x03, 40);
	mouse(m, 0xeb); /* read data */
	EXPECT(m, 0xfa, 0x09, 0x07, 0x00);
	mouse(m, 0xea); /* stream mode */
	EXPECT(m, 0xfa);
	mouse(m, 0xee); /* wrap mode echoes */
	mouse(m, 0x12);
	mouse(m, 0xec);
	EXPECT(m, 0xfa, 0x12, 0xfa);
	mouse(m, 0x12);
	EXPECT(m, 0xfe);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_keyboard_commands, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_keyboard_scan_sets, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_keyboard_enable_disable,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_keyboard_overrun, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_mouse_reset_and_wheel,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_mouse_stream_and_overflow,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_mouse_status_and_remote,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
