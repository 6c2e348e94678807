// SPDX-License-Identifier: MIT
/*
 * The 8042 keyboard controller through ports 0x60/0x64: status bits, the
 * command byte, controller commands, translation, IRQ 1 and IRQ 12, the
 * output port's A20 and reset lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "bare_machine.h"
#include "fake_intc.h"
#include "iodev/i8042.h"
#include "iodev/ps2.h"

struct fixture {
	struct machine *m;
	struct fake_intc intc;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->m = bare_machine_new();
	assert_non_null(f->m);
	irq_attach_controller(f->m, &fake_intc_ops, &f->intc);
	f->m->kbc = i8042_create(f->m);
	assert_non_null(f->m->kbc);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	i8042_destroy(f->m->kbc);
	free(f->m);
	free(f);
	return 0;
}

static uint8_t status(struct machine *m)
{
	return (uint8_t)io_read(m, 0x64, 1);
}

static void command(struct machine *m, uint8_t cmd)
{
	io_write(m, 0x64, 1, cmd);
}

static void data(struct machine *m, uint8_t v)
{
	io_write(m, 0x60, 1, v);
}

/* The next byte in the output buffer; fails when there is none. */
static uint8_t read_byte(struct machine *m)
{
	assert_true(status(m) & I8042_STR_OBF);
	return (uint8_t)io_read(m, 0x60, 1);
}

static void test_self_test_and_status(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(status(f->m) & (I8042_STR_OBF | I8042_STR_IBF), 0);
	assert_int_equal(status(f->m) & I8042_STR_SYS, 0);
	command(f->m, 0xaa);
	assert_int_equal(status(f->m) & I8042_STR_CMD, I8042_STR_CMD);
	assert_int_equal(read_byte(f->m), 0x55);
	assert_int_equal(status(f->m) & I8042_STR_OBF, 0);
	assert_true(status(f->m) & I8042_STR_SYS);
	command(f->m, 0xab); /* keyboard interface test */
	assert_int_equal(read_byte(f->m), 0x00);
	command(f->m, 0xa9); /* aux interface test */
	assert_int_equal(read_byte(f->m), 0x00);
	/* A controller reply raises IRQ 1 with the keyboard interrupt on. */
	assert_true(f->intc.edges[1] >= 1);
	assert_false(f->intc.level[1]);
}

static void test_command_byte(void **state)
{
	struct fixture *f = *state;

	command(f->m, 0x20);
	assert_int_equal(read_byte(f->m), I8042_CB_KBD_INT |
						  I8042_CB_AUX_DISABLE |
						  I8042_CB_TRANSLATE);
	command(f->m, 0x60);
	data(f->m, 0x47);
	command(f->m, 0x20);
	assert_int_equal(read_byte(f->m), 0x47);
	/* Bit 2 of the command byte is the status register's SYS flag. */
	assert_true(status(f->m) & I8042_STR_SYS);
	command(f->m, 0xa8); /* enable aux: clears bit 5 */
	command(f->m, 0xad); /* disable keyboard: sets bit 4 */
	command(f->m, 0x20);
	assert_int_equal(read_byte(f->m), 0x57);
	command(f->m, 0xa7);
	command(f->m, 0xae);
	command(f->m, 0x20);
	assert_int_equal(read_byte(f->m), 0x67);
	/* Controller RAM bytes beyond the command byte. */
	command(f->m, 0x65);
	data(f->m, 0x9c);
	command(f->m, 0x25);
	assert_int_equal(read_byte(f->m), 0x9c);
}

static void test_keyboard_reset_and_id(void **state)
{
	struct fixture *f = *state;

	data(f->m, 0xff);
	assert_int_equal(read_byte(f->m), 0xfa);
	assert_int_equal(read_byte(f->m), 0xaa);
	assert_int_equal(status(f->m) & I8042_STR_OBF, 0);
	/* With translation on, the ID's 83h reads as 41h. */
	data(f->m, 0xf2);
	assert_int_equal(read_byte(f->m), 0xfa);
	assert_int_equal(read_byte(f->m), 0xab);
	assert_int_equal(read_byte(f->m), 0x41);
	command(f->m, 0x60);
	data(f->m, 0x01); /* translation off */
	data(f->m, 0xf2);
	assert_int_equal(read_byte(f->m), 0xfa);
	assert_int_equal(read_byte(f->m), 0xab);
	assert_int_equal(read_byte(f->m), 0x83);
}

static void test_translation(void **state)
{
	struct fixture *f = *state;
	/* A press and release, then the right arrow (E0 74 / E0 F0 74). */
	static const uint8_t keys[] = { 0x1c, 0xf0, 0x1c, 0xe0,
					0x74, 0xe0, 0xf0, 0x74 };
	static const uint8_t set1[] = { 0x1e, 0x9e, 0xe0, 0x4d, 0xe0, 0xcd };

	ps2_keyboard_send(f->m, keys, sizeof(keys));
	for (unsigned i = 0; i < sizeof(set1); i++)
		assert_int_equal(read_byte(f->m), set1[i]);
	assert_int_equal(status(f->m) & I8042_STR_OBF, 0);
	/* Translation off: set 2 as the keyboard sends it. */
	command(f->m, 0x60);
	data(f->m, 0x01);
	ps2_keyboard_send(f->m, keys, 3);
	assert_int_equal(read_byte(f->m), 0x1c);
	assert_int_equal(read_byte(f->m), 0xf0);
	assert_int_equal(read_byte(f->m), 0x1c);
}

static void test_keyboard_irq(void **state)
{
	struct fixture *f = *state;
	static const uint8_t a[] = { 0x1c };
	unsigned edges = f->intc.edges[1];

	ps2_keyboard_send(f->m, a, 1);
	assert_true(f->intc.level[1]);
	assert_int_equal(f->intc.edges[1], edges + 1);
	assert_int_equal(status(f->m) & I8042_STR_AUXB, 0);
	assert_int_equal(io_read(f->m, 0x60, 1), 0x1e);
	assert_false(f->intc.level[1]);
	/* Interrupt disabled in the command byte: OBF but no IRQ. */
	command(f->m, 0x60);
	data(f->m, 0x40);
	ps2_keyboard_send(f->m, a, 1);
	assert_true(status(f->m) & I8042_STR_OBF);
	assert_false(f->intc.level[1]);
	io_read(f->m, 0x60, 1);
	/* Keyboard interface disabled: the byte waits in the keyboard. */
	command(f->m, 0xad);
	ps2_keyboard_send(f->m, a, 1);
	assert_int_equal(status(f->m) & I8042_STR_OBF, 0);
	command(f->m, 0xae);
	assert_int_equal(read_byte(f->m), 0x1e);
}

static void test_aux_port(void **state)
{
	struct fixture *f = *state;

	command(f->m, 0xa8);
	command(f->m, 0x60);
	data(f->m, 0x43); /* both interrupts, translation */
	command(f->m, 0xd4);
	data(f->m, 0xf2); /* mouse: read device type */
	assert_true(status(f->m) & I8042_STR_AUXB);
	assert_true(f->intc.level[12]);
	assert_false(f->intc.level[1]);
	assert_int_equal(read_byte(f->m), 0xfa);
	assert_int_equal(read_byte(f->m), 0x00);
	assert_false(f->intc.level[12]);
	/* D3: a byte as if from the mouse; D2: as if from the keyboard. */
	command(f->m, 0xd3);
	data(f->m, 0x5a);
	assert_true(status(f->m) & I8042_STR_AUXB);
	assert_int_equal(read_byte(f->m), 0x5a);
	command(f->m, 0xd2);
	data(f->m, 0xa5);
	assert_int_equal(status(f->m) & I8042_STR_AUXB, 0);
	assert_true(f->intc.level[1]);
	assert_int_equal(read_byte(f->m), 0xa5);
	/* Aux disabled: mouse bytes wait. */
	command(f->m, 0xa7);
	command(f->m, 0xd4);
	data(f->m, 0xf2);
	assert_int_equal(status(f->m) & I8042_STR_OBF, 0);
	command(f->m, 0xa8);
	assert_int_equal(read_byte(f->m), 0xfa);
}

static void test_output_port_a20_and_reset(void **state)
{
	struct fixture *f = *state;

	command(f->m, 0xd0);
	assert_int_equal(read_byte(f->m) & 0x03, 0x03);
	command(f->m, 0xd1);
	data(f->m, 0x01); /* A20 off, reset line high */
	assert_false(f->m->a20);
	assert_int_equal(f->m->exit_kind, MACHINE_RUNNING);
	command(f->m, 0xd0);
	assert_int_equal(read_byte(f->m) & 0x03, 0x01);
	command(f->m, 0xdf);
	assert_true(f->m->a20);
	command(f->m, 0xd1);
	data(f->m, 0x03);
	assert_true(f->m->a20);
	assert_int_equal(f->m->exit_kind, MACHINE_RUNNING);
	command(f->m, 0xc0);
	assert_int_equal(read_byte(f->m), 0x80);
	/* Pulse without bit 0: nothing. */
	command(f->m, 0xff);
	assert_int_equal(f->m->exit_kind, MACHINE_RUNNING);
	command(f->m, 0xfe);
	assert_int_equal(f->m->exit_kind, MACHINE_EXIT_RESET);
}

static void test_output_port_reset_bit(void **state)
{
	struct fixture *f = *state;

	command(f->m, 0xd1);
	data(f->m, 0x02);
	assert_int_equal(f->m->exit_kind, MACHINE_EXIT_RESET);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_self_test_and_status,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_command_byte, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_keyboard_reset_and_id,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_translation, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_keyboard_irq, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_aux_port, setup, teardown),
		cmocka_unit_test_setup_teardown(test_output_port_a20_and_reset,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_output_port_reset_bit,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
